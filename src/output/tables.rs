//! CSV tables in one folder, one row per thing, all keyed by `article_id` (columns in README):
//! articles.csv, entities.csv, mentions.csv, topics.csv, links.csv.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::Sink;
use crate::error::{Error, Result};
use crate::record::{Article, EntityType, LinkKind};

type Table = csv::Writer<BufWriter<File>>;

pub struct TablesSink {
    dir: PathBuf,
    articles: Table,
    entities: Table,
    mentions: Table,
    topics: Table,
    links: Table,
}

#[derive(Serialize)]
struct ArticleRow<'a> {
    article_id: &'a str,
    title: Option<&'a str>,
    url: Option<&'a str>,
    date: Option<&'a str>,
    origin: Option<&'a str>,
    chars: usize,
    body_chars: usize,
    sentences: usize,
    mentions: usize,
    entities: usize,
    topics: String,
}

#[derive(Serialize)]
struct EntityRow<'a> {
    article_id: &'a str,
    entity_id: usize,
    name: &'a str,
    #[serde(rename = "type")]
    kind: EntityType,
    mention_count: usize,
    first_start: usize,
    score: f32,
}

#[derive(Serialize)]
struct MentionRow<'a> {
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
struct TopicRow<'a> {
    article_id: &'a str,
    topic: &'a str,
    label: &'a str,
    score: f32,
    evidence_sentences: String,
}

#[derive(Serialize)]
struct LinkRow<'a> {
    article_id: &'a str,
    kind: LinkKind,
    source: &'a str,
    target: &'a str,
    weight: f32,
    evidence_sentences: String,
}

fn ids(list: &[usize]) -> String {
    list.iter().map(usize::to_string).collect::<Vec<_>>().join(" ")
}

impl TablesSink {
    pub fn create(dir: &Path) -> Result<Self> {
        let table = |name: &str| -> Result<Table> { Ok(csv::Writer::from_writer(super::create(&dir.join(name))?)) };
        Ok(TablesSink {
            dir: dir.to_path_buf(),
            articles: table("articles.csv")?,
            entities: table("entities.csv")?,
            mentions: table("mentions.csv")?,
            topics: table("topics.csv")?,
            links: table("links.csv")?,
        })
    }

    fn err(&self, e: csv::Error) -> Error {
        Error::Table { dir: self.dir.clone(), source: e }
    }

    fn rows(&mut self, a: &Article) -> std::result::Result<(), csv::Error> {
        let id = a.id.as_str();
        let body_chars =
            if a.body.is_empty() { a.text.chars().count() } else { a.body.iter().map(|s| s.end - s.start).sum() };
        self.articles.serialize(ArticleRow {
            article_id: id,
            title: a.title.as_deref(),
            url: a.url.as_deref(),
            date: a.date.as_deref(),
            origin: a.origin.as_deref(),
            chars: a.text.chars().count(),
            body_chars,
            sentences: a.sentences.len(),
            mentions: a.mentions.len(),
            entities: a.entities.len(),
            topics: a.topics.iter().map(|t| t.topic.as_str()).collect::<Vec<_>>().join(";"),
        })?;
        for e in &a.entities {
            self.entities.serialize(EntityRow {
                article_id: id,
                entity_id: e.id,
                name: &e.name,
                kind: e.label,
                mention_count: e.mentions.len(),
                first_start: e.first_start,
                score: e.score,
            })?;
        }
        for m in &a.mentions {
            self.mentions.serialize(MentionRow {
                article_id: id,
                entity_id: m.entity,
                text: &m.text,
                kind: m.label,
                start: m.start,
                end: m.end,
                score: m.score,
                sentence: m.sentence,
            })?;
        }
        for t in &a.topics {
            self.topics.serialize(TopicRow {
                article_id: id,
                topic: &t.topic,
                label: &t.label,
                score: t.score,
                evidence_sentences: ids(&t.evidence),
            })?;
        }
        for l in &a.links {
            self.links.serialize(LinkRow {
                article_id: id,
                kind: l.kind,
                source: &l.source,
                target: &l.target,
                weight: l.weight,
                evidence_sentences: ids(&l.evidence),
            })?;
        }
        Ok(())
    }
}

impl Sink for TablesSink {
    fn write(&mut self, article: &Article) -> Result<()> {
        self.rows(article).map_err(|e| self.err(e))
    }

    fn finish(&mut self) -> Result<()> {
        for table in [&mut self.articles, &mut self.entities, &mut self.mentions, &mut self.topics, &mut self.links] {
            table.flush().map_err(|e| Error::write(&self.dir, e))?;
        }
        Ok(())
    }
}
