//! Stages: each takes one `Article` and returns it with its own fields filled in.
//!
//! A stage knows nothing of files, threads or other stages; `Pipeline` chains them and the
//! runner gives every worker thread its own pipeline (model weights are not shared across
//! threads because tch modules are not `Sync`).

pub mod clean;
pub mod link;
pub mod ner;
pub mod resolve;
pub mod segment;
pub mod topics;

use crate::error::{Error, Result};
use crate::models::ModelDir;
use crate::record::{Article, Reject};

pub trait Stage: Send {
    fn name(&self) -> &'static str;
    fn process(&mut self, article: Article) -> Result<Article>;
}

/// The stages in pipeline order; `tag` runs all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StageKind {
    Clean,
    Segment,
    Ner,
    Resolve,
    Topics,
    Link,
}

impl StageKind {
    pub const ALL: [StageKind; 6] = [
        StageKind::Clean,
        StageKind::Segment,
        StageKind::Ner,
        StageKind::Resolve,
        StageKind::Topics,
        StageKind::Link,
    ];

    pub fn build(self, models: &ModelDir) -> Result<Box<dyn Stage>> {
        Ok(match self {
            StageKind::Clean => Box::new(clean::Clean::default()),
            StageKind::Segment => Box::new(segment::Segment::load(models)?),
            StageKind::Ner => Box::new(ner::Ner::load(models)?),
            StageKind::Resolve => Box::new(resolve::Resolve),
            StageKind::Topics => Box::new(topics::Topics::load(models)?),
            StageKind::Link => Box::new(link::Link::default()),
        })
    }
}

pub struct Pipeline {
    stages: Vec<Box<dyn Stage>>,
}

impl Pipeline {
    pub fn build(kinds: &[StageKind], models: &ModelDir) -> Result<Self> {
        let stages = kinds.iter().map(|k| k.build(models)).collect::<Result<_>>()?;
        Ok(Pipeline { stages })
    }

    /// Runs every stage; a failing stage turns the article into a reject naming that stage.
    pub fn run(&mut self, mut article: Article) -> std::result::Result<Article, Reject> {
        for stage in &mut self.stages {
            let source = article.origin.clone().unwrap_or_else(|| article.id.clone());
            article = stage.process(article).map_err(|e| {
                Reject::new(source, format!("{} stage: {e}", stage.name()), None)
            })?;
        }
        Ok(article)
    }
}

/// The error a stage returns when an earlier stage has not run.
pub(crate) fn missing(what: &str, stage: &str) -> Error {
    Error::Record(format!("record has no {what}: run the {stage} stage first"))
}
