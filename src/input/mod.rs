//! Readers: turn a path (or `-` for stdin) into a stream of articles or rejects.
//!
//! A file is read by its extension: .jsonl/.ndjson/.json, .csv, .txt (one article), .html/.htm
//! (one page), .warc (one page per response record), each optionally .gz (gzip is detected from
//! the bytes, not the name). A folder is read as its .txt, .html/.htm and .warc files, in name
//! order. A bad record never stops a reader: it comes out as a `Reject` with its position and
//! the stream goes on.

pub mod csv;
pub mod html;
pub mod jsonl;
pub mod text_dir;
pub mod warc;

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use flate2::read::MultiGzDecoder;

use crate::error::{Error, Result};
use crate::record::{Article, Reject};

pub type Item = std::result::Result<Article, Reject>;
pub type Records = Box<dyn Iterator<Item = Item> + Send>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Decide from the path: folder → txt, else the file extension; stdin → jsonl.
    Auto,
    Txt,
    Jsonl,
    Csv,
    /// One saved HTML page.
    Html,
    /// A WARC archive: every HTML response record is an article.
    Warc,
}

/// CSV header names of the fields the pipeline knows; other columns are carried through.
#[derive(Debug, Clone, clap::Args, serde::Serialize)]
pub struct CsvColumns {
    /// CSV column holding the article id (row number when absent)
    #[arg(long, default_value = "id")]
    pub id_col: String,
    /// CSV column holding the article text
    #[arg(long, default_value = "text")]
    pub text_col: String,
    #[arg(long, default_value = "title")]
    pub title_col: String,
    #[arg(long, default_value = "url")]
    pub url_col: String,
    #[arg(long, default_value = "date")]
    pub date_col: String,
}

impl Default for CsvColumns {
    fn default() -> Self {
        CsvColumns {
            id_col: "id".into(),
            text_col: "text".into(),
            title_col: "title".into(),
            url_col: "url".into(),
            date_col: "date".into(),
        }
    }
}

/// Opens one input. Errors here are about the input as a whole (missing path); per-record
/// problems come out of the iterator as rejects.
pub fn open(spec: &str, format: Format, columns: &CsvColumns) -> Result<Records> {
    if spec == "-" {
        let stdin: Box<dyn BufRead + Send> =
            decompress(Box::new(std::io::stdin())).map_err(|e| Error::read("<stdin>", e))?;
        return Ok(match format {
            Format::Csv => csv::read(stdin, "<stdin>".into(), columns.clone())?,
            Format::Txt => text_dir::read_one(stdin, "<stdin>".into()),
            Format::Html => text_dir::read_page(stdin, "<stdin>".into()),
            Format::Warc => warc::read(stdin, "<stdin>".into()),
            Format::Auto | Format::Jsonl => jsonl::read(stdin, "<stdin>".into()),
        });
    }
    let path = PathBuf::from(spec);
    if path.is_dir() {
        return text_dir::read_dir(&path);
    }
    open_path(&path, format, columns)
}

/// Opens one file (not a folder) in `format`, or the format its name says.
pub(crate) fn open_path(path: &Path, format: Format, columns: &CsvColumns) -> Result<Records> {
    let reader = open_file(path)?;
    let name = path.display().to_string();
    Ok(match format_of(path, format) {
        Format::Csv => csv::read(reader, name, columns.clone())?,
        Format::Txt => text_dir::read_one(reader, name),
        Format::Html => text_dir::read_page(reader, name),
        Format::Warc => warc::read(reader, name),
        Format::Auto | Format::Jsonl => jsonl::read(reader, name),
    })
}

fn format_of(path: &Path, format: Format) -> Format {
    if format != Format::Auto {
        return format;
    }
    let name = path.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    if name.ends_with(".csv") {
        Format::Csv
    } else if name.ends_with(".txt") {
        Format::Txt
    } else if name.ends_with(".html") || name.ends_with(".htm") {
        Format::Html
    } else if name.ends_with(".warc") {
        Format::Warc
    } else {
        Format::Jsonl
    }
}

/// Opens a file, transparently gunzipping it when it starts with the gzip magic bytes.
pub fn open_file(path: &Path) -> Result<Box<dyn BufRead + Send>> {
    let file = File::open(path).map_err(|e| Error::read(path, e))?;
    decompress(Box::new(file)).map_err(|e| Error::read(path, e))
}

fn decompress(raw: Box<dyn Read + Send>) -> std::io::Result<Box<dyn BufRead + Send>> {
    let mut reader = BufReader::new(raw);
    let gzip = reader.fill_buf()?.starts_with(&[0x1f, 0x8b]);
    Ok(if gzip { Box::new(BufReader::new(MultiGzDecoder::new(reader))) } else { Box::new(reader) })
}

/// Shared checks of a freshly read article: text must be present and not blank. `raw` is the
/// input the article came from, kept in the reject.
pub(crate) fn validated(article: Article, raw: Option<&str>) -> Item {
    if article.text.trim().is_empty() {
        let source = article.origin.clone().unwrap_or_else(|| article.id.clone());
        return Err(Reject::new(source, "empty text", raw));
    }
    Ok(article)
}

/// The text without a leading byte-order mark (editors and Excel exports add one).
pub(crate) fn strip_bom(text: String) -> String {
    match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    }
}

/// Decodes bytes as UTF-8 or explains where they are not.
pub(crate) fn utf8(bytes: Vec<u8>, source: &str) -> std::result::Result<String, Reject> {
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
        Reject::new(source, format!("invalid UTF-8 at byte {at}"), Some(&lossy))
    })
}
