//! CSV with a header row. Column names for id/text/title/url/date come from `CsvColumns`
//! (flags `--text-col` etc.); all other columns are carried through as string fields.
//!
//! Every record is read together with its raw bytes (a tee under the csv parser), so a broken
//! row is rejected with the exact span it covered: a quote left open swallows the rows after it
//! into one field, and the reject then holds those rows for repair. Broken quoting shows as an
//! odd number of `"` in a record's span or as a wrong field count. An I/O or decompression
//! error ends the input with one reject.

use std::io::{BufRead, Read};
use std::sync::{Arc, Mutex};

use serde_json::Value;

use super::{utf8, validated, CsvColumns, Item, Records};
use crate::error::{Error, Result};
use crate::record::{Article, Reject};

/// The default of `--id-col`: when the header lacks it, ids fall back to row numbers.
const DEFAULT_ID_COL: &str = "id";

/// Copies every byte the csv parser reads into `seen`, so record spans can be cut out.
struct Tee<R> {
    inner: R,
    seen: Arc<Mutex<Vec<u8>>>,
}

impl<R: Read> Read for Tee<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.seen.lock().unwrap_or_else(|p| p.into_inner()).extend_from_slice(&buf[..n]);
        Ok(n)
    }
}

/// The records of a CSV input. A header that lacks the text column, or the id column named by
/// `--id-col`, is an error for the whole input (a wrong flag, not a bad record).
pub fn read(reader: Box<dyn BufRead + Send>, name: String, columns: CsvColumns) -> Result<Records> {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let tee = Tee { inner: reader, seen: Arc::clone(&seen) };
    let mut csv = csv::ReaderBuilder::new().flexible(false).from_reader(tee);
    let header: Vec<String> = match csv.byte_headers() {
        Ok(h) => h.iter().map(|f| String::from_utf8_lossy(f).trim_start_matches('\u{feff}').to_string()).collect(),
        Err(e) => return Ok(Box::new(std::iter::once(Err(Reject::new(&name, format!("bad CSV header: {e}"), None))))),
    };
    for (column, flag) in [(&columns.text_col, "--text-col"), (&columns.id_col, "--id-col")] {
        let optional = flag == "--id-col" && column == DEFAULT_ID_COL;
        if !optional && !header.contains(column) {
            let reason = format!("CSV header has no column {column:?} (columns: {}; use {flag})", header.join(", "));
            return Err(Error::ConfigInvalid { path: name.into(), reason });
        }
    }
    // Bytes of `seen` before this offset are dropped; record positions are absolute.
    let mut base = 0u64;
    let mut row_no = 0usize;
    let mut record = csv::ByteRecord::new();
    let mut done = false;
    Ok(Box::new(std::iter::from_fn(move || {
        if done {
            return None;
        }
        let start = csv.position().byte();
        let result = csv.read_byte_record(&mut record);
        let end = csv.position().byte();
        let raw = {
            let mut seen = seen.lock().unwrap_or_else(|p| p.into_inner());
            let at = |offset: u64| (offset.saturating_sub(base) as usize).min(seen.len());
            let span = seen[at(start)..at(end.max(start))].to_vec();
            let consumed = at(end);
            seen.drain(..consumed);
            base += consumed as u64;
            String::from_utf8_lossy(&span).into_owned()
        };
        row_no += 1;
        let source = format!("{name}:row {row_no}");
        match result {
            Ok(false) => None,
            Ok(true) if raw.bytes().filter(|&b| b == b'"').count() % 2 == 1 => {
                Some(Err(Reject::with_whole_raw(source, "bad CSV row: unbalanced quotes", raw)))
            }
            Ok(true) => Some(row(&header, &record, &columns, source, row_no, &raw)),
            Err(e) if matches!(e.kind(), csv::ErrorKind::Io(_)) => {
                done = true;
                Some(Err(Reject::with_whole_raw(source, format!("read error, rest of the input skipped: {e}"), raw)))
            }
            Err(e) => Some(Err(Reject::with_whole_raw(source, format!("bad CSV row: {e}"), raw))),
        }
    })))
}

fn row(
    header: &[String],
    record: &csv::ByteRecord,
    columns: &CsvColumns,
    source: String,
    row: usize,
    raw: &str,
) -> Item {
    let fields =
        record.iter().map(|f| utf8(f.to_vec(), &source)).collect::<std::result::Result<Vec<String>, Reject>>()?;
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
    validated(article, Some(raw))
}
