//! The policy linter: checks any IAM policy document (identity or resource
//! policy) and reports [`Finding`]s with Access Analyzer's issue codes.
//!
//! ```
//! use rotation_policy_core::lint::{lint, LintOptions, PolicyType};
//!
//! let policy = br#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
//!     "Action": "secretsmanager:GetSecretValu", "Resource": "*"}]}"#;
//! let findings = lint(policy, &LintOptions { policy_type: Some(PolicyType::Identity) });
//! assert_eq!(findings[0].code(), "ACTION_NOT_IN_CATALOG");
//! assert_eq!(findings[0].pointer(), "/Statement/0/Action");
//! assert_eq!((findings[0].line(), findings[0].column()), (2, 15));
//! ```
//!
//! The reader ([`reader`]) keeps every value's byte range, so each finding
//! carries an RFC 6901 pointer and a 1-based line and column. Checks are
//! grouped by policy element: document and statement structure, actions,
//! resources, conditions and policy variables, each in its own module. The action and condition-key
//! data come from [`Catalog::get`], parsed once per process.
//!
//! Choices where AWS leaves room:
//!
//! - `${Name}` that is not a condition key (`${SecretArn}`,
//!   `${AWS::AccountId}`) is a template placeholder, not a policy variable:
//!   `UNRESOLVED_TEMPLATE_PLACEHOLDER` (a warning), and ARN checks read it as
//!   `*`. Generate with concrete values to lint clean.
//! - Resource-policy rules are Lambda's (the resource policy rotation needs):
//!   statement ids of letters, digits, `-` and `_`; the 20 KB quota.
//! - Element names, `Effect` values and operator names are case-sensitive;
//!   action names and condition keys are not (IAM User Guide, "IAM JSON
//!   policy element reference").
//!
//! Linting is linear in the input size (plus the catalog look-ups per
//! action, resource and key); the caller bounds the input size (the CLI
//! refuses files above 4 MiB).

mod action;
mod condition;
mod finding;
pub mod reader;
mod resource;
mod statement;
mod stmt;
mod variable;

use crate::policy::wildcard::has_wildcard;

use std::ops::Range;

use crate::catalog::Catalog;
pub use crate::severity::Severity;
pub use finding::{Check, Finding};
use reader::{Document, NodeId};

pub use crate::policy::PolicyType;

/// The checks that do not apply to a key policy: KMS's default key policy
/// has the Sid `Enable IAM User Permissions` (AWS KMS Developer Guide,
/// "Default key policy"), which Lambda's Sid rule would reject, and a key
/// policy may be 32 KB (AWS KMS Developer Guide, "Quotas").
const KEY_POLICY_EXEMPT: &[Check] = &[
    Check::UNSUPPORTED_SID,
    Check::POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA,
];

/// The checks that do not apply to a trust policy: it has no `Resource`
/// (IAM User Guide, "IAM JSON policy elements: Resource": a role's trust
/// policy does not use it), and a service principal assuming a role for
/// itself (`lambda.amazonaws.com`) is the execution role's ordinary trust,
/// not the confused deputy Access Analyzer's
/// `RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL` is about (IAM User Guide, "The
/// confused deputy problem", which asks for the keys in resource policies).
const TRUST_POLICY_EXEMPT: &[Check] = &[
    Check::MISSING_RESOURCE,
    Check::RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL,
];

/// Options of [`lint`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct LintOptions {
    /// The policy type; `None` (the default) detects it: a `Principal` or
    /// `NotPrincipal` in any statement makes a resource policy, otherwise an
    /// identity policy.
    pub policy_type: Option<PolicyType>,
}

/// Lints a policy document. Never panics, whatever the bytes: invalid UTF-8
/// and JSON syntax errors become a `JSON_SYNTAX_ERROR` finding. Findings are
/// ordered by position.
pub fn lint(source: &[u8], options: &LintOptions) -> Vec<Finding> {
    let text = match std::str::from_utf8(source) {
        Ok(text) => text,
        Err(err) => {
            let at = err.valid_up_to();
            let valid = std::str::from_utf8(source.get(..at).unwrap_or_default()).unwrap_or_default();
            let (line, column) = line_column(valid, at);
            return vec![Finding {
                code: Check::JSON_SYNTAX_ERROR.code,
                severity: Check::JSON_SYNTAX_ERROR.severity,
                message: format!("invalid UTF-8 at byte {at}: a policy document must be UTF-8 text"),
                pointer: String::new(),
                line,
                column,
                span: at..(at + 1).min(source.len()),
            }];
        }
    };
    let doc = match Document::parse(text) {
        Ok(doc) => doc,
        Err(err) => {
            let (line, column) = line_column(text, err.offset);
            return vec![Finding {
                code: Check::JSON_SYNTAX_ERROR.code,
                severity: Check::JSON_SYNTAX_ERROR.severity,
                message: err.message,
                pointer: String::new(),
                line,
                column,
                // The offending character, or an empty span at the end of
                // the input: a span never leaves the text or splits a character.
                span: err.offset
                    ..err.offset
                        + text
                            .get(err.offset..)
                            .and_then(|t| t.chars().next())
                            .map_or(0, char::len_utf8),
            }];
        }
    };
    lint_document(&doc, options)
}

/// Lints a document already read with [`reader::Document::parse`]: what
/// [`lint`] does after reading, for a caller that read the text itself (the
/// template reader, which parses a file once to tell what it is).
pub fn lint_document(doc: &Document<'_>, options: &LintOptions) -> Vec<Finding> {
    let mut ctx = Ctx::new(doc, Catalog::get(), options.policy_type);
    ctx.run();
    ctx.into_findings()
}

/// 1-based line and character column of byte `offset` in `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let column = before.get(line_start..).map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// What a finding points at.
#[derive(Debug, Clone, Copy)]
enum Target {
    /// A value.
    Value(NodeId),
    /// A member's key.
    Key(NodeId),
    /// A byte range inside a node.
    Within(NodeId, usize, usize),
}

struct Raw {
    check: Check,
    message: String,
    target: Target,
}

/// The resolved policy type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Identity,
    Resource,
}

/// Linting state for one document.
struct Ctx<'d, 'a> {
    doc: &'d Document<'a>,
    catalog: &'static Catalog,
    kind: Kind,
    /// The checks that do not apply to this policy type.
    exempt: &'static [Check],
    /// `"Version": "2012-10-17"` (policy variables work only with it).
    version_2012: bool,
    raw: Vec<Raw>,
    /// "Did you mean" hints for service prefixes the catalog lacks, by
    /// lowercased prefix: a policy names an unknown service once per action
    /// (`deepcomposer:GetModel`, `deepcomposer:ListModels`, ...), and each
    /// hint compares the prefix with every service's.
    service_hints: std::collections::HashMap<String, String>,
}

impl<'d, 'a> Ctx<'d, 'a> {
    fn new(doc: &'d Document<'a>, catalog: &'static Catalog, policy_type: Option<PolicyType>) -> Self {
        let (kind, exempt) = match policy_type {
            Some(PolicyType::Identity) => (Kind::Identity, &[][..]),
            Some(PolicyType::Key) => (Kind::Resource, KEY_POLICY_EXEMPT),
            Some(PolicyType::Trust) => (Kind::Resource, TRUST_POLICY_EXEMPT),
            Some(_) => (Kind::Resource, &[][..]),
            None if stmt::has_principal(doc) => (Kind::Resource, &[][..]),
            None => (Kind::Identity, &[][..]),
        };
        Ctx {
            doc,
            catalog,
            kind,
            exempt,
            version_2012: false,
            raw: Vec::new(),
            service_hints: std::collections::HashMap::new(),
        }
    }

    fn emit(&mut self, check: Check, target: Target, message: String) {
        if self.exempt.contains(&check) {
            return;
        }
        self.raw.push(Raw {
            check,
            message,
            target,
        });
    }

    fn node(&self, id: NodeId) -> &'d reader::Node<'a> {
        self.doc.node(id)
    }

    /// The string of node `id`, if it is one.
    fn str_of(&self, id: NodeId) -> Option<&'d str> {
        self.doc.node(id).as_str()
    }

    /// A string or an array of strings (the form of `Action`, `Resource`,
    /// principal values): the strings with their ids. Other types are a
    /// `DATA_TYPE_MISMATCH`.
    fn string_list(&mut self, id: NodeId, element: &str) -> Vec<(NodeId, &'d str)> {
        let doc = self.doc;
        match &doc.node(id).value {
            reader::JsonValue::String(s) => vec![(id, s.as_ref())],
            reader::JsonValue::Array(children) => {
                let mut out = Vec::with_capacity(children.len());
                for child in children.clone() {
                    match doc.node(child).as_str() {
                        Some(s) => out.push((child, s)),
                        None => self.emit(
                            Check::DATA_TYPE_MISMATCH,
                            Target::Value(child),
                            format!(
                                "`{element}` entries must be strings, found {}",
                                doc.node(child).type_name()
                            ),
                        ),
                    }
                }
                out
            }
            _ => {
                self.emit(
                    Check::DATA_TYPE_MISMATCH,
                    Target::Value(id),
                    format!(
                        "`{element}` must be a string or an array of strings, found {}",
                        doc.node(id).type_name()
                    ),
                );
                Vec::new()
            }
        }
    }

    fn run(&mut self) {
        self.reader_findings();
        statement::check_document(self);
    }

    /// Duplicate keys and characters IAM does not accept.
    fn reader_findings(&mut self) {
        let doc = self.doc;
        for &dup in &doc.duplicate_keys {
            let key = doc.node(dup).key.as_deref().unwrap_or_default();
            self.emit(
                Check::DUPLICATE_JSON_KEY,
                Target::Key(dup),
                format!(
                    "duplicate key `{key}`: JSON leaves the meaning of repeated keys undefined, \
                     so which value IAM uses is unpredictable; keep one"
                ),
            );
        }
        self.unsupported_characters();
    }

    // IAM accepts only TAB, LF, CR and U+0020–U+00FF in a policy document
    // (IAM User Guide, "IAM JSON policy element reference" -> "IAM and AWS STS
    // quotas": "policy documents can contain only the following Unicode
    // characters"). Raw characters are found by their UTF-8 lead byte
    // (>= 0xC4 starts U+0100 and above); escaped ones in decoded strings.
    fn unsupported_characters(&mut self) {
        const LIMIT: usize = 100;
        let doc = self.doc;
        let mut reported = 0;
        let mut last_node = None;
        if !doc.source.is_ascii() {
            for (offset, c) in doc.source.char_indices() {
                if reported >= LIMIT {
                    return;
                }
                if allowed_char(c) {
                    continue;
                }
                let node = doc.node_at(offset);
                if last_node == Some(node) {
                    continue;
                }
                last_node = Some(node);
                reported += 1;
                self.emit(
                    Check::UNSUPPORTED_CHARACTER,
                    Target::Within(node, offset, offset + c.len_utf8()),
                    format!(
                        "character `{c}` (U+{:04X}) is not accepted in IAM policies, which allow only \
                         TAB, LF, CR and U+0020 to U+00FF",
                        u32::from(c)
                    ),
                );
            }
        }
        // Escaped characters: only strings that had escapes are owned.
        if !doc.source.contains("\\u") {
            return;
        }
        for id in 0..node_count(doc) {
            if reported >= LIMIT {
                return;
            }
            let node = doc.node(id);
            let owned_key = matches!(node.key, Some(std::borrow::Cow::Owned(_)));
            let owned_value = matches!(node.value, reader::JsonValue::String(std::borrow::Cow::Owned(_)));
            if !owned_key && !owned_value {
                continue;
            }
            let bad = node
                .key
                .iter()
                .chain(match &node.value {
                    reader::JsonValue::String(s) => Some(s),
                    _ => None,
                })
                .flat_map(|s| s.chars())
                .find(|&c| !allowed_char(c));
            if let Some(c) = bad {
                if last_node == Some(id) {
                    continue;
                }
                reported += 1;
                self.emit(
                    Check::UNSUPPORTED_CHARACTER,
                    Target::Value(id),
                    format!(
                        "escaped character U+{:04X} is not accepted in IAM policies, which allow only \
                         TAB, LF, CR and U+0020 to U+00FF",
                        u32::from(c)
                    ),
                );
            }
        }
    }

    fn into_findings(self) -> Vec<Finding> {
        let doc = self.doc;
        let mut located: Vec<(Range<usize>, Raw)> = self
            .raw
            .into_iter()
            .map(|raw| {
                let span = match raw.target {
                    Target::Value(id) => {
                        let s = &doc.node(id).span;
                        s.start as usize..s.end as usize
                    }
                    Target::Key(id) => {
                        let node = doc.node(id);
                        let start = node.key_start as usize;
                        let key_len = node.key.as_deref().map_or(0, str::len);
                        start..(start + key_len + 2).min(node.span.start as usize).max(start)
                    }
                    Target::Within(_, start, end) => start..end,
                };
                (span, raw)
            })
            .collect();
        located.sort_by_key(|(span, _)| span.start);
        // Line and column in one pass over the source: the findings are
        // sorted by offset, so the column (in characters) advances from the
        // previous finding's on the same line instead of being counted from
        // the line's start each time (which was quadratic for a one-line
        // document with many findings).
        let bytes = doc.source.as_bytes();
        let (mut line, mut scanned) = (1usize, 0usize);
        // The offset up to which the current line's characters are counted, and their count.
        let (mut counted_to, mut chars_before) = (0usize, 0usize);
        located
            .into_iter()
            .map(|(span, raw)| {
                let upto = span.start.min(bytes.len());
                for (i, &b) in bytes.get(scanned..upto).unwrap_or_default().iter().enumerate() {
                    if b == b'\n' {
                        line += 1;
                        counted_to = scanned + i + 1;
                        chars_before = 0;
                    }
                }
                scanned = scanned.max(upto);
                if upto > counted_to {
                    // The source is UTF-8: its characters are its bytes
                    // that are not continuation bytes (10xxxxxx).
                    chars_before += bytes
                        .get(counted_to..upto)
                        .unwrap_or_default()
                        .iter()
                        .filter(|&&b| (b & 0xC0) != 0x80)
                        .count();
                    counted_to = upto;
                }
                let column = chars_before + 1;
                let id = match raw.target {
                    Target::Value(id) | Target::Key(id) | Target::Within(id, ..) => id,
                };
                Finding {
                    code: raw.check.code,
                    severity: raw.check.severity,
                    message: raw.message,
                    pointer: doc.pointer(id),
                    line,
                    column,
                    span,
                }
            })
            .collect()
    }
}

fn node_count(doc: &Document<'_>) -> u32 {
    // The root is stored last.
    doc.root().saturating_add(1)
}

/// Whether IAM accepts `c` in a policy document.
fn allowed_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{ff}')
}

/// Quotas on policy size, in characters other than whitespace.
///
/// Identity: 10,240, the largest identity quota (a role's inline policies
/// together; IAM User Guide, "IAM and AWS STS quotas"), where Access
/// Analyzer's `POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA` fires for a bare
/// identity policy; a managed policy may have 6,144 (see the comment on the
/// size check). Resource: 20 KB for a Lambda function policy (Lambda
/// Developer Guide, "Lambda quotas").
pub const IDENTITY_POLICY_QUOTA: usize = 10_240;
/// See [`IDENTITY_POLICY_QUOTA`].
pub const RESOURCE_POLICY_QUOTA: usize = 20_480;

#[cfg(test)]
mod tests;
