//! The five tables, one row per thing, all keyed by `article_key` (columns in README):
//! articles, entities, mentions, topics, links. `rows` makes an article's rows; `TablesSink`
//! writes them as CSV files in one folder (Parquet is made from these, see `parquet`).

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::Sink;
use crate::error::{Error, Result};
use crate::record::{Article, EntityType, LinkKind, RelationPattern, Role};

type Table = csv::Writer<BufWriter<File>>;

pub struct TablesSink {
    dir: PathBuf,
    /// One writer per table, in `TABLES` order.
    tables: Vec<Table>,
}

/// One row of one table. Serialises as the row alone (a CSV record, or a JSON object).
#[derive(Serialize)]
#[serde(untagged)]
pub enum Row<'a> {
    Article(ArticleRow<'a>),
    Entity(EntityRow<'a>),
    Mention(MentionRow<'a>),
    Topic(TopicRow<'a>),
    Link(LinkRow<'a>),
}

impl Row<'_> {
    /// Its table's position in `TABLES`.
    pub fn table_index(&self) -> usize {
        match self {
            Row::Article(_) => 0,
            Row::Entity(_) => 1,
            Row::Mention(_) => 2,
            Row::Topic(_) => 3,
            Row::Link(_) => 4,
        }
    }

    /// Its table's name: "articles", "entities", "mentions", "topics" or "links".
    pub fn table(&self) -> &'static str {
        TABLES[self.table_index()].0.trim_end_matches(".csv")
    }
}

#[derive(Serialize)]
pub struct ArticleRow<'a> {
    /// The record's origin (source + position): unique even when ids repeat.
    article_key: &'a str,
    article_id: &'a str,
    title: Option<&'a str>,
    url: Option<&'a str>,
    date: Option<&'a str>,
    chars: usize,
    body_chars: usize,
    sentences: usize,
    mentions: usize,
    entities: usize,
    /// Topic ids joined by ";", none when the article carries no topic.
    topics: Option<String>,
}

#[derive(Serialize)]
pub struct EntityRow<'a> {
    article_key: &'a str,
    article_id: &'a str,
    entity_id: usize,
    name: &'a str,
    #[serde(rename = "type")]
    kind: EntityType,
    mention_count: usize,
    first_start: usize,
    score: f32,
    salience: f32,
}

#[derive(Serialize)]
pub struct MentionRow<'a> {
    article_key: &'a str,
    article_id: &'a str,
    entity_id: Option<usize>,
    text: &'a str,
    #[serde(rename = "type")]
    kind: EntityType,
    start: usize,
    end: usize,
    score: f32,
    sentence: usize,
}

#[derive(Serialize)]
pub struct TopicRow<'a> {
    article_key: &'a str,
    article_id: &'a str,
    topic: &'a str,
    label: &'a str,
    score: f32,
    evidence_sentences: String,
}

#[derive(Serialize)]
pub struct LinkRow<'a> {
    article_key: &'a str,
    article_id: &'a str,
    kind: LinkKind,
    source: &'a str,
    target: &'a str,
    role: Option<Role>,
    pattern: Option<RelationPattern>,
    weight: f32,
    evidence_sentences: String,
}

fn ids(list: &[usize]) -> String {
    list.iter().map(usize::to_string).collect::<Vec<_>>().join(" ")
}

/// The header of each table (the row structs' fields, checked by a test): written when a table
/// is created, so an empty table still has one, and not again when a resumed run appends.
pub const TABLES: [(&str, &[&str]); 5] = [
    (
        "articles.csv",
        &[
            "article_key",
            "article_id",
            "title",
            "url",
            "date",
            "chars",
            "body_chars",
            "sentences",
            "mentions",
            "entities",
            "topics",
        ],
    ),
    (
        "entities.csv",
        &[
            "article_key",
            "article_id",
            "entity_id",
            "name",
            "type",
            "mention_count",
            "first_start",
            "score",
            "salience",
        ],
    ),
    ("mentions.csv", &["article_key", "article_id", "entity_id", "text", "type", "start", "end", "score", "sentence"]),
    ("topics.csv", &["article_key", "article_id", "topic", "label", "score", "evidence_sentences"]),
    (
        "links.csv",
        &["article_key", "article_id", "kind", "source", "target", "role", "pattern", "weight", "evidence_sentences"],
    ),
];

impl TablesSink {
    /// The five tables in `dir`, new or (`append`) continued after a resumed run's checkpoint.
    pub fn open(dir: &Path, append: bool) -> Result<Self> {
        let table = |(name, header): (&str, &[&str])| -> Result<Table> {
            let path = dir.join(name);
            let file = super::open_output(&path, append)?;
            let fresh = file.get_ref().metadata().map_err(|e| Error::read(&path, e))?.len() == 0;
            let mut writer = csv::WriterBuilder::new().has_headers(false).from_writer(file);
            if fresh {
                writer.write_record(header).map_err(|e| Error::Table { dir: dir.to_path_buf(), source: e })?;
            }
            Ok(writer)
        };
        let tables = TABLES.into_iter().map(table).collect::<Result<Vec<_>>>()?;
        Ok(TablesSink { dir: dir.to_path_buf(), tables })
    }
}

/// The rows `a` adds to the five tables, in table order.
pub fn rows(a: &Article) -> Vec<Row<'_>> {
    let id = a.id.as_str();
    let key = a.origin.as_deref().unwrap_or(id);
    let body_chars =
        if a.body.is_empty() { a.text.chars().count() } else { a.body.iter().map(|s| s.end - s.start).sum() };
    let mut rows = Vec::with_capacity(1 + a.entities.len() + a.mentions.len() + a.topics.len() + a.links.len());
    rows.push(Row::Article(ArticleRow {
        article_key: key,
        article_id: id,
        title: a.title.as_deref(),
        url: a.url.as_deref(),
        date: a.date.as_deref(),
        chars: a.text.chars().count(),
        body_chars,
        sentences: a.story_sentences().len(),
        mentions: a.mentions.len(),
        entities: a.entities.len(),
        topics: (!a.topics.is_empty()).then(|| a.topics.iter().map(|t| t.topic.as_str()).collect::<Vec<_>>().join(";")),
    }));
    for e in &a.entities {
        rows.push(Row::Entity(EntityRow {
            article_key: key,
            article_id: id,
            entity_id: e.id,
            name: &e.name,
            kind: e.label,
            mention_count: e.mentions.len(),
            first_start: e.first_start,
            score: e.score,
            salience: e.salience,
        }));
    }
    for m in &a.mentions {
        rows.push(Row::Mention(MentionRow {
            article_key: key,
            article_id: id,
            entity_id: m.entity,
            text: &m.text,
            kind: m.label,
            start: m.start,
            end: m.end,
            score: m.score,
            sentence: m.sentence,
        }));
    }
    for t in &a.topics {
        rows.push(Row::Topic(TopicRow {
            article_key: key,
            article_id: id,
            topic: &t.topic,
            label: &t.label,
            score: t.score,
            evidence_sentences: ids(&t.evidence),
        }));
    }
    for l in &a.links {
        rows.push(Row::Link(LinkRow {
            article_key: key,
            article_id: id,
            kind: l.kind,
            source: &l.source,
            target: &l.target,
            role: l.role,
            pattern: l.pattern,
            weight: l.weight,
            evidence_sentences: ids(&l.evidence),
        }));
    }
    rows
}

impl Sink for TablesSink {
    fn write(&mut self, article: &Article) -> Result<()> {
        for row in rows(article) {
            let table = &mut self.tables[row.table_index()];
            table.serialize(row).map_err(|e| Error::Table { dir: self.dir.clone(), source: e })?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        for table in &mut self.tables {
            table.flush().map_err(|e| Error::write(&self.dir, e))?;
        }
        Ok(())
    }
}

/// The CSV header a row type gets (for tests that check a table's declared columns).
#[cfg(test)]
pub(crate) fn header_of(row: impl Serialize) -> Vec<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.serialize(row).unwrap();
    let bytes = writer.into_inner().unwrap();
    let text = String::from_utf8(bytes).unwrap();
    text.lines().next().unwrap().split(',').map(String::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_headers_match_the_rows() {
        let (k, i) = ("k", "i");
        let headers = [
            header_of(ArticleRow {
                article_key: k,
                article_id: i,
                title: None,
                url: None,
                date: None,
                chars: 0,
                body_chars: 0,
                sentences: 0,
                mentions: 0,
                entities: 0,
                topics: None,
            }),
            header_of(EntityRow {
                article_key: k,
                article_id: i,
                entity_id: 0,
                name: "",
                kind: EntityType::Person,
                mention_count: 0,
                first_start: 0,
                score: 0.0,
                salience: 0.0,
            }),
            header_of(MentionRow {
                article_key: k,
                article_id: i,
                entity_id: None,
                text: "",
                kind: EntityType::Person,
                start: 0,
                end: 0,
                score: 0.0,
                sentence: 0,
            }),
            header_of(TopicRow {
                article_key: k,
                article_id: i,
                topic: "",
                label: "",
                score: 0.0,
                evidence_sentences: String::new(),
            }),
            header_of(LinkRow {
                article_key: k,
                article_id: i,
                kind: LinkKind::EntityTopic,
                source: "",
                target: "",
                role: None,
                pattern: None,
                weight: 0.0,
                evidence_sentences: String::new(),
            }),
        ];
        for ((name, columns), header) in TABLES.iter().zip(headers) {
            assert_eq!(header, columns.to_vec(), "{name}");
        }
    }
}
