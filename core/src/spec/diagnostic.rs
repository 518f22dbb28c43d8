//! What a rotation spec's validation reports: structured diagnostics that
//! each door renders (a compile error with a span, a CLI line naming the flag).

use std::fmt;
use std::ops::Range;

use super::field::Field;
use crate::arn::{ArnError, ArnErrorKind};
use crate::severity::Severity;

/// What a diagnostic is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DiagnosticKind {
    /// A required key is missing (`strategy`).
    MissingKey,
    /// The key is not one of the spec's keys.
    UnknownKey,
    /// The key was given twice.
    DuplicateKey,
    /// The value has the wrong type for the key.
    WrongValueType,
    /// An identifier value the key does not know (`strategy: triple`).
    UnknownValue,
    /// The value is a malformed ARN or account id, or of the wrong service
    /// or resource type; the inner kind says which.
    InvalidValue(ArnErrorKind),
    /// Two ARNs are in different partitions.
    PartitionMismatch,
    /// An ARN's account differs from `account` or from another ARN's.
    AccountMismatch,
    /// `superuser_secret` is the rotated secret itself.
    SuperuserSecretIsSecret,
    /// `superuser_kms` without a superuser secret to decrypt.
    SuperuserKmsWithoutSuperuserSecret,
    /// A superuser secret managed by RDS (`rds!...`) in another account
    /// than the function's.
    RdsManagedSecretInAnotherAccount,
    /// An engine whose AWS function also reads a superuser secret, with
    /// none given (warning).
    EngineNeedsSuperuserSecret,
    /// A secret ARN without the 6-character suffix: IAM matches it against
    /// no secret (warning).
    SecretSuffixMissing,
}

/// Which token of a `key: value` pair a diagnostic points at: a pair has
/// these two, and no more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Part {
    /// The key.
    Key,
    /// The value.
    Value,
}

/// A structured problem with a spec: kind, where, and a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    kind: DiagnosticKind,
    severity: Severity,
    field: Option<Field>,
    part: Part,
    range: Option<Range<usize>>,
    related: Option<Field>,
    message: String,
}

impl Diagnostic {
    pub(crate) fn error(kind: DiagnosticKind, field: Option<Field>, part: Part, message: String) -> Self {
        Diagnostic {
            kind,
            severity: Severity::Error,
            field,
            part,
            range: None,
            related: None,
            message,
        }
    }

    pub(crate) fn warning(kind: DiagnosticKind, field: Field, range: Range<usize>, message: String) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            range: Some(range),
            ..Diagnostic::error(kind, Some(field), Part::Value, message)
        }
    }

    pub(crate) fn invalid_value(field: Field, err: ArnError) -> Self {
        Diagnostic {
            range: Some(err.range()),
            ..Diagnostic::error(
                DiagnosticKind::InvalidValue(err.kind()),
                Some(field),
                Part::Value,
                format!("invalid `{field}`: {}", err.message()),
            )
        }
    }

    /// A contradiction between `field` and `related`.
    pub(crate) fn cross(
        kind: DiagnosticKind,
        field: Field,
        related: Field,
        range: Option<Range<usize>>,
        message: String,
    ) -> Self {
        Diagnostic {
            range,
            related: Some(related),
            ..Diagnostic::error(kind, Some(field), Part::Value, message)
        }
    }

    /// What is wrong.
    pub fn kind(&self) -> DiagnosticKind {
        self.kind
    }
    /// [`Severity::Error`] or [`Severity::Warning`].
    pub fn severity(&self) -> Severity {
        self.severity
    }
    /// The key concerned (`None` for an unknown key).
    pub fn field(&self) -> Option<Field> {
        self.field
    }
    /// Whether the key or its value is at fault.
    pub fn part(&self) -> Part {
        self.part
    }
    /// The byte range inside the value's text, for ARN problems.
    pub fn range(&self) -> Option<Range<usize>> {
        self.range.clone()
    }
    /// The other key of a cross-field contradiction.
    pub fn related(&self) -> Option<Field> {
        self.related
    }
    /// The message: lowercase, names in backticks, no trailing period.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Every error `build` found, in field order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    diagnostics: Vec<Diagnostic>,
}

impl SpecError {
    pub(crate) fn new(diagnostics: Vec<Diagnostic>) -> Self {
        SpecError { diagnostics }
    }
    /// The diagnostics, in field order.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }
    /// The diagnostics, owned.
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diagnostics
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            f.write_str(&d.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for SpecError {}
