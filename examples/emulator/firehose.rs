//! Firehose delivery streams, in memory: each a name and the records put into it, in arrival
//! order. Nothing is delivered anywhere; a test reads what landed through the example's own
//! read-out ([`DeliveryStreams::read_out`], `GET /_firehose/NAME`), which is not part of the
//! AWS API.
//!
//! Like `state.rs`, it knows nothing of the wire: `protocol.rs` turns its answers and
//! [`Failure`]s into Firehose bodies.

use std::collections::BTreeMap;

use kinesis_codec::json::base64::write_base64;

use crate::state::{Failure, ACCOUNT, REGION};

/// One record as it landed.
#[derive(Debug)]
pub struct Landed {
    /// The `RecordId` PutRecord / PutRecordBatch answered.
    pub record_id: String,
    /// The data bytes exactly as the producer sent them.
    pub data: Vec<u8>,
    /// Milliseconds since the epoch when it arrived.
    pub arrival_millis: i64,
}

/// One delivery stream (always `DirectPut`, always `ACTIVE`).
#[derive(Debug)]
pub struct DeliveryStream {
    /// Its name.
    pub name: String,
    /// Milliseconds since the epoch when it was created.
    pub created_millis: i64,
    /// What was put into it, oldest first.
    pub records: Vec<Landed>,
}

impl DeliveryStream {
    /// `arn:aws:firehose:us-east-1:000000000000:deliverystream/NAME`.
    pub fn arn(&self) -> String {
        format!(
            "arn:aws:firehose:{REGION}:{ACCOUNT}:deliverystream/{}",
            self.name
        )
    }
}

/// Every delivery stream, by name.
#[derive(Debug, Default)]
pub struct DeliveryStreams {
    streams: BTreeMap<String, DeliveryStream>,
    /// How many records were put into all of them: each record's id is made from it.
    put_count: u64,
}

/// The answer for a delivery stream that does not exist. The service's text as moto 5.2.1
/// reproduces it (moto/firehose/models.py); neither kinesalite nor ferrokinesis has Firehose.
fn not_found(name: &str) -> Failure {
    Failure {
        code: "ResourceNotFoundException",
        message: format!("Firehose {name} under account {ACCOUNT} not found."),
    }
}

impl DeliveryStreams {
    /// The delivery stream named `name`, or the service's error.
    pub fn get(&self, name: &str) -> Result<&DeliveryStream, Failure> {
        self.streams.get(name).ok_or_else(|| not_found(name))
    }

    /// Makes an empty delivery stream and returns its ARN.
    pub fn create(&mut self, name: &str, now: i64) -> Result<String, Failure> {
        if self.streams.contains_key(name) {
            // As moto 5.2.1 words it (moto/firehose/models.py).
            return Err(Failure {
                code: "ResourceInUseException",
                message: format!("Firehose {name} under accountId {ACCOUNT} already exists"),
            });
        }
        let stream = DeliveryStream {
            name: name.to_owned(),
            created_millis: now,
            records: Vec::new(),
        };
        let arn = stream.arn();
        self.streams.insert(name.to_owned(), stream);
        Ok(arn)
    }

    /// Removes a delivery stream and its records.
    pub fn delete(&mut self, name: &str) -> Result<(), Failure> {
        self.streams
            .remove(name)
            .map(drop)
            .ok_or_else(|| not_found(name))
    }

    /// Up to `limit` names in order after `after`, and whether more follow.
    pub fn names(&self, after: Option<&str>, limit: usize) -> (Vec<String>, bool) {
        let mut rest = self
            .streams
            .keys()
            .filter(|name| after.is_none_or(|after| name.as_str() > after));
        let page = rest.by_ref().take(limit).cloned().collect();
        (page, rest.next().is_some())
    }

    /// Stores one record and returns its `RecordId`.
    pub fn put(&mut self, name: &str, data: Vec<u8>, now: i64) -> Result<String, Failure> {
        let stream = self.streams.get_mut(name).ok_or_else(|| not_found(name))?;
        self.put_count = self.put_count.saturating_add(1);
        // The service's ids are long opaque strings; these are the put count in hex, as long.
        let record_id = format!("{:0>112x}", self.put_count);
        stream.records.push(Landed {
            record_id: record_id.clone(),
            data,
            arrival_millis: now,
        });
        Ok(record_id)
    }

    /// The example's own read-out, not part of the AWS API: one JSON object per line for each
    /// record of the delivery stream, oldest first, `{"RecordId":…,"Data":"<base64>",
    /// "ArrivalMillis":…}`.
    pub fn read_out(&self, name: &str) -> Result<Vec<u8>, Failure> {
        let stream = self.get(name)?;
        let mut out = Vec::new();
        for record in &stream.records {
            out.extend_from_slice(b"{\"RecordId\":\"");
            out.extend_from_slice(record.record_id.as_bytes());
            out.extend_from_slice(b"\",\"Data\":\"");
            // A Vec grows as needed: writing to it cannot fail.
            let _ = write_base64(&mut out, &record.data);
            let rest = format!("\",\"ArrivalMillis\":{}}}\n", record.arrival_millis);
            out.extend_from_slice(rest.as_bytes());
        }
        Ok(out)
    }
}
