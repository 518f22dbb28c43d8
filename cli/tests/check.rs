//! `rotation-policy check`: exit codes, the pinned JSON shape, and inputs.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

const ACCOUNT: &str = "111122223333";
const SECRET: &str = "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-db-AbCdEf";
const FUNCTION: &str = "arn:aws:lambda:us-east-1:111122223333:function:rotate-app-db";
const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_rotation-policy"))
}

fn spec_args(profile: &str) -> Vec<String> {
    [
        "--strategy",
        "alternating-users",
        "--account",
        ACCOUNT,
        "--secret",
        SECRET,
        "--function",
        FUNCTION,
        "--kms-key",
        KEY,
        "--profile",
        profile,
    ]
    .map(str::to_owned)
    .to_vec()
}

/// Writes `contents` to a fresh file under the target dir and returns its path.
fn file(name: &str, contents: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("check-tests");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, contents).expect("write fixture");
    path
}

fn generated(only: &str, profile: &str, name: &str) -> PathBuf {
    let out = bin()
        .arg("generate")
        .args(spec_args(profile))
        .args(["--only", only])
        .output()
        .expect("run generate");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    file(name, &String::from_utf8(out.stdout).expect("utf-8"))
}

fn check(profile: &str, extra: &[&str]) -> Output {
    bin()
        .arg("check")
        .args(spec_args(profile))
        .args(extra)
        .output()
        .expect("run check")
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

#[test]
fn generated_policies_check_allowed_with_pinned_json_shape() {
    let role = generated("execution-role-policy", "recommended", "role.json");
    let resource = generated("resource-policy", "recommended", "function.json");
    let out = check(
        "recommended",
        &[
            "--role-policy",
            role.to_str().unwrap(),
            "--resource-policy",
            resource.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = json(&out);
    assert_eq!(report["allowed"], Value::Bool(true));
    let requirements = report["requirements"].as_array().expect("requirements array");
    assert!(!requirements.is_empty());
    for r in requirements {
        for field in ["action", "resource", "decision", "statement"] {
            assert!(r.get(field).is_some(), "requirement lacks `{field}`: {r}");
        }
        assert_eq!(r["decision"], "allowed");
        let statement = r["statement"].as_str().expect("statement");
        assert!(
            statement.starts_with(&format!("{}#/Statement/", role.display())),
            "{statement}"
        );
    }
    assert_eq!(report["excess"], Value::Array(Vec::new()));
    assert_eq!(report["resource_policy"]["restricted"], Value::Bool(true));
}

#[test]
fn aws_doc_2021_role_is_denied_with_exit_code_1() {
    let role = generated("execution-role-policy", "aws-doc-2021", "role-2021.json");
    let out = check(
        "aws-doc-2021",
        &["--role-policy", role.to_str().unwrap(), "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out);
    assert_eq!(report["allowed"], Value::Bool(false));
    let denied: Vec<&Value> = report["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["decision"] != "allowed")
        .collect();
    assert_eq!(denied.len(), 4);
    for r in denied {
        assert_eq!(r["decision"], "implicit_deny");
        assert!(r["reason"].as_str().unwrap().contains("aws:SourceAccount"));
    }
    // Text output says the same.
    let text = check("aws-doc-2021", &["--role-policy", role.to_str().unwrap()]);
    assert_eq!(text.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&text.stdout).contains("DENIED secretsmanager:GetSecretValue"));
}

#[test]
fn lambda_get_policy_output_is_accepted() {
    let role = generated("execution-role-policy", "recommended", "role-wrapped.json");
    let policy = r#"{"Version":"2012-10-17","Id":"default","Statement":[{"Sid":"x","Effect":"Allow","Principal":{"Service":"secretsmanager.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:111122223333:function:rotate-app-db"}]}"#;
    let wrapped = serde_json::json!({"Policy": policy, "RevisionId": "1"}).to_string();
    let resource = file("get-policy.json", &wrapped);
    let out = check(
        "recommended",
        &[
            "--role-policy",
            role.to_str().unwrap(),
            "--resource-policy",
            resource.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    let report = json(&out);
    assert_eq!(report["resource_policy"]["restricted"], Value::Bool(false));
    assert_eq!(
        report["resource_policy"]["open_to"].as_array().map(Vec::len),
        Some(1)
    );
}

#[test]
fn input_errors_exit_2_with_one_stderr_line() {
    let bad_json = file("bad.json", "{\"Statement\": [");
    let not_policy = file("not-policy.json", "[1, 2]");
    let cases: Vec<Vec<String>> = vec![
        vec!["--role-policy".into(), "/nonexistent/role.json".into()],
        vec!["--role-policy".into(), bad_json.display().to_string()],
        vec!["--role-policy".into(), not_policy.display().to_string()],
        vec![
            "--role-policy".into(),
            bad_json.display().to_string(),
            "--role-arn".into(),
            "arn:aws:iam::1:user/x".into(),
        ],
        vec![],
    ];
    for extra in cases {
        let out = bin()
            .arg("check")
            .args(spec_args("recommended"))
            .args(&extra)
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(2), "{extra:?}");
        assert!(out.stdout.is_empty(), "{extra:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "{extra:?}: {stderr}");
    }
    let out = bin()
        .args([
            "check",
            "--strategy",
            "single-user",
            "--secret",
            "arn:aws:s3:::b",
            "--role-policy",
            "x",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--secret"));
}
