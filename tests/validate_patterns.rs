//! The model patterns compiled by the generator (`tests/codegen/patterns.rs`) into automata
//! (`kinesis_codec::validate::pattern`) match what a regex engine matches: every pattern of both
//! models' inputs, on strings made to match it (proptest's regex strategy) and on those strings
//! changed by a character. The `regex` crate stands in for Java: the patterns are translated to
//! Java's meaning where the two differ (`\d \s \w .` are ASCII / line-based in Java), and
//! patterns with look-arounds or `\p{..}` are checked by hand in `tests/validate_rules.rs`.
//!
//! The generator refuses what it cannot compile, naming the pattern:
//! `unsupported_patterns_stop_generation`.

#![cfg(feature = "alloc")] // the shapes and their validation need a heap

mod codegen;

use kinesis_codec::validate::pattern::Pattern;
use kinesis_codec::{firehose, kinesis};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// Java's classes spelled out for the `regex` crate (which reads `\d \s \w .` as Unicode);
/// without `^` and `$` when `anchors` is false (for the string generator, which refuses them).
fn java_meaning(source: &str, anchors: bool) -> String {
    let mut out = String::new();
    let mut chars = source.chars();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(e) = chars.next() else { break };
                let spelled = match (e, in_class) {
                    ('d', _) => "0-9",
                    ('w', _) => "a-zA-Z_0-9",
                    ('s', _) => r" \t\n\x0B\x0C\r",
                    ('S', false) => r"[^ \t\n\x0B\x0C\r]",
                    _ => "",
                };
                match (spelled, e, in_class) {
                    ("", _, _) => {
                        out.push('\\');
                        out.push(e);
                    }
                    (s, 'S', _) => out.push_str(s),
                    (s, _, true) => out.push_str(s),
                    (s, _, false) => out.push_str(&format!("[{s}]")),
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push(c);
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            '.' if !in_class => out.push_str(r"[^\n\r\x{85}\x{2028}\x{2029}]"),
            '^' | '$' if !in_class && !anchors => {}
            c => out.push(c),
        }
    }
    out
}

fn checked_patterns() -> Vec<&'static Pattern> {
    kinesis::VALIDATION_PATTERNS
        .iter()
        .chain(firehose::VALIDATION_PATTERNS)
        .copied()
        .filter(|p| !p.source.contains("(?") && !p.source.contains(r"\p"))
        .collect()
}

#[test]
fn every_model_pattern_matches_as_a_regex_engine_does() {
    let patterns = checked_patterns();
    assert!(patterns.len() >= 40, "only {} patterns", patterns.len());
    for pattern in patterns {
        let java = java_meaning(pattern.source, true);
        let engine = regex::Regex::new(&format!("^(?:{java})$"))
            .unwrap_or_else(|e| panic!("{}: {e}", pattern.source));
        // Strings made to match (bounded repetition keeps them short), then one character
        // changed, inserted or removed.
        let unanchored = java_meaning(pattern.source, false);
        let generator = proptest::string::string_regex(&format!("(?:{unanchored})"))
            .unwrap_or_else(|e| panic!("{}: {e}", pattern.source));
        let edit = (
            0usize..64,
            prop_oneof![
                Just('!'),
                Just(' '),
                Just('a'),
                Just('0'),
                Just('-'),
                Just('é'),
                Just('\n')
            ],
            0u8..3,
        );
        let mut runner = TestRunner::new(Config {
            cases: 200,
            failure_persistence: None,
            ..Config::default()
        });
        runner
            .run(&(generator, edit), |(text, (at, c, how))| {
                let mut changed: Vec<char> = text.chars().collect();
                let at = at.min(changed.len());
                match how {
                    0 => changed.insert(at, c),
                    1 if at < changed.len() => changed[at] = c,
                    _ if at < changed.len() => {
                        changed.remove(at);
                    }
                    _ => changed.push(c),
                }
                let changed: String = changed.into_iter().collect();
                for s in [&text, &changed] {
                    prop_assert_eq!(
                        pattern.matches(s),
                        engine.is_match(s),
                        "pattern {} on {:?}",
                        pattern.source,
                        s
                    );
                }
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{}: {e}", pattern.source));
    }
}

#[test]
fn unsupported_patterns_stop_generation() {
    for source in [
        r"(?<=a)b", r"a(?!b)c", r"a++", r"\p{Lu}", r"(a)\1", r"[[a]]",
    ] {
        let outcome = std::panic::catch_unwind(|| codegen::patterns::emit_pattern("P", source));
        let message = outcome
            .err()
            .and_then(|e| e.downcast::<String>().ok())
            .unwrap_or_else(|| panic!("{source} compiled"));
        assert!(message.contains(&format!("{source:?}")), "{message}");
    }
}
