//! Property tests of the readers on arbitrary bytes: they never panic, always end, and every
//! JSONL line comes out as exactly one record or one reject.

use std::io::Cursor;

use newstag::input::{csv, jsonl, CsvColumns};
use proptest::prelude::*;

fn lines_of(bytes: &[u8]) -> usize {
    bytes.split(|&b| b == b'\n').filter(|l| !String::from_utf8_lossy(l).trim().is_empty()).count()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn jsonl_gives_one_item_per_non_blank_line(lines in prop::collection::vec(
        prop_oneof![
            Just(b"{\"id\":\"a\",\"text\":\"Jack Ma met Trump.\"}".to_vec()),
            Just(b"{\"text\": 5}".to_vec()),
            Just(b"[1,2]".to_vec()),
            Just(b"   ".to_vec()),
            prop::collection::vec(any::<u8>(), 0..40),
        ],
        0..30,
    )) {
        let mut bytes = Vec::new();
        for line in &lines {
            bytes.extend(line.iter().filter(|&&b| b != b'\n'));
            bytes.push(b'\n');
        }
        let items: Vec<_> = jsonl::read(Box::new(Cursor::new(bytes.clone())), "fuzz.jsonl".into()).collect();
        // A blank line may hide behind a BOM only on line 1; everything else is counted.
        prop_assert_eq!(items.len(), lines_of(&bytes));
        for item in &items {
            if let Err(reject) = item {
                prop_assert!(reject.source.starts_with("fuzz.jsonl:"));
            }
        }
    }

    #[test]
    fn csv_ends_and_every_reject_keeps_its_bytes(body in prop::collection::vec(
        prop_oneof![Just(b'"'), Just(b','), Just(b'\n'), Just(b'a'), Just(b' '), any::<u8>()],
        0..300,
    )) {
        let mut bytes = b"id,text\n".to_vec();
        bytes.extend(&body);
        let items: Vec<_> = csv::read(Box::new(Cursor::new(bytes.clone())), "fuzz.csv".into(), CsvColumns::default())
            .expect("the header has the text column")
            .take(10_000)
            .collect();
        prop_assert!(items.len() < 10_000, "the reader must end");
        // Rows end at a line break (\n, \r\n, or a bare \r as old Mac exports write), so there
        // are never more items than lines.
        let breaks = body.iter().enumerate().filter(|&(i, &b)| b == b'\n' || (b == b'\r' && body.get(i + 1) != Some(&b'\n'))).count();
        prop_assert!(items.len() <= breaks + 1, "{} items, {} line breaks", items.len(), breaks);
        let rejected_bytes: usize = items.iter().filter_map(|i| i.as_ref().err()).filter_map(|r| r.raw.as_ref()).map(String::len).sum();
        prop_assert!(rejected_bytes <= 4 * bytes.len(), "raw spans come from the input");
    }
}
