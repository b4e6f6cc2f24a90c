//! The dump-level graph of one partition of the dump's entities: facts in, corpus rows out.
//! Every fact about an entity (and every link from it) lands in the same partition, and so do
//! all people sharing a last word, so a partition can merge "Ma" into "Jack Ma" on its own.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::record::{EntityType, LinkKind, Role};

/// Example article ids kept per link: the earliest ones (dated before undated, then by id), so
/// the choice does not depend on the order of the input.
const EXAMPLES: usize = 3;
/// Name variants tracked per entity (the most frequent `SHOWN_VARIANTS` are written).
const MAX_VARIANTS: usize = 32;
const SHOWN_VARIANTS: usize = 8;
/// Themes written per entity.
const SHOWN_THEMES: usize = 5;

/// A dump-level entity: NER-level type (company and organization together) and case-folded name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct EntityKey {
    pub family: EntityType,
    pub folded: String,
}

impl EntityKey {
    pub fn new(kind: EntityType, name: &str) -> Self {
        EntityKey {
            family: kind.ner_level(),
            folded: name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase(),
        }
    }

    /// What decides the partition: a person's last word (so "Ma" meets "Jack Ma"), else the name.
    pub fn partition_word(&self) -> &str {
        match self.family {
            EntityType::Person => self.folded.rsplit(' ').next().unwrap_or(&self.folded),
            _ => &self.folded,
        }
    }

    /// A stable id: the same entity gets the same id in every aggregate of every dump.
    pub fn id(&self) -> String {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(format!("{}\t{}", self.family, self.folded));
        hex::encode(&digest[..8])
    }

    fn is_short_person(&self) -> bool {
        self.family == EntityType::Person && !self.folded.contains(' ')
    }
}

/// What one article says, as written to a partition.
#[derive(Debug, Serialize, Deserialize)]
pub enum Fact {
    /// The article names this entity (once per article).
    Entity { key: EntityKey, name: String, kind: EntityType, mentions: u64, day: Option<String>, variants: Vec<String> },
    /// The article links this entity to an organisation (`target`) or a theme (`theme`).
    Link {
        kind: LinkKind,
        source: EntityKey,
        target: Option<(EntityKey, String, EntityType)>,
        theme: Option<String>,
        role: Option<Role>,
        article_id: String,
        day: Option<String>,
    },
}

impl Fact {
    pub fn partition_word(&self) -> &str {
        match self {
            Fact::Entity { key, .. } => key.partition_word(),
            Fact::Link { source, .. } => source.partition_word(),
        }
    }
}

/// First and last day seen (ISO dates compare as strings).
#[derive(Debug, Default, Clone)]
struct Span {
    first: Option<String>,
    last: Option<String>,
}

impl Span {
    fn add(&mut self, day: Option<&str>) {
        if let Some(day) = day {
            if self.first.as_deref().is_none_or(|f| day < f) {
                self.first = Some(day.to_string());
            }
            if self.last.as_deref().is_none_or(|l| day > l) {
                self.last = Some(day.to_string());
            }
        }
    }
    fn merge(&mut self, other: &Span) {
        self.add(other.first.as_deref());
        self.add(other.last.as_deref());
    }
}

fn bump<K: Ord>(counts: &mut BTreeMap<K, u64>, key: K, n: u64) {
    *counts.entry(key).or_default() += n;
}

#[derive(Debug, Default)]
struct EntityStats {
    /// Canonical names as articles gave them, with article counts.
    names: BTreeMap<String, u64>,
    types: BTreeMap<EntityType, u64>,
    articles: u64,
    mentions: u64,
    span: Span,
    themes: BTreeMap<String, u64>,
    /// Mention surfaces ("Ma", "Jack Ma", "Mr. Ma") with counts, at most MAX_VARIANTS.
    variants: BTreeMap<String, u64>,
}

impl EntityStats {
    fn merge(&mut self, other: EntityStats) {
        other.names.into_iter().for_each(|(k, n)| bump(&mut self.names, k, n));
        other.types.into_iter().for_each(|(k, n)| bump(&mut self.types, k, n));
        other.themes.into_iter().for_each(|(k, n)| bump(&mut self.themes, k, n));
        other.variants.into_iter().for_each(|(k, n)| add_variant(&mut self.variants, k, n));
        self.articles += other.articles;
        self.mentions += other.mentions;
        self.span.merge(&other.span);
    }
}

fn add_variant(variants: &mut BTreeMap<String, u64>, variant: String, n: u64) {
    if let Some(count) = variants.get_mut(&variant) {
        *count += n;
    } else if variants.len() < MAX_VARIANTS {
        variants.insert(variant, n);
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Target {
    Entity(EntityKey),
    Theme(String),
}

#[derive(Debug, Default)]
struct LinkStats {
    articles: u64,
    span: Span,
    /// (undated, day, article id) of the earliest articles, sorted.
    examples: Vec<(bool, Option<String>, String)>,
    /// The organisation's names and types as the articles gave them.
    target_names: BTreeMap<String, u64>,
    target_types: BTreeMap<EntityType, u64>,
    /// Stated roles with article counts.
    roles: BTreeMap<Role, u64>,
}

impl LinkStats {
    fn add_example(&mut self, example: (bool, Option<String>, String)) {
        if let Err(at) = self.examples.binary_search(&example) {
            self.examples.insert(at, example);
            self.examples.truncate(EXAMPLES);
        }
    }

    fn merge(&mut self, other: LinkStats) {
        self.articles += other.articles;
        self.span.merge(&other.span);
        other.examples.into_iter().for_each(|e| self.add_example(e));
        other.target_names.into_iter().for_each(|(k, n)| bump(&mut self.target_names, k, n));
        other.target_types.into_iter().for_each(|(k, n)| bump(&mut self.target_types, k, n));
        other.roles.into_iter().for_each(|(k, n)| bump(&mut self.roles, k, n));
    }
}

#[derive(Debug, Serialize)]
pub struct CorpusEntity {
    /// Stable across runs and dumps (hash of type and case-folded name).
    pub entity_id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub entity_type: EntityType,
    pub article_count: u64,
    pub mention_count: u64,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    /// "trade:12;e-commerce-retail:7": articles linking the entity to each theme.
    pub top_themes: String,
    /// "Jack Ma:40;Ma:31": mention surfaces with the number of articles using each.
    pub variants: String,
}

#[derive(Debug, Serialize)]
pub struct CorpusLink {
    pub kind: LinkKind,
    pub source_id: String,
    pub source: String,
    pub source_type: EntityType,
    /// None for a theme.
    pub target_id: Option<String>,
    pub target: String,
    /// company, organization or theme.
    pub target_type: String,
    /// Stated roles with article counts ("founder:3;ceo:1"); empty for co-mentions and themes.
    pub roles: String,
    pub article_count: u64,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    pub example_articles: String,
}

/// The graph of one partition being built.
#[derive(Default)]
pub struct Corpus {
    entities: HashMap<EntityKey, EntityStats>,
    links: HashMap<(LinkKind, EntityKey, Target), LinkStats>,
}

impl Corpus {
    pub fn add(&mut self, fact: Fact) {
        match fact {
            Fact::Entity { key, name, kind, mentions, day, variants } => {
                let stats = self.entities.entry(key).or_default();
                stats.articles += 1;
                stats.mentions += mentions;
                bump(&mut stats.names, name, 1);
                bump(&mut stats.types, kind, 1);
                stats.span.add(day.as_deref());
                variants.into_iter().for_each(|v| add_variant(&mut stats.variants, v, 1));
            }
            Fact::Link { kind, source, target, theme, role, article_id, day } => {
                let (target, target_name) = match (target, theme) {
                    (Some((key, name, kind)), _) => (Target::Entity(key), Some((name, kind))),
                    (None, Some(theme)) => {
                        if let Some(stats) = self.entities.get_mut(&source) {
                            bump(&mut stats.themes, theme.clone(), 1);
                        }
                        (Target::Theme(theme), None)
                    }
                    (None, None) => return,
                };
                let stats = self.links.entry((kind, source, target)).or_default();
                stats.articles += 1;
                stats.span.add(day.as_deref());
                stats.add_example((day.is_none(), day, article_id));
                if let Some(role) = role {
                    bump(&mut stats.roles, role, 1);
                }
                if let Some((name, kind)) = target_name {
                    bump(&mut stats.target_names, name, 1);
                    bump(&mut stats.target_types, kind, 1);
                }
            }
        }
    }

    /// One-word person names that stand for exactly one multi-word person of the partition
    /// (which holds every person of the dump with that last word).
    fn short_names(&self) -> HashMap<EntityKey, EntityKey> {
        let mut by_last_word: HashMap<&str, Vec<&EntityKey>> = HashMap::new();
        for key in self.entities.keys().filter(|k| k.family == EntityType::Person && !k.is_short_person()) {
            by_last_word.entry(key.partition_word()).or_default().push(key);
        }
        self.entities
            .keys()
            .filter(|k| k.is_short_person())
            .filter_map(|short| match by_last_word.get(short.folded.as_str()).map(Vec::as_slice) {
                Some([full]) => Some((short.clone(), (*full).clone())),
                _ => None,
            })
            .collect()
    }

    /// The partition's corpus rows, each table ranked by article count.
    pub fn finish(mut self) -> (Vec<CorpusEntity>, Vec<CorpusLink>) {
        let merged = self.short_names();
        for (short, full) in &merged {
            if let Some(mut stats) = self.entities.remove(short) {
                // "Ma" stays a variant; the name is the full one's.
                stats.names.clear();
                self.entities.entry(full.clone()).or_default().merge(stats);
            }
        }
        let mut links: HashMap<(LinkKind, EntityKey, Target), LinkStats> = HashMap::new();
        for ((kind, source, target), stats) in std::mem::take(&mut self.links) {
            let source = merged.get(&source).cloned().unwrap_or(source);
            links.entry((kind, source, target)).or_default().merge(stats);
        }
        let mut corpus_links: Vec<CorpusLink> = links
            .into_iter()
            .filter_map(|((kind, source, target), stats)| {
                let source_stats = self.entities.get(&source)?;
                let (kind, target_id, target, target_type) = match target {
                    Target::Entity(key) => {
                        // Company and organization are one node: the kind follows the type most
                        // articles gave the organisation.
                        let target_type = majority(&stats.target_types).unwrap_or(EntityType::Organization);
                        let kind = match (kind, target_type) {
                            (LinkKind::PersonOrganizationCoMention, _) => kind,
                            (_, EntityType::Company) => LinkKind::PersonCompany,
                            _ => LinkKind::PersonOrganization,
                        };
                        (kind, Some(key.id()), majority(&stats.target_names)?, target_type.to_string())
                    }
                    Target::Theme(theme) => (kind, None, theme, "theme".to_string()),
                };
                Some(CorpusLink {
                    kind,
                    source_id: source.id(),
                    source: majority(&source_stats.names)?,
                    source_type: majority(&source_stats.types)?,
                    target_id,
                    target,
                    target_type,
                    roles: ranked(&stats.roles.iter().map(|(r, n)| (r.to_string(), *n)).collect(), usize::MAX),
                    article_count: stats.articles,
                    first_date: stats.span.first,
                    last_date: stats.span.last,
                    example_articles: stats.examples.into_iter().map(|e| e.2).collect::<Vec<_>>().join(";"),
                })
            })
            .collect();
        corpus_links.sort_by(|a, b| {
            (b.article_count, &a.kind, &a.source_id, &a.target).cmp(&(
                a.article_count,
                &b.kind,
                &b.source_id,
                &b.target,
            ))
        });
        let mut corpus_entities: Vec<CorpusEntity> = self
            .entities
            .into_iter()
            .filter_map(|(key, s)| {
                Some(CorpusEntity {
                    entity_id: key.id(),
                    name: majority(&s.names)?,
                    entity_type: majority(&s.types)?,
                    article_count: s.articles,
                    mention_count: s.mentions,
                    first_date: s.span.first,
                    last_date: s.span.last,
                    top_themes: ranked(&s.themes, SHOWN_THEMES),
                    variants: ranked(&s.variants, SHOWN_VARIANTS),
                })
            })
            .collect();
        corpus_entities.sort_by(|a, b| (b.article_count, &a.entity_id).cmp(&(a.article_count, &b.entity_id)));
        (corpus_entities, corpus_links)
    }
}

/// The most frequent key (ties: the first in order).
fn majority<K: Ord + Clone>(counts: &BTreeMap<K, u64>) -> Option<K> {
    counts.iter().rev().max_by_key(|(_, n)| **n).map(|(k, _)| k.clone())
}

/// "a:3;b:1", most frequent first, at most `n`.
fn ranked(counts: &BTreeMap<String, u64>, n: usize) -> String {
    let mut list: Vec<(&String, &u64)> = counts.iter().collect();
    list.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    list.iter().take(n).map(|(k, v)| format!("{k}:{v}")).collect::<Vec<_>>().join(";")
}
