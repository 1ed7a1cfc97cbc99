//! Placeholder: replaced by the real bench before landing.
fn main() {}
