//! Parquet copies of the CSV tables, with typed columns (counts and offsets UInt64, scores
//! Float32, the rest UTF-8). They are made from the finished CSV tables when a run commits:
//! the CSV files are what a run appends to and checkpoints (a Parquet file cannot be appended
//! to or cut back to a checkpoint), so `--resume` works the same for every format.

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use super::tables::TABLES;
use crate::error::{Error, Result};

/// Rows per Arrow batch while converting (bounded memory whatever the table's size).
const BATCH_ROWS: usize = 8192;

/// The Arrow type of a table column (by name: the same name has one type in every table).
pub fn column_type(column: &str) -> DataType {
    match column {
        "chars" | "body_chars" | "sentences" | "mentions" | "entities" | "entity_id" | "mention_count"
        | "first_start" | "start" | "end" | "sentence" => DataType::UInt64,
        "score" | "weight" | "salience" => DataType::Float32,
        _ => DataType::Utf8,
    }
}

/// The Arrow schema of a table given its columns. Every column is nullable: CSV writes a
/// missing value (no title, a mention outside any entity) as an empty cell, read back as null.
pub fn schema(columns: &[&str]) -> Schema {
    Schema::new(columns.iter().map(|c| Field::new(*c, column_type(c), true)).collect::<Vec<_>>())
}

/// The Parquet file name of a CSV table ("entities.csv" -> "entities.parquet").
pub fn parquet_name(csv_name: &str) -> String {
    format!("{}.parquet", csv_name.trim_end_matches(".csv"))
}

/// Writes `dir/<table>.parquet` for each of the five CSV tables in `dir`.
pub fn convert_tables(dir: &Path) -> Result<()> {
    for (name, columns) in TABLES {
        convert(&dir.join(name), &dir.join(parquet_name(name)), columns)?;
    }
    Ok(())
}

fn convert(csv_path: &Path, parquet_path: &Path, columns: &[&str]) -> Result<()> {
    let bad = |source: Box<dyn std::error::Error + Send + Sync>| Error::Parquet { path: parquet_path.into(), source };
    let schema = Arc::new(schema(columns));
    let input = File::open(csv_path).map_err(|e| Error::read(csv_path, e))?;
    let reader = arrow_csv::ReaderBuilder::new(Arc::clone(&schema))
        .with_header(true)
        .with_batch_size(BATCH_ROWS)
        .build(input)
        .map_err(|e| bad(e.into()))?;
    let output = File::create(parquet_path).map_err(|e| Error::write(parquet_path, e))?;
    let properties = WriterProperties::builder().set_compression(Compression::SNAPPY).build();
    let mut writer = ArrowWriter::try_new(output, schema, Some(properties)).map_err(|e| bad(e.into()))?;
    for batch in reader {
        writer.write(&batch.map_err(|e| bad(e.into()))?).map_err(|e| bad(e.into()))?;
    }
    let file = writer.into_inner().map_err(|e| bad(e.into()))?;
    file.sync_all().map_err(|e| Error::write(parquet_path, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{Array, Float32Array, StringArray, UInt64Array};
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

    #[test]
    fn a_csv_table_becomes_typed_parquet_with_nulls_for_empty_cells() {
        let dir = tempfile::tempdir().unwrap();
        let columns = TABLES[2].1; // mentions: entity_id may be empty
        let csv = format!(
            "{}\nk,a1,,\"Jack Ma, Jr.\",person,5,15,0.93,2\nk,a1,3,Alibaba,company,20,27,0.5,2\n",
            columns.join(",")
        );
        std::fs::write(dir.path().join("m.csv"), csv).unwrap();
        convert(&dir.path().join("m.csv"), &dir.path().join("m.parquet"), columns).unwrap();

        let file = File::open(dir.path().join("m.parquet")).unwrap();
        let batches: Vec<_> =
            ParquetRecordBatchReaderBuilder::try_new(file).unwrap().build().unwrap().map(|b| b.unwrap()).collect();
        let batch = &batches[0];
        assert_eq!(batch.num_rows(), 2);
        let ids = batch.column_by_name("entity_id").unwrap().as_any().downcast_ref::<UInt64Array>().unwrap();
        assert!(ids.is_null(0));
        assert_eq!(ids.value(1), 3);
        let text = batch.column_by_name("text").unwrap().as_any().downcast_ref::<StringArray>().unwrap();
        assert_eq!(text.value(0), "Jack Ma, Jr.");
        let score = batch.column_by_name("score").unwrap().as_any().downcast_ref::<Float32Array>().unwrap();
        assert_eq!(score.value(0), 0.93);
    }

    #[test]
    fn a_bad_cell_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let columns = TABLES[2].1;
        std::fs::write(dir.path().join("m.csv"), format!("{}\nk,a1,x,Ma,person,5,15,0.9,2\n", columns.join(",")))
            .unwrap();
        let err = convert(&dir.path().join("m.csv"), &dir.path().join("m.parquet"), columns).unwrap_err();
        assert!(err.to_string().contains("m.parquet"), "{err}");
    }
}
