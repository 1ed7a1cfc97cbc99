//! The tokio codec (`eventstream::FrameCodec`, feature `tokio-util`) on the public event-stream
//! vectors of `tests/data/eventstream/`: aws-sdk-go's positive set, all written one after the
//! other into an in-memory pipe that hands the reader 1, 7 or 4,096 bytes at a time, must come
//! out of `FramedRead` as the same frames `decode_exact` gives (and as aws-sdk-go's decoded
//! expectations say), each split off the read buffer; written back through `FramedWrite` as
//! messages, they must be the same bytes. Each negative vector ends its stream with the error
//! `decode_exact` gives, and a stream cut inside a frame ends with `Incomplete`.

#![cfg(feature = "tokio-util")]

#[path = "common/eventstream_vectors.rs"]
mod vectors;

use futures_util::{SinkExt, StreamExt};
use kinesis_codec::eventstream::{
    decode_exact, CodecError, DecodeError, DecodeOptions, FrameBytes, FrameCodec, Message,
};
use tokio::io::AsyncWriteExt;
use tokio_util::codec::{FramedRead, FramedWrite};
use vectors::{assert_matches_decoded_json, aws_sdk_go_positives, files, json, read};

/// Writes `bytes` into a pipe whose reader gets at most `chunk` bytes per read, and collects
/// what `FramedRead` makes of them.
async fn frames_of(bytes: Vec<u8>, chunk: usize) -> Vec<Result<FrameBytes, CodecError>> {
    let (mut writer, reader) = tokio::io::duplex(chunk);
    let write = async move {
        // A reader that stops at a bad frame closes the pipe: the rest is not taken.
        let _ = writer.write_all(&bytes).await;
        drop(writer); // the end of the stream
    };
    let read = FramedRead::new(reader, FrameCodec::default()).collect::<Vec<_>>();
    tokio::join!(write, read).1
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime")
}

#[test]
fn every_positive_vector_reads_back_from_a_stream_in_any_chunking() {
    let vectors = aws_sdk_go_positives();
    let stream: Vec<u8> = vectors
        .iter()
        .flat_map(|(_, b)| b.iter().copied())
        .collect();
    for chunk in [1, 7, 4096] {
        let frames = runtime().block_on(frames_of(stream.clone(), chunk));
        assert_eq!(frames.len(), vectors.len(), "chunks of {chunk}");
        for ((name, bytes), frame) in vectors.iter().zip(frames) {
            let frame = frame.unwrap_or_else(|e| panic!("{name}, chunks of {chunk}: {e}"));
            assert_eq!(frame.bytes().as_ref(), bytes.as_slice(), "{name}");
            let expected = decode_exact(bytes).expect("a positive vector");
            assert_eq!(frame.frame(), expected, "{name}");
            assert_eq!(
                frame.frame().message_crc(),
                expected.message_crc(),
                "{name}"
            );
            let decoded = json(&format!("aws-sdk-go/decoded/positive/{name}"));
            assert_matches_decoded_json(&frame.frame(), &decoded, name);
        }
    }
}

#[test]
fn messages_written_through_the_codec_are_the_vectors_bytes() {
    let vectors = aws_sdk_go_positives();
    let written = runtime().block_on(async {
        let mut out = FramedWrite::new(Vec::new(), FrameCodec::default());
        for (_, bytes) in &vectors {
            let message = Message::from(decode_exact(bytes).expect("a positive vector"));
            out.send(&message).await.expect("written");
        }
        out.into_inner()
    });
    let expected: Vec<u8> = vectors
        .iter()
        .flat_map(|(_, b)| b.iter().copied())
        .collect();
    assert_eq!(written, expected);
}

#[test]
fn a_message_over_the_limits_is_refused_and_nothing_is_written() {
    let small = FrameCodec::new(DecodeOptions::DEFAULT.max_payload_len(8));
    let payload = [0u8; 9];
    let (result, written) = runtime().block_on(async {
        let mut out = FramedWrite::new(Vec::new(), small);
        let result = out.send(&Message::new(Vec::new(), &payload)).await;
        (result, out.into_inner())
    });
    assert!(matches!(result, Err(CodecError::Encode(_))), "{result:?}");
    assert!(written.is_empty());
}

#[test]
fn every_negative_vector_ends_its_stream_with_decode_exacts_error() {
    for name in files("aws-sdk-go/encoded/negative", |_| true) {
        let bytes = read(&format!("aws-sdk-go/encoded/negative/{name}"));
        let expected = decode_exact(&bytes).expect_err("a negative vector");
        let frames = runtime().block_on(frames_of(bytes, 7));
        match frames.as_slice() {
            [Err(CodecError::Decode(e))] => assert_eq!(*e, expected, "{name}"),
            other => panic!("{name}: {other:?}"),
        }
    }
}

#[test]
fn a_stream_cut_inside_a_frame_ends_incomplete() {
    let (name, bytes) = aws_sdk_go_positives().into_iter().next().expect("a vector");
    for cut in [1, 11, 12, bytes.len() - 1] {
        let frames = runtime().block_on(frames_of(bytes[..cut].to_vec(), 7));
        match frames.as_slice() {
            [Err(CodecError::Decode(DecodeError::Incomplete { needed }))] => {
                assert!(*needed > 0, "{name} cut at {cut}")
            }
            other => panic!("{name} cut at {cut}: {other:?}"),
        }
    }
}
