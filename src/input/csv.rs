//! CSV with a header row. Column names for id/text/title/url/date come from `CsvColumns`
//! (flags `--text-col` etc.); all other columns are carried through as string fields.

use std::io::BufRead;

use serde_json::Value;

use super::{utf8, validated, CsvColumns, Item, Records};
use crate::record::{Article, Reject};

pub fn read(reader: Box<dyn BufRead + Send>, name: String, columns: CsvColumns) -> Records {
    let mut csv = csv::ReaderBuilder::new().flexible(false).from_reader(reader);
    let header: Vec<String> = match csv.byte_headers() {
        Ok(h) => h.iter().map(|f| String::from_utf8_lossy(f).trim_start_matches('\u{feff}').to_string()).collect(),
        Err(e) => return Box::new(std::iter::once(Err(Reject::new(&name, format!("bad CSV header: {e}"), None)))),
    };
    if !header.contains(&columns.text_col) {
        let reason = format!(
            "CSV header has no text column {:?} (columns: {}; use --text-col)",
            columns.text_col,
            header.join(", ")
        );
        return Box::new(std::iter::once(Err(Reject::new(&name, reason, None))));
    }
    let mut records = csv.into_byte_records();
    let mut row_no = 0usize;
    Box::new(std::iter::from_fn(move || {
        let record = records.next()?;
        row_no += 1;
        let source = format!("{name}:row {row_no}");
        Some(record.map_err(|e| Reject::new(&source, format!("bad CSV row: {e}"), None)).and_then(|row| {
            let fields = row.iter().map(|f| utf8(f.to_vec(), &source)).collect::<Result<Vec<String>, Reject>>()?;
            article(&header, fields, &columns, source, row_no)
        }))
    }))
}

fn article(header: &[String], fields: Vec<String>, columns: &CsvColumns, source: String, row: usize) -> Item {
    let mut article = Article { id: row.to_string(), origin: Some(source), ..Default::default() };
    for (column, value) in header.iter().zip(fields) {
        let c = column.as_str();
        if c == columns.text_col {
            article.text = value;
        } else if c == columns.id_col {
            // A blank id keeps the row number: ids must tell records apart.
            if !value.trim().is_empty() {
                article.id = value;
            }
        } else if c == columns.title_col {
            article.title = Some(value).filter(|v| !v.is_empty());
        } else if c == columns.url_col {
            article.url = Some(value).filter(|v| !v.is_empty());
        } else if c == columns.date_col {
            article.date = Some(value).filter(|v| !v.is_empty());
        } else if Article::FIELDS.contains(&c) {
            article.extra.insert(format!("input_{c}"), Value::String(value));
        } else {
            article.extra.insert(column.clone(), Value::String(value));
        }
    }
    validated(article)
}
