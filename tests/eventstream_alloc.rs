//! Decoding a frame allocates nothing: one-shot, incremental, through the accumulator, header
//! iteration and lookup, and encoding into caller buffers. The reader allocates only to grow
//! its buffer, never per frame once it is large enough.
//!
//! A counting global allocator; one test function, so nothing else runs while counting.
#![cfg(feature = "std")]

use std::hint::black_box;

use kinesis_codec::eventstream::{
    decode, decode_exact, encode, encode_heapless, encode_vectored, Accumulator, Decoded, Decoder,
    FrameReader, Header, HeaderValue,
};

#[path = "common/counting_alloc.rs"]
mod counting_alloc;

/// Allocations made while running `f`.
fn count<T>(f: impl FnOnce() -> T) -> (usize, T) {
    let (out, n) = counting_alloc::count(f);
    (n, out)
}

fn vector(rel: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/eventstream")
        .join(rel);
    std::fs::read(&path).unwrap()
}

/// Walks every header and looks each one up by name; returns a checksum of what it saw.
fn touch_everything(bytes: &[u8]) -> usize {
    let frame = decode_exact(bytes).unwrap();
    let mut seen = frame.payload().len();
    for h in frame.headers() {
        seen += h.name.len() + usize::from(h.value.type_id());
        if let Some(v) = frame.header(h.name) {
            seen += v.as_bytes().map_or(0, <[u8]>::len);
        }
        seen += usize::from(frame.header_str(h.name).is_some());
    }
    seen + usize::from(frame.header("no such header").is_some())
}

#[test]
fn no_allocation_per_decoded_frame() {
    // The counter sees allocations (so zero below means zero).
    let (n, v) = count(|| black_box(Vec::<u8>::with_capacity(10)));
    assert_eq!(n, 1);
    drop(v);

    let all = vector("aws-sdk-go/encoded/positive/all_headers");
    let str_header = vector("aws-sdk-go/encoded/positive/payload_one_str_header");
    let smithy = vector("smithy-rs/test_data/valid_with_all_headers_and_payload");
    let corrupt = vector("aws-sdk-go/encoded/negative/corrupted_payload");

    for bytes in [&all, &str_header, &smithy] {
        // One-shot, strict, header iteration and lookup.
        let (n, seen) = count(|| touch_everything(black_box(bytes)));
        assert_eq!(n, 0, "one-shot decode + headers allocated");
        assert!(seen > 0);

        // Incremental over a growing buffer.
        let (n, frames) = count(|| {
            let decoder = Decoder::default();
            let mut frames = 0;
            for end in 0..=bytes.len() {
                if let Decoded::Frame { frame, .. } = decoder.decode(&bytes[..end]).unwrap() {
                    frames += frame.headers().count();
                }
            }
            frames
        });
        assert_eq!(n, 0, "incremental decode allocated");
        assert!(frames > 0);

        // The accumulator, one byte at a time.
        let (n, frames) = count(|| {
            let mut acc = Accumulator::<512>::new();
            let mut frames = 0;
            for b in bytes.chunks(1) {
                acc.feed(b);
                while let Some(f) = acc.next_frame().unwrap() {
                    frames += f.headers().count() + 1;
                }
            }
            frames
        });
        assert_eq!(n, 0, "accumulator allocated");
        assert!(frames > 0);
    }

    // Errors are plain values too.
    let (n, err) = count(|| decode(black_box(&corrupt)).is_err());
    assert_eq!(n, 0);
    assert!(err);

    // Encoding into caller buffers.
    let headers = [
        Header::new(":message-type", HeaderValue::String("event")),
        Header::new(":event-type", HeaderValue::String("SubscribeToShardEvent")),
        Header::new("id", HeaderValue::Uuid([7; 16])),
    ];
    let payload = [b'x'; 300];
    let mut out = [0u8; 512];
    let mut hv = heapless::Vec::<u8, 512>::new();
    let mut head = [0u8; 128];
    let (n, total) = count(|| {
        let a = encode(&headers, &payload, &mut out).unwrap();
        encode_heapless(&headers, &payload, &mut hv).unwrap();
        let v = encode_vectored(&headers, &payload, &mut head).unwrap();
        a + hv.len() + v.total_len()
    });
    assert_eq!(n, 0, "encoding into caller buffers allocated");
    // Headers: 1+13+1+2+5, 1+11+1+2+21, 1+2+1+16; prelude 12, payload 300, CRC 4.
    assert_eq!(total, 3 * (22 + 36 + 20 + 12 + 300 + 4));

    // The reader: after its buffer has grown to the largest frame, no allocation per frame.
    let mut stream = Vec::new();
    for _ in 0..50 {
        stream.extend_from_slice(&all);
        stream.extend_from_slice(&str_header);
    }
    let mut reader = FrameReader::new(&stream[..]);
    reader.next_frame().unwrap().unwrap();
    let (n, frames) = count(|| {
        let mut frames = 0;
        while let Some(f) = reader.next_frame().unwrap() {
            frames += usize::from(f.header("content-type").is_some());
        }
        frames
    });
    assert_eq!(n, 0, "reader allocated per frame");
    assert_eq!(frames, 99);
}
