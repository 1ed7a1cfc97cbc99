//! `kinesis-codec wire`: parse one Kinesis or Firehose body into its typed shape and print the
//! canonical re-serialization; or, with `--jsonl`, do that for every line of a JSON-lines input
//! (for bulk conformance runs from any language).

use std::io::{BufReader, BufWriter, Write};
use std::process::ExitCode;

use crate::lines::{Line, Lines};
use crate::stdio;

use base64::Engine as _;
use kinesis_codec::wire::Protocol;
use kinesis_codec::{firehose, kinesis};
use serde_json::{json, Value};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

fn protocol_named(name: &str) -> Option<Protocol> {
    match name {
        "json" => Some(Protocol::Json),
        "cbor" => Some(Protocol::Cbor),
        _ => None,
    }
}

const USAGE: &str = "\
USAGE:
    kinesis-codec wire --service kinesis|firehose --operation NAME --kind request|response|error|event
                       [--status HTTP_STATUS] [--protocol json|cbor] [--to json|cbor] [FILE|-]
    kinesis-codec wire --jsonl [FILE|-]

One body in (`event` = a SubscribeToShardEvent payload): parsed into its typed shape, printed as
its canonical re-serialization. Bad input: exit status 1, and a message naming the path.
`--status` is the HTTP status of an error response (used when the body has no `__type`).
`--protocol` is the body's format (default json; cbor = raw application/x-amz-cbor-1.1 bytes);
`--to` the format written (default: the same), so `--protocol json --to cbor` converts. JSON
output ends with a newline; CBOR output is the raw bytes.

--jsonl reads lines {\"id\",\"service\",\"operation\",\"kind\",\"body\",\"status\"?} (body: the wire
body as a JSON string; or \"protocol\":\"cbor\" with the CBOR body as base64 in \"body_base64\";
\"to\":\"json\"|\"cbor\" picks the format written) and answers one line each, in order:
{\"id\",\"ok\":true,\"body\":\"<re-serialized JSON body>\"} (or \"body_base64\" for CBOR) or
{\"id\",\"ok\":false,\"error\":\"<message>\"}.
Every line gets exactly one answer (a blank line, a line that is not UTF-8 or not JSON, or one
over 64 MiB gets {\"id\":null,\"ok\":false,...}); a bad line never stops the lines after it.

Input is read from FILE, or from standard input when FILE is `-` or absent.
";

/// What kind of body.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Request,
    Response,
    Error,
    Event,
}

impl Kind {
    fn from_name(s: &str) -> Option<Kind> {
        Some(match s {
            "request" => Kind::Request,
            "response" => Kind::Response,
            "error" => Kind::Error,
            "event" => Kind::Event,
            _ => return None,
        })
    }
}

/// The body's format and the format to write.
#[derive(Clone, Copy, Debug)]
struct Formats {
    from: Protocol,
    to: Protocol,
}

/// Parses `body` as the given service/operation/kind and re-serializes it, or says why not.
fn reserialize(
    service: &str,
    operation: &str,
    kind: Kind,
    body: &[u8],
    status: Option<u16>,
    formats: Formats,
) -> Result<Vec<u8>, String> {
    let Formats { from, to } = formats;
    macro_rules! by_service {
        ($svc:ident) => {{
            use $svc::{Error, Operation, Request, Response};
            if kind == Kind::Error {
                // The error code comes from the body (or the status), not from the operation.
                return Error::parse_in(from, body, status)
                    .map(|e| e.to_vec_in(to))
                    .map_err(|e| e.to_string());
            }
            let op = Operation::from_name(operation)
                .ok_or_else(|| format!("unknown {service} operation `{operation}`"))?;
            match kind {
                Kind::Request => Request::parse_in(from, op, body)
                    .map(|r| r.to_vec_in(to))
                    .map_err(|e| e.to_string()),
                Kind::Response => Response::parse_in(from, op, body)
                    .map(|r| r.to_vec_in(to))
                    .map_err(|e| e.to_string()),
                Kind::Error | Kind::Event => no_such_bodies(service, kind),
            }
        }};
    }
    match (service, kind) {
        ("kinesis", Kind::Event) => {
            if operation != "SubscribeToShard" {
                return Err(format!(
                    "events belong to SubscribeToShard, not `{operation}`"
                ));
            }
            let event: kinesis::shapes::SubscribeToShardEvent<'_> = match from {
                Protocol::Cbor => kinesis_codec::wire::parse_cbor(body)
                    .map_err(|e| format!("SubscribeToShardEvent: {e}"))?,
                _ => serde_json::from_slice(body)
                    .map_err(|e| format!("SubscribeToShardEvent: {e}"))?,
            };
            match to {
                Protocol::Cbor => Ok(kinesis_codec::wire::to_cbor_vec(&event)),
                _ => serde_json::to_vec(&event).map_err(|e| e.to_string()),
            }
        }
        ("kinesis", _) => by_service!(kinesis),
        ("firehose", _) => by_service!(firehose),
        (other, _) => Err(format!("unknown service `{other}` (kinesis or firehose)")),
    }
}

fn no_such_bodies(service: &str, kind: Kind) -> Result<Vec<u8>, String> {
    Err(format!("{service} has no {kind:?} bodies"))
}

/// Parsed command line.
#[derive(Default)]
struct Args {
    service: Option<String>,
    operation: Option<String>,
    kind: Option<String>,
    status: Option<u16>,
    protocol: Option<Protocol>,
    to: Option<Protocol>,
    jsonl: bool,
    input: Option<String>,
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut out = Args::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match a.as_str() {
            "--service" => out.service = Some(value("--service")?),
            "--operation" => out.operation = Some(value("--operation")?),
            "--kind" => out.kind = Some(value("--kind")?),
            "--status" => {
                let v = value("--status")?;
                out.status = Some(
                    v.parse()
                        .map_err(|_| format!("--status: not an HTTP status: {v}"))?,
                );
            }
            "--protocol" | "--to" => {
                let v = value(a)?;
                let p = protocol_named(&v)
                    .ok_or_else(|| format!("{a} must be json or cbor, not `{v}`"))?;
                if a == "--to" {
                    out.to = Some(p);
                } else {
                    out.protocol = Some(p);
                }
            }
            "--jsonl" => out.jsonl = true,
            s if s.starts_with("--") => return Err(format!("unknown option {s}")),
            s => {
                if out.input.is_some() {
                    return Err(format!("more than one input file: {s}"));
                }
                out.input = Some(s.to_string());
            }
        }
    }
    Ok(out)
}

/// The most bytes one body may have in the single-body mode (the largest request is 5 MiB).
const MAX_BODY_LEN: u64 = 64 * 1024 * 1024;

/// Checks the command line's service, operation and kind name a kind of body that exists.
fn check_target(service: &str, operation: &str, kind: Kind) -> Result<(), String> {
    let known = match service {
        "kinesis" => kinesis::Operation::from_name(operation).is_some(),
        "firehose" => firehose::Operation::from_name(operation).is_some(),
        other => return Err(format!("unknown service `{other}` (kinesis or firehose)")),
    };
    if !known {
        return Err(format!("unknown {service} operation `{operation}`"));
    }
    if kind == Kind::Event && (service, operation) != ("kinesis", "SubscribeToShard") {
        return Err(format!(
            "events belong to kinesis SubscribeToShard, not {service} `{operation}`"
        ));
    }
    Ok(())
}

fn unusable(message: &str) -> ExitCode {
    say!("kinesis-codec wire: {message}\n\n{USAGE}");
    ExitCode::from(stdio::UNUSABLE)
}

/// Entry point: `args` are the arguments after `wire`.
pub fn run(args: &[String]) -> ExitCode {
    if args.iter().any(|a| a == "-h" || a == "--help") {
        return stdio::print_stdout(&format!("{USAGE}\n{}\n", stdio::EXIT_STATUS));
    }
    let args = match parse_args(args) {
        Ok(a) => a,
        Err(e) => return unusable(&e),
    };
    if args.jsonl {
        if args.service.is_some()
            || args.operation.is_some()
            || args.kind.is_some()
            || args.status.is_some()
            || args.protocol.is_some()
            || args.to.is_some()
        {
            return unusable(
                "--jsonl takes service, operation, kind, status, protocol and to from each line",
            );
        }
        return run_jsonl(args.input.as_deref());
    }
    let (Some(service), Some(operation), Some(kind)) = (&args.service, &args.operation, &args.kind)
    else {
        return unusable("--service, --operation and --kind are required");
    };
    let Some(kind) = Kind::from_name(kind) else {
        return unusable(&format!(
            "--kind must be request, response, error or event, not `{kind}`"
        ));
    };
    if let Err(e) = check_target(service, operation, kind) {
        return unusable(&e);
    }
    let body = match stdio::read_all("wire", args.input.as_deref(), MAX_BODY_LEN) {
        Ok(b) => b,
        Err(code) => return code,
    };
    let from = args.protocol.unwrap_or(Protocol::Json);
    let formats = Formats {
        from,
        to: args.to.unwrap_or(from),
    };
    match reserialize(service, operation, kind, &body, args.status, formats) {
        Ok(out) => {
            let mut stdout = std::io::stdout().lock();
            let newline: &[u8] = match formats.to {
                Protocol::Cbor => b"",
                _ => b"\n",
            };
            let written = stdout
                .write_all(&out)
                .and_then(|()| stdout.write_all(newline));
            stdio::finish(written, &mut stdout)
        }
        Err(e) => {
            say!(
                "kinesis-codec wire: {}: {service} {operation} {kind:?}: {e}",
                stdio::input_name(args.input.as_deref())
            );
            ExitCode::from(stdio::BAD_INPUT)
        }
    }
}

/// One answer line for one input line.
fn answer(line: &Line<'_>) -> Value {
    let line = match line {
        Line::Text(text) => *text,
        other => {
            let error = other.refusal().unwrap_or_default();
            return json!({"id": null, "ok": false, "error": error});
        }
    };
    let v: Value = match serde_json::from_str(line) {
        Ok(v) => v,
        Err(e) => {
            return json!({"id": null, "ok": false, "error": format!("input line is not JSON: {e}")})
        }
    };
    let id = v.get("id").cloned().unwrap_or(Value::Null);
    let field = |k: &str| v.get(k).and_then(Value::as_str);
    let format = |k: &str| match field(k) {
        None => Ok(None),
        Some(name) => protocol_named(name)
            .map(Some)
            .ok_or_else(|| format!("`{k}` must be \"json\" or \"cbor\", not `{name}`")),
    };
    let (from, to) = match (format("protocol"), format("to")) {
        (Ok(from), Ok(to)) => {
            let from = from.unwrap_or(Protocol::Json);
            (from, to.unwrap_or(from))
        }
        (Err(e), _) | (_, Err(e)) => return json!({"id": id, "ok": false, "error": e}),
    };
    let body: Vec<u8> = match (from, field("body"), field("body_base64")) {
        (Protocol::Cbor, _, Some(b64)) => match B64.decode(b64) {
            Ok(bytes) => bytes,
            Err(e) => {
                return json!({"id": id, "ok": false,
                    "error": format!("body_base64 is not base64: {e}")})
            }
        },
        (Protocol::Json, Some(body), _) => body.as_bytes().to_vec(),
        _ => {
            let wanted = match from {
                Protocol::Cbor => "body_base64",
                _ => "body",
            };
            return json!({"id": id, "ok": false, "error": format!(
                "input line needs string members service, operation, kind and {wanted}"
            )});
        }
    };
    let (Some(service), Some(operation), Some(kind)) =
        (field("service"), field("operation"), field("kind"))
    else {
        return json!({"id": id, "ok": false,
            "error": "input line needs string members service, operation, kind and body"});
    };
    let Some(kind) = Kind::from_name(kind) else {
        return json!({"id": id, "ok": false, "error": format!("unknown kind `{kind}`")});
    };
    let status = v
        .get("status")
        .and_then(Value::as_u64)
        .and_then(|s| u16::try_from(s).ok());
    match reserialize(
        service,
        operation,
        kind,
        &body,
        status,
        Formats { from, to },
    ) {
        Ok(out) if matches!(to, Protocol::Cbor) => {
            json!({"id": id, "ok": true, "body_base64": B64.encode(out)})
        }
        Ok(out) => match String::from_utf8(out) {
            Ok(text) => json!({"id": id, "ok": true, "body": text}),
            Err(e) => json!({"id": id, "ok": false, "error": format!("output is not UTF-8: {e}")}),
        },
        Err(e) => json!({"id": id, "ok": false, "error": e}),
    }
}

fn run_jsonl(input: Option<&str>) -> ExitCode {
    let reader = match stdio::open_input("wire", input) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let mut lines = Lines::new(BufReader::new(reader));
    let mut out = BufWriter::new(std::io::stdout().lock());
    loop {
        let line = match lines.next_line() {
            Ok(Some(line)) => line,
            Ok(None) => break,
            Err(e) => {
                let _ = out.flush();
                say!(
                    "kinesis-codec wire: cannot read {}: {e}",
                    stdio::input_name(input)
                );
                return ExitCode::from(stdio::BAD_INPUT);
            }
        };
        // Flush each answer: callers may talk to the tool one line at a time.
        let written = writeln!(out, "{}", answer(&line)).and_then(|()| out.flush());
        if let Err(e) = written {
            return stdio::output_failed(&e);
        }
    }
    stdio::finish(Ok(()), &mut out)
}
