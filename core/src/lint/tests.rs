use super::*;

fn codes(source: &str, policy_type: PolicyType) -> Vec<(&'static str, String, usize, usize)> {
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
    assert_eq!(codes(policy, PolicyType::Auto), []);
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
    assert_eq!(codes(policy, PolicyType::Auto), []);
    let as_identity = codes(policy, PolicyType::Identity);
    let found: Vec<&str> = as_identity.iter().map(|f| f.0).collect();
    assert!(found.contains(&"UNSUPPORTED_PRINCIPAL"), "{found:?}");
    assert!(found.contains(&"UNSUPPORTED_SID"), "{found:?}");
}

#[test]
fn severity_names_round_trip() {
    for s in Severity::ALL {
        assert_eq!(Severity::from_name(s.as_str()), Some(s));
    }
    assert_eq!(
        Severity::from_name("security-warning"),
        Some(Severity::SecurityWarning)
    );
    assert!(Severity::Error > Severity::SecurityWarning && Severity::Warning > Severity::Suggestion);
}
