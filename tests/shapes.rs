//! Metamorphic test on hand-annotated articles: the same dev articles hard-wrapped, with CRLF,
//! with `_x000D_` export artifacts, with an ALL-CAPS headline and dateline, and as an HTML page
//! get the same entities (micro F1 within one point of the original's against the moved gold
//! spans), and every mention's offsets slice its own text in the reshaped article.
//! The texts are rebuilt from the packaged corpora by scripts/annotate/texts.py (standoff
//! annotations: the repository holds offsets and hashes, not the articles).

mod common;

use common::*;

/// Dev articles the test tags in each of the six shapes (the README figure uses all of them).
const ARTICLES: usize = 30;

#[test]
fn annotated_articles_get_the_same_entities_in_every_text_shape() {
    let dir = tempfile::tempdir().unwrap();
    let rebuilt = std::process::Command::new(root().join(".venv/bin/python"))
        .arg(root().join("scripts/annotate/texts.py"))
        .arg(root().join("data/annotated/dev.jsonl"))
        .output()
        .expect("run scripts/annotate/texts.py");
    assert!(rebuilt.status.success(), "{}", String::from_utf8_lossy(&rebuilt.stderr));
    let gold = dir.path().join("dev.jsonl");
    let lines: Vec<&str> = std::str::from_utf8(&rebuilt.stdout).unwrap().lines().take(ARTICLES).collect();
    assert_eq!(lines.len(), ARTICLES);
    std::fs::write(&gold, lines.join("\n") + "\n").unwrap();
    let out = newstag_ok(&["eval", "--gold", gold.to_str().unwrap(), "--shapes", "--quiet"], None, 0);
    let report = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<Vec<&str>> = report
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| shape"))
        .map(|l| l.trim_matches('|').split('|').map(str::trim).collect())
        .collect();
    let shapes: Vec<&str> = rows.iter().map(|r| r[0]).collect();
    assert_eq!(
        shapes,
        ["original", "hard-wrapped 68-72", "CRLF", "_x000D_ artifacts", "ALL-CAPS headline and dateline", "HTML page"],
        "{report}"
    );
    let original_f1: f64 = rows[0][4].parse().unwrap();
    assert!(original_f1 > 50.0, "the model tags the originals: {report}");
    for row in &rows {
        assert_eq!(row[1], ARTICLES.to_string(), "every article placed in shape {}: {report}", row[0]);
        let change: f64 = row[5].parse().unwrap();
        assert!(change.abs() <= 1.0, "{}: F1 moved by {change}\n{report}", row[0]);
        assert_eq!(row[6], "0", "mentions off their text in shape {}\n{report}", row[0]);
    }
}
