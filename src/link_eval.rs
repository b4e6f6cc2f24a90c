//! Person↔organisation link evaluation against hand-annotated relations (`eval-links`).
//!
//! A predicted link (person-company / person-organization record) matches a gold relation of
//! the same article when both ends name the same thing: equal names, a name made of the other's
//! words ("Ma" / "Jack Ma"), or an acronym (resolve's `same_thing`, applied both ways). Precision
//! counts predicted links that match some gold relation; recall counts gold relations that some
//! predicted link matches, also per gold role.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;

use crate::eval::Counts;
use crate::record::{Article, LinkKind};
use crate::stages::resolve::{clean_name, same_thing};

/// A stated relation of the annotated corpus (data/annotated, via scripts/annotate/texts.py).
#[derive(Debug, Clone, Deserialize)]
pub struct GoldRelation {
    pub person: String,
    pub org: String,
    pub role: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct LinkedArticle {
    pub id: String,
    pub text: String,
    #[serde(default)]
    pub relations: Vec<GoldRelation>,
}

fn names_match(a: &str, b: &str) -> bool {
    let (a, b) = (clean_name(a), clean_name(b));
    !a.is_empty() && !b.is_empty() && (same_thing(&a, &b) || same_thing(&b, &a))
}

/// Link scores: overall counts and recall per gold role.
#[derive(Debug, Default)]
pub struct LinkScores {
    pub overall: Counts,
    /// role → (gold relations found, gold relations)
    pub by_role: BTreeMap<String, (usize, usize)>,
    pub articles: usize,
}

impl LinkScores {
    pub fn add(&mut self, gold: &[GoldRelation], predicted: &Article) {
        self.articles += 1;
        let links: Vec<(&str, &str)> = predicted
            .links
            .iter()
            .filter(|l| matches!(l.kind, LinkKind::PersonCompany | LinkKind::PersonOrganization))
            .map(|l| (l.source.as_str(), l.target.as_str()))
            .collect();
        let matches =
            |(person, org): (&str, &str), g: &GoldRelation| names_match(person, &g.person) && names_match(org, &g.org);
        for &link in &links {
            if gold.iter().any(|g| matches(link, g)) {
                self.overall.true_pos += 1;
            } else {
                self.overall.false_pos += 1;
            }
        }
        for g in gold {
            let found = links.iter().any(|&link| matches(link, g));
            let entry = self.by_role.entry(g.role.clone()).or_default();
            entry.1 += 1;
            if found {
                entry.0 += 1;
            } else {
                self.overall.false_neg += 1;
            }
        }
    }
}

impl fmt::Display for LinkScores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.overall;
        writeln!(f, "| links | precision | recall | F1 | predicted | gold |")?;
        writeln!(f, "|---|---:|---:|---:|---:|---:|")?;
        let gold: usize = self.by_role.values().map(|v| v.1).sum();
        writeln!(f, "| person↔organisation | {} | {} | {gold} |", c.prf(), c.true_pos + c.false_pos)?;
        writeln!(f, "\n| gold role | recall | found | gold |\n|---|---:|---:|---:|")?;
        for (role, (found, total)) in &self.by_role {
            writeln!(f, "| {role} | {:.1} | {found} | {total} |", 100.0 * *found as f64 / (*total).max(1) as f64)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Link;

    #[test]
    fn links_match_gold_relations_by_name_forms() {
        let gold = vec![
            GoldRelation { person: "Jack Ma".into(), org: "Alibaba Group".into(), role: "founder".into() },
            GoldRelation { person: "Tim Cook".into(), org: "Apple".into(), role: "ceo".into() },
        ];
        let link = |s: &str, t: &str| Link {
            kind: LinkKind::PersonCompany,
            source: s.into(),
            target: t.into(),
            weight: 1.0,
            evidence: vec![0],
        };
        let article =
            Article { links: vec![link("Ma", "Alibaba"), link("Donald Trump", "Alibaba")], ..Default::default() };
        let mut scores = LinkScores::default();
        scores.add(&gold, &article);
        assert_eq!((scores.overall.true_pos, scores.overall.false_pos, scores.overall.false_neg), (1, 1, 1));
        assert_eq!(scores.by_role["founder"], (1, 1));
        assert_eq!(scores.by_role["ceo"], (0, 1));
    }
}
