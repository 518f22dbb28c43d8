use super::*;

fn codes(source: &str, policy_type: Option<PolicyType>) -> Vec<(&'static str, String, usize, usize)> {
    lint(source.as_bytes(), &LintOptions { policy_type })
        .into_iter()
        .map(|f| (f.code, f.pointer, f.line, f.column))
        .collect()
}

#[test]
fn clean_policy_has_no_findings() {
    let policy = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
      "Resource": "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-AbCdEf"
    }
  ]
}"#;
    assert_eq!(codes(policy, None), []);
}

#[test]
fn invalid_utf8_is_a_syntax_finding() {
    let findings = lint(b"{\"Version\": \"\xff\"}", &LintOptions::default());
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].code, "JSON_SYNTAX_ERROR");
    assert_eq!((findings[0].line, findings[0].column), (1, 14));
}

#[test]
fn auto_type_detects_resource_policies() {
    let policy = r#"{"Version": "2012-10-17", "Statement": {"Sid": "a-b", "Effect": "Allow",
        "Principal": {"Service": "secretsmanager.amazonaws.com"},
        "Action": "lambda:InvokeFunction",
        "Resource": "arn:aws:lambda:us-east-1:111122223333:function:f",
        "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}}}}"#;
    assert_eq!(codes(policy, None), []);
    let as_identity = codes(policy, Some(PolicyType::Identity));
    let found: Vec<&str> = as_identity.iter().map(|f| f.0).collect();
    assert!(found.contains(&"UNSUPPORTED_PRINCIPAL"), "{found:?}");
    assert!(found.contains(&"UNSUPPORTED_SID"), "{found:?}");
}

#[test]
fn severity_names_round_trip() {
    for s in Severity::ALL {
        assert_eq!(Severity::from_name(s.as_str()), Some(s));
    }
    assert_eq!(Severity::from_name("security-warning"), None);
    assert!(Severity::Error > Severity::SecurityWarning && Severity::Warning > Severity::Suggestion);
}

/// Regression (found by the hostile-input CLI test): `1e999` parsed to
/// infinity and linted clean, while `check` refused the same document with
/// "number out of range".
#[test]
fn numbers_beyond_f64_are_type_mismatches() {
    let nines = "9".repeat(400);
    for value in ["1e999", "-1e999", nines.as_str(), "\"1e999\""] {
        let policy = format!(
            r#"{{"Version": "2012-10-17", "Statement": {{"Effect": "Allow", "Action": "s3:GetObject",
            "Resource": "*", "Condition": {{"NumericLessThan": {{"aws:MultiFactorAuthAge": {value}}}}}}}}}"#
        );
        let found: Vec<&str> = codes(&policy, None).iter().map(|f| f.0).collect();
        assert_eq!(found, ["TYPE_MISMATCH_NUMBER"], "{value}");
    }
    let tiny = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject",
        "Resource": "*", "Condition": {"NumericLessThan": {"aws:MultiFactorAuthAge": 1e-999}}}}"#;
    assert_eq!(codes(tiny, None), []);
}

/// Columns count characters and advance from finding to finding on one line
/// (they were counted from the line's start for each finding, quadratic in
/// a one-line document with many findings).
#[test]
fn columns_on_one_line_count_characters_between_findings() {
    let policy = r#"{"Version": "2012-10-17", "Statement": {"é": 1, "Effect": "Allow", "ü€": 2, "Action": "s3:GetObject", "Resource": "*", "x": 3}}"#;
    let found: Vec<(&str, usize, usize)> = codes(policy, None)
        .into_iter()
        .filter(|f| f.0 == "INVALID_POLICY_ELEMENT")
        .map(|f| (f.0, f.2, f.3))
        .collect();
    let column_of = |needle: &str| policy[..policy.find(needle).expect("in policy")].chars().count() + 1;
    assert_eq!(
        found,
        [
            ("INVALID_POLICY_ELEMENT", 1, column_of("\"é\"")),
            ("INVALID_POLICY_ELEMENT", 1, column_of("\"ü€\"")),
            ("INVALID_POLICY_ELEMENT", 1, column_of("\"x\"")),
        ]
    );
}
