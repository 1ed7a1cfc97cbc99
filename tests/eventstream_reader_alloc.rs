//! `FrameReader` allocates for the bytes that arrive, not for the length a prelude announces:
//! 12 bytes claiming a 4 GiB frame, then the end of input, must not allocate 4 GiB (or the
//! 24 MiB the default limits allow).
//!
//! `tests/common/counting_alloc.rs` records the largest single request of the calling thread.
#![cfg(feature = "std")]

use kinesis_codec::eventstream::{
    encode_to_vec, DecodeOptions, FrameReader, Header, HeaderValue, ReadError,
};

#[path = "common/counting_alloc.rs"]
mod counting_alloc;

/// The largest single allocation `f` made on this thread.
fn largest<T>(f: impl FnOnce() -> T) -> (usize, T) {
    let (out, most) = counting_alloc::largest_of(f);
    (most, out)
}

/// A valid prelude announcing a frame of `total_len` bytes with no headers.
fn prelude(total_len: u32) -> Vec<u8> {
    let mut p = Vec::new();
    p.extend_from_slice(&total_len.to_be_bytes());
    p.extend_from_slice(&0u32.to_be_bytes());
    let crc = crc32(&p);
    p.extend_from_slice(&crc.to_be_bytes());
    p
}

/// CRC-32/ISO-HDLC bit by bit, independent of the crate's.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xEDB8_8320 & (crc & 1).wrapping_neg());
        }
    }
    !crc
}

const KIB: usize = 1024;
const MIB: usize = 1024 * KIB;

#[test]
fn a_prelude_announcing_4_gib_then_eof_allocates_little() {
    let wire = prelude(u32::MAX);
    let options = DecodeOptions::default().max_payload_len(u32::MAX);
    let (most, result) = largest(|| {
        let mut reader = FrameReader::with_options(&wire[..], options);
        reader.next_frame().map(|f| f.is_some())
    });
    assert!(
        matches!(result, Err(ReadError::UnexpectedEof { needed }) if needed == u32::MAX as usize - 12),
        "{result:?}"
    );
    assert!(
        most <= 64 * KIB,
        "12 bytes made the reader allocate {most} bytes"
    );
}

#[test]
fn a_prelude_announcing_24_mib_with_default_limits_allocates_little() {
    let total = 25_165_824 + 16;
    let wire = prelude(total);
    let (most, result) = largest(|| {
        FrameReader::new(&wire[..])
            .next_frame()
            .map(|f| f.is_some())
    });
    assert!(
        matches!(result, Err(ReadError::UnexpectedEof { .. })),
        "{result:?}"
    );
    assert!(
        most <= 64 * KIB,
        "12 bytes made the reader allocate {most} bytes"
    );
}

#[test]
fn the_buffer_grows_with_the_bytes_that_arrive() {
    // 3 MiB of a 20 MiB frame arrive, then the input ends.
    let mut wire = prelude(20 * MIB as u32);
    wire.resize(12 + 3 * MIB, 0xA5);
    let (most, result) = largest(|| {
        FrameReader::new(&wire[..])
            .next_frame()
            .map(|f| f.is_some())
    });
    assert!(
        matches!(result, Err(ReadError::UnexpectedEof { needed }) if needed == 17 * MIB - 12),
        "{result:?}"
    );
    assert!(
        most <= 3 * MIB + 12 + MIB,
        "3 MiB of input made the reader allocate {most} bytes"
    );

    // A whole large frame still reads, and reading it allocates little more than its size.
    let payload = vec![7u8; 5 * MIB];
    let mut wire = Vec::new();
    encode_to_vec(
        &[Header::new("k", HeaderValue::Bool(true))],
        &payload,
        &mut wire,
    )
    .unwrap();
    let (most, len) = largest(|| {
        let mut reader = FrameReader::new(&wire[..]);
        let len = reader.next_frame().unwrap().unwrap().payload().len();
        assert!(reader.next_frame().unwrap().is_none());
        len
    });
    assert_eq!(len, payload.len());
    assert!(
        most <= wire.len() + MIB,
        "a {} byte frame: {most} bytes allocated",
        wire.len()
    );
}
