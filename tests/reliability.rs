//! Bad input and faults: readers that always end, rejects that keep the input, outputs that a
//! failed or killed run never damages, and resume to the same bytes. Through the real binary.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

const TABLE_FILES: [&str; 7] =
    ["articles.jsonl", "articles.csv", "entities.csv", "mentions.csv", "topics.csv", "links.csv", "rejects.jsonl"];

fn rejects_of(out: &Path) -> Vec<serde_json::Value> {
    read_jsonl(&out.join("rejects.jsonl"))
}

#[test]
fn truncated_gzip_ends_the_input_with_one_reject() {
    let dir = tempfile::tempdir().unwrap();
    let lines: String = (0..4000).map(|i| format!("{{\"id\":\"{i}\",\"text\":\"article number {i}\"}}\n")).collect();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(lines.as_bytes()).unwrap();
    let bytes = gz.finish().unwrap();
    let path = dir.path().join("cut.jsonl.gz");
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    let started = Instant::now();
    let out = newstag_ok(&["read", path.to_str().unwrap()], None, 0);
    assert!(started.elapsed() < Duration::from_secs(30), "reader must not spin");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.matches("rejected").count(), 1, "{stderr}");
    assert!(stderr.contains("read error, rest of the input skipped"), "{stderr}");
    let records = jsonl(&out.stdout);
    assert!(records.len() > 100 && records.len() < 4000, "{} records before the cut", records.len());
    for (i, r) in records.iter().enumerate() {
        assert_eq!(r["id"], i.to_string(), "records before the cut are whole and in order");
    }
}

#[test]
fn broken_csv_quotes_are_rejected_with_the_rows_they_swallowed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let open_to_end = dir.path().join("eof.csv");
    std::fs::write(&open_to_end, "id,text\na,first article\nb,\"second article\nc,third article\n").unwrap();
    let mid = dir.path().join("mid.csv");
    std::fs::write(&mid, "id,text\n1,\"broken\n2,swallowed row\n3,\"quoted\",x\n4,last article\n").unwrap();
    let run = newstag_ok(
        &["read", open_to_end.to_str().unwrap(), mid.to_str().unwrap(), "--rejects", out.to_str().unwrap()],
        None,
        0,
    );
    let ids: Vec<String> = jsonl(&run.stdout).iter().map(|r| r["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(ids, ["a", "4"]);
    let rejects = read_jsonl(&out);
    assert_eq!(rejects.len(), 2, "{rejects:?}");
    assert!(rejects[0]["reason"].as_str().unwrap().contains("unbalanced quotes"));
    assert_eq!(rejects[0]["raw"], "b,\"second article\nc,third article\n", "the swallowed row is in the reject");
    assert!(rejects[1]["reason"].as_str().unwrap().starts_with("bad CSV row"));
    assert!(rejects[1]["raw"].as_str().unwrap().contains("2,swallowed row"), "{}", rejects[1]);
}

#[test]
fn byte_order_marks_are_stripped_and_a_wrong_id_column_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let jsonl_path = dir.path().join("bom.jsonl");
    std::fs::write(
        &jsonl_path,
        "\u{feff}{\"id\":\"first\",\"text\":\"Hello\"}\n{\"id\":\"second\",\"text\":\"World\"}\n",
    )
    .unwrap();
    let txt = dir.path().join("pages");
    std::fs::create_dir(&txt).unwrap();
    std::fs::write(txt.join("page.txt"), "\u{feff}Alibaba met Trump in New York on Monday.").unwrap();
    let run = newstag_ok(&["read", jsonl_path.to_str().unwrap(), txt.to_str().unwrap()], None, 0);
    let records = jsonl(&run.stdout);
    assert_eq!(records.len(), 3);
    assert_eq!(records[0]["id"], "first");
    assert_eq!(records[2]["text"], "Alibaba met Trump in New York on Monday.");
    let csv_path = dir.path().join("a.csv");
    std::fs::write(&csv_path, "key,text\nk1,Some text\n").unwrap();
    // A flag naming a column the input lacks is a usage error (exit 1), not a bad record.
    let run = newstag_ok(&["read", csv_path.to_str().unwrap(), "--id-col", "ident"], None, 1);
    assert!(run.stdout.is_empty());
    assert!(String::from_utf8_lossy(&run.stderr).contains("no column \"ident\""));
    let run = newstag_ok(&["read", csv_path.to_str().unwrap(), "--max-rejects", "0"], None, 0);
    assert_eq!(jsonl(&run.stdout)[0]["id"], "1", "no id column by default: row numbers");
}

#[cfg(unix)]
#[test]
fn dangling_links_in_a_folder_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "Jack Ma met Trump in New York on Monday.").unwrap();
    std::os::unix::fs::symlink(dir.path().join("missing.txt"), dir.path().join("b.txt")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("c.txt"), dir.path().join("c.txt")).unwrap();
    let run = newstag_ok(&["read", dir.path().to_str().unwrap()], None, 0);
    assert_eq!(jsonl(&run.stdout).len(), 1);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("b.txt") && stderr.contains("c.txt"), "{stderr}");
}

#[test]
fn missing_models_exit_1_every_time_and_keep_the_previous_result() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let seeds = seeds();
    newstag_ok(&["tag", seeds.to_str().unwrap(), "--out", out.to_str().unwrap(), "--quiet"], None, 0);
    let before: Vec<Vec<u8>> = TABLE_FILES.iter().map(|f| std::fs::read(out.join(f)).unwrap()).collect();
    let empty = dir.path().join("no-models");
    std::fs::create_dir(&empty).unwrap();
    for _ in 0..20 {
        let args = [
            "tag",
            seeds.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--models",
            empty.to_str().unwrap(),
            "--workers",
            "2",
        ];
        let run = newstag_ok(&args, None, 1);
        assert!(String::from_utf8_lossy(&run.stderr).contains("not found"));
    }
    let missing = dir.path().join("no-such-input.csv");
    newstag_ok(&["tag", missing.to_str().unwrap(), "--out", out.to_str().unwrap(), "--quiet"], None, 1);
    let after: Vec<Vec<u8>> = TABLE_FILES.iter().map(|f| std::fs::read(out.join(f)).unwrap()).collect();
    assert!(before == after, "a failed rerun left the previous result as it was");
    assert!(!out.join(".partial").exists(), "a run that could not start leaves nothing behind");
    // A --format jsonl rerun leaves no stale CSV tables beside the new JSONL.
    newstag_ok(
        &["tag", seeds.to_str().unwrap(), "--out", out.to_str().unwrap(), "--quiet", "--format", "jsonl"],
        None,
        0,
    );
    assert!(out.join("articles.jsonl").exists() && !out.join("entities.csv").exists());
    let run: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("run.json")).unwrap()).unwrap();
    assert_eq!(run["status"], "complete");
    assert_eq!(run["written"], 1);
}

#[test]
fn duplicate_ids_are_told_apart_by_article_key() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("dup.jsonl");
    let text = "Jack Ma met Donald Trump in New York.";
    std::fs::write(&input, format!("{{\"id\":\"1\",\"text\":\"{text}\"}}\n{{\"id\":1,\"text\":\"{text}\"}}\n"))
        .unwrap();
    let out = dir.path().join("out");
    let run = newstag_ok(&["tag", input.to_str().unwrap(), "--out", out.to_str().unwrap(), "--quiet"], None, 0);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(stderr.matches("duplicate article id").count(), 1, "{stderr}");
    let keys: Vec<String> = csv_rows(&out.join("entities.csv")).iter().map(|r| r[0].to_string()).collect();
    assert!(
        keys.iter().any(|k| k.ends_with("dup.jsonl:1")) && keys.iter().any(|k| k.ends_with("dup.jsonl:2")),
        "{keys:?}"
    );
    assert!(rejects_of(&out).is_empty());
}

#[test]
fn max_rejects_sets_the_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, "{\"id\":\"a\",\"text\":\" \"}\n{\"id\":\"b\",\"text\":\"Trump spoke.\"}\n").unwrap();
    let out = dir.path().join("out");
    let base = ["tag", input.to_str().unwrap(), "--out", out.to_str().unwrap(), "--quiet"];
    newstag_ok(&base, None, 0);
    assert_eq!(rejects_of(&out).len(), 1);
    assert_eq!(rejects_of(&out)[0]["raw"], "{\"id\":\"a\",\"text\":\" \"}", "the reject keeps its input");
    newstag_ok(&[&base[..], &["--max-rejects", "1"]].concat(), None, 0);
    newstag_ok(&[&base[..], &["--max-rejects", "0"]].concat(), None, 3);
    let run: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("run.json")).unwrap()).unwrap();
    assert_eq!((run["rejected"].as_u64(), run["exit_code"].as_u64()), (Some(1), Some(3)));
}

/// Starts `tag` and kills it (SIGKILL) once its checkpoint says `at_least` input records are done.
fn kill_after(args: &[&str], partial: &Path, at_least: u64) {
    signal_after(args, partial, at_least, None);
}

/// Like `kill_after`, or with `signal` (e.g. "-INT") sent by kill(1); returns the exit code.
fn signal_after(args: &[&str], partial: &Path, at_least: u64, signal: Option<&str>) -> Option<i32> {
    let mut child = newstag_command(args).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        let done = std::fs::read(partial.join("checkpoint.json"))
            .ok()
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
            .and_then(|c| c["summary"]["consumed"].as_u64())
            .unwrap_or(0);
        if done >= at_least {
            break;
        }
        assert!(child.try_wait().unwrap().is_none(), "the run ended before it could be killed");
        assert!(Instant::now() < deadline, "no checkpoint");
        std::thread::sleep(Duration::from_millis(50));
    }
    match signal {
        None => child.kill().unwrap(),
        Some(sig) => {
            let status = Command::new("kill").args([sig, &child.id().to_string()]).status().unwrap();
            assert!(status.success());
        }
    }
    child.wait().unwrap().code()
}

#[test]
fn killed_runs_resume_to_the_bytes_of_an_uninterrupted_run() {
    let dir = tempfile::tempdir().unwrap();
    let sample = news_sample();
    let full = dir.path().join("full");
    let resumed = dir.path().join("resumed");
    let args = |out: &Path| -> Vec<String> {
        let mut a: Vec<String> = ["tag", sample.to_str().unwrap(), "--limit", "24", "--quiet", "--out"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        a.push(out.to_str().unwrap().to_string());
        a.extend(NEWS_COLUMNS.iter().map(|s| s.to_string()));
        a
    };
    let full_args = args(&full);
    newstag_ok(&full_args.iter().map(String::as_str).collect::<Vec<_>>(), None, 0);
    let run_args = args(&resumed);
    let run_args: Vec<&str> = run_args.iter().map(String::as_str).collect();
    let partial = resumed.join(".partial");
    // Killed after the first batch, and again after the second of the resumed run.
    kill_after(&run_args, &partial, 8);
    assert!(!resumed.join("articles.jsonl").exists(), "nothing published before the run ends");
    // A batch half written when the kill came: resume must drop it.
    for name in ["articles.jsonl", "entities.csv"] {
        let mut f = std::fs::OpenOptions::new().append(true).open(partial.join(name)).unwrap();
        f.write_all(b"{\"half\": \"writ").unwrap();
    }
    let resume_args = [&run_args[..], &["--resume"]].concat();
    kill_after(&resume_args, &partial, 16);
    newstag_ok(&resume_args, None, 0);
    for name in TABLE_FILES {
        let (a, b) = (std::fs::read(full.join(name)).unwrap(), std::fs::read(resumed.join(name)).unwrap());
        assert!(a == b, "{name} differs after kill -9 and --resume");
    }
    assert!(!partial.exists());
    // Resuming with other arguments is refused.
    kill_after(&run_args, &partial, 8);
    let other = [&run_args[..], &["--resume", "--format", "jsonl"]].concat();
    let refused = newstag_ok(&other, None, 1);
    assert!(String::from_utf8_lossy(&refused.stderr).contains("other inputs or options"));
}

#[test]
fn ctrl_c_commits_the_batches_done_and_resume_finishes() {
    let dir = tempfile::tempdir().unwrap();
    let sample = news_sample();
    let out = dir.path().join("out");
    let mut args = vec!["tag", sample.to_str().unwrap(), "--limit", "24", "--quiet", "--out", out.to_str().unwrap()];
    args.extend_from_slice(NEWS_COLUMNS);
    let partial = out.join(".partial");
    let code = signal_after(&args, &partial, 8, Some("-INT"));
    assert_eq!(code, Some(130), "Ctrl-C exits 130 after committing");
    let checkpoint: serde_json::Value =
        serde_json::from_slice(&std::fs::read(partial.join("checkpoint.json")).unwrap()).unwrap();
    let done = checkpoint["summary"]["consumed"].as_u64().unwrap();
    assert!((8..24).contains(&done), "{checkpoint}");
    let lines = std::fs::read_to_string(partial.join("articles.jsonl")).unwrap().lines().count() as u64;
    let rejected = checkpoint["summary"]["rejected"].as_u64().unwrap();
    assert_eq!(lines + rejected, done, "every record done is committed, whole");
    newstag_ok(&[&args[..], &["--resume"]].concat(), None, 0);
    assert_eq!(read_jsonl(&out.join("articles.jsonl")).len(), 24 - 1, "row 22 of the sample is empty");
}

#[test]
fn write_rejects_offsets_outside_the_text() {
    let dir = tempfile::tempdir().unwrap();
    let good = serde_json::json!({"id": "ok", "text": "Trump spoke.",
        "mentions": [{"text": "Trump", "start": 0, "end": 5, "label": "person", "score": 0.9, "sentence": 0}]});
    let bad = serde_json::json!({"id": "bad", "text": "Trump spoke.",
        "mentions": [{"text": "Trump", "start": 40, "end": 45, "label": "person", "score": 0.9, "sentence": 0}]});
    let input = format!("{good}\n{bad}\n");
    let out = dir.path().join("out");
    let run = newstag_ok(&["write", "--out", out.to_str().unwrap()], Some(input.as_bytes()), 0);
    assert!(String::from_utf8_lossy(&run.stderr).contains("outside the text"));
    assert_eq!(csv_rows(&out.join("mentions.csv")).len(), 1);
    assert_eq!(rejects_of(&out).len(), 1);
}
