//! Correct-by-construction IAM policies for the Lambda function that rotates
//! an AWS Secrets Manager secret.
//!
//! Secrets Manager rotates a secret by invoking a Lambda function. Two
//! policies make that work, and both are easy to get subtly wrong:
//!
//! - the function's **resource policy** says who may invoke it. Without an
//!   `aws:SourceAccount` condition on the service principal
//!   `secretsmanager.amazonaws.com`, Secrets Manager may invoke it on behalf
//!   of *any* account (the confused deputy); every resource policy this crate
//!   writes is bound to your account, and with `source_arn` to the secret;
//! - the function's **execution role policy** says what the function may
//!   do: read and update the secret it rotates, read the superuser secret
//!   (alternating users), generate a password, use the secret's KMS key, and
//!   create network interfaces when it runs in a VPC. The AWS page of 2021 put
//!   `aws:SourceAccount` there too, where it never matches and rotation fails
//!   with AccessDenied; the default `recommended` profile leaves it out.
//!
//! # At run time: the builder
//!
//! ```
//! use rotation_policy::{Kms, RotationSpec, Strategy};
//!
//! let spec = RotationSpec::builder(Strategy::AlternatingUsers)
//!     .account("111122223333")
//!     .secret("arn:aws:secretsmanager:us-east-1:111122223333:secret:app-db-AbCdEf")
//!     .function("arn:aws:lambda:us-east-1:111122223333:function:rotate-app-db")
//!     .superuser_secret("arn:aws:secretsmanager:us-east-1:111122223333:secret:admin-XyZ123")
//!     .kms(Kms::Key("arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab".into()))
//!     .build()
//!     .expect("valid options");
//! let resource_policy: String = spec.resource_policy_json();
//! let execution_role_policy: String = spec.execution_role_policy_json();
//! assert!(resource_policy.contains(r#""aws:SourceAccount": "111122223333""#));
//! assert!(execution_role_policy.contains("secretsmanager:PutSecretValue"));
//! ```
//!
//! [`RotationSpecBuilder::build`] checks every value (account ids of 12
//! digits, ARNs of the right service, resource type and partition, one
//! account for the secret, the superuser secret and the function, ...) and
//! reports every problem at once as a [`SpecError`] of structured
//! [`Diagnostic`]s: a kind, the option concerned, the related option of a
//! contradiction, and the byte range inside the offending value.
//!
//! ```
//! use rotation_policy::{DiagnosticKind, Field, RotationSpec, Strategy};
//!
//! let error = RotationSpec::builder(Strategy::SingleUser)
//!     .account("11112222333")
//!     .kms(rotation_policy::Kms::Key("arn:aws:kms:us-east-1:111122223333:alias/app".into()))
//!     .build()
//!     .unwrap_err();
//! let fields: Vec<_> = error.diagnostics().iter().map(|d| d.field()).collect();
//! assert_eq!(fields, [Some(Field::Account), Some(Field::Kms)]);
//! assert!(matches!(error.diagnostics()[1].kind(), DiagnosticKind::InvalidValue(_)));
//! ```
//!
//! # At compile time: [`rotation_policy!`]
//!
//! The same options, checked when your crate compiles; the constant holds
//! the bytes of the builder's JSON. Every mistake is a compile error on the
//! offending key or value, all of them in one compile.
//!
//! ```
//! use rotation_policy::{rotation_policy, RotationPolicies};
//!
//! const POLICIES: RotationPolicies = rotation_policy! {
//!     strategy: single_user,
//!     account: "111122223333",
//!     secret: "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-db-AbCdEf",
//!     function: "arn:aws:lambda:us-east-1:111122223333:function:rotate-app-db",
//! };
//! assert!(POLICIES.resource_policy.contains("lambda:InvokeFunction"));
//! ```
//!
//! # Placeholders
//!
//! An option left out stays in the documents as a CloudFormation `Fn::Sub`
//! placeholder (`${AWS::AccountId}`, `${SecretArn}`, `${RotationLambdaArn}`,
//! `${SuperuserSecretArn}`, `${KmsKeyArn}`), so a document can go into a
//! template as it is, or be filled later by [`render()`], which validates each
//! value for its slot and JSON-escapes it:
//!
//! ```
//! use rotation_policy::{render, RotationSpec, Strategy};
//!
//! let spec = RotationSpec::builder(Strategy::SingleUser).build().expect("valid options");
//! let policy = render(
//!     &spec.resource_policy_json(),
//!     &[
//!         ("AWS::AccountId", "111122223333"),
//!         ("RotationLambdaArn", "arn:aws:lambda:us-east-1:111122223333:function:rotate-app-db"),
//!     ],
//! )
//! .expect("valid values");
//! assert!(policy.contains(r#""aws:SourceAccount": "111122223333""#));
//! ```
//!
//! # Features
//!
//! Both off by default; without them the crate compiles no serde and no
//! action catalog.
//!
//! - `serde`: serde's `Serialize`/`Deserialize` on the policy model
//!   ([`PolicyDocument`], [`Statement`], ...), `PolicyDocument::from_json`,
//!   and `RotationSpec::cloudformation_json` (a CloudFormation template
//!   fragment with the execution role and the invoke permission).
//! - `analysis` (implies `serde`): `lint`, a linter for any IAM policy with
//!   IAM Access Analyzer's issue codes, and `access`, an offline evaluator
//!   that proves whether a role's policies let rotation work, explains every
//!   denial and lists what the role grants beyond the need. The
//!   `rotation-policy` command line tool (crate `rotation-policy-cli`) is
//!   these, as `generate`, `lint` and `check`.

#![forbid(unsafe_code)]

#[cfg(feature = "serde")]
pub use rotation_policy_core::cloudformation;
pub use rotation_policy_core::render::{self, render, RenderError, RenderProblem};
#[cfg(feature = "analysis")]
pub use rotation_policy_core::{access, catalog, lint};
pub use rotation_policy_core::{
    arn, documents, policy, severity, spec, AccountId, Arn, ArnError, ArnErrorKind, ConditionValue,
    Diagnostic, DiagnosticKind, Effect, Engine, Field, FunctionArn, Kms, KmsKeyArn, OneOrMany, OrderedMap,
    Part, Partition, Placeholder, PolicyDocument, Principal, Profile, RoleArn, RotationPolicies,
    RotationSpec, RotationSpecBuilder, SecretArn, SecretSuffix, Severity, Slot, SpecError, Statement,
    Strategy,
};

// Lets the macro's expansion, which names `::rotation_policy::RotationPolicies`,
// resolve inside this crate too (unit tests, doc examples).
extern crate self as rotation_policy;

/// Builds and validates the policies of a rotation function at compile time
/// and expands to a [`RotationPolicies`] constant.
///
/// The two fields are the JSON documents, byte for byte what
/// [`RotationSpec::resource_policy_json`] /
/// [`RotationSpec::execution_role_policy_json`] and
/// `rotation-policy generate --only ...` produce for the same options.
///
/// # Grammar
///
/// ```text
/// rotation_policy! { KEY: VALUE, ... }          (trailing comma allowed, any order, each key once)
///
/// strategy:         single_user | alternating_users | single | alternating      (required)
/// account:          "111122223333" | env!("VAR")       default ${AWS::AccountId}
/// secret:           "arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME-XXXXXX" | env!("VAR")
///                                                      default ${SecretArn}
/// function:         "arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]" | env!("VAR")
///                                                      default ${RotationLambdaArn}
/// superuser_secret: secret ARN | env!("VAR")           (alias separate_secret)
///                                                      default ${SuperuserSecretArn} for
///                                                      alternating_users, none for single_user
/// kms:              false | true | "arn:PARTITION:kms:REGION:ACCOUNT:key/KEY-ID" | env!("VAR")
///                                                      default false (AWS managed key)
/// superuser_kms:    KMS key ARN | env!("VAR")          default none
/// vpc:              true | false                       default true
/// source_arn:       true | false                       default false
/// random_password:  true | false                       default true (GetRandomPassword)
/// engine:           generic | mysql | postgres | mariadb | oracle | sqlserver | db2 | redshift
///                   | documentdb | elasticache | active_directory | influxdb
///                                                      default generic (no extra calls)
/// profile:          recommended | aws_doc_2021 | aws_doc_2025
///                                                      default recommended
/// ```
///
/// Values are literals: a string, `true`/`false`, an identifier, or
/// `env!("VAR")`, which reads the variable when the macro runs (the build
/// depends on it: changing it rebuilds the caller). Options left out become
/// CloudFormation `Fn::Sub` placeholders such as `${SecretArn}`.
///
/// Every invalid input is a compile error on the offending key or value:
/// unknown keys (with a "did you mean"), duplicates, wrong value types,
/// malformed ARNs, ARNs of the wrong service or resource type, account ids
/// that are not 12 digits, partitions or accounts that disagree between
/// values, a superuser secret that is the secret itself, `superuser_kms`
/// without a superuser secret, an unknown engine (with a "did you mean"), a
/// superuser secret that RDS manages (`rds!...`) in another account. All of
/// them are reported in one compile.
///
/// # Single user
///
/// ```
/// use rotation_policy::{rotation_policy, RotationPolicies};
///
/// const POLICIES: RotationPolicies = rotation_policy! {
///     strategy: single_user,
///     account: "111122223333",
///     secret: "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-db-AbCdEf",
///     function: "arn:aws:lambda:us-east-1:111122223333:function:rotate-app-db",
///     vpc: false,
/// };
///
/// let resource: serde_json::Value = serde_json::from_str(POLICIES.resource_policy).unwrap();
/// assert_eq!(resource["Statement"][0]["Action"], "lambda:InvokeFunction");
/// assert!(!POLICIES.execution_role_policy.contains("ec2:"));
/// ```
///
/// # Alternating users, with a customer managed key
///
/// ```
/// use rotation_policy::{rotation_policy, RotationPolicies};
///
/// const POLICIES: RotationPolicies = rotation_policy! {
///     strategy: alternating_users,
///     account: "111122223333",
///     secret: "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-db-AbCdEf",
///     function: "arn:aws:lambda:us-east-1:111122223333:function:rotate-app-db",
///     superuser_secret: "arn:aws:secretsmanager:us-east-1:111122223333:secret:admin-XyZ123",
///     kms: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
///     source_arn: true,
/// };
///
/// let role: serde_json::Value = serde_json::from_str(POLICIES.execution_role_policy).unwrap();
/// let statements = role["Statement"].as_array().unwrap();
/// assert_eq!(statements[1]["Resource"], "arn:aws:secretsmanager:us-east-1:111122223333:secret:admin-XyZ123");
/// // The key, only for this secret's encryption context; DescribeKey apart.
/// let kms = &statements[statements.len() - 2];
/// assert_eq!(kms["Condition"]["StringEquals"]["kms:EncryptionContext:SecretARN"],
///            "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-db-AbCdEf");
/// assert_eq!(statements.last().unwrap()["Action"][0], "kms:DescribeKey");
/// ```
///
/// # AWS's rotation function for an engine, and token rotators
///
/// ```
/// use rotation_policy::{rotation_policy, RotationPolicies};
///
/// // AWS's ElastiCache function also calls `elasticache:DescribeUsers` and
/// // `elasticache:ModifyUser`; a superuser secret that RDS manages adds the
/// // read-only RDS call the function makes to find the database.
/// const ELASTICACHE: RotationPolicies = rotation_policy! {
///     strategy: single_user,
///     engine: elasticache,
/// };
/// assert!(ELASTICACHE.execution_role_policy.contains("elasticache:ModifyUser"));
///
/// const RDS_MANAGED: RotationPolicies = rotation_policy! {
///     strategy: alternating_users,
///     engine: postgres,
///     superuser_secret: "arn:aws:secretsmanager:us-east-1:111122223333:secret:rds!db-8eb13df2-5d5d-467f-b28c-5c1cab606a06-bKUjnr",
/// };
/// assert!(RDS_MANAGED.execution_role_policy.contains("rds:DescribeDBInstances"));
///
/// // A function that rotates an API token makes its own credentials.
/// const TOKEN: RotationPolicies = rotation_policy! {
///     strategy: single_user,
///     random_password: false,
/// };
/// assert!(!TOKEN.execution_role_policy.contains("GetRandomPassword"));
/// ```
///
/// # Placeholders, and the 2021 AWS page
///
/// ```
/// use rotation_policy::{rotation_policy, RotationPolicies};
///
/// // `profile: aws_doc_2021` reproduces the AWS page as published in 2021-2022,
/// // including its execution-role `aws:SourceAccount` condition, which never
/// // matches (see the README).
/// const TEMPLATE: RotationPolicies = rotation_policy! {
///     strategy: alternating,
///     kms: true,
///     profile: aws_doc_2021,
/// };
///
/// assert!(TEMPLATE.resource_policy.contains("${RotationLambdaArn}"));
/// assert!(TEMPLATE.execution_role_policy.contains("${SuperuserSecretArn}"));
/// ```
///
/// # Compile time
///
/// Each invocation validates its values and writes two documents while your
/// crate compiles. Cargo builds proc macros unoptimized in the dev profile;
/// `scripts/bench-macro-build.sh` in the repository measures what an
/// invocation costs there against the same crate with the JSON pasted in. A
/// crate with hundreds of invocations can make them cheaper by optimizing
/// the crates the macro runs, in its own `Cargo.toml` (profiles of
/// dependencies are ignored), at the price of a longer first build:
///
/// ```toml
/// [profile.dev.package.rotation-policy-macros]
/// opt-level = 3
/// [profile.dev.package.rotation-policy-core]
/// opt-level = 3
/// [profile.dev.package.syn]
/// opt-level = 3
/// [profile.dev.package.proc-macro2]
/// opt-level = 3
/// ```
///
/// # Errors
///
/// ```compile_fail
/// use rotation_policy::rotation_policy;
///
/// // error: `account` is not 12 digits
/// const POLICIES: rotation_policy::RotationPolicies = rotation_policy! {
///     strategy: single_user,
///     account: "11112222333",
/// };
/// ```
pub use rotation_policy_macros::rotation_policy;
