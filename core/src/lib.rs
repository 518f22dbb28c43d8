//! The core of rotation-policy: a typed IAM policy model, ARN and account
//! validation, and the generator of the policies a Secrets Manager rotation
//! Lambda function needs.
//!
//! Every door of the project (the `rotation_policy!` macro, the runtime
//! builder, the `rotation-policy` command) calls these functions; nothing is
//! implemented twice. Validation returns structured [`Diagnostic`]s (kind,
//! field, byte range inside the value, message) that each door renders.
//!
//! ```
//! use rotation_policy_core::{Kms, RotationSpec, Strategy};
//!
//! let spec = RotationSpec::builder(Strategy::AlternatingUsers)
//!     .account("111122223333")
//!     .secret("arn:aws:secretsmanager:us-east-1:111122223333:secret:app-db-AbCdEf")
//!     .function("arn:aws:lambda:us-east-1:111122223333:function:rotate-app-db")
//!     .kms(Kms::CustomerManaged)
//!     .build()
//!     .expect("valid options");
//! let role_policy = spec.execution_role_policy_json();
//! assert!(role_policy.contains("${SuperuserSecretArn}"));
//! assert!(role_policy.contains("${KmsKeyArn}"));
//! ```

#![deny(missing_docs)]
#![forbid(unsafe_code)]

#[cfg(feature = "analysis")]
pub mod access;
pub mod arn;
#[cfg(feature = "analysis")]
pub mod catalog;
#[cfg(feature = "json")]
pub mod cloudformation;
#[cfg(feature = "analysis")]
pub mod lint;
pub mod policy;
mod pretty;
pub mod render;
pub mod rotation;
pub mod suggest;
mod template;

pub use arn::{
    AccountId, Arn, ArnError, ArnErrorKind, FunctionArn, KmsKeyArn, Partition, SecretArn, SecretSuffix,
};
pub use policy::{ConditionValue, Effect, OneOrMany, OrderedMap, PolicyDocument, Principal, Statement};
pub use render::{render, Placeholder, RenderError, RenderProblem};
pub use rotation::{
    Diagnostic, DiagnosticKind, Field, Kms, Part, Profile, RotationSpec, RotationSpecBuilder, Severity, Slot,
    SpecError, Strategy, Value,
};

/// The two policies of a rotation spec as JSON text: what the
/// `rotation_policy!` macro expands to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RotationPolicies {
    /// The Lambda function's resource policy (who may invoke it).
    pub resource_policy: &'static str,
    /// The execution role's policy (what the function may do).
    pub execution_role_policy: &'static str,
}
