"""Run newstag over a dump on Spark and write its five tables as Parquet, partitioned by day.

    spark-submit scripts/spark/newstag_spark.py INPUT... --out OUT [--newstag BIN] [--models DIR]

INPUT: JSONL (.jsonl, .json, optionally .gz), CSV (.csv) or Parquet (.parquet, or a folder
with --input-format parquet), on any path Spark reads (local, hdfs://, s3a://...).

Each partition is fed to one `newstag pipe --emit rows` process, which runs every stage and
prints the rows of the five tables (the same rows `newstag tag` writes, made by the same code).
libtorch in that process gets the cores of one Spark task (spark.task.cpus, --threads), so an
executor with C cores running C / task.cpus tasks at once is never oversubscribed.

OUT/<table>/day=YYYY-MM-DD/part-*.parquet for articles, entities, mentions, topics, links
(day=unknown when an article has no date newstag can read), and OUT/rejects/ (JSON) with every
record newstag refused and why. Column names and types are `newstag schema`'s.

article_key is "<input path>:<line>" (JSONL) or "<input path>:row <n>" (CSV, Parquet), as
`newstag tag` writes it for the same file, so the tables of both can be compared row by row.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading

from pyspark.sql import Row, SparkSession
from pyspark.sql import types as T

TABLES = ["articles", "entities", "mentions", "topics", "links"]
ARROW_TO_SPARK = {"Utf8": T.StringType(), "UInt64": T.LongType(), "Float32": T.FloatType()}
STDIN_LINE = re.compile(r"^<stdin>:(\d+)$")
DAY = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("inputs", nargs="+")
    p.add_argument("--out", required=True)
    p.add_argument("--input-format", choices=["auto", "jsonl", "csv", "parquet"], default="auto")
    p.add_argument("--newstag", default=os.environ.get("NEWSTAG_BIN", "newstag"),
                   help="newstag binary on the executors (a path, or a name on PATH)")
    p.add_argument("--models", default=os.environ.get("NEWSTAG_MODELS", "models"),
                   help="model folder as the executors see it (a shared path, or an --archives alias)")
    p.add_argument("--threads", type=int, default=None,
                   help="libtorch threads per newstag process [default: spark.task.cpus]")
    p.add_argument("--partitions", type=int, default=None,
                   help="repartition the input into this many partitions (one newstag process each)")
    p.add_argument("--id-col", default="id")
    p.add_argument("--text-col", default="text")
    p.add_argument("--title-col", default="title")
    p.add_argument("--url-col", default="url")
    p.add_argument("--date-col", default="date")
    p.add_argument("--mode", default="overwrite", choices=["overwrite", "append", "error"])
    p.add_argument("--master", default=None,
                   help="Spark master when run with plain python, e.g. local[2] (spark-submit sets it)")
    return p.parse_args(argv)


def input_format(path, given):
    if given != "auto":
        return given
    name = path.lower().rstrip("/")
    for suffix in (".gz", ".bz2"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    if name.endswith(".csv"):
        return "csv"
    if name.endswith(".parquet"):
        return "parquet"
    return "jsonl"


def jsonl_records(spark, path):
    """(source, line) pairs: lines as they are (newstag parses them and rejects bad ones), with
    origin and id set as `tag` sets them."""
    def keyed(pair):
        line, index = pair
        source = f"{path}:{index + 1}"
        try:
            record = json.loads(line)
        except ValueError:
            return source, line  # newstag rejects it and says why
        if isinstance(record, dict):
            record.setdefault("origin", source)
            if record.get("id") in (None, ""):
                record["id"] = source
            return source, json.dumps(record, ensure_ascii=False)
        return source, line
    lines = spark.sparkContext.textFile(path).zipWithIndex()
    return lines.filter(lambda pair: pair[0].strip() != "").map(keyed)


def table_records(spark, path, fmt, args):
    """(source, line) pairs: CSV or Parquet rows as newstag records, the known columns by name,
    the rest carried through."""
    if fmt == "csv":
        frame = spark.read.csv(path, header=True, multiLine=True, escape='"')
    else:
        frame = spark.read.parquet(path)
    names = {args.text_col: "text", args.title_col: "title", args.url_col: "url", args.date_col: "date"}

    def record(pair):
        row, index = pair
        fields = row.asDict()
        source = f"{path}:row {index + 1}"
        article = {"origin": source}
        for column, value in fields.items():
            if value is None:
                continue
            value = value if isinstance(value, (str, int, float, bool)) else str(value)
            if column == args.id_col:
                article["id"] = str(value)
            elif column in names:
                article[names[column]] = str(value)
            else:
                article[column] = value
        article.setdefault("id", str(index + 1))
        return source, json.dumps(article, ensure_ascii=False)
    return frame.rdd.zipWithIndex().map(record)


def run_newstag(records, command):
    """One newstag process over a partition: records in on stdin, table rows out on stdout, then
    the records it rejected, each under its input source (newstag only knows its stdin line)."""
    with tempfile.TemporaryDirectory() as tmp:
        rejects = os.path.join(tmp, "rejects.jsonl")
        proc = subprocess.Popen(command + ["--rejects", rejects], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
        stderr = []
        threading.Thread(target=lambda: stderr.extend(proc.stderr), daemon=True).start()

        sources = []

        def feed():
            try:
                for source, line in records:
                    sources.append(source)
                    proc.stdin.write(line.replace("\n", " ") + "\n")
            finally:
                proc.stdin.close()
        feeder = threading.Thread(target=feed, daemon=True)
        feeder.start()
        for line in proc.stdout:
            yield line
        feeder.join()
        # Exit 3 = some records rejected (they are in the rejects file): not a failure here.
        if proc.wait() not in (0, 3):
            raise RuntimeError(f"{' '.join(command)} exited {proc.returncode}: {''.join(stderr)[-2000:]}")
        with open(rejects, encoding="utf-8") as f:
            for line in f:
                reject = json.loads(line)
                stdin_line = STDIN_LINE.match(reject.get("source", ""))
                if stdin_line and int(stdin_line.group(1)) <= len(sources):
                    reject["source"] = sources[int(stdin_line.group(1)) - 1]
                yield json.dumps({"table": "rejects", "date": None, "row": reject})


def day_of(date):
    match = DAY.match(date or "")
    if not match:
        return "unknown"
    year, month, day = (int(g) for g in match.groups())
    return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else "unknown"


def typed_row(item, casts):
    """A table row as a tuple in schema order, floats as floats (JSON may write 1.0 as 1), day last."""
    _, day, row = item
    values = []
    for name, cast in casts:
        value = row.get(name)
        values.append(cast(value) if cast and value is not None else value)
    return tuple(values) + (day,)


def schemas(newstag):
    """newstag's table columns and types as Spark schemas (plus the partition column, day)."""
    tables = json.loads(subprocess.run([newstag, "schema"], check=True, capture_output=True, text=True).stdout)
    return {name: T.StructType([T.StructField(c["name"], ARROW_TO_SPARK[c["type"]], True) for c in columns]
                               + [T.StructField("day", T.StringType(), False)])
            for name, columns in tables.items()}


def main(argv=None):
    args = parse_args(argv if argv is not None else sys.argv[1:])
    builder = SparkSession.builder.appName("newstag")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    threads = args.threads or int(spark.conf.get("spark.task.cpus", "1"))
    command = [args.newstag, "pipe", "--emit", "rows", "--quiet", "--threads", str(threads),
               "--models", args.models]
    parts = []
    for path in args.inputs:
        fmt = input_format(path, args.input_format)
        parts.append(jsonl_records(spark, path) if fmt == "jsonl" else table_records(spark, path, fmt, args))
    records = spark.sparkContext.union(parts)
    if args.partitions:
        records = records.repartition(args.partitions)

    def parse(line):
        item = json.loads(line)
        return item["table"], day_of(item["date"]), item["row"]
    rows = records.mapPartitions(lambda lines: run_newstag(lines, command)).map(parse)
    # Tagging runs once: every table below is a filter of these rows.
    rows = rows.persist()
    for table, schema in schemas(args.newstag).items():
        casts = [(f.name, float if isinstance(f.dataType, T.FloatType) else None)
                 for f in schema.fields if f.name != "day"]
        typed = rows.filter(lambda r, t=table: r[0] == t).map(lambda r, cs=casts: typed_row(r, cs))
        frame = spark.createDataFrame(typed, schema)
        frame.write.mode(args.mode).partitionBy("day").parquet(f"{args.out.rstrip('/')}/{table}")
    rejects = rows.filter(lambda r: r[0] == "rejects").map(lambda r: json.dumps(r[2]))
    spark.createDataFrame(rejects.map(lambda line: Row(value=line)), "value string").write.mode(args.mode).text(
        f"{args.out.rstrip('/')}/rejects")
    counts = rows.map(lambda r: (r[0], 1)).reduceByKey(lambda a, b: a + b).collectAsMap()
    print(json.dumps({"out": args.out, "rows": counts}), file=sys.stderr)
    rows.unpersist()
    spark.stop()


if __name__ == "__main__":
    main()
