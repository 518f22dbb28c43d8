use super::*;

fn run(name: &str, source: &str) -> Linted {
    lint_file(name, source.as_bytes(), &LintOptions::default()).expect("reads")
}

#[test]
fn yaml_short_forms_become_placeholders() {
    let linted = run(
        "t.yaml",
        "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Principal: {Service: lambda.amazonaws.com}\n            Action: sts:AssumeRole\n      Policies:\n        - PolicyName: p\n          PolicyDocument:\n            Version: '2012-10-17'\n            Statement:\n              - Effect: Allow\n                Action: secretsmanager:GetSecretValu\n                Resource: !Ref Secret\n",
    );
    assert_eq!(linted.kind(), Kind::CloudFormation);
    assert_eq!(linted.policies(), 2);
    let codes: Vec<_> = linted
        .findings()
        .iter()
        .map(|f| (f.code(), f.pointer().to_owned(), f.line(), f.column()))
        .collect();
    assert_eq!(
        codes,
        [(
            "INVALID_ACTION",
            "/Resources/Role/Properties/Policies/0/PolicyDocument/Statement/0/Action".to_owned(),
            17,
            25
        )]
    );
}

#[test]
fn unknown_tags_and_aliases_are_errors_with_positions() {
    let err = lint_file("t.yaml", b"Resources:\n  A: !Bogus x\n", &LintOptions::default()).unwrap_err();
    assert!(err.message().contains("unknown tag `!Bogus`"), "{err}");
    assert_eq!((err.line(), err.column()), (2, 6));
    let err = lint_file("t.yaml", b"a: &x 1\nb: *x\n", &LintOptions::default()).unwrap_err();
    assert!(err.message().contains("alias"), "{err}");
    assert_eq!(err.line(), 2);
    let err = lint_file("t.yaml", b"a: [1, 2\n", &LintOptions::default()).unwrap_err();
    assert!(err.message().starts_with("YAML syntax error"), "{err}");
}
