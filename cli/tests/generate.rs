//! `rotation-policy generate`, run as a process: exit codes and the one-line
//! error convention. Byte parity with the core library, for every option
//! combination, is tests/parity.rs.

use std::process::{Command, Output};

use rotation_policy_core::{RotationSpec, Strategy};

const SECRET: &str = "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-db-AbCdEf";
const FUNCTION: &str = "arn:aws:lambda:us-east-1:111122223333:function:rotate-app-db";
const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rotation-policy"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> &str {
    std::str::from_utf8(&output.stdout).expect("stdout is UTF-8")
}

fn stderr(output: &Output) -> &str {
    std::str::from_utf8(&output.stderr).expect("stderr is UTF-8")
}

/// Asserts a usage error: exit 2, nothing on stdout, exactly one stderr
/// line, naming every flag in `flags`.
fn assert_usage_error(args: &[&str], flags: &[&str]) {
    let output = run(args);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{args:?}: {err}");
    assert_eq!(stdout(&output), "", "{args:?}: stdout must be empty on error");
    assert_eq!(
        err.lines().count(),
        1,
        "{args:?}: expected one stderr line, got {err:?}"
    );
    assert!(err.ends_with('\n'), "{args:?}: {err:?}");
    assert!(err.starts_with("rotation-policy: error: "), "{args:?}: {err:?}");
    for flag in flags {
        assert!(err.contains(flag), "{args:?}: {err:?} does not name `{flag}`");
    }
}

/// Runs `generate` with `args`, expects success without warnings, and
/// returns stdout.
fn generate_ok(args: &[&str]) -> String {
    let mut all = vec!["generate"];
    all.extend_from_slice(args);
    let output = run(&all);
    assert_eq!(output.status.code(), Some(0), "{all:?}: {}", stderr(&output));
    assert_eq!(stderr(&output), "", "{all:?}");
    stdout(&output).to_owned()
}

#[test]
fn invalid_values_name_their_flag() {
    let base = ["generate", "--strategy", "alternating-users"];
    let bad = [
        ("--account", "11112222333"),
        ("--secret", FUNCTION),
        ("--function", SECRET),
        (
            "--superuser-secret",
            "arn:aws:secretsmanager:us-east-1:111122223333:key/x",
        ),
        ("--kms-key", "arn:aws:kms:us-east-1:111122223333:alias/app"),
        (
            "--superuser-kms-key",
            "arn:aws:kms:us-east-1:111122223333:key/nope",
        ),
    ];
    for (flag, value) in bad {
        let mut args = base.to_vec();
        args.extend([flag, value]);
        assert_usage_error(&args, &[flag]);
    }
}

#[test]
fn every_problem_on_one_line() {
    assert_usage_error(
        &[
            "generate",
            "--strategy",
            "single-user",
            "--account",
            "1234",
            "--secret",
            "not-an-arn",
            "--kms-key",
            "arn:aws-cn:kms:cn-north-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "--function",
            FUNCTION,
        ],
        &["`--account`", "`--secret`", "`--kms-key`"],
    );
}

#[test]
fn cross_field_problems_name_the_flag() {
    assert_usage_error(
        &[
            "generate",
            "--strategy",
            "alternating-users",
            "--secret",
            SECRET,
            "--superuser-secret",
            SECRET,
        ],
        &["`--superuser-secret`"],
    );
    assert_usage_error(
        &[
            "generate",
            "--strategy",
            "single-user",
            "--superuser-kms-key",
            KEY,
        ],
        &["`--superuser-kms-key`"],
    );
    assert_usage_error(
        &[
            "generate",
            "--strategy",
            "single-user",
            "--account",
            "444455556666",
            "--function",
            FUNCTION,
        ],
        &["`--function`"],
    );
}

#[test]
fn argument_errors_are_one_line_naming_the_flag() {
    assert_usage_error(&["generate"], &["--strategy"]);
    assert_usage_error(
        &["generate", "--strategy", "triple"],
        &["--strategy", "single-user"],
    );
    assert_usage_error(
        &["generate", "--strategy", "single-user", "--kms", "--kms-key", KEY],
        &["--kms", "--kms-key"],
    );
    assert_usage_error(
        &["generate", "--strategy", "single-user", "--secret"],
        &["--secret"],
    );
    assert_usage_error(
        &["generate", "--strategy", "single-user", "--scret", SECRET],
        &["--scret", "--secret"],
    );
    assert_usage_error(
        &["generate", "--strategy", "single-user", "--only", "both"],
        &["--only"],
    );
    assert_usage_error(
        &[
            "generate",
            "--strategy",
            "single-user",
            "--profile",
            "aws_doc_2022",
        ],
        &["--profile"],
    );
}

/// `--format cloudformation` equals the builder's template for every
/// combination (tests/parity.rs); here, what it cannot be combined with.
#[test]
fn cloudformation_format_excludes_only() {
    assert_usage_error(
        &[
            "generate",
            "--strategy",
            "single-user",
            "--format",
            "cloudformation",
            "--only",
            "resource-policy",
        ],
        &["--only", "--format cloudformation"],
    );
    let json = generate_ok(&["--strategy", "single-user", "--format", "json"]);
    assert_eq!(json, generate_ok(&["--strategy", "single-user"]));
}

/// `--format terraform` prints a whole configuration: `--only` has no
/// document to select in it; an unknown format names the flag.
#[test]
fn terraform_format_excludes_only_and_unknown_formats_are_usage_errors() {
    assert_usage_error(
        &[
            "generate",
            "--strategy",
            "single-user",
            "--format",
            "terraform",
            "--only",
            "execution-role-policy",
        ],
        &["--only", "--format terraform"],
    );
    assert_usage_error(
        &["generate", "--strategy", "single-user", "--format", "pulumi"],
        &["--format", "pulumi"],
    );
    let config = generate_ok(&["--strategy", "single-user", "--format", "terraform"]);
    assert!(config.contains("\"aws_lambda_permission\""), "{config}");
}

#[test]
fn warnings_go_to_stderr_and_exit_zero() {
    let partial = "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-db";
    let output = run(&[
        "generate",
        "--strategy",
        "single-user",
        "--secret",
        partial,
        "--only",
        "execution-role-policy",
    ]);
    assert_eq!(output.status.code(), Some(0));
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err:?}");
    assert!(err.starts_with("rotation-policy: warning: "), "{err:?}");
    assert!(err.contains("`--secret`"), "{err:?}");
    let spec = RotationSpec::builder(Strategy::SingleUser)
        .secret(partial)
        .build()
        .expect("a warning is not an error");
    assert_eq!(
        stdout(&output),
        format!("{}\n", spec.execution_role_policy_json())
    );
}

#[test]
fn help_exits_zero_on_stdout() {
    let output = run(&["generate", "--help"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("--superuser-kms-key"));
    assert_eq!(stderr(&output), "");
}

/// The options of issue 16: a bad `--engine` or `--profile` value, and an
/// RDS-managed superuser secret in another account, are one line naming
/// the flag; the Db2 single-user warning goes to stderr with exit 0.
#[test]
fn engine_profile_and_rds_superuser_problems_name_the_flag() {
    let base = ["generate", "--strategy", "alternating-users"];
    assert_usage_error(
        &[&base[..], &["--engine", "mysq"]].concat(),
        &["--engine", "mysql"],
    );
    assert_usage_error(
        &[&base[..], &["--engine", "active_directory"]].concat(),
        &["--engine", "active-directory"],
    );
    assert_usage_error(
        &[&base[..], &["--profile", "aws-doc-2024"]].concat(),
        &["--profile", "aws-doc-2025"],
    );
    assert_usage_error(
        &[&base[..], &["--no-random-password", "false"]].concat(),
        &["false"],
    );
    let rds_elsewhere =
        "arn:aws:secretsmanager:us-east-1:444455556666:secret:rds!db-8eb13df2-5d5d-467f-b28c-5c1cab606a06-bKUjnr";
    assert_usage_error(
        &[
            &base[..],
            &["--account", "111122223333", "--superuser-secret", rds_elsewhere],
        ]
        .concat(),
        &["--superuser-secret", "444455556666", "RDS"],
    );
    let output = run(&["generate", "--strategy", "single-user", "--engine", "db2"]);
    assert_eq!(output.status.code(), Some(0));
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("rotation-policy: warning: `--engine`:"), "{err}");
    // The flags change the documents as the builder's options do.
    let token = generate_ok(&[
        "--strategy",
        "single-user",
        "--no-random-password",
        "--only",
        "execution-role-policy",
    ]);
    assert!(!token.contains("GetRandomPassword"), "{token}");
    let ad = generate_ok(&[
        "--strategy",
        "single-user",
        "--engine",
        "active-directory",
        "--only",
        "execution-role-policy",
    ]);
    assert!(ad.contains("ds:ResetUserPassword"), "{ad}");
}
