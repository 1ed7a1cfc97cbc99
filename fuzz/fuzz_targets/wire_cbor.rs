//! Arbitrary bytes as the CBOR body of any Kinesis or Firehose operation (issue 14).
//!
//! The first byte picks the service (bit 0) and the kind (bits 1-2: request, response, error,
//! SubscribeToShard event); the second picks the operation (modulo the service's operation
//! count); the rest is the body. Oracles: nothing panics; whatever parses writes back (in the
//! Java SDK's form) to a body that parses to the same value and writes back to the same bytes;
//! converting it to JSON never panics. Values holding a NaN double are compared by their bytes
//! (NaN is not equal to itself). A GetRecords answer or an event is also read
//! by `kinesis::records`' direct reader, which must give the serde reader's value wherever it
//! reads a body, and the same result through its public functions.
#![no_main]

use kinesis_codec::wire::Protocol::{Cbor, Json};
use libfuzzer_sys::fuzz_target;

/// Same value: equal, or (a NaN inside) the same written bytes, which the caller checks.
fn same<T: PartialEq + core::fmt::Debug>(a: &T, b: &T) {
    if a != b {
        let text = format!("{a:?}");
        assert!(text.contains("NaN"), "re-parse differs:\n{a:?}\n{b:?}");
    }
}

macro_rules! check_service {
    ($svc:ident, $kind:expr, $op_byte:expr, $body:expr) => {{
        use kinesis_codec::$svc::{Error, Operation, Request, Response};
        let op = Operation::ALL[usize::from($op_byte) % Operation::ALL.len()];
        match $kind {
            0 => {
                if let Ok(v) = Request::parse_in(Cbor, op, $body) {
                    let out = v.to_vec_in(Cbor);
                    let again = Request::parse_in(Cbor, op, &out).expect("our CBOR parses");
                    same(&again, &v);
                    assert_eq!(again.to_vec_in(Cbor), out);
                    let _ = Request::parse(op, &v.to_vec_in(Json));
                }
            }
            1 => {
                if let Ok(v) = Response::parse_in(Cbor, op, $body) {
                    let out = v.to_vec_in(Cbor);
                    let again = Response::parse_in(Cbor, op, &out).expect("our CBOR parses");
                    same(&again, &v);
                    assert_eq!(again.to_vec_in(Cbor), out);
                    let _ = Response::parse(op, &v.to_vec_in(Json));
                }
            }
            _ => {
                let status = Some(400 + u16::from($op_byte));
                if let Ok(v) = Error::parse_in(Cbor, $body, status) {
                    let out = v.to_vec_in(Cbor);
                    let again = Error::parse_in(Cbor, &out, status).expect("our CBOR parses");
                    same(&again, &v);
                    assert_eq!(again.code(), v.code());
                    assert_eq!(again.to_vec_in(Cbor), out);
                    let _ = Error::parse(&v.to_vec_in(Json), status);
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
            use kinesis_codec::wire::{parse_cbor, to_cbor_vec};
            let options = kinesis_codec::wire::ParseOptions::new();
            let serde: Result<SubscribeToShardEvent<'_>, _> =
                kinesis_codec::wire::parse_body_in(Cbor, body, &options);
            if let Some(direct) = kinesis_codec::kinesis::records::event_cbor_direct(body) {
                assert_eq!(serde.as_ref(), Ok(&direct), "direct reader differs");
            }
            assert_eq!(
                kinesis_codec::kinesis::records::parse_event_cbor(body),
                serde
            );
            if let Ok(v) = parse_cbor::<SubscribeToShardEvent<'_>>(body) {
                let out = to_cbor_vec(&v);
                let again: SubscribeToShardEvent<'_> = parse_cbor(&out).expect("our CBOR parses");
                same(&again, &v);
                assert_eq!(to_cbor_vec(&again), out);
            }
        } else {
            let ops = kinesis_codec::kinesis::Operation::ALL;
            if kind == 1
                && ops[usize::from(*op_byte) % ops.len()]
                    == kinesis_codec::kinesis::Operation::GetRecords
            {
                use kinesis_codec::kinesis::records::{
                    get_records_cbor_direct, parse_get_records_cbor,
                };
                use kinesis_codec::kinesis::shapes::GetRecordsOutput;
                let options = kinesis_codec::wire::ParseOptions::new();
                let serde: Result<GetRecordsOutput<'_>, _> =
                    kinesis_codec::wire::parse_body_in(Cbor, body, &options);
                if let Some(direct) = get_records_cbor_direct(body) {
                    assert_eq!(serde.as_ref(), Ok(&direct), "direct reader differs");
                }
                assert_eq!(parse_get_records_cbor(body), serde);
                use kinesis_codec::kinesis::{Operation, Response};
                match (
                    Response::parse_in(Cbor, Operation::GetRecords, body),
                    &serde,
                ) {
                    (Ok(Response::GetRecords(v)), Ok(s)) => assert_eq!(&v, s),
                    (Err(e), Err(s)) => assert_eq!(&e, s),
                    (r, s) => panic!("Response::parse_in {r:?}, serde {s:?}"),
                }
            }
            check_service!(kinesis, kind, *op_byte, body);
        }
    } else {
        check_service!(firehose, kind, *op_byte, body);
    }
});
