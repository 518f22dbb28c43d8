//! The `Fn::Sub` placeholders the generator writes where a value was not given.

use std::fmt;

use super::field::Field;

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
}

impl Placeholder {
    /// Every placeholder.
    pub const ALL: [Placeholder; 5] = [
        Placeholder::AccountId,
        Placeholder::SecretArn,
        Placeholder::RotationLambdaArn,
        Placeholder::SuperuserSecretArn,
        Placeholder::KmsKeyArn,
    ];

    /// The name between `${` and `}`.
    pub fn name(self) -> &'static str {
        match self {
            Placeholder::AccountId => "AWS::AccountId",
            Placeholder::SecretArn => "SecretArn",
            Placeholder::RotationLambdaArn => "RotationLambdaArn",
            Placeholder::SuperuserSecretArn => "SuperuserSecretArn",
            Placeholder::KmsKeyArn => "KmsKeyArn",
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
        }
    }

    /// Looks a placeholder up by name.
    pub fn from_name(name: &str) -> Option<Placeholder> {
        Placeholder::ALL.into_iter().find(|p| p.name() == name)
    }

    /// The spec option whose value fills this placeholder.
    pub fn field(self) -> Field {
        match self {
            Placeholder::AccountId => Field::Account,
            Placeholder::SecretArn => Field::Secret,
            Placeholder::RotationLambdaArn => Field::Function,
            Placeholder::SuperuserSecretArn => Field::SuperuserSecret,
            Placeholder::KmsKeyArn => Field::Kms,
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
