//! Folders of pages: the .txt, .html/.htm and .warc files (each optionally .gz) of a folder,
//! read in file-name order. A .txt or .html file is one article whose id is the file name
//! without extension; a .warc file gives one article per HTML response (see `warc`). A text
//! page's title is its first non-empty line that reads like a headline (at least four words),
//! else its first non-empty line, because scraped pages often start with a lone "Menu"; an HTML
//! page's title comes from its meta tags (see `html`).

use std::io::{BufRead, Read};
use std::path::Path;

use super::{html, open_path, strip_bom, utf8, validated, CsvColumns, Format, Item, Records};
use crate::error::{Error, Result};
use crate::record::{Article, Reject};

/// File names a folder is read for (lower-cased, after a ".gz" is taken off).
const PAGE_EXTENSIONS: &[&str] = &[".txt", ".html", ".htm", ".warc"];

const HEADLINE_MIN_WORDS: usize = 4;

pub fn read_dir(dir: &Path) -> Result<Records> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| Error::read(dir, e))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        // Not `is_file()`: a dangling or looping symbolic link named *.txt must come out as a
        // reject (the open below fails and says why), not vanish.
        .filter(|p| is_page_file(p) && !p.is_dir())
        .collect();
    files.sort();
    Ok(Box::new(files.into_iter().flat_map(|path| -> Records {
        match open_path(&path, Format::Auto, &CsvColumns::default()) {
            Ok(records) => records,
            Err(e) => Box::new(std::iter::once(Err(Reject::new(path.display().to_string(), e.chain(), None)))),
        }
    })))
}

/// A single text input (a .txt file or stdin) is one article.
pub fn read_one(reader: Box<dyn BufRead + Send>, source: String) -> Records {
    read_whole(reader, source, article)
}

/// A single HTML page (a .html file or stdin) is one article.
pub fn read_page(reader: Box<dyn BufRead + Send>, source: String) -> Records {
    read_whole(reader, source, |bytes, id, source| html::article(&bytes, None, id, source))
}

/// The whole input as one article made by `make` from its bytes, id (the file stem) and source.
fn read_whole(
    mut reader: Box<dyn BufRead + Send>,
    source: String,
    make: impl FnOnce(Vec<u8>, String, String) -> Item,
) -> Records {
    let mut bytes = Vec::new();
    let item = match reader.read_to_end(&mut bytes) {
        Ok(_) => make(bytes, stem(Path::new(&source)), source),
        Err(e) => Err(Reject::new(&source, format!("read error: {e}"), None)),
    };
    Box::new(std::iter::once(item))
}

fn article(bytes: Vec<u8>, id: String, source: String) -> Item {
    let text = strip_bom(utf8(bytes, &source)?);
    let title = headline(&text);
    validated(Article { id, title, text, origin: Some(source), ..Default::default() }, None)
}

fn headline(text: &str) -> Option<String> {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.clone().next()?;
    let chosen = lines.find(|l| l.split_whitespace().count() >= HEADLINE_MIN_WORDS).unwrap_or(first);
    Some(chosen.to_string())
}

fn is_page_file(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    PAGE_EXTENSIONS.iter().any(|e| name.ends_with(e))
}

/// The file name without ".gz" and its page extension.
fn stem(path: &Path) -> String {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    let lower = name.to_lowercase();
    PAGE_EXTENSIONS
        .iter()
        .find(|e| lower.ends_with(*e))
        .map(|e| name[..name.len() - e.len()].to_string())
        .unwrap_or_else(|| name.to_string())
}
