//! `kinesis-codec sign --service kinesis|firehose --region R --target OPERATION [--host H]
//! [--date YYYYMMDDTHHMMSSZ] [--content-type json|cbor] [FILE|-]`: the request body in, every
//! header to send out (one JSON object), signed with the credentials of the environment.

use std::io::{self, Write};
use std::process::ExitCode;

use kinesis_codec::sigv4::{
    AmzDate, ContentType, Credentials, PayloadHash, Service, ServiceRequest, SigningKey,
};

use crate::stdio;

const USAGE: &str =
    "usage: kinesis-codec sign --service kinesis|firehose --region R --target OPERATION \
[--host H] [--date YYYYMMDDTHHMMSSZ] [--content-type json|cbor] [FILE|-]";

/// The largest body read: a PutRecords body at the service's 10 MiB limit fits many times over.
const MAX_BODY: u64 = 64 * 1024 * 1024;

fn help() -> String {
    format!(
        "{USAGE}\n\n\
Signs one Kinesis or Firehose request (POST /, the body from FILE or standard input) with SigV4
and prints one JSON object with every header to send, lower-case names: host, x-amz-date,
x-amz-target (OPERATION with the service's prefix, e.g. Kinesis_20131202.PutRecords),
content-type, x-amz-security-token (with a session token) and authorization.

Credentials come from the environment only: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and, for
temporary credentials, AWS_SESSION_TOKEN. Never pass a secret on a command line.
--date defaults to the system clock (UTC); --host to the service's endpoint in the region
(kinesis.R.amazonaws.com, firehose.R.amazonaws.com); --content-type to json.

{}\n",
        stdio::EXIT_STATUS
    )
}

fn bad(message: &str) -> ExitCode {
    say!("kinesis-codec sign: {message}\n{USAGE}");
    ExitCode::from(stdio::UNUSABLE)
}

#[derive(Default)]
struct Options {
    service: Option<Service>,
    region: Option<String>,
    target: Option<String>,
    host: Option<String>,
    date: Option<AmzDate>,
    content_type: Option<ContentType>,
    file: Option<String>,
}

fn parse(args: &[String]) -> Result<Option<Options>, String> {
    let mut o = Options::default();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .ok_or(format!("{name} needs a value"))
        };
        match name {
            "-h" | "--help" => return Ok(None),
            "--service" => {
                o.service = Some(match value()?.as_str() {
                    "kinesis" => Service::Kinesis,
                    "firehose" => Service::Firehose,
                    other => {
                        return Err(format!(
                            "--service must be kinesis or firehose, not `{other}`"
                        ))
                    }
                })
            }
            "--region" => o.region = Some(value()?),
            "--target" => o.target = Some(value()?),
            "--host" => o.host = Some(value()?),
            "--date" => {
                let v = value()?;
                o.date = Some(AmzDate::parse(&v).map_err(|e| format!("--date {v}: {e}"))?);
            }
            "--content-type" => {
                o.content_type = Some(match value()?.as_str() {
                    "json" => ContentType::Json,
                    "cbor" => ContentType::Cbor,
                    other => {
                        return Err(format!(
                            "--content-type must be json or cbor, not `{other}`"
                        ))
                    }
                })
            }
            _ if arg.starts_with('-') && arg != "-" => {
                return Err(format!("unknown option `{arg}`"))
            }
            _ if o.file.is_some() => return Err(format!("unexpected argument `{arg}`")),
            _ => o.file = Some(arg.clone()),
        }
    }
    Ok(Some(o))
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

pub fn run(args: &[String]) -> ExitCode {
    let o = match parse(args) {
        Ok(Some(o)) => o,
        Ok(None) => return stdio::print_stdout(&help()),
        Err(e) => return bad(&e),
    };
    let (Some(service), Some(region), Some(operation)) = (o.service, o.region, o.target) else {
        return bad("--service, --region and --target are required");
    };
    let (Some(id), Some(secret)) = (env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY")) else {
        return bad("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set in the environment");
    };
    let token = env("AWS_SESSION_TOKEN");
    let date = match o.date.map_or_else(AmzDate::now, Ok) {
        Ok(d) => d,
        Err(e) => return bad(&format!("the system clock: {e}")),
    };
    let host = o
        .host
        .unwrap_or_else(|| format!("{}.{region}.amazonaws.com", service.signing_name()));
    let target = match operation.strip_prefix(service.target_prefix()) {
        Some(_) => operation,
        None => format!("{}{operation}", service.target_prefix()),
    };
    let key = match SigningKey::derive(&secret, &date, &region, service.signing_name()) {
        Ok(k) => k,
        Err(e) => return bad(&format!("--region {region}: {e}")),
    };
    let request = ServiceRequest {
        service,
        host: &host,
        target: &target,
        content_type: o.content_type.unwrap_or(ContentType::Json),
    };
    let credentials = Credentials {
        access_key_id: &id,
        session_token: token.as_deref(),
    };
    // Check the command line before reading anything: sign an empty body first.
    let mut buf = [0u8; 1024];
    if let Err(e) = request.sign(&key, &credentials, date, &PayloadHash::of(b""), &mut buf) {
        return bad(&e.to_string());
    }
    let body = match stdio::read_all("sign", o.file.as_deref(), MAX_BODY) {
        Ok(b) => b,
        Err(code) => return code,
    };
    let headers = match request.sign(&key, &credentials, date, &PayloadHash::of(&body), &mut buf) {
        Ok(h) => h,
        Err(e) => return bad(&e.to_string()),
    };
    let mut line = String::from("{");
    for (i, (name, value)) in headers.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        line.push_str(&serde_json::Value::from(name).to_string());
        line.push(':');
        line.push_str(&serde_json::Value::from(value).to_string());
    }
    line.push_str("}\n");
    let mut out = io::stdout().lock();
    let written = out.write_all(line.as_bytes());
    stdio::finish(written, &mut out)
}
