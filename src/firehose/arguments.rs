//! The Firehose argument checks that need nothing but the request (`InvalidArgumentException`),
//! run after the model's constraints: see [`validate::arguments`](crate::validate::arguments).

use alloc::borrow::Cow;

use super::generated::shapes;
use super::{Error, Request};
use crate::producer::Limits;
use crate::validate::arguments::{self as check, ArgumentError};

impl Request<'_> {
    /// The first of the service's argument checks this request fails; `Ok` for a request that
    /// passes them, or whose operation has none. Run it on a request that
    /// [`validate`](Self::validate)s. Allocates nothing.
    ///
    /// - `PutRecordBatch`: its records' data together above 4 MiB ([`Limits::FIREHOSE`]).
    ///
    /// ```
    /// use kinesis_codec::blob::Blob;
    /// use kinesis_codec::firehose::{shapes, Request};
    ///
    /// let data = vec![0u8; 1000 * 1024];
    /// let records = (0..5).map(|_| shapes::Record { data: Blob::from_bytes(&data) }).collect();
    /// let request = Request::PutRecordBatch(shapes::PutRecordBatchInput {
    ///     delivery_stream_name: "logs".into(),
    ///     records,
    /// });
    /// assert!(request.validate().is_ok()); // each record is within 1,000 KiB
    /// let refused = request.check_arguments().unwrap_err();
    /// assert_eq!(refused.to_string(), "Records size exceeds 4 MB limit");
    /// ```
    pub fn check_arguments(&self) -> Result<(), ArgumentError<'_>> {
        match self {
            Request::PutRecordBatch(input) => {
                let limits = Limits::FIREHOSE;
                let counted = input.records.iter().fold(0usize, |sum, record| {
                    sum.saturating_add(limits.counted_len(record.data.decoded_len(), 0))
                });
                check::records_size(counted, limits.max_request_bytes)
            }
            _ => Ok(()),
        }
    }
}

impl From<&ArgumentError<'_>> for Error<'static> {
    /// The error response the service sends: serialize it with `to_vec_in` (JSON or CBOR).
    fn from(error: &ArgumentError<'_>) -> Self {
        use alloc::string::ToString as _;
        Error::InvalidArgumentException(shapes::InvalidArgumentException {
            message: Some(Cow::Owned(error.to_string())),
        })
    }
}
