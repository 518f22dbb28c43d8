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
        for field in [
            "action",
            "resource",
            "principal",
            "context",
            "decision",
            "statement",
        ] {
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

#[test]
fn each_requirement_says_who_asked_and_with_which_context() {
    let role = generated("execution-role-policy", "recommended", "role-context.json");
    let resource = generated("resource-policy", "recommended", "function-context.json");
    let role_arn = "arn:aws:iam::111122223333:role/rotate-app-db";
    let out = check(
        "recommended",
        &[
            "--role-policy",
            role.to_str().unwrap(),
            "--resource-policy",
            resource.to_str().unwrap(),
            "--role-arn",
            role_arn,
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    let report = json(&out);
    for r in report["requirements"].as_array().unwrap() {
        assert_eq!(r["principal"], role_arn, "{r}");
        let context = r["context"].as_object().expect("context object");
        assert_eq!(context["aws:PrincipalArn"], role_arn);
        assert_eq!(context["aws:PrincipalAccount"], ACCOUNT);
    }
    let decrypt = report["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["action"] == "kms:Decrypt")
        .expect("kms:Decrypt requirement");
    assert_eq!(decrypt["context"]["kms:EncryptionContext:SecretARN"], SECRET);
    assert_eq!(
        decrypt["context"]["aws:CalledVia"],
        serde_json::json!(["secretsmanager.amazonaws.com"])
    );
    let invoke = &report["resource_policy"]["invoke"];
    assert_eq!(invoke["principal"], "secretsmanager.amazonaws.com");
    assert_eq!(invoke["context"]["aws:SourceAccount"], ACCOUNT);
    assert_eq!(invoke["context"]["aws:SourceArn"], SECRET);
    // Without --role-arn the role is named by a template placeholder.
    let out = check(
        "recommended",
        &["--role-policy", role.to_str().unwrap(), "--format", "json"],
    );
    assert_eq!(json(&out)["requirements"][0]["principal"], "${ExecutionRoleArn}");
}

#[test]
fn action_star_report_stays_under_100_kb() {
    let role = file(
        "admin.json",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
    );
    let out = check(
        "recommended",
        &["--role-policy", role.to_str().unwrap(), "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.len() < 100 * 1024, "{} bytes", out.stdout.len());
    let report = json(&out);
    let excess = report["excess"].as_array().expect("excess");
    assert_eq!(excess.len(), 1);
    let grant = &excess[0];
    assert_eq!(grant["statement"], format!("{}#/Statement/0", role.display()));
    assert_eq!(grant["flagged"], true);
    let services = grant["services"].as_object().expect("services");
    assert!(services.len() > 400, "{}", services.len());
    let counted: u64 = services
        .values()
        .flat_map(|levels| levels.as_object().unwrap().values())
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(Some(counted), grant["count"].as_u64());
    assert!(counted > 10_000, "{counted}");
    assert!(services["iam"]["Permissions management"].as_u64().unwrap() > 0);
}

#[test]
fn policies_the_evaluator_cannot_interpret_exit_2_with_file_pointer_and_reason() {
    let condition = |c: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"*","Resource":"*"}},{{"Effect":"Deny","Action":"secretsmanager:*","Resource":"*","Condition":{c}}}]}}"#
        )
    };
    let cases = [
        (
            "bad-date.json",
            condition(r#"{"DateGreaterThan":{"aws:CurrentTime":"2020-01-01Tnonsense"}}"#),
            "#/Statement/1/Condition/DateGreaterThan/aws:CurrentTime`",
            "ISO 8601",
        ),
        (
            "bad-operator.json",
            condition(r#"{"StringEqualz":{"aws:PrincipalTag/team":"db"}}"#),
            "#/Statement/1/Condition/StringEqualz`",
            "did you mean `StringEquals`",
        ),
        (
            "bad-type.json",
            condition(r#"{"Bool":{"aws:SecureTransport":["false",0]}}"#),
            "#/Statement/1/Condition/Bool/aws:SecureTransport/1`",
            "JSON number `0`",
        ),
        (
            "bad-ip.json",
            condition(r#"{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/33"}}"#),
            "#/Statement/1/Condition/NotIpAddress/aws:SourceIp`",
            "IP address or CIDR range",
        ),
        (
            "bad-structure.json",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kms:Decrypt",7],"Resource":"*"}]}"#.to_owned(),
            "#/Statement/0/Action`",
            "invalid type",
        ),
        (
            "bad-condition-value.json",
            condition(r#"{"StringEquals":{"aws:PrincipalTag/team":{"a":"b"}}}"#),
            "#/Statement/1/Condition/StringEquals/aws:PrincipalTag~1team`",
            "expected a string, number or boolean",
        ),
    ];
    for (name, policy, pointer, reason) in cases {
        let path = file(name, &policy);
        for flag in ["--role-policy", "--secret-policy"] {
            let mut args = vec![flag, path.to_str().unwrap()];
            if flag != "--role-policy" {
                args.extend(["--role-policy", path.to_str().unwrap()]);
            }
            let out = check("recommended", &args);
            assert_eq!(out.status.code(), Some(2), "{name}");
            assert!(out.stdout.is_empty(), "{name}: never a silent verdict");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(stderr.lines().count(), 1, "{name}: {stderr}");
            assert!(
                stderr.contains(&format!("`{}{pointer}", path.display())),
                "{name}: {stderr}"
            );
            assert!(stderr.contains(reason), "{name}: {stderr}");
        }
    }
}

/// The current AWS page's KMS statement grants `kms:DescribeKey` only under
/// its `kms:EncryptionContext:SecretARN` condition: rotation is allowed (it
/// does not need DescribeKey), and the report notes the statement in both
/// formats.
#[test]
fn the_aws_doc_2025_describe_key_quirk_is_noted() {
    let role = generated("execution-role-policy", "aws-doc-2025", "role-2025.json");
    let out = check(
        "aws-doc-2025",
        &["--role-policy", role.to_str().unwrap(), "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(0));
    let report = json(&out);
    let notes = report["notes"].as_array().expect("notes");
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0]["statement"]
        .as_str()
        .unwrap()
        .starts_with(&format!("{}#/Statement/", role.display())));
    assert!(notes[0]["message"].as_str().unwrap().contains("kms:DescribeKey"));
    let text = check("aws-doc-2025", &["--role-policy", role.to_str().unwrap()]);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("notes:") && text.contains("DescribeKey requests carry no encryption context"),
        "{text}"
    );
    let recommended = generated(
        "execution-role-policy",
        "recommended",
        "role-recommended-notes.json",
    );
    let out = check(
        "recommended",
        &["--role-policy", recommended.to_str().unwrap(), "--format", "json"],
    );
    assert_eq!(json(&out)["notes"], Value::Array(Vec::new()));
}
