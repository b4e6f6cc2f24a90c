//! The article's own outlet and the lines that credit its staff without naming it.
//!
//! A wire story names its agency once, in the dateline ("MILAN (Reuters) - Italy's ...",
//! "RABAT, Morocco (AP) A senior ..."), and credits its reporters and editors in lines that do
//! not name it again ("Reporting by A in Quito; Editing by B and C", "By A and B", "A reported
//! from Beirut."). The annotators read those as the outlet's employees (62 of train's 392 missed
//! relations, 2026-11-26 stop 14), so the link stage links them to the dateline's outlet.

use crate::record::{Article, Mention};
use crate::text_index::TextIndex;

/// How a line crediting reporters opens ("Reporting by A; Editing by B"), lowercased.
pub const REPORTING_BY: &[&str] = &["reporting by ", "additional reporting by "];

/// How a line crediting reporters ends ("A in New York contributed to this report."), lowercased.
pub const CONTRIBUTED: &[&str] =
    &["contributed to this report", "contributed reporting", "contributed to this story", "contributed to the report"];

/// The organisation entity a dateline names: an organisation mention in parentheses, followed by
/// a dash ("Aug 3 (Reuters) - ") or opening a line after an upper-case place ("LOS ANGELES (AP)
/// President ..."). None when the article has no dateline, or datelines of two outlets.
pub fn dateline_outlet(article: &Article, index: &TextIndex) -> Option<usize> {
    let text = &article.text;
    let mut found = None;
    for m in article.mentions.iter().filter(|m| m.label.is_organisation()) {
        let (start, end) = (index.byte(m.start), index.byte(m.end));
        if !text[..start].ends_with('(') || !text[end..].starts_with(')') {
            continue;
        }
        let after = text[end + 1..].trim_start_matches([' ', '\u{a0}']);
        let line = text[..start - 1].rsplit(['\n', '\r', '|']).next().unwrap_or("").trim();
        let dashed = after.starts_with(['-', '—', '–']);
        let first_word = line.split([' ', ',']).next().unwrap_or("");
        let place_first = line.chars().count() <= 60
            && first_word.chars().count() >= 2
            && first_word.chars().all(|c| c.is_uppercase() || c == '.' || c == '/');
        if !(dashed || place_first) {
            continue;
        }
        match (found, m.entity) {
            (_, None) => {}
            (None, Some(e)) => found = Some(e),
            (Some(f), Some(e)) if f != e => return None,
            _ => {}
        }
    }
    found
}

/// Whether sentence `sentence` credits people to the article's outlet without naming any
/// organisation: "Reporting by A; Editing by B", "(Writing by A)", a byline of names only ("By A
/// and B"), "A reported from Beirut.", "A in New York contributed to this report."
/// `people` are the sentence's person mentions, in text order.
pub fn credits_staff(text: &str, index: &TextIndex, sentence: (usize, usize), people: &[&Mention]) -> bool {
    let Some(first) = people.first() else {
        return false;
    };
    let line = index.slice(text, sentence.0, sentence.1);
    let lead = line.trim_start_matches(|c: char| c.is_whitespace() || c == '(' || c == '|');
    let lower = lead.to_lowercase();
    let staff_lines = ["editing by ", "writing by ", "compiled by "];
    if REPORTING_BY.iter().chain(&staff_lines).any(|p| lower.starts_with(p)) {
        return true;
    }
    let after_first = index.slice(text, first.end, sentence.1).to_lowercase();
    let ends = lower.trim_end_matches(['.', ')', ' ', '\r', '\n']);
    // "A reported from Beirut." is a credit; "A reported from the scene that ..." is news.
    let short = after_first.split_whitespace().count() <= 6;
    if (short && after_first.trim_start().starts_with("reported from "))
        || CONTRIBUTED.iter().any(|e| ends.ends_with(e))
    {
        return true;
    }
    // A byline: "By" and nothing but the names, commas and "and" up to the line's end.
    if !lower.starts_with("by ") {
        return false;
    }
    let mut cursor = index.byte(sentence.0) + (line.len() - lead.len()) + 3;
    for p in people {
        let gap = &text[cursor..index.byte(p.start)];
        if !gap.split([' ', ',', '\u{a0}']).all(|w| w.is_empty() || w == "and") {
            return false;
        }
        cursor = index.byte(p.end);
    }
    let rest = &text[cursor..index.byte(sentence.1)];
    rest.trim().is_empty() || rest.trim_start().starts_with(['(', '\n', '\r'])
}

#[cfg(test)]
mod tests {
    use super::super::testing::one_sentence_article as article;
    use super::*;
    use crate::record::EntityType;

    fn credits(text: &str, people: &[&str]) -> bool {
        let names: Vec<(&str, EntityType)> = people.iter().map(|p| (*p, EntityType::Person)).collect();
        let a = article(text, &names);
        let index = TextIndex::new(text);
        let mentions: Vec<&Mention> = a.mentions.iter().collect();
        credits_staff(text, &index, (0, index.char_len()), &mentions)
    }

    #[test]
    fn a_dateline_names_the_outlet() {
        use EntityType::{Company, Location};
        let text = "SARAJEVO, Nov 26 (Reuters) - Bosnia's parliament voted.";
        assert_eq!(dateline_outlet(&article(text, &[("Reuters", Company)]), &TextIndex::new(text)), Some(0));
        let text = "RABAT, Morocco (AP) A senior official said.";
        assert_eq!(dateline_outlet(&article(text, &[("AP", Company)]), &TextIndex::new(text)), Some(0));
        // A bracketed organisation inside a sentence is no dateline; nor is a bracketed place.
        let text = "The party said its leader (NLD) would stay.";
        assert_eq!(dateline_outlet(&article(text, &[("NLD", Company)]), &TextIndex::new(text)), None);
        let text = "KYIV (Ukraine) - Talks began.";
        assert_eq!(dateline_outlet(&article(text, &[("Ukraine", Location)]), &TextIndex::new(text)), None);
        // Two outlets' datelines: which one wrote the credits is unknown.
        let text = "MILAN (Reuters) - One.\nPARIS (AFP) - Two.";
        assert_eq!(
            dateline_outlet(&article(text, &[("Reuters", Company), ("AFP", Company)]), &TextIndex::new(text)),
            None
        );
    }

    #[test]
    fn credit_lines_and_bylines_credit_staff() {
        assert!(credits("(Reporting by Valentina Za; Editing by Agnieszka Flak and Mark Potter)", &["Valentina Za"]));
        assert!(credits("Editing by Peter Graff", &["Peter Graff"]));
        assert!(credits("Karam reported from Beirut.", &["Karam"]));
        assert!(credits("By Humeyra Pamuk and Daphne Psaledakis", &["Humeyra Pamuk", "Daphne Psaledakis"]));
        assert!(credits("| By MICHAEL R. BLOOD", &["MICHAEL R. BLOOD"]));
        assert!(credits("By Brijesh Patel (Reuters) - Gold prices fell on Thursday.", &["Brijesh Patel"]));
        // "By" opening an ordinary sentence, and a person merely named, credit nobody.
        assert!(!credits("By contrast, Joe Biden said the vote would pass.", &["Joe Biden"]));
        assert!(!credits("By Friday, Ann Lee had left the company.", &["Ann Lee"]));
        assert!(!credits("Ann Lee reported the theft to police.", &["Ann Lee"]));
        assert!(!credits("Ann Lee reported from the scene that two men had been arrested.", &["Ann Lee"]));
    }
}
