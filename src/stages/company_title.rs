//! Company titles that name no company: the article's own company.
//!
//! "But CEO Tom Enders expected demand to rise", "says Nan Cunhui, chairman and founder",
//! "Linda Findley, President and Chief Executive Officer, and Randy Greben, Chief Financial
//! Officer, will attend": in an article about one company, a title that only a company gives,
//! right before a person with no name before it, or closed as an apposition right after one, is
//! a title at that company. The annotators link such people to it (train and dev, 2026-11-27).
//! An article about no one company gives the title to the one company its sentence names (stop
//! 24: train +1 link, no false one).

use std::sync::LazyLock;

use regex::Regex;

use crate::record::{Article, EntityType, Role};
use crate::text_index::TextIndex;

/// Titles only a company gives (not "president", "director", "head" or "chair", which a
/// country, a film or a committee gives as well), with their role.
const COMPANY_TITLES: &str = r"chief executive officer|chief executive|ceo|co-?founder|founder|chairman|chairwoman|chief (?:financial|operating|technology|marketing|commercial|information|investment|product) officer|cfo|coo|cto|cmo|managing director|president and ceo|president and chief executive(?: officer)?";

/// The title right before a name, after at most one word that describes it ("But CEO", "its
/// new chairman", "Interim CEO"); `prev` is the word before, which must not be a name ("Boeing
/// CEO Dave Calhoun" when Boeing went untagged).
static TITLE_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:^|(?P<prev>\S+)\s+)(?i:(?:then-|former |new |interim |acting |deputy |executive |founding )?(?P<title>{COMPANY_TITLES}))\s*,?\s*$"
    ))
    .expect("company title before a name")
});

/// The title as an apposition right after a name, closed without naming whose it is:
/// ", chairman and founder.", ", President and Chief Executive Officer, and".
static TITLE_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^\s*,\s*(?:the |its |our )?(?:then-|former |new |interim |acting |deputy |founding )?(?P<title>{COMPANY_TITLES})(?:\s+(?:and|&)\s+(?:{COMPANY_TITLES}|president))?\s*(?:[,.;)]|$)"
    ))
    .expect("company title after a name")
});

/// Words that may stand right before a bare title: "But CEO X", "said chairman X". Any other
/// word may say whose title it is ("Boeing CEO", "Hillary Clinton's campaign chairman").
const LEAD_WORDS: &[&str] = &[
    "but", "and", "the", "its", "our", "their", "said", "says", "told", "as", "by", "with", "from", "to", "when",
    "while",
];

/// Whether the word before a title leaves the title bare: one of `LEAD_WORDS`, punctuation, or
/// the sentence's first word (capitalised only because it opens the sentence).
fn plain_lead(before: &str, word: regex::Match) -> bool {
    let bare = word.as_str().trim_matches(|c: char| !c.is_alphanumeric());
    let punctuated = word.as_str().ends_with([',', ':', ';', '"', '“', '”', '(', '-', '—']);
    let first = before[..word.start()].trim().is_empty();
    punctuated || LEAD_WORDS.contains(&bare.to_lowercase().as_str()) && (first || !bare.starts_with(char::is_uppercase))
}

/// Characters read on each side of a name for its title.
const TITLE_CHARS: usize = 45;

fn role_of(title: &str) -> Role {
    match title {
        t if t.starts_with("co") && t.contains("founder") || t.starts_with("founder") => Role::Founder,
        "chairman" | "chairwoman" => Role::Chair,
        t if t.contains("ceo") || t.contains("chief executive") => Role::Ceo,
        _ => Role::Executive,
    }
}

/// The company an article is about: named at least 3 times, and twice as often as any other.
fn own_company(article: &Article) -> Option<usize> {
    let mut companies: Vec<_> = article.entities.iter().filter(|e| e.label == EntityType::Company).collect();
    companies.sort_by_key(|e| std::cmp::Reverse(e.mentions.len()));
    let first = companies.first()?;
    let second = companies.get(1).map_or(0, |e| e.mentions.len());
    (first.mentions.len() >= 3 && first.mentions.len() >= 2 * second).then_some(first.id)
}

/// The one company sentence `sentence` names, if it names one and no other organisation.
fn sentence_company(article: &Article, sentence: usize) -> Option<usize> {
    let mut named = article.mentions.iter().filter(|m| m.sentence == sentence && m.label.is_organisation());
    let first = named.next()?;
    (first.label == EntityType::Company && named.all(|m| m.entity == first.entity)).then_some(first.entity).flatten()
}

/// (person entity, company entity, role, sentence) for every person a company title introduces
/// in a story sentence: at the article's main company, or, in an article without one, at the one
/// company the sentence names ("activity at PowerArk Group kept founder and chief executive
/// officer Brendan Li awake").
pub fn main_company_titles(article: &Article, index: &TextIndex) -> Vec<(usize, usize, Role, usize)> {
    let own = own_company(article);
    let mut found = Vec::new();
    for sentence in article.story_sentences() {
        let Some(company) = own.or_else(|| sentence_company(article, sentence.id)) else { continue };
        for person in article.mentions.iter().filter(|m| m.sentence == sentence.id && m.label == EntityType::Person) {
            let Some(entity) = person.entity else { continue };
            let before =
                index.slice(&article.text, person.start.saturating_sub(TITLE_CHARS).max(sentence.start), person.start);
            let after = index.lowered(&article.text, person.end, person.end + TITLE_CHARS);
            let title_before =
                TITLE_BEFORE.captures(before).filter(|c| c.name("prev").is_none_or(|w| plain_lead(before, w)));
            let title = title_before
                .map(|c| c["title"].to_lowercase())
                .or_else(|| TITLE_AFTER.captures(&after).map(|c| c["title"].to_string()));
            if let Some(title) = title {
                found.push((entity, company, role_of(&title), sentence.id));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::super::testing::article_of_every_mention;
    use super::*;
    use EntityType::{Company, Location, Person};

    /// The stated titles, every occurrence of a name its mention (the main company is the one
    /// named most often).
    fn titled(sentences: &[&str], names: &[(&str, EntityType)]) -> Vec<(String, Role)> {
        let article = article_of_every_mention(sentences, names);
        let index = TextIndex::new(&article.text);
        main_company_titles(&article, &index)
            .into_iter()
            .map(|(p, _, role, _)| (article.entities[p].name.clone(), role))
            .collect()
    }

    #[test]
    fn a_bare_company_title_is_at_the_articles_company() {
        let lead = "Airbus delivered fewer jets this year, Airbus said. Airbus shares fell.";
        assert_eq!(
            titled(
                &[lead, "But CEO Tom Enders expected demand to rise."],
                &[("Airbus", Company), ("Tom Enders", Person)]
            ),
            vec![("Tom Enders".to_string(), Role::Ceo)]
        );
        let lead = "Chint Group bought a solar maker. Chint Group is Chinese. Chint Group grew.";
        let quote = "\"We will buy more,\" says Nan Cunhui, chairman and founder.";
        assert_eq!(
            titled(&[lead, quote], &[("Chint Group", Company), ("Nan Cunhui", Person)]),
            vec![("Nan Cunhui".to_string(), Role::Chair)]
        );
    }

    #[test]
    fn without_a_main_company_a_bare_title_is_at_the_one_company_its_sentence_names() {
        let names = [("Airbus", Company), ("Boeing", Company), ("PowerArk Group", Company), ("Brendan Li", Person)];
        let sentences = [
            "Airbus and Boeing delivered fewer jets.",
            "Deals at PowerArk Group, a photovoltaic firm, kept founder and chief executive officer Brendan Li awake.",
        ];
        assert_eq!(titled(&sentences, &names), vec![("Brendan Li".to_string(), Role::Ceo)]);
        // Two organisations in the sentence: whose title it is is unknown.
        let names = [("Airbus", Company), ("Boeing", Company), ("Ann Lee", Person)];
        let sentences = ["Airbus and Boeing delivered fewer jets.", "At Airbus and Boeing, CEO Ann Lee was upbeat."];
        assert!(titled(&sentences, &names).is_empty());
    }

    #[test]
    fn other_titles_and_other_organisations_are_not() {
        let lead = "Airbus delivered fewer jets this year, Airbus said. Airbus shares fell.";
        // A president or a director may be of anything; a name before the title says whose
        // title it is.
        let names = [("Airbus", Company), ("Joe Biden", Person)];
        assert!(titled(&[lead, "President Joe Biden praised the plant."], &names).is_empty());
        let names = [("Airbus", Company), ("Boeing", Company), ("Dave Calhoun", Person)];
        assert!(titled(&[lead, "Boeing CEO Dave Calhoun disagreed."], &names).is_empty());
        // No main company: two companies named as often, or one named once.
        let lead = "Airbus and Boeing delivered fewer jets. Airbus and Boeing said so.";
        let names = [("Airbus", Company), ("Boeing", Company), ("Ann Lee", Person)];
        assert!(titled(&[lead, "CEO Ann Lee was upbeat."], &names).is_empty());
        let names = [("Airbus", Company), ("Ann Lee", Person)];
        assert!(titled(&["Airbus delivered fewer jets.", "CEO Ann Lee was upbeat."], &names).is_empty());
        // A title another word claims: "campaign chairman" is no company's.
        let names = [("Airbus", Company), ("John Podesta", Person)];
        let lead = "Airbus delivered fewer jets this year, Airbus said. Airbus shares fell.";
        let quote = "Hackers exposed the emails of the campaign chairman, John Podesta.";
        assert!(titled(&[lead, quote], &names).is_empty());
        // A place is no company.
        let names = [("Toulouse", Location), ("Ann Lee", Person)];
        assert!(titled(&["Toulouse grew.", "CEO Ann Lee was upbeat."], &names).is_empty());
    }
}
