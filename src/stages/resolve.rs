//! resolve: group an article's mentions into canonical entities and type organisations as
//! `company` or `organization`.
//!
//! Grouping (inside one article, longest names first): a mention joins an entity when, after
//! dropping a leading "the" and a possessive "'s", it
//! - equals the entity's name (case-insensitive), or
//! - is made of words of the entity's name ("Ma" → "Jack Ma", "Alibaba" → "Alibaba Group"), or
//! - is the entity's acronym ("U.S."/"US" → "United States").
//!
//! Only mentions of the same family join (person / organisation / location / misc), except
//! that an identical name always joins and a person absorbs a surname mention the model typed
//! otherwise. The canonical name is the longest form (as running text writes it, not as a
//! capitals headline does); the type is the most frequent mention type. Then a name ending in
//! "s" that names another entity without its "s" joins it (an apostrophe lost in scraping:
//! "HTGs" → "HTG"), and spellings of one person's name join (`name_variants`: "Assad" →
//! "Bashar al-Assad", "Samoudi" → "Ali Samodi"). An organisation's acronym does not join, by the
//! word rule, a name of three words or more that contains it ("FBI" / "FBI Agents Association").
//!
//! Company vs organisation: by default the NER model's types (`CompanyTyping::Model`). With
//! `CompanyTyping::Lexicon`, a documented score: name words (`lexicon`: Inc, Group... vs
//! Department, Ministry, Representative...) weigh 3, cue words in the entity's sentences ("company",
//! "marketplace", "shares"... vs "government", "agency", "lawmakers"...) weigh 1 each.
//! Positive → company, otherwise organization.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::name_variants::merge_spelling_variants;
use super::{missing, Stage, StageKind};
use crate::error::Result;
use crate::lexicon::{name_class, NameClass};
use crate::record::{Article, Entity, EntityType, Facet, Mention};
use crate::text_index::TextIndex;

const NAME_WEIGHT: i32 = 3;
const COMPANY_CUES: &[&str] = &[
    "company",
    "companies",
    "firm",
    "giant",
    "retailer",
    "marketplace",
    "marketplaces",
    "platform",
    "site",
    "startup",
    "brand",
    "shares",
    "stock",
    "ceo",
    "founder",
    "chairman",
    "revenue",
    "sales",
    "sells",
    "products",
    "customers",
    "e-commerce",
    "operates",
    "subsidiary",
    "rival",
    "compete",
    "competitor",
    "investors",
    "acquisition",
    "merger",
    "listed",
    "nasdaq",
    "nyse",
    "profit",
    "profits",
    "earnings",
    "sellers",
    "business",
    "store",
    "stores",
    "app",
];
const ORGANIZATION_CUES: &[&str] = &[
    "government",
    "agency",
    "officials",
    "official",
    "minister",
    "lawmakers",
    "regulator",
    "ruling",
    "policy",
    "legislation",
    "voted",
    "vote",
    "election",
    "party",
    "spokesman",
    "spokeswoman",
    "senator",
    "secretary",
    "department",
    "federal",
    "state",
    "public",
];
const STOP_INITIALS: &[&str] = &["of", "the", "and", "for", "de"];

/// The resolve stage's options.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ResolveOptions {
    pub company_typing: CompanyTyping,
}

/// Who decides whether an organisation is a company.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum CompanyTyping {
    /// The NER model's types (its COM label, learnt from the annotation's company flag): the
    /// entity takes its mentions' most frequent type. Dev 2026-11-26: 96% of exactly found
    /// organisation spans typed right, against 67% for the lexicon score.
    #[default]
    Model,
    /// The lexicon score of the module docs, for a model without a COM label.
    Lexicon,
}

#[derive(Default)]
pub struct Resolve {
    options: ResolveOptions,
}

impl Resolve {
    pub fn new(options: ResolveOptions) -> Self {
        Resolve { options }
    }
}

impl Stage for Resolve {
    fn kind(&self) -> StageKind {
        StageKind::Resolve
    }

    fn process(&mut self, mut article: Article) -> Result<Article> {
        if article.sentences.is_empty() && !article.mentions.is_empty() {
            return Err(missing(Facet::Sentences));
        }
        let aliases = defined_aliases(&article.text, &article.mentions);
        let mut entities = group_with_aliases(&mut article.mentions, &aliases, apostrophes_lost(&article.text));
        for entity in &mut entities {
            if entity.label.is_organisation() && self.options.company_typing == CompanyTyping::Lexicon {
                entity.label = org_type(entity, &article);
            }
            for &m in &entity.mentions {
                if article.mentions[m].label != EntityType::Person || entity.label == EntityType::Person {
                    article.mentions[m].label = entity.label;
                }
            }
        }
        for entity in &mut entities {
            entity.salience = super::salience::salience(entity, &article);
        }
        article.entities = entities;
        Ok(article)
    }
}

/// The name of a mention without a leading article and trailing possessive.
pub fn clean_name(text: &str) -> String {
    let t = text.trim().trim_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != '&');
    let t = t.strip_prefix("the ").or_else(|| t.strip_prefix("The ")).unwrap_or(t);
    let t = t.strip_suffix("'s").or_else(|| t.strip_suffix("’s")).unwrap_or(t);
    let t = t.strip_suffix('\'').or_else(|| t.strip_suffix('’')).unwrap_or(t);
    // One space between words, also where a hard-wrapped line broke the name ("New\nJersey").
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Mentions of one family may name the same thing: company and organization are one family.
fn family(label: EntityType) -> EntityType {
    label.ner_level()
}

fn words(name: &str) -> Vec<String> {
    name.split_whitespace().map(|w| w.to_lowercase()).collect()
}

/// Initials of the capitalised words, hyphenated parts counted as words ("Paris Saint-Germain"
/// → "PSG", "Hewlett-Packard" → "HP").
fn acronym(name: &str) -> String {
    name.split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !STOP_INITIALS.contains(&w.to_lowercase().as_str()))
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_uppercase())
        .collect()
}

fn undotted(name: &str) -> String {
    name.chars().filter(|c| *c != '.' && !c.is_whitespace()).collect()
}

/// Whether a mention name refers to an entity already named `canonical`.
pub fn same_thing(mention: &str, canonical: &str) -> bool {
    if mention.eq_ignore_ascii_case(canonical) {
        return true;
    }
    let (m, c) = (words(mention), words(canonical));
    if !m.is_empty() && m.len() < c.len() && m.iter().all(|w| c.contains(w)) {
        return true;
    }
    let short = undotted(mention);
    short.len() >= 2
        && short.chars().all(char::is_uppercase)
        && (short == acronym(canonical) || short == undotted(canonical))
}

/// An entity being built: canonical name, type family, mention indices.
pub(super) type Group = (String, EntityType, Vec<usize>);

/// Moves group `from`'s mentions into group `into` and removes `from`; returns the index of
/// `into` after the removal.
fn absorb(groups: &mut Vec<Group>, from: usize, into: usize) -> usize {
    let (_, _, members) = groups.remove(from);
    let into = if into > from { into - 1 } else { into };
    groups[into].2.extend(members);
    into
}

/// Places whose name is the plural of another place's: never a lost apostrophe.
const PLURAL_PLACES: &[&str] = &["Americas", "Carolinas", "Dakotas", "Virginias", "Koreas"];

/// Scraped text often lost its apostrophes ("HTGs Chief Financial Officer", "Chinas internet
/// watchdog", "Al Jazeeras Natacha Butler"): a name ending in "s" joins the entity of the same
/// family that the name without its "s" refers to, when the article has one ("HTGs" → "HTG",
/// "Breitbart Newss" → "Breitbart News", "Trumps" → "Donald Trump"). Without such an entity the
/// name stays as it is ("Reuters", "Jones"), and so do places named in the plural
/// (`PLURAL_PLACES`: "the Americas" is not "America").
fn merge_lost_possessives(groups: &mut Vec<Group>, apostrophes_lost: bool) {
    let mut i = 0;
    while i < groups.len() {
        let plural_place = groups[i].1 == EntityType::Location && PLURAL_PLACES.contains(&groups[i].0.as_str());
        let stripped = groups[i]
            .0
            .strip_suffix('s')
            .filter(|s| !plural_place && s.chars().filter(|c| c.is_alphanumeric()).count() >= 2);
        // The entity of that very name first, then one it refers to.
        let target = stripped.and_then(|stripped| {
            let family = (0..groups.len()).filter(|&j| j != i && groups[j].1 == groups[i].1);
            family.clone().find(|&j| stripped.eq_ignore_ascii_case(&groups[j].0)).or_else(|| {
                let mut others = family;
                others.find(|&j| joins(stripped, &groups[j].0, groups[j].1))
            })
        });
        match target {
            Some(j) => {
                absorb(groups, i, j);
            }
            None => {
                if let Some(j) = stripped.filter(|_| apostrophes_lost).and_then(|s| surname_alone(groups, i, s)) {
                    // "Donald Trumps supporters" and "Trump said": the person is Donald Trump.
                    groups[i].0.pop();
                    i = absorb(groups, j, i);
                }
                i += 1;
            }
        }
    }
}

/// The one other person group named by the surname alone of `full` ("Trump" for "Donald
/// Trump"), when group `i` names a person in two words or more.
fn surname_alone(groups: &[Group], i: usize, full: &str) -> Option<usize> {
    let person = |j: usize| groups[j].1 == EntityType::Person;
    let surname = full.split_whitespace().last().filter(|_| full.contains(' ') && person(i))?;
    let mut named = (0..groups.len()).filter(|&j| j != i && person(j) && groups[j].0.eq_ignore_ascii_case(surname));
    match (named.next(), named.next()) {
        (Some(j), None) => Some(j),
        _ => None,
    }
}

/// Shortest text whose lack of any "'s" says its apostrophes were lost rather than unused.
const APOSTROPHE_TEXT_CHARS: usize = 1500;

/// An "'s" / "’s" and the word it ends.
static APOSTROPHE_S: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(\w+)['’]s\b").expect("apostrophe s pattern"));

/// Words whose "'s" is "is" or "has", not a possessive: "there's", "it's", "that's".
const CONTRACTION_HOSTS: &[&str] =
    &["it", "that", "there", "here", "what", "who", "he", "she", "let", "where", "how", "when", "why"];

/// Whether scraping dropped the text's apostrophes: a long text with no possessive "'s" / "’s"
/// (a contraction, "there's", may survive where possessives did not: stop 24, "Donald Trumps
/// supporters" in a text with three "There's"). Only then may a person's full name ending in
/// "s" be a possessive: "Chris Matthews" in a text that writes "Matthew's" is a name.
fn apostrophes_lost(text: &str) -> bool {
    text.len() >= APOSTROPHE_TEXT_CHARS
        && !APOSTROPHE_S.captures_iter(text).any(|c| !CONTRACTION_HOSTS.contains(&c[1].to_lowercase().as_str()))
}

/// Country short names that may open a body's name before its own first word.
const COUNTRY_PREFIXES: &[&str] = &["US", "U.S.", "UK", "U.K."];

/// Longest clipped name: "Fed", "Met", "Dems" are clipped; "Amazon" is a name of its own.
const MAX_CLIPPED_CHARS: usize = 4;

/// News clips a few organisations' first word ("the Fed" for the Federal Reserve, "the Met"
/// for the Metropolitan Police): a one-word organisation name of at most four letters joins
/// the one organisation of the article whose name of two words or more begins with a longer
/// word it starts ("Fed" → "Federal Reserve"; with "Federal Reserve" and "Federal Bureau of
/// Investigation" both named, nothing joins).
fn merge_clipped_names(groups: &mut Vec<Group>) {
    let mut i = 0;
    while i < groups.len() {
        let (name, family, _) = &groups[i];
        let clipped = *family == EntityType::Organization
            && (3..=MAX_CLIPPED_CHARS).contains(&name.chars().count())
            && name.chars().all(char::is_alphabetic)
            && name.chars().next().is_some_and(char::is_uppercase)
            && name.chars().skip(1).all(char::is_lowercase);
        let lower = name.to_lowercase();
        let mut longer = (0..groups.len()).filter(|&j| {
            // "US Federal Reserve": a country's short name before the body's own first word.
            let mut words = groups[j].0.split_whitespace().peekable();
            words.next_if(|w| COUNTRY_PREFIXES.contains(w));
            let first = words.next().unwrap_or("").to_lowercase();
            clipped
                && groups[j].1 == EntityType::Organization
                && groups[j].0.split_whitespace().count() >= 2
                && first.len() > lower.len()
                && first.starts_with(&lower)
        });
        match (longer.next(), longer.next()) {
            (Some(j), None) => {
                absorb(groups, i, j);
            }
            _ => i += 1,
        }
    }
}

/// Whether a mention `name` of `family` joins the entity named `canonical`: it refers to it,
/// and is not an acronym of which that name is a unit.
fn joins(name: &str, canonical: &str, family: EntityType) -> bool {
    same_thing(name, canonical) && !unit_of_acronym(name, canonical, family)
}

/// An organisation's acronym inside a longer name of three words or more names a unit of it
/// ("FBI" / "FBI Agents Association", "NHS" / "Milton Keynes University Hospital NHS Foundation
/// Trust", "BBC" / "BBC Radio 5"), not that name: the acronym does not join it by the word rule.
fn unit_of_acronym(name: &str, canonical: &str, family: EntityType) -> bool {
    let is_acronym = !name.contains(' ')
        && name.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && !name.chars().any(char::is_lowercase);
    let acronym_unit = is_acronym
        && canonical.split_whitespace().count() >= 3
        && undotted(name) != acronym(canonical)
        && undotted(name) != undotted(canonical);
    family == EntityType::Organization && (acronym_unit || named_unit(name, canonical))
}

/// Last words that make a name a unit of the body named at its start.
const UNIT_NOUNS: &[&str] =
    &["committee", "subcommittee", "caucus", "division", "unit", "section", "bureau", "office", "association"];

/// A name that opens a longer name of three words or more ending in a unit noun names the
/// parent body, not the unit: "Commons" / "Commons Foreign Affairs Select Committee", "Senate" /
/// "Senate Foreign Relations Committee" (the Speaker of the Commons is not the committee's).
fn named_unit(name: &str, canonical: &str) -> bool {
    let (n, c) = (words(name), words(canonical));
    c.len() >= 3 && n.len() < c.len() && c.starts_with(&n) && c.last().is_some_and(|w| UNIT_NOUNS.contains(&w.as_str()))
}

/// Longest alias a name may define in parentheses.
const MAX_ALIAS_CHARS: usize = 8;

/// Organisation names that the text defines an alias for in parentheses right after them:
/// "Institutional Revolutionary Party (PRI)", "Business Coordinating Council (CCE)" (acronyms
/// of names in another language, which the acronym rule cannot see). Pairs of mention indices
/// (name, alias).
fn defined_aliases(text: &str, mentions: &[Mention]) -> Vec<(usize, usize)> {
    let index = TextIndex::new(text);
    let mut order: Vec<usize> = (0..mentions.len()).collect();
    order.sort_by_key(|&m| mentions[m].start);
    order
        .windows(2)
        .filter_map(|pair| {
            let (name, alias) = (&mentions[pair[0]], &mentions[pair[1]]);
            let alias_like = !alias.text.contains(' ')
                && alias.text.chars().count() <= MAX_ALIAS_CHARS
                && alias.text.chars().filter(|c| c.is_uppercase()).count() >= 2;
            let organisations = name.label.is_organisation() && alias.label.is_organisation();
            let opens = matches!(index.slice(text, name.end, alias.start), " (" | "(");
            let closes = index.slice(text, alias.end, alias.end + 1) == ")";
            (alias_like && organisations && opens && closes && name.text.contains(' ')).then_some((pair[0], pair[1]))
        })
        .collect()
}

/// Puts the group holding each alias into the group holding its name.
fn merge_aliases(groups: &mut Vec<Group>, aliases: &[(usize, usize)]) {
    for &(name, alias) in aliases {
        let holding = |m: usize, groups: &[Group]| groups.iter().position(|g| g.2.contains(&m));
        if let (Some(i), Some(j)) = (holding(name, groups), holding(alias, groups)) {
            if i != j {
                absorb(groups, j, i);
            }
        }
    }
}

#[cfg(test)]
fn group(mentions: &mut [Mention]) -> Vec<Entity> {
    group_with_aliases(mentions, &[], false)
}

/// Groups mentions into entities; `aliases` are (name, alias) mentions the text defines as one;
/// `apostrophes_lost`: the text lost its apostrophes in scraping (`apostrophes_lost`).
fn group_with_aliases(mentions: &mut [Mention], aliases: &[(usize, usize)], apostrophes_lost: bool) -> Vec<Entity> {
    let mut order: Vec<usize> = (0..mentions.len()).collect();
    let length = |m: &Mention| clean_name(&m.text).split_whitespace().count();
    order.sort_by(|&a, &b| length(&mentions[b]).cmp(&length(&mentions[a])).then(a.cmp(&b)));
    let mut groups: Vec<Group> = Vec::new();
    for i in order {
        let name = clean_name(&mentions[i].text);
        let fam = family(mentions[i].label);
        let joins = groups.iter_mut().find(|(canonical, gfam, _)| {
            // The same name is the same thing whatever type the model gave one mention of it.
            if name.eq_ignore_ascii_case(canonical) {
                return true;
            }
            let compatible = *gfam == fam
                || (*gfam == EntityType::Person && words(canonical).iter().any(|w| *w == name.to_lowercase()));
            compatible && joins(&name, canonical, fam)
        });
        match joins {
            Some((canonical, _, members)) => {
                // "CHINESE" from a capitals headline is named as running text writes it.
                let shouting = |n: &str| !n.chars().any(char::is_lowercase);
                if shouting(canonical) && !shouting(&name) && name.eq_ignore_ascii_case(canonical) {
                    *canonical = name;
                }
                members.push(i);
            }
            None => groups.push((name, fam, vec![i])),
        }
    }
    merge_lost_possessives(&mut groups, apostrophes_lost);
    merge_spelling_variants(&mut groups);
    merge_clipped_names(&mut groups);
    merge_aliases(&mut groups, aliases);
    let mut entities: Vec<Entity> = groups
        .into_iter()
        .map(|(name, _, mut members)| {
            members.sort_unstable();
            let label = if surnames_of_person(&name, &members, mentions) {
                EntityType::Person
            } else {
                majority_label(members.iter().map(|&m| mentions[m].label))
            };
            let score = members.iter().map(|&m| mentions[m].score).sum::<f32>() / members.len() as f32;
            Entity {
                id: 0,
                name,
                label,
                first_start: mentions[members[0]].start,
                score,
                mentions: members,
                salience: 0.0,
            }
        })
        .collect();
    entities.sort_by_key(|e| e.first_start);
    for (id, e) in entities.iter_mut().enumerate() {
        e.id = id;
        for &m in &e.mentions {
            mentions[m].entity = Some(id);
        }
    }
    entities
}

/// Whether a group is a person named in full ("Attorney General Merrick Garland") whose other
/// mentions are one-word names the model typed otherwise ("Garland" as a place): a person,
/// however many such mentions outvote the full name.
fn surnames_of_person(name: &str, members: &[usize], mentions: &[Mention]) -> bool {
    let named_in_full = |m: &Mention| m.label == EntityType::Person && clean_name(&m.text).eq_ignore_ascii_case(name);
    name.contains(' ')
        && members.iter().any(|&m| named_in_full(&mentions[m]))
        && members
            .iter()
            .all(|&m| mentions[m].label == EntityType::Person || !clean_name(&mentions[m].text).contains(' '))
}

fn majority_label(labels: impl Iterator<Item = EntityType>) -> EntityType {
    let mut counts: Vec<(EntityType, usize)> = Vec::new();
    for l in labels {
        match counts.iter_mut().find(|(k, _)| *k == l) {
            Some((_, n)) => *n += 1,
            None => counts.push((l, 1)),
        }
    }
    // Earliest label wins ties: `max_by_key` keeps the last maximum, so search reversed.
    counts.iter().rev().max_by_key(|(_, n)| *n).map(|(l, _)| *l).expect("an entity has mentions")
}

/// company or organization, by the score described in the module docs.
fn org_type(entity: &Entity, article: &Article) -> EntityType {
    let name_words = words(&entity.name.replace(['.', ','], " "));
    let mut score = 0;
    for w in &name_words {
        match name_class(w) {
            Some(NameClass::Company) => score += NAME_WEIGHT,
            Some(NameClass::Organization) => score -= NAME_WEIGHT,
            _ => {}
        }
    }
    let mut sentences: Vec<usize> = entity.mentions.iter().map(|&m| article.mentions[m].sentence).collect();
    sentences.dedup();
    let mut cue_counts: HashMap<&str, i32> = HashMap::new();
    for s in sentences.iter().filter_map(|&id| article.sentences.get(id)) {
        for w in article.slice(s.start, s.end).split(|c: char| !c.is_alphanumeric() && c != '-') {
            let w = w.to_lowercase();
            if let Some(cue) = COMPANY_CUES.iter().find(|c| **c == w) {
                *cue_counts.entry(cue).or_default() += 1;
            } else if let Some(cue) = ORGANIZATION_CUES.iter().find(|c| **c == w) {
                *cue_counts.entry(cue).or_default() -= 1;
            }
        }
    }
    score += cue_counts.values().sum::<i32>();
    if score > 0 {
        EntityType::Company
    } else {
        EntityType::Organization
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mention(text: &str, label: EntityType, start: usize) -> Mention {
        Mention {
            text: text.into(),
            start,
            end: start + text.chars().count(),
            label,
            score: 1.0,
            sentence: 0,
            entity: None,
        }
    }

    #[test]
    fn names_refer_to_longer_forms_and_acronyms() {
        assert!(same_thing("Ma", "Jack Ma"));
        assert!(same_thing("Trump", "Donald Trump"));
        assert!(same_thing("U.S.", "United States"));
        assert!(same_thing("US", "U.S."));
        assert!(same_thing("PSG", "Paris Saint-Germain"));
        assert!(same_thing("HP", "Hewlett-Packard"));
        assert!(!same_thing("PS", "Paris Saint-Germain"));
        assert!(!same_thing("Amazon", "Alibaba"));
        assert!(!same_thing("China", "Chinese"));
        assert_eq!(clean_name("the U.S. Trade Representative's"), "U.S. Trade Representative");
    }

    #[test]
    fn an_acronym_does_not_join_a_longer_name_that_only_contains_it() {
        let org = EntityType::Organization;
        assert!(unit_of_acronym("FBI", "FBI Agents Association", org));
        assert!(unit_of_acronym("BBC", "BBC Radio 5", org));
        assert!(!unit_of_acronym("RB", "RB Leipzig", org), "two words: the club itself");
        assert!(!unit_of_acronym("WADA", "World Anti-Doping Agency", org), "its own acronym");
        assert!(!unit_of_acronym("TRUMP", "Donald John Trump", EntityType::Person));
        assert!(!unit_of_acronym("Alibaba", "Alibaba Group Holding", org), "a name, not a unit");
        assert!(unit_of_acronym("Commons", "Commons Foreign Affairs Select Committee", org));
        assert!(unit_of_acronym("Senate", "Senate Foreign Relations Committee", org));
        assert!(!unit_of_acronym("Foreign Relations", "Senate Foreign Relations Committee", org), "not its start");
    }

    #[test]
    fn a_name_that_lost_its_apostrophe_joins_the_entity_it_names() {
        let mut mentions = vec![
            mention("HTGs", EntityType::Company, 0),
            mention("HTG", EntityType::Company, 40),
            mention("Al Jazeeras", EntityType::Organization, 60),
            mention("Al Jazeera", EntityType::Company, 80),
            mention("Reuters", EntityType::Organization, 100),
            mention("Donald Trump", EntityType::Person, 120),
            mention("Trumps", EntityType::Person, 140),
            mention("America", EntityType::Location, 160),
            mention("Americas", EntityType::Location, 180),
        ];
        let names: Vec<(String, Vec<usize>)> = group(&mut mentions).into_iter().map(|e| (e.name, e.mentions)).collect();
        assert_eq!(
            names,
            vec![
                ("HTG".to_string(), vec![0, 1]),
                ("Al Jazeera".to_string(), vec![2, 3]),
                ("Reuters".to_string(), vec![4]),
                ("Donald Trump".to_string(), vec![5, 6]),
                ("America".to_string(), vec![7]),
                ("Americas".to_string(), vec![8]),
            ]
        );
    }

    #[test]
    fn a_full_name_that_lost_its_apostrophe_is_named_without_it_only_where_the_text_lost_them() {
        let people = || {
            vec![
                mention("Donald Trumps", EntityType::Person, 0),
                mention("Trump", EntityType::Person, 40),
                mention("Chris Matthews", EntityType::Person, 60),
                mention("Matthew", EntityType::Person, 80),
            ]
        };
        let names = |lost: bool| -> Vec<(String, Vec<usize>)> {
            let mut mentions = people();
            group_with_aliases(&mut mentions, &[], lost).into_iter().map(|e| (e.name, e.mentions)).collect()
        };
        // Both "Trumps" and "Matthews" read alike; only the text tells them apart.
        let stripped = names(true);
        assert_eq!(stripped[0], ("Donald Trump".to_string(), vec![0, 1]));
        assert_eq!(names(false).len(), 4);
        let long = "Trump".repeat(400);
        assert!(apostrophes_lost(&long));
        assert!(!apostrophes_lost(&format!("{long} Trump's")));
        assert!(apostrophes_lost(&format!("{long} There's more. It’s late.")), "contractions are no possessives");
        assert!(!apostrophes_lost("Trumps supporters"), "a short text says nothing");
    }

    #[test]
    fn a_person_named_in_full_stays_a_person_when_the_surname_is_typed_a_place() {
        let place = EntityType::Location;
        let mut mentions = vec![
            mention("Merrick Garland", EntityType::Person, 0),
            mention("Garland", place, 30),
            mention("Garland", place, 60),
        ];
        let entities = group(&mut mentions);
        assert_eq!((entities.len(), entities[0].label), (1, EntityType::Person));
        // A company the model once typed a person stays a company.
        let company = EntityType::Company;
        let mut mentions = vec![
            mention("Morgan Stanley", EntityType::Person, 0),
            mention("Morgan Stanley", company, 30),
            mention("Morgan Stanley", company, 60),
        ];
        assert_eq!(group(&mut mentions)[0].label, company);
    }

    #[test]
    fn a_clipped_name_joins_the_one_organisation_it_clips() {
        let org = EntityType::Organization;
        let names = |mentions: &mut Vec<Mention>| -> Vec<(String, Vec<usize>)> {
            group(mentions).into_iter().map(|e| (e.name, e.mentions)).collect()
        };
        let mut one = vec![
            mention("Federal Reserve", org, 0),
            mention("Fed", org, 30),
            mention("Amazon", EntityType::Company, 40),
        ];
        assert_eq!(names(&mut one), vec![("Federal Reserve".to_string(), vec![0, 1]), ("Amazon".to_string(), vec![2])]);
        // Two organisations it could clip: it stays itself.
        let mut two = vec![
            mention("Federal Reserve", org, 0),
            mention("Federal Bureau of Investigation", org, 20),
            mention("Fed", org, 60),
        ];
        assert_eq!(names(&mut two).len(), 3);
        // A country's short name before the body's own first word.
        let mut us = vec![mention("US Federal Reserve", org, 0), mention("Fed", org, 30)];
        assert_eq!(names(&mut us), vec![("US Federal Reserve".to_string(), vec![0, 1])]);
    }

    #[test]
    fn a_name_defines_the_alias_in_parentheses_after_it() {
        let org = EntityType::Organization;
        let text = "He joined the Institutional Revolutionary Party (PRI) in May. PRI leader Alejandro Moreno spoke. The Council said (CCE) nothing.";
        let at = |name: &str, from: usize| text[from..].find(name).unwrap() + from;
        let mut mentions = vec![
            mention("Institutional Revolutionary Party", org, at("Institutional", 0)),
            mention("PRI", org, at("PRI", 0)),
            mention("PRI", org, at("PRI leader", 0)),
            mention("Alejandro Moreno", EntityType::Person, at("Alejandro", 0)),
            mention("Council", org, at("Council said", 0)),
            mention("CCE", org, at("CCE", 0)),
        ];
        let aliases = defined_aliases(text, &mentions);
        assert_eq!(aliases, [(0, 1)], "a parenthesis after other words defines nothing");
        let names: Vec<(String, Vec<usize>)> =
            group_with_aliases(&mut mentions, &aliases, false).into_iter().map(|e| (e.name, e.mentions)).collect();
        assert_eq!(names[0], ("Institutional Revolutionary Party".to_string(), vec![0, 1, 2]));
        assert_eq!(names.len(), 4);
    }
}
