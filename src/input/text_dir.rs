//! Plain-text articles: a folder of .txt (or .txt.gz) files, one article each, read in file-name
//! order. The id is the file name without extension; the title is the first non-empty line that
//! reads like a headline (at least four words), else the first non-empty line, because scraped
//! pages often start with a lone "Menu".

use std::io::{BufRead, Read};
use std::path::Path;

use super::{open_file, strip_bom, utf8, validated, Item, Records};
use crate::error::{Error, Result};
use crate::record::{Article, Reject};

const HEADLINE_MIN_WORDS: usize = 4;

pub fn read_dir(dir: &Path) -> Result<Records> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| Error::read(dir, e))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        // Not `is_file()`: a dangling or looping symbolic link named *.txt must come out as a
        // reject (the open below fails and says why), not vanish.
        .filter(|p| is_text_file(p) && !p.is_dir())
        .collect();
    files.sort();
    Ok(Box::new(files.into_iter().map(|path| {
        let source = path.display().to_string();
        let mut bytes = Vec::new();
        open_file(&path)
            .and_then(|mut r| r.read_to_end(&mut bytes).map_err(|e| Error::read(&path, e)))
            .map_err(|e| Reject::new(&source, e.chain(), None))?;
        article(bytes, stem(&path), source)
    })))
}

/// A single text input (a .txt file or stdin) is one article.
pub fn read_one(mut reader: Box<dyn BufRead + Send>, source: String) -> Records {
    let mut bytes = Vec::new();
    let item = match reader.read_to_end(&mut bytes) {
        Ok(_) => article(bytes, stem(Path::new(&source)), source),
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

fn is_text_file(path: &Path) -> bool {
    let name = path.to_string_lossy().to_lowercase();
    name.ends_with(".txt") || name.ends_with(".txt.gz")
}

fn stem(path: &Path) -> String {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    name.strip_suffix(".txt").unwrap_or(name).to_string()
}
