//! The rotation options, their validation and the validated spec.
//!
//! A [`RotationSpec`] is built from the options of the README's options table, with
//! typed setters ([`RotationSpecBuilder::account`], ...).
//! [`RotationSpecBuilder::build`] validates every value and every
//! cross-field rule (the named `check_*` rules of `check.rs`) and reports
//! all problems at once; the spec then yields the documents
//! ([`RotationSpec::resource_policy`], [`RotationSpec::execution_role_policy`]).

mod builder;
mod check;
mod diagnostic;
mod field;
mod placeholder;

pub use builder::{DslValue, RotationSpecBuilder};
pub use diagnostic::{Diagnostic, DiagnosticKind, Part, SpecError};
pub use field::Field;
pub use placeholder::Placeholder;

use crate::arn::Partition;

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
    /// Every strategy.
    pub const ALL: [Strategy; 2] = [Strategy::SingleUser, Strategy::AlternatingUsers];

    /// Parses `single_user`, `alternating_users`, or their aliases `single`
    /// and `alternating`.
    pub fn from_name(name: &str) -> Option<Strategy> {
        match name {
            "single_user" | "single" => Some(Strategy::SingleUser),
            "alternating_users" | "alternating" => Some(Strategy::AlternatingUsers),
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
#[non_exhaustive]
pub enum Profile {
    /// Policies that work: no `aws:SourceAccount` in the execution role, and
    /// `kms:DescribeKey` on the key ARN (the AWS page's later revisions and
    /// the hosted-rotation templates).
    #[default]
    Recommended,
    /// The AWS page as published from 2021-12-06 to 2022-05-04, including
    /// its execution-role `aws:SourceAccount` condition, which never matches.
    AwsDoc2021,
    /// The AWS page as it stands now ("Lambda rotation function execution
    /// role permissions for AWS Secrets Manager"): no condition on the secret
    /// actions, and `kms:DescribeKey` inside the
    /// `kms:EncryptionContext:SecretARN` condition, where it never matches
    /// (DescribeKey requests carry no encryption context).
    AwsDoc2025,
}

impl Profile {
    /// Every profile.
    pub const ALL: [Profile; 3] = [Profile::Recommended, Profile::AwsDoc2021, Profile::AwsDoc2025];

    /// Parses `recommended`, `aws_doc_2021` or `aws_doc_2025`.
    pub fn from_name(name: &str) -> Option<Profile> {
        Profile::ALL.into_iter().find(|p| p.name() == name)
    }

    /// The canonical name.
    pub fn name(self) -> &'static str {
        match self {
            Profile::Recommended => "recommended",
            Profile::AwsDoc2021 => "aws_doc_2021",
            Profile::AwsDoc2025 => "aws_doc_2025",
        }
    }
}

/// The AWS-provided rotation function in use: the calls it makes beyond
/// Secrets Manager are granted in statement 7 of the execution role policy
/// (the functions' sources are the public repository
/// `aws-samples/aws-secrets-manager-rotation-lambdas`; see
/// [`RotationSpec::service_grants`] for each engine's calls and where they
/// are made).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Engine {
    /// A function of your own, or one that calls only Secrets Manager: no
    /// extra calls.
    #[default]
    Generic,
    /// `SecretsManagerRDSMySQLRotation{SingleUser,MultiUser}` (also Aurora MySQL).
    MySql,
    /// `SecretsManagerRDSPostgreSQLRotation{SingleUser,MultiUser}` (also Aurora PostgreSQL).
    Postgres,
    /// `SecretsManagerRDSMariaDBRotation{SingleUser,MultiUser}`.
    MariaDb,
    /// `SecretsManagerRDSOracleRotation{SingleUser,MultiUser}`.
    Oracle,
    /// `SecretsManagerRDSSQLServerRotation{SingleUser,MultiUser}`.
    SqlServer,
    /// `SecretsManagerRDSDb2Rotation{SingleUser,MultiUser}`: both log in
    /// with the admin secret.
    Db2,
    /// `SecretsManagerRedshiftRotation{SingleUser,MultiUser}` (provisioned
    /// and Serverless).
    Redshift,
    /// `SecretsManagerMongoDBRotation{SingleUser,MultiUser}`, for Amazon
    /// DocumentDB: calls nothing beyond Secrets Manager.
    DocumentDb,
    /// `SecretsManagerElasticacheUserRotation`.
    ElastiCache,
    /// `SecretsManagerActiveDirectoryRotationSingleUser` and the older
    /// `SecretsManagerDirectoryServiceRotationSingleUser`.
    ActiveDirectory,
    /// `SecretsManagerInfluxDBRotation{SingleUser,MultiUser}` (Timestream
    /// for InfluxDB).
    InfluxDb,
}

impl Engine {
    /// Every engine, in the README's order.
    pub const ALL: [Engine; 12] = [
        Engine::Generic,
        Engine::MySql,
        Engine::Postgres,
        Engine::MariaDb,
        Engine::Oracle,
        Engine::SqlServer,
        Engine::Db2,
        Engine::Redshift,
        Engine::DocumentDb,
        Engine::ElastiCache,
        Engine::ActiveDirectory,
        Engine::InfluxDb,
    ];

    /// Parses a canonical name (`mysql`, `active_directory`, ...).
    pub fn from_name(name: &str) -> Option<Engine> {
        Engine::ALL.into_iter().find(|e| e.name() == name)
    }

    /// The canonical name.
    pub fn name(self) -> &'static str {
        match self {
            Engine::Generic => "generic",
            Engine::MySql => "mysql",
            Engine::Postgres => "postgres",
            Engine::MariaDb => "mariadb",
            Engine::Oracle => "oracle",
            Engine::SqlServer => "sqlserver",
            Engine::Db2 => "db2",
            Engine::Redshift => "redshift",
            Engine::DocumentDb => "documentdb",
            Engine::ElastiCache => "elasticache",
            Engine::ActiveDirectory => "active_directory",
            Engine::InfluxDb => "influxdb",
        }
    }

    /// Whether this is one of the RDS engines, whose functions share the
    /// RDS lookups of the superuser's database.
    pub fn is_rds(self) -> bool {
        matches!(
            self,
            Engine::MySql
                | Engine::Postgres
                | Engine::MariaDb
                | Engine::Oracle
                | Engine::SqlServer
                | Engine::Db2
        )
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
    random_password: bool,
    engine: Engine,
    profile: Profile,
    partition: Option<Partition>,
    warnings: Vec<Diagnostic>,
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
    /// Whether the function calls `secretsmanager:GetRandomPassword`.
    pub fn random_password(&self) -> bool {
        self.random_password
    }
    /// The AWS-provided rotation function in use.
    pub fn engine(&self) -> Engine {
        self.engine
    }
    /// The partition of the given ARNs, if any ARN was given.
    pub fn partition(&self) -> Option<Partition> {
        self.partition
    }
    /// Warnings found while building (e.g. a secret ARN without suffix).
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }
}
