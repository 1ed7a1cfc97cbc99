//! `arbitrary` values of every shape survive a JSON round trip (the oracle a fuzz target uses).

#![cfg(all(feature = "alloc", feature = "arbitrary"))]

use arbitrary::{Arbitrary, Unstructured};
use kinesis_codec::{firehose, kinesis};

/// Deterministic pseudo-random input buffers of varied sizes.
fn inputs() -> impl Iterator<Item = Vec<u8>> {
    let mut state = 0x1234_5678_9abc_def1u64;
    (0..3000).map(move |i| {
        let len = 16 + (i * 37) % 4096;
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

macro_rules! round_trip_test {
    ($name:ident, $service:ident) => {
        #[test]
        fn $name() {
            let (mut requests, mut responses, mut errors) = (0, 0, 0);
            for data in inputs() {
                let mut u = Unstructured::new(&data);
                if let Ok(request) = $service::Request::arbitrary(&mut u) {
                    let body = request.to_vec();
                    let parsed = $service::Request::parse(request.operation(), &body)
                        .unwrap_or_else(|e| panic!("{e}\n{}", String::from_utf8_lossy(&body)));
                    assert_eq!(parsed, request, "{}", String::from_utf8_lossy(&body));
                    requests += 1;
                }
                let mut u = Unstructured::new(&data);
                if let Ok(response) = $service::Response::arbitrary(&mut u) {
                    let body = response.to_vec();
                    let parsed = $service::Response::parse(response.operation(), &body)
                        .unwrap_or_else(|e| panic!("{e}\n{}", String::from_utf8_lossy(&body)));
                    assert_eq!(parsed, response, "{}", String::from_utf8_lossy(&body));
                    responses += 1;
                }
                let mut u = Unstructured::new(&data);
                if let Ok(error) = $service::Error::arbitrary(&mut u) {
                    let body = error.to_vec();
                    let parsed = $service::Error::parse(&body, Some(400))
                        .unwrap_or_else(|e| panic!("{e}\n{}", String::from_utf8_lossy(&body)));
                    assert_eq!(parsed, error, "{}", String::from_utf8_lossy(&body));
                    errors += 1;
                }
            }
            assert!(requests > 1000 && responses > 1000 && errors > 1000);
        }
    };
}

round_trip_test!(kinesis_values_round_trip, kinesis);
round_trip_test!(firehose_values_round_trip, firehose);

#[test]
fn subscribe_items_round_trip_through_frames() {
    use kinesis_codec::eventstream;
    use kinesis_codec::kinesis::SubscribeToShardItem;
    let mut encoded = 0;
    for data in inputs() {
        let mut u = Unstructured::new(&data);
        let Ok(item) = SubscribeToShardItem::arbitrary(&mut u) else {
            continue;
        };
        // Header values longer than the event-stream limit cannot be encoded: a typed error.
        let Ok(bytes) = item.to_frame_vec() else {
            continue;
        };
        let frame = eventstream::decode_exact(&bytes).unwrap();
        assert_eq!(SubscribeToShardItem::from_frame(&frame).unwrap(), item);
        encoded += 1;
    }
    assert!(encoded > 1000, "{encoded}");
}
