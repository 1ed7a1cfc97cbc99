//! Where a violation is: the member path as the service prints it.

use core::fmt;

/// The most segments a path holds. The generator checks that no input of either model nests
/// deeper (`tests/codegen/validate.rs`), so a path is never cut short.
pub const MAX_DEPTH: usize = 16;

/// One step of a [`Path`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Segment {
    /// A structure member, by its lower-camel name (`streamName`).
    Member(&'static str),
    /// A list entry, 0-based here, printed 1-based as `<n>.member`.
    Index(usize),
}

/// A member path: `records.1.member.partitionKey`.
///
/// spec/validation.md: "Paths are the member names in lower camel case (`streamName`), list
/// members 1-based as `records.1.member.partitionKey`."
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Path {
    segments: [Segment; MAX_DEPTH],
    len: usize,
}

impl Default for Path {
    fn default() -> Self {
        Self::new()
    }
}

impl Path {
    /// The empty path (the request itself).
    pub const fn new() -> Self {
        Path {
            segments: [Segment::Index(0); MAX_DEPTH],
            len: 0,
        }
    }

    /// Steps into a segment. A path already [`MAX_DEPTH`] deep stays as it is (the generator
    /// rules that out).
    pub fn push(&mut self, segment: Segment) {
        if let Some(slot) = self.segments.get_mut(self.len) {
            *slot = segment;
            self.len = self.len.saturating_add(1);
        }
    }

    /// Steps back out of the last segment.
    pub fn pop(&mut self) {
        self.len = self.len.saturating_sub(1);
    }

    /// The segments, outermost first.
    pub fn segments(&self) -> &[Segment] {
        self.segments.get(..self.len).unwrap_or(&[])
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.segments().iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            match segment {
                Segment::Member(name) => f.write_str(name)?,
                Segment::Index(index) => write!(f, "{}.member", index.saturating_add(1))?,
            }
        }
        Ok(())
    }
}
