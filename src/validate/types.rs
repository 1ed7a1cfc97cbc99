//! The JSON type each member of a request must have, generated from the models, for the
//! `SerializationException` checks of [`body`](super::body).

/// What a member's JSON value must be.
#[derive(Debug)]
pub enum Type {
    /// A string (enums included).
    Str,
    /// `true` or `false`.
    Bool,
    /// A whole number, by the service's Java name: `Integer`, `Long`.
    Whole(&'static str),
    /// A double.
    Double,
    /// A base64 string.
    Blob,
    /// A number of seconds since the epoch.
    Timestamp,
    /// A list of entries of one type.
    List(&'static Type),
    /// A map of string keys to values of one type.
    Map(&'static Type),
    /// A structure: its members by wire name, in model order.
    Struct(&'static [(&'static str, &'static Type)]),
}
