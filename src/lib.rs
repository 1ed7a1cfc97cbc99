#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![doc = include_str!("../README.md")]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod eventstream;
pub mod hashkey;
pub mod producer;

#[cfg(feature = "alloc")]
pub mod blob;
#[cfg(feature = "alloc")]
pub mod firehose;
#[cfg(feature = "alloc")]
pub mod kinesis;
#[cfg(feature = "alloc")]
pub mod timestamp;
#[cfg(feature = "alloc")]
pub mod wire;
