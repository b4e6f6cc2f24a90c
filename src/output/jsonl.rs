//! One JSON object per article per line, entities/topics/links nested.

use std::io::Write;

use super::Sink;
use crate::error::{Error, Result};
use crate::record::Article;

pub struct JsonlSink {
    writer: Box<dyn Write>,
    name: String,
    /// Keep the sentences' word pieces (needed when the next stage reads this output).
    keep_tokens: bool,
}

impl JsonlSink {
    pub fn new(writer: Box<dyn Write>, name: impl Into<String>, keep_tokens: bool) -> Self {
        JsonlSink { writer, name: name.into(), keep_tokens }
    }

    fn io(&self, e: std::io::Error) -> Error {
        Error::write(&self.name, e)
    }
}

impl Sink for JsonlSink {
    fn write(&mut self, article: &Article) -> Result<()> {
        let line = if self.keep_tokens || article.sentences.iter().all(|s| s.tokens.is_empty()) {
            serde_json::to_string(article)
        } else {
            let mut slim = article.clone();
            slim.sentences.iter_mut().for_each(|s| s.tokens.clear());
            serde_json::to_string(&slim)
        }
        .map_err(Error::Serialise)?;
        writeln!(self.writer, "{line}").map_err(|e| self.io(e))
    }

    fn flush(&mut self) -> Result<()> {
        self.writer.flush().map_err(|e| self.io(e))
    }
}
