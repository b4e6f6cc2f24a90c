"""Writes a small gzipped WARC file the way crawlers do (with warcio), for the input tests.

  python scripts/warc_fixture.py OUT.warc.gz URL=PAGE.html [URL=PAGE.html ...] [--broken-tail]

Records, in order: a warcinfo record; for each page a request record and its HTTP 200
response (the first page plain, the others gzip-encoded and sent chunked, as servers do); a
404 response; a PDF response; and, with --broken-tail, a last record whose body is cut short
(Content-Length larger than what follows), as a crawl interrupted mid-write leaves.
"""
import gzip
import io
import sys

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

WARC_DATE = "2017-01-10T01:02:03Z"


def chunked(data, size=700):
    out = b""
    for i in range(0, len(data), size):
        piece = data[i : i + size]
        out += b"%x\r\n" % len(piece) + piece + b"\r\n"
    return out + b"0\r\n\r\n"


def response(writer, url, status, headers, payload):
    http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
    record = writer.create_warc_record(
        url,
        "response",
        payload=io.BytesIO(payload),
        http_headers=http,
        warc_headers_dict={"WARC-Date": WARC_DATE},
    )
    writer.write_record(record)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) < 2:
        sys.exit(__doc__)
    out, pages = args[0], [a.split("=", 1) for a in args[1:]]
    with open(out, "wb") as f:
        writer = WARCWriter(f, gzip=True)
        writer.write_record(writer.create_warcinfo_record("fixture.warc.gz", {"software": "warcio"}))
        for n, (url, path) in enumerate(pages):
            html = open(path, "rb").read()
            request = StatusAndHeaders("GET / HTTP/1.1", [("Host", url.split("/")[2])], is_http_request=True)
            writer.write_record(
                writer.create_warc_record(url, "request", payload=io.BytesIO(b""), http_headers=request)
            )
            if n == 0:
                headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(html)))]
                response(writer, url, "200 OK", headers, html)
            else:
                headers = [
                    ("Content-Type", "text/html; charset=utf-8"),
                    ("Content-Encoding", "gzip"),
                    ("Transfer-Encoding", "chunked"),
                ]
                response(writer, url, "200 OK", headers, chunked(gzip.compress(html)))
        missing = b"<html><body><h1>Not Found</h1></body></html>"
        response(writer, "https://example.com/missing", "404 Not Found", [("Content-Type", "text/html")], missing)
        pdf = b"%PDF-1.4\n%fixture\n"
        response(writer, "https://example.com/report.pdf", "200 OK", [("Content-Type", "application/pdf")], pdf)
    if "--broken-tail" in sys.argv:
        with open(out, "ab") as f:
            head = (
                b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://example.com/cut\r\n"
                b"WARC-Date: 2017-01-10T01:02:03Z\r\nContent-Type: application/http; msgtype=response\r\n"
                b"Content-Length: 5000\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><p>Cut"
            )
            f.write(gzip.compress(head))


if __name__ == "__main__":
    main()
