//! The official Rust SDK (`aws-sdk-kinesis`) pointed at a local endpoint: the plain-HTTP hyper
//! client of `aws-smithy-http-client` (no TLS stack), made-up static credentials, behaviour
//! version latest, and an operation timeout so that a hung endpoint fails the test.

use std::time::Duration;

use aws_sdk_kinesis::config::timeout::TimeoutConfig;
use aws_sdk_kinesis::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_kinesis::Client;

/// A client for the endpoint at `address` (`HOST:PORT`, plain HTTP).
pub fn client(address: &str) -> Client {
    let config = aws_sdk_kinesis::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            "AKIDLOCALPEER",
            "local-secret",
            None,
            None,
            "static",
        ))
        .endpoint_url(format!("http://{address}"))
        .http_client(aws_smithy_http_client::Builder::new().build_http())
        .timeout_config(
            TimeoutConfig::builder()
                .operation_timeout(Duration::from_secs(30))
                .build(),
        )
        .build();
    Client::from_conf(config)
}
