//! Every encoder refuses what a decoder with the same limits refuses: by default, a header
//! block over 128 KiB or a payload over 24 MiB (spec/eventstream.md, "Our policy": "Defaults:
//! payload up to 24 MiB (25,165,824 bytes), header block up to 128 KiB (131,072 bytes)").
#![cfg(feature = "std")]

use kinesis_codec::eventstream::{
    decode_exact, encode, encode_heapless, encode_to_vec, encode_vectored, encoded_len,
    DecodeOptions, Decoder, EncodeError, Encoder, Header, HeaderValue, Message,
    DEFAULT_MAX_HEADERS_LEN, DEFAULT_MAX_PAYLOAD_LEN,
};

/// String headers named `h0`, `h1`... with these values (each header encodes to 6 bytes plus
/// its value).
fn headers(values: &[String]) -> Vec<Header<'_>> {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let name: &'static str = ["h0", "h1", "h2", "h3", "h4"][i];
            Header::new(name, HeaderValue::String(v))
        })
        .collect()
}

/// Runs every encode entry point on `headers` and `payload` and checks they all give `want`.
fn all_encoders(headers: &[Header<'_>], payload: &[u8], want: Result<usize, EncodeError>) {
    assert_eq!(encoded_len(headers, payload), want, "encoded_len");

    let mut out = vec![0u8; payload.len() + 200_000];
    assert_eq!(encode(headers, payload, &mut out), want, "encode");
    if let Ok(n) = want {
        decode_exact(&out[..n]).expect("what encode wrote decodes");
    }

    let mut v = b"before".to_vec();
    let got = encode_to_vec(headers, payload, &mut v).map(|()| v.len() - 6);
    assert_eq!(got, want, "encode_to_vec");
    if want.is_err() {
        assert_eq!(v, b"before", "encode_to_vec changed its output on error");
    }

    let mut head = vec![0u8; 200_000];
    let got = encode_vectored(headers, payload, &mut head).map(|v| v.total_len());
    assert_eq!(got, want, "encode_vectored");

    let message = Message::new(headers.to_vec(), payload);
    assert_eq!(message.encoded_len(), want, "Message::encoded_len");
    assert_eq!(
        message.encode_to_vec().map(|v| v.len()),
        want,
        "Message::encode_to_vec"
    );

    if payload.len() < 1000 {
        let mut hv = heapless::Vec::<u8, 140_000>::new();
        let got = encode_heapless(headers, payload, &mut hv).map(|()| hv.len());
        assert_eq!(got, want, "encode_heapless");
        if want.is_err() {
            assert!(hv.is_empty());
        }
    }
}

#[test]
fn header_block_over_the_default_limit_is_refused_by_every_encoder() {
    // Five headers of 6 + 28,000 bytes: a 140,030-byte block.
    let values = vec!["x".repeat(28_000); 5];
    let h = headers(&values);
    all_encoders(
        &h,
        b"hi",
        Err(EncodeError::HeadersTooLarge {
            len: 140_030,
            limit: DEFAULT_MAX_HEADERS_LEN,
        }),
    );
    // One byte over the limit.
    let mut values = vec!["x".repeat(32_762); 4];
    values[3].push('x');
    all_encoders(
        &headers(&values),
        b"",
        Err(EncodeError::HeadersTooLarge {
            len: 131_073,
            limit: DEFAULT_MAX_HEADERS_LEN,
        }),
    );
}

#[test]
fn header_block_at_the_default_limit_encodes_and_decodes() {
    let values = vec!["x".repeat(32_762); 4];
    let h = headers(&values);
    all_encoders(&h, b"payload", Ok(12 + 131_072 + 7 + 4));
}

#[test]
fn payload_over_the_default_limit_is_refused_by_every_encoder() {
    let limit = DEFAULT_MAX_PAYLOAD_LEN as usize;
    let over = vec![0u8; limit + 1];
    all_encoders(
        &[],
        &over,
        Err(EncodeError::PayloadTooLarge {
            len: limit as u64 + 1,
            limit: DEFAULT_MAX_PAYLOAD_LEN,
        }),
    );
    all_encoders(&[], &over[..limit], Ok(limit + 16));
}

#[test]
fn an_encoder_with_other_limits_matches_a_decoder_with_them() {
    let options = DecodeOptions::default()
        .max_payload_len(100)
        .max_headers_len(10);
    let encoder = Encoder::new(options);
    let decoder = Decoder::new(options);
    let header = [Header::new("abc", HeaderValue::Bool(true))]; // 5 bytes
    let two = [header[0], header[0], header[0]]; // 15 bytes
    let payload = [1u8; 101];

    let mut out = vec![0u8; 1000];
    let n = encoder.encode(&header, &payload[..100], &mut out).unwrap();
    decoder.decode_exact(&out[..n]).unwrap();
    assert_eq!(
        encoder.encode(&header, &payload, &mut out),
        Err(EncodeError::PayloadTooLarge {
            len: 101,
            limit: 100
        })
    );
    assert_eq!(
        encoder.encoded_len(&two, b""),
        Err(EncodeError::HeadersTooLarge { len: 15, limit: 10 })
    );
    let mut head = [0u8; 64];
    assert!(encoder.encode_vectored(&two, b"", &mut head).is_err());
    let mut v = Vec::new();
    assert!(encoder.encode_to_vec(&two, b"", &mut v).is_err());
    assert!(v.is_empty());
    let mut hv = heapless::Vec::<u8, 64>::new();
    assert!(encoder.encode_heapless(&two, b"", &mut hv).is_err());

    // Raised limits let through what the defaults refuse.
    let big = vec![0u8; DEFAULT_MAX_PAYLOAD_LEN as usize + 1];
    let raised = Encoder::new(DecodeOptions::default().max_payload_len(u32::MAX));
    let mut v = Vec::new();
    raised.encode_to_vec(&[], &big, &mut v).unwrap();
    Decoder::new(DecodeOptions::default().max_payload_len(u32::MAX))
        .decode_exact(&v)
        .unwrap();
    assert_eq!(Encoder::default(), Encoder::new(DecodeOptions::DEFAULT));
}
