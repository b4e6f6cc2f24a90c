//! Stage contracts, pipeline configuration files and typed errors, through the real binary.

mod common;

use common::*;

fn record() -> Vec<u8> {
    let text = "Jack Ma met Trump in New York.\n\nThe two talked about U.S.-China trade and small business.";
    let mut lines = String::new();
    for id in 0..3 {
        lines.push_str(&serde_json::json!({"id": id.to_string(), "text": text}).to_string());
        lines.push('\n');
    }
    lines.into_bytes()
}

#[test]
fn wrong_stage_order_is_one_error_before_any_record() {
    let out = newstag_ok(&["pipe", "ner", "clean"], Some(&record()), 1);
    assert!(out.stdout.is_empty(), "no record written");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("run clean before ner"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one error, not one reject per record:\n{stderr}");
    assert!(!stderr.contains("rejected"), "{stderr}");
    let out = newstag_ok(&["pipe", "link", "topics"], Some(&record()), 1);
    assert!(String::from_utf8_lossy(&out.stderr).contains("run topics before link"));
    // The same contract holds for a configuration file.
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("bad.json");
    std::fs::write(&config, r#"{"models": "models", "stages": [{"stage": "segment"}, {"stage": "clean"}]}"#).unwrap();
    let out = newstag_ok(&["pipe", "--config", config.to_str().unwrap()], Some(&record()), 1);
    assert!(String::from_utf8_lossy(&out.stderr).contains("run clean before segment"));
}

#[test]
fn printed_configuration_runs_like_the_stage_list() {
    let dir = tempfile::tempdir().unwrap();
    let config = newstag_ok(&["config", "clean", "segment", "ner", "--no-case-rule"], None, 0).stdout;
    let text = String::from_utf8(config.clone()).unwrap();
    assert!(text.contains("\"case_rule\": false"), "{text}");
    let path = dir.path().join("pipeline.json");
    std::fs::write(&path, &config).unwrap();
    let from_file = newstag_ok(&["pipe", "--config", path.to_str().unwrap(), "--device", "cpu"], Some(&record()), 0);
    let from_flags =
        newstag_ok(&["pipe", "clean", "segment", "ner", "--no-case-rule", "--device", "cpu"], Some(&record()), 0);
    assert_eq!(from_file.stdout, from_flags.stdout);
    let mentions: usize = jsonl(&from_file.stdout).iter().map(|r| r["mentions"].as_array().map_or(0, Vec::len)).sum();
    assert!(mentions >= 3, "the configured ner ran: {mentions} mentions");
}

#[test]
fn missing_models_fail_once_with_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let out = newstag_ok(&["pipe", "segment", "--models", dir.path().to_str().unwrap()], Some(&record()), 1);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("ner/tokenizer.json not found"), "{stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn ner_tokenizer_and_sentence_encoder_share_one_vocabulary() {
    use newstag::models::{load_tokenizer, same_vocabulary};
    let ner = load_tokenizer(&root().join("models/ner")).unwrap();
    let encoder = load_tokenizer(&root().join("models/encoder")).unwrap();
    // topics feeds segment's NER word pieces to the encoder: valid only with one vocabulary.
    assert!(same_vocabulary(&ner, &encoder));
    let mut other = encoder.clone();
    other.add_tokens(&[tokenizers::AddedToken::from("newstagword", false)]);
    assert!(!same_vocabulary(&ner, &other));
}

#[test]
fn eval_links_scores_pipeline_links_against_stated_relations() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(seeds().join("alibaba-ma-trump.txt")).unwrap();
    let gold = serde_json::json!({"id": "seed", "text": text, "relations": [
        {"person": "Jack Ma", "org": "Alibaba", "role": "other-role"},
        {"person": "Jack Ma", "org": "Harvard University", "role": "member"},
    ]});
    let path = dir.path().join("gold.jsonl");
    std::fs::write(&path, format!("{gold}\n")).unwrap();
    let out = newstag_ok(&["eval-links", "--gold", path.to_str().unwrap(), "--quiet", "--device", "cpu"], None, 0);
    let report = String::from_utf8(out.stdout).unwrap();
    // Jack Ma → Alibaba is linked on the seed page; the invented relation is not.
    assert!(report.contains("| other-role | 100.0 | 1 | 1 |"), "{report}");
    assert!(report.contains("| member | 0.0 | 0 | 1 |"), "{report}");
}

/// `newstag read dump.csv | head -1`: the reader closing the pipe ends newstag quietly by
/// SIGPIPE, as it does `cat`, with no panic or error message.
#[cfg(unix)]
#[test]
fn a_closed_output_pipe_ends_the_process_quietly() {
    use std::os::unix::process::ExitStatusExt;
    use std::process::Stdio;
    let sample = news_sample();
    let args = ["read", sample.to_str().unwrap(), "--id-col", "article_id"];
    let mut child = newstag_command(&args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut first = [0u8; 16];
    std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut first).unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.signal(), Some(13), "ended by SIGPIPE: {:?} {stderr}", out.status);
    assert!(!stderr.contains("panicked") && !stderr.contains("error"), "{stderr}");
}
