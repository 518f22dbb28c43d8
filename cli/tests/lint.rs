//! `rotation-policy lint`, run as a process: output formats, exit codes,
//! and robustness on hostile input (bad bytes, invalid UTF-8, deep nesting,
//! oversized files, empty input, a lone `null`).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_rotation-policy"))
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("the binary runs")
}

fn run_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut stdin = child.stdin.take().expect("stdin");
    // The child may stop reading early (size limit): a broken pipe is fine.
    let _ = stdin.write_all(input);
    drop(stdin);
    child.wait_with_output().expect("the binary finishes")
}

fn stdout(output: &Output) -> &str {
    std::str::from_utf8(&output.stdout).expect("stdout is UTF-8")
}

fn stderr(output: &Output) -> &str {
    std::str::from_utf8(&output.stderr).expect("stderr is UTF-8")
}

fn fixture(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/lint")
        .join(path)
        .to_str()
        .expect("UTF-8 path")
        .to_owned()
}

/// A file in a fresh temporary directory.
fn temp_file(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rotation-policy-lint-test-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("temp file");
    path
}

/// The JSON findings of one run, with exit code 1 and a clean stderr.
fn json_findings(output: &Output) -> Vec<Value> {
    assert_eq!(output.status.code(), Some(1), "stderr: {}", stderr(output));
    assert_eq!(stderr(output), "");
    let value: Value = serde_json::from_str(stdout(output)).expect("stdout is one JSON value");
    value.as_array().expect("a JSON array").clone()
}

fn codes(findings: &[Value]) -> Vec<&str> {
    findings
        .iter()
        .map(|f| f["code"].as_str().expect("code"))
        .collect()
}

#[test]
fn json_findings_have_the_pinned_shape() {
    let path = fixture("bad/action_not_in_catalog.json");
    let findings = json_findings(&run(&["lint", "--format", "json", "--fail-on", "warning", &path]));
    assert_eq!(findings.len(), 1);
    let f = findings[0].as_object().expect("an object");
    let keys: Vec<&str> = f.keys().map(String::as_str).collect();
    let mut want = ["file", "code", "severity", "message", "pointer", "line", "column"];
    want.sort_unstable();
    let mut keys_sorted = keys.clone();
    keys_sorted.sort_unstable();
    assert_eq!(keys_sorted, want);
    assert_eq!(f["file"], path.as_str());
    assert_eq!(f["code"], "ACTION_NOT_IN_CATALOG");
    assert_eq!(f["severity"], "warning");
    assert_eq!(f["pointer"], "/Statement/0/Action");
    assert_eq!((f["line"].as_u64(), f["column"].as_u64()), (Some(6), Some(17)));
    assert!(f["message"]
        .as_str()
        .is_some_and(|m| m.contains("did you mean `secretsmanager:GetSecretValue`")));
    // The keys come in the documented order.
    let text = stdout(&run(&["lint", "--format", "json", &path])).to_owned();
    let positions: Vec<usize> = [
        "\"file\"",
        "\"code\"",
        "\"severity\"",
        "\"message\"",
        "\"pointer\"",
    ]
    .iter()
    .map(|k| text.find(k).expect("key present"))
    .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{text}");
}

#[test]
fn text_output_is_rustc_like_without_colour_when_piped() {
    let path = fixture("bad/action_not_in_catalog.json");
    let output = run(&["lint", "--fail-on", "warning", &path]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(
        text.starts_with(
            "warning[ACTION_NOT_IN_CATALOG]: action `secretsmanager:GetSecretValu` is not in the catalog"
        ),
        "{text}"
    );
    assert!(text.contains(&format!("--> {path}:6:17")), "{text}");
    assert!(
        text.contains("\"Action\": \"secretsmanager:GetSecretValu\","),
        "{text}"
    );
    let caret_line = text.lines().find(|l| l.contains('^')).expect("a caret line");
    let caret_col = caret_line.find('^').expect("caret");
    let source_line = text
        .lines()
        .find(|l| l.contains("\"Action\""))
        .expect("source line");
    assert_eq!(source_line.find("\"secretsmanager").expect("value"), caret_col);
    assert!(caret_line.contains("at `/Statement/0/Action`"), "{caret_line}");
    assert!(
        !text.contains('\u{1b}'),
        "no colour when stdout is not a terminal"
    );
    assert!(text.trim_end().ends_with("1 warning in 1 of 1 file"), "{text}");
}

#[test]
fn sarif_is_version_2_1_0_with_one_result_per_finding() {
    let path = fixture("bad/type_mismatch_string.json");
    let output = run(&["lint", "--format", "sarif", &path]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "only warnings: below the default threshold"
    );
    let log: Value = serde_json::from_str(stdout(&output)).expect("SARIF is JSON");
    assert_eq!(log["version"], "2.1.0");
    let run0 = &log["runs"][0];
    assert_eq!(run0["tool"]["driver"]["name"], "rotation-policy");
    let results = run0["results"].as_array().expect("results");
    let rules = run0["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(results.len(), 2);
    for result in results {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert_eq!(result["level"], "warning");
        let location = &result["locations"][0];
        // An absolute path is a `file://` URI (artifactLocation.uri is a URI reference).
        assert_eq!(
            location["physicalLocation"]["artifactLocation"]["uri"],
            format!("file://{}", path.replace(' ', "%20"))
        );
        assert_eq!(location["physicalLocation"]["region"]["startLine"], 8);
        assert_eq!(
            location["logicalLocations"][0]["fullyQualifiedName"],
            "/Statement/0/Condition/BinaryEquals/aws:PrincipalTag~1team"
        );
    }
}

#[test]
fn fail_on_sets_the_threshold() {
    let warning_only = fixture("bad/missing_version.json");
    assert_eq!(run(&["lint", &warning_only]).status.code(), Some(0));
    let suggestion_only = fixture("bad/redundant_action.json");
    for (fail_on, file, code) in [
        ("warning", &warning_only, 1),
        ("security-warning", &warning_only, 0),
        ("warning", &suggestion_only, 0),
        ("suggestion", &suggestion_only, 1),
    ] {
        let status = run(&["lint", "--fail-on", fail_on, file]).status;
        assert_eq!(status.code(), Some(code), "--fail-on {fail_on} {file}");
    }
    let clean = fixture("good/rotation_role_latest_aws_doc.json");
    let output = run(&["lint", "--fail-on", "suggestion", &clean]);
    assert_eq!((output.status.code(), stdout(&output)), (Some(0), ""));
}

#[test]
fn policy_type_flag_changes_the_rules() {
    let resource = fixture("good/lambda_resource_policy_as_lambda_returns_it.json");
    assert_eq!(
        run(&["lint", "--type", "resource", &resource]).status.code(),
        Some(0)
    );
    let findings = json_findings(&run(&[
        "lint", "--type", "identity", "--format", "json", &resource,
    ]));
    assert!(
        codes(&findings).contains(&"UNSUPPORTED_PRINCIPAL"),
        "{findings:?}"
    );
    assert!(codes(&findings).contains(&"UNSUPPORTED_SID"), "{findings:?}");
}

#[test]
fn stdin_is_read_for_dash() {
    let findings = json_findings(&run_stdin(
        &["lint", "--format", "json", "-"],
        b"{\"Version\": \"2012-10-17\"}",
    ));
    assert_eq!(codes(&findings), ["MISSING_STATEMENT"]);
    assert_eq!(findings[0]["file"], "<stdin>");
}

#[test]
fn usage_errors_are_one_line_with_exit_2() {
    for args in [
        &["lint"][..],
        &["lint", "--type", "bogus", "x.json"],
        &["lint", "--fail-on", "fatal", "x.json"],
    ] {
        let output = run(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert_eq!(stdout(&output), "", "{args:?}");
        assert_eq!(
            stderr(&output).lines().count(),
            1,
            "{args:?}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn an_unreadable_file_is_one_error_line_and_the_rest_is_still_linted() {
    let missing = "/nonexistent/rotation-policy/policy.json";
    let good = fixture("bad/invalid_action.json");
    let output = run(&["lint", "--format", "json", missing, &good]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains(missing) && err.starts_with("rotation-policy: error:"),
        "{err}"
    );
    let findings: Value = serde_json::from_str(stdout(&output)).expect("JSON");
    assert_eq!(findings.as_array().map(Vec::len), Some(1));
}

#[test]
fn a_20_mb_file_is_refused_with_one_line() {
    let path = temp_file("big.json", &vec![b' '; 20 * 1024 * 1024]);
    let output = run(&["lint", path.to_str().expect("UTF-8 path")]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stdout(&output), "");
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("larger than 4 MiB"), "{err}");
    let output = run_stdin(&["lint", "-"], &vec![b'['; 20 * 1024 * 1024]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stderr(&output).lines().count(), 1);
}

/// (name, input, first finding's code, its line and column)
type HostileCase<'a> = (&'a str, &'a [u8], &'a str, (u64, u64));

/// Each hostile input yields findings (exit 1), never a crash.
#[test]
fn hostile_inputs_become_findings() {
    let nested_50 = format!(
        "{{\"Version\": \"2012-10-17\", \"Statement\": {}{}}}",
        "[".repeat(50),
        "]".repeat(50)
    );
    let deep = "[".repeat(100_000);
    let cases: [HostileCase<'_>; 6] = [
        ("empty", b"", "JSON_SYNTAX_ERROR", (1, 1)),
        ("null", b"null", "DATA_TYPE_MISMATCH", (1, 1)),
        (
            "bad bytes",
            b"{\"Version\": \x00\x01\x02}",
            "JSON_SYNTAX_ERROR",
            (1, 13),
        ),
        (
            "invalid UTF-8",
            b"{\n  \"Sid\": \"\xc3\x28\"\n}",
            "JSON_SYNTAX_ERROR",
            (2, 11),
        ),
        ("50 levels", nested_50.as_bytes(), "DATA_TYPE_MISMATCH", (1, 41)),
        ("100k brackets", deep.as_bytes(), "JSON_SYNTAX_ERROR", (1, 129)),
    ];
    for (name, input, code, (line, column)) in cases {
        let path = temp_file(&format!("{}.json", name.replace(' ', "_")), input);
        let findings = json_findings(&run(&["lint", "--format", "json", path.to_str().expect("path")]));
        let first = &findings[0];
        assert_eq!(first["code"], code, "{name}: {findings:?}");
        assert_eq!(
            (first["line"].as_u64(), first["column"].as_u64()),
            (Some(line), Some(column)),
            "{name}"
        );
        // The text renderer copes too.
        let text = run(&["lint", path.to_str().expect("path")]);
        assert_eq!(text.status.code(), Some(1), "{name}");
        assert!(stdout(&text).contains(code), "{name}");
    }
}

/// `generate`'s output piped into `lint`: the recommended profile is clean
/// at `--fail-on warning`; the 2021 page's role policy fails on its
/// `aws:SourceAccount` condition.
#[test]
fn generated_policies_pass_lint_and_the_2021_profile_does_not() {
    let spec = [
        "--strategy",
        "alternating-users",
        "--account",
        "111122223333",
        "--secret",
        "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-db-AbCdEf",
        "--function",
        "arn:aws:lambda:us-east-1:111122223333:function:rotate-app-db",
        "--superuser-secret",
        "arn:aws:secretsmanager:us-east-1:111122223333:secret:admin-XyZ123",
        "--kms-key",
        "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    ];
    for (profile, only, clean) in [
        ("recommended", "execution-role-policy", true),
        ("recommended", "resource-policy", true),
        ("aws-doc-2021", "resource-policy", true),
        ("aws-doc-2021", "execution-role-policy", false),
    ] {
        let mut args = vec!["generate"];
        args.extend(spec);
        args.extend(["--profile", profile, "--only", only]);
        let generated = run(&args);
        assert_eq!(generated.status.code(), Some(0), "{}", stderr(&generated));
        let linted = run_stdin(
            &["lint", "--fail-on", "warning", "--format", "json", "-"],
            &generated.stdout,
        );
        let findings: Value = serde_json::from_str(stdout(&linted)).expect("JSON");
        if clean {
            assert_eq!(linted.status.code(), Some(0), "{profile} {only}: {findings}");
        } else {
            assert_eq!(linted.status.code(), Some(1), "{profile} {only}");
            let codes: Vec<&str> = findings
                .as_array()
                .expect("array")
                .iter()
                .filter_map(|f| f["code"].as_str())
                .collect();
            assert_eq!(codes, ["SERVICE_REQUEST_KEY_IN_IDENTITY_POLICY"], "{findings}");
        }
    }
}
