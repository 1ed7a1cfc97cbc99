//! Validation of arbitrary requests of every operation (`arbitrary` values): checking the body
//! (`Request::check_body`, JSON and CBOR) gives what validating the parsed request gives; a
//! body that validates is written back to one that validates; and damaged bodies are answered,
//! never a panic (the oracle a fuzz target uses).
#![cfg(all(feature = "alloc", feature = "arbitrary"))]

use arbitrary::{Arbitrary, Unstructured};
use kinesis_codec::wire::Protocol;
use kinesis_codec::{firehose, kinesis};

/// Deterministic pseudo-random input buffers of varied sizes.
fn inputs() -> impl Iterator<Item = Vec<u8>> {
    let mut state = 0x0bad_5eed_1234_5678u64;
    (0..3000).map(move |i| {
        let len = 16 + (i * 53) % 4096;
        (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect()
    })
}

macro_rules! agreement_test {
    ($name:ident, $service:ident) => {
        #[test]
        fn $name() {
            let (mut valid, mut invalid) = (0, 0);
            for data in inputs() {
                let mut u = Unstructured::new(&data);
                let Ok(request) = $service::Request::arbitrary(&mut u) else {
                    continue;
                };
                let operation = request.operation();
                let verdict = request.validate().map_err(|e| e.to_string());
                for protocol in [Protocol::Json, Protocol::Cbor] {
                    let body = request.to_vec_in(protocol);
                    let checked = $service::Request::check_body(protocol, operation, &body)
                        .map_err(|r| {
                            assert_eq!(r.code(), "ValidationException", "{r}");
                            r.message().to_string()
                        });
                    assert_eq!(checked, verdict, "{operation:?} in {protocol:?}");
                    // Damaged bodies: an answer, not a panic.
                    for cut in [body.len() / 2, body.len().saturating_sub(1)] {
                        let _ = $service::Request::check_body(protocol, operation, &body[..cut]);
                    }
                }
                if verdict.is_ok() {
                    valid += 1;
                    let body = request.to_vec();
                    let again = $service::Request::parse(operation, &body).unwrap();
                    let body = again.to_vec();
                    assert_eq!(
                        $service::Request::check_body(Protocol::Json, operation, &body),
                        Ok(())
                    );
                } else {
                    invalid += 1;
                }
            }
            assert!(
                valid > 20 && invalid > 200,
                "{valid} valid, {invalid} invalid"
            );
        }
    };
}

agreement_test!(kinesis_bodies_check_as_their_requests_validate, kinesis);
agreement_test!(firehose_bodies_check_as_their_requests_validate, firehose);
