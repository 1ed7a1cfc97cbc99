//! The canonical request (`spec/sigv4.md`, step 1), streamed piece by piece into a [`Feed`] (in
//! signing, SHA-256) and never built in memory.
//!
//! Sorting without a heap: headers and query parameters are emitted by repeated selection of the
//! next smallest item, which costs `n²` comparisons and no storage; `n` is bounded by
//! [`MAX_HEADERS`] and [`MAX_QUERY_PARAMS`] so that a hostile request stays cheap.

use core::cmp::Ordering;

use super::error::SignError;

/// The most headers a request may carry to be signed (the caller's and the signer's own).
pub const MAX_HEADERS: usize = 64;
/// The most `&`-separated query parameters a request may carry to be signed.
pub const MAX_QUERY_PARAMS: usize = 64;
/// The most path segments a request's path may have when the path is normalized.
pub const MAX_PATH_SEGMENTS: usize = 128;

/// Where canonical text goes: a hash in signing, a buffer in tests and debugging.
///
/// Any `FnMut(&[u8])` is a feed.
pub trait Feed {
    /// Takes the next bytes of the text.
    fn feed(&mut self, bytes: &[u8]);
}

impl<F: FnMut(&[u8])> Feed for F {
    fn feed(&mut self, bytes: &[u8]) {
        self(bytes)
    }
}

/// Feeds bytes through a small stack buffer, so that byte-at-a-time producers reach the hash in
/// runs.
struct Chunked<'f, F: Feed + ?Sized> {
    feed: &'f mut F,
    buf: [u8; 64],
    len: usize,
}

impl<'f, F: Feed + ?Sized> Chunked<'f, F> {
    fn new(feed: &'f mut F) -> Self {
        Chunked {
            feed,
            buf: [0; 64],
            len: 0,
        }
    }

    fn push(&mut self, b: u8) {
        if let Some(slot) = self.buf.get_mut(self.len) {
            *slot = b;
            self.len = self.len.saturating_add(1);
        } else {
            self.feed.feed(&self.buf);
            self.buf = [b; 64];
            self.len = 1;
        }
    }

    fn flush(self) {
        self.feed.feed(self.buf.get(..self.len).unwrap_or_default());
    }
}

/// The upper-case hex digit of the low four bits of `n`.
fn hex_upper(n: u8) -> u8 {
    b"0123456789ABCDEF"
        .get(usize::from(n & 0x0f))
        .copied()
        .unwrap_or(b'0')
}

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// Writes `b` URI-encoded: unreserved bytes as they are, every other byte as `%XX`.
fn push_encoded<F: Feed + ?Sized>(out: &mut Chunked<'_, F>, b: u8) {
    if is_unreserved(b) {
        out.push(b);
    } else {
        out.push(b'%');
        out.push(hex_upper(b >> 4));
        out.push(hex_upper(b));
    }
}

// ---------------------------------------------------------------------------------------------
// Path

/// Writes the canonical URI of `path`: with `normalize`, empty and `.` segments removed and `..`
/// segments applied (a trailing `/` kept); then every byte but `/` and the unreserved ones
/// URI-encoded, `%` included (a path that is already percent-encoded is encoded a second time, as
/// every AWS service but S3 expects).
pub(crate) fn write_path<F: Feed + ?Sized>(path: &str, normalize: bool, feed: &mut F) {
    let mut out = Chunked::new(feed);
    if !normalize {
        if path.is_empty() {
            out.push(b'/');
        }
        for b in path.bytes() {
            if b == b'/' {
                out.push(b);
            } else {
                push_encoded(&mut out, b);
            }
        }
        out.flush();
        return;
    }
    let mut kept = 0usize;
    for (i, segment) in path.split('/').enumerate() {
        if is_real(segment) && survives(path, i) {
            out.push(b'/');
            for b in segment.bytes() {
                push_encoded(&mut out, b);
            }
            kept = kept.saturating_add(1);
        }
    }
    let last = path.rsplit('/').next().unwrap_or_default();
    let trailing = path.ends_with('/') || last == "." || last == "..";
    if kept == 0 || trailing {
        out.push(b'/');
    }
    out.flush();
}

/// Checks that normalizing `path` stays cheap: at most [`MAX_PATH_SEGMENTS`] segments.
pub(crate) fn check_path(path: &str, normalize: bool) -> Result<(), SignError> {
    if normalize && path.split('/').nth(MAX_PATH_SEGMENTS).is_some() {
        return Err(SignError::TooManyPathSegments);
    }
    Ok(())
}

fn is_real(segment: &str) -> bool {
    !matches!(segment, "" | "." | "..")
}

/// Whether real segment `i` of `path` is still there after the `..` segments that follow it.
fn survives(path: &str, i: usize) -> bool {
    let mut above = 0usize;
    for segment in path.split('/').skip(i.saturating_add(1)) {
        if segment == ".." {
            if above == 0 {
                return false;
            }
            above = above.saturating_sub(1);
        } else if is_real(segment) {
            above = above.saturating_add(1);
        }
    }
    true
}

// ---------------------------------------------------------------------------------------------
// Query

/// The bytes of a query key or value after form-decoding: `%XX` with two hex digits is that
/// byte, any other `%` is itself, `+` is a space.
#[derive(Clone)]
struct Decoded<'a> {
    rest: &'a [u8],
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b.saturating_sub(b'0')),
        b'a'..=b'f' => Some(b.saturating_sub(b'a').saturating_add(10)),
        b'A'..=b'F' => Some(b.saturating_sub(b'A').saturating_add(10)),
        _ => None,
    }
}

impl Iterator for Decoded<'_> {
    type Item = u8;
    fn next(&mut self) -> Option<u8> {
        match *self.rest {
            [b'%', h, l, ref rest @ ..] => match (hex_value(h), hex_value(l)) {
                (Some(h), Some(l)) => {
                    self.rest = rest;
                    Some(h << 4 | l)
                }
                _ => {
                    self.rest = self.rest.get(1..).unwrap_or_default();
                    Some(b'%')
                }
            },
            [b'+', ref rest @ ..] => {
                self.rest = rest;
                Some(b' ')
            }
            [b, ref rest @ ..] => {
                self.rest = rest;
                Some(b)
            }
            [] => None,
        }
    }
}

/// The canonical (re-encoded) bytes of a decoded key or value, as an iterator, for comparing
/// without a buffer.
#[derive(Clone)]
struct Encoded<'a> {
    inner: Decoded<'a>,
    pending: [u8; 2],
    pending_len: u8,
}

impl<'a> Encoded<'a> {
    fn new(raw: &'a str) -> Self {
        Encoded {
            inner: Decoded {
                rest: raw.as_bytes(),
            },
            pending: [0; 2],
            pending_len: 0,
        }
    }
}

impl Iterator for Encoded<'_> {
    type Item = u8;
    fn next(&mut self) -> Option<u8> {
        match self.pending_len {
            2 => {
                self.pending_len = 1;
                return Some(self.pending[0]);
            }
            1 => {
                self.pending_len = 0;
                return Some(self.pending[1]);
            }
            _ => {}
        }
        let b = self.inner.next()?;
        if is_unreserved(b) {
            Some(b)
        } else {
            self.pending = [hex_upper(b >> 4), hex_upper(b)];
            self.pending_len = 2;
            Some(b'%')
        }
    }
}

fn params(query: &str) -> impl Iterator<Item = (&str, &str)> + Clone {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').unwrap_or((p, "")))
}

fn cmp_param(a: (usize, (&str, &str)), b: (usize, (&str, &str))) -> Ordering {
    Encoded::new(a.1 .0)
        .cmp(Encoded::new(b.1 .0))
        .then_with(|| Encoded::new(a.1 .1).cmp(Encoded::new(b.1 .1)))
        .then(a.0.cmp(&b.0))
}

/// Writes the canonical query string: each parameter's key and value percent-decoded then
/// URI-encoded, sorted by key then value, joined with `&`. A parameter without `=` has an empty
/// value; `+` is a space, as in form encoding (botocore and aws-sigv4 read it so too: a plus
/// sign is sent as `%2B`).
pub(crate) fn write_query<F: Feed + ?Sized>(query: &str, feed: &mut F) {
    let mut out = Chunked::new(feed);
    let mut prev: Option<(usize, (&str, &str))> = None;
    loop {
        let next = params(query)
            .enumerate()
            .filter(|&p| prev.is_none_or(|q| cmp_param(p, q) == Ordering::Greater))
            .min_by(|&a, &b| cmp_param(a, b));
        let Some(p) = next else { break };
        if prev.is_some() {
            out.push(b'&');
        }
        Encoded::new(p.1 .0).for_each(|b| out.push(b));
        out.push(b'=');
        Encoded::new(p.1 .1).for_each(|b| out.push(b));
        prev = Some(p);
    }
    out.flush();
}

/// Checks that sorting the query stays cheap: at most [`MAX_QUERY_PARAMS`] parameters.
pub(crate) fn check_query(query: &str) -> Result<(), SignError> {
    if params(query).nth(MAX_QUERY_PARAMS).is_some() {
        return Err(SignError::TooManyQueryParams);
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Headers

/// The headers of a request as the signer sees them: the caller's, then the ones the signer adds.
#[derive(Clone, Copy)]
pub(crate) struct HeaderList<'a> {
    pub(crate) caller: &'a [(&'a str, &'a str)],
    pub(crate) added: &'a [(&'a str, &'a str)],
}

impl<'a> HeaderList<'a> {
    fn iter(self) -> impl Iterator<Item = (&'a str, &'a str)> + Clone + 'a {
        self.caller.iter().chain(self.added.iter()).copied()
    }

    /// Checks every name is an HTTP token and every value has no control byte but a tab or an
    /// obsolete line folding (a line break followed by a space or tab), and the count.
    pub(crate) fn check(self) -> Result<(), SignError> {
        if self.iter().nth(MAX_HEADERS).is_some() {
            return Err(SignError::TooManyHeaders);
        }
        for (index, (name, value)) in self.iter().enumerate() {
            if name.is_empty() || !name.bytes().all(is_token_byte) {
                return Err(SignError::HeaderName { index });
            }
            if !value_ok(value.as_bytes()) {
                return Err(SignError::HeaderValue { index });
            }
        }
        Ok(())
    }

    /// Calls `each` with every distinct header name, in canonical order (case-insensitive), and
    /// the headers of that name in request order.
    fn for_each_name(self, mut each: impl FnMut(&'a str, &mut dyn Iterator<Item = &'a str>)) {
        let mut prev: Option<&str> = None;
        loop {
            let next = self
                .iter()
                .map(|(n, _)| n)
                .filter(|n| prev.is_none_or(|p| cmp_ci(n, p) == Ordering::Greater))
                .min_by(|a, b| cmp_ci(a, b));
            let Some(name) = next else { break };
            let mut values = self
                .iter()
                .filter(|(n, _)| cmp_ci(n, name) == Ordering::Equal)
                .map(|(_, v)| v);
            each(name, &mut values);
            prev = Some(name);
        }
    }
}

fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

pub(crate) fn value_ok(v: &[u8]) -> bool {
    let mut i = 0usize;
    while let Some(&b) = v.get(i) {
        let fold = |at: usize| matches!(v.get(at), Some(b' ' | b'\t'));
        let ok = match b {
            b'\t' => true,
            b'\n' => fold(i.saturating_add(1)),
            b'\r' => v.get(i.saturating_add(1)) == Some(&b'\n') && fold(i.saturating_add(2)),
            0..=0x1f | 0x7f => false,
            _ => true,
        };
        if !ok {
            return false;
        }
        i = i.saturating_add(1);
    }
    true
}

fn cmp_ci(a: &str, b: &str) -> Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// Writes the canonical headers block: `name:value\n` for each distinct lowercase name in order,
/// values trimmed with inner runs of white space (line foldings included) made one space, and
/// the values of a repeated name joined with `,` in request order.
pub(crate) fn write_headers<F: Feed + ?Sized>(headers: HeaderList<'_>, feed: &mut F) {
    let mut out = Chunked::new(feed);
    headers.for_each_name(|name, values| {
        name.bytes().for_each(|b| out.push(b.to_ascii_lowercase()));
        out.push(b':');
        for (i, value) in values.enumerate() {
            if i > 0 {
                out.push(b',');
            }
            for (j, word) in value.split(is_space).filter(|w| !w.is_empty()).enumerate() {
                if j > 0 {
                    out.push(b' ');
                }
                word.bytes().for_each(|b| out.push(b));
            }
        }
        out.push(b'\n');
    });
    out.flush();
}

/// Writes one header value as the canonical headers block carries it: trimmed, inner runs of
/// white space (line foldings included) made one space. The same text as [`write_headers`]
/// writes for a name that appears once, fed in runs.
pub(crate) fn write_value<F: Feed + ?Sized>(value: &str, feed: &mut F) {
    for (j, word) in value.split(is_space).filter(|w| !w.is_empty()).enumerate() {
        if j > 0 {
            feed.feed(b" ");
        }
        feed.feed(word.as_bytes());
    }
}

/// Writes the signed header names: the distinct lowercase names in order, joined with `;`.
pub(crate) fn write_signed_names<F: Feed + ?Sized>(headers: HeaderList<'_>, feed: &mut F) {
    let mut out = Chunked::new(feed);
    let mut first = true;
    headers.for_each_name(|name, _| {
        if !first {
            out.push(b';');
        }
        first = false;
        name.bytes().for_each(|b| out.push(b.to_ascii_lowercase()));
    });
    out.flush();
}
