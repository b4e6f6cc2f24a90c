"""Draw the top person↔company/organisation links of `newstag aggregate` as an SVG picture.

    python3 scripts/graph_svg.py CORPUS/corpus_links.csv OUT.svg [--top 25]

People on the left, companies and organisations on the right, one line per link, thicker for
links stated in more articles. Standard library only (no Graphviz needed).
"""

import argparse
import csv
from html import escape


def main():
    p = argparse.ArgumentParser()
    p.add_argument("links")
    p.add_argument("out")
    p.add_argument("--top", type=int, default=25)
    args = p.parse_args()
    with open(args.links, newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["kind"] in ("person-company", "person-organization")]
    rows.sort(key=lambda r: (-int(r["article_count"]), r["source"], r["target"]))
    rows = rows[: args.top]
    people = sorted({r["source"] for r in rows}, key=lambda n: min(i for i, r in enumerate(rows) if r["source"] == n))
    orgs = sorted({(r["target"], r["target_type"]) for r in rows},
                  key=lambda n: min(i for i, r in enumerate(rows) if r["target"] == n[0]))
    row_h, width = 26, 760
    height = 60 + row_h * max(len(people), len(orgs), 1)
    left_x, right_x = 230, width - 230
    y_person = {n: 50 + i * row_h for i, n in enumerate(people)}
    y_org = {n: 50 + i * row_h for i, (n, _) in enumerate(orgs)}
    most = max((int(r["article_count"]) for r in rows), default=1)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="13">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{left_x}" y="24" text-anchor="end" font-weight="bold">person</text>',
           f'<text x="{right_x}" y="24" font-weight="bold">company / organisation (articles)</text>']
    for r in rows:
        n = int(r["article_count"])
        colour = "#c0392b" if r["kind"] == "person-company" else "#2c7fb8"
        out.append(f'<line x1="{left_x + 6}" y1="{y_person[r["source"]] - 4}" x2="{right_x - 6}" '
                   f'y2="{y_org[r["target"]] - 4}" stroke="{colour}" stroke-opacity="0.6" '
                   f'stroke-width="{1 + 5 * n / most:.1f}"><title>{escape(r["source"])} - '
                   f'{escape(r["target"])}: {n} articles {escape(r.get("roles", ""))}</title></line>')
    for name, y in y_person.items():
        out.append(f'<text x="{left_x}" y="{y}" text-anchor="end">{escape(name)}</text>')
    for name, kind in orgs:
        count = sum(int(r["article_count"]) for r in rows if r["target"] == name)
        colour = "#c0392b" if kind == "company" else "#2c7fb8"
        out.append(f'<text x="{right_x}" y="{y_org[name]}" fill="{colour}">{escape(name)} ({count})</text>')
    out.append(f'<text x="10" y="{height - 10}" font-size="11" fill="#555">red: company, blue: organisation; '
               f'line width: articles linking the two</text>')
    out.append("</svg>")
    with open(args.out, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
