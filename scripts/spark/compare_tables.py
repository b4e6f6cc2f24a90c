"""Compare newstag's five tables: CSV (as `newstag tag` writes them) against Parquet, either
`<table>.parquet` files in one folder (`tag --format parquet`) or `<table>/` datasets
partitioned by day (scripts/spark/newstag_spark.py). Read with pyarrow, as a user would.

    python scripts/spark/compare_tables.py CSV_DIR PARQUET_DIR

Every row must match (order aside): strings as written, counts as integers, scores as the same
float32. Prints one line per table; exits 1 on any difference.
"""

import os
import struct
import sys

import pyarrow.csv as pacsv
import pyarrow.dataset as ds
import pyarrow.parquet as pq

TABLES = ["articles", "entities", "mentions", "topics", "links"]


def float32(value):
    return struct.unpack("f", struct.pack("f", float(value)))[0]


def read_csv(path):
    options = pacsv.ConvertOptions(strings_can_be_null=True, quoted_strings_can_be_null=True)
    names = pacsv.read_csv(path, read_options=pacsv.ReadOptions(column_names=None)).column_names
    options.column_types = {name: "string" for name in names}
    return pacsv.read_csv(path, convert_options=options)


def read_parquet(root, table):
    single = os.path.join(root, f"{table}.parquet")
    if os.path.exists(single):
        return pq.read_table(single)
    return ds.dataset(os.path.join(root, table), format="parquet", partitioning="hive").to_table()


def canonical(csv_table, parquet_table):
    """Both tables as sorted lists of tuples over the CSV's columns, in the Parquet's types."""
    columns = csv_table.column_names
    missing = [c for c in columns if c not in parquet_table.column_names]
    if missing:
        raise SystemExit(f"Parquet lacks columns {missing}")
    types = {f.name: str(f.type) for f in parquet_table.schema}

    def convert(name, value):
        if value is None:
            return None
        kind = types[name]
        if kind.startswith(("int", "uint")):
            return int(value)
        if kind in ("float", "double", "halffloat"):
            return float32(value)
        return str(value)
    left = [tuple(convert(c, r[c]) for c in columns) for r in csv_table.to_pylist()]
    right = [tuple(convert(c, r[c]) for c in columns) for r in parquet_table.select(columns).to_pylist()]
    return sorted(left, key=repr), sorted(right, key=repr), types


def main(csv_dir, parquet_dir):
    failed = False
    for table in TABLES:
        expected, actual, types = canonical(read_csv(os.path.join(csv_dir, f"{table}.csv")),
                                            read_parquet(parquet_dir, table))
        if expected == actual:
            typed = ", ".join(f"{c} {t}" for c, t in types.items() if t != "string")
            print(f"{table}: {len(actual)} rows equal ({typed})")
        else:
            failed = True
            only_csv = [r for r in expected if r not in actual][:3]
            only_parquet = [r for r in actual if r not in expected][:3]
            print(f"{table}: DIFFERENT: {len(expected)} CSV rows, {len(actual)} Parquet rows; "
                  f"only in CSV {only_csv}; only in Parquet {only_parquet}")
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
