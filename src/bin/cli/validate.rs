//! `kinesis-codec validate`: check one request body as the service does, and print the answer
//! it would give (`spec/validation.md`).

use std::process::ExitCode;

use crate::stdio;

use kinesis_codec::validate::Refusal;
use kinesis_codec::wire::Protocol;
use kinesis_codec::{firehose, kinesis};
use serde_json::json;

const USAGE: &str = "\
USAGE:
    kinesis-codec validate --service kinesis|firehose --operation NAME [FILE|-]

One JSON request body in; checked as the service checks it: the types of its members
(SerializationException), then the model's constraints (ValidationException: required members,
lengths, value ranges, patterns, enum values). Prints one line:
{\"valid\":true}, or
{\"valid\":false,\"type\":\"ValidationException\"|\"SerializationException\",\"message\":\"<text>\"}
with the service's message for constraint violations (for a body that does not fit the
operation's shape, the message names the JSON path; it is not yet the service's Java text).
Exit status 0 for either answer.

Input is read from FILE, or from standard input when FILE is `-` or absent.
";

/// The most bytes one body may have (the largest request is about 14 MiB of base64 data).
const MAX_BODY_LEN: u64 = 64 * 1024 * 1024;

/// Parsed command line.
#[derive(Default)]
struct Args {
    service: Option<String>,
    operation: Option<String>,
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

/// A body check of one operation.
type Check = Box<dyn Fn(&[u8]) -> Result<(), Refusal>>;

/// The body checker of the named operation, or why the command line names none.
fn checker(service: &str, operation: &str) -> Result<Check, String> {
    match service {
        "kinesis" => {
            let op = kinesis::Operation::from_name(operation)
                .ok_or_else(|| format!("unknown kinesis operation `{operation}`"))?;
            Ok(Box::new(move |body| {
                kinesis::Request::check_body(Protocol::Json, op, body)
            }))
        }
        "firehose" => {
            let op = firehose::Operation::from_name(operation)
                .ok_or_else(|| format!("unknown firehose operation `{operation}`"))?;
            Ok(Box::new(move |body| {
                firehose::Request::check_body(Protocol::Json, op, body)
            }))
        }
        other => Err(format!("unknown service `{other}` (kinesis or firehose)")),
    }
}

fn unusable(message: &str) -> ExitCode {
    say!("kinesis-codec validate: {message}\n\n{USAGE}");
    ExitCode::from(stdio::UNUSABLE)
}

/// Entry point: `args` are the arguments after `validate`.
pub fn run(args: &[String]) -> ExitCode {
    if args.iter().any(|a| a == "-h" || a == "--help") {
        return stdio::print_stdout(&format!("{USAGE}\n{}\n", stdio::EXIT_STATUS));
    }
    let args = match parse_args(args) {
        Ok(a) => a,
        Err(e) => return unusable(&e),
    };
    let (Some(service), Some(operation)) = (&args.service, &args.operation) else {
        return unusable("--service and --operation are required");
    };
    let check = match checker(service, operation) {
        Ok(check) => check,
        Err(e) => return unusable(&e),
    };
    let body = match stdio::read_all("validate", args.input.as_deref(), MAX_BODY_LEN) {
        Ok(b) => b,
        Err(code) => return code,
    };
    let answer = match check(&body) {
        Ok(()) => json!({"valid": true}),
        Err(refusal) => json!({
            "valid": false,
            "type": refusal.code(),
            "message": refusal.message(),
        }),
    };
    stdio::print_stdout(&format!("{answer}\n"))
}
