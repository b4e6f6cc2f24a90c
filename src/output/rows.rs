//! Table rows as JSON lines, `{"table": "entities", "date": ..., "row": {...}}`, for callers that
//! build the tables elsewhere (the Spark job): the same rows as the CSV/Parquet tables, made by
//! the same code, with the article's date beside each row for partitioning.

use std::io::Write;

use serde::Serialize;

use super::tables::{rows, Row};
use super::Sink;
use crate::error::{Error, Result};
use crate::record::Article;

#[derive(Serialize)]
struct RowLine<'a> {
    table: &'static str,
    date: Option<&'a str>,
    row: &'a Row<'a>,
}

pub struct RowsSink {
    writer: Box<dyn Write>,
    name: String,
}

impl RowsSink {
    pub fn new(writer: Box<dyn Write>, name: impl Into<String>) -> Self {
        RowsSink { writer, name: name.into() }
    }
}

impl Sink for RowsSink {
    fn write(&mut self, article: &Article) -> Result<()> {
        for row in rows(article) {
            let line = RowLine { table: row.table(), date: article.date.as_deref(), row: &row };
            let text = serde_json::to_string(&line).map_err(Error::Serialise)?;
            writeln!(self.writer, "{text}").map_err(|e| Error::write(&self.name, e))?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        self.writer.flush().map_err(|e| Error::write(&self.name, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Entity, EntityType};

    #[test]
    fn each_row_is_one_line_naming_its_table_and_the_articles_date() {
        let article = Article {
            id: "a1".into(),
            text: "Jack Ma founded Alibaba.".into(),
            date: Some("2017-01-09".into()),
            origin: Some("news.jsonl:line 3".into()),
            entities: vec![Entity {
                id: 0,
                name: "Jack Ma".into(),
                label: EntityType::Person,
                mentions: vec![0],
                first_start: 0,
                score: 0.9,
                salience: 0.8,
            }],
            ..Default::default()
        };
        let file = tempfile::NamedTempFile::new().unwrap();
        let mut sink = RowsSink::new(Box::new(file.reopen().unwrap()), "rows");
        sink.write(&article).unwrap();
        sink.flush().unwrap();
        let text = std::fs::read_to_string(file.path()).unwrap();
        let lines: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["table"], "articles");
        assert_eq!(lines[0]["row"]["article_key"], "news.jsonl:line 3");
        assert_eq!(lines[1]["table"], "entities");
        assert_eq!(lines[1]["date"], "2017-01-09");
        assert_eq!(lines[1]["row"]["name"], "Jack Ma");
        assert_eq!(lines[1]["row"]["type"], "person");
    }
}
