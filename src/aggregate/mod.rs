//! `newstag aggregate`: the dump-level graph over the tables of one or more runs.
//!
//! corpus_entities.csv: one row per entity of the dump (the same person or company across
//! articles) with article count, first/last date, top themes and name variants.
//! corpus_links.csv: person↔company, person↔organization and entity↔theme links with article
//! counts, first/last date and example article ids.
//!
//! Identity: an entity of the dump is its case-folded canonical name plus its NER-level type
//! (company and organization together, since company typing may differ between articles; the
//! row shows the type most articles gave). After the pass, a one-word person name ("Ma") joins
//! the one multi-word person of the dump ending with that word ("Jack Ma") when there is exactly
//! one; with two candidates ("Ivanka Trump", "Donald Trump") it stays apart.
//!
//! Memory: the tables are streamed article by article (see `read`); what is held is one record
//! per distinct entity and per distinct link, each bounded (at most `MAX_VARIANTS` name variants
//! and `EXAMPLES` example ids), so memory grows with the dump's vocabulary of names, not with its
//! number of articles or mentions.

mod read;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::record::{EntityType, LinkKind};
pub use read::{ArticleRows, OutputReader};

/// Example article ids kept per link.
const EXAMPLES: usize = 3;
/// Name variants tracked per entity (the most frequent `SHOWN_VARIANTS` are written).
const MAX_VARIANTS: usize = 32;
const SHOWN_VARIANTS: usize = 8;
/// Themes written per entity.
const SHOWN_THEMES: usize = 5;

/// A dump-level entity: NER-level type and case-folded name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct EntityKey {
    family: EntityType,
    folded: String,
}

impl EntityKey {
    fn new(kind: EntityType, name: &str) -> Self {
        EntityKey {
            family: kind.ner_level(),
            folded: name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Target {
    Entity(EntityKey),
    Theme(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct LinkKey {
    kind: LinkKind,
    source: EntityKey,
    target: Target,
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

#[derive(Debug, Default)]
struct EntityStats {
    /// Canonical names as articles gave them, with article counts.
    names: HashMap<String, u64>,
    types: BTreeMap<EntityType, u64>,
    articles: u64,
    mentions: u64,
    span: Span,
    themes: HashMap<String, u64>,
    /// Mention surfaces ("Ma", "Jack Ma", "Mr. Ma") with counts, at most MAX_VARIANTS.
    variants: HashMap<String, u64>,
}

impl EntityStats {
    fn merge(&mut self, other: EntityStats) {
        for (name, n) in other.names {
            *self.names.entry(name).or_default() += n;
        }
        for (kind, n) in other.types {
            *self.types.entry(kind).or_default() += n;
        }
        self.articles += other.articles;
        self.mentions += other.mentions;
        self.span.merge(&other.span);
        for (theme, n) in other.themes {
            *self.themes.entry(theme).or_default() += n;
        }
        for (variant, n) in other.variants {
            add_variant(&mut self.variants, &variant, n);
        }
    }
}

fn add_variant(variants: &mut HashMap<String, u64>, variant: &str, n: u64) {
    if let Some(count) = variants.get_mut(variant) {
        *count += n;
    } else if variants.len() < MAX_VARIANTS {
        variants.insert(variant.to_string(), n);
    }
}

#[derive(Debug, Default)]
struct LinkStats {
    articles: u64,
    span: Span,
    examples: Vec<String>,
}

impl LinkStats {
    fn add(&mut self, article_id: &str, day: Option<&str>) {
        self.articles += 1;
        self.span.add(day);
        if self.examples.len() < EXAMPLES {
            self.examples.push(article_id.to_string());
        }
    }
    fn merge(&mut self, other: LinkStats) {
        self.articles += other.articles;
        self.span.merge(&other.span);
        for id in other.examples {
            if self.examples.len() < EXAMPLES && !self.examples.contains(&id) {
                self.examples.push(id);
            }
        }
    }
}

/// The ISO day of a date as news data writes it ("2017-01-09", "2017/2/7", "2017-01-09T10:00Z"),
/// or None.
pub fn day_of(date: &str) -> Option<String> {
    let head: String = date.trim().chars().take_while(|c| c.is_ascii_digit() || matches!(c, '-' | '/' | '.')).collect();
    let mut parts = head.split(['-', '/', '.']).filter(|p| !p.is_empty());
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    let (y, m, d): (u32, u32, u32) = (year.parse().ok()?, month.parse().ok()?, day.parse().ok()?);
    (year.len() == 4 && (1..=12).contains(&m) && (1..=31).contains(&d)).then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// The dump-level graph being built.
#[derive(Default)]
pub struct Corpus {
    entities: HashMap<EntityKey, EntityStats>,
    links: HashMap<LinkKey, LinkStats>,
    pub articles: u64,
}

impl Corpus {
    /// Adds one article's rows.
    pub fn add(&mut self, rows: &ArticleRows) {
        self.articles += 1;
        let day = rows.article.date.as_deref().and_then(day_of);
        let day = day.as_deref();
        let mut by_id = HashMap::new();
        let mut by_name = HashMap::new();
        let mut counted = HashSet::new();
        for e in &rows.entities {
            let key = EntityKey::new(e.kind, &e.name);
            let stats = self.entities.entry(key.clone()).or_default();
            by_name.insert(e.name.as_str(), key.clone());
            // "Alibaba" and "ALIBABA" in one article are one entity of the dump, counted once.
            if counted.insert(key.clone()) {
                stats.articles += 1;
                *stats.names.entry(e.name.clone()).or_default() += 1;
                *stats.types.entry(e.kind).or_default() += 1;
                stats.span.add(day);
            }
            stats.mentions += e.mention_count as u64;
            by_id.insert(e.entity_id, key);
        }
        for m in &rows.mentions {
            if let Some(key) = m.entity_id.and_then(|id| by_id.get(&id)) {
                let stats = self.entities.get_mut(key).expect("entity of this article");
                add_variant(&mut stats.variants, m.text.trim(), 1);
            }
        }
        let mut seen = HashSet::new();
        for l in &rows.links {
            let key = match l.kind {
                LinkKind::EntityTopic => {
                    let Some(source) = by_name.get(l.source.as_str()) else { continue };
                    LinkKey { kind: l.kind, source: source.clone(), target: Target::Theme(l.target.clone()) }
                }
                // One key for both: company and organization are one node of the dump; the
                // written kind follows the type most articles gave the target (see `finish`).
                LinkKind::PersonCompany | LinkKind::PersonOrganization => LinkKey {
                    kind: LinkKind::PersonOrganization,
                    source: EntityKey::new(EntityType::Person, &l.source),
                    target: Target::Entity(EntityKey::new(EntityType::Organization, &l.target)),
                },
            };
            if !seen.insert(key.clone()) {
                continue;
            }
            if let (LinkKind::EntityTopic, Target::Theme(theme)) = (l.kind, &key.target) {
                if let Some(stats) = self.entities.get_mut(&key.source) {
                    *stats.themes.entry(theme.clone()).or_default() += 1;
                }
            }
            self.links.entry(key).or_default().add(&rows.article.article_id, day);
        }
    }

    /// One-word person names that stand for exactly one multi-word person of the dump.
    fn short_names(&self) -> HashMap<EntityKey, EntityKey> {
        let mut by_last_word: HashMap<&str, Vec<&EntityKey>> = HashMap::new();
        for key in self.entities.keys().filter(|k| k.family == EntityType::Person && k.folded.contains(' ')) {
            if let Some(last) = key.folded.rsplit(' ').next() {
                by_last_word.entry(last).or_default().push(key);
            }
        }
        self.entities
            .keys()
            .filter(|k| k.family == EntityType::Person && !k.folded.contains(' '))
            .filter_map(|short| match by_last_word.get(short.folded.as_str()).map(Vec::as_slice) {
                Some([full]) => Some((short.clone(), (*full).clone())),
                _ => None,
            })
            .collect()
    }

    /// The two corpus tables, entities ranked by article count.
    pub fn finish(mut self) -> (Vec<CorpusEntity>, Vec<CorpusLink>) {
        let merged = self.short_names();
        for (short, full) in &merged {
            if let Some(stats) = self.entities.remove(short) {
                self.entities.entry(full.clone()).or_default().merge(stats);
            }
        }
        let resolve = |key: EntityKey| merged.get(&key).cloned().unwrap_or(key);
        let mut links: HashMap<LinkKey, LinkStats> = HashMap::new();
        for (key, stats) in std::mem::take(&mut self.links) {
            let target = match key.target {
                Target::Entity(t) => Target::Entity(resolve(t)),
                theme => theme,
            };
            let key = LinkKey { kind: key.kind, source: resolve(key.source), target };
            links.entry(key).or_default().merge(stats);
        }

        let mut entities: Vec<(EntityKey, EntityStats)> = self.entities.into_iter().collect();
        entities.sort_by(|a, b| b.1.articles.cmp(&a.1.articles).then_with(|| a.0.cmp(&b.0)));
        let ids: HashMap<&EntityKey, usize> = entities.iter().enumerate().map(|(i, (k, _))| (k, i + 1)).collect();
        let mut corpus_links: Vec<CorpusLink> = links
            .into_iter()
            .filter_map(|(key, stats)| {
                let source_id = *ids.get(&key.source)?;
                let source = &entities[source_id - 1];
                let (kind, target_id, target, target_type) = match &key.target {
                    Target::Entity(t) => {
                        let id = *ids.get(t)?;
                        let (_, s) = &entities[id - 1];
                        let target_type = majority_type(s);
                        let kind = match target_type {
                            EntityType::Company => LinkKind::PersonCompany,
                            _ => LinkKind::PersonOrganization,
                        };
                        (kind, Some(id), top_name(s), target_type.as_str().to_string())
                    }
                    Target::Theme(theme) => (key.kind, None, theme.clone(), "theme".to_string()),
                };
                Some(CorpusLink {
                    kind,
                    source_id,
                    source: top_name(&source.1),
                    source_type: majority_type(&source.1),
                    target_id,
                    target,
                    target_type,
                    article_count: stats.articles,
                    first_date: stats.span.first,
                    last_date: stats.span.last,
                    example_articles: stats.examples.join(";"),
                })
            })
            .collect();
        corpus_links.sort_by(|a, b| {
            b.article_count
                .cmp(&a.article_count)
                .then_with(|| a.kind.cmp(&b.kind))
                .then_with(|| a.source_id.cmp(&b.source_id))
                .then_with(|| a.target.cmp(&b.target))
        });
        let corpus_entities = entities
            .iter()
            .enumerate()
            .map(|(i, (_, s))| CorpusEntity {
                entity_id: i + 1,
                name: top_name(s),
                entity_type: majority_type(s),
                article_count: s.articles,
                mention_count: s.mentions,
                first_date: s.span.first.clone(),
                last_date: s.span.last.clone(),
                top_themes: ranked(&s.themes, SHOWN_THEMES),
                variants: ranked(&s.variants, SHOWN_VARIANTS),
            })
            .collect();
        (corpus_entities, corpus_links)
    }
}

/// The canonical name most articles gave (ties: the longer, then the first in order).
fn top_name(stats: &EntityStats) -> String {
    stats
        .names
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| a.0.len().cmp(&b.0.len())).then_with(|| b.0.cmp(a.0)))
        .map(|(name, _)| name.clone())
        .unwrap_or_default()
}

fn majority_type(stats: &EntityStats) -> EntityType {
    stats.types.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0))).map_or(EntityType::Misc, |(t, _)| *t)
}

/// "a:3;b:1", most frequent first, at most `n`.
fn ranked(counts: &HashMap<String, u64>, n: usize) -> String {
    let mut list: Vec<(&String, &u64)> = counts.iter().collect();
    list.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    list.iter().take(n).map(|(k, v)| format!("{k}:{v}")).collect::<Vec<_>>().join(";")
}

#[derive(Debug, Serialize)]
pub struct CorpusEntity {
    pub entity_id: usize,
    pub name: String,
    #[serde(rename = "type")]
    pub entity_type: EntityType,
    pub article_count: u64,
    pub mention_count: u64,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    /// "trade:12;e-commerce-retail:7": articles linking the entity to each theme.
    pub top_themes: String,
    /// "Jack Ma:40;Ma:31": mention surfaces with counts.
    pub variants: String,
}

#[derive(Debug, Serialize)]
pub struct CorpusLink {
    pub kind: LinkKind,
    pub source_id: usize,
    pub source: String,
    pub source_type: EntityType,
    /// None for a theme.
    pub target_id: Option<usize>,
    pub target: String,
    pub target_type: String,
    pub article_count: u64,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    pub example_articles: String,
}

/// Aggregates the output folders `dirs` into `out`/corpus_entities.csv and corpus_links.csv
/// (each written to a temporary name, then renamed: never half-written). Returns the number
/// of articles read, entities and links written.
pub fn aggregate(dirs: &[&Path], out: &Path) -> Result<(u64, usize, usize)> {
    let mut corpus = Corpus::default();
    for dir in dirs {
        for rows in OutputReader::open(dir)? {
            corpus.add(&rows?);
        }
    }
    let articles = corpus.articles;
    let (entities, links) = corpus.finish();
    std::fs::create_dir_all(out).map_err(|e| Error::write(out, e))?;
    write_table(&out.join("corpus_entities.csv"), &entities)?;
    write_table(&out.join("corpus_links.csv"), &links)?;
    Ok((articles, entities.len(), links.len()))
}

fn write_table<T: Serialize>(path: &Path, rows: &[T]) -> Result<()> {
    let tmp = path.with_extension("csv.tmp");
    let table_error = |e: csv::Error| Error::Table { dir: path.to_path_buf(), source: e };
    let mut writer = csv::Writer::from_writer(crate::output::create(&tmp)?);
    for row in rows {
        writer.serialize(row).map_err(table_error)?;
    }
    let file = writer.into_inner().map_err(|e| Error::write(&tmp, e.into_error()))?;
    file.into_inner().map_err(|e| Error::write(&tmp, e.into_error()))?.sync_all().map_err(|e| Error::write(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| Error::write(path, e))
}

#[cfg(test)]
mod tests {
    use super::read::{ArticleIn, EntityIn, LinkIn, MentionIn};
    use super::*;

    fn article(id: &str, date: &str, entities: &[(&str, EntityType)], links: &[(LinkKind, &str, &str)]) -> ArticleRows {
        let key = format!("dump.jsonl:{id}");
        ArticleRows {
            article: ArticleIn { article_key: key.clone(), article_id: id.into(), date: Some(date.into()) },
            entities: entities
                .iter()
                .enumerate()
                .map(|(i, (name, kind))| EntityIn {
                    article_key: key.clone(),
                    entity_id: i,
                    name: name.to_string(),
                    kind: *kind,
                    mention_count: 1,
                })
                .collect(),
            mentions: entities
                .iter()
                .enumerate()
                .map(|(i, (name, _))| MentionIn {
                    article_key: key.clone(),
                    entity_id: Some(i),
                    text: name.to_string(),
                })
                .collect(),
            links: links
                .iter()
                .map(|(kind, s, t)| LinkIn {
                    article_key: key.clone(),
                    kind: *kind,
                    source: s.to_string(),
                    target: t.to_string(),
                })
                .collect(),
        }
    }

    #[test]
    fn the_same_person_and_company_across_articles_is_one_entity_and_one_link() {
        use EntityType::*;
        let mut corpus = Corpus::default();
        let pc = LinkKind::PersonCompany;
        corpus.add(&article(
            "a",
            "2017/2/7",
            &[("Jack Ma", Person), ("Alibaba", Company)],
            &[(pc, "Jack Ma", "Alibaba")],
        ));
        corpus.add(&article(
            "b",
            "2017-01-09",
            &[("Ma", Person), ("Alibaba", Organization)],
            &[(pc, "Ma", "Alibaba"), (LinkKind::EntityTopic, "Ma", "trade")],
        ));
        corpus.add(&article("c", "2018-03-01", &[("ALIBABA", Company)], &[]));
        let (entities, links) = corpus.finish();
        let ma = entities.iter().find(|e| e.name == "Jack Ma").expect("Jack Ma");
        assert_eq!((ma.article_count, ma.first_date.as_deref()), (2, Some("2017-01-09")));
        assert_eq!(ma.top_themes, "trade:1");
        assert!(ma.variants.contains("Ma:1") && ma.variants.contains("Jack Ma:1"), "{}", ma.variants);
        assert!(!entities.iter().any(|e| e.name == "Ma"), "short name not merged");
        let alibaba = entities.iter().find(|e| e.name == "Alibaba").expect("Alibaba");
        assert_eq!((alibaba.article_count, alibaba.entity_type), (3, Company));
        assert_eq!(alibaba.entity_id, 1, "ranked first by article count");
        let link = links.iter().find(|l| l.kind == pc).expect("person-company link");
        assert_eq!((link.source.as_str(), link.target.as_str(), link.article_count), ("Jack Ma", "Alibaba", 2));
        assert_eq!((link.first_date.as_deref(), link.last_date.as_deref()), (Some("2017-01-09"), Some("2017-02-07")));
        assert_eq!(link.example_articles, "a;b");
    }

    #[test]
    fn a_short_name_with_two_full_names_in_the_dump_stays_apart() {
        use EntityType::*;
        let mut corpus = Corpus::default();
        corpus.add(&article("a", "2017-01-01", &[("Donald Trump", Person), ("Ivanka Trump", Person)], &[]));
        corpus.add(&article("b", "2017-01-02", &[("Trump", Person)], &[]));
        let (entities, _) = corpus.finish();
        assert!(entities.iter().any(|e| e.name == "Trump" && e.article_count == 1));
    }

    #[test]
    fn days_are_read_from_the_usual_date_shapes() {
        assert_eq!(day_of("2017/2/7").as_deref(), Some("2017-02-07"));
        assert_eq!(day_of("2016-12-31T23:59:00Z").as_deref(), Some("2016-12-31"));
        assert_eq!(day_of("Feb 7, 2017"), None);
        assert_eq!(day_of("2017-13-01"), None);
    }
}
