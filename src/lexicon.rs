//! Words of organisation names, shared by ner (which words END an organisation's name) and
//! resolve (which name words make it a company or a non-company organisation).
//!
//! One table, one row per word, so the two uses cannot drift apart.

/// What a name word says about the organisation it ends up in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameClass {
    /// "Inc", "Group", "Airlines": a business.
    Company,
    /// "Ministry", "University", "Party": not a business.
    Organization,
    /// Says nothing about which ("company" as a head word: "the Trump Organization company").
    Either,
}

pub struct NameWord {
    /// Lower-cased.
    pub word: &'static str,
    /// Ends an organisation's name: ner's organisation-head rule extends an entity over
    /// capitalised words up to such a head ("U.S. Trade Representative").
    pub head: bool,
    pub class: NameClass,
}

const fn w(word: &'static str, head: bool, class: NameClass) -> NameWord {
    NameWord { word, head, class }
}

use NameClass::{Company as C, Either as E, Organization as O};

pub const NAME_WORDS: &[NameWord] = &[
    // Company name words; the legal forms and a few generic heads also end a name.
    w("inc", true, C),
    w("corp", true, C),
    w("corporation", true, C),
    w("co", false, C),
    w("ltd", true, C),
    w("llc", true, C),
    w("plc", true, C),
    w("group", true, C),
    w("holdings", false, C),
    w("gmbh", false, C),
    w("ag", false, C),
    w("technologies", false, C),
    w("airlines", false, C),
    w("motors", false, C),
    w("bank", true, C),
    w("pharmaceuticals", false, C),
    w("energy", false, C),
    w("media", false, C),
    w("company", true, E),
    // Organisation name words.
    w("department", true, O),
    w("ministry", true, O),
    w("agency", true, O),
    w("commission", true, O),
    w("representative", true, O),
    w("congress", false, O),
    w("senate", false, O),
    w("house", false, O),
    w("party", true, O),
    w("council", true, O),
    w("court", true, O),
    w("university", true, O),
    w("college", false, O),
    w("school", false, O),
    w("bureau", true, O),
    w("office", true, O),
    w("administration", true, O),
    w("committee", true, O),
    w("police", false, O),
    w("army", false, O),
    w("navy", false, O),
    w("union", true, O),
    w("association", true, O),
    w("federation", true, O),
    w("institute", true, O),
    w("foundation", true, O),
    w("government", false, O),
    w("parliament", false, O),
    w("assembly", false, O),
    w("nations", false, O),
    w("league", false, O),
    w("church", false, O),
    w("hospital", false, O),
    w("authority", true, O),
    w("reserve", true, O),
    w("fund", true, O),
    w("organization", false, O),
    w("organisation", false, O),
    w("board", true, O),
    w("service", true, O),
    w("democrats", false, O),
    w("republicans", false, O),
    w("fbi", false, O),
    w("cia", false, O),
    w("nato", false, O),
    w("un", false, O),
    w("eu", false, O),
    w("who", false, O),
    w("pentagon", false, O),
];

fn find(lower: &str) -> Option<&'static NameWord> {
    NAME_WORDS.iter().find(|n| n.word == lower)
}

/// Whether a lower-cased word ends an organisation's name.
pub fn is_org_head(lower: &str) -> bool {
    find(lower).is_some_and(|n| n.head)
}

/// What a lower-cased name word says about company vs organisation, if anything.
pub fn name_class(lower: &str) -> Option<NameClass> {
    find(lower).map(|n| n.class).filter(|c| *c != NameClass::Either)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_unique_and_lower_case() {
        let mut seen = std::collections::HashSet::new();
        for n in NAME_WORDS {
            assert!(seen.insert(n.word), "{} twice", n.word);
            assert_eq!(n.word, n.word.to_lowercase());
        }
        assert!(is_org_head("representative") && is_org_head("company") && !is_org_head("house"));
        assert_eq!(name_class("group"), Some(NameClass::Company));
        assert_eq!(name_class("ministry"), Some(NameClass::Organization));
        assert_eq!(name_class("company"), None);
    }
}
