//! Person↔organisation link evaluation against hand-annotated relations (`eval-links`).
//!
//! A predicted link (person-company / person-organization record) matches a gold relation of
//! the same article when both ends name the same thing: equal names, a name made of the other's
//! words ("Ma" / "Jack Ma"), or an acronym (resolve's `same_thing`, applied both ways), the
//! link's end read as its canonical name or as any name the article gives that entity, when
//! that name is the gold name. Precision
//! counts predicted links that match some gold relation; recall counts gold relations that some
//! predicted link matches, also per gold role.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::Deserialize;

use crate::eval::Counts;
use crate::record::{Article, Link, LinkKind, RelationPattern};
use crate::stages::resolve::{clean_name, same_thing};
use crate::text_index::TextIndex;

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

/// A stated link that names no gold relation (`false`), or a gold relation that no stated link
/// names (`missed`), for reading what the link stage gets wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkError {
    pub missed: bool,
    pub article: String,
    pub person: String,
    pub org: String,
    /// The predicted role (none for a co-mention) or the gold role.
    pub role: String,
    /// The sentence a false link was stated in (empty for a missed relation).
    pub sentence: String,
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.missed { "missed" } else { "false" };
        let sentence = self.sentence.replace(['\n', '\t'], " ");
        write!(f, "{what}\t{}\t{}\t{}\t{}\t{sentence}", self.article, self.person, self.org, self.role)
    }
}

/// Link scores: overall counts and recall per gold role.
#[derive(Debug, Default)]
pub struct LinkScores {
    /// Also count co-mention links as predictions (the "before" figure: every person and
    /// organisation named in one sentence).
    pub with_co_mentions: bool,
    pub overall: Counts,
    /// role → (gold relations found, gold relations)
    pub by_role: BTreeMap<String, (usize, usize)>,
    /// Predicted links that match a gold relation, and those whose role is the gold role.
    pub role_checked: (usize, usize),
    pub articles: usize,
    /// Every false link and missed relation, in article order.
    pub errors: Vec<LinkError>,
    /// pattern → (true links, predicted links): how precise each reading is.
    pub by_pattern: BTreeMap<RelationPattern, (usize, usize)>,
    /// (confidence, true) of every predicted link.
    pub confidences: Vec<(f32, bool)>,
    /// The highest confidence of the links that name each gold relation (None: none does).
    pub gold_confidences: Vec<Option<f32>>,
}

/// The confidence cuts `eval-links` reports precision and recall at.
const CONFIDENCE_CUTS: [f32; 6] = [0.6, 0.7, 0.8, 0.85, 0.9, 0.95];

impl LinkScores {
    pub fn new(with_co_mentions: bool) -> Self {
        LinkScores { with_co_mentions, ..Default::default() }
    }

    pub fn add(&mut self, gold: &[GoldRelation], predicted: &Article) {
        self.articles += 1;
        let links: Vec<&Link> = predicted
            .links
            .iter()
            .filter(|l| match l.kind {
                LinkKind::PersonCompany | LinkKind::PersonOrganization => true,
                LinkKind::PersonOrganizationCoMention => self.with_co_mentions,
                LinkKind::EntityTopic => false,
            })
            .collect();
        // Every name the text gives a linked entity: the annotators name an organisation by any
        // of its forms ("BCJI" or "Bureau Central d'Investigation Judiciaire"). A form counts
        // only when it is the gold name itself: "Skolkovo" of "Skolkovo Institute of Science and
        // Technology" is no "Skolkovo Moscow School of Management".
        let mut forms: HashMap<&str, Vec<&str>> = HashMap::new();
        for entity in &predicted.entities {
            let names = forms.entry(entity.name.as_str()).or_default();
            names.extend(entity.mentions.iter().filter_map(|&m| predicted.mentions.get(m)).map(|m| m.text.as_str()));
        }
        let named = |name: &str, gold: &str| {
            names_match(name, gold)
                || forms
                    .get(name)
                    .is_some_and(|all| all.iter().any(|form| clean_name(form).eq_ignore_ascii_case(&clean_name(gold))))
        };
        let matches = |link: &Link, g: &GoldRelation| named(&link.source, &g.person) && named(&link.target, &g.org);
        let index = TextIndex::new(&predicted.text);
        for &link in &links {
            let role = link.role.map(|r| r.as_str());
            let found = gold.iter().find(|g| matches(link, g));
            self.confidences.push((link.weight, found.is_some()));
            if let Some(pattern) = link.pattern {
                let entry = self.by_pattern.entry(pattern).or_default();
                entry.0 += usize::from(found.is_some());
                entry.1 += 1;
            }
            match found {
                Some(g) => {
                    self.overall.true_pos += 1;
                    self.role_checked.0 += 1;
                    self.role_checked.1 += usize::from(role == Some(g.role.as_str()));
                }
                None => {
                    self.overall.false_pos += 1;
                    let sentence = link
                        .evidence
                        .first()
                        .and_then(|&i| predicted.sentences.iter().find(|s| s.id == i))
                        .map(|s| index.slice(&predicted.text, s.start, s.end).to_string())
                        .unwrap_or_default();
                    self.errors.push(LinkError {
                        missed: false,
                        article: predicted.id.clone(),
                        person: link.source.clone(),
                        org: link.target.clone(),
                        role: match link.pattern {
                            Some(pattern) => format!("{} ({})", role.unwrap_or_default(), pattern.as_str()),
                            None => role.unwrap_or_default().to_string(),
                        },
                        sentence,
                    });
                }
            }
        }
        for g in gold {
            let best = links.iter().filter(|&&link| matches(link, g)).map(|link| link.weight).reduce(f32::max);
            self.gold_confidences.push(best);
            let found = best.is_some();
            let entry = self.by_role.entry(g.role.clone()).or_default();
            entry.1 += 1;
            if found {
                entry.0 += 1;
            } else {
                self.overall.false_neg += 1;
                self.errors.push(LinkError {
                    missed: true,
                    article: predicted.id.clone(),
                    person: g.person.clone(),
                    org: g.org.clone(),
                    role: g.role.clone(),
                    sentence: String::new(),
                });
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
        let what = if self.with_co_mentions { "stated + co-mention" } else { "stated (with role)" };
        writeln!(f, "| person↔organisation, {what} | {} | {} | {gold} |", c.prf(), c.true_pos + c.false_pos)?;
        if !self.with_co_mentions {
            let (matched, right) = self.role_checked;
            let share = 100.0 * right as f64 / matched.max(1) as f64;
            writeln!(f, "\nrole equal to the gold role: {right} of {matched} matched links ({share:.1}%)")?;
        }
        if !self.with_co_mentions {
            writeln!(f, "\n| confidence at least | precision | recall | predicted |\n|---|---:|---:|---:|")?;
            for cut in CONFIDENCE_CUTS {
                let kept: Vec<bool> = self.confidences.iter().filter(|(w, _)| *w >= cut).map(|(_, t)| *t).collect();
                let right = kept.iter().filter(|&&t| t).count();
                let found = self.gold_confidences.iter().filter(|w| w.is_some_and(|w| w >= cut)).count();
                let precision = 100.0 * right as f64 / kept.len().max(1) as f64;
                let recall = 100.0 * found as f64 / gold.max(1) as f64;
                writeln!(f, "| {cut:.2} | {precision:.1} | {recall:.1} | {} |", kept.len())?;
            }
        }
        if !self.with_co_mentions && !self.by_pattern.is_empty() {
            writeln!(f, "\n| pattern | precision | true | predicted |\n|---|---:|---:|---:|")?;
            for (pattern, (right, total)) in &self.by_pattern {
                let precision = 100.0 * *right as f64 / (*total).max(1) as f64;
                writeln!(f, "| {} | {precision:.1} | {right} | {total} |", pattern.as_str())?;
            }
        }
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
            role: None,
            pattern: Some(RelationPattern::Affiliation),
            weight: 1.0,
            evidence: vec![0],
        };
        let article = Article {
            id: "a".into(),
            text: "Ma met Donald Trump at Alibaba.".into(),
            sentences: vec![crate::record::Sentence { id: 0, start: 0, end: 31, tokens: vec![], credit: false }],
            links: vec![link("Ma", "Alibaba"), link("Donald Trump", "Alibaba")],
            ..Default::default()
        };
        let mut scores = LinkScores::new(false);
        scores.add(&gold, &article);
        assert_eq!((scores.overall.true_pos, scores.overall.false_pos, scores.overall.false_neg), (1, 1, 1));
        assert_eq!(scores.by_role["founder"], (1, 1));
        assert_eq!(scores.by_role["ceo"], (0, 1));
        assert_eq!(scores.by_pattern[&RelationPattern::Affiliation], (1, 2));
        let shown: Vec<String> = scores.errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "false\ta\tDonald Trump\tAlibaba\t (affiliation)\tMa met Donald Trump at Alibaba.",
                "missed\ta\tTim Cook\tApple\tceo\t"
            ]
        );
        assert!(scores.to_string().contains("| affiliation | 50.0 | 1 | 2 |"));
    }

    #[test]
    fn precision_and_recall_are_shown_per_confidence_cut() {
        let gold = vec![
            GoldRelation { person: "Jack Ma".into(), org: "Alibaba".into(), role: "founder".into() },
            GoldRelation { person: "Tim Cook".into(), org: "Apple".into(), role: "ceo".into() },
        ];
        let link = |s: &str, t: &str, weight: f32| Link {
            kind: LinkKind::PersonCompany,
            source: s.into(),
            target: t.into(),
            role: None,
            pattern: None,
            weight,
            evidence: vec![0],
        };
        let article = Article {
            id: "a".into(),
            text: "Jack Ma, Tim Cook and Ann Lee met at Alibaba and Apple.".into(),
            links: vec![
                link("Jack Ma", "Alibaba", 0.95),
                link("Tim Cook", "Apple", 0.8),
                link("Ann Lee", "Apple", 0.7),
            ],
            ..Default::default()
        };
        let mut scores = LinkScores::new(false);
        scores.add(&gold, &article);
        let table = scores.to_string();
        // All three links: 2 of 3 true, both relations found; from 0.8 on, both true; at 0.9, one.
        assert!(table.contains("| 0.70 | 66.7 | 100.0 | 3 |"), "{table}");
        assert!(table.contains("| 0.80 | 100.0 | 100.0 | 2 |"), "{table}");
        assert!(table.contains("| 0.90 | 100.0 | 50.0 | 1 |"), "{table}");
    }

    #[test]
    fn a_gold_name_may_be_any_name_the_article_gives_the_linked_entity() {
        use crate::record::{Entity, EntityType, Mention};
        let gold = |org: &str| {
            vec![GoldRelation { person: "Adelhak Khiame".into(), org: org.into(), role: "official".into() }]
        };
        let text = "Adelhak Khiame, director of the Bureau Central d'Investigation Judiciaire (BCJI), said.";
        let mention = |name: &str| Mention {
            text: name.into(),
            start: text.find(name).unwrap(),
            end: text.find(name).unwrap() + name.len(),
            label: EntityType::Organization,
            score: 1.0,
            sentence: 0,
            entity: Some(0),
        };
        let bureau = "Bureau Central d'Investigation Judiciaire";
        let article = Article {
            id: "a".into(),
            text: text.into(),
            mentions: vec![mention(bureau), mention("BCJI")],
            entities: vec![Entity {
                id: 0,
                name: bureau.into(),
                label: EntityType::Organization,
                mentions: vec![0, 1],
                first_start: 32,
                score: 1.0,
                salience: 1.0,
            }],
            links: vec![Link {
                kind: LinkKind::PersonOrganization,
                source: "Adelhak Khiame".into(),
                target: bureau.into(),
                role: None,
                pattern: None,
                weight: 1.0,
                evidence: vec![0],
            }],
            ..Default::default()
        };
        let true_pos = |org: &str| {
            let mut scores = LinkScores::new(false);
            scores.add(&gold(org), &article);
            scores.overall.true_pos
        };
        assert_eq!(true_pos("BCJI"), 1);
        assert_eq!(true_pos("Bureau Central d'Investigation Judiciaire"), 1);
        // Another body that shares a word is not named by either form.
        assert_eq!(true_pos("Bureau of Prisons"), 0);
    }
}
