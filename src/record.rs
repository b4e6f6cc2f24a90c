//! Every record type that flows between readers, stages and writers.
//!
//! One `Article` travels the whole pipeline; each stage fills in its own fields. All offsets
//! (`start`, `end`) are Unicode code-point offsets into the ORIGINAL `text`, end exclusive, so
//! `text.chars().skip(start).take(end - start)` (or Python's `text[start:end]`) is the span.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// What an entity is. Serialised in lower case ("person", "company", ...), as in every output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityType {
    Person,
    /// An organisation run for profit; resolve splits `Organization` into these two.
    Company,
    Organization,
    Location,
    Misc,
}

impl EntityType {
    pub const fn as_str(self) -> &'static str {
        match self {
            EntityType::Person => "person",
            EntityType::Company => "company",
            EntityType::Organization => "organization",
            EntityType::Location => "location",
            EntityType::Misc => "misc",
        }
    }

    /// Company or organization.
    pub const fn is_organisation(self) -> bool {
        matches!(self, EntityType::Company | EntityType::Organization)
    }

    /// The NER-level type: company counts as organization (what the model tags and eval scores).
    pub const fn ner_level(self) -> EntityType {
        match self {
            EntityType::Company => EntityType::Organization,
            other => other,
        }
    }
}

impl fmt::Display for EntityType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The kind of a `Link` record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkKind {
    /// An entity named in sentences that carry a topic.
    EntityTopic,
    /// A person's stated relation to a company (a role pattern in a sentence naming both).
    PersonCompany,
    /// A person's stated relation to a (non-company) organisation.
    PersonOrganization,
    /// A person and an organisation named in the same sentence with no stated relation (a
    /// person quoted by an outlet, two names in a list): kept apart from stated relations.
    PersonOrganizationCoMention,
}

/// The role a sentence states for a person at an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Ceo,
    Founder,
    Chair,
    Executive,
    Employee,
    Spokesperson,
    Member,
    Official,
    Owner,
    Investor,
    AnalystAt,
    OtherRole,
}

impl Role {
    pub const fn as_str(self) -> &'static str {
        match self {
            Role::Ceo => "ceo",
            Role::Founder => "founder",
            Role::Chair => "chair",
            Role::Executive => "executive",
            Role::Employee => "employee",
            Role::Spokesperson => "spokesperson",
            Role::Member => "member",
            Role::Official => "official",
            Role::Owner => "owner",
            Role::Investor => "investor",
            Role::AnalystAt => "analyst-at",
            Role::OtherRole => "other-role",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The reading of the text that states a person↔organisation relation. Each link carries it,
/// so that a reader sees why the link exists, and its confidence is the precision that reading
/// was measured to have (`relation::confidence`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RelationPattern {
    /// A title in an apposition: "X, chief executive of Y", "X, a Y spokesman".
    Apposition,
    /// The organisation's possessive title after the name: "X, Y's chairman".
    PossessiveTitle,
    /// "X served as Y's CEO", "X, a former general, retired as Y director".
    AsTitle,
    /// A verb of role: "X, who heads Y", "X joined Y", "X founded Y".
    RoleVerb,
    /// A verb of a lesser tie: "X promoted Y as a platform".
    OtherVerb,
    /// A credit line naming the outlet: "X contributed to this report for Y", "Photo: X/Y".
    Credit,
    /// A byline: "By X, Y".
    Byline,
    /// "X of Y", "X from Y".
    Affiliation,
    /// "X's company Y".
    OwnerPossessive,
    /// "X, a Y-based analyst at Y" and other described affiliations.
    DescribedAffiliation,
    /// "Founded by A, B and C, Y ...".
    FoundedBy,
    /// A title between the organisation and the name: "Y chief executive X".
    TitleBefore,
    /// "Y, founded by X", "Y, led by X".
    Passive,
    /// "Y's X".
    Possessive,
    /// "Y's X, reporting from ...", "Y X reporting".
    Reporting,
    /// "the head of Y, X".
    TitleOfBefore,
    /// A person named after another in the same title: "Y founders A, B and C".
    Coordinated,
    /// A staff credit naming no outlet, linked to the article's own outlet: its dateline's, or
    /// the one its closing lines name (the serialised name keeps "dateline-credit").
    DatelineCredit,
    /// A title of public office ("Sen. X") and the body the article names for it.
    Office,
    /// A bare company title ("CEO X") and the article's own company, or the one its sentence names.
    CompanyTitle,
    /// "his"/"her" before a party.
    Party,
    /// One side named only by reference: "its chief executive X", "She founded Y".
    Reference,
}

impl RelationPattern {
    pub const fn as_str(self) -> &'static str {
        match self {
            RelationPattern::Apposition => "apposition",
            RelationPattern::PossessiveTitle => "possessive-title",
            RelationPattern::AsTitle => "as-title",
            RelationPattern::RoleVerb => "role-verb",
            RelationPattern::OtherVerb => "other-verb",
            RelationPattern::Credit => "credit",
            RelationPattern::Byline => "byline",
            RelationPattern::Affiliation => "affiliation",
            RelationPattern::OwnerPossessive => "owner-possessive",
            RelationPattern::DescribedAffiliation => "described-affiliation",
            RelationPattern::FoundedBy => "founded-by",
            RelationPattern::TitleBefore => "title-before",
            RelationPattern::Passive => "passive",
            RelationPattern::Possessive => "possessive",
            RelationPattern::Reporting => "reporting",
            RelationPattern::TitleOfBefore => "title-of-before",
            RelationPattern::Coordinated => "coordinated",
            RelationPattern::DatelineCredit => "dateline-credit",
            RelationPattern::Office => "office",
            RelationPattern::CompanyTitle => "company-title",
            RelationPattern::Party => "party",
            RelationPattern::Reference => "reference",
        }
    }
}

/// Why the clean stage left a stretch of the page out of the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum RemovalReason {
    /// A known widget line (menu, "Follow Us", newsletter box...).
    #[serde(rename = "chrome")]
    Chrome,
    /// A line that occurs more than once on the page (headline echoes, teaser titles).
    #[serde(rename = "repeated line")]
    RepeatedLine,
    #[serde(rename = "short")]
    Short,
    #[serde(rename = "near-good")]
    NearGood,
    #[serde(rename = "few stop words")]
    FewStopWords,
    /// Prose that lies outside the chosen body (teasers of other stories).
    #[serde(rename = "outside article body")]
    OutsideArticleBody,
    /// A "By Jane Doe" line: who wrote the story, not what it reports.
    #[serde(rename = "byline")]
    Byline,
    /// A line of bare HTML tags ("</li><li>") left by a sloppy export.
    #[serde(rename = "markup")]
    Markup,
}

impl RemovalReason {
    /// The name written in records ("chrome", "few stop words" ...).
    pub const fn as_str(self) -> &'static str {
        match self {
            RemovalReason::Chrome => "chrome",
            RemovalReason::RepeatedLine => "repeated line",
            RemovalReason::Short => "short",
            RemovalReason::NearGood => "near-good",
            RemovalReason::FewStopWords => "few stop words",
            RemovalReason::OutsideArticleBody => "outside article body",
            RemovalReason::Byline => "byline",
            RemovalReason::Markup => "markup",
        }
    }

    /// Chrome or a repeated line: never article text, whatever its neighbours.
    pub const fn is_page_chrome(self) -> bool {
        matches!(self, RemovalReason::Chrome | RemovalReason::RepeatedLine)
    }

    /// Lines left out even inside the body: page chrome and bylines.
    pub const fn is_never_body(self) -> bool {
        matches!(
            self,
            RemovalReason::Chrome | RemovalReason::RepeatedLine | RemovalReason::Byline | RemovalReason::Markup
        )
    }
}

/// A part of an `Article` that a stage adds and later stages read: the vocabulary of the stage
/// contracts (`stages::StageKind::reads` / `provides`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Facet {
    Body,
    Sentences,
    WordPieces,
    Mentions,
    Entities,
    Topics,
    Links,
}

impl Facet {
    /// The facets this one is computed from (direct inputs only).
    pub const fn derived_from(self) -> &'static [Facet] {
        match self {
            Facet::Body => &[],
            Facet::Sentences => &[Facet::Body],
            Facet::WordPieces => &[Facet::Sentences],
            Facet::Mentions => &[Facet::WordPieces],
            Facet::Entities => &[Facet::Mentions, Facet::Sentences],
            Facet::Topics => &[Facet::WordPieces],
            Facet::Links => &[Facet::Entities, Facet::Topics],
        }
    }

    /// Whether this facet is `other` or computed from it, directly or not.
    pub fn depends_on(self, other: Facet) -> bool {
        self == other || self.derived_from().iter().any(|f| f.depends_on(other))
    }
}

impl fmt::Display for Facet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Facet::Body => "body",
            Facet::Sentences => "sentences",
            Facet::WordPieces => "word pieces in its sentences",
            Facet::Mentions => "mentions",
            Facet::Entities => "entities",
            Facet::Topics => "topics",
            Facet::Links => "links",
        })
    }
}

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
    pub reason: RemovalReason,
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
    /// A byline or credit line outside the body ("Reporting by A; Editing by B"): read for its
    /// names and the relations it states, never for topics. Such sentences follow the body's.
    #[serde(default, skip_serializing_if = "is_false")]
    pub credit: bool,
}

fn is_false(b: &bool) -> bool {
    !b
}

/// One occurrence of a named entity in the text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub label: EntityType,
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
    pub label: EntityType,
    pub mentions: Vec<usize>,
    pub first_start: usize,
    pub score: f32,
    /// How central the entity is to the article, in [0, 1] (`stages::salience`).
    #[serde(default)]
    pub salience: f32,
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
    pub kind: LinkKind,
    pub source: String,
    pub target: String,
    /// The stated role of a person↔organisation relation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// The reading that states the relation (stated person↔organisation relations only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<RelationPattern>,
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
        "id",
        "title",
        "text",
        "url",
        "date",
        "origin",
        "body",
        "removed",
        "sentences",
        "mentions",
        "entities",
        "topics",
        "links",
    ];

    /// Why the record's spans do not fit its text (an offset past the end or a span ending
    /// before it starts), if they do not.
    pub fn offsets_error(&self) -> Option<String> {
        let len = self.text.chars().count();
        let spans = self
            .body
            .iter()
            .map(|s| ("body", s.start, s.end))
            .chain(self.removed.iter().map(|s| ("removed", s.start, s.end)))
            .chain(self.sentences.iter().map(|s| ("sentence", s.start, s.end)))
            .chain(self.mentions.iter().map(|m| ("mention", m.start, m.end)));
        for (what, start, end) in spans {
            if start > end || end > len {
                return Some(format!("{what} offsets {start}..{end} outside the text ({len} characters)"));
            }
        }
        None
    }

    /// The sentences of the story itself: the body's, without the credit lines after them.
    pub fn story_sentences(&self) -> &[Sentence] {
        let n = self.sentences.iter().position(|s| s.credit).unwrap_or(self.sentences.len());
        &self.sentences[..n]
    }

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
        Reject { source: source.into(), reason: reason.into(), raw: raw.map(|r| r.chars().take(300).collect()) }
    }

    /// A reject that keeps ALL of the offending input, so nothing is lost (a CSV span whose
    /// quotes swallowed other rows holds those rows).
    pub fn with_whole_raw(source: impl Into<String>, reason: impl Into<String>, raw: String) -> Self {
        Reject { source: source.into(), reason: reason.into(), raw: Some(raw) }
    }
}
