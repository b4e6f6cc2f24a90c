//! Readers, writers and bad input, through the real binary.

mod common;

use std::io::Write;

use common::*;
use flate2::write::GzEncoder;

const SEED_FIRST_PARAGRAPH: &str =
    "Jack Ma met Trump in New York and the two talked U.S.-China trade and specifically small business.";

#[test]
fn jsonl_reader_carries_extra_fields_and_numeric_ids() {
    let input = format!(
        "{}\n\n{}\n",
        serde_json::json!({"id": 7, "title": "T", "text": SEED_FIRST_PARAGRAPH, "url": "http://x", "lang": "en", "tags": ["a"]}),
        serde_json::json!({"text": "Donald Trump spoke in Washington on Monday about trade with China.", "date": 20170207, "title": null}),
    );
    let out = newstag_ok(&["read", "-"], Some(input.as_bytes()), 0);
    let records = jsonl(&out.stdout);
    assert_eq!(records.len(), 2);
    assert_eq!(records[0]["id"], "7");
    assert_eq!(records[0]["lang"], "en");
    assert_eq!(records[0]["tags"][0], "a");
    assert_eq!(records[1]["id"], "<stdin>:3", "missing id becomes source:line");
    assert_eq!(records[1]["date"], "20170207", "numeric date kept as text");
}

#[test]
fn csv_reader_maps_columns_and_reads_gzip() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("news.csv.gz");
    let mut gz = GzEncoder::new(std::fs::File::create(&path).unwrap(), flate2::Compression::default());
    writeln!(gz, "key,headline,body,source").unwrap();
    writeln!(gz, "a1,First,\"{SEED_FIRST_PARAGRAPH}\",wire").unwrap();
    writeln!(gz, "a2,Second,\"Alibaba said, \"\"jobs\"\" matter.\",wire").unwrap();
    writeln!(gz, ",Third,\"Taobao sellers were sued.\",wire").unwrap();
    gz.finish().unwrap();
    let args = ["read", path.to_str().unwrap(), "--id-col", "key", "--title-col", "headline", "--text-col", "body"];
    let records = jsonl(&newstag_ok(&args, None, 0).stdout);
    assert_eq!(records.len(), 3);
    assert_eq!(records[0]["id"], "a1");
    assert_eq!(records[2]["id"], "3", "a blank id falls back to the row number");
    assert_eq!(records[0]["title"], "First");
    assert_eq!(records[0]["text"], SEED_FIRST_PARAGRAPH);
    assert_eq!(records[0]["origin"], format!("{}:row 1", path.display()));
    assert_eq!(records[1]["text"], "Alibaba said, \"jobs\" matter.");
    assert_eq!(records[1]["source"], "wire", "a news 'source' column is carried through as is");
    assert_eq!(records[1]["origin"], format!("{}:row 2", path.display()));
}

#[test]
fn text_folder_reader_uses_file_names_and_headline() {
    let seeds = seeds();
    let records = jsonl(&newstag_ok(&["read", seeds.to_str().unwrap()], None, 0).stdout);
    let seed = records.iter().find(|r| r["id"] == "alibaba-ma-trump").expect("seed read");
    assert_eq!(seed["title"], "Alibaba could generate 1 million new US jobs, Ma tells Trump");
    let original = std::fs::read_to_string(seeds.join("alibaba-ma-trump.txt")).unwrap();
    assert_eq!(seed["text"], original.as_str(), "text kept byte for byte");
}

#[test]
fn bad_records_are_rejected_with_reasons_and_the_rest_is_tagged() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("mixed.jsonl");
    let mut bytes = Vec::new();
    writeln!(bytes, "{}", serde_json::json!({"id": "good-1", "text": SEED_FIRST_PARAGRAPH})).unwrap();
    writeln!(bytes, "{{\"id\": \"broken\", \"text\": ").unwrap();
    writeln!(bytes, "{}", serde_json::json!({"id": "empty", "text": "   "})).unwrap();
    bytes.extend_from_slice(b"{\"id\": \"latin1\", \"text\": \"caf\xe9\"}\n");
    writeln!(bytes, "{}", serde_json::json!({"id": "no-text", "body": "x"})).unwrap();
    writeln!(bytes, "[1, 2]").unwrap();
    writeln!(bytes, "{}", serde_json::json!({"id": "good-2", "text": "Amazon and Alibaba compete in e-commerce across China and the United States."})).unwrap();
    std::fs::write(&input, bytes).unwrap();
    let csv_input = dir.path().join("bad.csv");
    std::fs::write(&csv_input, format!("id,text\nc1,\"{SEED_FIRST_PARAGRAPH}\"\nc2,too,many,fields\n")).unwrap();

    let out = dir.path().join("out");
    let rejects = dir.path().join("rejects.jsonl");
    let run = newstag_ok(
        &[
            "tag",
            input.to_str().unwrap(),
            csv_input.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--rejects",
            rejects.to_str().unwrap(),
            "--quiet",
            "--max-rejects",
            "5",
        ],
        None,
        3,
    );
    let tagged: Vec<String> =
        read_jsonl(&out.join("articles.jsonl")).iter().map(|r| r["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(tagged, ["good-1", "good-2", "c1"]);
    let rejected = read_jsonl(&rejects);
    let reasons: Vec<(String, String)> = rejected
        .iter()
        .map(|r| (r["source"].as_str().unwrap().to_string(), r["reason"].as_str().unwrap().to_string()))
        .collect();
    let expect = [
        ("mixed.jsonl:2", "invalid JSON"),
        ("mixed.jsonl:3", "empty text"),
        ("mixed.jsonl:4", "invalid UTF-8"),
        ("mixed.jsonl:5", "no \"text\" field"),
        ("mixed.jsonl:6", "not a JSON object"),
        ("bad.csv:row 2", "bad CSV row"),
    ];
    assert_eq!(reasons.len(), expect.len(), "{reasons:?}");
    for ((source, reason), (want_source, want_reason)) in reasons.iter().zip(expect) {
        assert!(source.ends_with(want_source), "{source} vs {want_source}");
        assert!(reason.starts_with(want_reason), "{reason} vs {want_reason}");
    }
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(stderr.matches("rejected ").count(), expect.len(), "one stderr line per reject:\n{stderr}");
}

#[test]
fn stage_without_its_input_rejects_with_a_hint() {
    let record = serde_json::json!({"id": "raw", "text": SEED_FIRST_PARAGRAPH}).to_string();
    // Rejects alone do not fail a run (no --max-rejects): exit 0, the reject on stderr.
    let out = newstag_ok(&["ner"], Some(record.as_bytes()), 0);
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("run the segment stage first"), "{stderr}");
}

#[test]
fn tables_have_documented_columns_and_consistent_rows() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = seeds();
    newstag_ok(
        &["tag", seeds.to_str().unwrap(), "--out", dir.path().to_str().unwrap(), "--quiet", "--format", "csv"],
        None,
        0,
    );
    assert!(!dir.path().join("articles.jsonl").exists(), "--format csv writes no JSONL");
    let header = |f: &str| csv_header(&dir.path().join(f));
    assert_eq!(
        header("articles.csv"),
        [
            "article_key",
            "article_id",
            "title",
            "url",
            "date",
            "chars",
            "body_chars",
            "sentences",
            "mentions",
            "entities",
            "topics"
        ]
    );
    assert_eq!(
        header("entities.csv"),
        ["article_key", "article_id", "entity_id", "name", "type", "mention_count", "first_start", "score", "salience"]
    );
    assert_eq!(
        header("mentions.csv"),
        ["article_key", "article_id", "entity_id", "text", "type", "start", "end", "score", "sentence"]
    );
    assert_eq!(header("topics.csv"), ["article_key", "article_id", "topic", "label", "score", "evidence_sentences"]);
    assert_eq!(
        header("links.csv"),
        ["article_key", "article_id", "kind", "source", "target", "role", "pattern", "weight", "evidence_sentences"]
    );
    let mentions = csv_rows(&dir.path().join("mentions.csv"));
    let entities = csv_rows(&dir.path().join("entities.csv"));
    let total: usize = entities.iter().map(|e| e[5].parse::<usize>().unwrap()).sum();
    assert_eq!(total, mentions.len(), "every mention belongs to one entity");
    let article = &csv_rows(&dir.path().join("articles.csv"))[0];
    assert_eq!(article[8].parse::<usize>().unwrap(), mentions.len());
    assert_eq!(article[9].parse::<usize>().unwrap(), entities.len());
}

/// Name and label of every entity of an article, sorted.
fn entity_names(article: &serde_json::Value) -> Vec<(String, String)> {
    let mut names: Vec<(String, String)> = article["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["name"].as_str().unwrap().to_string(), e["label"].as_str().unwrap().to_string()))
        .collect();
    names.sort();
    names
}

fn topic_ids(article: &serde_json::Value) -> Vec<String> {
    let mut ids: Vec<String> =
        article["topics"].as_array().unwrap().iter().map(|t| t["topic"].as_str().unwrap().to_string()).collect();
    ids.sort();
    ids
}

fn person_links(article: &serde_json::Value) -> Vec<(String, String)> {
    article["links"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["kind"] == "person-company")
        .map(|l| (l["source"].as_str().unwrap().to_string(), l["target"].as_str().unwrap().to_string()))
        .collect()
}

fn tag_paths(paths: &[&str], out: &std::path::Path, code: i32) -> Vec<serde_json::Value> {
    let mut args = vec!["tag"];
    args.extend(paths);
    args.extend(["--out", out.to_str().unwrap(), "--quiet"]);
    newstag_ok(&args, None, code);
    read_jsonl(&out.join("articles.jsonl"))
}

/// The seed article saved as a real CMS page (nav, share buttons, an inline newsletter box
/// between paragraphs, "Follow Us", teasers, footer) is tagged like the scraped text of it.
#[test]
fn an_html_page_is_tagged_like_the_text_of_the_same_page() {
    let dir = tempfile::tempdir().unwrap();
    let seed = seeds().join("alibaba-ma-trump.txt");
    let page = root().join("tests/data/pages/alibaba-ma-trump.html");
    let from_text = &tag_paths(&[seed.to_str().unwrap()], &dir.path().join("txt"), 0)[0];
    let from_html = &tag_paths(&[page.to_str().unwrap()], &dir.path().join("html"), 0)[0];
    assert_eq!(entity_names(from_html), entity_names(from_text));
    assert!(entity_names(from_html).contains(&("Jack Ma".into(), "person".into())));
    assert_eq!(topic_ids(from_html), topic_ids(from_text));
    assert_eq!(person_links(from_html), [("Jack Ma".to_string(), "Alibaba".to_string())]);
    assert_eq!(from_html["id"], "alibaba-ma-trump");
    assert_eq!(from_html["title"], "Alibaba could generate 1 million new US jobs, Ma tells Trump");
    assert_eq!(from_html["date"], "2017-01-10T09:30:00+13:00");
    assert!(from_html["url"].as_str().unwrap().starts_with("https://www.reseller.co.nz/article/612424/"));
    let text = from_html["text"].as_str().unwrap();
    assert!(!text.contains("dataLayer") && !text.contains("Privacy Policy"), "script or footer read as text");
    assert!(text.contains("Jack Ma met Trump in New York"));
}

/// A wire story page: the dateline lead and the paragraphs around two inline paywall widgets
/// are body, the widgets and the byline and credit lines are not.
#[test]
fn a_wire_page_keeps_its_dateline_lead_across_inline_widgets() {
    let dir = tempfile::tempdir().unwrap();
    let page = root().join("tests/data/pages/harbour-wire.html");
    let article = &tag_paths(&[page.to_str().unwrap()], dir.path(), 0)[0];
    let text = article["text"].as_str().unwrap();
    let spans = |key: &str| -> Vec<(String, String)> {
        article[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                let span = slice(text, s["start"].as_u64().unwrap(), s["end"].as_u64().unwrap());
                (span, s["reason"].as_str().unwrap_or("").to_string())
            })
            .collect()
    };
    let body: Vec<String> = spans("body").into_iter().map(|(s, _)| s).collect();
    assert!(body.iter().any(|p| p.starts_with("ROTTERDAM, May 12 (Reuters) - Halvorsen Logistics")), "{body:#?}");
    assert!(body.iter().any(|p| p.starts_with("Unions in the Netherlands")), "{body:#?}");
    assert!(!body.iter().any(|p| p.contains("Register") || p.contains("Read more") || p.contains("Shipping rates")));
    let removed = spans("removed");
    assert!(removed.contains(&("By Marta Lindqvist".into(), "byline".into())), "{removed:#?}");
    assert!(removed.iter().any(|(s, r)| s.starts_with("Reporting by Marta Lindqvist") && r == "byline"));
    assert_eq!(article["title"], "Port operator Halvorsen Logistics to hire 400 in Rotterdam expansion");
    assert_eq!(article["date"], "2022-05-12T09:41:00Z", "datePublished of the page's JSON-LD");
    let mentions: Vec<&str> =
        article["mentions"].as_array().unwrap().iter().map(|m| m["text"].as_str().unwrap()).collect();
    assert!(mentions.contains(&"ROTTERDAM") || mentions.contains(&"Rotterdam"), "{mentions:?}");
}

/// A crawl written by warcio: pages become articles with the capture's URL, a 404, a PDF and a
/// record cut short become rejects that say why, and request/warcinfo records are passed over.
#[test]
fn warc_responses_are_articles_and_bad_records_are_rejects() {
    let dir = tempfile::tempdir().unwrap();
    let warc = dir.path().join("crawl.warc.gz");
    let pages = root().join("tests/data/pages");
    let python = root().join(".venv/bin/python");
    let made = std::process::Command::new(&python)
        .arg(root().join("scripts/warc_fixture.py"))
        .arg(&warc)
        .arg(format!("https://www.reseller.co.nz/ma-trump={}", pages.join("alibaba-ma-trump.html").display()))
        .arg(format!("https://wire.example/halvorsen={}", pages.join("harbour-wire.html").display()))
        .arg("--broken-tail")
        .output()
        .expect("run scripts/warc_fixture.py (warcio is installed by scripts/test.sh)");
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let out = dir.path().join("out");
    let articles = tag_paths(&[warc.to_str().unwrap()], &out, 0);
    assert_eq!(articles.len(), 2, "{articles:#?}");
    assert_eq!(articles[0]["url"], "https://www.reseller.co.nz/ma-trump", "WARC-Target-URI");
    assert_eq!(articles[0]["date"], "2017-01-10T09:30:00+13:00", "the page's own publication date");
    assert_eq!(articles[0]["warc_date"], "2017-01-10T01:02:03Z");
    assert!(articles[0]["canonical_url"].as_str().unwrap().starts_with("https://www.reseller.co.nz/article/612424/"));
    assert!(articles[0]["origin"].as_str().unwrap().ends_with("crawl.warc.gz:record 3"));
    // The second page came gzip-encoded and chunked.
    assert_eq!(articles[1]["title"], "Port operator Halvorsen Logistics to hire 400 in Rotterdam expansion");
    // Same entities as the saved page itself.
    let page = tag_paths(&[pages.join("alibaba-ma-trump.html").to_str().unwrap()], &dir.path().join("page"), 0);
    assert_eq!(entity_names(&articles[0]), entity_names(&page[0]));
    let rejects = read_jsonl(&out.join("rejects.jsonl"));
    let reasons: Vec<&str> = rejects.iter().map(|r| r["reason"].as_str().unwrap()).collect();
    assert_eq!(rejects.len(), 3, "{reasons:?}");
    assert!(reasons[0].starts_with("HTTP status 404"), "{reasons:?}");
    assert!(reasons[1].contains("application/pdf"), "{reasons:?}");
    assert!(reasons[2].contains("the rest of the file cannot be read"), "{reasons:?}");
}

/// A blog-style page in windows-1252 whose story is four short `<br>`-separated paragraphs
/// (none long enough to be "good" alone), between a cookie banner, a table menu, a comment
/// thread and a "Most read" box.
#[test]
fn a_short_story_on_a_legacy_page_is_found_between_menu_and_comments() {
    let dir = tempfile::tempdir().unwrap();
    let page = root().join("tests/data/pages/council-blog.html");
    assert!(std::str::from_utf8(&std::fs::read(&page).unwrap()).is_err(), "the fixture is windows-1252");
    let article = &tag_paths(&[page.to_str().unwrap()], dir.path(), 0)[0];
    let text = article["text"].as_str().unwrap();
    let body: Vec<String> = article["body"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| slice(text, s["start"].as_u64().unwrap(), s["end"].as_u64().unwrap()))
        .collect();
    assert_eq!(body.len(), 4, "{body:#?}");
    assert!(body[0].starts_with("Leeds City Council on Tuesday approved plans"));
    assert!(body[1].starts_with("The £18 million hall"), "windows-1252 decoded: {}", body[1]);
    assert!(body[1].contains("“bring shoppers back to the heart of the city”"));
    assert!(body[3].starts_with("Building firm Caddick Construction"));
    assert_eq!(article["title"], "Council approves new market hall in Leeds", "site name dropped from <title>");
    assert_eq!(article["date"], "2021-09-14");
    let names: Vec<String> = entity_names(article).into_iter().map(|(n, _)| n).collect();
    assert!(names.contains(&"Leeds City Council".to_string()) || names.contains(&"Leeds".to_string()), "{names:?}");
    assert!(!names.iter().any(|n| n.contains("Headingley") || n.contains("Leeds United")), "{names:?}");
}
