//! link: relation records between an article's entities and themes.
//!
//! - `entity-topic`: an entity appears in sentences that carry a topic (the topic's evidence
//!   sentences). Weight = share of the entity's sentences that carry the topic, times the
//!   article's topic score.
//! - `person-company` / `person-organization`: a person and an organisation named in the same
//!   sentence. Weight = number of such sentences.
//!
//! Evidence is the list of sentence ids. Needs the resolve stage's entities.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::{missing, Stage, StageKind};
use crate::error::Result;
use crate::record::{Article, Entity, EntityType, Facet, Link as LinkRecord, LinkKind};

/// The link stage's options (none yet; the struct keeps the configuration format stable).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LinkOptions {}

pub struct Link;

impl Stage for Link {
    fn kind(&self) -> StageKind {
        StageKind::Link
    }

    fn process(&mut self, mut article: Article) -> Result<Article> {
        if !article.mentions.is_empty() && article.entities.is_empty() {
            return Err(missing(Facet::Entities));
        }
        let sentences: Vec<BTreeSet<usize>> = article.entities.iter().map(|e| entity_sentences(e, &article)).collect();
        let mut links = entity_topic_links(&article, &sentences);
        links.extend(co_mention_links(&article, &sentences));
        article.links = links;
        Ok(article)
    }
}

fn entity_sentences(entity: &Entity, article: &Article) -> BTreeSet<usize> {
    entity.mentions.iter().map(|&m| article.mentions[m].sentence).collect()
}

fn entity_topic_links(article: &Article, sentences: &[BTreeSet<usize>]) -> Vec<LinkRecord> {
    let mut links = Vec::new();
    for (entity, own) in article.entities.iter().zip(sentences) {
        for topic in &article.topics {
            let evidence: Vec<usize> = topic.evidence.iter().copied().filter(|s| own.contains(s)).collect();
            if evidence.is_empty() {
                continue;
            }
            links.push(LinkRecord {
                kind: LinkKind::EntityTopic,
                source: entity.name.clone(),
                target: topic.topic.clone(),
                weight: evidence.len() as f32 / own.len() as f32 * topic.score,
                evidence,
            });
        }
    }
    links
}

fn co_mention_links(article: &Article, sentences: &[BTreeSet<usize>]) -> Vec<LinkRecord> {
    let mut links = Vec::new();
    for (person, own) in article.entities.iter().zip(sentences).filter(|(e, _)| e.label == EntityType::Person) {
        for (org, theirs) in article.entities.iter().zip(sentences) {
            let kind = match org.label {
                EntityType::Company => LinkKind::PersonCompany,
                EntityType::Organization => LinkKind::PersonOrganization,
                _ => continue,
            };
            let evidence: Vec<usize> = own.intersection(theirs).copied().collect();
            if evidence.is_empty() {
                continue;
            }
            links.push(LinkRecord {
                kind,
                source: person.name.clone(),
                target: org.name.clone(),
                weight: evidence.len() as f32,
                evidence,
            });
        }
    }
    links
}
