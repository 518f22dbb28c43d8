//! Linting policies where they live: CloudFormation templates (JSON and
//! YAML, with the short-form tags), Terraform plans and JSON
//! configurations, as well as bare policy documents.
//!
//! ```
//! use rotation_policy_core::lint::LintOptions;
//! use rotation_policy_core::template::{lint_file, Kind};
//!
//! let template = b"Resources:
//!   Invoke:
//!     Type: AWS::Lambda::Permission
//!     Properties:
//!       Action: lambda:InvokeFunction
//!       FunctionName: !GetAtt RotationFunction.Arn
//!       Principal: secretsmanager.amazonaws.com
//! ";
//! let linted = lint_file("template.yaml", template, &LintOptions::default()).unwrap();
//! assert_eq!(linted.kind(), Kind::CloudFormation);
//! let finding = &linted.findings()[0];
//! assert_eq!(finding.code(), "RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL");
//! assert_eq!(finding.pointer(), "/Resources/Invoke/Properties/Principal");
//! assert_eq!((finding.line(), finding.column()), (7, 18));
//! ```
//!
//! Each policy document is written out as JSON (intrinsic functions as
//! `${...}` placeholders), linted by [`crate::lint::lint`]
//! with the policy type its resource gives it, and each finding is placed
//! back in the template: its pointer starts at the template's root (with
//! the resource's logical id) and its line and column are the template's.
//! The file is read once into a located tree.

mod cfn;
mod extract;
mod rotation;
mod terraform;
mod tree;

use crate::lint::reader::Document;
use crate::lint::{lint, lint_document, Finding, LintOptions};
pub use rotation::{
    rotation_template, RotationTemplate, Selection, Stands, TemplateArg, TemplateError, TemplatePolicy,
};
pub use tree::ReadError;
use tree::{Lines, Node};

/// What a file turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Kind {
    /// A policy document (JSON, or YAML with a top-level `Statement`).
    Policy,
    /// A CloudFormation template (JSON or YAML).
    CloudFormation,
    /// The JSON of a Terraform plan (`terraform show -json`).
    TerraformPlan,
    /// A Terraform configuration in JSON syntax (`.tf.json`).
    TerraformConfiguration,
    /// Valid JSON or YAML that is none of these (a `package.json`, a CI
    /// configuration). A JSON one is still linted as a policy, for a caller
    /// that named it.
    Unrecognised,
}

impl Kind {
    /// A name for messages: `policy`, `CloudFormation template`, ...
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Policy => "policy",
            Kind::CloudFormation => "CloudFormation template",
            Kind::TerraformPlan => "Terraform plan",
            Kind::TerraformConfiguration => "Terraform configuration",
            Kind::Unrecognised => "unrecognised file",
        }
    }
}

/// The result of [`lint_file`].
#[derive(Debug, Clone, PartialEq)]
pub struct Linted {
    kind: Kind,
    findings: Vec<Finding>,
    notes: Vec<String>,
    policies: usize,
}

impl Linted {
    /// What the file was.
    pub fn kind(&self) -> Kind {
        self.kind
    }
    /// The findings, in the file's own lines, columns and pointers, ordered by position.
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }
    /// The findings, owned.
    pub fn into_findings(self) -> Vec<Finding> {
        self.findings
    }
    /// What could not be linted and why (a transform's resources, a
    /// Terraform expression): one sentence each.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }
    /// How many policy documents were linted.
    pub fn policies(&self) -> usize {
        self.policies
    }
}

/// Lints a file: a policy document, a CloudFormation template, a Terraform
/// plan or JSON configuration, recognised by its content (`name`'s
/// extension only decides between JSON and YAML for text that starts
/// neither with `{` nor `[`). JSON is read first; a file that is not JSON
/// and not named `.json` is read as YAML.
///
/// # Errors
///
/// YAML that does not parse, an alias, an unknown tag: the first such error
/// with its line and column. (A JSON syntax error is the finding
/// `JSON_SYNTAX_ERROR`, as for a bare policy.)
pub fn lint_file(name: &str, source: &[u8], options: &LintOptions) -> Result<Linted, ReadError> {
    let Ok(text) = std::str::from_utf8(source) else {
        // The linter reports invalid UTF-8 with its position.
        return Ok(policy(lint(source, options)));
    };
    let starts_json = text.trim_start().starts_with(['{', '[']);
    let yaml_name = YAML_EXTENSIONS.iter().any(|ext| ends_with_ignore_case(name, ext));
    let parsed = Document::parse(text);
    // A document with none of the top-level keys of a template, a plan or a
    // configuration is a policy (or nothing the linter knows): the document
    // read here is the one linted, without a second parse or a tree of it.
    if let Some(doc) = parsed
        .as_ref()
        .ok()
        .filter(|doc| !TOP_LEVEL_KEYS.iter().any(|k| doc.get(doc.root(), k).is_some()))
    {
        let kind = if ["Statement", "Version"]
            .iter()
            .any(|k| doc.get(doc.root(), k).is_some())
        {
            Kind::Policy
        } else {
            Kind::Unrecognised
        };
        let mut linted = policy(lint_document(doc, options));
        linted.kind = kind;
        return Ok(linted);
    }
    let lines = Lines::new(text);
    let (root, is_json) = match parsed {
        Ok(doc) => (tree::from_json(&doc, &lines), true),
        Err(_) if yaml_name || !(starts_json || ends_with_ignore_case(name, ".json")) => {
            (tree::from_yaml(text, &lines)?, false)
        }
        // The linter reports the syntax error.
        Err(_) => return Ok(policy(lint(source, options))),
    };
    let (kind, policies, notes) = if cfn::is_template(&root) {
        (
            Kind::CloudFormation,
            cfn::policies(&root),
            cfn::transform_notes(&root),
        )
    } else if terraform::is_plan(&root) {
        let (policies, notes) = terraform::plan_policies(&root);
        (Kind::TerraformPlan, policies, notes)
    } else if terraform::is_configuration(&root) {
        let (policies, expressions) = terraform::configuration_policies(&root);
        let notes = expressions
            .into_iter()
            .map(|at| format!("`{at}` is a Terraform expression, which cannot be evaluated here; not linted"))
            .collect();
        (Kind::TerraformConfiguration, policies, notes)
    } else if is_json {
        let kind = if looks_like_policy(&root) {
            Kind::Policy
        } else {
            Kind::Unrecognised
        };
        let mut linted = policy(lint(source, options));
        linted.kind = kind;
        return Ok(linted);
    } else if looks_like_policy(&root) {
        // A policy written in YAML.
        let policy = extract::Policy {
            node: std::borrow::Cow::Borrowed(&root),
            pointer: String::new(),
            policy_type: options.policy_type,
            interpolated: false,
        };
        return Ok(self::policy(extract::lint_policy(&policy, text, &lines)));
    } else {
        return Ok(Linted {
            kind: Kind::Unrecognised,
            findings: Vec::new(),
            notes: Vec::new(),
            policies: 0,
        });
    };
    let mut findings: Vec<Finding> = policies
        .iter()
        .flat_map(|p| extract::lint_policy(p, text, &lines))
        .collect();
    findings.sort_by_key(|f| f.span.start);
    Ok(Linted {
        kind,
        findings,
        notes,
        policies: policies.len(),
    })
}

/// The keys that mark a template (`Resources`), a plan (`planned_values`)
/// or a JSON configuration (`resource`).
const TOP_LEVEL_KEYS: [&str; 3] = ["Resources", "planned_values", "resource"];

/// The file-name endings of YAML CloudFormation templates (any case).
const YAML_EXTENSIONS: [&str; 3] = [".yaml", ".yml", ".template"];

/// Whether a file named `name` is one [`lint_file`] reads when met in a
/// directory: JSON (policies, CloudFormation templates, Terraform plans and
/// `.tf.json`) or YAML (CloudFormation templates), by its ending, in any case.
pub fn reads_file_named(name: &str) -> bool {
    ends_with_ignore_case(name, ".json") || YAML_EXTENSIONS.iter().any(|ext| ends_with_ignore_case(name, ext))
}

/// Whether `name` ends with `suffix`, ignoring ASCII case.
fn ends_with_ignore_case(name: &str, suffix: &str) -> bool {
    name.len()
        .checked_sub(suffix.len())
        .and_then(|at| name.as_bytes().get(at..))
        .is_some_and(|tail| tail.eq_ignore_ascii_case(suffix.as_bytes()))
}

fn policy(findings: Vec<Finding>) -> Linted {
    Linted {
        kind: Kind::Policy,
        findings,
        notes: Vec::new(),
        policies: 1,
    }
}

/// A top-level `Statement` or `Version`: what every policy document has.
fn looks_like_policy(root: &Node) -> bool {
    root.get("Statement").is_some() || root.get("Version").is_some()
}

#[cfg(test)]
mod tests;
