//! AWS's own managed policies as a test: `lint` is run over all 1,643
//! documents of `shared/corpora/aws-managed-policies-2026-08/` (AWS deployed
//! every one, IAM accepted each), and every ERROR must be on the reviewed
//! allow-list `tests/lint/managed-corpus-allow-list.tsv`, each row with its
//! reason and AWS source. A row that no longer fires fails too, so the list
//! only ever holds what the linter still reports.
//!
//! The corpus is not in this repository: it sits in the `shared/` directory
//! beside the clone (`../shared` from the repository root), or wherever
//! `ROTATION_POLICY_MANAGED_CORPUS` points.

#![cfg(feature = "analysis")]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rotation_policy_core::lint::{lint, LintOptions, Severity};

const CORPUS: &str = "aws-managed-policies-2026-08";
const FILES: usize = 1_643;

fn corpus_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("ROTATION_POLICY_MANAGED_CORPUS") {
        return PathBuf::from(dir);
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/corpora")
        .join(CORPUS)
}

/// (file, code) -> reason, from the allow-list.
fn allow_list() -> BTreeMap<(String, String), String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/lint/managed-corpus-allow-list.tsv");
    let text = std::fs::read_to_string(&path).expect("managed-corpus-allow-list.tsv");
    let mut out = BTreeMap::new();
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.is_empty())
    {
        let fields: Vec<&str> = line.split('\t').collect();
        let [file, code, reason, source] = fields[..] else {
            panic!(
                "allow-list line {}: expected 4 fields (file, code, reason, source): {line}",
                n + 1
            );
        };
        assert!(
            !reason.trim().is_empty() && !source.trim().is_empty(),
            "allow-list line {}: every row needs a reason and an AWS source",
            n + 1
        );
        let previous = out.insert((file.to_owned(), code.to_owned()), reason.to_owned());
        assert!(
            previous.is_none(),
            "allow-list line {}: {file} {code} listed twice",
            n + 1
        );
    }
    out
}

#[test]
fn aws_managed_policies_have_no_error_outside_the_reviewed_allow_list() {
    let dir = corpus_dir();
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| {
        panic!(
            "the managed-policy corpus is missing: cannot read {} ({e}); it lives in shared/corpora/{CORPUS} \
             beside the repository (set ROTATION_POLICY_MANAGED_CORPUS to its path)",
            dir.display()
        )
    });
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert_eq!(
        files.len(),
        FILES,
        "{} should hold {FILES} policies",
        dir.display()
    );

    let allowed = allow_list();
    let mut found: BTreeSet<(String, String)> = BTreeSet::new();
    let mut unexpected = Vec::new();
    for path in &files {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("UTF-8 file name")
            .to_owned();
        let source = std::fs::read(path).expect("readable policy");
        for finding in lint(&source, &LintOptions::default()) {
            if finding.severity() != Severity::Error {
                continue;
            }
            let key = (name.clone(), finding.code().to_owned());
            if !allowed.contains_key(&key) {
                unexpected.push(format!(
                    "{name}: {} at {}: {}",
                    finding.code(),
                    finding.pointer(),
                    finding.message()
                ));
            }
            found.insert(key);
        }
    }
    let stale: Vec<String> = allowed
        .keys()
        .filter(|k| !found.contains(*k))
        .map(|(file, code)| format!("{file}\t{code}"))
        .collect();
    assert!(
        unexpected.is_empty(),
        "{} ERROR findings on AWS managed policies are not on tests/lint/managed-corpus-allow-list.tsv:\n{}",
        unexpected.len(),
        unexpected.join("\n")
    );
    assert!(
        stale.is_empty(),
        "allow-list rows that no longer fire (remove them):\n{}",
        stale.join("\n")
    );
}
