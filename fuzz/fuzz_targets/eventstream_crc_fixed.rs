//! The input made into a frame whose lengths and CRCs are right (total_len = input length,
//! headers_len folded into range, both CRCs recomputed), so fuzzing gets past the checksums and
//! into the header parser. A frame that decodes must re-encode to the same bytes, also from its
//! headers prepared once; one that does not may only fail in its header block.
#![no_main]

use kinesis_codec::eventstream::{
    decode_exact, encode_to_vec, DecodeError, EncodeError, Encoder, Header,
};
use libfuzzer_sys::fuzz_target;

/// CRC-32/ISO-HDLC, bit by bit: a second implementation, independent of the crate's.
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

fuzz_target!(|data: &[u8]| {
    if data.len() < 16 || data.len() > u32::MAX as usize {
        return;
    }
    let mut frame = data.to_vec();
    let len = frame.len();
    let room = (len - 16) as u32;
    let headers_len = u32::from_be_bytes(frame[4..8].try_into().unwrap()) % (room + 1);
    frame[0..4].copy_from_slice(&(len as u32).to_be_bytes());
    frame[4..8].copy_from_slice(&headers_len.to_be_bytes());
    let prelude_crc = crc32(&frame[..8]);
    frame[8..12].copy_from_slice(&prelude_crc.to_be_bytes());
    let message_crc = crc32(&frame[..len - 4]);
    frame[len - 4..].copy_from_slice(&message_crc.to_be_bytes());

    match decode_exact(&frame) {
        Ok(decoded) => {
            assert_eq!(decoded.prelude_crc(), prelude_crc);
            assert_eq!(decoded.message_crc(), message_crc);
            let headers: Vec<Header<'_>> = decoded.headers().collect();
            let mut out = Vec::new();
            match encode_to_vec(&headers, decoded.payload(), &mut out) {
                Ok(()) => {
                    assert_eq!(out, frame);
                    // Headers prepared once give the same frame.
                    let mut block = vec![0u8; headers_len as usize];
                    let prepared = Encoder::DEFAULT.prepare(&headers, &mut block).unwrap();
                    let mut again = vec![0u8; len];
                    let written =
                        Encoder::DEFAULT.encode_prepared(&prepared, decoded.payload(), &mut again);
                    assert_eq!(written, Ok(len));
                    assert_eq!(again, frame);
                }
                Err(EncodeError::ValueTooLong { len, .. }) => assert!(len > 32_767),
                Err(e) => panic!("a decoded frame does not encode: {e}"),
            }
        }
        Err(
            DecodeError::HeaderTruncated { offset }
            | DecodeError::InvalidHeaderName { offset }
            | DecodeError::InvalidStringValue { offset }
            | DecodeError::UnknownHeaderType { offset, .. },
        ) => assert!((12..12 + headers_len as usize).contains(&offset)),
        // Frames over the default limits cannot come from inputs of fuzzing size, but are fine.
        Err(DecodeError::HeadersTooLarge { .. } | DecodeError::PayloadTooLarge { .. }) => {}
        Err(e) => panic!("repaired frame failed outside its header block: {e:?}"),
    }
});
