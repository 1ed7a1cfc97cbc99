//! The crate's JSON writer (`kinesis_codec::wire::to_vec`) against `serde_json::to_vec`.
//!
//! The input is read three ways: as JSON (any value serde_json accepts: objects, arrays, strings
//! with escapes, integers, floats), as a string (lossy UTF-8, so control bytes and every code
//! point appear), and as a blob's raw bytes and its base64 text. Oracle: both writers give the
//! same bytes for each.
#![no_main]

use kinesis_codec::blob::Blob;
use kinesis_codec::wire::to_vec;
use libfuzzer_sys::fuzz_target;

/// Both writers give the same bytes; returns them.
macro_rules! same {
    ($value:expr) => {{
        let value = $value;
        let theirs = serde_json::to_vec(&value).expect("serde_json serializes it");
        assert_eq!(to_vec(&value), theirs);
        theirs
    }};
}

fuzz_target!(|data: &[u8]| {
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) {
        same!(value);
    }
    same!(String::from_utf8_lossy(data));
    let quoted = same!(Blob::from_bytes(data));
    let text = std::str::from_utf8(&quoted[1..quoted.len() - 1]).expect("base64 is ASCII");
    same!(Blob::from_base64(text).expect("valid base64"));
});
