//! The strict decimal hash key parser: never panics, accepts exactly `0|([1-9]\d{0,38})` below
//! 2^128 (as `u128::from_str` reads it), and formats accepted values back to the same text.
#![no_main]

use kinesis_codec::hashkey::{HashKey, MAX_DECIMAL_LEN};
use libfuzzer_sys::fuzz_target;

fn grammar_ok(b: &[u8]) -> bool {
    !b.is_empty()
        && b.len() <= 39
        && b.iter().all(u8::is_ascii_digit)
        && (b.len() == 1 || b[0] != b'0')
}

fuzz_target!(|data: &[u8]| {
    let ours = HashKey::parse_bytes(data);
    let oracle = match std::str::from_utf8(data) {
        Ok(text) if grammar_ok(data) => text.parse::<u128>().ok(),
        _ => None,
    };
    assert_eq!(
        ours.ok().map(HashKey::get),
        oracle,
        "{:?}",
        String::from_utf8_lossy(data)
    );
    if let Ok(text) = std::str::from_utf8(data) {
        assert_eq!(HashKey::parse(text), ours);
    }
    if let Ok(key) = ours {
        let mut buf = [0u8; MAX_DECIMAL_LEN];
        assert_eq!(key.format(&mut buf).as_bytes(), data);
    } else if let Err(e) = ours {
        let _ = e.to_string();
    }
});
