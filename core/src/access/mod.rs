//! The offline access checker: does a role, with its policies, let rotation
//! work, why not, and what does it grant beyond the need?
//!
//! [`eval`] implements IAM's documented evaluation logic for the policy
//! types rotation involves; [`requirements`] derives the requests rotation
//! makes from a [`RotationSpec`](crate::RotationSpec); [`check`] puts them
//! together into a [`CheckReport`].

pub mod condition;
pub mod eval;
pub mod report;
pub mod request;
pub mod requirements;
pub mod validate;

pub use crate::policy::PolicyType;
pub use eval::{evaluate, Decision, Evaluation, NamedPolicy, StatementRef};
pub use report::{
    check, CheckInput, CheckReport, Excess, PolicyInput, RequirementResult, ResourcePolicyVerdict,
};
pub use request::{Request, RequestPrincipal};
pub use validate::{locate_parse_error, uninterpretable, Uninterpretable};
