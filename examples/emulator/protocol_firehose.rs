//! One Firehose request in, one answer out: what `protocol.rs` does for Kinesis, for the
//! requests whose `X-Amz-Target` starts with `Firehose_20150804.`, through the crate's
//! `firehose` module (its [`Operation`], [`Request`], [`Response`] and [`Error`]).
//!
//! The same order of checks: the operation; the body's types and the model's constraints
//! ([`Request::check_body`]); the argument checks that need no delivery stream
//! ([`Request::check_arguments`]: a PutRecordBatch above 4 MiB); the delivery stream's
//! existence; the operation on the in-memory [`DeliveryStreams`].

use std::borrow::Cow;

use kinesis_codec::firehose::shapes::{self, DeliveryStreamStatus, DeliveryStreamType};
use kinesis_codec::firehose::{Error, Operation, Request, Response};
use kinesis_codec::timestamp::Timestamp;
use kinesis_codec::validate::Refusal;
use kinesis_codec::wire::Protocol;

use crate::firehose::DeliveryStreams;
use crate::protocol::Answer;
use crate::state::{self, Failure};

/// The Firehose operations this example implements.
const IMPLEMENTED: [Operation; 6] = [
    Operation::CreateDeliveryStream,
    Operation::DescribeDeliveryStream,
    Operation::ListDeliveryStreams,
    Operation::DeleteDeliveryStream,
    Operation::PutRecord,
    Operation::PutRecordBatch,
];

/// Answers one Firehose request; `target` starts with `Firehose_20150804.`.
pub fn handle(
    streams: &mut DeliveryStreams,
    target: &str,
    protocol: Protocol,
    body: &[u8],
) -> Answer {
    let refuse = |error: &Error<'_>| Answer {
        status: if error.is_server_fault() { 500 } else { 400 },
        content_type: protocol.content_type(),
        body: error.to_vec_in(protocol),
        subscription: None,
    };
    let Some(operation) = Operation::from_target(target) else {
        return refuse(&unknown_operation(format!("Unknown operation {target}")));
    };
    if !IMPLEMENTED.contains(&operation) {
        return refuse(&unknown_operation(format!(
            "{operation} is not implemented by this example emulator"
        )));
    }
    if let Err(refusal) = Request::check_body(protocol, operation, body) {
        return refuse(&Error::from(&refusal));
    }
    let request = match Request::parse_in(protocol, operation, body) {
        Ok(request) => request,
        Err(error) => return refuse(&Error::from(&Refusal::serialization(&error))),
    };
    let argument_error = request.check_arguments().err();
    if let Some(error) = argument_error.filter(|error| !error.needs_stream()) {
        return refuse(&Error::from(&error));
    }
    if let Some(name) = delivery_stream_of(&request) {
        if let Err(failure) = streams.get(name) {
            return refuse(&error_of(&failure));
        }
    }
    if let Some(error) = argument_error {
        return refuse(&Error::from(&error));
    }
    match run(streams, request) {
        Ok(response) => Answer {
            status: 200,
            content_type: protocol.content_type(),
            body: response.to_vec_in(protocol),
            subscription: None,
        },
        Err(failure) => refuse(&error_of(&failure)),
    }
}

/// The error for an operation this example does not know or does not implement.
fn unknown_operation(message: String) -> Error<'static> {
    Error::Unknown {
        code: Cow::Borrowed("UnknownOperationException"),
        message: Some(Cow::Owned(message)),
    }
}

/// The crate's Firehose error value of a [`Failure`].
fn error_of(failure: &Failure) -> Error<'static> {
    let message = Some(Cow::Owned(failure.message.clone()));
    match failure.code {
        "ResourceNotFoundException" => {
            Error::ResourceNotFoundException(shapes::ResourceNotFoundException { message })
        }
        "ResourceInUseException" => {
            Error::ResourceInUseException(shapes::ResourceInUseException { message })
        }
        "InvalidArgumentException" => {
            Error::InvalidArgumentException(shapes::InvalidArgumentException { message })
        }
        code => Error::Unknown {
            code: Cow::Borrowed(code),
            message,
        },
    }
}

/// The delivery stream a request works on, looked up before the argument checks that need it.
fn delivery_stream_of<'r>(request: &'r Request<'_>) -> Option<&'r str> {
    match request {
        Request::DescribeDeliveryStream(input) => Some(&input.delivery_stream_name),
        Request::DeleteDeliveryStream(input) => Some(&input.delivery_stream_name),
        Request::PutRecord(input) => Some(&input.delivery_stream_name),
        Request::PutRecordBatch(input) => Some(&input.delivery_stream_name),
        _ => None,
    }
}

/// Runs one checked request on the delivery streams.
fn run(streams: &mut DeliveryStreams, request: Request<'_>) -> Result<Response<'static>, Failure> {
    let now = state::now_millis();
    Ok(match request {
        Request::CreateDeliveryStream(input) => {
            let direct_put = input
                .delivery_stream_type
                .as_ref()
                .is_none_or(|kind| *kind == DeliveryStreamType::DirectPut);
            if !direct_put {
                // This example's own text: it has no Kinesis or MSK source.
                return Err(Failure {
                    code: "InvalidArgumentException",
                    message: "This example emulator makes DirectPut delivery streams only."
                        .to_owned(),
                });
            }
            let arn = streams.create(&input.delivery_stream_name, now)?;
            Response::CreateDeliveryStream(shapes::CreateDeliveryStreamOutput {
                delivery_stream_arn: Some(Cow::Owned(arn)),
            })
        }
        Request::DescribeDeliveryStream(input) => {
            let stream = streams.get(&input.delivery_stream_name)?;
            let created = Some(Timestamp::from_millis(stream.created_millis));
            Response::DescribeDeliveryStream(shapes::DescribeDeliveryStreamOutput {
                delivery_stream_description: Some(shapes::DeliveryStreamDescription {
                    create_timestamp: created,
                    delivery_stream_arn: Some(Cow::Owned(stream.arn())),
                    delivery_stream_name: Some(Cow::Owned(stream.name.clone())),
                    delivery_stream_status: Some(DeliveryStreamStatus::Active),
                    delivery_stream_type: Some(DeliveryStreamType::DirectPut),
                    destinations: Some(Vec::new()),
                    has_more_destinations: Some(false),
                    version_id: Some(Cow::Borrowed("1")),
                    ..Default::default()
                }),
            })
        }
        Request::ListDeliveryStreams(input) => {
            let limit = input
                .limit
                .and_then(|limit| usize::try_from(limit).ok())
                .unwrap_or(10);
            let after = input.exclusive_start_delivery_stream_name.as_deref();
            let (names, more) = streams.names(after, limit);
            Response::ListDeliveryStreams(shapes::ListDeliveryStreamsOutput {
                delivery_stream_names: Some(names.into_iter().map(Cow::Owned).collect()),
                has_more_delivery_streams: Some(more),
            })
        }
        Request::DeleteDeliveryStream(input) => {
            streams.delete(&input.delivery_stream_name)?;
            Response::DeleteDeliveryStream(shapes::DeleteDeliveryStreamOutput {})
        }
        Request::PutRecord(input) => {
            let data = input.record.data.to_vec();
            let id = streams.put(&input.delivery_stream_name, data, now)?;
            Response::PutRecord(shapes::PutRecordOutput {
                encrypted: Some(false),
                record_id: Some(Cow::Owned(id)),
            })
        }
        Request::PutRecordBatch(input) => {
            let mut responses = Vec::with_capacity(input.records.len());
            for record in &input.records {
                let id = streams.put(&input.delivery_stream_name, record.data.to_vec(), now)?;
                responses.push(shapes::PutRecordBatchResponseEntry {
                    record_id: Some(Cow::Owned(id)),
                    ..Default::default()
                });
            }
            Response::PutRecordBatch(shapes::PutRecordBatchOutput {
                encrypted: Some(false),
                failed_put_count: Some(0),
                request_responses: Some(responses),
            })
        }
        other => {
            return Err(Failure {
                code: "UnknownOperationException",
                message: format!(
                    "{} is not implemented by this example emulator",
                    other.operation()
                ),
            })
        }
    })
}

/// The example's own read-out of a delivery stream (`GET /_firehose/NAME`, not part of the AWS
/// API): the records as JSON lines ([`DeliveryStreams::read_out`]), or a Firehose
/// `ResourceNotFoundException` body with status 404.
pub fn read_out(streams: &DeliveryStreams, name: &str) -> Answer {
    match streams.read_out(name) {
        Ok(body) => Answer {
            status: 200,
            content_type: "application/x-ndjson",
            body,
            subscription: None,
        },
        Err(failure) => Answer {
            status: 404,
            content_type: Protocol::Json.content_type(),
            body: error_of(&failure).to_vec_in(Protocol::Json),
            subscription: None,
        },
    }
}
