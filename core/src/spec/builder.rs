//! Collecting the options and validating them all at once.

use super::check;
use super::diagnostic::{Diagnostic, DiagnosticKind, Part, SpecError};
use super::field::Field;
use super::placeholder::Placeholder;
use super::{Engine, Kms, Profile, RotationSpec, Slot, Strategy};
use crate::arn::{AccountId, ArnError, FunctionArn, KmsKeyArn, SecretArn};
use crate::suggest;

/// A value as a key-value front end (the `rotation_policy!` macro) read it.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DslValue<'a> {
    /// A string literal.
    Str(&'a str),
    /// `true` or `false`.
    Bool(bool),
    /// A bare identifier such as `alternating_users`.
    Ident(&'a str),
    /// Anything else, described for the message (`an integer literal`).
    Other(&'a str),
    /// A value the front end could not read and has already reported (an
    /// `env!` of an unset variable): the field is taken as given, so that
    /// nothing is reported twice.
    Unreadable,
}

impl DslValue<'_> {
    fn describe(self) -> String {
        match self {
            DslValue::Str(s) => format!("the string \"{s}\""),
            DslValue::Bool(b) => format!("`{b}`"),
            DslValue::Ident(i) => format!("`{i}`"),
            DslValue::Other(found) => found.to_owned(),
            DslValue::Unreadable => "a value that could not be read".to_owned(),
        }
    }
}

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
    random_password: Option<bool>,
    engine: Option<Engine>,
    profile: Option<Profile>,
    /// Fields given through [`RotationSpecBuilder::set`], for duplicate
    /// detection.
    set_fields: Vec<Field>,
    /// Fields whose value [`RotationSpecBuilder::set`] rejected: what `build`
    /// would derive from their absence is a follow-on error, not reported.
    rejected: Vec<Field>,
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
    /// Sets `random_password`: whether the function calls
    /// `secretsmanager:GetRandomPassword` (AWS's password rotation functions
    /// do; token and key rotators usually don't). Default `true`.
    pub fn random_password(mut self, random_password: bool) -> Self {
        self.random_password = Some(random_password);
        self
    }
    /// Sets `engine`: the AWS-provided rotation function in use, whose calls
    /// beyond Secrets Manager the execution role policy then grants.
    /// Default [`Engine::Generic`] (no extra calls).
    pub fn engine(mut self, engine: Engine) -> Self {
        self.engine = Some(engine);
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
    #[doc(hidden)]
    pub fn set(&mut self, key: &str, value: DslValue<'_>) -> Result<Field, Diagnostic> {
        let field = Field::parse_key(key)?;
        if self.set_fields.contains(&field) {
            return Err(Diagnostic::error(
                DiagnosticKind::DuplicateKey,
                Some(field),
                Part::Key,
                format!("duplicate key `{field}`"),
            ));
        }
        // A key given twice is a duplicate even if its first value was rejected.
        self.set_fields.push(field);
        let result = self.set_value(field, value);
        if result.is_err() || value == DslValue::Unreadable {
            self.rejected.push(field);
        }
        result.map(|()| field)
    }

    fn set_value(&mut self, field: Field, value: DslValue<'_>) -> Result<(), Diagnostic> {
        let unknown_ident = |name: &str, names: &mut dyn Iterator<Item = &'static str>| {
            let hint = suggest::did_you_mean(name, names);
            Diagnostic::error(
                DiagnosticKind::UnknownValue,
                Some(field),
                Part::Value,
                format!("unknown {field} `{name}`, expected {}{hint}", field.expected()),
            )
        };
        let owned = |s: &str| Some(s.to_owned());
        match (field, value) {
            (_, DslValue::Unreadable) => {}
            (Field::Strategy, DslValue::Ident(name)) => {
                let strategy = Strategy::from_name(name)
                    .ok_or_else(|| unknown_ident(name, &mut Strategy::ALL.into_iter().map(Strategy::name)))?;
                self.strategy = Some(strategy);
            }
            (Field::Profile, DslValue::Ident(name)) => {
                let profile = Profile::from_name(name)
                    .ok_or_else(|| unknown_ident(name, &mut Profile::ALL.into_iter().map(Profile::name)))?;
                self.profile = Some(profile);
            }
            (Field::Engine, DslValue::Ident(name)) => {
                let engine = Engine::from_name(name)
                    .ok_or_else(|| unknown_ident(name, &mut Engine::ALL.into_iter().map(Engine::name)))?;
                self.engine = Some(engine);
            }
            (Field::Account, DslValue::Str(s)) => self.account = owned(s),
            (Field::Secret, DslValue::Str(s)) => self.secret = owned(s),
            (Field::Function, DslValue::Str(s)) => self.function = owned(s),
            (Field::SuperuserSecret, DslValue::Str(s)) => self.superuser_secret = owned(s),
            (Field::SuperuserKms, DslValue::Str(s)) => self.superuser_kms = owned(s),
            (Field::Kms, DslValue::Str(s)) => self.kms = Kms::Key(s.to_owned()),
            (Field::Kms, DslValue::Bool(b)) => {
                self.kms = if b { Kms::CustomerManaged } else { Kms::AwsManaged }
            }
            (Field::Vpc, DslValue::Bool(b)) => self.vpc = Some(b),
            (Field::SourceArn, DslValue::Bool(b)) => self.source_arn = Some(b),
            (Field::RandomPassword, DslValue::Bool(b)) => self.random_password = Some(b),
            _ => {
                return Err(Diagnostic::error(
                    DiagnosticKind::WrongValueType,
                    Some(field),
                    Part::Value,
                    format!(
                        "`{field}` expects {}, found {}",
                        field.expected(),
                        value.describe()
                    ),
                ))
            }
        }
        Ok(())
    }

    /// Validates every option and cross-field rule; returns the spec, or
    /// every error found, in field order. Warnings stay available on the spec.
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
        check::check_strategy_given(d, self.strategy);
        let strategy = self.strategy.unwrap_or(Strategy::SingleUser);

        // Cross-field rules, on the values that parsed.
        let arns = [
            (Field::Secret, secret.as_ref().map(SecretArn::arn)),
            (Field::Function, function.as_ref().map(FunctionArn::arn)),
            (
                Field::SuperuserSecret,
                superuser_secret.as_ref().map(SecretArn::arn),
            ),
            (Field::Kms, kms_key.as_ref().map(KmsKeyArn::arn)),
            (Field::SuperuserKms, superuser_kms.as_ref().map(KmsKeyArn::arn)),
        ];
        let arns: Vec<_> = arns.into_iter().filter_map(|(f, arn)| Some((f, arn?))).collect();
        check::check_one_partition(d, &arns);
        // An invalid `account` is already reported: compare with nothing then.
        if account.is_some() || self.account.is_none() {
            // An RDS-managed superuser secret has a rule of its own.
            let rds_managed = superuser_secret.as_ref().filter(|s| s.is_rds_managed());
            let others: Vec<_> = arns
                .iter()
                .copied()
                .filter(|(f, _)| !(*f == Field::SuperuserSecret && rds_managed.is_some()))
                .collect();
            check::check_one_account(d, account.as_ref(), &others);
            check::check_rds_managed_superuser_in_account(d, account.as_ref(), &others, rds_managed);
        }
        check::check_superuser_secret_is_not_secret(d, secret.as_ref(), superuser_secret.as_ref());
        check::check_superuser_kms_has_secret(
            d,
            self.superuser_kms.is_some()
                && self.superuser_secret.is_none()
                && strategy == Strategy::SingleUser,
        );
        // What follows from a value the front end rejected is not news.
        diagnostics.retain(|d| {
            ![d.field(), d.related()]
                .iter()
                .flatten()
                .any(|f| self.rejected.contains(f))
        });
        diagnostics.sort_by_key(Diagnostic::field);
        if !diagnostics.is_empty() || !self.rejected.is_empty() {
            return Err(SpecError::new(diagnostics));
        }
        let partition = arns.first().map(|(_, a)| a.partition());

        let mut warnings = Vec::new();
        check::check_secret_suffix(&mut warnings, Field::Secret, secret.as_ref());
        check::check_secret_suffix(&mut warnings, Field::SuperuserSecret, superuser_secret.as_ref());
        let engine = self.engine.unwrap_or_default();
        check::check_db2_has_superuser_secret(
            &mut warnings,
            engine == Engine::Db2 && self.superuser_secret.is_none() && strategy == Strategy::SingleUser,
        );

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
            random_password: self.random_password.unwrap_or(true),
            engine,
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
