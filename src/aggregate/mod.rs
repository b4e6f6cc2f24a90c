//! `newstag aggregate`: the dump-level graph over the tables of one or more runs.
//!
//! corpus_entities.csv: one row per entity of the dump (the same person or company across
//! articles) with a stable id, article count, first/last date, top themes and name variants.
//! corpus_links.csv: person↔company, person↔organization and entity↔theme links with article
//! counts, first/last date and example article ids.
//!
//! Identity: an entity of the dump is its case-folded canonical name plus its NER-level type
//! (company and organization together, since company typing may differ between articles; the
//! row shows the type most articles gave). A one-word person name ("Ma") joins the one
//! multi-word person of the dump ending with that word ("Jack Ma") when there is exactly one;
//! with two candidates ("Ivanka Trump", "Donald Trump") it stays apart.
//!
//! Memory: the tables are streamed article by article (see `read`) into facts, which are
//! spilled to partition files on disk by entity (a person by last word, so "Ma" and "Jack Ma"
//! share one); each partition is then aggregated alone. Memory holds one partition's entities
//! and links, and the number of partitions grows with the input (`PARTITION_BYTES` of tables
//! each), so it stays bounded whatever the size of the dump. Rows are ranked by article count
//! within a partition; a dump small enough for one partition gets fully ranked tables.

mod corpus;
mod read;

use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Error, Result};
use crate::record::{EntityType, LinkKind};
pub use corpus::{Corpus, CorpusEntity, CorpusLink, EntityKey, Fact};
pub use read::{ArticleRows, OutputReader};

/// Bytes of input tables per partition: a partition's facts are about as large, and its
/// aggregate a few times that in memory.
const PARTITION_BYTES: u64 = 16 << 20;
const MAX_PARTITIONS: u64 = 4096;

/// The ISO day of a date as news data writes it ("2017-01-09", "2017/2/7", "2017-01-09T10:00Z"),
/// or None.
pub fn day_of(date: &str) -> Option<String> {
    let head: String = date.trim().chars().take_while(|c| c.is_ascii_digit() || matches!(c, '-' | '/' | '.')).collect();
    let mut parts = head.split(['-', '/', '.']).filter(|p| !p.is_empty());
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    let (y, m, d): (u32, u32, u32) = (year.parse().ok()?, month.parse().ok()?, day.parse().ok()?);
    (year.len() == 4 && (1..=12).contains(&m) && (1..=31).contains(&d)).then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// What one article says about the dump's entities and links.
pub fn facts(rows: ArticleRows) -> Vec<Fact> {
    let day = rows.article.date.as_deref().and_then(day_of);
    let mut facts = Vec::new();
    // (entity id, canonical name, dump-level key) of each entity of the article.
    let keys: Vec<(usize, &str, EntityKey)> =
        rows.entities.iter().map(|e| (e.entity_id, e.name.as_str(), EntityKey::new(e.kind, &e.name))).collect();
    let key_of = |id: usize| keys.iter().find(|k| k.0 == id).map(|k| &k.2);
    let mut counted = HashSet::new();
    for (e, (_, _, key)) in rows.entities.iter().zip(&keys) {
        // "Alibaba" and "ALIBABA" in one article are one entity of the dump, counted once.
        if !counted.insert(key) {
            continue;
        }
        let mut variants: Vec<String> = rows
            .mentions
            .iter()
            .filter(|m| m.entity_id.and_then(key_of) == Some(key))
            .map(|m| m.text.trim().to_string())
            .collect();
        variants.sort();
        variants.dedup();
        let mentions: usize =
            rows.entities.iter().zip(&keys).filter(|(_, k)| k.2 == *key).map(|(o, _)| o.mention_count).sum();
        facts.push(Fact::Entity {
            key: key.clone(),
            name: e.name.clone(),
            kind: e.kind,
            mentions: mentions as u64,
            day: day.clone(),
            variants,
        });
    }
    let mut seen = HashSet::new();
    for l in &rows.links {
        let (source, target, theme) = match l.kind {
            LinkKind::EntityTopic => {
                let Some((_, _, source)) = keys.iter().find(|k| k.1 == l.source) else { continue };
                (source.clone(), None, Some(l.target.clone()))
            }
            LinkKind::PersonCompany | LinkKind::PersonOrganization | LinkKind::PersonOrganizationCoMention => {
                let kind =
                    rows.entities.iter().find(|e| e.name == l.target).map_or(EntityType::Organization, |e| e.kind);
                let target = (EntityKey::new(kind, &l.target), l.target.clone(), kind);
                (EntityKey::new(EntityType::Person, &l.source), Some(target), None)
            }
        };
        // One kind for stated relations to a company or an organisation: they are one node of
        // the dump, and the written kind follows the type most articles gave the target.
        let kind = if l.kind == LinkKind::PersonCompany { LinkKind::PersonOrganization } else { l.kind };
        if !seen.insert((kind, source.clone(), target.as_ref().map(|t| t.0.clone()), theme.clone())) {
            continue;
        }
        facts.push(Fact::Link {
            kind,
            source,
            target,
            theme,
            role: l.role,
            article_id: rows.article.article_id.clone(),
            day: day.clone(),
        });
    }
    facts
}

fn partition_of(fact: &Fact, partitions: usize) -> usize {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    fact.partition_word().hash(&mut hasher);
    (hasher.finish() % partitions as u64) as usize
}

/// Size of the tables aggregate reads in `dirs`.
fn input_bytes(dirs: &[&Path]) -> u64 {
    let tables = ["articles.csv", "entities.csv", "mentions.csv", "links.csv"];
    dirs.iter()
        .flat_map(|d| tables.iter().map(move |t| d.join(t)))
        .filter_map(|p| p.metadata().ok())
        .map(|m| m.len())
        .sum()
}

/// What `aggregate` did.
#[derive(Debug, Default, Serialize)]
pub struct AggregateSummary {
    pub articles: u64,
    pub entities: u64,
    pub links: u64,
    pub partitions: usize,
}

/// Aggregates the output folders `dirs` into `out`/corpus_entities.csv and corpus_links.csv,
/// each written under a temporary name and renamed when complete (never half-written).
pub fn aggregate(dirs: &[&Path], out: &Path) -> Result<AggregateSummary> {
    let partitions = input_bytes(dirs).div_ceil(PARTITION_BYTES).clamp(1, MAX_PARTITIONS) as usize;
    let spill = out.join(".aggregate-partitions");
    if spill.exists() {
        std::fs::remove_dir_all(&spill).map_err(|e| Error::write(&spill, e))?;
    }
    let paths: Vec<PathBuf> = (0..partitions).map(|p| spill.join(format!("{p:05}.jsonl"))).collect();
    let mut writers = paths.iter().map(|p| crate::output::create(p)).collect::<Result<Vec<_>>>()?;
    let mut summary = AggregateSummary { partitions, ..Default::default() };
    for dir in dirs {
        for rows in OutputReader::open(dir)? {
            summary.articles += 1;
            for fact in facts(rows?) {
                let p = partition_of(&fact, partitions);
                let line = serde_json::to_string(&fact).map_err(Error::Serialise)?;
                writeln!(writers[p], "{line}").map_err(|e| Error::write(&paths[p], e))?;
            }
        }
    }
    for (writer, path) in writers.iter_mut().zip(&paths) {
        writer.flush().map_err(|e| Error::write(path, e))?;
    }
    drop(writers);

    let entities_path = out.join("corpus_entities.csv");
    let links_path = out.join("corpus_links.csv");
    let mut entities = TableWriter::create(&entities_path, CORPUS_ENTITY_COLUMNS)?;
    let mut links = TableWriter::create(&links_path, CORPUS_LINK_COLUMNS)?;
    for path in &paths {
        let mut corpus = Corpus::default();
        let file = std::fs::File::open(path).map_err(|e| Error::read(path, e))?;
        for line in BufReader::new(file).lines() {
            let line = line.map_err(|e| Error::read(path, e))?;
            let fact: Fact = serde_json::from_str(&line).map_err(|e| Error::Spill { path: path.clone(), source: e })?;
            corpus.add(fact);
        }
        let (partition_entities, partition_links) = corpus.finish();
        summary.entities += partition_entities.len() as u64;
        summary.links += partition_links.len() as u64;
        partition_entities.iter().try_for_each(|row| entities.write(row))?;
        partition_links.iter().try_for_each(|row| links.write(row))?;
        std::fs::remove_file(path).map_err(|e| Error::write(path, e))?;
    }
    entities.commit()?;
    links.commit()?;
    std::fs::remove_dir_all(&spill).map_err(|e| Error::write(&spill, e))?;
    Ok(summary)
}

/// corpus_entities.csv's header (the fields of `CorpusEntity`, checked by a test).
pub const CORPUS_ENTITY_COLUMNS: &[&str] = &[
    "entity_id",
    "name",
    "type",
    "article_count",
    "mention_count",
    "first_date",
    "last_date",
    "top_themes",
    "variants",
];
/// corpus_links.csv's header (the fields of `CorpusLink`).
pub const CORPUS_LINK_COLUMNS: &[&str] = &[
    "kind",
    "source_id",
    "source",
    "source_type",
    "target_id",
    "target",
    "target_type",
    "roles",
    "article_count",
    "first_date",
    "last_date",
    "example_articles",
];

/// A CSV table written as NAME.tmp and renamed to NAME once complete; the header is written
/// even when no row follows.
struct TableWriter {
    path: PathBuf,
    tmp: PathBuf,
    writer: csv::Writer<BufWriter<std::fs::File>>,
}

impl TableWriter {
    fn create(path: &Path, header: &[&str]) -> Result<Self> {
        let tmp = path.with_extension("csv.tmp");
        let mut writer = csv::WriterBuilder::new().has_headers(false).from_writer(crate::output::create(&tmp)?);
        writer.write_record(header).map_err(|e| Error::Table { dir: tmp.clone(), source: e })?;
        Ok(TableWriter { path: path.to_path_buf(), tmp, writer })
    }

    fn write(&mut self, row: &impl Serialize) -> Result<()> {
        self.writer.serialize(row).map_err(|e| Error::Table { dir: self.tmp.clone(), source: e })
    }

    fn commit(self) -> Result<()> {
        let TableWriter { path, tmp, writer } = self;
        let file = writer.into_inner().map_err(|e| Error::write(&tmp, e.into_error()))?;
        let file = file.into_inner().map_err(|e| Error::write(&tmp, e.into_error()))?;
        file.sync_all().map_err(|e| Error::write(&tmp, e))?;
        std::fs::rename(&tmp, &path).map_err(|e| Error::write(&path, e))
    }
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
                    role: None,
                })
                .collect(),
        }
    }

    #[test]
    fn the_same_person_and_company_across_articles_is_one_entity_and_one_link() {
        use EntityType::*;
        let mut corpus = Corpus::default();
        let mut add = |rows: ArticleRows| facts(rows).into_iter().for_each(|f| corpus.add(f));
        let pc = LinkKind::PersonCompany;
        add(article("a", "2017/2/7", &[("Jack Ma", Person), ("Alibaba", Company)], &[(pc, "Jack Ma", "Alibaba")]));
        add(article(
            "b",
            "2017-01-09",
            &[("Ma", Person), ("Alibaba", Organization)],
            &[(pc, "Ma", "Alibaba"), (LinkKind::EntityTopic, "Ma", "trade")],
        ));
        add(article("c", "2018-03-01", &[("ALIBABA", Company)], &[]));
        let (entities, links) = corpus.finish();
        let ma = entities.iter().find(|e| e.name == "Jack Ma").expect("Jack Ma");
        assert_eq!((ma.article_count, ma.first_date.as_deref()), (2, Some("2017-01-09")));
        assert_eq!(ma.top_themes, "trade:1");
        assert!(ma.variants.contains("Ma:1") && ma.variants.contains("Jack Ma:1"), "{}", ma.variants);
        assert!(!entities.iter().any(|e| e.name == "Ma"), "short name not merged");
        let alibaba = entities.iter().find(|e| e.name == "Alibaba").expect("Alibaba");
        assert_eq!((alibaba.article_count, alibaba.entity_type), (3, Company));
        assert_eq!(entities[0].name, "Alibaba", "ranked first by article count");
        assert_eq!(alibaba.entity_id, EntityKey::new(Organization, "alibaba").id(), "stable id");
        let link = links.iter().find(|l| l.kind == pc).expect("person-company link");
        assert_eq!((link.source.as_str(), link.target.as_str(), link.article_count), ("Jack Ma", "Alibaba", 2));
        assert_eq!((link.first_date.as_deref(), link.last_date.as_deref()), (Some("2017-01-09"), Some("2017-02-07")));
        assert_eq!(link.example_articles, "b;a", "earliest first");
    }

    #[test]
    fn a_short_name_with_two_full_names_in_the_dump_stays_apart() {
        use EntityType::*;
        let mut corpus = Corpus::default();
        let mut add = |rows: ArticleRows| facts(rows).into_iter().for_each(|f| corpus.add(f));
        add(article("a", "2017-01-01", &[("Donald Trump", Person), ("Ivanka Trump", Person)], &[]));
        add(article("b", "2017-01-02", &[("Trump", Person)], &[]));
        let (entities, _) = corpus.finish();
        assert!(entities.iter().any(|e| e.name == "Trump" && e.article_count == 1));
    }

    #[test]
    fn a_person_and_the_short_name_share_a_partition() {
        let full = Fact::Entity {
            key: EntityKey::new(EntityType::Person, "Jack  Ma"),
            name: "Jack Ma".into(),
            kind: EntityType::Person,
            mentions: 1,
            day: None,
            variants: vec![],
        };
        let short = Fact::Link {
            kind: LinkKind::EntityTopic,
            source: EntityKey::new(EntityType::Person, "MA"),
            target: None,
            theme: Some("trade".into()),
            role: None,
            article_id: "a".into(),
            day: None,
        };
        assert_eq!(full.partition_word(), "ma");
        assert!((1..50).all(|n| partition_of(&full, n) == partition_of(&short, n)));
    }

    #[test]
    fn corpus_headers_match_the_rows() {
        let (entities, links) = {
            let mut corpus = Corpus::default();
            let rows = article(
                "a",
                "2017-01-01",
                &[("Jack Ma", EntityType::Person)],
                &[(LinkKind::EntityTopic, "Jack Ma", "trade")],
            );
            facts(rows).into_iter().for_each(|f| corpus.add(f));
            corpus.finish()
        };
        use crate::output::tables::header_of;
        assert_eq!(header_of(&entities[0]), CORPUS_ENTITY_COLUMNS);
        assert_eq!(header_of(&links[0]), CORPUS_LINK_COLUMNS);
    }

    #[test]
    fn days_are_read_from_the_usual_date_shapes() {
        assert_eq!(day_of("2017/2/7").as_deref(), Some("2017-02-07"));
        assert_eq!(day_of("2016-12-31T23:59:00Z").as_deref(), Some("2016-12-31"));
        assert_eq!(day_of("Feb 7, 2017"), None);
        assert_eq!(day_of("2017-13-01"), None);
    }
}
