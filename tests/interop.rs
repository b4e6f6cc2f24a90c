//! The tables outside newstag: Parquet read back by pyarrow, the Spark job in local mode, and
//! `newstag pipe --emit rows`, each compared with the CSV tables `tag` writes for the same input.
//! Python tools come from .venv (scripts/test.sh installs pyarrow and pyspark there).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

fn python() -> PathBuf {
    let python = root().join(".venv/bin/python");
    assert!(python.is_file(), "{} missing: run scripts/test.sh", python.display());
    python
}

/// Runs scripts/spark/compare_tables.py; returns its report, failing the test on a difference.
fn compare_tables(csv_dir: &Path, parquet_dir: &Path) -> String {
    let out = Command::new(python())
        .arg(root().join("scripts/spark/compare_tables.py"))
        .args([csv_dir, parquet_dir])
        .output()
        .expect("run compare_tables.py");
    let report = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success(), "tables differ:\n{report}\n{}", String::from_utf8_lossy(&out.stderr));
    report
}

/// A JSONL input: the seed page with a date, a record that is not JSON, and a one-line story
/// without an id; plus a CSV cut of the first 6 packaged news articles.
fn inputs(dir: &Path) -> (PathBuf, PathBuf) {
    let seed = std::fs::read_to_string(seeds().join("alibaba-ma-trump.txt")).unwrap();
    let jsonl = dir.join("dump.jsonl");
    let lines = [
        serde_json::json!({"id": "alibaba-ma-trump", "text": seed, "date": "2017-01-09"}).to_string(),
        r#"{"id": "broken", "text": "#.to_string(),
        serde_json::json!({"text": "Jack Ma met Donald Trump in New York on Monday, Alibaba said."}).to_string(),
    ];
    std::fs::write(&jsonl, lines.join("\n") + "\n").unwrap();
    let csv = dir.join("news.csv");
    let mut reader = csv::Reader::from_path(news_sample()).unwrap();
    let mut writer = csv::Writer::from_path(&csv).unwrap();
    writer.write_record(reader.headers().unwrap()).unwrap();
    for record in reader.records().take(6) {
        writer.write_record(&record.unwrap()).unwrap();
    }
    writer.flush().unwrap();
    (jsonl, csv)
}

fn tag_args<'a>(jsonl: &'a str, csv: &'a str, out: &'a str, format: &'a str) -> Vec<&'a str> {
    let mut args = vec!["tag", jsonl, csv, "--out", out, "--format", format, "--quiet"];
    args.extend(NEWS_COLUMNS);
    args
}

#[test]
fn parquet_tables_read_back_by_pyarrow_equal_the_csv_tables() {
    let dir = tempfile::tempdir().unwrap();
    let (jsonl, csv) = inputs(dir.path());
    let out = dir.path().join("out");
    let (jsonl, csv, out_s) = (jsonl.to_str().unwrap(), csv.to_str().unwrap(), out.to_str().unwrap());
    newstag_ok(&tag_args(jsonl, csv, out_s, "all"), None, 0);
    let report = compare_tables(&out, &out);
    // Typed columns, not strings; and the seed's rows are there.
    assert!(report.contains("entities:") && report.contains("first_start uint64, score float"), "{report}");
    let entities = csv_rows(&out.join("entities.csv"));
    assert!(entities.iter().any(|r| &r[3] == "Jack Ma" && &r[4] == "person"));

    // A Parquet-only run publishes the Parquet tables and no CSV.
    let only = dir.path().join("only");
    newstag_ok(&tag_args(jsonl, csv, only.to_str().unwrap(), "parquet"), None, 0);
    for table in ["articles", "entities", "mentions", "topics", "links"] {
        assert!(only.join(format!("{table}.parquet")).is_file(), "{table}.parquet missing");
        assert!(!only.join(format!("{table}.csv")).exists(), "{table}.csv written in a parquet-only run");
    }
    compare_tables(&out, &only);
}

#[test]
fn pipe_emit_rows_gives_the_rows_of_the_csv_tables() {
    let dir = tempfile::tempdir().unwrap();
    let (dump, _) = inputs(dir.path());
    let out = dir.path().join("out");
    newstag_ok(&["tag", dump.to_str().unwrap(), "--out", out.to_str().unwrap(), "--format", "csv", "--quiet"], None, 0);
    let records = newstag_ok(&["read", dump.to_str().unwrap()], None, 0).stdout;
    let rows = jsonl(&newstag_ok(&["pipe", "--emit", "rows", "--quiet"], Some(&records), 0).stdout);
    for table in ["articles", "entities", "mentions", "topics", "links"] {
        let expected = csv_rows(&out.join(format!("{table}.csv")));
        let header = csv_header(&out.join(format!("{table}.csv")));
        let emitted: Vec<&serde_json::Value> = rows.iter().filter(|r| r["table"] == table).collect();
        assert_eq!(emitted.len(), expected.len(), "{table}");
        for (row, record) in emitted.iter().zip(&expected) {
            for (column, cell) in header.iter().zip(record.iter()) {
                let value = match &row["row"][column] {
                    serde_json::Value::Null => String::new(),
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                assert_eq!(value, cell, "{table}.{column}");
            }
        }
    }
    let seed_date = rows.iter().find(|r| r["row"]["name"] == "Alibaba").map(|r| r["date"].clone());
    assert_eq!(seed_date, Some("2017-01-09".into()));
}

#[test]
fn spark_local_job_writes_the_tables_tag_writes() {
    let dir = tempfile::tempdir().unwrap();
    let (jsonl, csv) = inputs(dir.path());
    let (jsonl, csv) = (jsonl.to_str().unwrap(), csv.to_str().unwrap());
    let tagged = dir.path().join("tag");
    newstag_ok(&tag_args(jsonl, csv, tagged.to_str().unwrap(), "csv"), None, 0);

    let spark = dir.path().join("spark");
    let out = Command::new(python())
        .arg(root().join("scripts/spark/newstag_spark.py"))
        .args([jsonl, csv, "--out", spark.to_str().unwrap(), "--master", "local[2]", "--threads", "1"])
        .args(["--newstag", env!("CARGO_BIN_EXE_newstag"), "--models", root().join("models").to_str().unwrap()])
        .args(NEWS_COLUMNS)
        .output()
        .expect("run the Spark job");
    assert!(out.status.success(), "spark job failed:\n{}", String::from_utf8_lossy(&out.stderr));

    // Every table equal to tag's, article_key included, and partitioned by day.
    compare_tables(&tagged, &spark);
    assert!(spark.join("articles/day=2017-01-09").is_dir(), "no day partition for the seed's date");
    assert!(spark.join("entities/day=unknown").is_dir(), "no partition for the undated story");
    // The record that is not JSON is in the job's rejects, under its input line.
    let rejects: Vec<serde_json::Value> = std::fs::read_dir(spark.join("rejects"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .flat_map(|p| read_jsonl(&p))
        .collect();
    assert_eq!(rejects.len(), 1, "{rejects:?}");
    assert_eq!(rejects[0]["source"], format!("{jsonl}:2"));
    assert_eq!(read_jsonl(&tagged.join("rejects.jsonl"))[0]["source"], format!("{jsonl}:2"));
}

#[test]
fn aggregate_links_jack_ma_to_alibaba_across_runs_and_articles() {
    let dir = tempfile::tempdir().unwrap();
    let (jsonl, csv) = inputs(dir.path());
    let (first, second, corpus) = (dir.path().join("run1"), dir.path().join("run2"), dir.path().join("corpus"));
    newstag_ok(&tag_args(jsonl.to_str().unwrap(), csv.to_str().unwrap(), first.to_str().unwrap(), "csv"), None, 0);
    let seeds = seeds();
    newstag_ok(&["tag", seeds.to_str().unwrap(), "--out", second.to_str().unwrap(), "--quiet"], None, 0);
    newstag_ok(
        &["aggregate", first.to_str().unwrap(), second.to_str().unwrap(), "--out", corpus.to_str().unwrap()],
        None,
        0,
    );

    let entities = csv_rows(&corpus.join("corpus_entities.csv"));
    let header = csv_header(&corpus.join("corpus_entities.csv"));
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let ma = entities.iter().find(|r| &r[column("name")] == "Jack Ma").expect("Jack Ma in corpus_entities");
    // The seed page twice (JSONL copy and .txt) and the one-line story: one entity, three articles.
    assert_eq!(&ma[column("article_count")], "3");
    assert_eq!(&ma[column("type")], "person");
    assert_eq!(&ma[column("first_date")], "2017-01-09", "dated copy of the seed");
    assert!(ma[column("variants")].contains("Ma:"), "short name not among the variants: {ma:?}");
    assert_eq!(entities.iter().filter(|r| r[column("name")].eq_ignore_ascii_case("Jack Ma")).count(), 1);

    let links = csv_rows(&corpus.join("corpus_links.csv"));
    let header = csv_header(&corpus.join("corpus_links.csv"));
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let link = links
        .iter()
        .find(|r| &r[column("source")] == "Jack Ma" && &r[column("target")] == "Alibaba")
        .expect("Jack Ma → Alibaba in corpus_links");
    assert_eq!(&link[column("kind")], "person-company");
    assert!(link[column("article_count")].parse::<u32>().unwrap() >= 2, "{link:?}");
    assert!(link[column("example_articles")].contains("alibaba-ma-trump"));
    let theme = links.iter().find(|r| &r[column("source")] == "Jack Ma" && &r[column("target")] == "trade");
    assert_eq!(theme.map(|r| r[column("target_type")].to_string()), Some("theme".into()));
}
