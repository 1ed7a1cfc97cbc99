//! boto3 1.44.5's Firehose client drives the example endpoint (`examples/emulator/`): create,
//! describe, list and delete DirectPut delivery streams, PutRecord and a PutRecordBatch of 500
//! with binary data, and the refused requests. `tests/peers/boto3_emulator_firehose.py` does
//! the calls and reads what landed through the example's own read-out
//! (`GET /_firehose/NAME`, not part of the AWS API); every assertion is here.

#![cfg(feature = "std")]

#[path = "common/emulator.rs"]
mod emulator;
#[path = "common/peers.rs"]
mod peers;

use std::collections::BTreeSet;

use serde_json::{json, Value};

const STREAM: &str = "emulator-firehose";
const ACCOUNT: &str = "000000000000";

#[test]
fn boto3_firehose_drives_the_example_endpoint() {
    let test = "emulator_firehose";
    let server = emulator::Emulator::start();
    let endpoint = format!("http://{}", server.address());
    let Some(out) = peers::run_script(test, "boto3_emulator_firehose.py", &[endpoint.as_ref()])
    else {
        return;
    };
    let out: Value = serde_json::from_slice(&out.stdout).expect("the script prints JSON");

    let arn = format!("arn:aws:firehose:us-east-1:{ACCOUNT}:deliverystream/{STREAM}");
    assert_eq!(out["arn"], arn.as_str());
    assert_eq!(
        out["describe"],
        json!({
            "DeliveryStreamName": STREAM,
            "DeliveryStreamARN": arn,
            "DeliveryStreamStatus": "ACTIVE",
            "DeliveryStreamType": "DirectPut",
            "HasMoreDestinations": false,
        })
    );
    let other = format!("{STREAM}-other");
    assert_eq!(
        out["list"],
        json!({"DeliveryStreamNames": [STREAM, other], "HasMoreDeliveryStreams": false})
    );
    assert_eq!(
        out["list_paged"],
        json!({"DeliveryStreamNames": [STREAM], "HasMoreDeliveryStreams": true})
    );

    // 502 records landed, byte-identical and in the order they were put, each under the id
    // its put answered; the ids are all different.
    let puts = out["puts"].as_array().expect("puts");
    assert_eq!(puts.len(), 502);
    assert_eq!(out["batch_failed"], 0);
    assert_eq!(out["batch_answers"], 500);
    assert_eq!(puts[0]["data"], hex(b"first"));
    assert_eq!(puts[500]["data"], hex(&(0..=255).collect::<Vec<u8>>()));
    assert_eq!(puts[501]["data"], hex(b"last\x00\xff"));
    assert_eq!(out["landed_status"], 200);
    let landed = out["landed"].as_array().expect("landed");
    assert_eq!(landed.len(), puts.len());
    for (index, (put, landed)) in puts.iter().zip(landed).enumerate() {
        assert_eq!(put["data"], landed["data"], "record {index}");
        assert_eq!(put["id"], landed["id"], "record {index}");
    }
    let ids: BTreeSet<&str> = puts.iter().filter_map(|p| p["id"].as_str()).collect();
    assert_eq!(ids.len(), puts.len(), "record ids are unique");
    // Data of every length 0..299 went through the batch.
    let lengths: BTreeSet<usize> = puts
        .iter()
        .map(|p| p["data"].as_str().expect("hex").len() / 2)
        .collect();
    assert!((0..300).all(|n| lengths.contains(&n)));

    assert_eq!(out["other_status"], 200);
    assert_eq!(out["other"], json!([]));
    let missing = format!("Firehose no-such-delivery-stream under account {ACCOUNT} not found.");
    assert_eq!(out["missing_status"], 404);
    assert_eq!(out["missing"]["__type"], "ResourceNotFoundException");
    assert_eq!(out["missing"]["message"], missing.as_str());

    let errors = &out["errors"];
    let error = |name: &str, code: &str, message: &str| {
        assert_eq!(errors[name]["code"], code, "{name}: {}", errors[name]);
        assert_eq!(errors[name]["message"], message, "{name}");
        assert_eq!(errors[name]["status"], 400, "{name}");
    };
    for name in ["missing_put", "missing_batch", "missing_describe"] {
        error(name, "ResourceNotFoundException", &missing);
    }
    error(
        "in_use",
        "ResourceInUseException",
        &format!("Firehose {STREAM} under accountId {ACCOUNT} already exists"),
    );
    // Above the model's 500 records: the crate's ValidationException, naming the member.
    assert_eq!(errors["batch_501"]["code"], "ValidationException");
    let text = errors["batch_501"]["message"].as_str().expect("a message");
    assert!(
        text.starts_with("1 validation error detected: Value '[")
            && text.ends_with(
                "]' at 'records' failed to satisfy constraint: Member must have length less \
                 than or equal to 500"
            ),
        "{text}"
    );
    // Above 4 MiB together: the crate's argument check, before the stream lookup.
    error(
        "batch_5_mib",
        "InvalidArgumentException",
        "Records size exceeds 4 MB limit",
    );
    error(
        "batch_5_mib_missing",
        "InvalidArgumentException",
        "Records size exceeds 4 MB limit",
    );
    error(
        "unimplemented",
        "UnknownOperationException",
        "ListTagsForDeliveryStream is not implemented by this example emulator",
    );
    assert_eq!(out["landed_after_errors"], 502);
    assert_eq!(out["after_delete"], json!([STREAM]));
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
