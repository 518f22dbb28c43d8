//! The rotation policy generator: options, validation and the two documents.
//!
//! A [`RotationSpec`] is built from the options of DESIGN.md's table, either
//! with typed setters ([`RotationSpecBuilder::account`], ...) or by key name
//! ([`RotationSpecBuilder::set`], which the macro uses). [`RotationSpecBuilder::build`]
//! validates every value and every cross-field rule and reports all problems
//! at once; the spec then renders the Lambda resource policy and the
//! execution role policy.

use std::fmt;
use std::ops::Range;

use crate::arn::{
    AccountId, Arn, ArnError, ArnErrorKind, FunctionArn, KmsKeyArn, Partition, SecretArn, SecretSuffix,
};
use crate::policy::{
    ConditionValue, OneOrMany, OrderedMap, PolicyDocument, Principal, Statement, VERSION_2012_10_17,
};
use crate::render::Placeholder;
use crate::suggest;
use crate::template;

/// How the rotation function changes the credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Strategy {
    /// The function updates the password of the user in the secret.
    SingleUser,
    /// The function switches between two users, using a superuser secret to
    /// update the inactive one.
    AlternatingUsers,
}

impl Strategy {
    /// The canonical names, as the macro writes them.
    pub const NAMES: [&'static str; 2] = ["single_user", "alternating_users"];

    /// Parses `single_user`, `alternating_users`, their aliases `single` and
    /// `alternating`, and the CLI's `single-user` / `alternating-users`.
    pub fn from_name(name: &str) -> Option<Strategy> {
        match name {
            "single_user" | "single-user" | "single" => Some(Strategy::SingleUser),
            "alternating_users" | "alternating-users" | "alternating" => Some(Strategy::AlternatingUsers),
            _ => None,
        }
    }

    /// The canonical name.
    pub fn name(self) -> &'static str {
        match self {
            Strategy::SingleUser => "single_user",
            Strategy::AlternatingUsers => "alternating_users",
        }
    }
}

/// Which version of the execution role policy to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Profile {
    /// Policies that work: no `aws:SourceAccount` in the execution role, and
    /// `kms:DescribeKey` on the key ARN (the AWS page's later revisions and
    /// the hosted-rotation templates).
    #[default]
    Recommended,
    /// The AWS page as published from 2021-12-06 to 2022-05-04, including
    /// its execution-role `aws:SourceAccount` condition, which never matches.
    AwsDoc2021,
}

impl Profile {
    /// The canonical names.
    pub const NAMES: [&'static str; 2] = ["recommended", "aws_doc_2021"];

    /// Parses `recommended` or `aws_doc_2021` (`aws-doc-2021` too).
    pub fn from_name(name: &str) -> Option<Profile> {
        match name {
            "recommended" => Some(Profile::Recommended),
            "aws_doc_2021" | "aws-doc-2021" => Some(Profile::AwsDoc2021),
            _ => None,
        }
    }

    /// The canonical name.
    pub fn name(self) -> &'static str {
        match self {
            Profile::Recommended => "recommended",
            Profile::AwsDoc2021 => "aws_doc_2021",
        }
    }
}

/// The KMS key that encrypts the rotated secret.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Kms {
    /// The AWS managed key `aws/secretsmanager`: no KMS statement needed.
    #[default]
    AwsManaged,
    /// A customer managed key whose ARN is not known yet (`${KmsKeyArn}`).
    CustomerManaged,
    /// A customer managed key with this ARN (validated by `build`).
    Key(String),
}

/// An option key of the rotation spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// `strategy`
    Strategy,
    /// `account`
    Account,
    /// `secret`
    Secret,
    /// `function`
    Function,
    /// `superuser_secret` (alias `separate_secret`)
    SuperuserSecret,
    /// `kms`
    Kms,
    /// `superuser_kms`
    SuperuserKms,
    /// `vpc`
    Vpc,
    /// `source_arn`
    SourceArn,
    /// `profile`
    Profile,
}

// `RotationSpecBuilder::set_fields` holds one bit per field.
const _: () = assert!(Field::ALL.len() <= u16::BITS as usize);

impl Field {
    /// Every field, in the order of DESIGN.md's table.
    pub const ALL: [Field; 10] = [
        Field::Strategy,
        Field::Account,
        Field::Secret,
        Field::Function,
        Field::SuperuserSecret,
        Field::Kms,
        Field::SuperuserKms,
        Field::Vpc,
        Field::SourceArn,
        Field::Profile,
    ];

    /// The key's canonical name.
    pub fn key(self) -> &'static str {
        match self {
            Field::Strategy => "strategy",
            Field::Account => "account",
            Field::Secret => "secret",
            Field::Function => "function",
            Field::SuperuserSecret => "superuser_secret",
            Field::Kms => "kms",
            Field::SuperuserKms => "superuser_kms",
            Field::Vpc => "vpc",
            Field::SourceArn => "source_arn",
            Field::Profile => "profile",
        }
    }

    /// Looks a key up by name, accepting the alias `separate_secret` (the AWS
    /// page's name before 2022-10-05).
    pub fn from_key(key: &str) -> Option<Field> {
        // Indexed, and the lengths compared before the text: this runs for
        // every macro key, at opt-level 0 in a dev build, where `==` on
        // strings is three calls deep.
        let mut i = 0;
        while i < Field::ALL.len() {
            let name = Field::ALL[i].key();
            if name.len() == key.len() && name == key {
                return Some(Field::ALL[i]);
            }
            i += 1;
        }
        (key == "separate_secret").then_some(Field::SuperuserSecret)
    }

    /// Looks a key up like [`Field::from_key`]; an unknown key is an
    /// [`DiagnosticKind::UnknownKey`] diagnostic with a "did you mean". The
    /// macro uses it for a key whose value it could not read.
    pub fn parse_key(key: &str) -> Result<Field, Diagnostic> {
        Field::from_key(key).ok_or_else(|| {
            let names = Field::ALL.map(|f| format!("`{}`", f.key())).join(", ");
            let hint = suggest::closest(
                key,
                Field::ALL.map(Field::key).into_iter().chain(["separate_secret"]),
            )
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_default();
            Diagnostic::error(
                DiagnosticKind::UnknownKey,
                None,
                Part::Key,
                format!("unknown key `{key}`, expected one of {names}{hint}"),
            )
        })
    }

    /// What values the key takes, for messages.
    pub fn expected(self) -> &'static str {
        match self {
            Field::Strategy => "`single_user` or `alternating_users`",
            Field::Account => "a 12-digit account id string",
            Field::Secret | Field::SuperuserSecret => "a Secrets Manager secret ARN string",
            Field::Function => "a Lambda function ARN string",
            Field::Kms => "`true`, `false` or a KMS key ARN string",
            Field::SuperuserKms => "a KMS key ARN string",
            Field::Vpc | Field::SourceArn => "`true` or `false`",
            Field::Profile => "`recommended` or `aws_doc_2021`",
        }
    }

    /// Validates `text` as this field's string value: the rule `build` and
    /// the renderer share.
    pub fn validate(self, text: &str) -> Result<(), ArnError> {
        match self {
            Field::Account => AccountId::parse(text).map(drop),
            Field::Secret | Field::SuperuserSecret => SecretArn::parse(text).map(drop),
            Field::Function => FunctionArn::parse(text).map(drop),
            Field::Kms | Field::SuperuserKms => KmsKeyArn::parse(text).map(drop),
            Field::Strategy | Field::Vpc | Field::SourceArn | Field::Profile => Ok(()),
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// A value as written in the macro DSL (or any other key-value front end).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value<'a> {
    /// A string literal.
    Str(&'a str),
    /// `true` or `false`.
    Bool(bool),
    /// A bare identifier such as `alternating_users`.
    Ident(&'a str),
}

impl Value<'_> {
    fn describe(self) -> String {
        match self {
            Value::Str(s) => format!("the string \"{s}\""),
            Value::Bool(b) => format!("`{b}`"),
            Value::Ident(i) => format!("`{i}`"),
        }
    }
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// The spec is unusable; `build` fails.
    Error,
    /// The spec works as written, but likely not as meant.
    Warning,
}

/// What a diagnostic is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
    /// A secret ARN without the 6-character suffix: IAM matches it against
    /// no secret (warning).
    SecretSuffixMissing,
}

/// Which token of a `key: value` pair a diagnostic points at.
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
    /// What is wrong.
    pub kind: DiagnosticKind,
    /// Error or warning.
    pub severity: Severity,
    /// The key concerned (`None` for an unknown key).
    pub field: Option<Field>,
    /// Whether the key or its value is at fault.
    pub part: Part,
    /// The byte range inside the value's text, for ARN problems.
    pub range: Option<Range<usize>>,
    /// The other key of a cross-field contradiction.
    pub related: Option<Field>,
    /// The message, lowercase, with names in backticks.
    pub message: String,
}

impl Diagnostic {
    fn error(kind: DiagnosticKind, field: Option<Field>, part: Part, message: String) -> Self {
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

    fn invalid_value(field: Field, err: ArnError) -> Self {
        Diagnostic {
            range: Some(err.range),
            ..Diagnostic::error(
                DiagnosticKind::InvalidValue(err.kind),
                Some(field),
                Part::Value,
                format!("invalid `{field}`: {}", err.message),
            )
        }
    }

    fn cross(
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
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Every error `build` found, in field order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    /// The diagnostics, errors first.
    pub diagnostics: Vec<Diagnostic>,
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

/// Collects the options of a rotation spec; [`RotationSpecBuilder::build`]
/// validates them all at once.
#[derive(Debug, Clone, Default)]
pub struct RotationSpecBuilder {
    strategy: Option<Strategy>,
    account: Option<String>,
    secret: Option<String>,
    function: Option<String>,
    superuser_secret: Option<String>,
    kms: Kms,
    superuser_kms: Option<String>,
    vpc: Option<bool>,
    source_arn: Option<bool>,
    profile: Option<Profile>,
    /// Fields given through [`RotationSpecBuilder::set`], for duplicate
    /// detection: bit `1 << field as u16`.
    set_fields: u16,
}

impl RotationSpecBuilder {
    /// A builder with no option set; `strategy` must be set before `build`.
    pub fn new() -> Self {
        RotationSpecBuilder::default()
    }

    /// Sets `strategy`.
    pub fn strategy(mut self, strategy: Strategy) -> Self {
        self.strategy = Some(strategy);
        self
    }
    /// Sets `account`: the 12-digit id of the secret's account.
    pub fn account(mut self, account: impl Into<String>) -> Self {
        self.account = Some(account.into());
        self
    }
    /// Sets `secret`: the ARN of the rotated secret.
    pub fn secret(mut self, arn: impl Into<String>) -> Self {
        self.secret = Some(arn.into());
        self
    }
    /// Sets `function`: the ARN of the rotation Lambda function.
    pub fn function(mut self, arn: impl Into<String>) -> Self {
        self.function = Some(arn.into());
        self
    }
    /// Sets `superuser_secret`: the ARN of the secret holding the
    /// credentials that update the rotated user.
    pub fn superuser_secret(mut self, arn: impl Into<String>) -> Self {
        self.superuser_secret = Some(arn.into());
        self
    }
    /// Sets `kms`: the key that encrypts the rotated secret.
    pub fn kms(mut self, kms: Kms) -> Self {
        self.kms = kms;
        self
    }
    /// Sets `superuser_kms`: the key that encrypts the superuser secret.
    pub fn superuser_kms(mut self, arn: impl Into<String>) -> Self {
        self.superuser_kms = Some(arn.into());
        self
    }
    /// Sets `vpc`: whether the function runs in a VPC (ENI permissions).
    pub fn vpc(mut self, vpc: bool) -> Self {
        self.vpc = Some(vpc);
        self
    }
    /// Sets `source_arn`: also bind the resource policy to the secret.
    pub fn source_arn(mut self, source_arn: bool) -> Self {
        self.source_arn = Some(source_arn);
        self
    }
    /// Sets `profile`.
    pub fn profile(mut self, profile: Profile) -> Self {
        self.profile = Some(profile);
        self
    }

    /// Sets an option by key name, as the macro DSL writes it. Checks the key
    /// (unknown keys get a suggestion), duplicates, the value's type and
    /// identifier values; string values are validated later by `build`, so
    /// that every problem is reported at once. Returns the field set.
    pub fn set(&mut self, key: &str, value: Value<'_>) -> Result<Field, Diagnostic> {
        let field = Field::parse_key(key)?;
        let bit = 1 << field as u16;
        if self.set_fields & bit != 0 {
            return Err(Diagnostic::error(
                DiagnosticKind::DuplicateKey,
                Some(field),
                Part::Key,
                format!("duplicate key `{field}`"),
            ));
        }
        // A key given twice is a duplicate even if its first value was rejected.
        self.set_fields |= bit;
        let wrong_type = || {
            Diagnostic::error(
                DiagnosticKind::WrongValueType,
                Some(field),
                Part::Value,
                format!(
                    "`{field}` expects {}, found {}",
                    field.expected(),
                    value.describe()
                ),
            )
        };
        let unknown_ident = |name: &str, names: &[&str]| {
            let hint = suggest::closest(name, names.iter().copied())
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            Diagnostic::error(
                DiagnosticKind::UnknownValue,
                Some(field),
                Part::Value,
                format!("unknown {field} `{name}`, expected {}{hint}", field.expected()),
            )
        };
        let owned = |s: &str| Some(s.to_owned());
        match (field, value) {
            (Field::Strategy, Value::Ident(name)) => {
                let strategy =
                    Strategy::from_name(name).ok_or_else(|| unknown_ident(name, &Strategy::NAMES))?;
                self.strategy = Some(strategy);
            }
            (Field::Profile, Value::Ident(name)) => {
                let profile = Profile::from_name(name).ok_or_else(|| unknown_ident(name, &Profile::NAMES))?;
                self.profile = Some(profile);
            }
            (Field::Account, Value::Str(s)) => self.account = owned(s),
            (Field::Secret, Value::Str(s)) => self.secret = owned(s),
            (Field::Function, Value::Str(s)) => self.function = owned(s),
            (Field::SuperuserSecret, Value::Str(s)) => self.superuser_secret = owned(s),
            (Field::SuperuserKms, Value::Str(s)) => self.superuser_kms = owned(s),
            (Field::Kms, Value::Str(s)) => self.kms = Kms::Key(s.to_owned()),
            (Field::Kms, Value::Bool(b)) => self.kms = if b { Kms::CustomerManaged } else { Kms::AwsManaged },
            (Field::Vpc, Value::Bool(b)) => self.vpc = Some(b),
            (Field::SourceArn, Value::Bool(b)) => self.source_arn = Some(b),
            _ => return Err(wrong_type()),
        }
        Ok(field)
    }

    /// Validates every option and cross-field rule; returns the spec, or
    /// every error found. Warnings stay available on the spec.
    pub fn build(&self) -> Result<RotationSpec, SpecError> {
        let mut diagnostics = Vec::new();
        let d = &mut diagnostics;
        let account = parse_field(d, Field::Account, self.account.as_deref(), AccountId::parse);
        let secret = parse_field(d, Field::Secret, self.secret.as_deref(), SecretArn::parse);
        let function = parse_field(d, Field::Function, self.function.as_deref(), FunctionArn::parse);
        let superuser_secret = parse_field(
            d,
            Field::SuperuserSecret,
            self.superuser_secret.as_deref(),
            SecretArn::parse,
        );
        let kms_text = match &self.kms {
            Kms::Key(s) => Some(s.as_str()),
            Kms::AwsManaged | Kms::CustomerManaged => None,
        };
        let kms_key = parse_field(d, Field::Kms, kms_text, KmsKeyArn::parse);
        let superuser_kms = parse_field(
            d,
            Field::SuperuserKms,
            self.superuser_kms.as_deref(),
            KmsKeyArn::parse,
        );

        if self.strategy.is_none() {
            diagnostics.push(Diagnostic::error(
                DiagnosticKind::MissingKey,
                Some(Field::Strategy),
                Part::Key,
                format!("missing key `strategy`, expected {}", Field::Strategy.expected()),
            ));
        }
        let strategy = self.strategy.unwrap_or(Strategy::SingleUser);

        // Cross-field rules, on the values that parsed.
        // Pushed one by one, not collected through adapters: the macro runs
        // this at opt-level 0.
        let mut arns: Vec<(Field, &Arn)> = Vec::with_capacity(5);
        let mut account_bound: Vec<(Field, &Arn)> = Vec::with_capacity(3);
        for (field, arn) in [
            (Field::Secret, secret.as_ref().map(SecretArn::arn)),
            (Field::Function, function.as_ref().map(FunctionArn::arn)),
            (
                Field::SuperuserSecret,
                superuser_secret.as_ref().map(SecretArn::arn),
            ),
            (Field::Kms, kms_key.as_ref().map(KmsKeyArn::arn)),
            (Field::SuperuserKms, superuser_kms.as_ref().map(KmsKeyArn::arn)),
        ] {
            if let Some(arn) = arn {
                arns.push((field, arn));
                // The secret, its superuser secret and the function belong to
                // the account that Secrets Manager invokes the function for. A
                // KMS key may live in another account, so keys are not compared.
                if matches!(field, Field::Secret | Field::Function | Field::SuperuserSecret) {
                    account_bound.push((field, arn));
                }
            }
        }
        // Every ARN in one partition: a role in one partition cannot be
        // granted resources of another (IAM User Guide, "ARN format").
        if let Some(&(first_field, first)) = arns.first() {
            for &(field, arn) in &arns[1..] {
                if arn.partition() != first.partition() {
                    diagnostics.push(Diagnostic::cross(
                        DiagnosticKind::PartitionMismatch,
                        field,
                        first_field,
                        Some(arn.partition_range()),
                        format!(
                            "`{field}` is in partition `{}` but `{first_field}` is in partition `{}`",
                            arn.partition(),
                            first.partition()
                        ),
                    ));
                }
            }
        }
        let reference = match (&account, &self.account) {
            (Some(a), _) => Some((Field::Account, a.as_str())),
            (None, Some(_)) => None, // already reported as invalid
            (None, None) => account_bound.first().map(|(f, a)| (*f, a.account())),
        };
        if let Some((ref_field, ref_account)) = reference {
            for &(field, arn) in account_bound.iter().filter(|(f, _)| *f != ref_field) {
                if arn.account() != ref_account {
                    diagnostics.push(Diagnostic::cross(
                        DiagnosticKind::AccountMismatch,
                        field,
                        ref_field,
                        Some(arn.account_range()),
                        format!(
                            "`{field}` is in account `{}` but `{ref_field}` is `{ref_account}`",
                            arn.account()
                        ),
                    ));
                }
            }
        }
        if let (Some(s), Some(su)) = (&secret, &superuser_secret) {
            if s.as_str() == su.as_str() {
                diagnostics.push(Diagnostic::cross(
                    DiagnosticKind::SuperuserSecretIsSecret,
                    Field::SuperuserSecret,
                    Field::Secret,
                    None,
                    "`superuser_secret` is the same ARN as `secret`: the superuser secret holds other credentials, the ones that update the rotated user".to_owned(),
                ));
            }
        }
        if self.superuser_kms.is_some() && self.superuser_secret.is_none() && strategy == Strategy::SingleUser
        {
            diagnostics.push(Diagnostic::cross(
                DiagnosticKind::SuperuserKmsWithoutSuperuserSecret,
                Field::SuperuserKms,
                Field::SuperuserSecret,
                None,
                "`superuser_kms` is set but there is no superuser secret for `single_user`: set `superuser_secret` or remove `superuser_kms`".to_owned(),
            ));
        }
        diagnostics.sort_by_key(|d| d.field);
        if !diagnostics.is_empty() {
            return Err(SpecError { diagnostics });
        }
        let partition = arns.first().map(|(_, a)| a.partition());
        drop(arns);

        let mut warnings = Vec::new();
        for (field, s) in [
            (Field::Secret, &secret),
            (Field::SuperuserSecret, &superuser_secret),
        ] {
            if let Some(s) = s.as_ref().filter(|s| s.suffix() == SecretSuffix::Missing) {
                warnings.push(Diagnostic {
                    severity: Severity::Warning,
                    range: Some(s.arn().resource_range()),
                    ..Diagnostic::error(
                        DiagnosticKind::SecretSuffixMissing,
                        Some(field),
                        Part::Value,
                        format!(
                            "`{field}` has no 6-character suffix: IAM compares it literally and it matches no secret; use the full ARN or end it with `-??????`"
                        ),
                    )
                });
            }
        }

        // The parsed values own their text: move it into the spec.
        let superuser_secret = match (superuser_secret, strategy) {
            (Some(s), _) => Some(Slot::Given(s.into_string())),
            (None, Strategy::AlternatingUsers) => Some(Slot::Placeholder(Placeholder::SuperuserSecretArn)),
            (None, Strategy::SingleUser) => None,
        };
        let kms = match (&self.kms, kms_key) {
            (_, Some(key)) => Some(Slot::Given(key.into_string())),
            (Kms::CustomerManaged, None) => Some(Slot::Placeholder(Placeholder::KmsKeyArn)),
            _ => None,
        };
        let slot = |given: Option<String>, placeholder| match given {
            Some(s) => Slot::Given(s),
            None => Slot::Placeholder(placeholder),
        };
        Ok(RotationSpec {
            strategy,
            account: slot(account.map(AccountId::into_string), Placeholder::AccountId),
            secret: slot(secret.map(SecretArn::into_string), Placeholder::SecretArn),
            function: slot(
                function.map(FunctionArn::into_string),
                Placeholder::RotationLambdaArn,
            ),
            superuser_secret,
            kms,
            superuser_kms: superuser_kms.map(KmsKeyArn::into_string),
            vpc: self.vpc.unwrap_or(true),
            source_arn: self.source_arn.unwrap_or(false),
            profile: self.profile.unwrap_or_default(),
            partition,
            warnings,
        })
    }
}

/// Parses an optional value, recording a diagnostic for `field` on failure.
fn parse_field<T>(
    diagnostics: &mut Vec<Diagnostic>,
    field: Field,
    text: Option<&str>,
    parse: fn(&str) -> Result<T, ArnError>,
) -> Option<T> {
    parse(text?)
        .map_err(|e| diagnostics.push(Diagnostic::invalid_value(field, e)))
        .ok()
}

/// A value in the generated policies: given, or a `Fn::Sub` placeholder.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Slot {
    /// A validated value.
    Given(String),
    /// A placeholder, written `${Name}`.
    Placeholder(Placeholder),
}

impl Slot {
    /// The text that goes into the policy.
    pub fn text(&self) -> String {
        self.as_str().to_owned()
    }
    /// The text that goes into the policy, borrowed.
    pub fn as_str(&self) -> &str {
        match self {
            Slot::Given(s) => s,
            Slot::Placeholder(p) => p.token_str(),
        }
    }
    /// The placeholder, if the value was not given.
    pub fn placeholder(&self) -> Option<Placeholder> {
        match self {
            Slot::Given(_) => None,
            Slot::Placeholder(p) => Some(*p),
        }
    }
}

/// A validated rotation spec: everything needed to write the policies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RotationSpec {
    strategy: Strategy,
    account: Slot,
    secret: Slot,
    function: Slot,
    superuser_secret: Option<Slot>,
    kms: Option<Slot>,
    superuser_kms: Option<String>,
    vpc: bool,
    source_arn: bool,
    profile: Profile,
    partition: Option<Partition>,
    warnings: Vec<Diagnostic>,
}

/// Secrets Manager's service principal. The same name in every partition
/// the project knows of (unverified for `aws-cn`, see FACTS.md).
pub const SECRETS_MANAGER_PRINCIPAL: &str = "secretsmanager.amazonaws.com";

/// The four calls a rotation function makes on the rotated secret
/// (AWS page, "Lambda function execution role inline policy").
pub const SECRET_ACTIONS: [&str; 4] = [
    "secretsmanager:DescribeSecret",
    "secretsmanager:GetSecretValue",
    "secretsmanager:PutSecretValue",
    "secretsmanager:UpdateSecretVersionStage",
];

/// The network interface calls Lambda makes to attach a function to a VPC.
/// `ec2:DescribeNetworkInterfaces` supports no resource type, so `"*"`.
pub const VPC_ACTIONS: [&str; 4] = [
    "ec2:CreateNetworkInterface",
    "ec2:DeleteNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DetachNetworkInterface",
];

/// KMS actions of the `recommended` profile: the page's later revisions and
/// the hosted-rotation templates add `kms:DescribeKey`.
pub const KMS_ACTIONS_RECOMMENDED: [&str; 3] = ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey"];

/// KMS actions of the 2021 page.
pub const KMS_ACTIONS_AWS_DOC_2021: [&str; 2] = ["kms:Decrypt", "kms:GenerateDataKey"];

fn many(items: &[&str]) -> OneOrMany<String> {
    OneOrMany::Many(items.iter().map(|s| (*s).to_owned()).collect())
}

fn one(text: &str) -> OneOrMany<String> {
    OneOrMany::One(text.to_owned())
}

fn string_equals(entries: &[(&str, &str)]) -> OrderedMap<OneOrMany<ConditionValue>> {
    OrderedMap(
        entries
            .iter()
            .map(|(k, v)| {
                (
                    (*k).to_owned(),
                    OneOrMany::One(ConditionValue::String((*v).to_owned())),
                )
            })
            .collect(),
    )
}

/// The two generated documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Document {
    ResourcePolicy,
    ExecutionRolePolicy,
}

/// The string slots of the generated documents, the indices of [`SlotTexts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SlotName {
    Function,
    Account,
    Secret,
    SuperuserSecret,
    Kms,
    SuperuserKms,
}

impl SlotName {
    pub(crate) const COUNT: usize = 6;
}

/// The text of every slot, indexed by [`SlotName`].
pub(crate) type SlotTexts<'a> = [&'a str; SlotName::COUNT];

/// How the documents grant the secret's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KmsShape {
    /// No customer managed key.
    None,
    /// The key in the `Kms` slot.
    Key,
    /// Any key, on `"*"`.
    AnyKey,
}

/// Everything the generated documents' structure depends on: two specs of
/// the same shape give documents that differ only in their slots' text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Shape {
    profile: Profile,
    source_arn: bool,
    superuser_secret: bool,
    vpc: bool,
    kms: KmsShape,
    superuser_kms: bool,
}

/// The resource policy of `shape`, its slots filled from `v`.
pub(crate) fn resource_policy(shape: Shape, v: &SlotTexts<'_>) -> PolicyDocument {
    let mut condition = OrderedMap::new();
    condition.push(
        "StringEquals",
        string_equals(&[("aws:SourceAccount", v[SlotName::Account as usize])]),
    );
    if shape.source_arn {
        condition.push(
            "ArnLike",
            string_equals(&[("aws:SourceArn", v[SlotName::Secret as usize])]),
        );
    }
    let mut principal = OrderedMap::new();
    principal.push("Service", one(SECRETS_MANAGER_PRINCIPAL));
    let statement = Statement {
        principal: Some(Principal::Map(principal)),
        condition: Some(condition),
        ..Statement::allow(one("lambda:InvokeFunction"), one(v[SlotName::Function as usize]))
    };
    PolicyDocument {
        version: Some(VERSION_2012_10_17.to_owned()),
        id: Some("default".to_owned()),
        statement: OneOrMany::Many(vec![statement]),
    }
}

/// The execution role policy of `shape`, its slots filled from `v`, the
/// statements in DESIGN.md's order.
pub(crate) fn execution_role_policy(shape: Shape, v: &SlotTexts<'_>) -> PolicyDocument {
    let mut statements = Vec::with_capacity(6);
    // 1. The rotated secret, only while this function is its rotation
    // function. The 2021 page also required `aws:SourceAccount`, which is
    // absent from calls made with the role's own credentials.
    let rotation_lambda = (
        "secretsmanager:resource/AllowRotationLambdaArn",
        v[SlotName::Function as usize],
    );
    let source_account = ("aws:SourceAccount", v[SlotName::Account as usize]);
    let equals = match shape.profile {
        Profile::Recommended => string_equals(&[rotation_lambda]),
        Profile::AwsDoc2021 => string_equals(&[rotation_lambda, source_account]),
    };
    let mut condition = OrderedMap::new();
    condition.push("StringEquals", equals);
    statements.push(Statement {
        condition: Some(condition),
        ..Statement::allow(many(&SECRET_ACTIONS), one(v[SlotName::Secret as usize]))
    });
    // 2. Read the superuser credentials.
    if shape.superuser_secret {
        statements.push(Statement::allow(
            many(&["secretsmanager:GetSecretValue"]),
            one(v[SlotName::SuperuserSecret as usize]),
        ));
    }
    // 3. Generate the new password.
    statements.push(Statement::allow(
        many(&["secretsmanager:GetRandomPassword"]),
        one("*"),
    ));
    // 4. Network interfaces for a function in a VPC.
    if shape.vpc {
        statements.push(Statement::allow(many(&VPC_ACTIONS), one("*")));
    }
    // 5. and 6. The keys of the secret and of the superuser secret.
    let kms_actions: &[&str] = match shape.profile {
        Profile::Recommended => &KMS_ACTIONS_RECOMMENDED,
        Profile::AwsDoc2021 => &KMS_ACTIONS_AWS_DOC_2021,
    };
    match shape.kms {
        KmsShape::None => {}
        KmsShape::Key => statements.push(Statement::allow(
            many(kms_actions),
            one(v[SlotName::Kms as usize]),
        )),
        KmsShape::AnyKey => statements.push(Statement::allow(many(kms_actions), one("*"))),
    }
    if shape.superuser_kms {
        statements.push(Statement::allow(
            many(kms_actions),
            one(v[SlotName::SuperuserKms as usize]),
        ));
    }
    PolicyDocument {
        version: Some(VERSION_2012_10_17.to_owned()),
        id: None,
        statement: OneOrMany::Many(statements),
    }
}

impl RotationSpec {
    /// A builder with `strategy` set.
    pub fn builder(strategy: Strategy) -> RotationSpecBuilder {
        RotationSpecBuilder::new().strategy(strategy)
    }

    /// The strategy.
    pub fn strategy(&self) -> Strategy {
        self.strategy
    }
    /// The profile.
    pub fn profile(&self) -> Profile {
        self.profile
    }
    /// The account id, or its placeholder.
    pub fn account(&self) -> &Slot {
        &self.account
    }
    /// The rotated secret's ARN, or its placeholder.
    pub fn secret(&self) -> &Slot {
        &self.secret
    }
    /// The function's ARN, or its placeholder.
    pub fn function(&self) -> &Slot {
        &self.function
    }
    /// The superuser secret, if the strategy or the options call for one.
    pub fn superuser_secret(&self) -> Option<&Slot> {
        self.superuser_secret.as_ref()
    }
    /// The customer managed key of the secret, if any.
    pub fn kms(&self) -> Option<&Slot> {
        self.kms.as_ref()
    }
    /// The superuser secret's key, if given.
    pub fn superuser_kms(&self) -> Option<&str> {
        self.superuser_kms.as_deref()
    }
    /// The superuser secret's key when it is not the secret's key: the key
    /// the policies grant in a statement of its own, and the checker asks
    /// for in a request of its own. `None` when there is no such key or the
    /// secret's key statement already covers it.
    pub fn distinct_superuser_kms(&self) -> Option<&str> {
        self.superuser_kms
            .as_deref()
            .filter(|key| self.kms.as_ref().is_none_or(|k| k.as_str() != *key))
    }
    /// Whether the function runs in a VPC.
    pub fn vpc(&self) -> bool {
        self.vpc
    }
    /// Whether the resource policy is bound to the secret.
    pub fn source_arn(&self) -> bool {
        self.source_arn
    }
    /// The partition of the given ARNs, if any ARN was given.
    pub fn partition(&self) -> Option<Partition> {
        self.partition
    }
    /// Warnings found while building (e.g. a secret ARN without suffix).
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// The placeholders the generated documents contain, in first-use order.
    pub fn placeholders(&self) -> Vec<Placeholder> {
        let mut out = Vec::new();
        // `aws_doc_2021` grants a key of unknown ARN on `"*"` (the page's
        // statement), so its documents hold no `${KmsKeyArn}`.
        let kms = self
            .kms
            .as_ref()
            .filter(|k| !(self.profile == Profile::AwsDoc2021 && k.placeholder().is_some()));
        let slots = [
            Some(&self.function),
            Some(&self.account),
            Some(&self.secret),
            self.superuser_secret.as_ref(),
            kms,
        ];
        for p in slots.into_iter().flatten().filter_map(Slot::placeholder) {
            if !out.contains(&p) {
                out.push(p);
            }
        }
        out
    }

    /// The Lambda function's resource policy: Secrets Manager may invoke the
    /// function, on behalf of this account only (`aws:SourceAccount`, the
    /// confused-deputy guard) and, with `source_arn`, for this secret only.
    pub fn resource_policy(&self) -> PolicyDocument {
        resource_policy(self.shape(), &self.slot_texts())
    }

    /// The execution role's policy, statements in DESIGN.md's order.
    pub fn execution_role_policy(&self) -> PolicyDocument {
        execution_role_policy(self.shape(), &self.slot_texts())
    }

    /// The resource policy as pretty JSON: the macro constant's bytes.
    pub fn resource_policy_json(&self) -> String {
        template::fill(Document::ResourcePolicy, self.shape(), &self.slot_texts())
    }

    /// The execution role policy as pretty JSON: the macro constant's bytes.
    pub fn execution_role_policy_json(&self) -> String {
        template::fill(Document::ExecutionRolePolicy, self.shape(), &self.slot_texts())
    }

    /// Every decision about the documents' structure that depends on the
    /// values, made here once: the documents are a function of this shape and
    /// the slots' text, which only ever fills whole strings.
    fn shape(&self) -> Shape {
        let kms = match (&self.kms, self.profile) {
            (None, _) => KmsShape::None,
            // `aws_doc_2021` grants a key of unknown ARN on `"*"` (the page's
            // statement); given keys are always scoped.
            (Some(Slot::Placeholder(_)), Profile::AwsDoc2021) => KmsShape::AnyKey,
            (Some(_), _) => KmsShape::Key,
        };
        Shape {
            profile: self.profile,
            source_arn: self.source_arn,
            superuser_secret: self.superuser_secret.is_some(),
            vpc: self.vpc,
            kms,
            superuser_kms: self.distinct_superuser_kms().is_some(),
        }
    }

    /// The text of each slot, in [`SlotName`] order; `""` for an absent
    /// one, which the shape then never uses.
    fn slot_texts(&self) -> SlotTexts<'_> {
        [
            self.function.as_str(),
            self.account.as_str(),
            self.secret.as_str(),
            self.superuser_secret.as_ref().map_or("", Slot::as_str),
            self.kms.as_ref().map_or("", Slot::as_str),
            self.superuser_kms.as_deref().unwrap_or(""),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every shape the generator can produce.
    fn shapes() -> Vec<Shape> {
        let mut out = Vec::new();
        for profile in [Profile::Recommended, Profile::AwsDoc2021] {
            for kms in [KmsShape::None, KmsShape::Key, KmsShape::AnyKey] {
                for bits in 0..16u8 {
                    out.push(Shape {
                        profile,
                        kms,
                        source_arn: bits & 1 != 0,
                        superuser_secret: bits & 2 != 0,
                        vpc: bits & 4 != 0,
                        superuser_kms: bits & 8 != 0,
                    });
                }
            }
        }
        out
    }

    #[test]
    fn templates_write_the_same_bytes_as_the_typed_documents_for_any_values() {
        let value_sets: [SlotTexts<'_>; 4] = [
            [
                "arn:aws:lambda:us-east-1:111122223333:function:f",
                "111122223333",
                "arn:aws:secretsmanager:us-east-1:111122223333:secret:s-AbCdEf",
                "arn:aws:secretsmanager:us-east-1:111122223333:secret:su-AbCdEf",
                "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab",
            ],
            [
                "${RotationLambdaArn}",
                "${AWS::AccountId}",
                "${SecretArn}",
                "${SuperuserSecretArn}",
                "${KmsKeyArn}",
                "",
            ],
            // Whatever the values hold, escapes and the sentinel's own
            // characters included, they land escaped in their slot.
            [
                "\"quoted\"",
                "back\\slash",
                "tab\tnew\nline\u{1}",
                "\u{E000}0\u{E000}",
                "é ✓",
                "\u{E000}",
            ],
            ["", "", "", "", "", ""],
        ];
        for shape in shapes() {
            // The templates exist: the comparisons below are not of the
            // direct writer with itself.
            let resource_slots = 2 + usize::from(shape.source_arn);
            assert_eq!(
                template::slot_count(Document::ResourcePolicy, shape),
                Some(resource_slots)
            );
            let role_slots = 2
                + usize::from(shape.profile == Profile::AwsDoc2021)
                + usize::from(shape.superuser_secret)
                + usize::from(shape.kms == KmsShape::Key)
                + usize::from(shape.superuser_kms);
            assert_eq!(
                template::slot_count(Document::ExecutionRolePolicy, shape),
                Some(role_slots)
            );
            for values in &value_sets {
                assert_eq!(
                    template::fill(Document::ResourcePolicy, shape, values),
                    resource_policy(shape, values).to_json_pretty(),
                    "{shape:?}"
                );
                assert_eq!(
                    template::fill(Document::ExecutionRolePolicy, shape, values),
                    execution_role_policy(shape, values).to_json_pretty(),
                    "{shape:?}"
                );
            }
        }
    }

    #[test]
    fn a_superuser_key_equal_to_the_secret_key_gets_no_second_statement() {
        const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        let spec = |superuser_kms: &str| {
            RotationSpec::builder(Strategy::AlternatingUsers)
                .kms(Kms::Key(KEY.to_owned()))
                .superuser_kms(superuser_kms)
                .build()
                .unwrap()
        };
        const OTHER: &str = "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab";
        assert_eq!(spec(KEY).distinct_superuser_kms(), None);
        assert_eq!(spec(OTHER).distinct_superuser_kms(), Some(OTHER));
        let same = spec(KEY).execution_role_policy();
        let other = spec(OTHER).execution_role_policy();
        assert_eq!(other.statements().len(), same.statements().len() + 1);
    }
}
