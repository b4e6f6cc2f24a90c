//! The article's own outlet and the lines that credit its staff without naming it.
//!
//! A wire story names its agency once, in the dateline ("MILAN (Reuters) - Italy's ...",
//! "RABAT, Morocco (AP) A senior ..."), and credits its reporters and editors in lines that do
//! not name it again ("Reporting by A in Quito; Editing by B and C", "By A and B", "A reported
//! from Beirut."). The annotators read those as the outlet's employees (62 of train's 392 missed
//! relations, 2026-11-26 stop 14), so the link stage links them to the dateline's outlet.
//! A page without a dateline may name its outlet at its end instead: China Daily's closing
//! "(China Daily European Weekly 01/13/2017 page25)" (291 of NewsArticles' first 2,500 rows), DW's
//! "Permalink http://dw.com/p/1Akae" (99), or a credit of its reporters ("Associated Press
//! reporters A in Buffalo and B in Dallas contributed reporting.") (stop 24).

use std::sync::LazyLock;

use regex::Regex;

use crate::record::{Article, Mention};
use crate::text_index::TextIndex;

/// After an outlet's name in parentheses: the issue's date and page, "(China Daily 01/13/2017 page25)".
static ISSUE_AND_PAGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s+\d{1,2}/\d{1,2}/\d{2,4}\s+page\s*\d+\s*\)").expect("issue and page pattern"));

/// A permalink of the page on its outlet's domain: "Permalink http://dw.com/p/1Akae".
static PERMALINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bpermalink:?\s+https?://(?:www\.)?(?P<label>[a-z0-9-]+)\.[a-z.]{2,6}/")
        .expect("permalink pattern")
});

/// Words after an outlet's name that make its people the outlet's reporters: "Associated Press
/// reporters A and B contributed reporting."
const REPORTER_WORDS: &[&str] = &[" reporter ", " reporters ", " writer ", " writers ", " correspondent "];

/// Characters read after an outlet's name for one of `REPORTER_WORDS`.
const REPORTER_CHARS: usize = 16;

/// How a line crediting reporters opens ("Reporting by A; Editing by B"), lowercased.
pub const REPORTING_BY: &[&str] = &["reporting by ", "additional reporting by "];

/// How a line crediting reporters ends ("A in New York contributed to this report."), lowercased.
pub const CONTRIBUTED: &[&str] =
    &["contributed to this report", "contributed reporting", "contributed to this story", "contributed to the report"];

/// A credit line naming the reporters of a news organisation ("Associated Press reporters A in
/// Buffalo and B in Albany contributed reporting.", "Reporting by the BBC's A, B and C."):
/// every person it names after the organisation works for it, however many it lists.
pub fn credits_reporters(sentence: &str) -> bool {
    let s = sentence.trim().trim_end_matches(['.', '"', '”', ' ']).to_lowercase();
    CONTRIBUTED.iter().any(|end| s.ends_with(end)) || REPORTING_BY.iter().any(|opener| s.starts_with(opener))
}

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

/// The article's own outlet: its dateline's, else the one `closing_outlet` finds.
pub fn article_outlet(article: &Article, index: &TextIndex) -> Option<usize> {
    dateline_outlet(article, index).or_else(|| closing_outlet(article, index))
}

/// The organisation of a closing issue line, of a permalink's domain, or of a line crediting
/// its reporters; None when these name none or two.
fn closing_outlet(article: &Article, index: &TextIndex) -> Option<usize> {
    let text = &article.text;
    let mut named = Vec::new();
    for m in article.mentions.iter().filter(|m| m.label.is_organisation()) {
        let (start, end) = (index.byte(m.start), index.byte(m.end));
        let closing_issue = text[..start].ends_with('(') && ISSUE_AND_PAGE.is_match(&text[end..]);
        let credited = || {
            let next_word = index.lowered(text, m.end, m.end + REPORTER_CHARS);
            REPORTER_WORDS.iter().any(|w| next_word.starts_with(w))
                && article
                    .sentences
                    .get(m.sentence)
                    .is_some_and(|s| credits_reporters(index.slice(text, s.start, s.end)))
        };
        if closing_issue || credited() {
            named.extend(m.entity);
        }
    }
    for c in PERMALINK.captures_iter(text) {
        let label = &c["label"].to_lowercase();
        let owner = article.entities.iter().filter(|e| e.label.is_organisation());
        named.extend(owner.filter(|e| e.name.to_lowercase().replace(' ', "") == *label).map(|e| e.id));
    }
    named.sort_unstable();
    named.dedup();
    match named[..] {
        [outlet] => Some(outlet),
        _ => None,
    }
}

/// Whether sentence `sentence` credits people to the article's outlet without naming any
/// organisation: "Reporting by A; Editing by B", "(Writing by A)", a byline of names only ("By A
/// and B"), "A reported from Beirut.", "A in New York contributed to this report.", "A reports.",
/// "..., writes A.", "Interview: A".
/// `people` are the sentence's person mentions, in text order.
pub fn credits_staff(text: &str, index: &TextIndex, sentence: (usize, usize), people: &[&Mention]) -> bool {
    let Some(first) = people.first() else {
        return false;
    };
    let line = index.slice(text, sentence.0, sentence.1);
    let lead = line.trim_start_matches(|c: char| c.is_whitespace() || c == '(' || c == '|');
    let lower = lead.to_lowercase();
    let staff_lines = ["editing by ", "writing by ", "compiled by ", "interview: "];
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
    // "A reports." alone, and a comment signed at its end: "..., writes A."
    let last = people.last().unwrap_or(first);
    let after_last = index.slice(text, last.end, sentence.1).trim();
    let before_first = index.slice(text, sentence.0, first.start).trim_start().to_lowercase();
    if (before_first.is_empty() && ["reports.", "reported."].contains(&after_first.trim()))
        || (after_last == "." && before_first.ends_with(", writes "))
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
    fn credit_lines_name_reporters() {
        assert!(credits_reporters(
            "Associated Press reporters Robert Bumsted in Buffalo and Jake Bleiberg in Dallas contributed reporting."
        ));
        assert!(credits_reporters("Reporting by the BBC's Tessa Wong, Kevin Ponniah and Jay Savage."));
        assert!(credits_reporters("ABC News' Anthony Trotter and Luis Martinez contributed to this report. "));
        assert!(!credits_reporters("Reuters reported that John Smith resigned."));
        assert!(!credits_reporters("John Smith contributed $5,000 to the campaign."));
    }

    #[test]
    fn a_page_without_a_dateline_names_its_outlet_at_its_end() {
        use super::super::testing::article_of_sentences;
        use EntityType::{Company, Person};
        let outlet = |sentences: &[&str], names: &[(&str, EntityType)]| {
            let a = article_of_sentences(sentences, names);
            article_outlet(&a, &TextIndex::new(&a.text)).map(|e| a.entities[e].name.clone())
        };
        let names = [("Alibaba", Company), ("Ai Heping", Person), ("China Daily European Weekly", Company)];
        let closing = [
            "Alibaba plans to create jobs.",
            "Ai Heping in New York contributed to this report.",
            "(China Daily European Weekly 01/13/2017 page25)",
        ];
        assert_eq!(outlet(&closing, &names).as_deref(), Some("China Daily European Weekly"));
        let names = [("Adidas", Company), ("DW", Company)];
        let permalink = ["Adidas told DW so.", "Send Facebook Twitter Permalink http://dw.com/p/1Akae"];
        assert_eq!(outlet(&permalink, &names).as_deref(), Some("DW"));
        let names = [("Associated Press", Company), ("Robert Bumsted", Person)];
        let reporters = ["Associated Press reporters Robert Bumsted in Buffalo contributed reporting."];
        assert_eq!(outlet(&reporters, &names).as_deref(), Some("Associated Press"));
        // An outlet merely quoted, or named in a link to another site, is not the page's own.
        let names = [("Associated Press", Company), ("Reuters", Company)];
        let quoted = ["The Associated Press reported that Reuters had it first.", "See http://reuters.com/a/1."];
        assert_eq!(outlet(&quoted, &names), None);
    }

    #[test]
    fn credit_lines_and_bylines_credit_staff() {
        assert!(credits("Joanna Mayhew reports.", &["Joanna Mayhew"]));
        assert!(credits("But his calculation just doesn't add up, writes Katja Keppner.", &["Katja Keppner"]));
        assert!(credits("Interview: Daniel Pelz", &["Daniel Pelz"]));
        assert!(!credits("Ann Lee reports on the war for the Guardian.", &["Ann Lee"]));
        assert!(!credits("The plan fails, writes Ann Lee in her new book.", &["Ann Lee"]));
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
