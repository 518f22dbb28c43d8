//! The fixture corpus under `tests/lint/`: every bad fixture yields exactly
//! the findings `tests/lint/expectations.tsv` lists (code, pointer, line and
//! column); every good fixture lints clean; every check has a bad fixture;
//! codes and severities agree with Access Analyzer's reference; every
//! real-world fixture (`tests/lint/real/`) yields exactly the codes
//! `tests/lint/real/expectations.tsv` lists.

#![cfg(feature = "analysis")]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rotation_policy_core::lint::{lint, Check, LintOptions, PolicyType, Severity};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/lint")
}

/// (code, pointer, line, column)
type Row = (String, String, usize, usize);

/// fixture -> (policy type, expected findings)
fn expectations() -> BTreeMap<String, (String, BTreeSet<Row>)> {
    let text = std::fs::read_to_string(corpus().join("expectations.tsv")).expect("expectations.tsv");
    let mut out: BTreeMap<String, (String, BTreeSet<Row>)> = BTreeMap::new();
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.is_empty())
    {
        let fields: Vec<&str> = line.split('\t').collect();
        let [fixture, ty, code, pointer, position] = fields[..] else {
            panic!("expectations.tsv line {}: expected 5 fields: {line}", n + 1);
        };
        let pointer: String = serde_json::from_str(pointer).expect("pointer is a JSON string");
        let (l, c) = position.split_once(':').expect("line:column");
        let row = (
            code.to_owned(),
            pointer,
            l.parse().expect("line"),
            c.parse().expect("column"),
        );
        let entry = out
            .entry(fixture.to_owned())
            .or_insert_with(|| (ty.to_owned(), BTreeSet::new()));
        assert_eq!(entry.0, ty, "{fixture}: one policy type per fixture");
        entry.1.insert(row);
    }
    out
}

fn json_files(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus().join(dir))
        .expect("fixture directory")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

#[test]
fn bad_fixtures_yield_exactly_the_expected_findings() {
    let expected = expectations();
    let files = json_files("bad");
    assert!(files.len() >= 80, "only {} bad fixtures", files.len());
    let failures = compare_fixtures(&files, &expected, "expectations.tsv", |finding| {
        (
            finding.code().to_owned(),
            finding.pointer().to_owned(),
            finding.line(),
            finding.column(),
        )
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_check_has_a_bad_fixture() {
    let expected = expectations();
    let covered: BTreeSet<&str> = expected
        .values()
        .flat_map(|(_, rows)| rows.iter().map(|r| r.0.as_str()))
        .collect();
    let missing: Vec<&str> = Check::ALL
        .iter()
        .map(|c| c.code())
        .filter(|c| !covered.contains(c))
        .collect();
    assert!(missing.is_empty(), "checks without a fixture: {missing:?}");
    for code in covered {
        assert!(
            Check::by_code(code).is_some(),
            "expectations.tsv names unknown code {code}"
        );
    }
}

#[test]
fn good_fixtures_lint_clean() {
    let files = json_files("good");
    assert!(files.len() >= 5);
    for path in files {
        let source = std::fs::read(&path).expect("fixture readable");
        let findings = lint(&source, &LintOptions::default());
        assert!(findings.is_empty(), "{}: {findings:#?}", path.display());
    }
}

#[test]
fn codes_and_severities_agree_with_access_analyzer() {
    let text = std::fs::read_to_string(corpus().join("access-analyzer-checks.tsv")).expect("reference list");
    let reference: BTreeMap<&str, &str> = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let mut f = l.split('\t');
            let severity = f.next()?;
            Some((f.next()?, severity))
        })
        .collect();
    assert!(reference.len() > 100);
    for check in Check::ALL {
        let own = Check::OWN.contains(check);
        match reference.get(check.code()) {
            Some(&severity) => {
                assert!(!own, "{} is Access Analyzer's, not our own", check.code());
                assert_eq!(
                    severity,
                    check.severity().access_analyzer_name(),
                    "{}",
                    check.code()
                );
            }
            None => assert!(
                own,
                "{} is neither Access Analyzer's nor listed as our own",
                check.code()
            ),
        }
    }
    // Our own codes read like Access Analyzer's: upper snake case.
    for check in Check::OWN {
        assert!(
            check.code().bytes().all(|b| b.is_ascii_uppercase() || b == b'_'),
            "{}",
            check.code()
        );
    }
    assert!(Check::ALL.iter().any(|c| c.severity() == Severity::Suggestion));
}

/// `tests/lint/real/expectations.tsv`: fixture -> (policy type, codes).
fn real_expectations() -> BTreeMap<String, (String, BTreeSet<String>)> {
    let text =
        std::fs::read_to_string(corpus().join("real/expectations.tsv")).expect("real/expectations.tsv");
    let mut out = BTreeMap::new();
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.is_empty())
    {
        let fields: Vec<&str> = line.split('\t').collect();
        let [fixture, ty, codes] = fields[..] else {
            panic!("real/expectations.tsv line {}: expected 3 fields: {line}", n + 1);
        };
        let codes: BTreeSet<String> = match codes {
            "-" => BTreeSet::new(),
            list => list.split(',').map(str::to_owned).collect(),
        };
        for code in &codes {
            assert!(Check::by_code(code).is_some(), "{fixture}: unknown code {code}");
        }
        let previous = out.insert(fixture.to_owned(), (ty.to_owned(), codes));
        assert!(previous.is_none(), "{fixture} listed twice");
    }
    out
}

/// Real-world shapes (AWS managed policies, Lambda `get_policy` output,
/// SAM/hosted-rotation role policies, users' known mistakes): each yields
/// exactly the codes its row lists; clean ones (`-`) yield nothing.
#[test]
fn real_fixtures_yield_exactly_the_expected_codes() {
    let expected = real_expectations();
    let files = json_files("real");
    assert!(files.len() >= 30, "only {} real fixtures", files.len());
    assert!(
        expected.values().any(|(_, c)| c.is_empty()) && expected.values().any(|(_, c)| !c.is_empty()),
        "real fixtures need clean and flagged documents"
    );
    let failures = compare_fixtures(&files, &expected, "real/expectations.tsv", |finding| {
        finding.code().to_owned()
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Lints every fixture with its listed policy type and compares the set of
/// `project(finding)` with the expected set; also reports fixtures without
/// a row and rows without a fixture. Returns the failures.
fn compare_fixtures<T: Ord + std::fmt::Debug>(
    files: &[PathBuf],
    expected: &BTreeMap<String, (String, BTreeSet<T>)>,
    table: &str,
    project: impl Fn(rotation_policy_core::lint::Finding) -> T,
) -> Vec<String> {
    let mut failures = Vec::new();
    for path in files {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("utf-8 name")
            .to_owned();
        let Some((ty, want)) = expected.get(&name) else {
            failures.push(format!("{name}: no row in {table}"));
            continue;
        };
        // The expectation tables' type column: the CLI's `--type` names.
        let policy_type = match ty.as_str() {
            "identity" => Some(PolicyType::Identity),
            "resource" => Some(PolicyType::Resource),
            "key" => Some(PolicyType::Key),
            "trust" => Some(PolicyType::Trust),
            "auto" => None,
            other => panic!("{name}: unknown policy type `{other}` in {table}"),
        };
        let source = std::fs::read(path).expect("fixture readable");
        let got: BTreeSet<T> = lint(&source, &LintOptions { policy_type })
            .into_iter()
            .map(&project)
            .collect();
        if &got != want {
            failures.push(format!("{name}:\n  expected {want:?}\n  found    {got:?}"));
        }
    }
    for name in expected.keys() {
        if !files
            .iter()
            .any(|p| p.file_name().and_then(|n| n.to_str()) == Some(name))
        {
            failures.push(format!("{name}: listed in {table} but missing"));
        }
    }
    failures
}
