//! The producer's strict JSON scanner against serde_json: the same documents valid, the same
//! strings decoded, and the typed errors with their offsets.

use kinesis_codec::json::{ScanErrorKind, Scanner};
use proptest::prelude::*;
use serde_json::Value;

fn scan_all(bytes: &[u8]) -> Result<(), kinesis_codec::producer::ScanError> {
    let mut sc = Scanner::new(bytes);
    sc.skip_value()?;
    sc.end()
}

/// serde_json's verdict, or `None` where it refuses for reasons outside JSON syntax
/// (f64 overflow of a huge number, its own recursion limit).
fn serde_verdict(bytes: &[u8]) -> Option<bool> {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(_) => Some(true),
        Err(e) => {
            let m = e.to_string();
            if m.contains("number out of range") || m.contains("recursion limit") {
                None
            } else {
                Some(false)
            }
        }
    }
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        any::<String>().prop_map(Value::String),
    ];
    leaf.prop_recursive(6, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::btree_map(any::<String>(), inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn every_serde_json_document_scans(v in json_value()) {
        let compact = serde_json::to_vec(&v).unwrap();
        prop_assert_eq!(scan_all(&compact), Ok(()));
        let pretty = serde_json::to_vec_pretty(&v).unwrap();
        prop_assert_eq!(scan_all(&pretty), Ok(()));
    }

    #[test]
    fn validity_agrees_with_serde_json_on_mutated_documents(
        v in json_value(),
        edits in prop::collection::vec(
            (any::<prop::sample::Index>(), 0u8..3, prop::sample::select(
                b"{}[],:\"\\/0123456789-+.eEtrufalsn \t\n\x00\x1f\x7f\xc3\xa9\xff u".to_vec()
            )),
            1..4,
        ),
    ) {
        let mut bytes = serde_json::to_vec(&v).unwrap();
        for (at, op, b) in edits {
            let i = at.index(bytes.len() + 1);
            match op {
                0 => bytes.insert(i, b),
                1 if i < bytes.len() => { bytes.remove(i); }
                _ if i < bytes.len() => bytes[i] = b,
                _ => bytes.push(b),
            }
        }
        if let Some(ok) = serde_verdict(&bytes) {
            let mine = scan_all(&bytes);
            prop_assert_eq!(mine.is_ok(), ok, "{:?}: {:?}", String::from_utf8_lossy(&bytes), mine);
        }
    }

    #[test]
    fn strings_decode_like_serde_json(s in any::<String>(), ascii in any::<bool>()) {
        let mut text = serde_json::to_string(&s).unwrap();
        if ascii {
            // Force \uXXXX escapes (with surrogate pairs) for everything non-ASCII.
            text = text.chars().map(|c| {
                if (c as u32) < 0x80 { c.to_string() } else {
                    let mut units = [0u16; 2];
                    c.encode_utf16(&mut units).iter().map(|u| format!("\\u{u:04X}")).collect()
                }
            }).collect();
        }
        let mut sc = Scanner::new(text.as_bytes());
        let js = sc.string().unwrap();
        sc.end().unwrap();
        prop_assert_eq!(js.to_string(), s.clone());
        prop_assert_eq!(js.unescaped_len(), s.len());
        prop_assert!(js == s.as_str());
        let mut buf = vec![0u8; s.len()];
        prop_assert_eq!(js.unescape_into(&mut buf).unwrap(), s.as_str());
        if !s.is_empty() {
            let mut short = vec![0u8; s.len() - 1];
            prop_assert!(js.unescape_into(&mut short).is_err());
        }
    }
}

fn kind_at(input: &[u8]) -> (ScanErrorKind, usize) {
    let e = scan_all(input).unwrap_err();
    (e.kind, e.offset)
}

#[test]
fn typed_errors_name_the_byte_offset() {
    use ScanErrorKind::*;
    assert_eq!(
        kind_at(b"[1,]"),
        (
            UnexpectedByte {
                found: b']',
                expected: "a JSON value"
            },
            3
        )
    );
    assert_eq!(kind_at(b"{\"a\":1,}").1, 7);
    assert_eq!(kind_at(b"01"), (TrailingData, 1));
    assert_eq!(kind_at(b"-"), (UnexpectedEnd, 1));
    assert_eq!(kind_at(b"1.e5"), (InvalidNumber, 2));
    assert_eq!(kind_at(b"\"\\ud800\""), (LoneSurrogate, 1));
    assert_eq!(kind_at(b"\"\\udc00\""), (LoneSurrogate, 1));
    assert_eq!(kind_at(b"\"\\ud800\\u0041\""), (LoneSurrogate, 1));
    assert_eq!(kind_at(b"\"\\x\""), (InvalidEscape, 1));
    assert_eq!(kind_at(b"\"\\u12G4\""), (InvalidEscape, 1));
    assert_eq!(kind_at(b"\"a\tb\""), (ControlCharacter, 2));
    assert_eq!(kind_at(b"\"ab\xff\""), (InvalidUtf8, 3));
    assert_eq!(kind_at(b"\"abc"), (UnexpectedEnd, 4));
    assert_eq!(kind_at(b"tru"), (UnexpectedEnd, 3));
    assert_eq!(
        kind_at(b"trux"),
        (
            UnexpectedByte {
                found: b'x',
                expected: "true, false or null"
            },
            3
        )
    );
    assert_eq!(kind_at(b"{} {}"), (TrailingData, 3));
    assert_eq!(kind_at(b""), (UnexpectedEnd, 0));
    // Depth: 32 levels pass, 33 do not.
    let ok = format!("{}{}", "[".repeat(32), "]".repeat(32));
    assert_eq!(scan_all(ok.as_bytes()), Ok(()));
    let deep = format!("{}{}", "[".repeat(33), "]".repeat(33));
    assert_eq!(kind_at(deep.as_bytes()), (TooDeep { limit: 32 }, 32));
    let mut sc = Scanner::new(deep.as_bytes()).with_max_depth(40);
    assert_eq!(sc.skip_value(), Ok(()));
    // A million nested arrays fail fast with TooDeep, without recursion.
    let huge = "[".repeat(1_000_000);
    assert_eq!(kind_at(huge.as_bytes()).0, TooDeep { limit: 32 });
    // Errors display with their offset.
    let e = scan_all(b"[1,]").unwrap_err();
    assert_eq!(
        e.to_string(),
        "unexpected byte 0x5d at byte 3: expected a JSON value"
    );
}
