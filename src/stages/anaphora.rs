//! References: a sentence that names an organisation or a person only by a word that refers
//! back to one named before.
//!
//! "Its chief executive Johan Lundgren remarked", "Liang Yanfeng, general manager of the
//! state-owned company", "She founded Y Communicate": the title is stated in the sentence, the
//! name of the organisation or person in an earlier one. Each reference becomes a stand-in
//! mention of the entity it refers to, which the link stage reads with its relation patterns
//! like a named mention (never as a co-mention: a pronoun near a name states nothing).

use std::sync::LazyLock;

use regex::Regex;

use crate::record::{Article, EntityType, Mention};
use crate::text_index::TextIndex;

/// How many sentences back a reference looks for what it refers to.
const LOOK_BACK: usize = 3;

/// "its", a definite noun of a kind of organisation ("the state-owned company", "the
/// council's"), or such a noun alone and capitalised before a title ("Ministry spokesman Shen
/// Danyang"); the named group is what the stand-in spans. Only a company may be described on
/// the way ("the state-owned company"): "the ruling party", "the anti-immigration party's new
/// leader" and "the non-profit group" bring in another body than the one named before (dev and
/// train, stop 15). "The regulator", "the watchdog" and "the union" are the organisation named
/// last (stop 24: dev +1, train unchanged).
static ORG_REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:(?P<its>its)|the\s+(?:(?:[\w-]+\s+){0,2}?(?P<company>company|firm|carrier|airline|retailer)|(?P<body>regulator|watchdog|union)|(?P<noun>bank|party|ministry|council|foundation|agency|university|school)))\b|\b(?-i:(?P<bare>Bank|Ministry|Party|Council))\s+(?-i:[a-z])",
    )
    .expect("organisation reference pattern")
});

/// "He" or "She" as a sentence's subject: first, or after an opening phrase ("In June 2021, she
/// founded Y Communicate").
static PERSON_REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^[\s"“'‘]*(?:[^,.;:"“”]{1,40},\s+)?(?P<pronoun>[Hh]e|[Ss]he)\b"#).expect("person reference pattern")
});

/// The stand-in mentions of an article's references, each with the entity it refers to.
pub fn references(article: &Article, index: &TextIndex) -> Vec<Mention> {
    let mut found = Vec::new();
    let main = main_company(article);
    for sentence in article.story_sentences() {
        let text = index.slice(&article.text, sentence.start, sentence.end);
        let base = index.byte(sentence.start);
        let span = |m: regex::Match| (index.char_at(base + m.start()), index.char_at(base + m.end()));
        for caps in ORG_REFERENCE.captures_iter(text) {
            let (group, kind) = if let Some(its) = caps.name("its") {
                (its, Referent::Any)
            } else if let Some(company) = caps.name("company") {
                (company, Referent::Company)
            } else if let Some(body) = caps.name("body") {
                (body, Referent::Organisation)
            } else if let Some(noun) = caps.name("noun").or_else(|| caps.name("bare")) {
                (noun, Referent::Named(noun.as_str().to_lowercase()))
            } else {
                continue;
            };
            let (start, end) = span(group);
            // "the Bank of England" is a name; "the group the Business ... Commission" names it next.
            if named_at(article, start, end) || named_at(article, end, end + 3) {
                continue;
            }
            if let Some(m) = org_antecedent(article, (sentence.id, start), &kind, main) {
                found.push(stand_in(article, index, m, (start, end), sentence.id));
            }
        }
        if let Some(pronoun) = PERSON_REFERENCE.captures(text).and_then(|c| c.name("pronoun")) {
            let (start, end) = span(pronoun);
            if let Some(m) = person_antecedent(article, sentence.id) {
                found.push(stand_in(article, index, m, (start, end), sentence.id));
            }
        }
    }
    found
}

/// Whether a mention overlaps the span `start..end`.
fn named_at(article: &Article, start: usize, end: usize) -> bool {
    article.mentions.iter().any(|m| m.start < end && start < m.end)
}

/// A mention of `antecedent`'s entity at the reference's span (in the reference's sentence).
fn stand_in(
    article: &Article,
    index: &TextIndex,
    antecedent: &Mention,
    (start, end): (usize, usize),
    sentence: usize,
) -> Mention {
    Mention {
        text: index.slice(&article.text, start, end).to_string(),
        start,
        end,
        label: antecedent.label,
        score: antecedent.score,
        sentence,
        entity: antecedent.entity,
    }
}

/// Mentions named before `position` in sentence `sentence` or the few before it, nearest first.
fn before(article: &Article, sentence: usize, position: usize) -> impl Iterator<Item = &Mention> {
    let first = sentence.saturating_sub(LOOK_BACK);
    article.mentions.iter().rev().filter(move |m| m.sentence >= first && m.sentence <= sentence && m.end <= position)
}

/// What an organisation reference may refer to.
enum Referent {
    /// "its": whatever was named last, if that is an organisation (a country's "its" is none).
    Any,
    /// "the company": the nearest company.
    Company,
    /// "the regulator", "the union": the nearest organisation.
    Organisation,
    /// "the bank": the nearest organisation whose name holds the noun ("People's Bank of China").
    Named(String),
}

/// The mention an organisation reference at `position` of `sentence` refers to; "its" and "the
/// company" with nothing named shortly before refer to `main`, the article's one company.
fn org_antecedent<'a>(
    article: &'a Article,
    (sentence, position): (usize, usize),
    kind: &Referent,
    main: Option<&'a Mention>,
) -> Option<&'a Mention> {
    let mut named = before(article, sentence, position).filter(|m| m.entity.is_some());
    match kind {
        Referent::Any => match named.find(|m| m.label != EntityType::Person) {
            Some(m) => Some(m).filter(|m| m.label.is_organisation()),
            None => main,
        },
        Referent::Company => named.find(|m| m.label == EntityType::Company).or(main),
        Referent::Organisation => named.find(|m| m.label.is_organisation()),
        Referent::Named(noun) => named.find(|m| {
            m.label.is_organisation()
                && m.entity.is_some_and(|e| {
                    let name = article.entities[e].name.to_lowercase();
                    name.split(|c: char| !c.is_alphanumeric()).any(|w| w == noun.as_str())
                })
        }),
    }
}

/// The company an article is about, when one is: its first mention.
fn main_company(article: &Article) -> Option<&Mention> {
    let mut companies: Vec<_> = article.entities.iter().filter(|e| e.label == EntityType::Company).collect();
    companies.sort_by(|a, b| b.salience.total_cmp(&a.salience));
    match companies.as_slice() {
        [only] => only.mentions.first().map(|&m| &article.mentions[m]),
        [first, second, ..] if first.salience >= 2.0 * second.salience => {
            first.mentions.first().map(|&m| &article.mentions[m])
        }
        _ => None,
    }
}

/// What a sentence-opening "He" / "She" refers to: the one person the nearest earlier sentence
/// naming people names (with two or more, the pronoun could be either).
pub(super) fn person_antecedent(article: &Article, sentence: usize) -> Option<&Mention> {
    let earlier = sentence.checked_sub(1)?;
    let people = |s: usize| article.mentions.iter().filter(move |m| m.sentence == s && m.label == EntityType::Person);
    let nearest = (earlier.saturating_sub(LOOK_BACK - 1)..=earlier).rev().find(|&s| people(s).next().is_some())?;
    let first = people(nearest).find(|m| m.entity.is_some())?;
    people(nearest).all(|m| m.entity == first.entity).then_some(first)
}
