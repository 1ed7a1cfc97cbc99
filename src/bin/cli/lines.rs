//! Reading JSON-lines input for the `--jsonl` modes: every line comes out as one [`Line`],
//! whatever its bytes (invalid UTF-8, blank, too long), so each gets its own answer and none
//! stops the lines after it. A line is held in memory up to [`MAX_LINE_LEN`] bytes; the rest
//! of a longer one is read and dropped.

use std::io::{self, BufRead};

/// The longest input line kept (64 MiB: a 5 MiB body escaped as JSON text fits many times).
pub const MAX_LINE_LEN: usize = 64 * 1024 * 1024;

/// One input line, without its `\n` (or `\r\n`).
pub enum Line<'a> {
    /// UTF-8 text with something in it besides whitespace.
    Text(&'a str),
    /// Nothing but whitespace.
    Blank,
    /// Bytes that are not UTF-8; the first bad byte is at this offset in the line.
    NotUtf8 { offset: usize },
    /// Longer than [`MAX_LINE_LEN`].
    TooLong,
}

impl Line<'_> {
    /// Why this line cannot be read as a request, or `None` for [`Line::Text`].
    pub fn refusal(&self) -> Option<String> {
        match self {
            Line::Text(_) => None,
            Line::Blank => Some("blank line: a request line holds one JSON object".into()),
            Line::NotUtf8 { offset } => Some(format!(
                "input line is not UTF-8 (invalid byte at offset {offset})"
            )),
            Line::TooLong => Some(format!("input line is over {MAX_LINE_LEN} bytes")),
        }
    }
}

/// Splits a reader into [`Line`]s, holding one line at a time.
pub struct Lines<R> {
    input: R,
    buf: Vec<u8>,
}

impl<R: BufRead> Lines<R> {
    pub fn new(input: R) -> Self {
        Lines {
            input,
            buf: Vec::new(),
        }
    }

    /// The next line, `Ok(None)` at the end of the input, or the error reading it.
    pub fn next_line(&mut self) -> io::Result<Option<Line<'_>>> {
        self.buf.clear();
        let mut seen_any = false;
        let mut too_long = false;
        loop {
            let chunk = match self.input.fill_buf() {
                Ok(chunk) => chunk,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if chunk.is_empty() {
                break; // end of input
            }
            seen_any = true;
            let (part, ended) = match chunk.iter().position(|&b| b == b'\n') {
                Some(at) => (chunk.get(..at).unwrap_or_default(), true),
                None => (chunk, false),
            };
            let used = part.len().saturating_add(usize::from(ended));
            if !too_long {
                if self.buf.len().saturating_add(part.len()) > MAX_LINE_LEN {
                    too_long = true;
                    self.buf = Vec::new();
                } else {
                    self.buf.extend_from_slice(part);
                }
            }
            self.input.consume(used);
            if ended {
                break;
            }
        }
        if !seen_any {
            return Ok(None);
        }
        if too_long {
            return Ok(Some(Line::TooLong));
        }
        if let [rest @ .., b'\r'] = self.buf.as_slice() {
            let len = rest.len();
            self.buf.truncate(len);
        }
        Ok(Some(match std::str::from_utf8(&self.buf) {
            Ok(text) if text.trim().is_empty() => Line::Blank,
            Ok(text) => Line::Text(text),
            Err(e) => Line::NotUtf8 {
                offset: e.valid_up_to(),
            },
        }))
    }
}
