//! Raw bytes into the one-shot decoder, frame after frame: never panics, and every frame that
//! decodes re-encodes to exactly its bytes (or is refused by the encoder for a value longer
//! than 32,767 bytes, which decoding accepts and encoding does not write).
#![no_main]

use kinesis_codec::eventstream::{
    decode, encode_to_vec, DecodeOptions, Decoded, Decoder, EncodeError, Frame, Header,
    MAX_VALUE_LEN,
};
use libfuzzer_sys::fuzz_target;

fn check_reencodes(frame: &Frame<'_>) {
    let headers: Vec<Header<'_>> = frame.headers().collect();
    assert_eq!(
        headers.iter().map(|h| h.encoded_len()).sum::<usize>(),
        frame.headers_len() as usize
    );
    for h in &headers {
        assert!(frame.header(h.name).is_some());
    }
    let mut out = Vec::new();
    match encode_to_vec(&headers, frame.payload(), &mut out) {
        Ok(()) => assert_eq!(out, frame.as_bytes()),
        Err(EncodeError::ValueTooLong { index, len }) => {
            assert!(len > MAX_VALUE_LEN);
            assert_eq!(headers[index].value.encoded_len(), len + 2);
        }
        Err(e) => panic!("a decoded frame does not encode: {e}"),
    }
}

fuzz_target!(|data: &[u8]| {
    // Small limits too, so the limit checks are exercised with small inputs.
    let small = Decoder::new(
        DecodeOptions::default()
            .max_payload_len(64)
            .max_headers_len(64),
    );
    for decoder in [Decoder::default(), small] {
        let mut rest = data;
        loop {
            match decoder.decode(rest) {
                Ok(Decoded::Frame { frame, used }) => {
                    assert_eq!(frame.as_bytes(), &rest[..used]);
                    check_reencodes(&frame);
                    rest = &rest[used..];
                }
                Ok(Decoded::NeedMore { needed }) => {
                    assert!(needed > 0);
                    break;
                }
                Err(e) => {
                    assert!(!e.to_string().is_empty());
                    break;
                }
            }
        }
    }
    // The free function agrees with the default decoder.
    assert_eq!(decode(data), Decoder::default().decode(data));
});
