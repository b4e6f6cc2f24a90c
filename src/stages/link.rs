//! link: relation records between an article's entities and themes.
//!
//! - `entity-topic`: an entity at least `min_salience` salient appears in sentences that carry a
//!   topic (the topic's evidence sentences). Weight = salience × share of the entity's
//!   sentences that carry the topic × the article's topic score.
//! - `person-company` / `person-organization`: a person's relation to an organisation stated in
//!   a sentence naming both (`relation::stated_role`), with its `role` and the `pattern` (the
//!   reading) that states it. Weight = that reading's confidence (`relation::confidence`, its
//!   precision measured on dev); evidence = the sentences that state it.
//!   A line crediting staff without naming an outlet ("Reporting by A; Editing by B") links them
//!   to the outlet of the article's dateline (`byline`), a title of public office ("Sen.
//!   X", "Attorney General X") to the body the article names for it (`office`), and a bare
//!   company title ("CEO X") to the article's own company (`company_title`), with the line as
//!   evidence; "his"/"her" before a party names its member (`party`).
//! - `person-organization-co-mention`: a person and an organisation named in the same sentence
//!   with no stated relation. Weight = number of such sentences.
//!
//! Evidence is the list of sentence ids. Needs the resolve stage's entities.

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use super::anaphora::references;
use super::byline::{article_outlet, credits_reporters, credits_staff};
use super::company_title::main_company_titles;
use super::office::office_holders;
use super::party::party_members;
use super::relation::{confidence, opens_with_role, role_at, stated_role, PairText};
use super::role_words::PUBLIC_OFFICE_TITLES;
use super::{missing, Stage, StageKind};
use crate::error::Result;
use crate::record::{Article, Entity, EntityType, Facet, Link as LinkRecord, LinkKind, Mention, RelationPattern, Role};
use crate::text_index::TextIndex;

/// The link stage's options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LinkOptions {
    /// Entities less salient than this get no entity↔topic links: a name mentioned once, late
    /// and nowhere else (a share button, one item of a list) is not what a theme is about.
    pub min_salience: f32,
}

/// The default cut: a single mention in the second half of an article, not in the title,
/// scores about 0.15-0.22; one in the first sentences or named twice scores above it.
pub const DEFAULT_MIN_SALIENCE: f32 = 0.25;

impl Default for LinkOptions {
    fn default() -> Self {
        LinkOptions { min_salience: DEFAULT_MIN_SALIENCE }
    }
}

pub struct Link {
    pub options: LinkOptions,
}

impl Stage for Link {
    fn kind(&self) -> StageKind {
        StageKind::Link
    }

    fn process(&mut self, mut article: Article) -> Result<Article> {
        if !article.mentions.is_empty() && article.entities.is_empty() {
            return Err(missing(Facet::Entities));
        }
        let sentences: Vec<BTreeSet<usize>> = article.entities.iter().map(|e| entity_sentences(e, &article)).collect();
        let mut links = entity_topic_links(&article, &sentences, self.options.min_salience);
        links.extend(person_organisation_links(&article, &sentences));
        article.links = links;
        Ok(article)
    }
}

fn entity_sentences(entity: &Entity, article: &Article) -> BTreeSet<usize> {
    entity.mentions.iter().map(|&m| article.mentions[m].sentence).collect()
}

fn entity_topic_links(article: &Article, sentences: &[BTreeSet<usize>], min_salience: f32) -> Vec<LinkRecord> {
    let mut links = Vec::new();
    for (entity, own) in article.entities.iter().zip(sentences).filter(|(e, _)| e.salience >= min_salience) {
        for topic in &article.topics {
            let evidence: Vec<usize> = topic.evidence.iter().copied().filter(|s| own.contains(s)).collect();
            if evidence.is_empty() {
                continue;
            }
            links.push(LinkRecord {
                kind: LinkKind::EntityTopic,
                source: entity.name.clone(),
                target: topic.topic.clone(),
                role: None,
                pattern: None,
                weight: entity.salience * evidence.len() as f32 / own.len() as f32 * topic.score,
                evidence,
            });
        }
    }
    links
}

/// Characters read before the pair ("a member of Y, X") and after the organisation ("X, Y's
/// founder").
const CONTEXT_CHARS: usize = 40;

/// The best role stated for `person` at `org` in sentence `sentence`, over their mention pairs;
/// `sentence_orgs` are all organisation mentions of that sentence.
fn role_in_sentence(
    article: &Article,
    index: &TextIndex,
    (person, org): (&Entity, &Entity),
    sentence: usize,
    sentence_orgs: &[&Mention],
) -> Option<(Role, RelationPattern)> {
    let in_sentence = |e: &Entity| -> Vec<&Mention> {
        e.mentions.iter().map(|&m| &article.mentions[m]).filter(|m| m.sentence == sentence).collect()
    };
    let people = in_sentence(person);
    let orgs = in_sentence(org);
    let other_orgs: Vec<&Mention> =
        sentence_orgs.iter().copied().filter(|m| !orgs.iter().any(|o| o.start == m.start)).collect();
    let mut best: Option<(Role, RelationPattern)> = None;
    for &p in &people {
        for &o in &orgs {
            let found = pair_role(article, index, p, o, &other_orgs).or_else(|| {
                coordinated_role(article, index, p, o, &other_orgs)
                    .map(|(role, _)| (role, RelationPattern::Coordinated))
            });
            if let Some(found) = found {
                if best.is_none_or(|b| confidence(found.1) > confidence(b.1)) {
                    best = Some(found);
                }
            }
        }
    }
    // A credit line says more than a bare possessive ("ABC News' A and B contributed to this report").
    if best.is_none_or(|(role, _)| role == Role::OtherRole) && other_orgs.is_empty() {
        let named_after = |p: &&Mention| orgs.iter().any(|o| o.end <= p.start);
        let bounds = article.sentences.get(sentence).map(|s| (s.start, s.end));
        if let Some((start, end)) = bounds.filter(|_| people.iter().any(named_after)) {
            if credits_reporters(index.slice(&article.text, start, end)) {
                best = Some((Role::Employee, RelationPattern::Credit));
            }
        }
    }
    best.map(|(role, pattern)| (role_at(role, org.label == EntityType::Company, &org.name), pattern))
}

/// The role an organisation's title gives a person coordinated after another it names: "led by
/// former judges Stephen Charles and Anthony Whealy", "Tech Stands Up founders A, B and C".
fn coordinated_role(
    article: &Article,
    index: &TextIndex,
    p: &Mention,
    o: &Mention,
    other_orgs: &[&Mention],
) -> Option<(Role, RelationPattern)> {
    let joined = |gap: &str| matches!(gap, " and " | ", " | ", and " | " & ");
    // "AP and NBC News reporters Ann Lee and Tom Wu": which of the two employs whom is not said.
    let shared_title =
        other_orgs.iter().any(|m| m.end <= o.start && joined(index.slice(&article.text, m.end, o.start)));
    if o.end > p.start || shared_title {
        return None;
    }
    let previous = article
        .mentions
        .iter()
        .filter(|m| m.sentence == p.sentence && m.label == EntityType::Person && m.start >= o.end && m.end <= p.start)
        .max_by_key(|m| m.end)?;
    if !joined(index.slice(&article.text, previous.end, p.start)) {
        return None;
    }
    // "Treasury Secretary Steven Mnuchin and Gary Cohn, director of the National Economic
    // Council": a person with a title of their own holds that one.
    let after = index.lowered(&article.text, p.end, p.end + CONTEXT_CHARS);
    if let Some(apposition) = after.strip_prefix(',') {
        let apposition = apposition.trim_start();
        let apposition = ["the ", "a ", "an "].iter().find_map(|d| apposition.strip_prefix(d)).unwrap_or(apposition);
        if opens_with_role(apposition) {
            return None;
        }
    }
    pair_role(article, index, previous, o, other_orgs)
        .or_else(|| coordinated_role(article, index, previous, o, other_orgs))
}

/// The role the text around person mention `p` and organisation mention `o` (one sentence)
/// states, if any; `other_orgs` are the sentence's other organisation mentions.
fn pair_role(
    article: &Article,
    index: &TextIndex,
    p: &Mention,
    o: &Mention,
    other_orgs: &[&Mention],
) -> Option<(Role, RelationPattern)> {
    let lower = |start: usize, end: usize| index.lowered(&article.text, start, end);
    let person_first = p.end <= o.start;
    if !person_first && o.end > p.start {
        return None; // overlapping spans
    }
    if person_first && is_sub_unit(article, index, p, o, other_orgs) {
        return None;
    }
    // "X, director of the BCJI, IS is targeting Morocco": the title's organisation is the one
    // it names with "of" / "at" before the comma; what follows starts another phrase.
    let listed_after = |m: &&&Mention| {
        m.start >= p.end && m.end <= o.start && lower(m.end, o.start).trim() == "," && {
            let title = lower(p.end, m.start);
            title.contains(" of ") || title.contains(" at ")
        }
    };
    if person_first && other_orgs.iter().any(|m| listed_after(&m)) {
        return None;
    }
    let between = if person_first { lower(p.end, o.start) } else { lower(o.end, p.start) };
    let after_org = lower(o.end, o.end + CONTEXT_CHARS);
    let first = p.start.min(o.start);
    let before = lower(first.saturating_sub(CONTEXT_CHARS), first);
    let after_person = lower(p.end, p.end + CONTEXT_CHARS);
    let org_text = lower(o.start, o.end);
    let stated = stated_role(&PairText {
        before: &before,
        between: &between,
        after_org: &after_org,
        after_person: &after_person,
        org: &org_text,
        person_first,
    });
    // "told Reuters Justice Minister X": no company has ministers or senators; the title is of
    // a body the sentence leaves unnamed.
    let office_title = || between.split(|c: char| !c.is_alphanumeric()).any(|w| PUBLIC_OFFICE_TITLES.contains(&w));
    match stated {
        Some((_, RelationPattern::TitleBefore)) if o.label == EntityType::Company && office_title() => None,
        other => other,
    }
}

/// Words that make a name an organisation in its own right, not a practice area or desk.
const BODY_NOUNS: &[&str] = &[
    "institute",
    "center",
    "centre",
    "unit",
    "initiative",
    "school",
    "college",
    "department",
    "division",
    "office",
    "bureau",
    "lab",
    "laboratory",
    "council",
    "committee",
    "agency",
    "foundation",
    "university",
    "academy",
    "program",
    "programme",
];

/// Whether organisation mention `o`, stated after person `p`, is a unit of another organisation
/// the same title names: "X, VP of Life Science and Healthcare at Silicon Valley Bank" (a unit
/// followed by "at"/"of" and the organisation), "X, ESA's head of Human Spaceflight" (the
/// organisation's possessive before the unit). The person's relation is to that organisation,
/// which its own pattern links. A unit whose name says it is a body of its own ("Institute of
/// International Business", "Center for Population Change") stays: the annotators name it.
/// Chosen 2026-11-26 on the false and missed links of train and dev.
fn is_sub_unit(article: &Article, index: &TextIndex, p: &Mention, o: &Mention, others: &[&Mention]) -> bool {
    let text = |start: usize, end: usize| index.slice(&article.text, start, end).to_lowercase();
    let unit = text(o.start, o.end);
    if unit.split(|c: char| !c.is_alphanumeric()).any(|w| BODY_NOUNS.contains(&w)) {
        return false;
    }
    others.iter().any(|m| {
        if m.start >= o.end {
            let between = text(o.end, m.start);
            let between = between.trim_end().trim_end_matches("the").trim();
            between == "at" || between == "of" || between == ", at"
        } else if m.start >= p.end && m.end <= o.start {
            // A title between: "'s head of", not a name NER split at its possessive ("Moody's Investors").
            let after = text(m.end, o.start);
            (after.starts_with("'s ") || after.starts_with("’s ")) && after.trim_end().ends_with(" of")
        } else {
            false
        }
    })
}

/// A sentence naming more people than this is a list (of attackers, of board members, of
/// signatories): it says nothing about which of them is tied to which organisation, so it is no
/// evidence of a co-mention. Chosen 2026-11-26 on the sample job's attack timeline (one article
/// gave 12% of all co-mentions, 6.9% with the cap) and checked on dev: co-mention recall 68.3
/// with a cap of 4 or 5 as without one, 67.1 with 3.
const MAX_PEOPLE_IN_CO_MENTION: usize = 4;

/// A relation stated without both names in one sentence: role, reading, evidence sentences.
type Implied = (Role, RelationPattern, Vec<usize>);

/// Relations that credit lines, titles of office and bare company titles state, by (person,
/// organisation) entity.
fn implied_relations(
    article: &Article,
    index: &TextIndex,
    orgs_in: &HashMap<usize, Vec<&Mention>>,
) -> HashMap<(usize, usize), Implied> {
    let mut implied: HashMap<(usize, usize), Implied> = HashMap::new();
    let mut add = |pair, role, pattern, sentence| {
        let entry = implied.entry(pair).or_insert((role, pattern, Vec::new()));
        if !entry.2.contains(&sentence) {
            entry.2.push(sentence);
        }
    };
    if let Some(outlet) = article_outlet(article, index) {
        for (person, sentence) in staff_credits(article, index, outlet, orgs_in) {
            add((person, outlet), Role::Employee, RelationPattern::DatelineCredit, sentence);
        }
    }
    for (person, body, role, sentence) in office_holders(article, index) {
        add((person, body), role, RelationPattern::Office, sentence);
    }
    for (person, company, role, sentence) in main_company_titles(article, index) {
        add((person, company), role, RelationPattern::CompanyTitle, sentence);
    }
    for (person, party, sentence) in party_members(article, index) {
        add((person, party), Role::Member, RelationPattern::Party, sentence);
    }
    for (pair, role, sentence) in referred_relations(article, index, orgs_in) {
        add(pair, role, RelationPattern::Reference, sentence);
    }
    implied
}

/// Relations a sentence states with the organisation or the person named by reference ("its
/// chief executive X", "She founded Y"), read by the same patterns as named pairs: (person,
/// organisation) entities, role, sentence.
fn referred_relations(
    article: &Article,
    index: &TextIndex,
    orgs_in: &HashMap<usize, Vec<&Mention>>,
) -> Vec<((usize, usize), Role, usize)> {
    let mut found = Vec::new();
    for stand_in in references(article, index) {
        let sentence_orgs = orgs_in.get(&stand_in.sentence).map_or(&[][..], Vec::as_slice);
        let pairs: Vec<(&Mention, &Mention)> = if stand_in.label == EntityType::Person {
            sentence_orgs.iter().map(|&o| (&stand_in, o)).collect()
        } else {
            let people =
                article.mentions.iter().filter(|m| m.sentence == stand_in.sentence && m.label == EntityType::Person);
            people.map(|p| (p, &stand_in)).collect()
        };
        for (p, o) in pairs {
            let (Some(person), Some(org)) = (p.entity, o.entity) else { continue };
            // "its" is a possessive: after the person it must name the role ("X, its founder"),
            // or "excluded Povetkin from its rating lists" reads as an affiliation.
            let after = index.lowered(&article.text, o.end, o.end + CONTEXT_CHARS);
            if p.end <= o.start && o.text.eq_ignore_ascii_case("its") && !opens_with_role(&after) {
                continue;
            }
            let others: Vec<&Mention> = sentence_orgs.iter().copied().filter(|m| m.entity != o.entity).collect();
            if let Some((role, _)) = pair_role(article, index, p, o, &others) {
                let org = &article.entities[org];
                let role = role_at(role, org.label == EntityType::Company, &org.name);
                found.push(((person, org.id), role, stand_in.sentence));
            }
        }
    }
    found
}

/// The people that lines naming no other organisation credit to the dateline's `outlet`, with
/// each line's sentence id.
fn staff_credits(
    article: &Article,
    index: &TextIndex,
    outlet: usize,
    orgs_in: &HashMap<usize, Vec<&Mention>>,
) -> Vec<(usize, usize)> {
    // Each sentence's person mentions, in text order, gathered once.
    let mut people_in: HashMap<usize, Vec<&Mention>> = HashMap::new();
    for m in article.mentions.iter().filter(|m| m.label == EntityType::Person) {
        people_in.entry(m.sentence).or_default().push(m);
    }
    let mut credited = Vec::new();
    for sentence in &article.sentences {
        let orgs = orgs_in.get(&sentence.id).map_or(&[][..], Vec::as_slice);
        if orgs.iter().any(|m| m.entity != Some(outlet)) {
            continue;
        }
        let people = people_in.get(&sentence.id).map_or(&[][..], Vec::as_slice);
        if credits_staff(&article.text, index, (sentence.start, sentence.end), people) {
            credited.extend(people.iter().filter_map(|m| m.entity).map(|person| (person, sentence.id)));
        }
    }
    credited
}

/// Stated relations (with role) and, for the other pairs named in one sentence, co-mentions.
fn person_organisation_links(article: &Article, sentences: &[BTreeSet<usize>]) -> Vec<LinkRecord> {
    let index = TextIndex::new(&article.text);
    // Each sentence's organisation mentions, gathered once rather than per pair.
    let mut orgs_in: HashMap<usize, Vec<&Mention>> = HashMap::new();
    for m in article.mentions.iter().filter(|m| m.label.is_organisation()) {
        orgs_in.entry(m.sentence).or_default().push(m);
    }
    let mut people_in: HashMap<usize, usize> = HashMap::new();
    for (_, own) in article.entities.iter().zip(sentences).filter(|(e, _)| e.label == EntityType::Person) {
        for &s in own {
            *people_in.entry(s).or_default() += 1;
        }
    }
    let implied = implied_relations(article, &index, &orgs_in);
    let mut links = Vec::new();
    for (person, own) in article.entities.iter().zip(sentences).filter(|(e, _)| e.label == EntityType::Person) {
        for (org, theirs) in article.entities.iter().zip(sentences) {
            let kind = match org.label {
                EntityType::Company => LinkKind::PersonCompany,
                EntityType::Organization => LinkKind::PersonOrganization,
                _ => continue,
            };
            let implied = implied.get(&(person.id, org.id));
            let shared: Vec<usize> = own.intersection(theirs).copied().collect();
            if shared.is_empty() && implied.is_none() {
                continue;
            }
            let stated: Vec<(usize, (Role, RelationPattern))> = shared
                .iter()
                .filter_map(|&s| {
                    let sentence_orgs = orgs_in.get(&s).map_or(&[][..], Vec::as_slice);
                    role_in_sentence(article, &index, (person, org), s, sentence_orgs).map(|found| (s, found))
                })
                .collect();
            let link = |kind, weight, evidence| LinkRecord {
                kind,
                source: person.name.clone(),
                target: org.name.clone(),
                role: None,
                pattern: None,
                weight,
                evidence,
            };
            // A stated relation's weight is its reading's confidence.
            let stated_link = |(role, pattern), evidence| LinkRecord {
                role: Some(role),
                pattern: Some(pattern),
                ..link(kind, confidence(pattern), evidence)
            };
            let best =
                stated.iter().map(|(_, found)| *found).max_by(|a, b| confidence(a.1).total_cmp(&confidence(b.1)));
            match (best, implied) {
                (Some(found), _) => links.push(stated_link(found, stated.iter().map(|(s, _)| *s).collect())),
                (None, Some((role, pattern, evidence))) => links.push(stated_link((*role, *pattern), evidence.clone())),
                (None, None) => {
                    let shared: Vec<usize> =
                        shared.into_iter().filter(|s| people_in[s] <= MAX_PEOPLE_IN_CO_MENTION).collect();
                    if !shared.is_empty() {
                        links.push(link(LinkKind::PersonOrganizationCoMention, shared.len() as f32, shared))
                    }
                }
            }
        }
    }
    links
}

#[cfg(test)]
mod tests {
    use super::super::testing::{article_of_sentences, one_sentence_article as article};
    use super::*;

    fn stated(article: &Article) -> Vec<(String, String)> {
        let sentences: Vec<BTreeSet<usize>> = article.entities.iter().map(|e| entity_sentences(e, article)).collect();
        person_organisation_links(article, &sentences)
            .into_iter()
            .filter(|l| l.kind != LinkKind::PersonOrganizationCoMention)
            .map(|l| (l.source, l.target))
            .collect()
    }

    #[test]
    fn a_title_links_the_person_to_the_organisation_not_to_its_unit() {
        use EntityType::{Company, Organization, Person};
        let pairs = |v: &[(&str, &str)]| v.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect::<Vec<_>>();
        let a = article(
            "HTG is driving important advancements, said Max Lautmann, VP of Life Science and Healthcare at Silicon Valley Bank.",
            &[("Max Lautmann", Person), ("Life Science and Healthcare", Organization), ("Silicon Valley Bank", Company)],
        );
        assert_eq!(stated(&a), pairs(&[("Max Lautmann", "Silicon Valley Bank")]));
        let a = article(
            "\"It's a good idea,\" says David Parker, ESA's head of Human Spaceflight and Robotic Exploration.",
            &[
                ("David Parker", Person),
                ("ESA", Organization),
                ("Human Spaceflight and Robotic Exploration", Organization),
            ],
        );
        assert_eq!(stated(&a), pairs(&[("David Parker", "ESA")]));
        // An organisation after the title's own and a comma starts another phrase.
        let a = article(
            "According to Adelhak Khiame, director of the BCJI, IS is targeting Morocco.",
            &[("Adelhak Khiame", Person), ("BCJI", Organization), ("IS", Organization)],
        );
        assert_eq!(stated(&a), pairs(&[("Adelhak Khiame", "BCJI")]));
        // A unit that is a body of its own keeps its link; a name split at its possessive too.
        let a = article(
            "Sang Baichuan, director of the Institute of International Business at the University of International Business and Economics, said.",
            &[
                ("Sang Baichuan", Person),
                ("Institute of International Business", Organization),
                ("University of International Business and Economics", Organization),
            ],
        );
        assert!(stated(&a).contains(&("Sang Baichuan".to_string(), "Institute of International Business".to_string())));
        let a = article(
            "Ivan Chuang, vice-president of Moody's Investors Service Inc, said.",
            &[("Ivan Chuang", Person), ("Moody", Company), ("Investors Service Inc", Company)],
        );
        assert!(stated(&a).contains(&("Ivan Chuang".to_string(), "Investors Service Inc".to_string())));
    }

    #[test]
    fn a_credit_line_links_every_reporter_it_lists_to_its_one_outlet() {
        use EntityType::{Company, Person};
        let a = article(
            "Reporting by the BBC's Tessa Wong, Kevin Ponniah and Jay Savage.",
            &[("BBC", Company), ("Tessa Wong", Person), ("Kevin Ponniah", Person), ("Jay Savage", Person)],
        );
        let mut links = stated(&a);
        links.sort();
        let expected = ["Jay Savage", "Kevin Ponniah", "Tessa Wong"].map(|p| (p.to_string(), "BBC".to_string()));
        assert_eq!(links, expected.to_vec());
        // Two organisations: the line does not say who works for which.
        let a = article(
            "AP and NBC News reporters Ann Lee and Tom Wu contributed to this report.",
            &[("AP", Company), ("NBC News", Company), ("Ann Lee", Person), ("Tom Wu", Person)],
        );
        assert!(!stated(&a).iter().any(|(p, _)| p == "Tom Wu"));
    }

    #[test]
    fn each_stated_link_names_its_reading_and_weighs_its_confidence() {
        use EntityType::{Company, Person};
        let reading = |text: &str, names: &[(&str, EntityType)]| {
            let a = article(text, names);
            let sentences: Vec<BTreeSet<usize>> = a.entities.iter().map(|e| entity_sentences(e, &a)).collect();
            let links = person_organisation_links(&a, &sentences);
            links.into_iter().map(|l| (l.kind, l.role, l.pattern, l.weight)).collect::<Vec<_>>()
        };
        let stated = |role, pattern| vec![(LinkKind::PersonCompany, Some(role), Some(pattern), confidence(pattern))];
        assert_eq!(
            reading("Jack Ma, the founder of Alibaba, met Trump.", &[("Jack Ma", Person), ("Alibaba", Company)]),
            stated(Role::Founder, RelationPattern::Apposition)
        );
        assert_eq!(
            reading("Apple chief executive Tim Cook said so.", &[("Apple", Company), ("Tim Cook", Person)]),
            stated(Role::Ceo, RelationPattern::TitleBefore)
        );
        assert_eq!(
            reading("Alibaba's Jack Ma said.", &[("Alibaba", Company), ("Jack Ma", Person)]),
            stated(Role::OtherRole, RelationPattern::Possessive)
        );
        // A co-mention names no reading.
        assert_eq!(
            reading("Jack Ma spoke after Alibaba reported.", &[("Jack Ma", Person), ("Alibaba", Company)]),
            [(LinkKind::PersonOrganizationCoMention, None, None, 1.0)]
        );
        // Readings measured to be surer weigh more.
        assert!(confidence(RelationPattern::Apposition) > confidence(RelationPattern::Affiliation));
    }

    #[test]
    fn a_credit_line_without_the_outlet_links_its_staff_to_the_dateline_outlet() {
        use EntityType::{Company, Person};
        let text = "SARAJEVO, Nov 26 (Reuters) - Minister Selmo Cikotic was charged.\nReporting by Daria Sito-Sucic; Editing by Peter Graff";
        let mut a = article(
            text,
            &[("Reuters", Company), ("Selmo Cikotic", Person), ("Daria Sito-Sucic", Person), ("Peter Graff", Person)],
        );
        // The credit line is its own sentence, after the story's (as segment puts it).
        let split = text.find('\n').unwrap() + 1;
        a.sentences[0].end = split - 1;
        a.sentences.push(crate::record::Sentence {
            id: 1,
            start: split,
            end: text.len(),
            tokens: vec![],
            credit: true,
        });
        a.mentions.iter_mut().filter(|m| m.start >= split).for_each(|m| m.sentence = 1);
        let credits: Vec<LinkRecord> = {
            let sentences: Vec<BTreeSet<usize>> = a.entities.iter().map(|e| entity_sentences(e, &a)).collect();
            person_organisation_links(&a, &sentences).into_iter().filter(|l| l.role == Some(Role::Employee)).collect()
        };
        let named: Vec<(&str, &str, &[usize])> =
            credits.iter().map(|l| (l.source.as_str(), l.target.as_str(), l.evidence.as_slice())).collect();
        assert_eq!(named, [("Daria Sito-Sucic", "Reuters", &[1][..]), ("Peter Graff", "Reuters", &[1][..])]);
        // The minister is no staff of the outlet that reports on him.
        assert!(!stated(&a).iter().any(|(p, _)| p == "Selmo Cikotic"));
    }

    #[test]
    fn no_company_gives_a_title_of_public_office() {
        use EntityType::{Company, Person};
        let told = article(
            "Sources told Reuters Justice Minister Florin Iordache is expected to resign.",
            &[("Reuters", Company), ("Florin Iordache", Person)],
        );
        assert!(stated(&told).is_empty());
        let ceo = article(
            "Sources told Reuters chief executive Tom Wu is expected to resign.",
            &[("Reuters", Company), ("Tom Wu", Person)],
        );
        assert_eq!(stated(&ceo), [("Tom Wu".to_string(), "Reuters".to_string())]);
    }

    #[test]
    fn a_reference_to_an_organisation_or_person_named_before_states_a_relation() {
        use EntityType::{Company, Location, Organization, Person};
        let uber = article_of_sentences(
            &[
                "Uber has faced a string of scandals this year.",
                "A video of its chief executive Travis Kalanick swearing at a driver appeared on social media.",
            ],
            &[("Uber", Company), ("Travis Kalanick", Person)],
        );
        let link = person_organisation_links(
            &uber,
            &uber.entities.iter().map(|e| entity_sentences(e, &uber)).collect::<Vec<_>>(),
        );
        assert_eq!(link.len(), 1);
        assert_eq!(
            (link[0].source.as_str(), link[0].target.as_str(), link[0].role),
            ("Travis Kalanick", "Uber", Some(Role::Ceo))
        );
        assert_eq!(link[0].evidence, [1]);
        let stated_in =
            |sentences: &[&str], names: &[(&str, EntityType)]| stated(&article_of_sentences(sentences, names));
        // "its" after a country is the country's; a described party is another than the one named.
        let country = stated_in(
            &["Acme Corp opened a plant in Japan.", "Its prime minister Fumio Kishida welcomed it."],
            &[("Acme Corp", Company), ("Japan", Location), ("Fumio Kishida", Person)],
        );
        assert!(country.is_empty());
        let party = stated_in(
            &[
                "Labour fought off defeat in the by-election.",
                "The anti-immigration party's new leader Paul Nuttall was running.",
            ],
            &[("Labour", Organization), ("Paul Nuttall", Person)],
        );
        assert!(party.is_empty());
        let ministry = stated_in(
            &["The Ministry of Commerce urged calm.", "Ministry spokesman Shen Danyang said so on Jan 5."],
            &[("Ministry of Commerce", Organization), ("Shen Danyang", Person)],
        );
        assert_eq!(ministry, [("Shen Danyang".to_string(), "Ministry of Commerce".to_string())]);
        // "the regulator" is the organisation named last, whatever the NER typed it.
        let regulator = stated_in(
            &[
                "BT must cut its prices, Ofcom said.",
                "The regulator's chief executive, Sharon White, told the press so.",
            ],
            &[("BT", Company), ("Ofcom", Company), ("Sharon White", Person)],
        );
        assert_eq!(regulator, [("Sharon White".to_string(), "Ofcom".to_string())]);
        // "its" before a thing it owns is no title: "from its rating lists" is no affiliation.
        let excluded = stated_in(
            &["The WBC met on Sunday.", "It excluded Alexander Povetkin from its rating lists."],
            &[("WBC", Organization), ("Alexander Povetkin", Person)],
        );
        assert!(excluded.is_empty());
        let founder = stated_in(
            &["The WBC met on Sunday.", "Alexander Povetkin, its founder, spoke."],
            &[("WBC", Organization), ("Alexander Povetkin", Person)],
        );
        assert_eq!(founder, [("Alexander Povetkin".to_string(), "WBC".to_string())]);
        // "She" is the one person the sentence before names; with two named, it could be either.
        let founded = |before: &str, names: &[(&str, EntityType)]| {
            stated(&article_of_sentences(&[before, "In June 2021, she founded Y Communicate."], names))
        };
        assert_eq!(
            founded("Yesenia Reinoso worked in marketing.", &[("Yesenia Reinoso", Person), ("Y Communicate", Company)]),
            [("Yesenia Reinoso".to_string(), "Y Communicate".to_string())]
        );
        assert!(founded(
            "Yesenia Reinoso met Ann Lee.",
            &[("Yesenia Reinoso", Person), ("Ann Lee", Person), ("Y Communicate", Company)]
        )
        .is_empty());
    }

    #[test]
    fn people_coordinated_after_a_title_share_it_unless_they_have_their_own() {
        use EntityType::{Organization, Person};
        let a = article(
            "The Centre for Public Integrity, led by former judges Stephen Charles and Anthony Whealy, criticised the proposal.",
            &[("Centre for Public Integrity", Organization), ("Stephen Charles", Person), ("Anthony Whealy", Person)],
        );
        let mut linked = stated(&a);
        linked.sort();
        let expected =
            ["Anthony Whealy", "Stephen Charles"].map(|p| (p.to_string(), "Centre for Public Integrity".to_string()));
        assert_eq!(linked, expected.to_vec());
        let a = article(
            "Treasury Secretary Steven Mnuchin and Gary Cohn, director of the National Economic Council, spoke.",
            &[
                ("Treasury", Organization),
                ("Steven Mnuchin", Person),
                ("Gary Cohn", Person),
                ("National Economic Council", Organization),
            ],
        );
        assert!(!stated(&a).contains(&("Gary Cohn".to_string(), "Treasury".to_string())));
    }

    #[test]
    fn no_break_spaces_read_as_spaces() {
        use EntityType::{Company, Person};
        let a = article(
            "Soldiers have battled the army for decades.(Reuters:\u{a0}Ann Wang)",
            &[("Reuters", Company), ("Ann Wang", Person)],
        );
        assert_eq!(stated(&a), [("Ann Wang".to_string(), "Reuters".to_string())]);
    }
}
