//! Request validation against a second live peer: ferrokinesis 0.7.0 (crates.io, a Kinesis
//! emulator in Rust), started on a free port.
//!
//! The requests are those `tests/validate_kinesalite.rs` sends to kinesalite
//! (`tests/common/validation_cases.rs`: each member left out, each constraint broken, each wrong
//! JSON type, malformed base64, list entries broken at positions 1 and 3, everything at once,
//! more than ten violations), made from two sets of valid baselines: kinesalite's hand-written
//! bodies, and a body with every member for each operation ferrokinesis implements
//! (`tests/common/valid_bodies.rs`); the baselines are sent too. Each goes to ferrokinesis and to
//! `Request::check_body`, as JSON and again as CBOR: the error type, the count prefix and the
//! items (as a set) must agree. An answer that is not a validation error
//! (`ResourceNotFoundException`, `InvalidArgumentException`, success) means "not refused for
//! validation", as for kinesalite.
//!
//! Most texts are the same. Where they differ, [`DIFFERENCES`] names the difference and why:
//! ferrokinesis ignores the members it has no rules for (those kinesalite has none for either),
//! keeps kinesalite's older constraints (members it requires, 1 MiB records, limits of 10, bare
//! hash key patterns), has patterns and an enum set of its own (ResourceARN, ConsumerARN,
//! EncryptionType), checks no enum on list entries, accepts base64 with pad bits set, checks one
//! required member after validation, and names another member first when several have the wrong
//! type. Each name says which side kinesalite (whose texts were checked against the service) and
//! the model take; the current model wins over both for limits. Each difference explains items
//! of the crate's answer or of ferrokinesis's, and must be seen at least once (a difference that
//! no longer shows is a failure); an item left unexplained fails the test, and so does a count
//! prefix of ferrokinesis's that is not the number of its items. ferrokinesis missing makes the test fail,
//! as the other peer tests do (`KINESIS_CODEC_SKIP_PEERS=1` prints SKIPPED instead).

#![cfg(feature = "std")] // ferrokinesis runs over HTTP, requests signed with the clock (std)

#[path = "common/ferrokinesis.rs"]
mod ferrokinesis;
#[path = "common/kinesis_http.rs"]
mod kinesis_http;
#[path = "common/peers.rs"]
mod peers;
#[path = "common/valid_bodies.rs"]
mod valid_bodies;
#[path = "common/validation_answers.rs"]
mod validation_answers;
#[path = "common/validation_cases.rs"]
mod validation_cases;

use std::collections::{BTreeMap, BTreeSet};

use kinesis_codec::kinesis::Operation;
use kinesis_codec::wire::Protocol;
use validation_answers::{ours_in, theirs, theirs_cbor, Answer};
use validation_cases::{
    cases, model, model_requires, operations, twelve_bad_entries, Case, EVERY_TYPE_WRONG,
};

/// What is left to explain of one case: the crate's items ferrokinesis lacks, and
/// ferrokinesis's items the crate lacks.
struct Delta<'c> {
    case: &'c Case,
    /// The crate's error type, empty for a valid request.
    code: String,
    ours: BTreeSet<String>,
    theirs: BTreeSet<String>,
}

impl Delta<'_> {
    /// Removes the crate's items that `explained` says are explained; whether any was.
    fn ours_only(&mut self, explained: impl Fn(&str) -> bool) -> bool {
        let before = self.ours.len();
        self.ours.retain(|item| !explained(item));
        self.ours.len() < before
    }

    /// Removes ferrokinesis's items that `explained` says are explained; whether any was.
    fn theirs_only(&mut self, explained: impl Fn(&str) -> bool) -> bool {
        let before = self.theirs.len();
        self.theirs.retain(|item| !explained(item));
        self.theirs.len() < before
    }

    /// Removes each of the crate's items whose rendering by ferrokinesis (`render`) is among
    /// ferrokinesis's items, and that rendering; whether any pair was.
    fn pairs(&mut self, render: impl Fn(&str) -> Option<String>) -> bool {
        let mut any = false;
        for item in self.ours.clone() {
            if let Some(rendered) = render(&item).filter(|r| self.theirs.contains(r)) {
                self.ours.remove(&item);
                self.theirs.remove(&rendered);
                any = true;
            }
        }
        any
    }

    /// The operation's member this case breaks by a wrong type (`StreamARN: type: a list`).
    fn type_broken_member(&self) -> Option<&str> {
        let (member, what) = self.case.what.split_once(": ")?;
        (self.code == "SerializationException"
            && (what.starts_with("type: ") || what.starts_with("base64: ")))
        .then_some(member)
    }
}

/// A way ferrokinesis answers otherwise than the crate: its name (what differs, why, and which
/// side kinesalite and the model take), and which items of a case it explains (removing them).
struct Difference {
    name: &'static str,
    explains: fn(&mut Delta) -> bool,
}

/// The members ferrokinesis has no rules for, by operation (`*`: every operation that has it):
/// it neither type-checks nor validates them. kinesalite has no rules for them either (or does
/// not implement the operation).
const UNCHECKED: &[(&str, &[&str])] = &[
    ("*", &["StreamId"]),
    (
        "CreateStream",
        &[
            "MaxRecordSizeInKiB",
            "RecordDistributionStrategy",
            "StreamModeDetails",
            "Tags",
            "WarmThroughputMiBps",
        ],
    ),
    ("DeleteStream", &["EnforceConsumerDeletion", "StreamARN"]),
    ("GetRecords", &["DryRun", "StreamARN"]),
    ("GetShardIterator", &["DryRun", "StreamARN"]),
    ("ListShards", &["ShardFilter", "StreamARN"]),
    ("ListStreams", &["NextToken"]),
    ("PutRecord", &["DryRun"]),
    ("PutRecords", &["DryRun"]),
    ("RegisterStreamConsumer", &["Tags"]),
    ("SubscribeToShard", &["DryRun"]),
    ("UpdateStreamMode", &["WarmThroughputMiBps"]),
    ("AddTagsToStream", &["StreamARN"]),
    ("DecreaseStreamRetentionPeriod", &["StreamARN"]),
    ("DescribeStream", &["StreamARN"]),
    ("DescribeStreamSummary", &["StreamARN"]),
    ("IncreaseStreamRetentionPeriod", &["StreamARN"]),
    ("ListTagsForStream", &["StreamARN"]),
    ("MergeShards", &["StreamARN"]),
    ("RemoveTagsFromStream", &["StreamARN"]),
    ("SplitShard", &["StreamARN"]),
];

/// Whether ferrokinesis ignores `member` (as named in the model) of `operation`.
fn unchecked(operation: &str, member: &str) -> bool {
    UNCHECKED.iter().any(|(op, members)| {
        (*op == "*" || *op == operation) && members.iter().any(|m| m.eq_ignore_ascii_case(member))
    })
}

/// The member an item is about: the first part of its path (`records` of
/// `records.1.member.data`).
fn item_member(item: &str) -> Option<&str> {
    let path = item.split(" at '").nth(1)?.split('\'').next()?;
    path.split('.').next()
}

/// The path of a `Value null at '<path>' ... must not be null` item.
fn null_path(item: &str) -> Option<&str> {
    item.strip_prefix("Value null at '")?
        .strip_suffix("' failed to satisfy constraint: Member must not be null")
}

/// A value's length as a constraint item shows it: `lim=<n>` of a blob.
fn blob_len(item: &str) -> Option<usize> {
    let rest = item.split("lim=").nth(1)?;
    rest.split(' ').next()?.parse().ok()
}

const DIFFERENCES: &[Difference] = &[
    Difference {
        name: "ferrokinesis ignores the members it has no rules for (UNCHECKED: StreamId, \
               StreamARN and DryRun of the stream-name operations, CreateStream's Tags, mode and \
               sizes, ...): it neither type-checks nor validates them, so it accepts what the \
               model (and the crate) refuses there; kinesalite has no rules for them either",
        explains: |d| {
            let op = d.case.operation;
            if d.type_broken_member().is_some_and(|m| unchecked(op, m)) {
                return d.ours_only(|_| true);
            }
            d.ours_only(|item| item_member(item).is_some_and(|m| unchecked(op, m)))
        },
    },
    Difference {
        name: "members ferrokinesis requires and the model no longer does: StreamName (StreamARN \
               may name the stream instead), PartitionKey (PutRecord, PutRecords entries), \
               CreateStream's ShardCount (on-demand streams), UpdateMaxRecordSize's StreamARN; \
               kinesalite requires the first three too, the crate follows the model",
        explains: |d| {
            let op = d.case.operation;
            d.theirs_only(|item| null_path(item).is_some_and(|path| !model_requires(op, path)))
        },
    },
    Difference {
        name: "ferrokinesis prints the hash key and sequence number patterns bare, \
               0|([1-9]\\d{0,38}), as kinesalite does; the model (and the crate) anchors them: \
               ^(0|([1-9]\\d{0,38}))$",
        explains: |d| {
            d.pairs(|item| {
                [r"^(0|([1-9]\d{0,38}))$", r"^(0|([1-9]\d{0,128}))$"]
                    .into_iter()
                    .find(|p| item.ends_with(&format!("pattern: {p}")))
                    .map(|p| item.replace(p, &p[2..p.len() - 2]))
            })
        },
    },
    Difference {
        name: "ferrokinesis limits record data to 1 MiB, as kinesalite does; the model (and the \
               crate) to 10 MiB",
        explains: |d| {
            d.theirs_only(|item| {
                item.ends_with("Member must have length less than or equal to 1048576")
                    && blob_len(item).is_some_and(|n| n <= 10 << 20)
            })
        },
    },
    Difference {
        name: "ferrokinesis keeps kinesalite's limits of 10 for AddTagsToStream's Tags, \
               RemoveTagsFromStream's TagKeys and ListTagsForStream's Limit; the model (and the \
               crate) raised them to 200, 50 and 50",
        explains: |d| {
            let raised = [
                ("AddTagsToStream", "' at 'tags' failed", "200"),
                ("RemoveTagsFromStream", "' at 'tagKeys' failed", "50"),
                ("ListTagsForStream", "' at 'limit' failed", "50"),
            ];
            let op = d.case.operation;
            d.pairs(|item| {
                let (_, _, now) = raised
                    .iter()
                    .find(|(o, at, _)| *o == op && item.contains(at))?;
                let kept = item.strip_suffix(now)?;
                kept.ends_with(" less than or equal to ")
                    .then(|| format!("{kept}10"))
            })
        },
    },
    Difference {
        name: "ferrokinesis's ResourceARN pattern takes stream ARNs only, \
               arn:aws.*:kinesis:.*:\\d{12}:.*stream/\\S+; the current model (and the crate) \
               also takes channel and queue ARNs: .*(stream|channel|queue)/\\S+ (kinesalite has \
               no resource operations)",
        explains: |d| {
            d.pairs(|item| {
                let now = r"arn:aws.*:kinesis:.*:\d{12}:.*(stream|channel|queue)/\S+";
                item.ends_with(now)
                    .then(|| item.replace(now, r"arn:aws.*:kinesis:.*:\d{12}:.*stream/\S+"))
            })
        },
    },
    Difference {
        name: "ferrokinesis prints the ConsumerARN pattern of its own, without the model's \
               leading ^ and with the slashes unescaped; the crate prints the model's \
               (kinesalite has no consumer operations)",
        explains: |d| {
            d.pairs(|item| {
                let model = r"^(arn):aws.*:kinesis:.*:\d{12}:.*stream\/[a-zA-Z0-9_.-]+\/consumer\/[a-zA-Z0-9_.-]+:[0-9]+";
                item.ends_with(model).then(|| {
                    let bare = model.trim_start_matches('^').replace(r"\/", "/");
                    item.replace(model, &bare)
                })
            })
        },
    },
    Difference {
        name: "ferrokinesis's EncryptionType enum set is [KMS]: it refuses NONE, which the model \
               (and the crate) allows, [NONE, KMS] (kinesalite has no encryption operations)",
        explains: |d| {
            let now = "at 'encryptionType' failed to satisfy constraint: Member must satisfy \
                       enum value set: [NONE, KMS]";
            let paired = d.pairs(|item| {
                item.ends_with(now)
                    .then(|| item.replace("[NONE, KMS]", "[KMS]"))
            });
            let refused = d.theirs_only(|item| {
                item == "Value 'NONE' at 'encryptionType' failed to satisfy constraint: Member \
                         must satisfy enum value set: [KMS]"
            });
            paired || refused
        },
    },
    Difference {
        name: "ferrokinesis checks no enum on the entries of a list (ShardLevelMetrics): it \
               accepts unknown metric names the model (and the crate) refuses (kinesalite has \
               no monitoring operations)",
        explains: |d| {
            d.ours_only(|item| {
                item.contains(
                    "' at 'shardLevelMetrics' failed to satisfy constraint: Member must satisfy \
                     constraint: [Member must satisfy enum value set: [",
                )
            })
        },
    },
    Difference {
        name: "ferrokinesis accepts base64 whose last character has pad bits set ('aGl='); \
               kinesalite and the crate refuse it: Invalid last non-pad Base64 character \
               dectected",
        explains: |d| {
            d.ours_only(|item| {
                item.ends_with(
                    "can not be converted to a Blob: Invalid last non-pad Base64 character \
                     dectected",
                )
            })
        },
    },
    Difference {
        name: "ferrokinesis checks UpdateAccountSettings' MinimumThroughputBillingCommitment \
               after validation (InvalidArgumentException: MinimumThroughputBillingCommitment is \
               required.), not as a missing member (kinesalite has no account operations)",
        explains: |d| {
            let op = d.case.operation;
            d.ours_only(|item| {
                op == "UpdateAccountSettings"
                    && null_path(item) == Some("minimumThroughputBillingCommitment")
            })
        },
    },
];

/// The difference in which of several type errors is named.
const ORDER_OF_TYPE_ERRORS: &str = "of several type errors, ferrokinesis names the first in a \
     member order of its own (as kinesalite does), the crate the first in model order";

/// The operations ferrokinesis implements: those it does not answer with
/// `UnknownOperationException`.
fn implemented(host: &str) -> Vec<Operation> {
    Operation::ALL
        .iter()
        .copied()
        .filter(|&op| {
            let answer = kinesis_http::post(host, Protocol::Json, op, b"{}");
            !answer.text().contains("UnknownOperationException")
        })
        .collect()
}

/// Every case: kinesalite's baselines and the model-made ones of the implemented operations,
/// each baseline itself, its invalid variants, and more than ten violations at once.
fn all_cases(implemented: &[Operation]) -> Vec<Case> {
    let model = model();
    let kinesalites = operations()
        .into_iter()
        .filter(|(name, _)| implemented.iter().any(|op| op.name() == *name));
    let generated = implemented
        .iter()
        .map(|op| (op.name(), valid_bodies::valid_body(model, op.name())));
    let mut all = Vec::new();
    for (operation, valid) in kinesalites.chain(generated) {
        let op = Operation::from_name(operation).expect("a Kinesis operation");
        let body = valid.to_string();
        assert_eq!(
            ours_in(Protocol::Json, op, body.as_bytes()),
            None,
            "{operation}: the baseline {valid} is valid"
        );
        all.push(Case {
            operation,
            what: "the valid baseline".into(),
            body: valid.clone(),
        });
        all.extend(cases(model, operation, &valid));
    }
    all.push(twelve_bad_entries());
    all
}

/// The figures of one run.
#[derive(Default)]
struct Tally {
    sent: usize,
    agreed: usize,
    refused_alike: usize,
    used: BTreeMap<&'static str, usize>,
    mismatches: Vec<String>,
}

/// Sends every case in `protocol` and compares; `EVERY_TYPE_WRONG` cases only in JSON.
fn compare(host: &str, protocol: Protocol) -> Tally {
    let ops = implemented(host);
    assert!(ops.len() >= 30, "ferrokinesis implements only {ops:?}");
    let all = all_cases(&ops);
    let mut tally = Tally::default();
    // The crate's answers to one wrong type per member, by operation.
    let mut singles: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for case in &all {
        if protocol == Protocol::Cbor && case.what == EVERY_TYPE_WRONG {
            continue;
        }
        let op = Operation::from_name(case.operation).expect("operation");
        let (ours, theirs) = match protocol {
            Protocol::Json => {
                let body = case.body.to_string();
                let ours = ours_in(protocol, op, body.as_bytes());
                (ours, theirs(host, op, body.as_bytes()))
            }
            _ => {
                let body = kinesis_codec::wire::to_cbor_vec(&case.body);
                let ours = ours_in(protocol, op, &body);
                (ours, theirs_cbor(host, op, &body))
            }
        };
        tally.sent += 1;
        if let Some(t) = theirs.as_ref().filter(|t| t.code == "ValidationException") {
            if t.count > 0 && t.count != t.items.len() {
                tally.mismatches.push(format!(
                    "{} / {}: ferrokinesis's count {} is not its {} items",
                    case.operation,
                    case.what,
                    t.count,
                    t.items.len()
                ));
            }
        }
        if ours == theirs {
            tally.agreed += 1;
            tally.refused_alike += usize::from(ours.is_some());
            if let Some(a) = ours.as_ref().filter(|a| a.code == "SerializationException") {
                singles
                    .entry(case.operation)
                    .or_default()
                    .extend(a.items.iter().cloned());
            }
            continue;
        }
        if let Some(a) = ours.as_ref().filter(|a| a.code == "SerializationException") {
            if case.what != EVERY_TYPE_WRONG {
                singles
                    .entry(case.operation)
                    .or_default()
                    .extend(a.items.iter().cloned());
            }
        }
        // Several type errors at once: ferrokinesis must name one the crate names for that
        // member alone (the cases before compared those).
        if case.what == EVERY_TYPE_WRONG {
            let named = theirs.as_ref().and_then(|t| t.items.iter().next());
            let single = singles.get(case.operation);
            let both_type_errors =
                ours.as_ref().map(|a| &a.code) == theirs.as_ref().map(|t| &t.code);
            if both_type_errors && named.is_some_and(|n| single.is_some_and(|s| s.contains(n))) {
                *tally.used.entry(ORDER_OF_TYPE_ERRORS).or_default() += 1;
            } else {
                tally.mismatches.push(format!(
                    "{} / {}:\n  crate:        {ours:?}\n  ferrokinesis: {theirs:?}",
                    case.operation, case.what
                ));
            }
            continue;
        }
        let items = |a: &Option<Answer>| a.as_ref().map(|a| a.items.clone()).unwrap_or_default();
        let (ours_items, theirs_items) = (items(&ours), items(&theirs));
        let mut delta = Delta {
            case,
            code: ours.as_ref().map(|a| a.code.clone()).unwrap_or_default(),
            ours: ours_items.difference(&theirs_items).cloned().collect(),
            theirs: theirs_items.difference(&ours_items).cloned().collect(),
        };
        if delta.ours.is_empty() && delta.theirs.is_empty() {
            // The same items, another count or type.
            tally.mismatches.push(format!(
                "{} / {}:\n  crate:        {ours:?}\n  ferrokinesis: {theirs:?}",
                case.operation, case.what
            ));
            continue;
        }
        for difference in DIFFERENCES {
            if (difference.explains)(&mut delta) {
                *tally.used.entry(difference.name).or_default() += 1;
            }
        }
        if !delta.ours.is_empty() || !delta.theirs.is_empty() {
            tally.mismatches.push(format!(
                "{} / {}: unexplained\n  crate only:        {:?}\n  ferrokinesis only: {:?}",
                case.operation, case.what, delta.ours, delta.theirs
            ));
        }
    }
    tally
}

/// Prints the figures and fails on any unexplained mismatch or unseen difference.
fn report(tally: &Tally, what: &str, names: &[&'static str]) {
    eprintln!(
        "{} {what} requests sent to ferrokinesis: {} answered alike ({} refused alike in the \
         same words, the rest not refused for validation by either); differences named: {:?}",
        tally.sent, tally.agreed, tally.refused_alike, tally.used
    );
    assert!(
        tally.mismatches.is_empty(),
        "{} of {} differ:\n{}",
        tally.mismatches.len(),
        tally.sent,
        tally.mismatches.join("\n")
    );
    for name in names {
        assert!(
            tally.used.contains_key(name),
            "the named difference never showed: {name}"
        );
    }
}

#[test]
fn ferrokinesis_refuses_what_the_crate_refuses_in_the_same_words() {
    let test = "ferrokinesis_refuses_what_the_crate_refuses_in_the_same_words";
    let Some(server) = ferrokinesis::start(test) else {
        return;
    };
    let tally = compare(&server.host(), Protocol::Json);
    let names: Vec<&str> = DIFFERENCES
        .iter()
        .map(|d| d.name)
        .chain([ORDER_OF_TYPE_ERRORS])
        .collect();
    report(&tally, "JSON", &names);
    assert!(
        tally.refused_alike >= 800,
        "only {} refusals compared",
        tally.refused_alike
    );
}

/// The same cases as CBOR bodies (`application/x-amz-cbor-1.1`), answered in CBOR.
#[test]
fn ferrokinesis_answers_cbor_bodies_as_json_ones() {
    let test = "ferrokinesis_answers_cbor_bodies_as_json_ones";
    let Some(server) = ferrokinesis::start(test) else {
        return;
    };
    let tally = compare(&server.host(), Protocol::Cbor);
    let names: Vec<&str> = DIFFERENCES.iter().map(|d| d.name).collect();
    report(&tally, "CBOR", &names);
    assert!(
        tally.refused_alike >= 800,
        "only {} refusals compared",
        tally.refused_alike
    );
}
