//! `FrameReader` over a reader that fails and stalls: short reads, `WouldBlock`, `TimedOut` and
//! `Interrupted` at every point of a stream. Retrying after an error must yield exactly the
//! frames (and then the error) a one-shot decode of the same bytes gives: no byte read before
//! the error is lost.
#![cfg(feature = "std")]

use std::io::{self, Read};

use kinesis_codec::eventstream::{
    decode, encode_to_vec, DecodeError, Decoded, FrameReader, Header, HeaderValue, ReadError,
};

/// One thing the flaky reader does on a call to `read`.
#[derive(Clone, Copy, Debug)]
enum Step {
    /// Hand out at most this many bytes (at least 1).
    Give(usize),
    /// Fail with this kind, handing out nothing.
    Fail(io::ErrorKind),
}

/// A reader over `data` that follows `steps` on each call, cyclically or (`once`) then
/// hands out everything.
struct Flaky {
    data: Vec<u8>,
    at: usize,
    steps: Vec<Step>,
    once: bool,
    next: usize,
    failures: usize,
}

impl Flaky {
    fn new(data: Vec<u8>, steps: Vec<Step>) -> Self {
        Flaky {
            data,
            at: 0,
            steps,
            once: false,
            next: 0,
            failures: 0,
        }
    }

    fn once(data: Vec<u8>, steps: Vec<Step>) -> Self {
        Flaky {
            once: true,
            ..Flaky::new(data, steps)
        }
    }
}

impl Read for Flaky {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let step = match self.steps.get(self.next) {
            Some(&step) => step,
            None if self.once => Step::Give(usize::MAX),
            None => self.steps[self.next % self.steps.len()],
        };
        self.next += 1;
        match step {
            Step::Fail(kind) => {
                self.failures += 1;
                Err(io::Error::new(kind, "flaky"))
            }
            Step::Give(n) => {
                let rest = &self.data[self.at..];
                let n = n.max(1).min(buf.len()).min(rest.len());
                buf[..n].copy_from_slice(&rest[..n]);
                self.at += n;
                Ok(n)
            }
        }
    }
}

/// How a stream ended.
#[derive(Debug, PartialEq)]
enum End {
    Clean,
    Incomplete,
    Error(DecodeError),
}

fn one_shot(stream: &[u8]) -> (Vec<Vec<u8>>, End) {
    let mut frames = Vec::new();
    let mut rest = stream;
    loop {
        if rest.is_empty() {
            return (frames, End::Clean);
        }
        match decode(rest) {
            Ok(Decoded::Frame { frame, used }) => {
                frames.push(frame.as_bytes().to_vec());
                rest = &rest[used..];
            }
            Ok(Decoded::NeedMore { .. }) => return (frames, End::Incomplete),
            Err(e) => return (frames, End::Error(e)),
        }
    }
}

/// Reads every frame, retrying after `WouldBlock` and `TimedOut` as a caller with a
/// non-blocking or timed-out socket would. Returns the frames, how the stream ended and how
/// many errors were retried.
fn via_reader(reader: &mut FrameReader<Flaky>) -> (Vec<Vec<u8>>, End, usize) {
    let mut frames = Vec::new();
    let mut retries = 0;
    loop {
        match reader.next_frame() {
            Ok(Some(f)) => frames.push(f.as_bytes().to_vec()),
            Ok(None) => return (frames, End::Clean, retries),
            Err(ReadError::Io(e))
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                retries += 1;
                assert!(retries < 1_000_000, "the reader makes no progress");
            }
            Err(ReadError::UnexpectedEof { .. }) => return (frames, End::Incomplete, retries),
            Err(ReadError::Decode(e)) => return (frames, End::Error(e), retries),
            Err(e) => panic!("unexpected error: {e:?}"),
        }
    }
}

fn stream() -> Vec<u8> {
    let mut wire = Vec::new();
    for (i, len) in [0usize, 1, 3, 100, 5_000, 70_000, 2, 300_000, 17]
        .into_iter()
        .enumerate()
    {
        let payload: Vec<u8> = (0..len).map(|j| (i * 31 + j * 7) as u8).collect();
        let headers = [
            Header::new(":message-type", HeaderValue::String("event")),
            Header::new("seq", HeaderValue::Int64(i as i64)),
        ];
        encode_to_vec(&headers, &payload, &mut wire).unwrap();
    }
    wire
}

fn schedules() -> Vec<Vec<Step>> {
    use io::ErrorKind::{Interrupted, TimedOut, WouldBlock};
    use Step::{Fail, Give};
    vec![
        vec![Give(1), Fail(WouldBlock)],
        vec![Give(5), Fail(TimedOut), Give(3), Fail(Interrupted)],
        vec![
            Give(7),
            Fail(Interrupted),
            Fail(WouldBlock),
            Give(11),
            Fail(TimedOut),
        ],
        vec![
            Give(4096),
            Fail(WouldBlock),
            Give(13),
            Fail(TimedOut),
            Fail(TimedOut),
        ],
        vec![Give(100_000), Fail(TimedOut)],
        vec![Fail(WouldBlock), Give(12), Fail(Interrupted), Give(1)],
    ]
}

#[test]
fn retrying_after_wouldblock_and_timeout_loses_nothing() {
    let wire = stream();
    let expected = one_shot(&wire);
    assert_eq!(expected.1, End::Clean);
    assert_eq!(expected.0.len(), 9);
    for steps in schedules() {
        let mut reader = FrameReader::new(Flaky::new(wire.clone(), steps.clone()));
        let (frames, end, retries) = via_reader(&mut reader);
        assert!(
            reader.get_ref().failures > 0,
            "{steps:?}: the schedule failed nowhere"
        );
        assert!(frames == expected.0, "{steps:?}: frames differ");
        assert_eq!(end, expected.1, "{steps:?}");
        let blocking = steps.iter().any(|s| {
            matches!(
                s,
                Step::Fail(io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut)
            )
        });
        assert_eq!(retries > 0, blocking, "{steps:?}: errors reach the caller");
    }
}

#[test]
fn an_error_at_every_byte_offset_is_survived() {
    // A small stream, an error injected once right after each byte position.
    let mut wire = Vec::new();
    for payload in [&b"one"[..], b"", b"three!"] {
        encode_to_vec(
            &[Header::new("k", HeaderValue::String("v"))],
            payload,
            &mut wire,
        )
        .unwrap();
    }
    let expected = one_shot(&wire);
    for cut in 0..=wire.len() {
        for kind in [io::ErrorKind::WouldBlock, io::ErrorKind::TimedOut] {
            let mut steps = vec![Step::Give(1); cut];
            steps.push(Step::Fail(kind));
            let mut reader = FrameReader::new(Flaky::once(wire.clone(), steps));
            let (frames, end, retries) = via_reader(&mut reader);
            assert_eq!(retries, 1, "cut {cut}");
            assert!(frames == expected.0, "cut {cut} {kind:?}: frames differ");
            assert_eq!(end, expected.1, "cut {cut} {kind:?}");
        }
    }
}

#[test]
fn errors_after_retries_agree_with_one_shot() {
    let mut wire = stream();
    // Corrupt one payload byte of the fifth frame: four frames, then its checksum error.
    let mut at = 0;
    for _ in 0..4 {
        let Ok(Decoded::Frame { used, .. }) = decode(&wire[at..]) else {
            panic!()
        };
        at += used;
    }
    wire[at + 60] ^= 0x40;
    let expected = one_shot(&wire);
    assert_eq!(expected.0.len(), 4);
    assert!(matches!(
        expected.1,
        End::Error(DecodeError::MessageChecksum { .. })
    ));
    for steps in schedules() {
        let mut reader = FrameReader::new(Flaky::new(wire.clone(), steps.clone()));
        let (frames, end, _) = via_reader(&mut reader);
        assert!(frames == expected.0, "{steps:?}: frames differ");
        assert_eq!(end, expected.1, "{steps:?}");
    }

    // A stream cut inside a frame: the frames before it, then the end of input inside a frame.
    let cut = wire.len() - 5;
    let good = stream();
    let expected = one_shot(&good[..cut]);
    assert_eq!(expected.1, End::Incomplete);
    for steps in schedules() {
        let mut reader = FrameReader::new(Flaky::new(good[..cut].to_vec(), steps.clone()));
        let (frames, end, _) = via_reader(&mut reader);
        assert!(frames == expected.0, "{steps:?}: frames differ");
        assert_eq!(end, End::Incomplete, "{steps:?}");
    }
}

/// Reads as `via_reader` does, noting `offset()` before each frame, and answers the offset and
/// the bytes buffered where the stream stopped.
fn offsets_via_reader(reader: &mut FrameReader<Flaky>) -> (Vec<u64>, End, u64, Vec<u8>) {
    let mut offsets = Vec::new();
    loop {
        let at = reader.offset();
        let end = match reader.next_frame() {
            Ok(Some(_)) => {
                offsets.push(at);
                continue;
            }
            Err(ReadError::Io(e))
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                assert_eq!(reader.offset(), at, "an I/O error keeps the offset");
                continue;
            }
            Ok(None) => End::Clean,
            Err(ReadError::UnexpectedEof { .. }) => End::Incomplete,
            Err(ReadError::Decode(e)) => End::Error(e),
            Err(e) => panic!("unexpected error: {e:?}"),
        };
        assert_eq!(reader.offset(), at, "an end or error keeps the offset");
        return (offsets, end, at, reader.buffered().to_vec());
    }
}

#[test]
fn offsets_and_the_bytes_kept_name_where_the_stream_stopped() {
    let good = stream();
    let starts: Vec<u64> = {
        let mut at = 0;
        let mut starts = Vec::new();
        while at < good.len() {
            starts.push(at as u64);
            let Ok(Decoded::Frame { used, .. }) = decode(&good[at..]) else {
                panic!()
            };
            at += used;
        }
        starts
    };
    let fifth = starts[4] as usize;
    let sixth = starts[5] as usize;
    let mut bad_crc = good.clone();
    bad_crc[fifth + 60] ^= 0x40;
    let mut bad_prelude = good.clone();
    bad_prelude[fifth + 9] ^= 0x01;
    let last = *starts.last().unwrap() as usize;
    // (input, the bytes kept where it stops); frames and end as a one-shot decode finds them.
    let cases: [(&[u8], &[u8]); 5] = [
        (&good, &[]),
        (&bad_crc, &bad_crc[fifth..sixth]),
        (&bad_prelude, &bad_prelude[fifth..fifth + 12]),
        (&good[..good.len() - 5], &good[last..good.len() - 5]),
        (&good[..fifth + 5], &good[fifth..fifth + 5]),
    ];
    let ends: Vec<End> = cases.iter().map(|(input, _)| one_shot(input).1).collect();
    assert_eq!(ends[0], End::Clean);
    assert!(matches!(
        ends[1],
        End::Error(DecodeError::MessageChecksum { .. })
    ));
    assert!(matches!(
        ends[2],
        End::Error(DecodeError::PreludeChecksum { .. })
    ));
    assert_eq!(ends[3..], [End::Incomplete, End::Incomplete]);
    for (i, (input, kept)) in cases.into_iter().enumerate() {
        let (expected, expected_end) = one_shot(input);
        let frames = expected.len();
        for steps in schedules() {
            let mut reader = FrameReader::new(Flaky::new(input.to_vec(), steps.clone()));
            let (offsets, end, stop, buffered) = offsets_via_reader(&mut reader);
            assert_eq!(offsets, starts[..frames], "case {i}, {steps:?}");
            assert_eq!(end, expected_end, "case {i}, {steps:?}");
            let stop_at = starts.get(frames).copied().unwrap_or(good.len() as u64);
            assert_eq!(stop, stop_at, "case {i}, {steps:?}");
            assert!(buffered == kept, "case {i}, {steps:?}: bytes kept differ");
        }
    }
}
