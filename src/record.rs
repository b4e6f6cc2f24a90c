//! Every record type that flows between readers, stages and writers.
//!
//! One `Article` travels the whole pipeline; each stage fills in its own fields. All offsets
//! (`start`, `end`) are Unicode code-point offsets into the ORIGINAL `text`, end exclusive, so
//! `text.chars().skip(start).take(end - start)` (or Python's `text[start:end]`) is the span.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A half-open code-point range of the original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// A stretch of page text the clean stage judged not to be article body, kept for audit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RemovedSpan {
    pub start: usize,
    pub end: usize,
    pub reason: String,
}

/// One word piece from the model tokenizer: vocabulary id and its code-point span.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token(pub u32, pub usize, pub usize);

impl Token {
    pub fn id(&self) -> u32 {
        self.0
    }
    pub fn start(&self) -> usize {
        self.1
    }
    pub fn end(&self) -> usize {
        self.2
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sentence {
    pub id: usize,
    pub start: usize,
    pub end: usize,
    /// Word pieces of this sentence; dropped by the writers unless asked to keep them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tokens: Vec<Token>,
}

/// One occurrence of a named entity in the text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// person, organization, company, location or misc.
    pub label: String,
    pub score: f32,
    pub sentence: usize,
    /// Index into `Article::entities` once the link stage has grouped mentions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity: Option<usize>,
}

/// A canonical entity of one article: all mentions that name the same thing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    pub id: usize,
    pub name: String,
    pub label: String,
    pub mentions: Vec<usize>,
    pub first_start: usize,
    pub score: f32,
}

/// A theme of the taxonomy that the article (or some of its sentences) carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Topic {
    pub topic: String,
    pub label: String,
    pub score: f32,
    /// Sentences whose own score passed the topic threshold.
    pub evidence: Vec<usize>,
}

/// A relation between two things of one article, with the sentences that support it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Link {
    /// entity-topic, person-company or person-organization.
    pub kind: String,
    pub source: String,
    pub target: String,
    pub weight: f32,
    pub evidence: Vec<usize>,
}

/// The record every stage takes and returns.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Article {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Where the record came from, e.g. `news.csv:row 12` (not "source": news data often has a
    /// "source" field of its own, which is carried through in `extra`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    /// Body paragraphs kept by the clean stage; empty means "not cleaned yet".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub body: Vec<Span>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<RemovedSpan>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sentences: Vec<Sentence>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mentions: Vec<Mention>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entities: Vec<Entity>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub topics: Vec<Topic>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// Input fields the pipeline does not know, carried through untouched.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Article {
    /// Field names of the record itself; input columns with these names are renamed `input_<name>`.
    pub const FIELDS: &'static [&'static str] = &[
        "id", "title", "text", "url", "date", "origin", "body", "removed", "sentences", "mentions",
        "entities", "topics", "links",
    ];

    /// The text of a code-point span (slow path for tests and writers).
    pub fn slice(&self, start: usize, end: usize) -> String {
        self.text.chars().skip(start).take(end - start).collect()
    }
}

/// A record that could not be processed, with the reason and where it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reject {
    pub source: String,
    pub reason: String,
    /// The start of the offending input, cut to a few hundred characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw: Option<String>,
}

impl Reject {
    pub fn new(source: impl Into<String>, reason: impl Into<String>, raw: Option<&str>) -> Self {
        Reject {
            source: source.into(),
            reason: reason.into(),
            raw: raw.map(|r| r.chars().take(300).collect()),
        }
    }
}
