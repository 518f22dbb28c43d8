//! rotation-policy: correct-by-construction IAM policies for AWS Secrets
//! Manager rotation Lambda functions.
//!
//! This facade re-exports the core library (see the README for the full
//! story).

#![forbid(unsafe_code)]

pub use rotation_policy_core::*;
