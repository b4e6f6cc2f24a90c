//! Entity-level evaluation, seqeval-style: a predicted span counts only when its start, end and
//! type all equal a gold span's. Types are compared at NER level: company counts as
//! organization.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::io::BufRead;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::input::open_file;
use crate::record::{Article, EntityType};

/// A span and its NER-level type (company counts as organization).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LabelledSpan {
    pub start: usize,
    pub end: usize,
    #[serde(deserialize_with = "type_name")]
    pub label: EntityType,
}

/// Reads any of the type names `normalise_type` knows (PER, person, GPE, B-ORG ...).
fn type_name<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<EntityType, D::Error> {
    String::deserialize(d).map(|name| normalise_type(&name))
}

/// A gold (or reference) document: text and its entity spans in code points.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GoldDoc {
    pub id: String,
    pub text: String,
    pub entities: Vec<LabelledSpan>,
}

/// The type names of both the pipeline and CoNLL/OntoNotes-style files, mapped to one set.
pub fn normalise_type(label: &str) -> EntityType {
    let bare = label.trim_start_matches("B-").trim_start_matches("I-");
    match bare.to_ascii_lowercase().as_str() {
        "per" | "person" => EntityType::Person,
        "org" | "organization" | "organisation" | "company" => EntityType::Organization,
        "loc" | "location" | "gpe" => EntityType::Location,
        _ => EntityType::Misc,
    }
}

/// Reads gold JSONL (`{"id","text","entities":[{"start","end","label"}]}`) or, for files
/// ending in .conll, CoNLL columns (token first, BIO tag last; blank line between sentences,
/// `-DOCSTART-` between documents).
pub fn read_gold(path: &Path) -> Result<Vec<GoldDoc>> {
    let reader = open_file(path)?;
    if path.to_string_lossy().ends_with(".conll") {
        read_conll(reader, path)
    } else {
        read_gold_jsonl(reader, path)
    }
}

fn read_gold_jsonl(reader: Box<dyn BufRead + Send>, path: &Path) -> Result<Vec<GoldDoc>> {
    read_records(reader, path)
}

/// Every non-blank JSONL line of a reference file as a `T`; a bad line is an error naming it.
pub fn read_records<T: serde::de::DeserializeOwned>(reader: Box<dyn BufRead + Send>, path: &Path) -> Result<Vec<T>> {
    reader
        .lines()
        .enumerate()
        .filter(|(_, l)| l.as_ref().map(|l| !l.trim().is_empty()).unwrap_or(true))
        .map(|(i, line)| {
            let line = line.map_err(|e| Error::read(path, e))?;
            serde_json::from_str(&line).map_err(|source| Error::GoldRecord { path: path.into(), line: i + 1, source })
        })
        .collect()
}

fn read_conll(reader: Box<dyn BufRead + Send>, path: &Path) -> Result<Vec<GoldDoc>> {
    let mut docs = vec![GoldDoc { id: "doc-1".into(), text: String::new(), entities: vec![] }];
    let mut open: Option<LabelledSpan> = None;
    for (number, line) in reader.lines().enumerate() {
        let line = line.map_err(|e| Error::read(path, e))?;
        let cols: Vec<&str> = line.split_whitespace().collect();
        let doc = docs.last_mut().expect("one doc");
        let close = |open: &mut Option<LabelledSpan>, doc: &mut GoldDoc| doc.entities.extend(open.take());
        match cols.as_slice() {
            [] => {
                close(&mut open, doc);
                if !doc.text.is_empty() && !doc.text.ends_with('\n') {
                    doc.text.push('\n');
                }
            }
            [first, ..] if *first == "-DOCSTART-" => {
                close(&mut open, doc);
                if !doc.text.is_empty() {
                    let id = format!("doc-{}", docs.len() + 1);
                    docs.push(GoldDoc { id, text: String::new(), entities: vec![] });
                }
            }
            [token, .., tag] => {
                if !doc.text.is_empty() && !doc.text.ends_with('\n') {
                    doc.text.push(' ');
                }
                let start = doc.text.chars().count();
                doc.text.push_str(token);
                let end = start + token.chars().count();
                let label = normalise_type(tag);
                let continues = tag.starts_with("I-") && open.as_ref().is_some_and(|o| o.label == label);
                if continues {
                    open.as_mut().expect("open span").end = end;
                } else {
                    close(&mut open, doc);
                    if *tag != "O" {
                        open = Some(LabelledSpan { start, end, label });
                    }
                }
            }
            [_] => return Err(Error::ConllLine { path: path.into(), line: number + 1 }),
        }
    }
    let doc = docs.last_mut().expect("one doc");
    doc.entities.extend(open.take());
    docs.retain(|d| !d.text.trim().is_empty());
    Ok(docs)
}

/// The spans an article's mentions make, types normalised.
pub fn predicted_spans(article: &Article) -> Vec<LabelledSpan> {
    article.mentions.iter().map(|m| LabelledSpan { start: m.start, end: m.end, label: m.label.ner_level() }).collect()
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub true_pos: usize,
    pub false_pos: usize,
    pub false_neg: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.true_pos, self.true_pos + self.false_pos)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.true_pos, self.true_pos + self.false_neg)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    /// "P | R | F1" in percent with one decimal: the middle of every report row.
    pub fn prf(&self) -> String {
        format!("{:.1} | {:.1} | {:.1}", 100.0 * self.precision(), 100.0 * self.recall(), 100.0 * self.f1())
    }

    fn add(&mut self, other: Counts) {
        self.true_pos += other.true_pos;
        self.false_pos += other.false_pos;
        self.false_neg += other.false_neg;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Per-type counts; `micro()` sums them.
#[derive(Debug, Default, Clone)]
pub struct Scores {
    pub per_type: BTreeMap<EntityType, Counts>,
}

impl Scores {
    pub fn add_document(&mut self, gold: &[LabelledSpan], predicted: &[LabelledSpan]) {
        let gold_set: HashSet<&LabelledSpan> = gold.iter().collect();
        let pred_set: HashSet<&LabelledSpan> = predicted.iter().collect();
        for span in &pred_set {
            let counts = self.per_type.entry(span.label).or_default();
            if gold_set.contains(span) {
                counts.true_pos += 1;
            } else {
                counts.false_pos += 1;
            }
        }
        for span in gold_set.difference(&pred_set) {
            self.per_type.entry(span.label).or_default().false_neg += 1;
        }
    }

    pub fn micro(&self) -> Counts {
        let mut total = Counts::default();
        self.per_type.values().for_each(|c| total.add(*c));
        total
    }
}

impl fmt::Display for Scores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "| type | precision | recall | F1 | gold | predicted |")?;
        writeln!(f, "|---|---:|---:|---:|---:|---:|")?;
        let rows = self.per_type.iter().map(|(k, c)| (k.as_str(), *c)).chain([("micro", self.micro())]);
        for (name, c) in rows {
            writeln!(f, "| {name} | {} | {} | {} |", c.prf(), c.true_pos + c.false_neg, c.true_pos + c.false_pos)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start: usize, end: usize, label: &str) -> LabelledSpan {
        LabelledSpan { start, end, label: normalise_type(label) }
    }

    #[test]
    fn exact_span_and_type_match_only() {
        let mut scores = Scores::default();
        let gold = [span(0, 7, "person"), span(12, 19, "organization")];
        let pred = [span(0, 7, "person"), span(12, 18, "organization"), span(30, 35, "location")];
        scores.add_document(&gold, &pred);
        let micro = scores.micro();
        assert_eq!((micro.true_pos, micro.false_pos, micro.false_neg), (1, 2, 1));
        assert!((micro.f1() - 0.4).abs() < 1e-9);
    }

    #[test]
    fn conll_tokens_become_spans() {
        let text = "-DOCSTART- O\n\nJack B-PER\nMa I-PER\nmet O\nTrump B-PER\n.  O\n";
        let docs = read_conll(Box::new(std::io::Cursor::new(text.to_string())), Path::new("x.conll")).unwrap();
        assert_eq!(docs.len(), 1);
        let d = &docs[0];
        assert_eq!(d.text, "Jack Ma met Trump .");
        assert_eq!(d.entities, vec![span(0, 7, "person"), span(12, 17, "person")]);
    }
}
