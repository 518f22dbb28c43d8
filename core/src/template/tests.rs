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
            "ACTION_NOT_IN_CATALOG",
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

#[test]
fn deep_or_hostile_yaml_is_an_error_not_a_panic() {
    let deep = format!(
        "a:\n{}",
        (1..200)
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect::<String>()
    );
    let err = lint_file("t.yaml", deep.as_bytes(), &LintOptions::default()).unwrap_err();
    assert!(err.message().contains("nesting deeper than"), "{err}");
    for hostile in [
        &b"\xff\xfe: x"[..],
        b"- !Ref",
        b"Resources: !Sub",
        b"Resources:\n  A:\n    Type: AWS::Lambda::Permission\n    Properties: !Ref X\n",
        b"Resources:\n  A:\n    Type: AWS::IAM::Role\n    Properties:\n      Policies: {a: 1}\n",
        b"Resources:\n  A:\n    Type: AWS::IAM::Policy\n    Properties:\n      PolicyDocument: !If [c]\n",
        b"Resources:\n  A:\n    Type: AWS::IAM::Policy\n    Properties:\n      PolicyDocument: !Sub [1]\n",
        b"---\na: 1\n---\nb: 2\n",
        b"? [a]\n: b\n",
        b"",
    ] {
        // Each reads to a result or an error; none panics.
        let _ = lint_file("t.yaml", hostile, &LintOptions::default());
    }
}

#[test]
fn intrinsic_functions_become_the_values_they_stand_for() {
    let linted = run(
        "t.json",
        r#"{"Resources": {"P": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": {
            "Version": "2012-10-17",
            "Statement": [
              {"Effect": "Allow", "Action": {"Fn::Join": [":", ["secretsmanager", "GetSecretValu"]]},
               "Resource": {"Fn::Sub": ["arn:${P}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:x-??????", {"P": "aws"}]}},
              {"Fn::If": ["C", {"Ref": "AWS::NoValue"}, {"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "*"}]},
              {"Effect": "Allow", "Action": {"Fn::Select": [1, ["s3:GetObject", "s3:PutObjekt"]]}, "Resource": "*"}
            ]}}}}}"#,
    );
    let found: Vec<_> = linted
        .findings()
        .iter()
        .map(|f| (f.code(), f.pointer().to_owned(), f.line()))
        .collect();
    let p = "/Resources/P/Properties/PolicyDocument/Statement";
    assert_eq!(
        found,
        [
            ("ACTION_NOT_IN_CATALOG", format!("{p}/0/Action"), 4),
            ("ACTION_NOT_IN_CATALOG", format!("{p}/1/Fn::If/2/Action"), 6),
            ("ACTION_NOT_IN_CATALOG", format!("{p}/2/Action"), 7),
        ]
    );
}

#[test]
fn lines_and_columns_count_characters_on_long_lines() {
    // Multi-byte characters across many table blocks, on one line and after a newline.
    let text = format!("{}\n{}x", "é".repeat(3000), "ab€".repeat(900));
    let lines = tree::Lines::new(&text);
    let x = text.len() - 1;
    let pos = lines.pos(x);
    assert_eq!((pos.line, pos.column), (2, 2701));
    assert_eq!(lines.at(2, 2700).offset, x);
    let second = lines.pos(3000 * 2 + 1);
    assert_eq!((second.line, second.column), (2, 1));
    let inside = lines.pos(1500 * 2);
    assert_eq!((inside.line, inside.column), (1, 1501));
    assert_eq!(lines.at(1, 1500).offset, 3000);
    // Every character's offset round-trips through its line and column.
    for (offset, _) in text.char_indices().step_by(97) {
        let pos = lines.pos(offset);
        assert_eq!(lines.at(pos.line, pos.column - 1).offset, offset, "{pos:?}");
    }
}

/// Every prefix of every template fixture (cut anywhere, even inside a
/// character) reads to findings or an error, never a panic; and the
/// positions of findings stay inside the text.
#[test]
fn truncated_templates_never_panic() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/templates");
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).expect("tests/templates") {
        let path = entry.expect("entry").path();
        let name = path.to_string_lossy().into_owned();
        let bytes = std::fs::read(&path).expect("fixture");
        files += 1;
        for cut in (0..bytes.len()).step_by(11).chain([bytes.len()]) {
            let prefix = &bytes[..cut];
            if let Ok(linted) = lint_file(&name, prefix, &LintOptions::default()) {
                for f in linted.findings() {
                    assert!(f.span().start <= prefix.len(), "{name}[..{cut}]: {f:?}");
                    assert!(f.line() >= 1 && f.column() >= 1, "{name}[..{cut}]: {f:?}");
                }
            }
        }
    }
    assert!(files >= 6, "the fixtures are there");
}

#[test]
fn extensions_compare_ignoring_case() {
    assert!(super::ends_with_ignore_case("stack.YAML", ".yaml"));
    assert!(super::ends_with_ignore_case("é.Json", ".json"));
    assert!(!super::ends_with_ignore_case("yaml", ".yaml"));
    assert!(!super::ends_with_ignore_case("stack.yaml.bak", ".yaml"));
    // The names a directory walk reads.
    for name in ["p.json", "stack.YAML", "a.yml", "b.Template", "main.tf.json"] {
        assert!(super::reads_file_named(name), "{name}");
    }
    for name in ["README.md", "json", "stack.yaml.bak", "x.tf"] {
        assert!(!super::reads_file_named(name), "{name}");
    }
}
