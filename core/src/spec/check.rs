//! The cross-field rules of a rotation spec, one named function each. Every
//! rule pushes its diagnostics and returns nothing, so that `build` reports
//! every problem at once.

use super::diagnostic::{Diagnostic, DiagnosticKind, Part};
use super::field::Field;
use crate::arn::{AccountId, Arn, SecretArn, SecretSuffix};

/// `strategy` has no default: single user and alternating users need
/// different permissions.
pub(super) fn check_strategy_given<T>(diagnostics: &mut Vec<Diagnostic>, strategy: Option<T>) {
    if strategy.is_none() {
        diagnostics.push(Diagnostic::error(
            DiagnosticKind::MissingKey,
            Some(Field::Strategy),
            Part::Key,
            format!("missing key `strategy`, expected {}", Field::Strategy.expected()),
        ));
    }
}

/// Every ARN in one partition: a role in one partition cannot be granted
/// resources of another (IAM User Guide, "Identify AWS resources with Amazon
/// Resource Names (ARNs)"). The first ARN given is the reference.
pub(super) fn check_one_partition(diagnostics: &mut Vec<Diagnostic>, arns: &[(Field, &Arn)]) {
    let Some(&(first_field, first)) = arns.first() else {
        return;
    };
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

/// The secret, its superuser secret and the function belong to the account
/// that Secrets Manager invokes the function for: `account` if given, else
/// the first of them. A KMS key may live in another account (KMS Developer
/// Guide, "Allowing users in other accounts to use a KMS key"), so keys are
/// not compared.
pub(super) fn check_one_account(
    diagnostics: &mut Vec<Diagnostic>,
    account: Option<&AccountId>,
    arns: &[(Field, &Arn)],
) {
    let bound: Vec<(Field, &Arn)> = arns
        .iter()
        .copied()
        .filter(|(f, _)| matches!(f, Field::Secret | Field::Function | Field::SuperuserSecret))
        .collect();
    let reference = match account {
        Some(a) => Some((Field::Account, a.as_str())),
        None => bound.first().map(|(f, a)| (*f, a.account())),
    };
    let Some((ref_field, ref_account)) = reference else {
        return;
    };
    for &(field, arn) in bound.iter().filter(|(f, _)| *f != ref_field) {
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

/// A superuser secret that RDS manages (`rds!db-...`, `rds!cluster-...`)
/// lives in the database's own account: RDS creates it there (Secrets
/// Manager User Guide, "AWS Secrets Manager secrets managed by other AWS
/// services"), and AWS's rotation functions look the database up with
/// `rds:DescribeDBInstances` / `rds:DescribeDBClusters` on the ARN from the
/// secret's `aws:rds:primaryDBInstanceArn` / `aws:rds:primaryDBClusterArn`
/// tag. RDS has no resource-based policies, so the function's role can
/// describe only databases of its own account: such a secret in another
/// account than the function's cannot work. `others` are the secret and
/// the function, as [`check_one_account`] sees them.
pub(super) fn check_rds_managed_superuser_in_account(
    diagnostics: &mut Vec<Diagnostic>,
    account: Option<&AccountId>,
    others: &[(Field, &Arn)],
    rds_managed: Option<&SecretArn>,
) {
    let Some(superuser) = rds_managed else {
        return;
    };
    let reference = match account {
        Some(a) => Some((Field::Account, a.as_str())),
        None => others
            .iter()
            .find(|(f, _)| matches!(f, Field::Secret | Field::Function))
            .map(|(f, a)| (*f, a.account())),
    };
    let Some((ref_field, ref_account)) = reference else {
        return;
    };
    let arn = superuser.arn();
    if arn.account() != ref_account {
        diagnostics.push(Diagnostic::cross(
            DiagnosticKind::RdsManagedSecretInAnotherAccount,
            Field::SuperuserSecret,
            ref_field,
            Some(arn.account_range()),
            format!(
                "`superuser_secret` is managed by RDS (`rds!` name) in account `{}` but `{ref_field}` is `{ref_account}`: RDS keeps it in the database's account, and the rotation function can describe only databases of its own account",
                arn.account()
            ),
        ));
    }
}

/// AWS's Db2 single-user function logs in with the admin secret named by
/// the rotated secret's `masterarn` to change the password
/// (`SecretsManagerRDSDb2RotationSingleUser/lambda_function.py`,
/// `set_secret`, in `aws-samples/aws-secrets-manager-rotation-lambdas`):
/// without a superuser secret the role cannot read it. A warning: the
/// policy is valid, and the superuser ARN may be granted elsewhere.
pub(super) fn check_db2_has_superuser_secret(warnings: &mut Vec<Diagnostic>, missing: bool) {
    if missing {
        warnings.push(Diagnostic::warning(
            DiagnosticKind::EngineNeedsSuperuserSecret,
            Field::Engine,
            0.."db2".len(),
            "engine `db2`: AWS's Db2 single-user function also reads the admin secret named by the secret's `masterarn`; set `superuser_secret` to grant it".to_owned(),
        ));
    }
}

/// The superuser secret holds other credentials than the rotated secret:
/// the ones that update the rotated user (AWS page, "alternating users").
pub(super) fn check_superuser_secret_is_not_secret(
    diagnostics: &mut Vec<Diagnostic>,
    secret: Option<&SecretArn>,
    superuser_secret: Option<&SecretArn>,
) {
    if let (Some(s), Some(su)) = (secret, superuser_secret) {
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
}

/// `superuser_kms` decrypts the superuser secret: single user has none
/// unless one is given.
pub(super) fn check_superuser_kms_has_secret(diagnostics: &mut Vec<Diagnostic>, kms_without_secret: bool) {
    if kms_without_secret {
        diagnostics.push(Diagnostic::cross(
            DiagnosticKind::SuperuserKmsWithoutSuperuserSecret,
            Field::SuperuserKms,
            Field::SuperuserSecret,
            None,
            "`superuser_kms` is set but there is no superuser secret for `single_user`: set `superuser_secret` or remove `superuser_kms`".to_owned(),
        ));
    }
}

/// A secret ARN without its 6-character suffix matches no secret: IAM
/// compares the `Resource` literally, and Secrets Manager appends the suffix
/// to every secret's ARN (Secrets Manager User Guide, "Resource: secret ARN").
/// A warning: the policy is valid, just not useful.
pub(super) fn check_secret_suffix(warnings: &mut Vec<Diagnostic>, field: Field, secret: Option<&SecretArn>) {
    if let Some(s) = secret.filter(|s| s.suffix() == SecretSuffix::Missing) {
        warnings.push(Diagnostic::warning(
            DiagnosticKind::SecretSuffixMissing,
            field,
            s.arn().resource_range(),
            format!(
                "`{field}` has no 6-character suffix: IAM compares it literally and it matches no secret; use the full ARN or end it with `-??????`"
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::spec::{
        Diagnostic, DiagnosticKind, DslValue, Engine, Field, Part, RotationSpec, RotationSpecBuilder,
        Strategy,
    };
    use crate::Severity;

    const RDS_DB: &str =
        "arn:aws:secretsmanager:us-east-1:444455556666:secret:rds!db-8eb13df2-5d5d-467f-b28c-5c1cab606a06-bKUjnr";
    const SECRET: &str = "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-db-AbCdEf";

    fn errors(builder: RotationSpecBuilder) -> Vec<Diagnostic> {
        builder.build().expect_err("invalid").into_diagnostics()
    }

    #[test]
    fn an_rds_managed_superuser_secret_in_another_account_is_one_error_of_its_own() {
        let account_at = RDS_DB.find("444455556666").unwrap();
        // Against `account`, and against the secret when `account` is not given.
        for (builder, related) in [
            (
                RotationSpec::builder(Strategy::AlternatingUsers)
                    .account("111122223333")
                    .superuser_secret(RDS_DB),
                Field::Account,
            ),
            (
                RotationSpec::builder(Strategy::AlternatingUsers)
                    .secret(SECRET)
                    .superuser_secret(RDS_DB),
                Field::Secret,
            ),
        ] {
            let found = errors(builder);
            assert_eq!(found.len(), 1, "not also an account mismatch: {found:#?}");
            let d = &found[0];
            assert_eq!(d.kind(), DiagnosticKind::RdsManagedSecretInAnotherAccount);
            assert_eq!(d.field(), Some(Field::SuperuserSecret));
            assert_eq!(d.related(), Some(related));
            assert_eq!(d.range(), Some(account_at..account_at + 12));
        }
        // In the function's account it builds; alone, there is nothing to compare.
        let same = RDS_DB.replace("444455556666", "111122223333");
        assert!(RotationSpec::builder(Strategy::AlternatingUsers)
            .account("111122223333")
            .superuser_secret(same)
            .build()
            .is_ok());
        assert!(RotationSpec::builder(Strategy::AlternatingUsers)
            .superuser_secret(RDS_DB)
            .build()
            .is_ok());
        // Any other superuser secret in another account stays an account mismatch.
        let plain = SECRET
            .replace("111122223333", "444455556666")
            .replace("app-db", "admin");
        let found = errors(
            RotationSpec::builder(Strategy::AlternatingUsers)
                .account("111122223333")
                .superuser_secret(plain),
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind(), DiagnosticKind::AccountMismatch);
    }

    #[test]
    fn engine_and_random_password_through_set() {
        let mut builder = RotationSpecBuilder::new();
        let d = builder
            .set("engine", DslValue::Ident("mysq"))
            .expect_err("unknown engine");
        assert_eq!(d.kind(), DiagnosticKind::UnknownValue);
        assert_eq!((d.field(), d.part()), (Some(Field::Engine), Part::Value));
        assert!(d.message().ends_with("did you mean `mysql`?"), "{}", d.message());
        let d = RotationSpecBuilder::new()
            .set("engine", DslValue::Str("mysql"))
            .expect_err("a string");
        assert_eq!(d.kind(), DiagnosticKind::WrongValueType);
        let d = RotationSpecBuilder::new()
            .set("random_password", DslValue::Str("yes"))
            .expect_err("a string");
        assert_eq!(d.kind(), DiagnosticKind::WrongValueType);
        assert_eq!(d.field(), Some(Field::RandomPassword));

        let mut builder = RotationSpecBuilder::new();
        builder.set("strategy", DslValue::Ident("single_user")).unwrap();
        builder
            .set("engine", DslValue::Ident("active_directory"))
            .unwrap();
        builder.set("random_password", DslValue::Bool(false)).unwrap();
        let spec = builder.build().unwrap();
        assert_eq!(spec.engine(), Engine::ActiveDirectory);
        assert!(!spec.random_password());
    }

    #[test]
    fn every_engine_name_round_trips_and_is_listed_in_the_message() {
        for engine in Engine::ALL {
            assert_eq!(Engine::from_name(engine.name()), Some(engine));
            assert!(
                Field::Engine.expected().contains(&format!("`{}`", engine.name())),
                "{}",
                engine.name()
            );
        }
        assert_eq!(Engine::default(), Engine::Generic);
    }

    #[test]
    fn db2_single_user_without_a_superuser_secret_warns() {
        let spec = RotationSpec::builder(Strategy::SingleUser)
            .engine(Engine::Db2)
            .build()
            .unwrap();
        let warnings = spec.warnings();
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].kind(), DiagnosticKind::EngineNeedsSuperuserSecret);
        assert_eq!(warnings[0].severity(), Severity::Warning);
        assert_eq!(warnings[0].field(), Some(Field::Engine));
        for builder in [
            RotationSpec::builder(Strategy::AlternatingUsers).engine(Engine::Db2),
            RotationSpec::builder(Strategy::SingleUser)
                .engine(Engine::Db2)
                .superuser_secret(SECRET.replace("app-db", "admin")),
        ] {
            assert_eq!(builder.build().unwrap().warnings(), []);
        }
    }
}
