//! The `embedded-io` adapters (feature `embedded-io`, no heap): `Accumulator::read_frame` on
//! the public event-stream vectors (aws-sdk-go's positive set, concatenated, from a reader that
//! gives 1, 5 or 64 bytes a read, and failing reads in between), and `write_request_to`, whose
//! bytes must be those of `write_request`.

#![cfg(feature = "embedded-io")]

#[path = "common/eventstream_vectors.rs"]
mod vectors;

use kinesis_codec::eventstream::{decode_exact, Accumulator, DecodeError, ReadFrameError};
use kinesis_codec::producer::embedded::{write_request_to, WriteRequestError};
use kinesis_codec::producer::http::{write_request, RequestError};
use kinesis_codec::producer::SliceBuf;
use kinesis_codec::sigv4::{
    AmzDate, ContentType, Credentials, Service, ServiceRequest, SigningKey,
};
use vectors::{aws_sdk_go_positives, files, read};

/// A reader that hands out at most `chunk` bytes a read, and fails every `fail_every`-th read
/// (0: never) with an error that leaves the stream where it was.
struct Chunked<'a> {
    bytes: &'a [u8],
    chunk: usize,
    fail_every: usize,
    reads: usize,
}

#[derive(Debug, PartialEq, Eq)]
struct Interrupted;

impl core::fmt::Display for Interrupted {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("interrupted")
    }
}
impl core::error::Error for Interrupted {}
impl embedded_io::Error for Interrupted {
    fn kind(&self) -> embedded_io::ErrorKind {
        embedded_io::ErrorKind::Interrupted
    }
}
impl embedded_io::ErrorType for Chunked<'_> {
    type Error = Interrupted;
}
impl embedded_io::Read for Chunked<'_> {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, Interrupted> {
        self.reads += 1;
        if self.fail_every > 0 && self.reads.is_multiple_of(self.fail_every) {
            return Err(Interrupted);
        }
        let n = buf.len().min(self.chunk).min(self.bytes.len());
        buf[..n].copy_from_slice(&self.bytes[..n]);
        self.bytes = &self.bytes[n..];
        Ok(n)
    }
}

#[test]
fn every_positive_vector_reads_back_in_any_chunking_through_failing_reads() {
    let vectors = aws_sdk_go_positives();
    let stream: Vec<u8> = vectors
        .iter()
        .flat_map(|(_, b)| b.iter().copied())
        .collect();
    for (chunk, fail_every) in [(1, 0), (5, 3), (64, 2), (4096, 0)] {
        let mut reader = Chunked {
            bytes: &stream,
            chunk,
            fail_every,
            reads: 0,
        };
        let mut acc = Accumulator::<4096>::new();
        let mut failures = 0;
        for (name, bytes) in &vectors {
            let expected = decode_exact(bytes).expect("a positive vector");
            loop {
                match acc.read_frame(&mut reader) {
                    Ok(Some(frame)) => {
                        assert_eq!(frame, expected, "{name}, chunks of {chunk}");
                        break;
                    }
                    Err(ReadFrameError::Io(Interrupted)) => failures += 1, // read again
                    other => panic!("{name}, chunks of {chunk}: {other:?}"),
                }
            }
        }
        loop {
            match acc.read_frame(&mut reader) {
                Ok(None) => break,
                Err(ReadFrameError::Io(Interrupted)) => failures += 1,
                other => panic!("after the last frame: {other:?}"),
            }
        }
        assert_eq!(failures > 0, fail_every > 0, "chunks of {chunk}");
    }
}

#[test]
fn negative_vectors_and_cut_streams_are_decode_errors() {
    for name in files("aws-sdk-go/encoded/negative", |_| true) {
        let bytes = read(&format!("aws-sdk-go/encoded/negative/{name}"));
        let expected = decode_exact(&bytes).expect_err("a negative vector");
        let mut reader = Chunked {
            bytes: &bytes,
            chunk: 7,
            fail_every: 0,
            reads: 0,
        };
        let got = Accumulator::<4096>::new()
            .read_frame(&mut reader)
            .map(|f| f.is_some());
        assert_eq!(got, Err(ReadFrameError::Decode(expected)), "{name}");
    }
    let (name, bytes) = aws_sdk_go_positives().swap_remove(0);
    for cut in [1, 11, 12, bytes.len() - 1] {
        let mut reader = Chunked {
            bytes: &bytes[..cut],
            chunk: 7,
            fail_every: 0,
            reads: 0,
        };
        let got = Accumulator::<4096>::new()
            .read_frame(&mut reader)
            .map(|f| f.is_some());
        assert!(
            matches!(got, Err(ReadFrameError::Decode(DecodeError::Incomplete { needed })) if needed > 0),
            "{name} cut at {cut}: {got:?}"
        );
    }
}

#[test]
fn a_request_written_to_a_writer_is_the_one_write_request_makes() {
    let time = AmzDate::parse("20261201T090000Z").unwrap();
    let key = SigningKey::derive("secret", &time, "us-east-1", "kinesis").unwrap();
    let request = ServiceRequest {
        service: Service::Kinesis,
        host: "kinesis.us-east-1.amazonaws.com",
        target: "Kinesis_20131202.PutRecord",
        content_type: ContentType::Json,
    };
    let body = br#"{"StreamName":"orders","Data":"aGk=","PartitionKey":"k"}"#;
    for token in [None, Some("FwoGZXIvYXdzE".repeat(40))] {
        let credentials = Credentials {
            access_key_id: "AKIDEXAMPLE",
            session_token: token.as_deref(),
        };
        let mut expected = vec![0u8; 4096];
        let mut sink = SliceBuf::new(&mut expected);
        write_request(&mut sink, &request, &key, &credentials, time, body).unwrap();
        let expected = sink.into_written().to_vec();

        let mut socket = vec![0u8; 4096];
        let mut out: &mut [u8] = &mut socket;
        let mut head = [0u8; 2048];
        write_request_to(
            &mut out,
            &mut head,
            &request,
            &key,
            &credentials,
            time,
            body,
        )
        .unwrap();
        let written = 4096 - out.len();
        assert_eq!(&socket[..written], expected.as_slice());

        // A scratch buffer too small for the head: refused, nothing written.
        let mut socket = [0u8; 64];
        let mut out: &mut [u8] = &mut socket;
        let mut small = [0u8; 100];
        let got = write_request_to(
            &mut out,
            &mut small,
            &request,
            &key,
            &credentials,
            time,
            body,
        );
        assert!(
            matches!(
                got,
                Err(WriteRequestError::Request(RequestError::BufferFull(_)))
            ),
            "{got:?}"
        );
        assert_eq!(out.len(), 64);
    }
}
