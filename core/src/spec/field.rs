//! The option keys of a rotation spec, as the macro DSL names them.

use std::fmt;

use super::diagnostic::{Diagnostic, DiagnosticKind, Part};
use crate::arn::{AccountId, ArnError, FunctionArn, KmsKeyArn, SecretArn};
use crate::suggest;

/// An option key of the rotation spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
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
    /// `random_password`
    RandomPassword,
    /// `engine`
    Engine,
    /// `profile`
    Profile,
}

/// The alias of `superuser_secret`: the AWS page's name before 2022-10-05.
const SEPARATE_SECRET: &str = "separate_secret";

impl Field {
    /// Every field, in the order of the README's options table.
    pub const ALL: [Field; 12] = [
        Field::Strategy,
        Field::Account,
        Field::Secret,
        Field::Function,
        Field::SuperuserSecret,
        Field::Kms,
        Field::SuperuserKms,
        Field::Vpc,
        Field::SourceArn,
        Field::RandomPassword,
        Field::Engine,
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
            Field::RandomPassword => "random_password",
            Field::Engine => "engine",
            Field::Profile => "profile",
        }
    }

    /// Looks a key up by name, accepting the alias `separate_secret`.
    pub fn from_key(key: &str) -> Option<Field> {
        if key == SEPARATE_SECRET {
            return Some(Field::SuperuserSecret);
        }
        Field::ALL.into_iter().find(|f| f.key() == key)
    }

    /// Looks a key up like [`Field::from_key`]; an unknown key is an
    /// [`DiagnosticKind::UnknownKey`] diagnostic with a "did you mean".
    pub fn parse_key(key: &str) -> Result<Field, Diagnostic> {
        Field::from_key(key).ok_or_else(|| {
            let names = Field::ALL.map(|f| format!("`{}`", f.key())).join(", ");
            let hint = suggest::did_you_mean(
                key,
                Field::ALL.map(Field::key).into_iter().chain([SEPARATE_SECRET]),
            );
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
            Field::Vpc | Field::SourceArn | Field::RandomPassword => "`true` or `false`",
            Field::Engine => {
                "one of `generic`, `mysql`, `postgres`, `mariadb`, `oracle`, `sqlserver`, `db2`, \
                 `redshift`, `documentdb`, `elasticache`, `active_directory`, `influxdb`"
            }
            Field::Profile => "`recommended`, `aws_doc_2021` or `aws_doc_2025`",
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
            Field::Strategy
            | Field::Vpc
            | Field::SourceArn
            | Field::RandomPassword
            | Field::Engine
            | Field::Profile => Ok(()),
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}
