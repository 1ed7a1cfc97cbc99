//! Valid frames (from `Message`'s `Arbitrary`), optionally corrupted by one byte and followed by
//! garbage, cut at fuzzer-chosen points and fed to the `Accumulator` and to the incremental
//! `Decoder` over a growing buffer: both must yield exactly the frames, then exactly the error
//! (or the incomplete tail), that a one-shot decode of the whole stream gives.
#![no_main]

use arbitrary::Arbitrary;
use kinesis_codec::eventstream::{decode, Accumulator, DecodeError, Decoded, Decoder, Message};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    messages: Vec<Message<'a>>,
    corrupt: Option<(u16, u8)>,
    tail: &'a [u8],
    cuts: Vec<u16>,
}

#[derive(Debug, PartialEq)]
enum End {
    Clean,
    Incomplete,
    Error(DecodeError),
}

const CAPACITY: usize = 8192;

fn one_shot(stream: &[u8]) -> (Vec<Vec<u8>>, End) {
    let mut frames = Vec::new();
    let mut rest = stream;
    loop {
        if rest.is_empty() {
            return (frames, End::Clean);
        }
        match decode(rest) {
            Ok(Decoded::Frame { frame, used }) => {
                if used > CAPACITY {
                    // The accumulator must refuse this one by its size.
                    let total_len = used as u32;
                    let e = DecodeError::ExceedsCapacity {
                        total_len,
                        capacity: CAPACITY,
                    };
                    return (frames, End::Error(e));
                }
                frames.push(frame.as_bytes().to_vec());
                rest = &rest[used..];
            }
            Ok(Decoded::NeedMore { .. }) => return (frames, End::Incomplete),
            Err(e) => return (frames, End::Error(e)),
        }
    }
}

fn pieces<'s>(stream: &'s [u8], cuts: &[u16]) -> Vec<&'s [u8]> {
    let mut points: Vec<usize> = cuts
        .iter()
        .map(|&c| c as usize % (stream.len() + 1))
        .collect();
    points.sort_unstable();
    let mut out = Vec::new();
    let mut last = 0;
    for p in points {
        out.push(&stream[last..p]);
        last = p;
    }
    out.push(&stream[last..]);
    out
}

fn via_accumulator(pieces: &[&[u8]]) -> (Vec<Vec<u8>>, End) {
    let mut acc = Box::new(Accumulator::<CAPACITY>::new());
    let mut frames = Vec::new();
    for piece in pieces {
        let mut rest = *piece;
        loop {
            let taken = acc.feed(rest);
            rest = &rest[taken..];
            let before = frames.len();
            loop {
                match acc.next_frame() {
                    Ok(Some(f)) => frames.push(f.as_bytes().to_vec()),
                    Ok(None) => break,
                    Err(e) => return (frames, End::Error(e)),
                }
            }
            if rest.is_empty() {
                break;
            }
            assert!(taken > 0 || frames.len() > before, "accumulator stalled");
        }
    }
    let end = if acc.is_empty() {
        End::Clean
    } else {
        End::Incomplete
    };
    (frames, end)
}

fn via_decoder(pieces: &[&[u8]]) -> (Vec<Vec<u8>>, End) {
    let decoder = Decoder::default();
    let mut buf = Vec::new();
    let mut frames = Vec::new();
    for piece in pieces {
        buf.extend_from_slice(piece);
        loop {
            match decoder.decode(&buf) {
                Ok(Decoded::Frame { frame, used }) => {
                    if used > CAPACITY {
                        let total_len = used as u32;
                        let e = DecodeError::ExceedsCapacity {
                            total_len,
                            capacity: CAPACITY,
                        };
                        return (frames, End::Error(e));
                    }
                    frames.push(frame.as_bytes().to_vec());
                    buf.drain(..used);
                }
                Ok(Decoded::NeedMore { needed }) => {
                    assert!(needed > 0);
                    break;
                }
                Err(e) => return (frames, End::Error(e)),
            }
        }
    }
    let end = if buf.is_empty() {
        End::Clean
    } else {
        End::Incomplete
    };
    (frames, end)
}

fuzz_target!(|input: Input<'_>| {
    let mut stream = Vec::new();
    for m in &input.messages {
        stream.extend_from_slice(&m.encode_to_vec().expect("generated messages encode"));
    }
    if let Some((at, xor)) = input.corrupt {
        if !stream.is_empty() {
            let i = at as usize % stream.len();
            stream[i] ^= xor;
        }
    }
    stream.extend_from_slice(input.tail);

    let expected = one_shot(&stream);
    let fits = input
        .messages
        .iter()
        .all(|m| m.encoded_len().unwrap() <= CAPACITY);
    if input.corrupt.is_none() && input.tail.is_empty() && fits {
        // Uncorrupted frames all decode, one per message.
        assert_eq!(expected.1, End::Clean);
        assert_eq!(expected.0.len(), input.messages.len());
    }
    let pieces = pieces(&stream, &input.cuts);
    assert_eq!(via_accumulator(&pieces), expected);
    assert_eq!(via_decoder(&pieces), expected);
});
