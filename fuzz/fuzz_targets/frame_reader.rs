//! `FrameReader` over a reader that fails at fuzzer-chosen points: short reads, `WouldBlock`,
//! `Interrupted` and `TimedOut`. Retrying after every `WouldBlock` and `TimedOut`, the reader
//! must yield exactly the frames, then exactly the error (or the incomplete tail), that a
//! one-shot decode of the same bytes gives, and keep every byte it read but did not return.
#![no_main]

use std::io::{self, Read};

use arbitrary::Arbitrary;
use kinesis_codec::eventstream::{
    DecodeError, DecodeOptions, Decoded, Decoder, FrameReader, Message, ReadError,
};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    messages: Vec<Message<'a>>,
    corrupt: Option<(u16, u8)>,
    tail: &'a [u8],
    /// Small limits, so the limit checks are reached by small inputs.
    small: bool,
    /// What each `read` call does, cycled: see `Flaky::read`.
    schedule: Vec<(u8, u16)>,
}

#[derive(Debug, PartialEq)]
enum End {
    Clean,
    Incomplete,
    Error(DecodeError),
}

/// Frames, how the stream ends, and the bytes left after the last frame.
fn one_shot(decoder: &Decoder, stream: &[u8]) -> (Vec<Vec<u8>>, End, usize) {
    let mut frames = Vec::new();
    let mut at = 0;
    loop {
        let rest = &stream[at..];
        if rest.is_empty() {
            return (frames, End::Clean, at);
        }
        match decoder.decode(rest) {
            Ok(Decoded::Frame { frame, used }) => {
                frames.push(frame.as_bytes().to_vec());
                at += used;
            }
            Ok(Decoded::NeedMore { .. }) => return (frames, End::Incomplete, at),
            Err(e) => return (frames, End::Error(e), at),
        }
    }
}

struct Flaky<'s> {
    data: &'s [u8],
    schedule: &'s [(u8, u16)],
    next: usize,
    /// After a failure the next call always hands out bytes, so the reader makes progress.
    failed: bool,
}

impl Read for Flaky<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let (op, n) = match self.schedule {
            [] => (0, u16::MAX),
            s => s[self.next % s.len()],
        };
        self.next = self.next.wrapping_add(1);
        let kind = match op % 5 {
            1 => Some(io::ErrorKind::WouldBlock),
            2 => Some(io::ErrorKind::Interrupted),
            3 => Some(io::ErrorKind::TimedOut),
            _ => None,
        };
        if let (Some(kind), false) = (kind, self.failed) {
            self.failed = true;
            return Err(io::Error::new(kind, "fuzz"));
        }
        self.failed = false;
        let n = (usize::from(n) + 1).min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

fuzz_target!(|input: Input<'_>| {
    let mut stream = Vec::new();
    for m in &input.messages {
        if let Ok(bytes) = m.encode_to_vec() {
            stream.extend_from_slice(&bytes);
        }
    }
    if let Some((at, xor)) = input.corrupt {
        if !stream.is_empty() {
            let i = at as usize % stream.len();
            stream[i] ^= xor;
        }
    }
    stream.extend_from_slice(input.tail);

    let options = if input.small {
        DecodeOptions::default()
            .max_payload_len(64)
            .max_headers_len(64)
    } else {
        DecodeOptions::default()
    };
    let (expected, expected_end, left) = one_shot(&Decoder::new(options), &stream);

    let mut reader = FrameReader::with_options(
        Flaky {
            data: &stream,
            schedule: &input.schedule,
            next: 0,
            failed: false,
        },
        options,
    );
    let mut frames = Vec::new();
    let mut retries = 0usize;
    let end = loop {
        match reader.next_frame() {
            Ok(Some(f)) => frames.push(f.as_bytes().to_vec()),
            Ok(None) => break End::Clean,
            Err(ReadError::Io(e)) => {
                assert!(
                    matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ),
                    "{e:?} reached the caller"
                );
                retries += 1;
                assert!(
                    retries <= 2 * stream.len() + 2,
                    "the reader makes no progress"
                );
            }
            Err(ReadError::UnexpectedEof { needed }) => {
                assert!(needed > 0);
                break End::Incomplete;
            }
            Err(ReadError::Decode(e)) => {
                // The error sticks: the same bytes give the same error again.
                match reader.next_frame() {
                    Err(ReadError::Decode(again)) => assert_eq!(again, e),
                    other => panic!("after {e:?}: {other:?}"),
                }
                break End::Error(e);
            }
            Err(e) => panic!("unexpected error: {e:?}"),
        }
    };
    assert_eq!(frames, expected);
    assert_eq!(end, expected_end);
    // Nothing read was lost: what the reader holds is where one-shot decoding stopped.
    let held = reader.buffered();
    let rest = &stream[left..];
    match end {
        End::Clean => assert!(held.is_empty()),
        End::Incomplete => assert_eq!(held, rest),
        End::Error(_) => assert!(rest.starts_with(held) && !held.is_empty()),
    }
});
