#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
// Panic-freedom by construction: no input can make the crate index out of bounds, unwrap a
// `None`, overflow or silently truncate an integer. Each exception is an `#[allow]` on the
// smallest item, with the reason it cannot be reached beside it. Tests may do all of these
// (clippy.toml).
#![deny(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::unreachable,
    clippy::todo,
    clippy::unimplemented,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation
)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![doc = include_str!("../README.md")]
#![doc = include_str!("layers.md")]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod cbor;
pub mod eventstream;
pub mod hashkey;
pub mod json;
pub mod kpl;
pub mod producer;
pub mod sigv4;
pub mod validate;

#[cfg(feature = "alloc")]
pub mod blob;
#[cfg(feature = "alloc")]
pub mod firehose;
#[cfg(feature = "alloc")]
pub mod kinesis;
#[cfg(feature = "alloc")]
mod quote;
#[cfg(feature = "alloc")]
pub mod timestamp;
#[cfg(feature = "alloc")]
pub mod wire;
