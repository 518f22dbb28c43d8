//! `rotation-policy lint` on policies where they live: directories,
//! CloudFormation templates (JSON, YAML with short forms, CDK-style), the
//! project's own `generate --format cloudformation`, Terraform plans and
//! JSON configurations; and the bad input a walk meets.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rotation-policy"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> &str {
    std::str::from_utf8(&output.stdout).expect("stdout is UTF-8")
}

fn stderr(output: &Output) -> &str {
    std::str::from_utf8(&output.stderr).expect("stderr is UTF-8")
}

fn template(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/templates")
        .join(name)
        .to_str()
        .expect("UTF-8 path")
        .to_owned()
}

/// The JSON findings of a run (stdout is always one JSON array).
fn findings(output: &Output) -> Vec<Value> {
    let value: Value = serde_json::from_str(stdout(output))
        .unwrap_or_else(|e| panic!("stdout is JSON ({e}): {}", stdout(output)));
    value.as_array().expect("a JSON array").clone()
}

/// `(code, pointer, line, column)` of each finding.
fn located(findings: &[Value]) -> Vec<(String, String, u64, u64)> {
    findings
        .iter()
        .map(|f| {
            (
                f["code"].as_str().expect("code").to_owned(),
                f["pointer"].as_str().expect("pointer").to_owned(),
                f["line"].as_u64().expect("line"),
                f["column"].as_u64().expect("column"),
            )
        })
        .collect()
}

/// The 1-based line and character column where `needle` first occurs in
/// the file, found by reading it (so the expectations below follow the
/// fixture rather than restating it).
fn position_of(path: &str, needle: &str) -> (u64, u64) {
    let text = std::fs::read_to_string(path).expect("fixture");
    for (i, line) in text.lines().enumerate() {
        if let Some(at) = line.find(needle) {
            let column = line[..at].chars().count() + 1;
            return ((i + 1) as u64, column as u64);
        }
    }
    panic!("`{needle}` is not in {path}");
}

/// A fresh directory for one test.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rotation-policy-walk-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

const BAD_POLICY: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "*"}]}"#;

#[test]
fn a_yaml_template_with_short_forms_lints_clean() {
    let path = template("rotation-short-forms.yaml");
    let output = run(&["lint", "--format", "json", "--fail-on", "suggestion", &path]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(findings(&output), Vec::<Value>::new());
    assert_eq!(stderr(&output), "");
}

#[test]
fn findings_point_into_the_yaml_template() {
    let path = template("mistakes-short-forms.yaml");
    let output = run(&["lint", "--format", "json", &path]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let role = "/Resources/RotationRole/Properties/Policies/0/PolicyDocument/Statement";
    let at = |needle| position_of(&path, needle);
    let expected = [
        (
            "ACTION_NOT_IN_CATALOG",
            format!("{role}/0/Action"),
            at("secretsmanager:GetSecretValu"),
        ),
        // The statement inside `!If`: its pointer goes through the branch.
        (
            "KMS_ALIAS_AS_KEY_RESOURCE",
            format!("{role}/1/Fn::If/1/Resource"),
            at("!Sub \"arn:${AWS::Partition}:kms"),
        ),
        // The permission without SourceAccount/SourceArn: the confused deputy.
        (
            "RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL",
            "/Resources/RotationPermission/Properties/Principal".to_owned(),
            at("secretsmanager.amazonaws.com"),
        ),
        // A policy given as a string of JSON that does not parse.
        (
            "JSON_SYNTAX_ERROR",
            "/Resources/ManagedPolicy/Properties/PolicyDocument".to_owned(),
            at("'{\"Version\""),
        ),
    ]
    .map(|(code, pointer, (line, column))| (code.to_owned(), pointer, line, column));
    assert_eq!(located(&findings(&output)), expected);
    // The trust policy of `lambda.amazonaws.com` has no `Resource` and no
    // source condition, as every execution role's: no finding there.
}

#[test]
fn text_and_sarif_show_the_template_position_and_pointer() {
    let path = template("mistakes-short-forms.yaml");
    let (line, column) = position_of(&path, "secretsmanager.amazonaws.com");
    let pointer = "/Resources/RotationPermission/Properties/Principal";
    let text = run(&["lint", &path]);
    let text = stdout(&text);
    assert!(text.contains(&format!("{path}:{line}:{column}")), "{text}");
    assert!(text.contains(&format!("at `{pointer}`")), "{text}");
    assert!(text.contains("Principal: secretsmanager.amazonaws.com"), "{text}");
    let sarif = run(&["lint", "--format", "sarif", &path]);
    let sarif: Value = serde_json::from_str(stdout(&sarif)).expect("SARIF is JSON");
    let result = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|r| r["ruleId"] == "RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL")
        .expect("the permission's finding");
    let location = &result["locations"][0];
    assert_eq!(location["physicalLocation"]["region"]["startLine"], line);
    assert_eq!(location["physicalLocation"]["region"]["startColumn"], column);
    assert_eq!(location["logicalLocations"][0]["fullyQualifiedName"], pointer);
}

#[test]
fn a_cdk_lambda_permission_without_source_account_is_flagged() {
    let path = template("cdk-rotation.template.json");
    let output = run(&["lint", "--format", "json", "--fail-on", "security-warning", &path]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let (line, column) = position_of(&path, "\"secretsmanager.amazonaws.com\"");
    assert_eq!(
        located(&findings(&output)),
        [(
            "RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL".to_owned(),
            "/Resources/RotationFnInvokeN0a2GKfZP0JmDqDEVhhu6A0TUv3NyNbk4YMFKNc69846677/Properties/Principal"
                .to_owned(),
            line,
            column
        )]
    );
}

#[test]
fn the_generated_cloudformation_template_lints_clean_at_warning() {
    let dir = temp_dir("generated");
    let cases: [&[&str]; 4] = [
        &["--strategy", "single-user"],
        &["--strategy", "alternating-users", "--kms"],
        &["--strategy", "single-user", "--source-arn", "--no-vpc"],
        &[
            "--strategy",
            "alternating-users",
            "--account",
            "123456789012",
            "--secret",
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
            "--function",
            "arn:aws:lambda:us-east-1:123456789012:function:rotation",
            "--kms-key",
            "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        ],
    ];
    for (i, options) in cases.iter().enumerate() {
        let generated = run(&[&["generate", "--format", "cloudformation"][..], options].concat());
        assert_eq!(generated.status.code(), Some(0), "{}", stderr(&generated));
        let path = dir.join(format!("generated-{i}.json"));
        std::fs::write(&path, &generated.stdout).expect("write template");
        let path = path.to_str().expect("UTF-8 path");
        let output = run(&["lint", "--format", "json", "--fail-on", "warning", path]);
        let found = findings(&output);
        assert_eq!(output.status.code(), Some(0), "{options:?}: {found:?}");
        assert!(
            found.iter().all(|f| f["severity"] == "suggestion"),
            "{options:?}: {found:?}"
        );
        assert_eq!(stderr(&output), "");
        // Its policies were read: a misspelt action in the role's inline
        // policy is found there.
        let template = String::from_utf8(generated.stdout).expect("UTF-8");
        let broken = template.replacen(
            "secretsmanager:DescribeSecret\"",
            "secretsmanager:DescribeSecrets\"",
            1,
        );
        assert_ne!(broken, template, "the role policy has DescribeSecret");
        std::fs::write(path, broken).expect("write template");
        let output = run(&["lint", "--format", "json", path]);
        let found = located(&findings(&output));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "ACTION_NOT_IN_CATALOG");
        assert!(
            found[0].1.starts_with(
                "/Resources/RotationFunctionExecutionRole/Properties/Policies/0/PolicyDocument/Statement/"
            ),
            "{found:?}"
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn terraform_plans_and_json_configurations_are_linted() {
    let plan = template("terraform-plan.json");
    // A misspelt action is a warning (ACTION_NOT_IN_CATALOG, see the README).
    let output = run(&["lint", "--format", "json", "--fail-on", "warning", &plan]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let found = located(&findings(&output));
    let codes: Vec<(&str, &str)> = found.iter().map(|(c, p, ..)| (c.as_str(), p.as_str())).collect();
    assert_eq!(
        codes,
        [
            (
                "ACTION_NOT_IN_CATALOG",
                "/planned_values/root_module/resources/0/values/inline_policy/0/policy"
            ),
            (
                "RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL",
                "/planned_values/root_module/resources/2/values/principal"
            ),
        ]
    );
    // The action inside the policy string: the column of its escaped quote.
    let (line, _) = position_of(&plan, "GetRandomPasswrd");
    let text = std::fs::read_to_string(&plan).expect("plan");
    let row = text.lines().nth(line as usize - 1).expect("line");
    let column = row[..row.find("\\\"secretsmanager:GetRandomPasswrd").expect("escaped")]
        .chars()
        .count()
        + 1;
    assert_eq!((found[0].2, found[0].3), (line, column as u64));
    // A policy computed during apply is noted; a permission whose
    // `source_arn` is computed has a source, unknown until then.
    assert_eq!(
        stderr(&output),
        format!(
            "rotation-policy: note: {plan}: `/resource_changes/1/change/after_unknown/policy` is known \
             only after apply; not linted\n"
        )
    );
    let mut without_changes: Value = serde_json::from_str(&text).expect("plan JSON");
    without_changes["resource_changes"] = Value::Array(Vec::new());
    let dir = temp_dir("plan");
    let path = dir.join("plan.json");
    std::fs::write(&path, without_changes.to_string()).expect("write");
    let output = run(&["lint", "--format", "json", path.to_str().expect("UTF-8")]);
    let pointers: Vec<String> = located(&findings(&output))
        .into_iter()
        .filter(|f| f.0 == "RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL")
        .map(|f| f.1)
        .collect();
    assert_eq!(
        pointers,
        [
            "/planned_values/root_module/resources/2/values/principal",
            "/planned_values/root_module/resources/3/values/principal"
        ]
    );
    let _ = std::fs::remove_dir_all(dir);

    let config = template("rotation.tf.json");
    let output = run(&["lint", "--format", "json", "--fail-on", "warning", &config]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let found = located(&findings(&output));
    // `source_account` is set: no confused-deputy finding; the interpolated
    // secret ARN is Terraform's, not an unresolved placeholder.
    assert_eq!(
        found.iter().map(|f| f.0.as_str()).collect::<Vec<_>>(),
        ["ACTION_NOT_IN_CATALOG"]
    );
    assert_eq!(found[0].1, "/resource/aws_iam_role_policy/rotation/policy");
    assert_eq!(
        stderr(&output),
        format!(
            "rotation-policy: note: {config}: `/resource/aws_iam_role/rotation/assume_role_policy` is a \
             Terraform expression, which cannot be evaluated here; not linted\n"
        )
    );
}

#[test]
fn a_transform_is_noted_and_what_is_visible_is_linted() {
    let path = template("sam-transform.yaml");
    let output = run(&["lint", "--format", "json", "--fail-on", "suggestion", &path]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stderr(&output).lines().count(), 1);
    assert!(
        stderr(&output).starts_with(&format!(
            "rotation-policy: note: {path}: transform `AWS::Serverless-2016-10-31`"
        )),
        "{}",
        stderr(&output)
    );
    // The permission it shows was linted: without SourceAccount it is flagged.
    let source = std::fs::read_to_string(&path).expect("fixture");
    let dir = temp_dir("sam");
    let stripped = dir.join("sam.yaml");
    std::fs::write(
        &stripped,
        source.replace("      SourceAccount: !Ref AWS::AccountId\n", ""),
    )
    .expect("write");
    let output = run(&["lint", "--format", "json", stripped.to_str().expect("UTF-8")]);
    assert_eq!(
        located(&findings(&output))
            .into_iter()
            .map(|f| f.0)
            .collect::<Vec<_>>(),
        ["RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL"]
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_yaml_template_on_stdin_is_read() {
    let source = std::fs::read(template("mistakes-short-forms.yaml")).expect("fixture");
    let mut child = Command::new(env!("CARGO_BIN_EXE_rotation-policy"))
        .args(["lint", "--format", "json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), &source).expect("write");
    let output = child.wait_with_output().expect("finishes");
    let found = findings(&output);
    assert_eq!(found.len(), 4, "{found:?}");
    assert!(found.iter().all(|f| f["file"] == "<stdin>"));
}

#[test]
fn a_directory_is_walked_honouring_gitignore_with_one_summary_line() {
    let dir = temp_dir("walk");
    std::fs::create_dir_all(dir.join("nested/deeper")).expect("dirs");
    std::fs::write(dir.join("bad-policy.json"), BAD_POLICY).expect("write");
    std::fs::copy(
        template("cdk-rotation.template.json"),
        dir.join("nested/stack.template.json"),
    )
    .expect("copy");
    std::fs::copy(
        template("rotation-short-forms.yaml"),
        dir.join("nested/deeper/stack.yml"),
    )
    .expect("copy");
    std::fs::write(dir.join("README.md"), "# not a policy\n").expect("write");
    std::fs::write(dir.join("package.json"), r#"{"name": "app", "version": "1.0.0"}"#).expect("write");
    std::fs::write(dir.join("ci.yaml"), "jobs:\n  test:\n    runs-on: linux\n").expect("write");
    std::fs::write(dir.join(".gitignore"), "ignored/\n").expect("write");
    std::fs::create_dir_all(dir.join("ignored")).expect("dir");
    std::fs::write(dir.join("ignored/bad.json"), BAD_POLICY).expect("write");
    let root = dir.to_str().expect("UTF-8");
    let output = run(&["lint", "--format", "json", "--fail-on", "warning", root]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let found = findings(&output);
    let files: Vec<&str> = found.iter().map(|f| f["file"].as_str().expect("file")).collect();
    assert_eq!(
        files,
        [
            dir.join("bad-policy.json").to_str().expect("UTF-8"),
            dir.join("nested/stack.template.json").to_str().expect("UTF-8"),
        ]
    );
    // Read: the policy, the two templates; skipped: README.md (by name),
    // package.json and ci.yaml (neither policy nor template); .gitignore is
    // hidden and `ignored/` is ignored, so neither is counted.
    assert_eq!(
        stderr(&output),
        "rotation-policy: linted 3 files (1 policy file, 2 CloudFormation templates), skipped 3 files\n"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[cfg(unix)]
#[test]
fn bad_input_in_a_walk_is_reported_with_its_path_and_the_rest_is_linted() {
    let dir = temp_dir("bad");
    std::fs::write(dir.join("a-bad-policy.json"), BAD_POLICY).expect("write");
    std::fs::write(dir.join("b-malformed.yaml"), "Resources:\n  A: [1, 2\n").expect("write");
    std::fs::write(
        dir.join("c-unknown-tag.yaml"),
        "Resources:\n  A:\n    Type: !Bogus x\n",
    )
    .expect("write");
    std::os::unix::fs::symlink(dir.join("missing.json"), dir.join("d-dangling.json")).expect("symlink");
    std::fs::create_dir_all(dir.join("e-loop")).expect("dir");
    std::os::unix::fs::symlink(&dir, dir.join("e-loop/back")).expect("symlink");
    std::fs::write(
        dir.join("f-good.yaml"),
        std::fs::read(template("mistakes-short-forms.yaml")).expect("read"),
    )
    .expect("write");
    let root = dir.to_str().expect("UTF-8");
    let output = run(&["lint", "--format", "json", "--fail-on", "warning", root]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    // Both readable files were linted.
    let found = findings(&output);
    let files: std::collections::BTreeSet<&str> =
        found.iter().map(|f| f["file"].as_str().expect("file")).collect();
    assert_eq!(files.len(), 2, "{found:?}");
    let err = stderr(&output);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 5, "{err}");
    let path = |name: &str| dir.join(name).to_str().expect("UTF-8").to_owned();
    assert!(
        lines[0].starts_with(&format!(
            "rotation-policy: error: cannot read `{}` at 3:",
            path("b-malformed.yaml")
        )) && lines[0].contains("YAML syntax error"),
        "{err}"
    );
    assert!(
        lines[1].starts_with(&format!(
            "rotation-policy: error: cannot read `{}` at 3:11:",
            path("c-unknown-tag.yaml")
        )) && lines[1].contains("unknown tag `!Bogus`"),
        "{err}"
    );
    assert!(lines[2].contains(&path("d-dangling.json")), "{err}");
    assert!(lines[3].contains(&path("e-loop/back")), "{err}");
    assert!(lines[3].to_lowercase().contains("loop"), "{err}");
    assert_eq!(
        lines[4],
        "rotation-policy: linted 2 files (1 policy file, 1 CloudFormation template), skipped 0 files"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn an_ignored_directory_is_linted_when_named() {
    let dir = temp_dir("cdk-app");
    std::fs::create_dir_all(dir.join("cdk.out")).expect("dir");
    std::fs::write(dir.join(".gitignore"), "cdk.out\n").expect("write");
    std::fs::copy(
        template("cdk-rotation.template.json"),
        dir.join("cdk.out/Stack.template.json"),
    )
    .expect("copy");
    let output = run(&["lint", "--format", "json", dir.to_str().expect("UTF-8")]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stderr(&output),
        "rotation-policy: linted 0 files, skipped 0 files\n"
    );
    let named = dir.join("cdk.out");
    let named = named.to_str().expect("UTF-8");
    let output = run(&["lint", "--format", "json", "--fail-on", "security-warning", named]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(
        located(&findings(&output))
            .into_iter()
            .map(|f| f.0)
            .collect::<Vec<_>>(),
        ["RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL"]
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn findings_follow_the_order_of_the_arguments_however_many_files_are_linted_at_once() {
    // Files are read and linted in parallel; the report keeps the order
    // given: named files as named, a directory's files by name where the
    // directory is named, unreadable files reported without stopping.
    let dir = temp_dir("order");
    std::fs::create_dir_all(dir.join("walked")).expect("dir");
    let mut args = vec!["lint".to_owned(), "--format".to_owned(), "json".to_owned()];
    let mut expected = Vec::new();
    for i in (0..120).rev() {
        let path = dir.join(format!("named-{i:03}.json"));
        std::fs::write(&path, BAD_POLICY).expect("write");
        let path = path.to_str().expect("UTF-8").to_owned();
        args.push(path.clone());
        expected.push(path);
        if i == 60 {
            for j in 0..40 {
                let walked = dir.join(format!("walked/w-{j:02}.json"));
                std::fs::write(&walked, BAD_POLICY).expect("write");
                expected.push(walked.to_str().expect("UTF-8").to_owned());
            }
            args.push(dir.join("walked").to_str().expect("UTF-8").to_owned());
            args.push(dir.join("missing.json").to_str().expect("UTF-8").to_owned());
        }
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = run(&args);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let found = findings(&output);
    let mut files: Vec<&str> = found.iter().map(|f| f["file"].as_str().expect("file")).collect();
    files.dedup();
    assert_eq!(files, expected);
    assert!(stderr(&output).contains("missing.json"), "{}", stderr(&output));
    let _ = std::fs::remove_dir_all(dir);
}
