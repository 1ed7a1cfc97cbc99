//! Blob text on both roads in, and out through the SIMD decoder: the crate's reader (alphabet
//! checked while scanning) and serde_json (the text checked whole) accept and refuse the same
//! texts, and what is accepted decodes to what base64's scalar engine decodes it to. Then every
//! record's bytes of a GetRecords answer decoded into one buffer, with no allocation.

#![cfg(feature = "alloc")]

#[path = "common/counting_alloc.rs"]
mod counting_alloc;
#[path = "common/rng.rs"]
mod rng;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use kinesis_codec::blob::Blob;
use kinesis_codec::kinesis::records::{
    decode_data_into, decoded_len, max_decoded_len, parse_event, parse_get_records, DataError,
};
use kinesis_codec::kinesis::{Operation, Request, Response};
use rng::Rng;

/// Valid base64 of random bytes, then (often) one flaw: a byte outside the alphabet, a misplaced
/// or missing `=`, trailing bits, a cut, an escape.
fn text(rng: &mut Rng) -> String {
    let len = (rng.next() % 200) as usize;
    let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
    let mut t = STANDARD.encode(&bytes).into_bytes();
    let at = |rng: &mut Rng, t: &[u8]| (rng.next() % t.len().max(1) as u64) as usize;
    match rng.next() % 8 {
        0 if !t.is_empty() => {
            let i = at(rng, &t);
            t[i] = [b'-', b'_', b'=', b' ', b'\x7f', 0xc3, b'.', b'!'][(rng.next() % 8) as usize];
        }
        1 if !t.is_empty() => {
            t.pop();
        }
        2 if t.ends_with(b"=") => {
            // Trailing bits set in the last character before the padding.
            let i = t.iter().position(|&b| b == b'=').unwrap() - 1;
            t[i] = b"BCDEFGHIJKLMNOP"[(rng.next() % 15) as usize];
        }
        3 => t.extend_from_slice(b"===="[..(1 + rng.next() % 3) as usize].as_ref()),
        4 if !t.is_empty() => {
            let i = at(rng, &t);
            t.insert(i, b'/');
            t.insert(i, b'\\');
        }
        _ => {}
    }
    String::from_utf8_lossy(&t).into_owned()
}

#[test]
fn both_readers_and_the_scalar_engine_agree() {
    let mut rng = Rng(0xb10b_da7a);
    let (mut accepted, mut refused) = (0, 0);
    for i in 0..20_000 {
        // The JSON string as written (a `\/` in it is JSON's escaped slash), and its value.
        let t = text(&mut rng);
        let json = format!("\"{t}\"");
        let value = t.replace("\\/", "/");
        let through_serde_json = serde_json::from_str::<Blob<'_>>(&json);
        let body = format!(r#"{{"StreamName":"s","PartitionKey":"k","Data":{json}}}"#);
        let through_reader = Request::parse(Operation::PutRecord, body.as_bytes());
        let event = format!(
            r#"{{"Records":[{{"Data":{json},"PartitionKey":"k","SequenceNumber":"1"}}],"ContinuationSequenceNumber":"1","MillisBehindLatest":0}}"#
        );
        let mut buf = vec![0u8; max_decoded_len(event.as_bytes())];
        assert_eq!(
            parse_event(event.as_bytes(), &mut buf).is_ok(),
            through_reader.is_ok(),
            "case {i}: {json}"
        );
        assert_eq!(
            through_serde_json.is_ok(),
            through_reader.is_ok(),
            "case {i}: {json}"
        );
        assert_eq!(
            through_serde_json.is_ok(),
            Blob::from_base64(&value).is_ok(),
            "case {i}: {json}"
        );
        let Ok(blob) = through_serde_json else {
            refused += 1;
            continue;
        };
        accepted += 1;
        let Request::PutRecord(input) = through_reader.unwrap() else {
            unreachable!()
        };
        let scalar = STANDARD.decode(&value).unwrap();
        assert_eq!(blob.to_vec(), scalar, "case {i}");
        let mut out = vec![0u8; blob.decoded_len()];
        assert_eq!(input.data.decode_into(&mut out), Ok(scalar.len()));
        assert_eq!(out, scalar, "case {i}");
        // The one-pass reader, decoding as it reads.
        let decoded = parse_event(event.as_bytes(), &mut buf).unwrap();
        let record_data = decoded.records.as_ref().unwrap()[0].data.as_ref().unwrap();
        assert_eq!(record_data.to_vec(), scalar, "case {i}: decoded as read");
        if !t.contains('\\') {
            assert_eq!(
                record_data.as_bytes(),
                Some(scalar.as_slice()),
                "case {i}: held as bytes"
            );
        }
    }
    assert!(
        accepted > 8_000 && refused > 5_000,
        "{accepted} accepted, {refused} refused"
    );
}

fn get_records_body(n: usize, rng: &mut Rng) -> (Vec<u8>, Vec<Vec<u8>>) {
    let data: Vec<Vec<u8>> = (0..n)
        .map(|_| {
            (0..(rng.next() % 3000) as usize)
                .map(|_| rng.next() as u8)
                .collect()
        })
        .collect();
    let records: Vec<String> = data
        .iter()
        .enumerate()
        .map(|(i, d)| {
            format!(
                r#"{{"SequenceNumber":"{i}","Data":"{}","PartitionKey":"k{i}"}}"#,
                STANDARD.encode(d)
            )
        })
        .collect();
    (
        format!(
            r#"{{"Records":[{}],"MillisBehindLatest":0}}"#,
            records.join(",")
        )
        .into_bytes(),
        data,
    )
}

#[test]
fn every_records_bytes_into_one_buffer_without_allocating() {
    let mut rng = Rng(42);
    let (body, data) = get_records_body(300, &mut rng);
    let Response::GetRecords(answer) = Response::parse(Operation::GetRecords, &body).unwrap()
    else {
        unreachable!()
    };
    let records = answer.records.as_deref().unwrap();
    let total: usize = data.iter().map(Vec::len).sum();
    assert_eq!(decoded_len(records), total);
    let mut buf = vec![0u8; total + 7];
    let (got, allocations) = counting_alloc::count(|| {
        decode_data_into(records, &mut buf)
            .unwrap()
            .map(|(r, b)| (r.sequence_number.as_deref().unwrap().len(), b.len()))
            .fold((0, 0), |a, x| (a.0 + x.0, a.1 + x.1))
    });
    assert_eq!(
        allocations, 0,
        "decoding every record's data allocates nothing"
    );
    assert_eq!(got.1, total);
    let decoded: Vec<&[u8]> = decode_data_into(records, &mut buf)
        .unwrap()
        .map(|(_, b)| b)
        .collect();
    assert_eq!(decoded, data.iter().map(Vec::as_slice).collect::<Vec<_>>());
    let mut small = vec![0u8; total - 1];
    assert_eq!(
        decode_data_into(records, &mut small).unwrap_err(),
        DataError::BufferTooSmall {
            needed: total,
            available: total - 1
        }
    );
}

/// Parsing allocates per answer, not per record: the records list grows by doubling, and the
/// strings and base64 stay in the body.
#[test]
fn parsing_allocates_nothing_per_record() {
    let mut rng = Rng(7);
    let count = |n: usize, rng: &mut Rng| {
        let (body, _) = get_records_body(n, rng);
        counting_alloc::count(|| {
            Response::parse(Operation::GetRecords, &body)
                .map(|_| ())
                .unwrap()
        })
        .1
    };
    let small = count(100, &mut rng);
    let large = count(6_400, &mut rng);
    // 64 times the records: at most the 6 doublings of the list more.
    assert!(
        large <= small + 6,
        "{small} allocations for 100 records, {large} for 6,400"
    );
}

/// The one-pass parse gives the same answer as `Response::parse`, blobs as bytes; a body it cannot
/// read in one pass (buffer too small, a blob with an escape) is still read, blobs as text; a bad
/// body gets `Response::parse`'s error.
#[test]
fn one_pass_parse_matches_the_two_pass_parse() {
    let mut rng = Rng(99);
    let (body, data) = get_records_body(200, &mut rng);
    let Response::GetRecords(two_pass) = Response::parse(Operation::GetRecords, &body).unwrap()
    else {
        unreachable!()
    };
    let mut buf = vec![0u8; max_decoded_len(&body)];
    let (one_pass, allocations) =
        counting_alloc::count(|| parse_get_records(&body, &mut buf).unwrap());
    assert!(
        allocations <= 9,
        "{allocations} allocations: the records list only"
    );
    assert_eq!(
        one_pass, two_pass,
        "same values (blobs compare by their bytes)"
    );
    let held: Vec<&[u8]> = one_pass
        .records
        .as_ref()
        .unwrap()
        .iter()
        .map(|r| r.data.as_ref().unwrap().as_bytes().unwrap())
        .collect();
    assert_eq!(held, data.iter().map(Vec::as_slice).collect::<Vec<_>>());

    // A buffer too small: read anyway, blobs as text, the same values.
    let total: usize = data.iter().map(Vec::len).sum();
    let mut small = vec![0u8; total - 1];
    let fallback = parse_get_records(&body, &mut small).unwrap();
    assert_eq!(fallback, two_pass);
    assert!(fallback.records.as_ref().unwrap().iter().any(|r| r
        .data
        .as_ref()
        .unwrap()
        .as_base64()
        .is_some()));

    // A bad blob: the same error, path and message, as Response::parse.
    let bad = String::from_utf8(body.clone())
        .unwrap()
        .replacen("\"Data\":\"", "\"Data\":\"!", 1);
    let mut buf = vec![0u8; max_decoded_len(bad.as_bytes())];
    let one = parse_get_records(bad.as_bytes(), &mut buf).unwrap_err();
    let two = Response::parse(Operation::GetRecords, bad.as_bytes()).unwrap_err();
    assert_eq!((one.path(), one.to_string()), (two.path(), two.to_string()));
}
