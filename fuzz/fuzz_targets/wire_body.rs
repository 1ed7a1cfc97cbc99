//! Arbitrary bytes as the body of any Kinesis or Firehose operation.
//!
//! The first byte picks the service (bit 0) and the kind (bits 1-2: request, response, error,
//! SubscribeToShard event); the second picks the operation (modulo the service's operation
//! count); the rest is the body. Oracles: nothing panics; the typed API (the crate's JSON reader,
//! then serde_json) gives exactly what serde_json alone gives, value or error; and whatever
//! parses re-serializes to a body that parses to the same value and re-serializes to the same
//! bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

macro_rules! check_service {
    ($svc:ident, $kind:expr, $op_byte:expr, $body:expr) => {{
        use kinesis_codec::wire::SerdeJsonOnly;
        use kinesis_codec::$svc::{Error, Operation, Request, Response};
        let op = Operation::ALL[usize::from($op_byte) % Operation::ALL.len()];
        assert_eq!(Operation::from_name(op.name()), Some(op));
        assert_eq!(Operation::from_target(op.target()), Some(op));
        match $kind {
            0 => {
                let parsed = Request::parse(op, $body);
                assert_eq!(parsed, Request::parse_with::<SerdeJsonOnly>(op, $body));
                if let Ok(v) = parsed {
                    let out = v.to_vec();
                    let again = Request::parse(op, &out).expect("our request output parses");
                    assert_eq!(again, v);
                    assert_eq!(again.to_vec(), out);
                }
            }
            1 => {
                let parsed = Response::parse(op, $body);
                assert_eq!(parsed, Response::parse_with::<SerdeJsonOnly>(op, $body));
                if let Ok(v) = parsed {
                    let out = v.to_vec();
                    let again = Response::parse(op, &out).expect("our response output parses");
                    assert_eq!(again, v);
                    assert_eq!(again.to_vec(), out);
                }
            }
            _ => {
                let status = Some(400 + u16::from($op_byte));
                let parsed = Error::parse($body, status);
                assert_eq!(parsed, Error::parse_with::<SerdeJsonOnly>($body, status));
                if let Ok(v) = parsed {
                    let out = v.to_vec();
                    let again = Error::parse(&out, status).expect("our error output parses");
                    assert_eq!(again, v);
                    assert_eq!(again.code(), v.code());
                    assert_eq!(again.to_vec(), out);
                }
            }
        }
    }};
}

fuzz_target!(|data: &[u8]| {
    let [sel, op_byte, body @ ..] = data else {
        return;
    };
    let kind = (sel >> 1) & 3;
    if sel & 1 == 0 {
        if kind == 3 {
            use kinesis_codec::kinesis::shapes::SubscribeToShardEvent;
            use kinesis_codec::wire::{parse_json, parse_json_serde_json};
            let parsed = parse_json::<SubscribeToShardEvent<'_>>(body);
            assert_eq!(parsed, parse_json_serde_json(body));
            if let Ok(v) = parsed {
                let out = serde_json::to_vec(&v).expect("serializes");
                let again: SubscribeToShardEvent<'_> =
                    serde_json::from_slice(&out).expect("our event output parses");
                assert_eq!(again, v);
                assert_eq!(serde_json::to_vec(&again).expect("serializes"), out);
            }
        } else {
            check_service!(kinesis, kind, *op_byte, body);
        }
    } else {
        check_service!(firehose, kind, *op_byte, body);
    }
});
