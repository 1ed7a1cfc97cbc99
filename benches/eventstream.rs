//! Event-stream decode and encode, side by side with aws-smithy-eventstream and the CRC floor.
//!
//! The frame is what Kinesis SubscribeToShard sends: three string headers (`:message-type`,
//! `:event-type`, `:content-type`) and a payload of 0 B, 100 B, 1 KiB, 64 KiB or 1 MiB.
//!
//! - `decode` group: `kinesis-codec` = [`Decoder::decode`] with the Kinesis layer's options
//!   (`subscribe::DECODE_OPTIONS`: default limits, the SubscribeToShard header values known) +
//!   reading the three headers by name + touching the payload slice (what smithy's decoder
//!   hands back); `aws-smithy-eventstream` =
//!   `read_message_from`; `crc32fast-floor` = `crc32fast::hash` over the `total_len - 4` bytes
//!   every decoder must checksum: no decoder can be faster.
//! - `encode` group: `kinesis-codec/encode` = [`encode`] into a reused `&mut [u8]`;
//!   `kinesis-codec/encode_prepared` = the same frame from headers prepared once
//!   ([`Encoder::encode_prepared`], as a server sending many events writes them);
//!   `kinesis-codec/encode_vectored` = [`encode_vectored`] (head written, payload borrowed);
//!   `aws-smithy-eventstream` = `write_message_to` into a reused, cleared `Vec`; the same
//!   CRC floor, which bounds `encode_vectored`; and `crc32fast+memcpy-floor` = copying the
//!   payload into a buffer plus that CRC, which bounds every encoder that writes the whole
//!   frame (`encode` and smithy's). `aws-smithy-eventstream / <floor>` is the most any encoder
//!   of that kind can gain over smithy on the machine at hand. The two `head-built+...` rows
//!   are what `encode` does besides checking and writing the headers, from a head built once:
//!   head and payload copied, then hashed as written in one call (as `encode` up to 4 KiB), or
//!   the head hashed and then the payload from the caller's slice (beyond). The
//!   `head-existing+...` row does the apart floor's copies but hashes the head from memory that
//!   was not written during the call, which no encoder can: its distance to the apart floor is
//!   what reading back a just-written head costs.
//!
//! Run: `cargo bench --bench eventstream`; ratios: `python3 benches/ratios.py eventstream_decode
//! eventstream_encode`.

use std::hint::black_box;

use aws_smithy_eventstream::frame::{read_message_from, write_message_to};
use aws_smithy_types::event_stream::{Header as SHeader, HeaderValue as SValue, Message};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use kinesis_codec::eventstream::{
    encode, encode_vectored, encoded_len, Decoded, Decoder, Encoder, Header, HeaderValue,
};
use kinesis_codec::kinesis::subscribe;

const SIZES: [(usize, &str); 5] = [
    (0, "0B"),
    (100, "100B"),
    (1024, "1KiB"),
    (64 * 1024, "64KiB"),
    (1024 * 1024, "1MiB"),
];

const HEADERS: [Header<'static>; 3] = [
    Header {
        name: ":message-type",
        value: HeaderValue::String("event"),
    },
    Header {
        name: ":event-type",
        value: HeaderValue::String("SubscribeToShardEvent"),
    },
    Header {
        name: ":content-type",
        value: HeaderValue::String("application/x-amz-json-1.1"),
    },
];

/// A payload of `len` bytes that looks like record JSON (the content does not matter to the
/// codecs, only its length).
fn payload(len: usize) -> Vec<u8> {
    br#"{"Records":[{"Data":"eyJzZW5zb3IiOiJ0LTE3In0=","PartitionKey":"k"}],"MillisBehindLatest":0}"#
        .iter()
        .copied()
        .cycle()
        .take(len)
        .collect()
}

fn smithy_message(payload: &[u8]) -> Message {
    Message::new_from_parts(
        HEADERS
            .iter()
            .map(|h| {
                let HeaderValue::String(s) = h.value else {
                    unreachable!("string headers")
                };
                SHeader::new(h.name.to_owned(), SValue::String(s.to_owned().into()))
            })
            .collect(),
        payload.to_vec(),
    )
}

fn frame(payload: &[u8]) -> Vec<u8> {
    let mut out = vec![0; encoded_len(&HEADERS, payload).expect("fits")];
    encode(&HEADERS, payload, &mut out).expect("encodes");
    out
}

fn bench_decode(c: &mut Criterion) {
    /// A SubscribeToShard stream's decoder, as a constant: its well-known header values fold
    /// into the inlined decode.
    const DECODER: Decoder = Decoder::new(subscribe::DECODE_OPTIONS);
    let mut group = c.benchmark_group("eventstream_decode");
    for (len, label) in SIZES {
        let bytes = frame(&payload(len));
        // Both decoders agree on this frame before they are timed.
        let theirs = read_message_from(&bytes[..]).expect("smithy decodes");
        assert_eq!(theirs.payload().len(), len);
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_with_input(
            BenchmarkId::new("kinesis-codec", label),
            &bytes,
            |b, bytes| {
                b.iter(|| {
                    let Ok(Decoded::Frame { frame, .. }) = DECODER.decode(black_box(bytes)) else {
                        panic!("decodes")
                    };
                    black_box(frame.header(":message-type"));
                    black_box(frame.header(":event-type"));
                    black_box(frame.header(":content-type"));
                    black_box(frame.payload());
                })
            },
        );
        group.bench_with_input(
            BenchmarkId::new("aws-smithy-eventstream", label),
            &bytes,
            |b, bytes| b.iter(|| black_box(read_message_from(black_box(&bytes[..])).expect("ok"))),
        );
        group.bench_with_input(
            BenchmarkId::new("crc32fast-floor", label),
            &bytes,
            |b, bytes| b.iter(|| black_box(crc32fast::hash(black_box(&bytes[..bytes.len() - 4])))),
        );
    }
    group.finish();
}

fn bench_encode(c: &mut Criterion) {
    let mut group = c.benchmark_group("eventstream_encode");
    for (len, label) in SIZES {
        let payload = payload(len);
        let message = smithy_message(&payload);
        let reference = frame(&payload);
        // Both encoders write the same bytes before they are timed.
        let mut theirs = Vec::new();
        write_message_to(&message, &mut theirs).expect("smithy encodes");
        assert!(theirs == reference, "smithy and kinesis-codec disagree");
        group.throughput(Throughput::Bytes(reference.len() as u64));

        let mut out = vec![0u8; reference.len()];
        group.bench_function(BenchmarkId::new("kinesis-codec/encode", label), |b| {
            b.iter(|| encode(black_box(&HEADERS), black_box(&payload), &mut out).expect("fits"))
        });
        // The same headers on every frame, encoded once (what a SubscribeToShard server does).
        let mut block = [0u8; 256];
        let prepared = Encoder::DEFAULT
            .prepare(&HEADERS, &mut block)
            .expect("fits");
        group.bench_function(
            BenchmarkId::new("kinesis-codec/encode_prepared", label),
            |b| {
                b.iter(|| {
                    Encoder::DEFAULT
                        .encode_prepared(black_box(&prepared), black_box(&payload), &mut out)
                        .expect("fits")
                })
            },
        );
        let mut head = [0u8; 256];
        group.bench_function(
            BenchmarkId::new("kinesis-codec/encode_vectored", label),
            |b| {
                b.iter(|| {
                    let v = encode_vectored(black_box(&HEADERS), black_box(&payload), &mut head)
                        .expect("fits");
                    black_box(v.trailer)
                })
            },
        );
        let mut buf: Vec<u8> = Vec::with_capacity(reference.len());
        group.bench_function(BenchmarkId::new("aws-smithy-eventstream", label), |b| {
            b.iter(|| {
                buf.clear();
                write_message_to(black_box(&message), &mut buf).expect("encodes");
                black_box(buf.len())
            })
        });
        group.bench_function(BenchmarkId::new("crc32fast-floor", label), |b| {
            b.iter(|| {
                black_box(crc32fast::hash(black_box(
                    &reference[..reference.len() - 4],
                )))
            })
        });
        // What any encoder that writes the frame into a buffer must do: copy the payload and
        // checksum the frame. The CRC reads `reference`, not the bytes just copied, so the two
        // are independent and may overlap: a lower bound, not a possible implementation.
        let payload_at = reference.len() - payload.len() - 4;
        let mut copied = reference.clone();
        group.bench_function(BenchmarkId::new("crc32fast+memcpy-floor", label), |b| {
            b.iter(|| {
                let body = &mut copied[payload_at..payload_at + payload.len()];
                body.copy_from_slice(black_box(&payload));
                black_box(&mut copied);
                black_box(crc32fast::hash(black_box(
                    &reference[..reference.len() - 4],
                )))
            })
        });
        // What `encode` does besides checking and building the head, from a head built once:
        // the head and the payload copied into the frame, then hashed as written in one call
        // (`encode` up to 4 KiB), or the head hashed, then the payload from the caller's slice.
        let head_len = payload_at;
        let mut written = vec![0u8; reference.len()];
        group.bench_function(
            BenchmarkId::new("head-built+memcpy+crc32fast-as-written-floor", label),
            |b| {
                b.iter(|| {
                    let (head, rest) = written.split_at_mut(head_len);
                    head.copy_from_slice(black_box(&reference[..head_len]));
                    rest[..payload.len()].copy_from_slice(black_box(&payload));
                    black_box(crc32fast::hash(&written[..reference.len() - 4]))
                })
            },
        );
        group.bench_function(
            BenchmarkId::new("head-built+memcpy+crc32fast-apart-floor", label),
            |b| {
                b.iter(|| {
                    copies_then_crc_apart::<true>(
                        &mut written,
                        black_box(&reference[..head_len]),
                        black_box(&payload),
                    )
                })
            },
        );
        // The same copies, but the head hashed from `reference`, memory not written during the
        // call: what the apart floor above would take if a head could be hashed without reading
        // back bytes just stored. No encoder can do this (its head is new on every call); the
        // difference to the apart floor is the cost of that read-back.
        group.bench_function(
            BenchmarkId::new("head-existing+memcpy+crc32fast-apart-floor", label),
            |b| {
                b.iter(|| {
                    copies_then_crc_apart::<false>(
                        &mut written,
                        black_box(&reference[..head_len]),
                        black_box(&payload),
                    )
                })
            },
        );
    }
    group.finish();
}

/// The apart floors: `head` and `payload` copied into the start of `frame`, then crc32fast over
/// the head and then over the payload from the caller's slice. The head is hashed from the copy
/// just made (`FROM_COPY`, as an encoder must) or from `head`, memory not written in the call.
#[inline(always)]
fn copies_then_crc_apart<const FROM_COPY: bool>(
    frame: &mut [u8],
    head: &[u8],
    payload: &[u8],
) -> u32 {
    let (copy, rest) = frame.split_at_mut(head.len());
    copy.copy_from_slice(head);
    rest[..payload.len()].copy_from_slice(payload);
    let copy = black_box(copy);
    let mut hasher = crc32fast::Hasher::new();
    hasher.update(if FROM_COPY { &*copy } else { head });
    hasher.update(payload);
    black_box(hasher.finalize())
}

criterion_group!(benches, bench_decode, bench_encode);
criterion_main!(benches);
