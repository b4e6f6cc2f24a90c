//! Saved HTML pages (.html/.htm, optionally .gz; also the payloads of WARC records).
//!
//! The page becomes text the way clean expects scraped pages: one line per block (paragraph,
//! heading, list item, table row, `<br>`), inline markup joined into its line, whitespace
//! collapsed as a browser would, character references decoded. Elements that never hold the
//! article are dropped whole (scripts, styles, `<nav>`, `<aside>`, `<footer>`, forms, embeds);
//! the rest (menus outside `<nav>`, teasers, newsletter boxes) is left to clean, which is built
//! for it. Title, canonical URL and publication date come from the page's meta tags when present
//! (Open Graph, `article:published_time`, schema.org `datePublished` in JSON-LD or microdata).

use std::sync::LazyLock;

use regex::bytes::Regex;
use scraper::node::Node;
use scraper::{ElementRef, Html, Selector};

use super::{validated, Item};
use crate::record::Article;

/// What stands between a headline and the site's name in a page title ("Headline - Site").
pub const TITLE_SEPARATORS: &[&str] = &["-", "|", "–", "—", ":", "·"];
/// Elements whose content is never article text.
const DROPPED: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "nav", "aside", "footer", "form", "button", "select", "iframe",
    "canvas", "video", "audio", "object", "head",
];
/// Elements that start and end a line of text.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "blockquote",
    "caption",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "li",
    "main",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tr",
    "ul",
];

/// The text of a page and what its meta tags say about it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    pub text: String,
    pub title: Option<String>,
    pub url: Option<String>,
    pub date: Option<String>,
}

/// A `charset=` in a Content-Type header or in the page's first bytes (`<meta charset>`).
static CHARSET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?i)charset\s*=\s*["']?([A-Za-z0-9._:-]+)"#).expect("charset pattern"));
/// How far into a page a `<meta charset>` is looked for (the HTML standard's prescan reads 1024).
const CHARSET_PRESCAN: usize = 1024;

/// One page as an article: decoded from the charset `content_type` names, else the one the
/// page declares, else UTF-8 (a byte-order mark wins over both); bytes invalid in it become
/// U+FFFD, as in a browser.
pub fn article(bytes: &[u8], content_type: Option<&str>, id: String, source: String) -> Item {
    let declared = content_type
        .and_then(|c| CHARSET.captures(c.as_bytes()))
        .or_else(|| CHARSET.captures(&bytes[..bytes.len().min(CHARSET_PRESCAN)]))
        .and_then(|c| encoding_rs::Encoding::for_label(&c[1]));
    let (text, _, _) = declared.unwrap_or(encoding_rs::UTF_8).decode(bytes);
    let page = extract(&text);
    let article = Article {
        id,
        title: page.title,
        text: page.text,
        url: page.url,
        date: page.date,
        origin: Some(source),
        ..Default::default()
    };
    validated(article, None)
}

/// Extracts the text and metadata of one HTML document.
pub fn extract(html: &str) -> Page {
    let document = Html::parse_document(html);
    let mut lines = Lines::default();
    let body = first(&document, "body").unwrap_or_else(|| document.root_element());
    lines.walk(body, false);
    Page { text: lines.finish(), title: title(&document), url: canonical_url(&document), date: date(&document) }
}

#[derive(Default)]
struct Lines {
    lines: Vec<String>,
    current: String,
    /// Whitespace was seen since the last word: the next word needs a space before it.
    pending_space: bool,
}

impl Lines {
    fn walk(&mut self, element: ElementRef<'_>, preformatted: bool) {
        for child in element.children() {
            match child.value() {
                Node::Text(text) => self.text(text, preformatted),
                Node::Element(e) => {
                    let name = e.name();
                    if DROPPED.contains(&name) {
                        continue;
                    }
                    let Some(child) = ElementRef::wrap(child) else { continue };
                    if name == "br" {
                        self.break_line();
                        continue;
                    }
                    let block = BLOCKS.contains(&name);
                    if block {
                        self.break_line();
                    }
                    if name == "td" || name == "th" {
                        self.pending_space = true;
                    }
                    self.walk(child, preformatted || name == "pre");
                    if block {
                        self.break_line();
                    }
                }
                _ => {}
            }
        }
    }

    fn text(&mut self, text: &str, preformatted: bool) {
        if preformatted {
            let mut parts = text.split('\n');
            if let Some(first) = parts.next() {
                self.current.push_str(first);
            }
            for part in parts {
                self.break_line();
                self.current.push_str(part);
            }
            return;
        }
        if text.starts_with(char::is_whitespace) {
            self.pending_space = true;
        }
        for word in text.split_whitespace() {
            if self.pending_space && !self.current.is_empty() {
                self.current.push(' ');
            }
            self.current.push_str(word);
            self.pending_space = true;
        }
        self.pending_space = text.ends_with(char::is_whitespace) || (self.pending_space && text.trim().is_empty());
    }

    fn break_line(&mut self) {
        let line = self.current.trim();
        if !line.is_empty() {
            self.lines.push(line.to_string());
        }
        self.current.clear();
        self.pending_space = false;
    }

    fn finish(mut self) -> String {
        self.break_line();
        let mut text = self.lines.join("\n");
        text.push('\n');
        text
    }
}

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("static selector")
}

fn first<'a>(document: &'a Html, css: &str) -> Option<ElementRef<'a>> {
    document.select(&selector(css)).next()
}

/// The first non-empty attribute `attribute` of the elements `css` selects, trimmed.
fn attribute(document: &Html, css: &str, attribute: &str) -> Option<String> {
    document
        .select(&selector(css))
        .filter_map(|e| e.attr(attribute))
        .map(str::trim)
        .find(|v| !v.is_empty())
        .map(str::to_string)
}

fn text_of(element: ElementRef<'_>) -> Option<String> {
    let text = element.text().collect::<Vec<_>>().join(" ");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

fn title(document: &Html) -> Option<String> {
    attribute(document, r#"meta[property="og:title"], meta[name="twitter:title"]"#, "content")
        .or_else(|| json_ld(document, "headline"))
        .or_else(|| first(document, "title").and_then(text_of).map(|t| without_site_name(document, t)))
        .or_else(|| first(document, "h1").and_then(text_of))
}

/// "Headline - Site Name" as the page's own heading says it, when a heading is that prefix.
fn without_site_name(document: &Html, title: String) -> String {
    document
        .select(&selector("h1, h2"))
        .filter_map(text_of)
        .find(|heading| {
            title.strip_prefix(heading.as_str()).is_some_and(|rest| {
                let rest = rest.trim_start();
                TITLE_SEPARATORS.iter().any(|sep| rest.starts_with(sep))
            })
        })
        .unwrap_or(title)
}

fn canonical_url(document: &Html) -> Option<String> {
    attribute(document, r#"link[rel="canonical"]"#, "href")
        .or_else(|| attribute(document, r#"meta[property="og:url"]"#, "content"))
}

fn date(document: &Html) -> Option<String> {
    attribute(
        document,
        r#"meta[property="article:published_time"], meta[name="article:published_time"],
           meta[itemprop="datePublished"], meta[name="pubdate"], meta[name="publishdate"],
           meta[name="parsely-pub-date"], meta[name="sailthru.date"], meta[name="DC.date.issued"],
           meta[name="dc.date"], meta[name="date"]"#,
        "content",
    )
    .or_else(|| json_ld(document, "datePublished"))
    .or_else(|| attribute(document, r#"time[itemprop="datePublished"], article time[datetime]"#, "datetime"))
}

/// The first string `key` of the page's schema.org JSON-LD (in an object, a list or an
/// `@graph`), e.g. `datePublished` or `headline`.
fn json_ld(document: &Html, key: &str) -> Option<String> {
    fn find(value: &serde_json::Value, key: &str) -> Option<String> {
        match value {
            serde_json::Value::Object(map) => map
                .get(key)
                .and_then(|d| d.as_str())
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .or_else(|| map.values().find_map(|v| find(v, key))),
            serde_json::Value::Array(items) => items.iter().find_map(|v| find(v, key)),
            _ => None,
        }
    }
    document
        .select(&selector(r#"script[type="application/ld+json"]"#))
        .filter_map(|script| serde_json::from_str::<serde_json::Value>(&script.text().collect::<String>()).ok())
        .find_map(|value| find(&value, key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_become_lines_and_chrome_elements_go() {
        let html = r##"<!DOCTYPE html><html><head><title>Site | Story</title>
            <meta property="og:title" content="Alibaba&#39;s Ma meets Trump">
            <link rel="canonical" href="https://example.com/ma-trump">
            <script type="application/ld+json">{"@graph":[{"@type":"NewsArticle","datePublished":"2017-01-09T18:00:00Z"}]}</script>
            <style>p { color: red }</style></head>
            <body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
            <article><h1>Ma meets   Trump</h1><p>Jack Ma, the <b>founder</b> of
            Alibaba, met Donald&nbsp;Trump in <a href="#">New York</a>.<br>He said AT&amp;T agreed.</p>
            <ul><li>One</li><li>Two</li></ul><script>var x = "<p>no</p>";</script></article>
            <aside>Teaser</aside><footer>© Site</footer></body></html>"##;
        let page = extract(html);
        assert_eq!(
            page.text,
            "Ma meets Trump\nJack Ma, the founder of Alibaba, met Donald Trump in New York.\nHe said AT&T agreed.\nOne\nTwo\n"
        );
        assert_eq!(page.title.as_deref(), Some("Alibaba's Ma meets Trump"));
        assert_eq!(page.url.as_deref(), Some("https://example.com/ma-trump"));
        assert_eq!(page.date.as_deref(), Some("2017-01-09T18:00:00Z"));
    }

    #[test]
    fn bytes_are_decoded_from_the_declared_charset() {
        let page = b"<html><head><meta charset=\"windows-1252\"></head><body><p>Caf\xe9 Z\xfcrich</p></body></html>";
        let article = article(page, None, "p".into(), "p.html".into()).unwrap();
        assert_eq!(article.text, "Caf\u{e9} Z\u{fc}rich\n");
        let header = article_with_header(b"<p>\xe9t\xe9</p>", "text/html; charset=ISO-8859-1");
        assert_eq!(header.text, "\u{e9}t\u{e9}\n");
        let empty = super::article(b"<html><body><nav>Menu</nav></body></html>", None, "e".into(), "e.html".into());
        assert_eq!(empty.unwrap_err().reason, "empty text");
    }

    fn article_with_header(bytes: &[u8], content_type: &str) -> Article {
        article(bytes, Some(content_type), "h".into(), "h.html".into()).unwrap()
    }

    #[test]
    fn a_page_without_meta_takes_its_title_from_the_title_element() {
        let page = extract("<html><head><title> A  story </title></head><body><p>Text.</p></body></html>");
        assert_eq!(page.title.as_deref(), Some("A story"));
        let named = "<title>Council approves hall - The Ledger</title><h2>Council approves hall</h2><p>Text.</p>";
        assert_eq!(extract(named).title.as_deref(), Some("Council approves hall"));
        assert_eq!((page.url, page.date), (None, None));
        assert_eq!(page.text, "Text.\n");
    }
}
