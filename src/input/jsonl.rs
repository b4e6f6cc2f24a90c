//! JSON Lines: one JSON object per line with at least `text`; `id`, `title`, `url`, `date` are
//! known, any other field is carried through. Records written by a stage read back as they
//! were, so stages compose through pipes. A missing id becomes `<source>:<line>`.

use std::io::BufRead;

use serde_json::Value;

use super::{strip_bom, utf8, validated, Item, Records};
use crate::record::{Article, Reject};

pub fn read(reader: Box<dyn BufRead + Send>, name: String) -> Records {
    let mut reader = reader;
    let mut line_no = 0usize;
    let mut failed = false;
    Box::new(std::iter::from_fn(move || loop {
        if failed {
            return None;
        }
        let mut bytes = Vec::new();
        line_no += 1;
        match reader.read_until(b'\n', &mut bytes) {
            Ok(0) => return None,
            Ok(_) => {}
            Err(e) => {
                // A read or decompression error (truncated .gz) does not heal: report it once,
                // with what the line had so far, and stop this input.
                failed = true;
                let raw = String::from_utf8_lossy(&bytes).into_owned();
                let reason = format!("read error, rest of the input skipped: {e}");
                return Some(Err(Reject::with_whole_raw(format!("{name}:{line_no}"), reason, raw)));
            }
        }
        let source = format!("{name}:{line_no}");
        let line = match utf8(bytes, &source) {
            Ok(l) if line_no == 1 => strip_bom(l),
            Ok(l) => l,
            Err(reject) => return Some(Err(reject)),
        };
        if line.trim().is_empty() {
            continue;
        }
        // The raw text kept in rejects is the line without its line break.
        return Some(parse(line.trim_end_matches(['\n', '\r']), source));
    }))
}

fn parse(line: &str, source: String) -> Item {
    let reject = |reason: String| Reject::new(&source, reason, Some(line));
    let mut value: Value = serde_json::from_str(line).map_err(|e| reject(format!("invalid JSON: {e}")))?;
    let object = value.as_object_mut().ok_or_else(|| reject("not a JSON object".into()))?;
    match object.get("text") {
        Some(Value::String(_)) => {}
        Some(_) => return Err(reject("field \"text\" is not a string".into())),
        None => return Err(reject("no \"text\" field".into())),
    }
    let id = match object.get("id") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => source.clone(),
    };
    object.insert("id".into(), Value::String(id));
    // Dumps often carry numeric dates or null titles: keep them rather than reject the article.
    for key in ["title", "url", "date"] {
        match object.get(key) {
            Some(Value::Null) => {
                object.remove(key);
            }
            Some(Value::Number(n)) => {
                let text = n.to_string();
                object.insert(key.into(), Value::String(text));
            }
            _ => {}
        }
    }
    let mut article: Article = serde_json::from_value(value).map_err(|e| reject(format!("bad record: {e}")))?;
    article.origin.get_or_insert(source);
    validated(article, Some(line))
}
