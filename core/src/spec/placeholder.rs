//! The `Fn::Sub` placeholders the generator writes where a value was not given.

use std::fmt;

use super::field::Field;
use crate::arn::{ArnError, Partition};

/// A placeholder the generator writes where a value was not given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Placeholder {
    /// `${AWS::AccountId}`: CloudFormation's pseudo parameter.
    AccountId,
    /// `${SecretArn}`
    SecretArn,
    /// `${RotationLambdaArn}`
    RotationLambdaArn,
    /// `${SuperuserSecretArn}`
    SuperuserSecretArn,
    /// `${KmsKeyArn}`
    KmsKeyArn,
    /// `${AWS::Region}`: CloudFormation's pseudo parameter, in the ARNs of
    /// resources beyond Secrets Manager when no given ARN names the region.
    Region,
    /// `${AWS::Partition}`: CloudFormation's pseudo parameter, in the same
    /// ARNs when no ARN was given at all.
    Partition,
}

impl Placeholder {
    /// Every placeholder.
    pub const ALL: [Placeholder; 7] = [
        Placeholder::AccountId,
        Placeholder::SecretArn,
        Placeholder::RotationLambdaArn,
        Placeholder::SuperuserSecretArn,
        Placeholder::KmsKeyArn,
        Placeholder::Region,
        Placeholder::Partition,
    ];

    /// The name between `${` and `}`.
    pub fn name(self) -> &'static str {
        match self {
            Placeholder::AccountId => "AWS::AccountId",
            Placeholder::SecretArn => "SecretArn",
            Placeholder::RotationLambdaArn => "RotationLambdaArn",
            Placeholder::SuperuserSecretArn => "SuperuserSecretArn",
            Placeholder::KmsKeyArn => "KmsKeyArn",
            Placeholder::Region => "AWS::Region",
            Placeholder::Partition => "AWS::Partition",
        }
    }

    /// `${Name}`.
    pub fn token(self) -> String {
        self.token_str().to_owned()
    }

    /// `${Name}`, without an allocation.
    pub fn token_str(self) -> &'static str {
        match self {
            Placeholder::AccountId => "${AWS::AccountId}",
            Placeholder::SecretArn => "${SecretArn}",
            Placeholder::RotationLambdaArn => "${RotationLambdaArn}",
            Placeholder::SuperuserSecretArn => "${SuperuserSecretArn}",
            Placeholder::KmsKeyArn => "${KmsKeyArn}",
            Placeholder::Region => "${AWS::Region}",
            Placeholder::Partition => "${AWS::Partition}",
        }
    }

    /// Looks a placeholder up by name.
    pub fn from_name(name: &str) -> Option<Placeholder> {
        Placeholder::ALL.into_iter().find(|p| p.name() == name)
    }

    /// The spec option whose value fills this placeholder; `None` for the
    /// region and partition, which no option sets (they follow the ARNs).
    pub fn field(self) -> Option<Field> {
        match self {
            Placeholder::AccountId => Some(Field::Account),
            Placeholder::SecretArn => Some(Field::Secret),
            Placeholder::RotationLambdaArn => Some(Field::Function),
            Placeholder::SuperuserSecretArn => Some(Field::SuperuserSecret),
            Placeholder::KmsKeyArn => Some(Field::Kms),
            Placeholder::Region | Placeholder::Partition => None,
        }
    }

    /// Validates `text` as the value of this placeholder: the rule of its
    /// option, or a region / partition name AWS knows.
    pub fn validate(self, text: &str) -> Result<(), ArnError> {
        match (self, self.field()) {
            (_, Some(field)) => field.validate(text),
            (Placeholder::Region, None) => Partition::parse_region(text).map(drop),
            (_, None) => Partition::parse(text).map(drop),
        }
    }

    /// Whether CloudFormation defines it (a pseudo parameter) rather than
    /// the template's `Parameters`.
    pub fn is_pseudo_parameter(self) -> bool {
        self.name().starts_with("AWS::")
    }
}

impl fmt::Display for Placeholder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "${{{}}}", self.name())
    }
}
