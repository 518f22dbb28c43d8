//! `rotation-policy check --template`: the rotation function's policies
//! taken from a SAM template, a template the AWS CDK synthesised, and the
//! project's own `generate --format cloudformation`; denials, values the
//! template leaves open, and the errors.

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn template(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/templates")
        .join(name)
        .to_str()
        .expect("UTF-8 path")
        .to_owned()
}

/// Runs the binary with `stdin` as its standard input.
fn run_with(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rotation-policy"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("writes stdin");
    child.wait_with_output().expect("the binary ends")
}

fn run(args: &[&str]) -> Output {
    run_with(args, "")
}

fn stdout(output: &Output) -> &str {
    std::str::from_utf8(&output.stdout).expect("UTF-8")
}

fn stderr(output: &Output) -> &str {
    std::str::from_utf8(&output.stderr).expect("UTF-8")
}

fn json(output: &Output) -> Value {
    serde_json::from_str(stdout(output))
        .unwrap_or_else(|e| panic!("stdout is JSON ({e}): {}{}", stdout(output), stderr(output)))
}

/// `check --strategy single-user --format json --template FILE EXTRA...`.
fn check_json(file: &str, extra: &[&str]) -> (Option<i32>, Value) {
    let mut args = vec![
        "check",
        "--strategy",
        "single-user",
        "--format",
        "json",
        "--template",
        file,
    ];
    args.extend_from_slice(extra);
    let output = run(&args);
    (output.status.code(), json(&output))
}

/// (action, decision, statement) of each requirement.
fn decisions(report: &Value) -> Vec<(String, String, Option<String>)> {
    report["requirements"]
        .as_array()
        .expect("requirements")
        .iter()
        .map(|r| {
            (
                r["action"].as_str().expect("action").to_owned(),
                r["decision"].as_str().expect("decision").to_owned(),
                r["statement"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

fn stands_for(report: &Value, placeholder: &str) -> String {
    report["template"]["placeholders"]
        .as_array()
        .expect("placeholders")
        .iter()
        .find(|p| p["placeholder"] == placeholder)
        .and_then(|p| p["stands_for"].as_str())
        .unwrap_or_else(|| panic!("{placeholder} in {}", report["template"]))
        .to_owned()
}

#[test]
fn sam_template_with_a_custom_rotation_function_is_allowed() {
    let file = template("sam-custom-rotation.yaml");
    let (code, report) = check_json(&file, &[]);
    assert_eq!(code, Some(0), "{report:#}");
    assert_eq!(report["allowed"], true);
    assert_eq!(report["template"]["provable"], true);
    assert_eq!(report["template"]["function"], "RotationFunction");
    assert_eq!(report["template"]["role"], "RotationRole");
    // The function has no VpcConfig: no network interface requests; its
    // secret has a key: the KMS requests, allowed by the identity policy
    // attached by `Roles` under the key policy's delegation to the account.
    let found = decisions(&report);
    assert!(found.iter().all(|(_, d, _)| d == "allowed"), "{found:?}");
    assert!(!found.iter().any(|(a, _, _)| a.starts_with("ec2:")), "{found:?}");
    let kms: Vec<_> = found.iter().filter(|(a, _, _)| a.starts_with("kms:")).collect();
    assert_eq!(kms.len(), 2, "{found:?}");
    for (_, _, statement) in kms {
        assert_eq!(
            statement.as_deref(),
            Some(format!("{file}#/Resources/KeyUse/Properties/PolicyDocument/Statement/0").as_str())
        );
    }
    assert!(stands_for(&report, "${SecretArn}").contains("`${AppSecret}`"));
    assert!(stands_for(&report, "${KmsKeyArn}").contains("`${SecretKey.Arn}`"));
    assert!(stands_for(&report, "${RotationLambdaArn}").contains("`${RotationFunction.Arn}`"));
    // The permission is bound to the account: only Secrets Manager for it may invoke.
    assert_eq!(report["resource_policy"]["restricted"], true);
    assert_eq!(report["resource_policy"]["invoke"]["decision"], "allowed");
}

/// The template `cdk synth` wrote for tests/cdk-app's `CustomRotationStack`
/// (aws-cdk-lib as pinned there; scripts/cdk-templates.sh writes it again).
#[test]
fn cdk_template_with_a_custom_rotation_function_is_allowed_and_open_to_other_accounts() {
    let file = template("cdk-custom-rotation.template.json");
    let (code, report) = check_json(&file, &[]);
    assert_eq!(code, Some(0), "{report:#}");
    assert_eq!(report["allowed"], true);
    assert_eq!(report["template"]["provable"], true);
    let found = decisions(&report);
    assert!(found.iter().all(|(_, d, _)| d == "allowed"), "{found:?}");
    // The CDK grants the key to the role in the key policy itself.
    let key_policy = format!("{file}#/Resources/SecretKey573D36D8/Properties/KeyPolicy");
    assert_eq!(report["template"]["key_policy"], key_policy.as_str());
    for (action, _, statement) in found.iter().filter(|(a, _, _)| a.starts_with("kms:")) {
        assert!(
            statement.as_deref().is_some_and(|s| s.starts_with(&key_policy)),
            "{action}: {statement:?}"
        );
    }
    assert_eq!(
        report["template"]["secret_policy"],
        format!("{file}#/Resources/AppSecretPolicy95FFF96D/Properties/ResourcePolicy").as_str()
    );
    // The CDK writes the permission without `SourceAccount`: allowed, and
    // open to Secrets Manager rotating another account's secret.
    assert_eq!(report["resource_policy"]["invoke"]["decision"], "allowed");
    assert_eq!(report["resource_policy"]["restricted"], false);
    let open: Vec<&str> = report["resource_policy"]["open_to"]
        .as_array()
        .expect("open_to")
        .iter()
        .filter_map(|o| o["caller"].as_str())
        .collect();
    assert!(open.iter().any(|c| c.contains("another account")), "{open:?}");
}

#[test]
fn a_role_without_put_secret_value_is_denied_with_the_reason() {
    let file = template("sam-missing-put-secret-value.yaml");
    let (code, report) = check_json(&file, &[]);
    assert_eq!(code, Some(1), "{report:#}");
    assert_eq!(report["allowed"], false);
    let denied: Vec<&Value> = report["requirements"]
        .as_array()
        .expect("requirements")
        .iter()
        .filter(|r| r["decision"] != "allowed")
        .collect();
    assert_eq!(denied.len(), 1, "{denied:?}");
    assert_eq!(denied[0]["action"], "secretsmanager:PutSecretValue");
    assert_eq!(denied[0]["resource"], "${SecretArn}");
    assert_eq!(denied[0]["decision"], "implicit_deny");
    assert!(
        denied[0]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("no statement allows it")),
        "{denied:?}"
    );
    // The text report names the denial and the role policy it read.
    let text = run(&["check", "--strategy", "single-user", "--template", &file]);
    assert_eq!(text.status.code(), Some(1));
    let out = stdout(&text);
    assert!(out.starts_with("rotation: DENIED\n"), "{out}");
    assert!(
        out.contains("DENIED secretsmanager:PutSecretValue on ${SecretArn}"),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "role policy: {file}#/Resources/RotationRole/Properties/Policies/0/PolicyDocument"
        )),
        "{out}"
    );
}

/// What `generate --format cloudformation` writes (the role and the
/// permission of a function deployed elsewhere) checks allowed, with and
/// without a customer managed key.
#[test]
fn the_generated_cloudformation_template_is_allowed() {
    for kms in [&[][..], &["--kms"][..]] {
        let mut generate = vec![
            "generate",
            "--strategy",
            "single-user",
            "--format",
            "cloudformation",
        ];
        generate.extend_from_slice(kms);
        let generated = run(&generate);
        assert_eq!(generated.status.code(), Some(0), "{}", stderr(&generated));
        let mut check = vec![
            "check",
            "--strategy",
            "single-user",
            "--format",
            "json",
            "--template",
            "-",
        ];
        check.extend_from_slice(kms);
        let output = run_with(&check, stdout(&generated));
        let report = json(&output);
        assert_eq!(output.status.code(), Some(0), "{report:#}");
        assert_eq!(report["allowed"], true);
        assert_eq!(report["template"]["function"], Value::Null);
        assert_eq!(report["template"]["role"], "RotationFunctionExecutionRole");
        let found = decisions(&report);
        assert!(found.iter().all(|(_, d, _)| d == "allowed"), "{found:?}");
        assert_eq!(
            found.iter().any(|(a, _, _)| a == "kms:Decrypt"),
            !kms.is_empty(),
            "{found:?}"
        );
        assert_eq!(report["resource_policy"]["restricted"], true, "{report:#}");
    }
}

/// A `Deny` on a parameter's secret and a permission under a condition:
/// the evaluation of the placeholders says allowed, the check says it
/// cannot prove it.
#[test]
fn values_the_template_leaves_open_are_not_provable() {
    let file = template("sam-unprovable.yaml");
    let (code, report) = check_json(&file, &[]);
    assert_eq!(code, Some(1), "{report:#}");
    assert_eq!(report["allowed"], false);
    assert_eq!(report["template"]["provable"], false);
    let reasons: Vec<&str> = report["template"]["unprovable"]
        .as_array()
        .expect("unprovable")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(
        reasons[0].starts_with("secretsmanager:PutSecretValue on ${SecretArn}")
            && reasons[0].contains("/Resources/Guard/Properties/PolicyDocument/Statement/0")
            && reasons[0].contains("`${LockedSecretArn}`"),
        "{reasons:?}"
    );
    assert!(
        reasons[1].starts_with("lambda:InvokeFunction") && reasons[1].contains("`IsProd`"),
        "{reasons:?}"
    );
    let text = run(&["check", "--strategy", "single-user", "--template", &file]);
    assert_eq!(text.status.code(), Some(1));
    assert!(
        stdout(&text).starts_with("rotation: NOT PROVABLE"),
        "{}",
        stdout(&text)
    );
}

const TWO_FUNCTIONS: &str = "Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: rotation
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action: [secretsmanager:DescribeSecret, secretsmanager:GetSecretValue, secretsmanager:PutSecretValue, secretsmanager:UpdateSecretVersionStage]
                Resource: !Ref Secret
              - Effect: Allow
                Action: secretsmanager:GetRandomPassword
                Resource: '*'
  Secret:
    Type: AWS::SecretsManager::Secret
  Rotator:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt Role.Arn
  Other:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::111122223333:role/elsewhere
  Schedule:
    Type: AWS::SecretsManager::RotationSchedule
    Properties:
      SecretId: !Ref Secret
      RotationLambdaARN: !GetAtt Rotator.Arn
";

/// One stderr line naming the flag, exit 2, nothing on stdout.
fn usage_error(output: &Output, flag: &str, says: &str) {
    assert_eq!(output.status.code(), Some(2), "{}", stdout(output));
    assert!(stdout(output).is_empty(), "{}", stdout(output));
    let err = stderr(output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains(&format!("`{flag}`")), "{err}");
    assert!(err.contains(says), "{err}");
}

#[test]
fn the_function_is_chosen_by_logical_id_and_errors_name_the_flag() {
    let check = |extra: &[&str]| {
        let mut args = vec!["check", "--strategy", "single-user", "--template", "-"];
        args.extend_from_slice(extra);
        run_with(&args, TWO_FUNCTIONS)
    };
    usage_error(&check(&[]), "--function", "has 2 functions (`Rotator`, `Other`)");
    usage_error(
        &check(&["--function", "Missing"]),
        "--function",
        "no function `Missing`",
    );
    usage_error(
        &check(&["--function", "Other"]),
        "--template",
        "(`arn:aws:iam::111122223333:role/elsewhere`) is not an `AWS::IAM::Role`",
    );
    let chosen = check(&["--function", "Rotator", "--no-vpc"]);
    assert_eq!(chosen.status.code(), Some(1), "{}", stderr(&chosen));
    // No permission in this template: the role's requests are allowed, the
    // function policy is missing (said in the notes).
    let out = stdout(&chosen);
    assert!(
        out.contains("no `AWS::Lambda::Permission` for the function"),
        "{out}"
    );

    let hosted = "Transform: AWS::SecretsManager-2024-09-16
Resources:
  Secret:
    Type: AWS::SecretsManager::Secret
  Rotation:
    Type: AWS::SecretsManager::RotationSchedule
    Properties:
      SecretId: !Ref Secret
      HostedRotationLambda: {RotationType: MySQLSingleUser}
";
    usage_error(
        &run_with(&["check", "--strategy", "single-user", "--template", "-"], hosted),
        "--function",
        "its rotation `Rotation` is hosted",
    );
    usage_error(
        &run_with(
            &["check", "--strategy", "single-user", "--template", "-"],
            "Resources: [\n",
        ),
        "--template",
        "YAML syntax error",
    );
    usage_error(
        &run(&[
            "check",
            "--strategy",
            "single-user",
            "--template",
            "no-such-file.yaml",
        ]),
        "--template",
        "no-such-file.yaml",
    );
}

#[test]
fn template_conflicts_with_the_policy_files_and_the_derived_values() {
    let file = template("sam-custom-rotation.yaml");
    for extra in [
        &["--role-policy", "p.json"][..],
        &["--resource-policy", "p.json"][..],
        &[
            "--secret",
            "arn:aws:secretsmanager:us-east-1:111122223333:secret:x-AbCdEf",
        ][..],
    ] {
        let mut args = vec!["check", "--strategy", "single-user", "--template", &file];
        args.extend_from_slice(extra);
        let output = run(&args);
        assert_eq!(output.status.code(), Some(2), "{extra:?}");
        assert!(
            stderr(&output).contains("cannot be used with"),
            "{}",
            stderr(&output)
        );
    }
}

/// Without a rotation schedule the template does not say which secret the
/// function rotates: a role that grants on a secret of another name is not
/// proved denied.
#[test]
fn without_a_rotation_schedule_a_denial_is_not_provable() {
    let source = "Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action: [secretsmanager:DescribeSecret, secretsmanager:GetSecretValue, secretsmanager:PutSecretValue, secretsmanager:UpdateSecretVersionStage]
                Resource: !Ref DbSecret
              - Effect: Allow
                Action: secretsmanager:GetRandomPassword
                Resource: '*'
  DbSecret:
    Type: AWS::SecretsManager::Secret
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt Role.Arn
  Invoke:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !Ref Fn
      Principal: secretsmanager.amazonaws.com
      SourceAccount: !Ref AWS::AccountId
";
    let text = run_with(&["check", "--strategy", "single-user", "--template", "-"], source);
    assert_eq!(text.status.code(), Some(1), "{}", stderr(&text));
    let out = stdout(&text);
    assert!(
        out.starts_with("rotation: NOT PROVABLE (denied if the values below are as assumed)"),
        "{out}"
    );
    let json_out = run_with(
        &[
            "check",
            "--strategy",
            "single-user",
            "--format",
            "json",
            "--template",
            "-",
        ],
        source,
    );
    let report = json(&json_out);
    assert_eq!(report["allowed"], false);
    let reasons = report["template"]["unprovable"].as_array().expect("unprovable");
    assert_eq!(reasons.len(), 4, "{reasons:?}");
    assert!(reasons.iter().all(|r| r
        .as_str()
        .is_some_and(|r| r.contains("no `AWS::SecretsManager::RotationSchedule`"))));
}
