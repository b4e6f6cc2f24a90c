//! Writers: where tagged articles and rejects go.

pub mod jsonl;
pub mod parquet;
pub mod rejects;
pub mod rows;
pub mod staging;
pub mod tables;

use crate::error::Result;
use crate::record::Article;

pub trait Sink {
    fn write(&mut self, article: &Article) -> Result<()>;
    fn flush(&mut self) -> Result<()>;
}

/// Several sinks fed the same records (`--format both`).
pub struct Fanout(pub Vec<Box<dyn Sink>>);

impl Sink for Fanout {
    fn write(&mut self, article: &Article) -> Result<()> {
        self.0.iter_mut().try_for_each(|s| s.write(article))
    }
    fn flush(&mut self) -> Result<()> {
        self.0.iter_mut().try_for_each(|s| s.flush())
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
    fn flush(&mut self) -> Result<()> {
        Ok(())
    }
}

/// Opens an output file (and creates its folder): truncated, or for a resumed run appended to.
pub fn open_output(path: &std::path::Path, append: bool) -> Result<std::io::BufWriter<std::fs::File>> {
    use crate::error::Error;
    if !append {
        return create(path);
    }
    let file = std::fs::OpenOptions::new().append(true).create(true).open(path).map_err(|e| Error::write(path, e))?;
    Ok(std::io::BufWriter::new(file))
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
