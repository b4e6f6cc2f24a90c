//! Stages: each takes one `Article` and returns it with its own fields filled in.
//!
//! A stage knows nothing of files, threads or other stages. Each declares a contract
//! (`StageKind::reads` / `provides`, in `Facet`s of the record); `Pipeline::build` checks the
//! order of a stage list once against those contracts before any model is loaded. A configured
//! pipeline is a serde value (`PipelineConfig`: the model folder and each stage with its
//! options), so it round-trips to a file. The runner gives every worker thread its own
//! pipeline (model weights are not shared across threads because tch modules are not `Sync`).

pub mod anaphora;
pub mod byline;
pub mod clean;
pub mod company_title;
pub mod link;
mod name_variants;
pub mod ner;
mod ner_decode;
pub mod normalize;
pub mod office;
pub mod party;
pub mod relation;
pub mod resolve;
mod role_words;
pub mod salience;
pub mod segment;
#[cfg(test)]
mod testing;
pub mod topics;
pub mod word_shape;

use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};

use serde::{Deserialize, Serialize};
use tch::Device;

use crate::error::{Error, Result};
use crate::models::ModelDir;
use crate::record::{Article, Facet, Reject};

pub trait Stage: Send {
    fn kind(&self) -> StageKind;
    fn process(&mut self, article: Article) -> Result<Article>;
}

/// The stages in pipeline order; `tag` runs all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StageKind {
    Clean,
    Segment,
    Ner,
    Resolve,
    Topics,
    Link,
}

impl StageKind {
    pub const ALL: [StageKind; 6] =
        [StageKind::Clean, StageKind::Segment, StageKind::Ner, StageKind::Resolve, StageKind::Topics, StageKind::Link];

    pub const fn name(self) -> &'static str {
        match self {
            StageKind::Clean => "clean",
            StageKind::Segment => "segment",
            StageKind::Ner => "ner",
            StageKind::Resolve => "resolve",
            StageKind::Topics => "topics",
            StageKind::Link => "link",
        }
    }

    /// What the stage reads from a record (added by an earlier stage or by the input).
    pub const fn reads(self) -> &'static [Facet] {
        match self {
            StageKind::Clean => &[],
            StageKind::Segment => &[Facet::Body],
            StageKind::Ner => &[Facet::WordPieces],
            StageKind::Resolve => &[Facet::Mentions, Facet::Sentences],
            StageKind::Topics => &[Facet::WordPieces],
            StageKind::Link => &[Facet::Entities, Facet::Topics],
        }
    }

    /// What the stage adds to a record (replacing what was there).
    pub const fn provides(self) -> &'static [Facet] {
        match self {
            StageKind::Clean => &[Facet::Body],
            StageKind::Segment => &[Facet::Sentences, Facet::WordPieces],
            StageKind::Ner => &[Facet::Mentions],
            StageKind::Resolve => &[Facet::Entities],
            StageKind::Topics => &[Facet::Topics],
            StageKind::Link => &[Facet::Links],
        }
    }

    /// The stage that provides `facet`.
    pub fn provider(facet: Facet) -> StageKind {
        *StageKind::ALL.iter().find(|k| k.provides().contains(&facet)).expect("every facet has a provider")
    }

    /// This stage with default options.
    pub fn config(self) -> StageConfig {
        match self {
            StageKind::Clean => StageConfig::Clean(Default::default()),
            StageKind::Segment => StageConfig::Segment(Default::default()),
            StageKind::Ner => StageConfig::Ner(Default::default()),
            StageKind::Resolve => StageConfig::Resolve(Default::default()),
            StageKind::Topics => StageConfig::Topics(Default::default()),
            StageKind::Link => StageConfig::Link(Default::default()),
        }
    }
}

impl fmt::Display for StageKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One configured stage: which stage, with its options (serde-tagged by `stage`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "stage", rename_all = "lowercase")]
pub enum StageConfig {
    Clean(clean::CleanOptions),
    Segment(segment::SegmentOptions),
    Ner(ner::NerOptions),
    Resolve(resolve::ResolveOptions),
    Topics(topics::TopicsOptions),
    Link(link::LinkOptions),
}

impl StageConfig {
    pub fn kind(&self) -> StageKind {
        match self {
            StageConfig::Clean(_) => StageKind::Clean,
            StageConfig::Segment(_) => StageKind::Segment,
            StageConfig::Ner(_) => StageKind::Ner,
            StageConfig::Resolve(_) => StageKind::Resolve,
            StageConfig::Topics(_) => StageKind::Topics,
            StageConfig::Link(_) => StageKind::Link,
        }
    }

    fn build(&self, models: &ModelDir, device: Device) -> Result<Box<dyn Stage>> {
        Ok(match self {
            StageConfig::Clean(_) => Box::new(clean::Clean::default()),
            StageConfig::Segment(_) => Box::new(segment::Segment::load(models)?),
            StageConfig::Ner(options) => Box::new(ner::Ner::load(models, device, options.clone())?),
            StageConfig::Resolve(options) => Box::new(resolve::Resolve::new(options.clone())),
            StageConfig::Topics(options) => Box::new(topics::Topics::load(models, device, options)?),
            StageConfig::Link(options) => Box::new(link::Link { options: options.clone() }),
        })
    }
}

/// A whole configured pipeline: where the models are and the stages in run order. Writes and
/// reads as JSON (`newstag config`, `--config FILE`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PipelineConfig {
    pub models: ModelDir,
    pub stages: Vec<StageConfig>,
}

impl PipelineConfig {
    /// These stages with default options.
    pub fn new(models: ModelDir, kinds: &[StageKind]) -> Self {
        PipelineConfig { models, stages: kinds.iter().map(|k| k.config()).collect() }
    }

    /// The model files the configured stages load.
    pub fn model_files(&self) -> Vec<std::path::PathBuf> {
        let bert =
            |dir: std::path::PathBuf| ["config.json", "model.safetensors", "tokenizer.json"].map(|f| dir.join(f));
        let mut files = Vec::new();
        for kind in self.kinds() {
            match kind {
                StageKind::Segment => files.push(self.models.ner().join("tokenizer.json")),
                StageKind::Ner => files.extend(bert(self.models.ner())),
                StageKind::Topics => {
                    files.extend(bert(self.models.encoder()));
                    files.push(self.models.topics());
                    files.extend(Some(self.models.topic_heads()).filter(|p| p.exists()));
                }
                StageKind::Clean | StageKind::Resolve | StageKind::Link => {}
            }
        }
        files.dedup();
        files
    }

    /// Every model file is there: one clear error before anything loads or any thread starts.
    pub fn check_files(&self) -> Result<()> {
        match self.model_files().into_iter().find(|f| !f.is_file()) {
            Some(path) => Err(Error::ModelMissing { path }),
            None => Ok(()),
        }
    }

    pub fn kinds(&self) -> Vec<StageKind> {
        self.stages.iter().map(StageConfig::kind).collect()
    }

    /// Checks the stage order against the contracts: no stage twice, and no stage after one
    /// that reads something it provides (or something computed from that), since the earlier
    /// stage would read stale or missing data. One error for the whole pipeline.
    pub fn validate(&self) -> Result<()> {
        let kinds = self.kinds();
        for (i, early) in kinds.iter().enumerate() {
            for late in &kinds[i + 1..] {
                if late == early {
                    return Err(Error::StageOrder(format!("{early} is listed twice")));
                }
                for read in early.reads() {
                    if let Some(provided) = late.provides().iter().find(|p| read.depends_on(**p)) {
                        return Err(Error::StageOrder(format!(
                            "{early} reads {read}, which needs the {provided} that {late} provides: \
                             run {late} before {early} (pipeline order: clean, segment, ner, resolve, topics, link)"
                        )));
                    }
                }
            }
        }
        Ok(())
    }
}

pub struct Pipeline {
    stages: Vec<Box<dyn Stage>>,
}

impl Pipeline {
    /// The pipeline of no stages (the `write` command: records pass through unchanged).
    pub fn identity() -> Self {
        Pipeline { stages: Vec::new() }
    }

    /// Validates the configuration, then loads each stage's models on `device`.
    pub fn build(config: &PipelineConfig, device: Device) -> Result<Self> {
        config.validate()?;
        config.check_files()?;
        let stages = config.stages.iter().map(|s| s.build(&config.models, device)).collect::<Result<_>>()?;
        Ok(Pipeline { stages })
    }

    /// Runs every stage on one article. A stage's error rejects the article; so does a panic
    /// (a bug met on one odd record), which is caught here so that it costs that record only,
    /// not the batch: the reject keeps the start of the text to find the record again.
    pub fn run(&mut self, mut article: Article) -> std::result::Result<Article, Reject> {
        let source = article.origin.clone().unwrap_or_else(|| article.id.clone());
        let start: String = article.text.chars().take(300).collect();
        for stage in &mut self.stages {
            let kind = stage.kind();
            article = match catch_unwind(AssertUnwindSafe(|| stage.process(article))) {
                Ok(processed) => {
                    processed.map_err(|e| Reject::new(source.clone(), format!("{kind} stage: {}", e.chain()), None))?
                }
                Err(panic) => {
                    let message = panic
                        .downcast_ref::<&str>()
                        .map(|m| m.to_string())
                        .or_else(|| panic.downcast_ref::<String>().cloned())
                        .unwrap_or_default();
                    return Err(Reject::new(source, format!("{kind} stage failed (bug): {message}"), Some(&start)));
                }
            };
        }
        Ok(article)
    }
}

/// The error a stage returns when a record lacks what an earlier stage adds.
pub(crate) fn missing(facet: Facet) -> Error {
    Error::MissingInput { missing: facet, run_first: StageKind::provider(facet) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(kinds: &[StageKind]) -> PipelineConfig {
        PipelineConfig::new(ModelDir::new("models"), kinds)
    }

    #[test]
    fn pipeline_order_follows_the_contracts() {
        assert!(config(&StageKind::ALL).validate().is_ok());
        assert!(config(&[StageKind::Ner, StageKind::Resolve]).validate().is_ok());
        // Independent stages may run in either order.
        assert!(config(&[StageKind::Topics, StageKind::Ner]).validate().is_ok());
        let err = config(&[StageKind::Ner, StageKind::Clean]).validate().unwrap_err().to_string();
        assert!(err.contains("run clean before ner"), "{err}");
        let err = config(&[StageKind::Link, StageKind::Topics]).validate().unwrap_err().to_string();
        assert!(err.contains("run topics before link"), "{err}");
        assert!(config(&[StageKind::Clean, StageKind::Clean]).validate().is_err());
    }

    /// A stage with a bug that only some records meet.
    struct PanicsOnEmpty;

    impl Stage for PanicsOnEmpty {
        fn kind(&self) -> StageKind {
            StageKind::Link
        }

        fn process(&mut self, article: Article) -> Result<Article> {
            assert!(!article.text.is_empty(), "no text to link");
            Ok(article)
        }
    }

    #[test]
    fn a_panicking_stage_rejects_its_record_and_the_next_one_runs() {
        let mut pipeline = Pipeline { stages: vec![Box::new(PanicsOnEmpty)] };
        let empty = Article { id: "a1".into(), ..Default::default() };
        let reject = pipeline.run(empty).unwrap_err();
        assert_eq!(reject.source, "a1");
        assert!(reject.reason.contains("link stage failed (bug): no text to link"), "{}", reject.reason);
        let article = Article { id: "a2".into(), text: "Jack Ma met Donald Trump.".into(), ..Default::default() };
        assert_eq!(pipeline.run(article).unwrap().id, "a2");
    }

    #[test]
    fn every_facet_a_stage_reads_has_an_earlier_provider_in_pipeline_order() {
        for (i, kind) in StageKind::ALL.iter().enumerate() {
            for read in kind.reads() {
                let provider = StageKind::provider(*read);
                assert!(StageKind::ALL[..i].contains(&provider), "{kind} reads {read} from {provider}");
            }
        }
    }

    #[test]
    fn configuration_round_trips_through_json() {
        let mut config = config(&StageKind::ALL);
        config.stages[2] = StageConfig::Ner(ner::NerOptions { case_rule: false, ..Default::default() });
        let json = serde_json::to_string_pretty(&config).unwrap();
        assert!(json.contains("\"stage\": \"ner\"") && json.contains("\"case_rule\": false"), "{json}");
        let back: PipelineConfig = serde_json::from_str(&json).unwrap();
        assert_eq!(back, config);
        // Options left out take their defaults.
        let short: PipelineConfig = serde_json::from_str(r#"{"models":"m","stages":[{"stage":"ner"}]}"#).unwrap();
        assert_eq!(short.stages, vec![StageConfig::Ner(ner::NerOptions::default())]);
    }
}
