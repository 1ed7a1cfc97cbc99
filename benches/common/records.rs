//! Inputs and the usual-approach peer shared by the record benches (`shapes`, `records`): GetRecords
//! answers and SubscribeToShard streams of 1 KiB records, and owned serde structs that decode
//! `Data` from base64 while parsing, as most hand-written Rust clients do.

#![allow(dead_code)] // each bench uses part of it

use std::borrow::Cow;

use base64::Engine as _;
use kinesis_codec::eventstream::{encode_to_vec, Header, HeaderValue};
use serde::{Deserialize, Deserializer};

/// What every contender of a record bench ends with: a digest of every record's bytes (length,
/// first and last byte), so each side must hold each record's bytes, and the sides are checked
/// equal before measuring.
pub fn digest(acc: u64, bytes: &[u8]) -> u64 {
    acc.wrapping_mul(31)
        .wrapping_add(bytes.len() as u64)
        .wrapping_add(u64::from(bytes.first().copied().unwrap_or(0)))
        .wrapping_add(u64::from(bytes.last().copied().unwrap_or(0)))
}

/// 1 KiB of record bytes (varied, so base64 is not trivially repetitive).
pub fn record_bytes(i: usize) -> Vec<u8> {
    (0..1024).map(|j| ((i * 31 + j * 7) % 251) as u8).collect()
}

pub fn record_json(i: usize) -> String {
    let data = base64::engine::general_purpose::STANDARD.encode(record_bytes(i));
    format!(
        r#"{{"SequenceNumber":"49590338271490256608559692538361571095921575989136{i:06}","ApproximateArrivalTimestamp":1441215410.867,"Data":"{data}","PartitionKey":"partition-key-{i}","EncryptionType":"NONE"}}"#
    )
}

/// A GetRecords answer of `n` records.
pub fn get_records_body(n: usize) -> Vec<u8> {
    let records: Vec<String> = (0..n).map(record_json).collect();
    format!(
        r#"{{"Records":[{}],"NextShardIterator":"AAAAAAAAAAHsW8zCWf9164uy8Epue6WS3w6wmj4a4USt","MillisBehindLatest":0}}"#,
        records.join(",")
    )
    .into_bytes()
}

/// A SubscribeToShard response stream: initial response, then `events` events of `per_event`
/// records.
pub fn subscribe_stream(events: usize, per_event: usize) -> Vec<u8> {
    let headers = |t: &'static str| {
        [
            Header {
                name: ":event-type",
                value: HeaderValue::String(t),
            },
            Header {
                name: ":content-type",
                value: HeaderValue::String("application/json"),
            },
            Header {
                name: ":message-type",
                value: HeaderValue::String("event"),
            },
        ]
    };
    let mut out = Vec::new();
    encode_to_vec(&headers("initial-response"), b"{}", &mut out).unwrap();
    for e in 0..events {
        let records: Vec<String> = (0..per_event)
            .map(|i| record_json(e * per_event + i))
            .collect();
        let payload = format!(
            r#"{{"Records":[{}],"ContinuationSequenceNumber":"49590338271490256608559692538361571095921575989136{:06}","MillisBehindLatest":0}}"#,
            records.join(","),
            e
        );
        encode_to_vec(
            &headers("SubscribeToShardEvent"),
            payload.as_bytes(),
            &mut out,
        )
        .unwrap();
    }
    out
}

fn b64_decode<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
    let s: Cow<'de, str> = Deserialize::deserialize(d)?;
    base64::engine::general_purpose::STANDARD
        .decode(s.as_bytes())
        .map_err(serde::de::Error::custom)
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct OwnedRecord {
    pub sequence_number: String,
    pub approximate_arrival_timestamp: Option<f64>,
    #[serde(deserialize_with = "b64_decode")]
    pub data: Vec<u8>,
    pub partition_key: String,
    pub encryption_type: Option<String>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct OwnedGetRecordsOutput {
    pub records: Vec<OwnedRecord>,
    pub next_shard_iterator: Option<String>,
    pub millis_behind_latest: Option<i64>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct OwnedSubscribeToShardEvent {
    pub records: Vec<OwnedRecord>,
    pub continuation_sequence_number: String,
    pub millis_behind_latest: i64,
}
