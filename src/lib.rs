//! newstag: tag news articles with entities, themes and the links between them.
//!
//! Shape: readers (`input`) → stages (`stages`: clean, segment, ner, resolve, topics, link) →
//! writers (`output`), with `runner` running the stages over a stream in parallel. All record
//! types are in `record`.

pub mod aggregate;
pub mod bert_int8;
pub mod body_eval;
pub mod embed;
pub mod error;
pub mod eval;
pub mod input;
pub mod lexicon;
pub mod link_eval;
pub mod models;
pub mod output;
pub mod record;
pub mod runner;
pub mod shape;
pub mod stages;
pub mod taxonomy;
pub mod text_index;
pub mod topic_eval;
pub mod topic_heads;
pub mod topic_lexicon;

pub use error::{Error, Result};
pub use record::Article;
