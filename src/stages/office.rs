//! Titles of public office that name their body without naming it in the sentence.
//!
//! "Sen. Ed Markey, D-Mass., said", "Attorney General Merrick Garland visited", "Health Minister
//! Sylvia Jones said": the title says which body the person serves in, and the article names
//! that body elsewhere ("the Senate", "the Justice Department", "the Ministry of Health"). The
//! annotators link such people to the body as officials (chosen 2026-11-26, stop 14, on train's
//! missed relations, where it found 18 more, and dev, 10 more; README "Titles of public office").
//! A bare "press secretary X" speaks for the White House when the article names it (stop 24:
//! train +2, no false link).

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use crate::record::{Article, EntityType, Role};
use crate::text_index::TextIndex;

/// A title ending right before a name: "sen.", "senators", "attorney general", "chief justice",
/// "foreign minister", "secretary of state", "minister for health".
static TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)(?:^|[^\w.])(?:
            (?P<senate>sen\.|sens\.|senator|senators)
          | (?P<justice>attorney[\s-]general)
          | (?P<court>(?:chief\s+)?justice)
          | (?P<domain>[a-z]+)\s+(?P<title>secretary|minister)
          | (?P<title_before>secretary|minister)\s+(?:of|for)\s+(?:the\s+)?(?P<domain_after>[a-z]+)
        )\s*$",
    )
    .expect("office title pattern")
});

/// A plural title right before a name: the people listed after that name hold it too.
static PLURAL_TITLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[^\w.])(?:sens\.|senators)\s*$").expect("plural title pattern"));

/// What separates the names of a list under one title: "Jon Tester, D-Mont., and", "Susan
/// Collins of Maine and", "Mark Kelly, D-Ariz.,".
static LISTED_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:,?\s*\(?[DRI]-[A-Z][\w.]*\)?|\s+of\s+[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)?\s*(?:,\s*(?:and\s+)?|\s+and\s+)$",
    )
    .expect("listed names pattern")
});

/// Words after which "senator" is not the article's Senate ("state Sen. X").
const OTHER_CHAMBER: &[&str] = &["state", "former state"];

/// Words of a body's name that make it the public body a secretary heads; a minister heads a
/// ministry ("Foreign Minister" is not of the "Office of Foreign Assets Control").
const SECRETARY_BODIES: &[&str] = &["ministry", "department", "office", "secretariat", "treasury"];
const MINISTER_BODIES: &[&str] = &["ministry"];
const ATTORNEY_GENERAL_BODIES: &[&str] = &["ministry", "department"];

/// Words of a body's name that are not a country.
const NAME_WORDS: &[&str] = &[
    "ministry",
    "department",
    "office",
    "secretariat",
    "treasury",
    "of",
    "for",
    "the",
    "and",
    "affairs",
    "senate",
    "supreme",
    "court",
    "foreign",
    "home",
    "justice",
    "state",
    "defense",
    "defence",
    "health",
    "finance",
    "interior",
    "education",
    "trade",
    "commerce",
    "industry",
    "agriculture",
    "transport",
    "energy",
    "labour",
    "labor",
    "white",
    "house",
];

/// Domain words that are part of a title but name no body ("prime minister", "general secretary").
const NOT_DOMAINS: &[&str] = &["prime", "general", "chief", "deputy", "vice", "first", "senior", "junior", "cabinet"];

/// Characters read before a name for its title.
const TITLE_CHARS: usize = 40;

/// Words between a country and its title ("Russian Deputy Foreign Minister").
const TITLE_MODIFIERS: &[&str] =
    &["deputy", "vice", "acting", "former", "assistant", "associate", "first", "then", "senior"];

/// The country a title or a body's name is qualified by, compared by its first four letters
/// ("Japanese" / "Japan's"), without dots ("U.S." / "US").
fn qualifier(word: &str) -> Option<String> {
    let word = word.trim_end_matches("'s").trim_end_matches("’s").trim_matches(|c: char| !c.is_alphanumeric());
    let word: String = word.chars().filter(|c| *c != '.').collect();
    (word.chars().next().is_some_and(char::is_uppercase) && word != "The")
        .then(|| word.to_lowercase().chars().take(4).collect())
}

/// The country before the title ("Japanese Foreign Minister" → "japa"), if one is written.
fn title_qualifier(before: &str) -> Option<String> {
    before
        .split_whitespace()
        .rev()
        .find(|w| !TITLE_MODIFIERS.contains(&w.to_lowercase().trim_end_matches(['-', ','])))
        .and_then(qualifier)
}

/// The countries an organisation is qualified by: capitalised words of its name that are
/// neither the office's domain nor body words, and the word before each of its mentions
/// ("China's Defense Ministry").
fn body_qualifiers(article: &Article, index: &TextIndex, org: usize) -> HashSet<String> {
    let entity = &article.entities[org];
    let mut found: HashSet<String> = entity
        .name
        .split_whitespace()
        .filter(|w| !NAME_WORDS.contains(&w.to_lowercase().as_str()))
        .filter_map(qualifier)
        .collect();
    for &m in &entity.mentions {
        let start = article.mentions[m].start;
        let before = index.slice(&article.text, start.saturating_sub(TITLE_CHARS), start);
        found.extend(before.split_whitespace().last().and_then(qualifier));
    }
    found
}

/// The body an office title names, as a test on an organisation's lowercased name words.
enum Body {
    Senate,
    SupremeCourt,
    /// A bare "press secretary X" in an article that names the White House.
    WhiteHouse,
    /// A ministry or department of this domain ("justice", "health", "foreign"), named with
    /// one of these words.
    Domain(String, &'static [&'static str]),
}

impl Body {
    /// The body and the title's country, from the lowercased and the original text before a name.
    fn of(before: &str, original: &str) -> Option<(Body, Option<String>)> {
        let c = TITLE.captures(before)?;
        // Lowercasing keeps ASCII offsets; elsewhere no country is read.
        let country = original.get(..c.get(0)?.start()).and_then(title_qualifier);
        Body::from_title(&c, before).map(|b| (b, country))
    }

    fn from_title(c: &regex::Captures, before: &str) -> Option<Body> {
        if c.name("senate").is_some() {
            let head = before[..c.get(0)?.start()].trim_end();
            return (!OTHER_CHAMBER.iter().any(|w| head.ends_with(w))).then_some(Body::Senate);
        }
        if c.name("justice").is_some() {
            return Some(Body::Domain("justice".into(), ATTORNEY_GENERAL_BODIES));
        }
        if c.name("court").is_some() {
            return Some(Body::SupremeCourt);
        }
        let domain = c.name("domain").or(c.name("domain_after"))?.as_str();
        let title = c.name("title").or(c.name("title_before"))?.as_str();
        if (domain, title) == ("press", "secretary") {
            return Some(Body::WhiteHouse);
        }
        let bodies = if title == "minister" { MINISTER_BODIES } else { SECRETARY_BODIES };
        (!NOT_DOMAINS.contains(&domain)).then(|| Body::Domain(domain.into(), bodies))
    }

    /// The role its title gives: the White House's press secretary speaks for it.
    fn role(&self) -> Role {
        match self {
            Body::WhiteHouse => Role::Spokesperson,
            _ => Role::Official,
        }
    }

    fn names(&self, words: &[String]) -> bool {
        let has = |w: &str| words.iter().any(|x| x == w);
        match self {
            Body::Senate => words.last().is_some_and(|w| w == "senate") && words.len() <= 3,
            Body::SupremeCourt => has("supreme") && has("court"),
            Body::WhiteHouse => words == ["white", "house"],
            Body::Domain(d, bodies) => {
                let domain =
                    |w: &String| w == d || (d == "defense" && w == "defence") || (d == "defence" && w == "defense");
                words.iter().any(domain) && words.iter().any(|w| bodies.contains(&w.as_str()))
            }
        }
    }
}

/// The lowercased words of an organisation's name.
fn name_words(name: &str) -> Vec<String> {
    name.to_lowercase().split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(String::from).collect()
}

/// (person entity, body entity, role, sentence) for every person whose title names a body that
/// the article names exactly once among its organisation entities: an official, or the White
/// House's spokesperson.
pub fn office_holders(article: &Article, index: &TextIndex) -> Vec<(usize, usize, Role, usize)> {
    let org_words: Vec<(usize, Vec<String>)> =
        article.entities.iter().filter(|e| e.label.is_organisation()).map(|e| (e.id, name_words(&e.name))).collect();
    let mut found = Vec::new();
    // The last holder named under a plural title ("Sens. A, D-Ariz., B"): (mention end,
    // sentence, body), which the people listed right after it share.
    let mut listed: Option<(usize, usize, usize)> = None;
    for m in article.mentions.iter().filter(|m| m.label == EntityType::Person) {
        let Some(person) = m.entity else { continue };
        if let Some((end, sentence, org)) = listed.filter(|l| l.1 == m.sentence && l.0 <= m.start) {
            if LISTED_AFTER.is_match(index.slice(&article.text, end, m.start)) {
                found.push((person, org, Role::Official, m.sentence));
                listed = Some((m.end, sentence, org));
                continue;
            }
        }
        listed = None;
        // The title is read in the person's own sentence: a capitalised word that ends the
        // sentence before ("from Congress. Sen. X") is no country of the title.
        let sentence_start = article.sentences.get(m.sentence).map_or(0, |s| s.start);
        let original = index.slice(&article.text, m.start.saturating_sub(TITLE_CHARS).max(sentence_start), m.start);
        let lower = original.to_lowercase();
        let Some((body, country)) = Body::of(&lower, original) else { continue };
        let mut bodies = org_words.iter().filter(|(_, words)| body.names(words));
        let (Some((org, _)), None) = (bodies.next(), bodies.next()) else { continue };
        // "Japanese Foreign Minister X" is not of "China's Foreign Ministry"; a body named with
        // two countries (two ministries resolve joined) is no one's for sure.
        let countries = body_qualifiers(article, index, *org);
        let agrees = match &country {
            // "Kremlin press secretary X" is not the White House's.
            Some(_) if matches!(body, Body::WhiteHouse) => false,
            Some(c) => countries.is_empty() || (countries.len() == 1 && countries.contains(c)),
            None => countries.len() <= 1,
        };
        if agrees {
            found.push((person, *org, body.role(), m.sentence));
            if PLURAL_TITLE.is_match(&lower) {
                listed = Some((m.end, m.sentence, *org));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::super::testing::article_of_sentences;
    use super::*;

    fn body(before: &str, org: &str) -> bool {
        let words = name_words(org);
        Body::of(&before.to_lowercase(), before).is_some_and(|(b, _)| b.names(&words))
    }

    #[test]
    fn titles_name_their_bodies() {
        assert!(body("It may put Democrats in a spot, including Sen. ", "Senate"));
        assert!(body("energy amendments from Sens. ", "U.S. Senate"));
        assert!(body("as Attorney General ", "Justice Department"));
        assert!(body("Ontario Health Minister ", "Ministry of Health"));
        assert!(body("Sri Lanka's Defence Secretary ", "Ministry of Defence"));
        assert!(body("said Vice-Minister of Commerce ", "Ministry of Commerce"));
        assert!(body("threatened to kill Justice ", "Supreme Court"));
        assert!(body("Education Secretary ", "Department of Education"));
        // A state senator, a prime minister, a secretary general: no body of the article.
        assert!(!body("said state Sen. ", "Senate"));
        assert!(!body("Prime Minister ", "Prime Minister's Office"));
        assert!(!body("Health Minister ", "World Health Organization"));
        assert!(!body("former Foreign Minister ", "Office of Foreign Assets Control"));
        assert!(body("Home Secretary ", "Home Office"));
        assert!(!body("said Sen. ", "Senate Foreign Relations Committee"));
    }

    #[test]
    fn a_title_is_read_in_its_own_sentence_and_press_secretaries_speak_for_the_white_house() {
        use EntityType::{Organization, Person};
        let holders = |sentences: &[&str], names: &[(&str, EntityType)]| {
            let article = article_of_sentences(sentences, names);
            let index = TextIndex::new(&article.text);
            let found = office_holders(&article, &index);
            found
                .iter()
                .map(|&(p, o, r, _)| (article.entities[p].name.clone(), article.entities[o].name.clone(), r))
                .collect::<Vec<_>>()
        };
        // "Congress." ends the sentence before: it is no country of the title.
        let names =
            [("Senate", Organization), ("Democrats", Organization), ("Congress", Organization), ("Mike Crapo", Person)];
        assert_eq!(
            holders(
                &[
                    "The Senate's Democrats met.",
                    "They wanted consent from Congress.",
                    "Sen. Mike Crapo, R-Idaho, also has an amendment."
                ],
                &names
            ),
            [("Mike Crapo".to_string(), "Senate".to_string(), Role::Official)]
        );
        let names = [("White House", Organization), ("Karine Jean-Pierre", Person), ("Dmitry Peskov", Person)];
        let sentences = [
            "The White House said so.",
            "Biden weighed it, though press secretary Karine Jean-Pierre said he is still open to it.",
            "Kremlin press secretary Dmitry Peskov disagreed.",
        ];
        assert_eq!(
            holders(&sentences, &names),
            [("Karine Jean-Pierre".to_string(), "White House".to_string(), Role::Spokesperson)]
        );
    }

    #[test]
    fn people_listed_under_a_plural_title_hold_it() {
        use EntityType::{Location, Organization, Person};
        let holders = |sentence: &str, names: &[(&str, EntityType)]| {
            let mut all = vec![("Senate", Organization)];
            all.extend_from_slice(names);
            let article = article_of_sentences(&["The Senate met.", sentence], &all);
            let index = TextIndex::new(&article.text);
            let found = office_holders(&article, &index);
            found.iter().map(|&(p, _, _, _)| article.entities[p].name.clone()).collect::<Vec<_>>()
        };
        let names = [("John Barrasso", Person), ("Lindsey Graham", Person)];
        assert_eq!(
            holders("Amendments came from Sens. John Barrasso, R-Wyo., and Lindsey Graham, R-S.C.", &names),
            ["John Barrasso", "Lindsey Graham"]
        );
        let names = [("Susan Collins", Person), ("Maine", Location), ("Lisa Murkowski", Person)];
        assert_eq!(
            holders("Sens. Susan Collins of Maine and Lisa Murkowski of Alaska said no.", &names),
            ["Susan Collins", "Lisa Murkowski"]
        );
        // One senator's title is not the next person's; nor is a plural title's past a verb.
        let names = [("Mike Crapo", Person), ("Ann Lee", Person)];
        assert_eq!(holders("Sen. Mike Crapo and Ann Lee spoke.", &names), ["Mike Crapo"]);
        let names = [("Mike Crapo", Person), ("Ann Lee", Person)];
        assert_eq!(holders("Senators Mike Crapo said Ann Lee spoke.", &names), ["Mike Crapo"]);
    }
}
