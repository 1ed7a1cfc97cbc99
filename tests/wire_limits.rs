//! Parsing has an element limit (issue 11, item 6): a GetRecords body of 30 MB of `{}` records
//! took 1.23 GB (40x the input). The lists and maps of one body now hold at most
//! `ParseOptions::max_elements` elements in total (default `DEFAULT_MAX_ELEMENTS`); past it the
//! parse fails with `WireErrorKind::TooManyElements` at the path of the first element too many.
//!
//! The tests' counting allocator (`tests/common/counting_alloc.rs`: this thread's peak of live
//! bytes) checks the stated heap bound.
#![cfg(feature = "alloc")]

use kinesis_codec::kinesis::{shapes, Operation, Response};
use kinesis_codec::wire::{ParseOptions, WireErrorKind, DEFAULT_MAX_ELEMENTS};

#[path = "common/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::peak_of;

fn empty_records(n: usize) -> Vec<u8> {
    let mut body = Vec::with_capacity(n * 3 + 16);
    body.extend_from_slice(br#"{"Records":["#);
    for i in 0..n {
        if i > 0 {
            body.push(b',');
        }
        body.extend_from_slice(b"{}");
    }
    body.extend_from_slice(b"]}");
    body
}

/// The stated bound: 3 x max_elements x the element size (a Vec's doubling growth, old and
/// new blocks both alive during a move) plus the body length (strings with escapes) plus 64 KiB
/// of fixed overhead.
fn stated_bound(max_elements: usize, element: usize, body: usize) -> usize {
    3 * max_elements * element + body + 64 * 1024
}

#[test]
fn thirty_megabytes_of_empty_records_is_refused_within_the_bound() {
    let body = empty_records(10_000_000);
    assert!(body.len() > 30_000_000);
    let (result, peak) = peak_of(|| Response::parse(Operation::GetRecords, &body));
    let error = result.unwrap_err();
    assert_eq!(error.kind(), WireErrorKind::TooManyElements);
    assert_eq!(error.path(), format!("$.Records[{DEFAULT_MAX_ELEMENTS}]"));
    let element = size_of::<shapes::Record<'static>>();
    let bound = stated_bound(DEFAULT_MAX_ELEMENTS, element, body.len());
    eprintln!(
        "body {} bytes, peak heap {peak} bytes ({:.2} per input byte), bound {bound}",
        body.len(),
        peak as f64 / body.len() as f64
    );
    assert!(peak <= bound, "peak {peak} > bound {bound}");
    // Far below the 40x of an unlimited parse.
    assert!(peak < 2 * body.len());
}

#[test]
fn the_largest_legitimate_lists_parse_with_the_default() {
    // GetRecords returns at most 10,000 records; ListShards at most 10,000 shards.
    let body = empty_records(10_000);
    let (result, peak) = peak_of(|| Response::parse(Operation::GetRecords, &body));
    let Response::GetRecords(output) = result.unwrap() else {
        panic!("wrong variant")
    };
    assert_eq!(output.records.map(|r| r.len()), Some(10_000));
    let element = size_of::<shapes::Record<'static>>();
    assert!(peak <= stated_bound(10_000, element, body.len()));
}

#[test]
fn a_caller_sets_the_limit() {
    let body = empty_records(11);
    let strict = ParseOptions::new().with_max_elements(10);
    let error = Response::parse_with_options(Operation::GetRecords, &body, &strict).unwrap_err();
    assert_eq!(error.kind(), WireErrorKind::TooManyElements);
    assert_eq!(error.path(), "$.Records[10]");
    assert!(error.to_string().contains("10"), "{error}");
    let exact = ParseOptions::new().with_max_elements(11);
    assert!(Response::parse_with_options(Operation::GetRecords, &body, &exact).is_ok());

    // Map entries count too (a TagMap), and the elements of every list of the body add up.
    let tags = br#"{"StreamName":"s","Tags":{"a":"1","b":"2","c":"3"}}"#;
    let two = ParseOptions::new().with_max_elements(2);
    let error =
        kinesis_codec::kinesis::Request::parse_with_options(Operation::AddTagsToStream, tags, &two)
            .unwrap_err();
    assert_eq!(error.kind(), WireErrorKind::TooManyElements);
    assert!(kinesis_codec::kinesis::Request::parse_with_options(
        Operation::AddTagsToStream,
        tags,
        &ParseOptions::new().with_max_elements(3),
    )
    .is_ok());
}
