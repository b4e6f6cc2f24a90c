//! Body recall of the clean stage: how many gold entities of annotated articles fall inside
//! spans clean left out. An entity clean removes can never be tagged, so this is a ceiling on
//! recall that no NER model can lift. Byline lines are counted apart: the author of a story is
//! not something it reports on, and leaving the byline out is a documented choice.

use std::collections::BTreeMap;
use std::fmt;

use crate::error::Result;
use crate::eval::GoldDoc;
use crate::record::{Article, RemovalReason};
use crate::stages::clean::Clean;
use crate::stages::Stage;

/// A gold entity that clean removed, with the reason of the span it fell in.
#[derive(Debug, Clone)]
pub struct LostEntity {
    pub doc: String,
    pub surface: String,
    pub reason: RemovalReason,
    /// The removed line around it, for reading the report.
    pub line: String,
}

#[derive(Debug, Default)]
pub struct BodyRecall {
    pub documents: usize,
    pub entities: usize,
    pub lost: Vec<LostEntity>,
}

impl BodyRecall {
    /// Runs clean on every gold text and collects the gold entities inside removed spans.
    pub fn measure(gold: &[GoldDoc]) -> Result<BodyRecall> {
        let mut clean = Clean::default();
        let mut recall = BodyRecall::default();
        for doc in gold {
            let article =
                clean.process(Article { id: doc.id.clone(), text: doc.text.clone(), ..Default::default() })?;
            recall.documents += 1;
            recall.entities += doc.entities.len();
            for entity in &doc.entities {
                let inside = article.removed.iter().find(|r| r.start < entity.end && entity.start < r.end);
                if let Some(removed) = inside {
                    recall.lost.push(LostEntity {
                        doc: doc.id.clone(),
                        surface: article.slice(entity.start, entity.end),
                        reason: removed.reason,
                        line: article.slice(removed.start, removed.end),
                    });
                }
            }
        }
        Ok(recall)
    }

    /// Lost entities outside byline lines.
    pub fn lost_from_body(&self) -> usize {
        self.lost.iter().filter(|l| l.reason != RemovalReason::Byline).count()
    }

    /// Share of gold entities that stay in the body, byline entities left out of both counts.
    pub fn recall(&self) -> f64 {
        let bylines = self.lost.len() - self.lost_from_body();
        let counted = self.entities - bylines;
        if counted == 0 {
            return 1.0;
        }
        1.0 - self.lost_from_body() as f64 / counted as f64
    }

    pub fn by_reason(&self) -> BTreeMap<RemovalReason, usize> {
        let mut counts = BTreeMap::new();
        for lost in &self.lost {
            *counts.entry(lost.reason).or_default() += 1;
        }
        counts
    }
}

impl fmt::Display for BodyRecall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bylines = self.lost.len() - self.lost_from_body();
        writeln!(f, "{} documents, {} gold entities", self.documents, self.entities)?;
        writeln!(
            f,
            "body recall: {:.2}% ({} of {} entities outside byline lines removed)",
            100.0 * self.recall(),
            self.lost_from_body(),
            self.entities - bylines
        )?;
        writeln!(f, "in byline lines (counted apart): {bylines}")?;
        writeln!(f, "| removed as | entities |")?;
        writeln!(f, "|---|---|")?;
        for (reason, count) in self.by_reason() {
            writeln!(f, "| {} | {count} |", reason.as_str())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::LabelledSpan;
    use crate::record::EntityType;

    fn doc(text: &str, names: &[&str]) -> GoldDoc {
        let entities = names
            .iter()
            .map(|name| {
                let byte = text.find(name).expect("name in text");
                let start = text[..byte].chars().count();
                LabelledSpan { start, end: start + name.chars().count(), label: EntityType::Person }
            })
            .collect();
        GoldDoc { id: "d".into(), text: text.into(), entities }
    }

    #[test]
    fn an_entity_in_a_menu_line_is_lost_and_one_in_the_body_is_not() {
        let text = "Menu\nBy Jane Porter\nJohn Smith said on Monday that the company would hire more workers in the region this year, and that the plans had been approved by the board.\nFollow Us\n";
        let recall = BodyRecall::measure(&[doc(text, &["Jane Porter", "John Smith"])]).unwrap();
        assert_eq!(recall.entities, 2);
        assert_eq!(recall.lost.len(), 1, "{:?}", recall.lost);
        assert_eq!(recall.lost[0].reason, RemovalReason::Byline);
        assert_eq!(recall.recall(), 1.0);
    }
}
