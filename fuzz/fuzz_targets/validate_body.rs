//! Arbitrary bytes as the request body of any Kinesis or Firehose operation, checked as the
//! service checks it (issue 16, `Request::check_body`).
//!
//! The first byte picks the service (bit 0) and the protocol (bit 1: JSON or CBOR); the second
//! picks the operation (modulo the service's operation count); the rest is the body. Oracles:
//! nothing panics; a refusal has a type and a message, and a `ValidationException` counts at
//! most ten items; a body that validates parses to a request that validates, and its
//! re-serialization, in either protocol, validates too.
#![no_main]

use kinesis_codec::wire::Protocol::{self, Cbor, Json};
use libfuzzer_sys::fuzz_target;

macro_rules! check_service {
    ($svc:ident, $protocol:expr, $op_byte:expr, $body:expr) => {{
        use kinesis_codec::$svc::{Operation, Request};
        let op = Operation::ALL[usize::from($op_byte) % Operation::ALL.len()];
        match Request::check_body($protocol, op, $body) {
            Ok(()) => {
                let request = Request::parse_in($protocol, op, $body).expect("a valid body parses");
                assert!(
                    request.validate().is_ok(),
                    "check_body and validate disagree"
                );
                for to in [Json, Cbor] {
                    let out = request.to_vec_in(to);
                    if let Err(refusal) = Request::check_body(to, op, &out) {
                        panic!("re-serialized in {to:?}, refused: {}", refusal.message());
                    }
                }
            }
            Err(refusal) => {
                assert!(!refusal.code().is_empty() && !refusal.message().is_empty());
                if refusal.code() == "ValidationException" {
                    let count: usize = refusal
                        .message()
                        .split(' ')
                        .next()
                        .and_then(|n| n.parse().ok())
                        .expect("a count first");
                    assert!((1..=10).contains(&count), "{}", refusal.message());
                }
            }
        }
    }};
}

fuzz_target!(|data: &[u8]| {
    let [select, op_byte, body @ ..] = data else {
        return;
    };
    let protocol: Protocol = if select & 2 == 0 { Json } else { Cbor };
    if select & 1 == 0 {
        check_service!(kinesis, protocol, *op_byte, body);
    } else {
        check_service!(firehose, protocol, *op_byte, body);
    }
});
