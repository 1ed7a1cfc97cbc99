//! The `aws-smithy-types` conversion (feature `aws-smithy-types`) against the official SDK's own
//! event-stream codec, `aws-smithy-eventstream`, on aws-sdk-go's positive vectors: a frame
//! decoded here and converted must be written by the SDK as the vector's bytes, and a message
//! the SDK read from the vector, converted, must be encoded here as the same bytes.

#![cfg(feature = "aws-smithy-types")]

#[path = "common/eventstream_vectors.rs"]
mod vectors;

use aws_smithy_eventstream::frame::{read_message_from, write_message_to};
use aws_smithy_types::event_stream::{
    Header as SHeader, HeaderValue as SValue, Message as SMessage,
};
use aws_smithy_types::DateTime;
use kinesis_codec::eventstream::{decode_exact, Message, SmithyConversionError};
use vectors::aws_sdk_go_positives;

#[test]
fn frames_converted_are_written_by_the_sdk_as_the_vectors_bytes() {
    for (name, bytes) in aws_sdk_go_positives() {
        let frame = decode_exact(&bytes).expect("a positive vector");
        let mut written = Vec::new();
        write_message_to(&SMessage::from(&frame), &mut written).expect("the SDK writes it");
        assert_eq!(written, bytes, "{name}: from the frame");
        let mut written = Vec::new();
        write_message_to(&SMessage::from(&Message::from(frame)), &mut written).expect("written");
        assert_eq!(written, bytes, "{name}: from the message");
    }
}

#[test]
fn messages_the_sdk_read_are_encoded_here_as_the_vectors_bytes() {
    for (name, bytes) in aws_sdk_go_positives() {
        let theirs = read_message_from(bytes.as_slice()).expect("the SDK reads it");
        let ours = Message::try_from(&theirs).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(ours.encode_to_vec().expect("encodes"), bytes, "{name}");
    }
}

#[test]
fn a_timestamp_past_i64_milliseconds_is_refused_by_name() {
    let late = DateTime::from_secs(i64::MAX);
    let message = SMessage::new_from_parts(
        vec![SHeader::new("late", SValue::Timestamp(late))],
        bytes::Bytes::new(),
    );
    assert_eq!(
        Message::try_from(&message),
        Err(SmithyConversionError {
            name: "late".into()
        })
    );
}
