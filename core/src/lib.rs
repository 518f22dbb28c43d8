//! The core of rotation-policy: the rotation options and their validation,
//! the documents they yield, IAM's policy language, and (with the `analysis`
//! feature) the linter and the access checker built on it.
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
//!
//! Modules, each with one job: [`spec`] (options, validation, diagnostics),
//! `documents` (the statements a spec yields, as methods of
//! [`RotationSpec`]), [`policy`] (IAM's policy language), [`mod@render`]
//! (placeholders filled at run time), [`arn`] (ARNs and account ids), and
//! with `analysis`: `catalog`, `lint`, `access`.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

#[cfg(feature = "analysis")]
pub mod access;
pub mod arn;
#[cfg(feature = "analysis")]
pub mod catalog;
#[cfg(feature = "serde")]
pub mod cloudformation;
pub mod documents;
#[cfg(feature = "analysis")]
pub mod lint;
pub mod policy;
pub mod render;
pub mod severity;
pub mod spec;
pub mod suggest;
#[cfg(feature = "analysis")]
pub mod template;
#[cfg(feature = "serde")]
pub mod terraform;

pub use arn::{
    AccountId, Arn, ArnError, ArnErrorKind, FunctionArn, KmsKeyArn, Partition, RoleArn, SecretArn,
    SecretSuffix,
};
pub use policy::{ConditionValue, Effect, OneOrMany, OrderedMap, PolicyDocument, Principal, Statement};
pub use render::{render, RenderError, RenderProblem};
pub use severity::Severity;
#[doc(hidden)]
pub use spec::DslValue;
pub use spec::{
    Diagnostic, DiagnosticKind, Engine, Field, Kms, Part, Placeholder, Profile, RotationSpec,
    RotationSpecBuilder, Slot, SpecError, Strategy,
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
