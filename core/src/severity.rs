//! Severities, shared by the spec's diagnostics (errors and warnings) and
//! the linter's findings (Access Analyzer's four levels).

use std::fmt;

/// How serious a finding or a diagnostic is, in Access Analyzer's four levels. Ordered from
/// least to most serious, so `severity >= threshold` selects findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// Improves the policy without changing what it allows.
    Suggestion,
    /// A likely mistake or a practice to avoid.
    Warning,
    /// Grants more than was probably meant.
    SecurityWarning,
    /// The policy is invalid, or a part of it cannot take effect.
    Error,
}

impl Severity {
    /// Every severity, most serious first.
    pub const ALL: [Severity; 4] = [
        Severity::Error,
        Severity::SecurityWarning,
        Severity::Warning,
        Severity::Suggestion,
    ];

    /// The machine name: `error`, `security_warning`, `warning`, `suggestion`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::SecurityWarning => "security_warning",
            Severity::Warning => "warning",
            Severity::Suggestion => "suggestion",
        }
    }

    /// The human label: `error`, `security warning`, `warning`, `suggestion`.
    pub fn label(self) -> &'static str {
        match self {
            Severity::SecurityWarning => "security warning",
            other => other.as_str(),
        }
    }

    /// Parses a machine name (`security_warning`).
    pub fn from_name(name: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Access Analyzer's spelling in its check list (`SECURITY_WARNING`).
    pub fn access_analyzer_name(self) -> &'static str {
        match self {
            Severity::Error => "ERROR",
            Severity::SecurityWarning => "SECURITY_WARNING",
            Severity::Warning => "WARNING",
            Severity::Suggestion => "SUGGESTION",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}
