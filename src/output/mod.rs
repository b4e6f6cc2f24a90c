//! Writers: where tagged articles and rejects go.

pub mod jsonl;
pub mod rejects;
pub mod tables;

use crate::error::Result;
use crate::record::Article;

pub trait Sink {
    fn write(&mut self, article: &Article) -> Result<()>;
    fn finish(&mut self) -> Result<()>;
}

/// Several sinks fed the same records (`--format both`).
pub struct Fanout(pub Vec<Box<dyn Sink>>);

impl Sink for Fanout {
    fn write(&mut self, article: &Article) -> Result<()> {
        self.0.iter_mut().try_for_each(|s| s.write(article))
    }
    fn finish(&mut self) -> Result<()> {
        self.0.iter_mut().try_for_each(|s| s.finish())
    }
}

/// Keeps the records in memory (for `eval`, which scores them after the run).
#[derive(Default)]
pub struct Collect(pub Vec<Article>);

impl Sink for Collect {
    fn write(&mut self, article: &Article) -> Result<()> {
        self.0.push(article.clone());
        Ok(())
    }
    fn finish(&mut self) -> Result<()> {
        Ok(())
    }
}

/// Creates a file (and its folder), mapping the error to one that names the path.
pub(crate) fn create(path: &std::path::Path) -> Result<std::io::BufWriter<std::fs::File>> {
    use crate::error::Error;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
    }
    let file = std::fs::File::create(path).map_err(|e| Error::write(path, e))?;
    Ok(std::io::BufWriter::new(file))
}
