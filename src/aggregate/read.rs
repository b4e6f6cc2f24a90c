//! Reading one output folder's CSV tables article by article, without holding them: every
//! table is written in the same article order, so the rows of each article are found by
//! walking all tables in step (a merge on `article_key`).

use std::fs::File;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::record::{EntityType, LinkKind, Role};

#[derive(Debug, Deserialize)]
pub struct ArticleIn {
    pub article_key: String,
    pub article_id: String,
    pub date: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct EntityIn {
    pub article_key: String,
    pub entity_id: usize,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: EntityType,
    pub mention_count: usize,
}

#[derive(Debug, Deserialize)]
pub struct MentionIn {
    pub article_key: String,
    pub entity_id: Option<usize>,
    pub text: String,
}

#[derive(Debug, Deserialize)]
pub struct LinkIn {
    pub article_key: String,
    pub kind: LinkKind,
    pub source: String,
    pub target: String,
    #[serde(default)]
    pub role: Option<Role>,
}

trait Keyed {
    fn key(&self) -> &str;
}

macro_rules! keyed {
    ($($t:ty),*) => {$(impl Keyed for $t { fn key(&self) -> &str { &self.article_key } })*};
}
keyed!(EntityIn, MentionIn, LinkIn);

/// One table's rows, taken an article at a time.
struct Grouped<T> {
    path: PathBuf,
    rows: csv::DeserializeRecordsIntoIter<File, T>,
    next: Option<T>,
}

impl<T: DeserializeOwned + Keyed> Grouped<T> {
    fn open(path: PathBuf) -> Result<Self> {
        let reader = csv::Reader::from_path(&path).map_err(|e| table_error(&path, e))?;
        let mut grouped = Grouped { path, rows: reader.into_deserialize(), next: None };
        grouped.advance()?;
        Ok(grouped)
    }

    fn advance(&mut self) -> Result<()> {
        self.next = self.rows.next().transpose().map_err(|e| table_error(&self.path, e))?;
        Ok(())
    }

    /// The rows of `key` (the next ones, when the table is in article order).
    fn take(&mut self, key: &str) -> Result<Vec<T>> {
        let mut rows = Vec::new();
        while self.next.as_ref().is_some_and(|row| row.key() == key) {
            rows.extend(self.next.take());
            self.advance()?;
        }
        Ok(rows)
    }

    /// Fails when rows are left that no article claimed (tables not written by one run).
    fn finish(&self) -> Result<()> {
        match &self.next {
            Some(row) => Err(Error::ConfigInvalid {
                path: self.path.clone(),
                reason: format!(
                    "row of article_key {:?} out of step with articles.csv (the tables must come from one run)",
                    row.key()
                ),
            }),
            None => Ok(()),
        }
    }
}

fn table_error(path: &Path, source: csv::Error) -> Error {
    Error::Table { dir: path.to_path_buf(), source }
}

/// Everything aggregate needs of one article.
pub struct ArticleRows {
    pub article: ArticleIn,
    pub entities: Vec<EntityIn>,
    pub mentions: Vec<MentionIn>,
    pub links: Vec<LinkIn>,
}

/// The articles of one output folder (articles, entities, mentions and links.csv) in order.
pub struct OutputReader {
    articles: csv::DeserializeRecordsIntoIter<File, ArticleIn>,
    articles_path: PathBuf,
    entities: Grouped<EntityIn>,
    mentions: Grouped<MentionIn>,
    links: Grouped<LinkIn>,
    done: bool,
}

impl OutputReader {
    pub fn open(dir: &Path) -> Result<Self> {
        let articles_path = dir.join("articles.csv");
        if !articles_path.is_file() {
            return Err(Error::ConfigInvalid {
                path: dir.to_path_buf(),
                reason: "no articles.csv: aggregate reads the CSV tables of `tag --format csv|both|all`".into(),
            });
        }
        let articles = csv::Reader::from_path(&articles_path).map_err(|e| table_error(&articles_path, e))?;
        Ok(OutputReader {
            articles: articles.into_deserialize(),
            articles_path,
            entities: Grouped::open(dir.join("entities.csv"))?,
            mentions: Grouped::open(dir.join("mentions.csv"))?,
            links: Grouped::open(dir.join("links.csv"))?,
            done: false,
        })
    }

    fn next_article(&mut self) -> Result<Option<ArticleRows>> {
        let Some(article) = self.articles.next().transpose().map_err(|e| table_error(&self.articles_path, e))? else {
            self.entities.finish()?;
            self.mentions.finish()?;
            self.links.finish()?;
            return Ok(None);
        };
        let key = article.article_key.clone();
        Ok(Some(ArticleRows {
            article,
            entities: self.entities.take(&key)?,
            mentions: self.mentions.take(&key)?,
            links: self.links.take(&key)?,
        }))
    }
}

impl Iterator for OutputReader {
    type Item = Result<ArticleRows>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let item = self.next_article().transpose();
        self.done = !matches!(item, Some(Ok(_)));
        item
    }
}
