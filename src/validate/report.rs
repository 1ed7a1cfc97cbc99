//! The violations of one request and the message the service writes for them.

use core::fmt;

use super::path::Path;
use super::render::Render;

/// The most items a message lists, and the highest count it states.
///
/// spec/validation.md: "at most 10 items"; "The count is capped like the list: more than 10
/// violations still say `10 validation errors detected`."
pub const MAX_ITEMS: usize = 10;

/// The value a violation quotes.
#[derive(Clone, Copy)]
pub enum Value<'r> {
    /// A missing member: `Value null at ...` (no quotes).
    Null,
    /// A string or enum, as it is.
    Str(&'r str),
    /// An integer or long, in decimal.
    Int(i64),
    /// A double.
    Double(f64),
    /// A blob of this many bytes: `java.nio.HeapByteBuffer[pos=0 lim=<n> cap=<n>]`.
    Blob(usize),
    /// A structure: its Java class and a stable hash, `com.amazonaws...PutRecordsRequestEntry@…`.
    Object(&'static str),
    /// A list of this many structures, each written as the class: `[C@h, C@h]`.
    Objects(&'static str, usize),
    /// A list of strings (`[a, , b]`) or a map (`{k=v, k2=v2}`).
    Other(&'r dyn Render),
}

impl fmt::Debug for Value<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Value({self})")
    }
}

impl fmt::Display for Value<'_> {
    /// spec/validation.md: "Values: strings as they are; numbers in decimal; blobs as
    /// `java.nio.HeapByteBuffer[pos=0 lim=<len> cap=<len>]`; structures and list members as
    /// `<java class>@<hash>`"; "Maps render as `{k=v, k2=v2}`, lists of strings as `[a, , b]`".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Value::Null => f.write_str("null"),
            Value::Str(text) => f.write_str(text),
            Value::Int(n) => write!(f, "{n}"),
            Value::Double(x) => super::render::double(x, f),
            Value::Blob(n) => write!(f, "java.nio.HeapByteBuffer[pos=0 lim={n} cap={n}]"),
            Value::Object(class) => f.write_str(class),
            Value::Objects(class, n) => {
                f.write_str("[")?;
                for i in 0..n {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    f.write_str(class)?;
                }
                f.write_str("]")
            }
            Value::Other(render) => render.render(f),
        }
    }
}

/// The constraint a value breaks, as the text after `failed to satisfy constraint: `.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// `Member must not be null`.
    NotNull,
    /// `Member must have length greater than or equal to <n>`.
    MinLength(u64),
    /// `Member must have length less than or equal to <n>`.
    MaxLength(u64),
    /// `Member must have value greater than or equal to <n>` (the bound as the model writes it).
    MinValue(&'static str),
    /// `Member must have value less than or equal to <n>`.
    MaxValue(&'static str),
    /// `Member must satisfy regular expression pattern: <pattern>`.
    Pattern(&'static str),
    /// `Member must satisfy enum value set: <set>` (the set with its brackets).
    Enum(&'static str),
    /// A whole constraint text made by the generator: the constraints of a list's or a map's
    /// entries, `Member must satisfy constraint: [...]`, `Map keys must satisfy constraint: [...]`.
    Text(&'static str),
}

impl fmt::Display for Rule {
    /// spec/validation.md: "Constraint texts: `have length greater than or equal to <min>`, ...".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Rule::NotNull => f.write_str("Member must not be null"),
            Rule::MinLength(n) => write!(f, "Member must have length greater than or equal to {n}"),
            Rule::MaxLength(n) => write!(f, "Member must have length less than or equal to {n}"),
            Rule::MinValue(n) => write!(f, "Member must have value greater than or equal to {n}"),
            Rule::MaxValue(n) => write!(f, "Member must have value less than or equal to {n}"),
            Rule::Pattern(p) => write!(f, "Member must satisfy regular expression pattern: {p}"),
            Rule::Enum(set) => write!(f, "Member must satisfy enum value set: {set}"),
            Rule::Text(text) => f.write_str(text),
        }
    }
}

/// One violation: `Value '<value>' at '<path>' failed to satisfy constraint: <rule>`.
#[derive(Clone, Copy, Debug)]
pub struct Item<'r> {
    /// Where.
    pub path: Path,
    /// The value found.
    pub value: Value<'r>,
    /// The constraint broken.
    pub rule: Rule,
}

impl fmt::Display for Item<'_> {
    /// spec/validation.md: "Each item: `Value '<value>' at '<path>' failed to satisfy
    /// constraint: Member must <constraint>`"; "A missing required member renders as `Value null
    /// at 'streamName' ...`" (no quotes around null).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.value {
            Value::Null => f.write_str("Value null")?,
            value => write!(f, "Value '{value}'")?,
        }
        write!(
            f,
            " at '{}' failed to satisfy constraint: {}",
            self.path, self.rule
        )
    }
}

/// The constraint violations of a request: the first [`MAX_ITEMS`] kept, all counted. Holds no
/// heap memory; the generated `validate` of each service fills it.
#[derive(Clone, Copy, Debug)]
pub struct Violations<'r> {
    items: [Option<Item<'r>>; MAX_ITEMS],
    count: usize,
}

impl Default for Violations<'_> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'r> Violations<'r> {
    /// None yet.
    pub const fn new() -> Self {
        Violations {
            items: [None; MAX_ITEMS],
            count: 0,
        }
    }

    /// Records a violation at `path`.
    pub fn push(&mut self, path: &Path, value: Value<'r>, rule: Rule) {
        if let Some(slot) = self.items.get_mut(self.count) {
            *slot = Some(Item {
                path: *path,
                value,
                rule,
            });
        }
        self.count = self.count.saturating_add(1);
    }

    /// How many violations were found (all of them, not only those kept).
    pub fn found(&self) -> usize {
        self.count
    }

    /// `Err` with the error the service sends when any violation was found.
    #[allow(clippy::result_large_err)] // no heap: the ten items travel by value, once per request
    pub fn into_result(self) -> Result<(), ValidationError<'r>> {
        if self.count == 0 {
            Ok(())
        } else {
            Err(ValidationError { violations: self })
        }
    }
}

/// A request the service refuses with `ValidationException` (status 400); its `Display` is the
/// service's message.
///
/// ```
/// # #[cfg(feature = "alloc")] {
/// use kinesis_codec::kinesis::{Operation, Request};
///
/// let body = br#"{"StreamName":"bad name!","ShardCount":0}"#;
/// let request = Request::parse(Operation::CreateStream, body).unwrap();
/// let error = request.validate().unwrap_err();
/// assert_eq!(error.code(), "ValidationException");
/// assert_eq!(
///     error.to_string(),
///     "2 validation errors detected: \
///      Value '0' at 'shardCount' failed to satisfy constraint: \
///      Member must have value greater than or equal to 1; \
///      Value 'bad name!' at 'streamName' failed to satisfy constraint: \
///      Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"
/// );
/// # }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct ValidationError<'r> {
    violations: Violations<'r>,
}

impl<'r> ValidationError<'r> {
    /// The error type the service sends: `ValidationException`.
    pub fn code(&self) -> &'static str {
        "ValidationException"
    }

    /// How many violations the message reports: all found, capped at [`MAX_ITEMS`].
    pub fn count(&self) -> usize {
        self.violations.count.min(MAX_ITEMS)
    }

    /// How many violations were found, all of them (the message states at most [`MAX_ITEMS`]).
    pub fn found(&self) -> usize {
        self.violations.count
    }

    /// The violations the message lists, in the order found.
    pub fn items(&self) -> impl Iterator<Item = &Item<'r>> {
        self.violations.items.iter().flatten()
    }
}

impl fmt::Display for ValidationError<'_> {
    /// spec/validation.md: "`<n> validation error(s) detected: ` followed by the items joined
    /// with `; `"; "`1 validation error detected` for one item and `<n> validation errors
    /// detected` otherwise".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.count();
        let noun = if count == 1 { "error" } else { "errors" };
        write!(f, "{count} validation {noun} detected: ")?;
        for (i, item) in self.items().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{item}")?;
        }
        Ok(())
    }
}
