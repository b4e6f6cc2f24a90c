//! link: relation records between an article's entities and themes.
//!
//! - `entity-topic`: an entity at least `min_salience` salient appears in sentences that carry a
//!   topic (the topic's evidence sentences). Weight = salience × share of the entity's
//!   sentences that carry the topic × the article's topic score.
//! - `person-company` / `person-organization`: a person's relation to an organisation stated in
//!   a sentence naming both (`relation::stated_role`), with its `role`. Weight = the pattern's
//!   confidence; evidence = the sentences that state it.
//! - `person-organization-co-mention`: a person and an organisation named in the same sentence
//!   with no stated relation. Weight = number of such sentences.
//!
//! Evidence is the list of sentence ids. Needs the resolve stage's entities.

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use super::relation::{stated_role, PairText};
use super::{missing, Stage, StageKind};
use crate::error::Result;
use crate::record::{Article, Entity, EntityType, Facet, Link as LinkRecord, LinkKind, Mention, Role};
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

/// The best role stated for `person` at `org` in sentence `sentence`, over their mention pairs.
fn role_in_sentence(
    article: &Article,
    index: &TextIndex,
    person: &Entity,
    org: &Entity,
    sentence: usize,
) -> Option<(Role, f32)> {
    let lower = |start: usize, end: usize| index.slice(&article.text, start, end).to_lowercase();
    let in_sentence = |e: &Entity| -> Vec<&Mention> {
        e.mentions.iter().map(|&m| &article.mentions[m]).filter(|m| m.sentence == sentence).collect()
    };
    let orgs = in_sentence(org);
    let mut best: Option<(Role, f32)> = None;
    for p in in_sentence(person) {
        for &o in &orgs {
            let person_first = p.end <= o.start;
            if !person_first && o.end > p.start {
                continue; // overlapping spans
            }
            let between = if person_first { lower(p.end, o.start) } else { lower(o.end, p.start) };
            let after_org = lower(o.end, (o.end + CONTEXT_CHARS).min(index.char_len()));
            let first = p.start.min(o.start);
            let before = lower(first.saturating_sub(CONTEXT_CHARS), first);
            let text = PairText { before: &before, between: &between, after_org: &after_org, person_first };
            if let Some(found) = stated_role(&text) {
                if best.is_none_or(|b| found.1 > b.1) {
                    best = Some(found);
                }
            }
        }
    }
    best
}

/// A sentence naming more people than this is a list (of attackers, of board members, of
/// signatories): it says nothing about which of them is tied to which organisation, so it is no
/// evidence of a co-mention. Chosen 2026-11-26 on the sample job's attack timeline (one article
/// gave 12% of all co-mentions, 6.9% with the cap) and checked on dev: co-mention recall 68.3
/// with a cap of 4 or 5 as without one, 67.1 with 3.
const MAX_PEOPLE_IN_CO_MENTION: usize = 4;

/// Stated relations (with role) and, for the other pairs named in one sentence, co-mentions.
fn person_organisation_links(article: &Article, sentences: &[BTreeSet<usize>]) -> Vec<LinkRecord> {
    let index = TextIndex::new(&article.text);
    let mut people_in: HashMap<usize, usize> = HashMap::new();
    for (_, own) in article.entities.iter().zip(sentences).filter(|(e, _)| e.label == EntityType::Person) {
        for &s in own {
            *people_in.entry(s).or_default() += 1;
        }
    }
    let mut links = Vec::new();
    for (person, own) in article.entities.iter().zip(sentences).filter(|(e, _)| e.label == EntityType::Person) {
        for (org, theirs) in article.entities.iter().zip(sentences) {
            let kind = match org.label {
                EntityType::Company => LinkKind::PersonCompany,
                EntityType::Organization => LinkKind::PersonOrganization,
                _ => continue,
            };
            let shared: Vec<usize> = own.intersection(theirs).copied().collect();
            if shared.is_empty() {
                continue;
            }
            let stated: Vec<(usize, (Role, f32))> = shared
                .iter()
                .filter_map(|&s| role_in_sentence(article, &index, person, org, s).map(|found| (s, found)))
                .collect();
            let link = |kind, role, weight, evidence| LinkRecord {
                kind,
                source: person.name.clone(),
                target: org.name.clone(),
                role,
                weight,
                evidence,
            };
            match stated.iter().map(|(_, found)| *found).max_by(|a, b| a.1.total_cmp(&b.1)) {
                Some((role, confidence)) => {
                    links.push(link(kind, Some(role), confidence, stated.iter().map(|(s, _)| *s).collect()))
                }
                None => {
                    let shared: Vec<usize> =
                        shared.into_iter().filter(|s| people_in[s] <= MAX_PEOPLE_IN_CO_MENTION).collect();
                    if !shared.is_empty() {
                        links.push(link(LinkKind::PersonOrganizationCoMention, None, shared.len() as f32, shared))
                    }
                }
            }
        }
    }
    links
}
