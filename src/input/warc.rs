//! WARC archives (.warc, .warc.gz; Common Crawl's CC-NEWS is the largest public news dump),
//! read as a stream: every `response` record holding an HTML page is one article.
//!
//! - id: the WARC-Record-ID's UUID; `url`: WARC-Target-URI; `date`: the page's publication
//!   date from its meta tags, else WARC-Date (when it was fetched), which is also kept in
//!   `extra.warc_date`. The page's canonical URL, when it differs, is in `extra.canonical_url`.
//! - Records that are not responses (warcinfo, request, metadata) are not articles and are
//!   passed over. A response that is not a 2xx HTML page, or whose HTTP head does not parse, is
//!   a reject naming its record. A broken WARC frame ends the file with a reject that says
//!   so: without a trustworthy Content-Length there is no next record to find.
//! - Payloads are de-chunked and gunzipped when the HTTP head says they are encoded, and
//!   decoded from the charset it (or the page) declares.

use std::io::{BufRead, Read};

use flate2::read::MultiGzDecoder;
use warc::{RawRecordHeader, WarcHeader, WarcReader};

use super::{html, Item, Records};
use crate::record::{Article, Reject};

/// Reads the records of one WARC stream (already gunzipped by the caller).
pub fn read(reader: Box<dyn BufRead + Send>, source: String) -> Records {
    let mut records = WarcReader::new(reader).iter_raw_records().enumerate();
    let mut broken = false;
    Box::new(std::iter::from_fn(move || {
        while !broken {
            let (number, record) = records.next()?;
            let place = format!("{source}:record {}", number + 1);
            match record {
                Err(e) => {
                    broken = true;
                    let reason = format!("unreadable WARC record ({e}); the rest of the file cannot be read");
                    return Some(Err(Reject::new(place, reason, None)));
                }
                Ok((header, body)) => {
                    if let Some(item) = response(&header, body, place) {
                        return Some(item);
                    }
                }
            }
        }
        None
    }))
}

fn field(header: &RawRecordHeader, name: WarcHeader) -> Option<String> {
    header.headers.get(&name).map(|v| String::from_utf8_lossy(v).trim().to_string())
}

/// The article of a response record; None for records that are not responses.
fn response(header: &RawRecordHeader, body: Vec<u8>, place: String) -> Option<Item> {
    if field(header, WarcHeader::WarcType).as_deref() != Some("response") {
        return None;
    }
    let reject = |reason: String| Some(Err(Reject::new(place.clone(), reason, None)));
    let http = match HttpResponse::parse(&body) {
        Ok(http) => http,
        Err(reason) => return reject(reason),
    };
    if !(200..300).contains(&http.status) {
        return reject(format!("HTTP status {}: not an article", http.status));
    }
    let content_type = http.header("content-type").unwrap_or_default();
    if !content_type.to_ascii_lowercase().contains("html") {
        return reject(format!("not an HTML page (content type {content_type:?})"));
    }
    let payload = match http.payload(&body) {
        Ok(payload) => payload,
        Err(reason) => return reject(reason),
    };
    let id = field(header, WarcHeader::RecordID)
        .map(|id| id.trim_matches(['<', '>']).trim_start_matches("urn:uuid:").to_string())
        .unwrap_or_else(|| place.clone());
    let url = field(header, WarcHeader::TargetURI);
    let warc_date = field(header, WarcHeader::Date);
    Some(html::article(&payload, Some(&content_type), id, place).map(|mut article| {
        with_capture(&mut article, url, warc_date);
        article
    }))
}

/// The capture's URL and date go in; the page's own canonical URL and date are kept.
fn with_capture(article: &mut Article, url: Option<String>, warc_date: Option<String>) {
    if let (Some(canonical), Some(target)) = (&article.url, &url) {
        if canonical != target {
            article.extra.insert("canonical_url".into(), canonical.clone().into());
        }
    }
    if let Some(url) = url {
        article.url = Some(url);
    }
    if let Some(date) = warc_date {
        article.extra.insert("warc_date".into(), date.clone().into());
        article.date.get_or_insert(date);
    }
}

/// The head of an HTTP response: status, headers (names lower-cased) and where the payload starts.
struct HttpResponse {
    status: u16,
    headers: Vec<(String, String)>,
    payload_start: usize,
}

impl HttpResponse {
    fn parse(body: &[u8]) -> std::result::Result<HttpResponse, String> {
        let mut slots = [httparse::EMPTY_HEADER; 128];
        let mut response = httparse::Response::new(&mut slots);
        match response.parse(body) {
            Ok(httparse::Status::Complete(payload_start)) => Ok(HttpResponse {
                status: response.code.unwrap_or(0),
                headers: response
                    .headers
                    .iter()
                    .map(|h| (h.name.to_ascii_lowercase(), String::from_utf8_lossy(h.value).trim().to_string()))
                    .collect(),
                payload_start,
            }),
            Ok(httparse::Status::Partial) => Err("HTTP head of the response is cut short".into()),
            Err(e) => Err(format!("HTTP head of the response does not parse: {e}")),
        }
    }

    fn header(&self, name: &str) -> Option<String> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone())
    }

    /// The payload bytes with transfer and content encodings undone.
    fn payload(&self, body: &[u8]) -> std::result::Result<Vec<u8>, String> {
        let raw = &body[self.payload_start..];
        let chunked = self.header("transfer-encoding").is_some_and(|t| t.to_ascii_lowercase().contains("chunked"));
        let mut payload = if chunked { dechunk(raw)? } else { raw.to_vec() };
        let gzip = self.header("content-encoding").is_some_and(|e| e.to_ascii_lowercase().contains("gzip"));
        if gzip {
            let mut plain = Vec::new();
            MultiGzDecoder::new(payload.as_slice())
                .read_to_end(&mut plain)
                .map_err(|e| format!("gzip payload does not decode: {e}"))?;
            payload = plain;
        }
        Ok(payload)
    }
}

/// The data of a chunked transfer encoding.
fn dechunk(mut raw: &[u8]) -> std::result::Result<Vec<u8>, String> {
    let mut data = Vec::new();
    loop {
        let (start, size) = match httparse::parse_chunk_size(raw) {
            Ok(httparse::Status::Complete(found)) => found,
            _ => return Err("chunked payload does not parse".into()),
        };
        if size == 0 {
            return Ok(data);
        }
        let end = start + usize::try_from(size).map_err(|_| "chunk too large".to_string())?;
        let chunk = raw.get(start..end).ok_or("chunked payload is cut short")?;
        data.extend_from_slice(chunk);
        raw = raw.get(end..).unwrap_or_default().strip_prefix(b"\r\n").unwrap_or_default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunked_payloads_are_joined() {
        assert_eq!(dechunk(b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n").unwrap(), b"hello world");
        assert!(dechunk(b"9\r\nhello").is_err());
    }
}
