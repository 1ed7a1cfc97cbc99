//! Bytes arriving in pieces give the same frames as a one-shot decode of the whole stream:
//! through the `Accumulator`, the `FrameReader` and the incremental `Decoder` over a growing
//! buffer, at every split point of every positive vector (and of all of them back to back),
//! one byte at a time, and at random split points (proptest).
#![cfg(feature = "std")]

use std::io::Read;

use kinesis_codec::eventstream::{
    decode, Accumulator, DecodeError, Decoded, Decoder, FrameReader, PRELUDE_LEN,
};
use proptest::prelude::*;

fn vector(rel: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/eventstream")
        .join(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Every positive vector of the shared sets (the two-frame file included).
fn positive_vectors() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut add_dir = |dir: &str, keep: &dyn Fn(&str) -> bool| {
        let mut names: Vec<String> = std::fs::read_dir(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/data/eventstream")
                .join(dir),
        )
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| keep(n))
        .collect();
        names.sort();
        for n in names {
            let rel = format!("{dir}/{n}");
            out.push((rel.clone(), vector(&rel)));
        }
    };
    add_dir("aws-sdk-go/encoded/positive", &|_| true);
    add_dir("smithy-rs/test_data", &|n| n.starts_with("valid_"));
    add_dir("botocore/positive", &|n| n.ends_with(".bin"));
    add_dir("aws-c-event-stream", &|n| {
        n.ends_with(".bin") && !n.contains("fails") && !n.contains("too_short")
    });
    assert!(out.len() >= 25, "{}", out.len());
    out
}

/// The reference: one-shot decode, frame after frame.
fn one_shot(stream: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut rest = stream;
    while !rest.is_empty() {
        match decode(rest).unwrap() {
            Decoded::Frame { frame, used } => {
                out.push(frame.as_bytes().to_vec());
                rest = &rest[used..];
            }
            Decoded::NeedMore { needed } => panic!("stream ends inside a frame ({needed})"),
        }
    }
    out
}

fn via_accumulator(pieces: &[&[u8]]) -> Vec<Vec<u8>> {
    let mut acc = Accumulator::<512>::new();
    let mut out = Vec::new();
    for piece in pieces {
        let mut rest = *piece;
        loop {
            let taken = acc.feed(rest);
            rest = &rest[taken..];
            let before = out.len();
            while let Some(f) = acc.next_frame().unwrap() {
                out.push(f.as_bytes().to_vec());
            }
            if rest.is_empty() {
                break;
            }
            assert!(taken > 0 || out.len() > before, "accumulator stalled");
        }
        // needed() is exact once the prelude is in.
        if acc.len() >= PRELUDE_LEN {
            let buffered_total = acc.len() + acc.needed();
            assert!(buffered_total >= 16);
        }
    }
    assert!(acc.is_empty(), "bytes left over");
    assert_eq!(acc.next_frame(), Ok(None));
    out
}

fn via_decoder(pieces: &[&[u8]]) -> Vec<Vec<u8>> {
    let decoder = Decoder::default();
    let mut buf: Vec<u8> = Vec::new();
    let mut out = Vec::new();
    for piece in pieces {
        buf.extend_from_slice(piece);
        loop {
            match decoder.decode(&buf).unwrap() {
                Decoded::Frame { frame, used } => {
                    out.push(frame.as_bytes().to_vec());
                    buf.drain(..used);
                }
                Decoded::NeedMore { needed } => {
                    if buf.len() >= PRELUDE_LEN {
                        // Exactly the rest of the frame the prelude announces.
                        let total = u32::from_be_bytes(buf[..4].try_into().unwrap()) as usize;
                        assert_eq!(needed, total - buf.len());
                    } else {
                        assert_eq!(needed, PRELUDE_LEN - buf.len());
                    }
                    break;
                }
            }
        }
    }
    assert!(buf.is_empty());
    out
}

/// A reader that hands out the pieces as they are (at most one piece per read).
struct Pieces<'a> {
    pieces: Vec<&'a [u8]>,
    at: usize,
}

impl Read for Pieces<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while let Some(p) = self.pieces.get_mut(self.at) {
            if p.is_empty() {
                self.at += 1;
                continue;
            }
            let n = buf.len().min(p.len());
            buf[..n].copy_from_slice(&p[..n]);
            *p = &p[n..];
            return Ok(n);
        }
        Ok(0)
    }
}

fn via_reader(pieces: &[&[u8]]) -> Vec<Vec<u8>> {
    let mut reader = FrameReader::new(Pieces {
        pieces: pieces.to_vec(),
        at: 0,
    });
    let mut out = Vec::new();
    while let Some(f) = reader.next_frame().unwrap() {
        out.push(f.as_bytes().to_vec());
    }
    out
}

fn check_all_ways(pieces: &[&[u8]], expected: &[Vec<u8>], what: &str) {
    assert_eq!(via_accumulator(pieces), expected, "{what}: accumulator");
    assert_eq!(via_decoder(pieces), expected, "{what}: decoder");
    assert_eq!(via_reader(pieces), expected, "{what}: reader");
}

#[test]
fn every_split_point_of_every_positive_vector() {
    for (name, bytes) in positive_vectors() {
        let expected = one_shot(&bytes);
        assert!(!expected.is_empty());
        for split in 0..=bytes.len() {
            let (a, b) = bytes.split_at(split);
            check_all_ways(&[a, b], &expected, &format!("{name} at {split}"));
        }
        let bytewise: Vec<&[u8]> = bytes.chunks(1).collect();
        check_all_ways(&bytewise, &expected, &format!("{name} byte by byte"));
    }
}

#[test]
fn every_split_point_of_all_vectors_back_to_back() {
    let stream: Vec<u8> = positive_vectors()
        .into_iter()
        .flat_map(|(_, b)| b)
        .collect();
    let expected = one_shot(&stream);
    assert!(expected.len() >= 26);
    for split in 0..=stream.len() {
        let (a, b) = stream.split_at(split);
        check_all_ways(&[a, b], &expected, &format!("stream at {split}"));
    }
    for size in [1, 2, 3, 7, 11, 12, 13, 16, 64, 100, 511, 512, 513] {
        let pieces: Vec<&[u8]> = stream.chunks(size).collect();
        check_all_ways(&pieces, &expected, &format!("chunks of {size}"));
    }
}

#[test]
fn a_bad_frame_in_a_stream_is_reported_after_the_good_ones() {
    let good = vector("aws-sdk-go/encoded/positive/payload_one_str_header");
    let bad = vector("aws-sdk-go/encoded/negative/corrupted_payload");
    let stream = [&good[..], &good[..], &bad[..], &good[..]].concat();
    let mut acc = Accumulator::<256>::new();
    for b in stream.chunks(5) {
        let mut rest = b;
        while !rest.is_empty() {
            let n = acc.feed(rest);
            rest = &rest[n..];
            if n == 0 {
                break;
            }
        }
    }
    assert!(acc.next_frame().unwrap().is_some());
    assert!(acc.next_frame().unwrap().is_some());
    let err = acc.next_frame().unwrap_err();
    assert!(matches!(err, DecodeError::MessageChecksum { .. }));
    // Errors consume nothing: the same error again.
    assert_eq!(acc.next_frame(), Err(err));
    acc.clear();
    assert!(acc.is_empty());

    let mut reader = FrameReader::new(&stream[..]);
    assert!(reader.next_frame().unwrap().is_some());
    assert!(reader.next_frame().unwrap().is_some());
    assert!(reader.next_frame().is_err());
}

#[test]
fn a_truncated_stream_is_an_eof_error_for_the_reader() {
    let good = vector("aws-sdk-go/encoded/positive/all_headers");
    for cut in 1..good.len() {
        let mut reader = FrameReader::new(&good[..cut]);
        match reader.next_frame() {
            Err(kinesis_codec::eventstream::ReadError::UnexpectedEof { needed }) => {
                let expect = if cut < PRELUDE_LEN {
                    PRELUDE_LEN - cut
                } else {
                    good.len() - cut
                };
                assert_eq!(needed, expect, "cut at {cut}");
            }
            other => panic!("cut at {cut}: {other:?}"),
        }
    }
}

proptest! {
    #[test]
    fn random_splits_give_the_same_frames(cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..24)) {
        let stream: Vec<u8> = positive_vectors().into_iter().flat_map(|(_, b)| b).collect();
        let expected = one_shot(&stream);
        let mut points: Vec<usize> = cuts.iter().map(|i| i.index(stream.len() + 1)).collect();
        points.sort();
        let mut pieces = Vec::new();
        let mut last = 0;
        for p in points {
            pieces.push(&stream[last..p]);
            last = p;
        }
        pieces.push(&stream[last..]);
        prop_assert_eq!(via_accumulator(&pieces), expected.clone());
        prop_assert_eq!(via_decoder(&pieces), expected.clone());
        prop_assert_eq!(via_reader(&pieces), expected);
    }
}
