//! Placeholder, replaced before landing.
