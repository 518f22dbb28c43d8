//! rotation-policy: correct-by-construction IAM policies for AWS Secrets
//! Manager rotation Lambda functions.
//!
//! This facade re-exports the core library and the [`rotation_policy!`] macro
//! (see the README for the full story). Two features add to it, both off by
//! default:
//! - `json`: serde's `Serialize`/`Deserialize` on the policy model,
//!   `PolicyDocument::from_json` and `RotationSpec::cloudformation_json`
//!   (serde and serde_json). The generator and the macro write their JSON
//!   without serde, so by default the crate builds no serde at all.
//! - `analysis` (implies `json`): the linter (`lint`) and the access checker
//!   (`access`): `rotation-policy = { version = "0.1", features = ["analysis"] }`.

#![forbid(unsafe_code)]

pub use rotation_policy_core::*;

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
/// crate compiles. Cargo builds proc macros at `opt-level = 0` in the dev
/// profile, and the macro is written for that: an invocation costs 30–45 µs
/// there, and a crate with 100 invocations rebuilds in about 1.02x the time
/// of the same crate with the JSON pasted in as literals
/// (`scripts/bench-macro-build.sh` measures both). A crate with hundreds of
/// invocations can bring that to 20–40 µs by optimizing the crates the
/// macro runs, in its own `Cargo.toml` (profiles of dependencies are
/// ignored), at the price of a first build about twice as long (syn
/// optimized):
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
