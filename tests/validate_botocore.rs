//! Request validation against botocore's client-side validator
//! (`botocore.validate.ParamValidator`, botocore 1.44.5 with the Kinesis model it ships, run by
//! `tests/peers/botocore_validate.py`).
//!
//! The cases are those of `tests/validate_kinesalite.rs` (`tests/common/validation_cases.rs`:
//! each member left out, each constraint broken, each wrong JSON type, malformed base64, list
//! entries broken at positions 1 and 3, everything at once), made from two sets of valid
//! baselines: kinesalite's hand-written bodies, and a body for every operation of the model with
//! every member present (`tests/common/valid_bodies.rs`); the baselines themselves are cases
//! too. Each body goes to `Request::check_body` (JSON) and, in botocore's input form (blobs as
//! bytes, wrong types kept), to botocore, all in one Python process.
//!
//! botocore checks fewer constraints than the service: required members, types, minimum
//! lengths and minimum values, not maximums, patterns or enums. So the verdicts, not the texts,
//! are compared, by three rules:
//! 1. every body botocore refuses, the crate refuses;
//! 2. every body the crate refuses only for violations of kinds botocore checks (a missing
//!    required member, a type error, a length or value below its minimum), botocore refuses;
//! 3. every body the crate refuses only for kinds botocore does not check (a maximum, a
//!    pattern, an enum, malformed base64), botocore accepts.
//!
//! Where botocore departs from these kinds for a reason that can be named, [`DIFFERENCES`]
//! names it, and each must be seen at least once (a difference that no longer shows is a
//! failure). botocore missing makes the test fail, as the other peer tests do
//! (`KINESIS_CODEC_SKIP_PEERS=1` prints SKIPPED instead).

#![cfg(feature = "std")] // the peer runs as a child process

#[path = "common/peers.rs"]
mod peers;
#[path = "common/valid_bodies.rs"]
mod valid_bodies;
#[path = "common/validation_cases.rs"]
mod validation_cases;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::process::Stdio;

use kinesis_codec::kinesis::{Operation, Request};
use kinesis_codec::wire::Protocol;
use serde_json::{json, Value};
use validation_cases::{cases, model, operations, Case};

/// A kind of violation, as the crate reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Required,
    Type,
    MinLength,
    MinValue,
    MaxLength,
    MaxValue,
    Pattern,
    Enum,
    Base64,
    /// An entry of a list or map (or a map key) breaks one of several constraints of its
    /// shape; the service lists them all without saying which, so the kind is not known.
    Entry,
}

impl Kind {
    /// Whether botocore's validator checks violations of this kind.
    fn botocore_checks(self) -> bool {
        matches!(
            self,
            Kind::Required | Kind::Type | Kind::MinLength | Kind::MinValue
        )
    }

    /// Whether botocore's validator is known not to check violations of this kind.
    fn botocore_skips(self) -> bool {
        matches!(
            self,
            Kind::MaxLength | Kind::MaxValue | Kind::Pattern | Kind::Enum | Kind::Base64
        )
    }
}

/// The crate's verdict on a body.
#[derive(Debug)]
struct Ours {
    /// The refusal's type and message; `None` for a valid body.
    refusal: Option<(String, String)>,
    /// The kinds of every violation listed.
    kinds: BTreeSet<Kind>,
    /// Whether the message lists every violation (the service stops at ten).
    complete: bool,
}

/// The kind of one item of a `ValidationException`.
fn item_kind(item: &str) -> Kind {
    let rule = item
        .split("failed to satisfy constraint: ")
        .nth(1)
        .unwrap_or_else(|| panic!("an item without a constraint: {item}"));
    if let Some((_, inner)) = rule.split_once("must satisfy constraint: [") {
        // `Member must satisfy constraint: [...]`, `Map keys ...`, `Map value ...`: an entry
        // breaks one of the constraints listed. Known only when one can be broken (a minimum
        // length of 0 cannot).
        let inner = inner.strip_suffix(']').unwrap_or(inner);
        let breakable: Vec<String> = inner
            .split(", Member ")
            .map(|c| format!("Member {}", c.trim_start_matches("Member ")))
            .filter(|c| c != "Member must have length greater than or equal to 0")
            .collect();
        return match breakable.as_slice() {
            [only] => rule_kind(only).unwrap_or_else(|| panic!("an unknown constraint: {item}")),
            _ => Kind::Entry,
        };
    }
    rule_kind(rule).unwrap_or_else(|| panic!("an item of an unknown kind: {item}"))
}

/// The kind of one constraint's text (`Member must ...`).
fn rule_kind(rule: &str) -> Option<Kind> {
    let kinds = [
        ("Member must not be null", Kind::Required),
        (
            "Member must have length greater than or equal",
            Kind::MinLength,
        ),
        (
            "Member must have length less than or equal",
            Kind::MaxLength,
        ),
        (
            "Member must have value greater than or equal",
            Kind::MinValue,
        ),
        ("Member must have value less than or equal", Kind::MaxValue),
        (
            "Member must satisfy regular expression pattern",
            Kind::Pattern,
        ),
        ("Member must satisfy enum value set", Kind::Enum),
    ];
    kinds
        .iter()
        .find(|(text, _)| rule.starts_with(text))
        .map(|&(_, kind)| kind)
}

fn ours(operation: Operation, body: &Value) -> Ours {
    let Err(refusal) = Request::check_body(Protocol::Json, operation, body.to_string().as_bytes())
    else {
        return Ours {
            refusal: None,
            kinds: BTreeSet::new(),
            complete: true,
        };
    };
    let (code, message) = (refusal.code(), refusal.message());
    let (kinds, complete) = match code {
        "SerializationException" if message.contains("Base64") => {
            (BTreeSet::from([Kind::Base64]), true)
        }
        "SerializationException" => (BTreeSet::from([Kind::Type]), true),
        "ValidationException" => {
            let (prefix, items) = message
                .split_once(" detected: ")
                .unwrap_or_else(|| panic!("a ValidationException without items: {message}"));
            let count: usize = prefix
                .split(' ')
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("no count: {message}"));
            let items: Vec<&str> = items.split("; ").collect();
            (
                items.iter().map(|i| item_kind(i)).collect(),
                count == items.len(),
            )
        }
        other => panic!("check_body answered {other}: {message}"),
    };
    Ours {
        refusal: Some((code.to_string(), message.to_string())),
        kinds,
        complete,
    }
}

/// botocore's verdict: `None` when it accepts the body, its report when it refuses.
type Theirs = Option<String>;

/// Every body botocore is asked about, in one run of the script.
fn botocore(test: &str, all: &[Case]) -> Option<Vec<Theirs>> {
    let python = peers::python(test)?;
    let mut child = peers::command(python, "botocore_validate.py")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{test}: cannot run {}: {e}", python.display()));
    let mut stdin = child.stdin.take().expect("stdin");
    let mut text = String::new();
    for case in all {
        text.push_str(&json!({"operation": case.operation, "body": case.body}).to_string());
        text.push('\n');
    }
    let writer = std::thread::spawn(move || stdin.write_all(text.as_bytes()));
    let output = child.wait_with_output().expect("the script's output");
    writer.join().expect("writer").expect("write the cases");
    assert!(
        output.status.success(),
        "{test}: tests/peers/botocore_validate.py failed ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let answers: Vec<Theirs> = String::from_utf8(output.stdout)
        .expect("UTF-8")
        .lines()
        .map(|line| {
            let v: Value = serde_json::from_str(line).expect("a JSON verdict");
            match v["valid"].as_bool() {
                Some(true) => None,
                _ => Some(v["report"].as_str().unwrap_or_default().to_string()),
            }
        })
        .collect();
    assert_eq!(answers.len(), all.len(), "one verdict per case");
    Some(answers)
}

/// Every case, the valid baselines first among each operation's.
fn all_cases() -> Vec<Case> {
    let model = model();
    let generated = Operation::ALL
        .iter()
        .map(|op| (op.name(), valid_bodies::valid_body(model, op.name())));
    let mut all = Vec::new();
    for (operation, valid) in generated.chain(operations()) {
        let op = Operation::from_name(operation).expect("a Kinesis operation");
        let checked = ours(op, &valid);
        assert!(
            checked.refusal.is_none(),
            "{operation}: the baseline {valid} is valid, the crate says {:?}",
            checked.refusal
        );
        all.push(Case {
            operation,
            what: "the valid baseline".into(),
            body: valid.clone(),
        });
        all.extend(cases(model, operation, &valid));
    }
    all
}

/// A way botocore departs from the kinds it is taken to check: its name and reason, and
/// whether it explains a case where a rule does not hold.
struct Difference {
    name: &'static str,
    explains: fn(&Case, &Ours, &Theirs) -> bool,
}

const DIFFERENCES: &[Difference] = &[
    Difference {
        name: "botocore takes true and false for an integer or long: a Python bool is an int \
               (isinstance(True, int)); the service refuses a JSON boolean there",
        explains: |_, ours, theirs| {
            theirs.is_none()
                && ours.refusal.as_ref().is_some_and(|(_, message)| {
                    [
                        "class java.lang.Boolean can not be converted to an Integer",
                        "class java.lang.Boolean can not be converted to an Long",
                    ]
                    .contains(&message.as_str())
                })
        },
    },
    Difference {
        name: "botocore takes true and false for a timestamp: it reads any Python int (and a \
               bool is one) as epoch seconds; the service refuses a JSON boolean there",
        explains: |_, ours, theirs| {
            theirs.is_none()
                && ours.refusal.as_ref().is_some_and(|(_, message)| {
                    message == "class java.lang.Boolean can not be converted to milliseconds since epoch"
                })
        },
    },
    Difference {
        name: "botocore does not check a map's minimum entries (its map validator checks only \
               the type, keys and values), so it takes an empty Tags map",
        explains: |case, ours, theirs| {
            theirs.is_none()
                && ours.complete
                && ours.kinds == BTreeSet::from([Kind::MinLength])
                && ours.refusal.as_ref().is_some_and(|(_, message)| {
                    message
                        .split("; ")
                        .all(|item| member_type(case.operation, item) == Some("map"))
                })
        },
    },
];

/// The model type of the top-level member an item is about (`... at 'tags' failed ...`).
fn member_type(operation: &str, item: &str) -> Option<&'static str> {
    let path = item.split("' at '").nth(1)?.split('\'').next()?;
    let model = model();
    let input = model["operations"][operation]["input"]["shape"].as_str()?;
    let (_, spec) = validation_cases::shape(model, input)["members"]
        .as_object()?
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(path))?;
    validation_cases::shape(model, spec["shape"].as_str()?)["type"].as_str()
}

#[test]
fn botocore_refuses_what_the_crate_refuses_for_the_constraints_it_checks() {
    let test = "botocore_refuses_what_the_crate_refuses_for_the_constraints_it_checks";
    let all = all_cases();
    let Some(answers) = botocore(test, &all) else {
        return;
    };
    let operations: BTreeSet<&str> = all.iter().map(|c| c.operation).collect();
    let mut used: BTreeMap<&str, usize> = BTreeMap::new();
    let mut mismatches = Vec::new();
    let (mut both_accept, mut both_refuse, mut unchecked_kinds, mut mixed) = (0, 0, 0, 0);
    for (case, theirs) in all.iter().zip(&answers) {
        let op = Operation::from_name(case.operation).expect("operation");
        let ours = ours(op, &case.body);
        let checked = ours.kinds.iter().all(|k| k.botocore_checks());
        let unchecked = ours.kinds.iter().all(|k| k.botocore_skips());
        let holds = match (&ours.refusal, theirs) {
            (None, None) => {
                both_accept += 1;
                true
            }
            (None, Some(_)) => false, // rule 1
            (Some(_), Some(_)) if ours.complete && unchecked => false, // rule 3
            (Some(_), Some(_)) => {
                both_refuse += 1;
                true
            }
            (Some(_), None) if ours.complete && checked => false, // rule 2
            (Some(_), None) if ours.complete && unchecked => {
                unchecked_kinds += 1;
                true
            }
            (Some(_), None) => {
                mixed += 1;
                true
            }
        };
        if holds {
            continue;
        }
        match DIFFERENCES
            .iter()
            .find(|d| (d.explains)(case, &ours, theirs))
        {
            Some(d) => *used.entry(d.name).or_default() += 1,
            None => mismatches.push(format!(
                "{} / {}: {}\n  crate:    {:?} {:?}\n  botocore: {}",
                case.operation,
                case.what,
                case.body,
                ours.kinds,
                ours.refusal,
                theirs.as_deref().unwrap_or("valid")
            )),
        }
    }
    let agreed = both_accept + both_refuse + unchecked_kinds;
    eprintln!(
        "{} requests of {} operations compared with botocore's validator: {agreed} agreed \
         ({both_accept} accepted by both, {both_refuse} refused by both, {unchecked_kinds} \
         refused by the crate only for constraints botocore does not check), {mixed} refused by \
         the crate for constraints of both kinds, or of list or map entries (whose broken \
         constraint the service does not name), and accepted by botocore, {} mismatched; \
         differences named: {used:?}",
        all.len(),
        operations.len(),
        mismatches.len()
    );
    assert!(
        mismatches.is_empty(),
        "{} of {} disagree:\n{}",
        mismatches.len(),
        all.len(),
        mismatches.join("\n")
    );
    assert_eq!(operations.len(), Operation::ALL.len(), "every operation");
    assert!(both_refuse >= 1500, "only {both_refuse} refused by both");
    assert!(
        unchecked_kinds >= 300,
        "only {unchecked_kinds} refused only for constraints botocore does not check"
    );
    for difference in DIFFERENCES {
        assert!(
            used.contains_key(difference.name),
            "the named difference never showed: {}",
            difference.name
        );
    }
}
