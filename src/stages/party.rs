//! Party membership stated with a possessive pronoun.
//!
//! "Aung San Suu Kyi and other figures from her National League for Democracy (NLD) party",
//! "Going forward, he will need support from Congress, dominated by his Republican Party":
//! the pronoun's person belongs to the party. The annotators read such phrases as membership
//! (train and dev misses, 2026-11-27, stop 22). Only parties: "his company" or "her foundation"
//! may be owned, run or merely favoured.

use std::sync::LazyLock;

use regex::Regex;

use super::anaphora::person_antecedent;
use crate::record::{Article, EntityType, Mention};
use crate::text_index::TextIndex;

/// "his " / "her ruling " / "His own " right before the organisation.
static POSSESSIVE_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|[^\w])(?:his|her)\s+(?:(?:own|ruling|former|new|the)\s+)?$")
        .expect("possessive pronoun pattern")
});

/// " party" right after the organisation, perhaps after its acronym: "(NLD) party".
static PARTY_AFTER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:\([^()]{1,12}\)\s*)?party\b").expect("party word pattern"));

/// Characters read before and after an organisation's mention.
const CONTEXT_CHARS: usize = 30;

fn is_party(article: &Article, index: &TextIndex, org: &Mention) -> bool {
    let named = org.entity.and_then(|e| article.entities.get(e)).map_or(org.text.as_str(), |e| e.name.as_str());
    let in_name = named.split(|c: char| !c.is_alphanumeric()).any(|w| w.eq_ignore_ascii_case("party"));
    in_name || PARTY_AFTER.is_match(&index.lowered(&article.text, org.end, org.end + CONTEXT_CHARS))
}

/// (person entity, party entity, sentence) for every party named right after "his" or "her":
/// the person is the nearest one named before the pronoun in its sentence, or else the first
/// named after the party in it, or else the one person the sentences just before name.
pub fn party_members(article: &Article, index: &TextIndex) -> Vec<(usize, usize, usize)> {
    let mut found = Vec::new();
    for org in article.mentions.iter().filter(|m| m.label.is_organisation()) {
        let Some(party) = org.entity else { continue };
        // The original text, not a lowercased copy, so that character counts map back to offsets.
        let preceding = index.slice(&article.text, org.start.saturating_sub(CONTEXT_CHARS), org.start);
        let Some(pronoun) = POSSESSIVE_BEFORE.find(preceding) else { continue };
        if !is_party(article, index, org) {
            continue;
        }
        let pronoun_start = org.start - preceding[pronoun.start()..].chars().count();
        let people = || article.mentions.iter().filter(|m| m.sentence == org.sentence && m.label == EntityType::Person);
        let before = people().filter(|m| m.end <= pronoun_start).max_by_key(|m| m.end);
        // "Despite a rift within his The Republicans party, Fillon has vowed": the clause's subject.
        let after = || people().find(|m| m.start >= org.end);
        let person = before.or_else(after).or_else(|| person_antecedent(article, org.sentence)).and_then(|m| m.entity);
        if let Some(person) = person {
            found.push((person, party, org.sentence));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::super::testing::article_of_sentences;
    use super::*;
    use EntityType::{Organization, Person};

    fn members(sentences: &[&str], names: &[(&str, EntityType)]) -> Vec<(String, String)> {
        let article = article_of_sentences(sentences, names);
        let index = TextIndex::new(&article.text);
        party_members(&article, &index)
            .into_iter()
            .map(|(p, o, _)| (article.entities[p].name.clone(), article.entities[o].name.clone()))
            .collect()
    }

    #[test]
    fn a_possessive_pronoun_before_a_party_states_membership() {
        let sentence =
            "Aung San Suu Kyi and other figures from her National League for Democracy (NLD) party were held.";
        assert_eq!(
            members(&[sentence], &[("Aung San Suu Kyi", Person), ("National League for Democracy", Organization)]),
            vec![("Aung San Suu Kyi".into(), "National League for Democracy".into())]
        );
        // The pronoun's person named in an earlier sentence.
        let sentences =
            ["Donald Trump took office on Friday.", "He will need Congress, dominated by his Republican Party."];
        assert_eq!(
            members(
                &sentences,
                &[("Donald Trump", Person), ("Congress", Organization), ("Republican Party", Organization)]
            ),
            vec![("Donald Trump".into(), "Republican Party".into())]
        );
    }

    #[test]
    fn other_organisations_and_other_possessives_state_nothing() {
        let sentence = "Jane Doe said her Acme Foundation would give more.";
        assert!(members(&[sentence], &[("Jane Doe", Person), ("Acme Foundation", Organization)]).is_empty());
        let sentence = "Jane Doe said the Labour Party would win.";
        assert!(members(&[sentence], &[("Jane Doe", Person), ("Labour Party", Organization)]).is_empty());
        // Two people named before: whose party is unknown, so no one is named at all.
        let sentences = ["Ann Lee met Bob Ray.", "Later his Labour Party lost."];
        assert!(
            members(&sentences, &[("Ann Lee", Person), ("Bob Ray", Person), ("Labour Party", Organization)]).is_empty()
        );
        // A clause before its subject: the subject, not the person of the sentence before.
        let sentences =
            ["He hired his wife, Penelope.", "Despite a rift within his Republican Party, Fillon will run."];
        assert_eq!(
            members(&sentences, &[("Penelope", Person), ("Republican Party", Organization), ("Fillon", Person)]),
            vec![("Fillon".into(), "Republican Party".into())]
        );
    }
}
