//! The producer's heap-free response readers on arbitrary bytes: they never panic, and whenever
//! a reader and serde_json both accept a body, they read the same values (the oracle is
//! `serde_json::Value`, read member by member the way botocore does: `null` = absent).
//! The scanner is also held to serde_json's syntax verdict: a body serde_json accepts may only
//! be refused for nesting deeper than the scanner's limit or for a member of the wrong type.
#![no_main]

use kinesis_codec::json::ScanErrorKind;
use kinesis_codec::producer::{
    ErrorResponse, FirehosePutRecordResponse, JsonStr, KinesisPutRecordResponse,
    PutRecordBatchResponse, PutRecordsResponse, ResponseError,
};
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value};

fn text(s: Option<JsonStr<'_>>) -> Option<String> {
    let s = s?;
    let mut buf = vec![0u8; s.unescaped_len()];
    let decoded = s.unescape_into(&mut buf).expect("exact length").to_owned();
    assert_eq!(decoded, s.to_string());
    if let Some(plain) = s.as_str() {
        assert_eq!(plain, decoded);
    }
    Some(decoded)
}

fn member<'v>(obj: &'v Map<String, Value>, name: &str) -> Option<&'v Value> {
    obj.get(name).filter(|v| !v.is_null())
}

fn str_member(obj: &Map<String, Value>, name: &str) -> Option<String> {
    member(obj, name).map(|v| v.as_str().expect("reader accepted a non-string").to_owned())
}

fn u32_member(obj: &Map<String, Value>, name: &str) -> Option<u32> {
    member(obj, name).map(|v| u32::try_from(v.as_u64().expect("non-integer accepted")).unwrap())
}

fn bool_member(obj: &Map<String, Value>, name: &str) -> Option<bool> {
    member(obj, name).map(|v| v.as_bool().expect("non-bool accepted"))
}

fn list<'v>(obj: &'v Map<String, Value>, name: &str) -> &'v [Value] {
    member(obj, name).map_or(&[], |v| v.as_array().expect("non-list accepted"))
}

/// When serde_json accepts a body a reader refused, the refusal must be about types or
/// duplicates, or nesting beyond the scanner's limit; never plain syntax.
fn check_refusal(e: &ResponseError) {
    if let ResponseError::Syntax(s) = e {
        assert!(
            matches!(s.kind, ScanErrorKind::TooDeep { .. }),
            "scanner refused JSON that serde_json accepts: {e}"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let put_records = PutRecordsResponse::parse(data);
    let batch = PutRecordBatchResponse::parse(data);
    let kinesis_one = KinesisPutRecordResponse::parse(data);
    let firehose_one = FirehosePutRecordResponse::parse(data);
    let error = ErrorResponse::parse(data);
    // Exercise the lazy iterators even when we cannot compare.
    if let Ok(r) = &put_records {
        assert_eq!(r.entries().count(), r.len());
        assert!(r.failed_indexes().all(|i| i < r.len()));
    }
    if let Ok(r) = &batch {
        assert_eq!(r.entries().count(), r.len());
    }

    let value = match serde_json::from_slice::<Value>(data) {
        Ok(v) => v,
        Err(e) => {
            // The scanner is at least as strict as serde_json, except that it does not convert
            // numbers (serde_json refuses 1e400) and accepts an empty error body.
            let why = e.to_string();
            if !why.contains("number out of range") {
                assert!(
                    put_records.is_err(),
                    "PutRecords accepted what serde_json refuses: {why}"
                );
                assert!(batch.is_err());
                assert!(kinesis_one.is_err());
                assert!(firehose_one.is_err());
                let blank = data.iter().all(|b| b" \t\r\n".contains(b));
                assert!(error.is_err() || blank, "error reader accepted: {why}");
            }
            return;
        }
    };
    let Some(obj) = value.as_object() else {
        assert!(put_records.is_err() && batch.is_err() && error.is_err());
        return;
    };

    match &put_records {
        Ok(r) => {
            assert_eq!(
                r.failed_record_count(),
                u32_member(obj, "FailedRecordCount")
            );
            assert_eq!(text(r.encryption_type()), str_member(obj, "EncryptionType"));
            let entries = list(obj, "Records");
            assert_eq!(r.len(), entries.len());
            for (mine, theirs) in r.entries().zip(entries) {
                let t = theirs.as_object().expect("non-object entry accepted");
                assert_eq!(text(mine.sequence_number), str_member(t, "SequenceNumber"));
                assert_eq!(text(mine.shard_id), str_member(t, "ShardId"));
                assert_eq!(text(mine.error_code), str_member(t, "ErrorCode"));
                assert_eq!(text(mine.error_message), str_member(t, "ErrorMessage"));
                assert_eq!(mine.is_failed(), member(t, "ErrorCode").is_some());
            }
        }
        Err(e) => check_refusal(e),
    }
    match &batch {
        Ok(r) => {
            assert_eq!(r.failed_put_count(), u32_member(obj, "FailedPutCount"));
            assert_eq!(r.encrypted(), bool_member(obj, "Encrypted"));
            let entries = list(obj, "RequestResponses");
            assert_eq!(r.len(), entries.len());
            for (mine, theirs) in r.entries().zip(entries) {
                let t = theirs.as_object().expect("non-object entry accepted");
                assert_eq!(text(mine.record_id), str_member(t, "RecordId"));
                assert_eq!(text(mine.error_code), str_member(t, "ErrorCode"));
                assert_eq!(text(mine.error_message), str_member(t, "ErrorMessage"));
            }
        }
        Err(e) => check_refusal(e),
    }
    match &kinesis_one {
        Ok(r) => {
            assert_eq!(text(r.shard_id), str_member(obj, "ShardId"));
            assert_eq!(text(r.sequence_number), str_member(obj, "SequenceNumber"));
            assert_eq!(text(r.encryption_type), str_member(obj, "EncryptionType"));
        }
        Err(e) => check_refusal(e),
    }
    match &firehose_one {
        Ok(r) => {
            assert_eq!(text(r.record_id), str_member(obj, "RecordId"));
            assert_eq!(r.encrypted, bool_member(obj, "Encrypted"));
        }
        Err(e) => check_refusal(e),
    }
    match &error {
        Ok(r) => {
            let ty = str_member(obj, "__type");
            assert_eq!(text(r.error_type), ty);
            let message = str_member(obj, "message").or_else(|| str_member(obj, "Message"));
            assert_eq!(text(r.message), message);
            let mut buf = vec![0u8; r.error_type.map_or(0, |t| t.unescaped_len())];
            let code = r.code_into(&mut buf).unwrap().map(str::to_owned);
            // The __type rule, spelled out independently.
            let expected = ty.map(|t| {
                let head = t.split(':').next().unwrap_or("").to_owned();
                match head.rfind('#') {
                    Some(i) => head[i + 1..].to_owned(),
                    None => head,
                }
            });
            assert_eq!(code, expected);
            if let (Some(fast), Some(code)) = (r.code(), &code) {
                assert_eq!(fast, code);
            }
        }
        Err(e) => check_refusal(e),
    }
});
