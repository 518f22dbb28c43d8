//! Hostile input: every file under `tests/hostile/` and a set of large or
//! deep inputs made at test time go through `rotation-policy lint` and
//! `rotation-policy check --role-policy FILE`, in JSON and text form. Each run
//! must end by itself with exit code 1 (findings, or rotation denied) or 2
//! (not a policy document, unreadable, too large), print nothing or
//! well-formed output on stdout (`lint --format json` prints its array, `[]`
//! for a file it could not read), at most one line on stderr (exactly one
//! with exit 2), and never panic.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// Generous for a debug build on a 2-core machine; a hang fails the test.
const TIME_LIMIT: Duration = Duration::from_secs(60);

struct Run {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: String,
}

fn run(args: &[&str]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rotation-policy"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    // Drain both pipes on threads so a large output cannot block the child.
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let out_thread = std::thread::spawn(move || {
        let mut b = Vec::new();
        out.read_to_end(&mut b).expect("read stdout");
        b
    });
    let err_thread = std::thread::spawn(move || {
        let mut b = Vec::new();
        err.read_to_end(&mut b).expect("read stderr");
        b
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            panic!("rotation-policy {args:?} ran longer than {TIME_LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Run {
        code: status.code(),
        stdout: out_thread.join().expect("stdout thread"),
        stderr: String::from_utf8_lossy(&err_thread.join().expect("stderr thread")).into_owned(),
    }
}

fn hostile_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/hostile")
}

/// A directory of its own for this test's generated inputs.
fn generated_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rotation-policy-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Inputs too large or too regular to commit, made at test time.
fn generated_inputs() -> Vec<(String, Vec<u8>)> {
    let policy = |statement: &str| format!(r#"{{"Version": "2012-10-17", "Statement": {statement}}}"#);
    let big_string = "A".repeat(3 * 1024 * 1024);
    let mut over_limit = policy(&format!(r#"{{"Sid": "{big_string}"}}"#)).into_bytes();
    over_limit.resize(4 * 1024 * 1024 + 1, b' ');
    // 50k unknown statement elements on one line: 50k findings. Locating
    // them was quadratic (each column counted from the line's start).
    let many_keys: Vec<String> = (0..50_000).map(|i| format!("\"k{i}\": {i}")).collect();
    vec![
        ("100k_open_brackets".into(), "[".repeat(100_000).into_bytes()),
        (
            "100k_balanced_brackets".into(),
            format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)).into_bytes(),
        ),
        (
            "100k_nested_objects".into(),
            format!("{}1{}", r#"{"a":"#.repeat(100_000), "}".repeat(100_000)).into_bytes(),
        ),
        (
            "depth_128".into(),
            policy(&format!("{}{}", "[".repeat(126), "]".repeat(126))).into_bytes(),
        ),
        (
            "depth_129".into(),
            policy(&format!("{}{}", "[".repeat(127), "]".repeat(127))).into_bytes(),
        ),
        (
            "3_mib_sid".into(),
            policy(&format!(r#"{{"Sid": "{big_string}"}}"#)).into_bytes(),
        ),
        ("over_4_mib".into(), over_limit),
        (
            "50k_keys_one_line".into(),
            policy(&format!("{{{}}}", many_keys.join(","))).into_bytes(),
        ),
        (
            "20k_empty_statements".into(),
            policy(&format!("[{}{{}}]", "{},".repeat(20_000))).into_bytes(),
        ),
        (
            "100k_lone_surrogates".into(),
            policy(&format!(r#"{{"Sid": "{}"}}"#, r"\ud800".repeat(100_000))).into_bytes(),
        ),
        (
            "1m_commas".into(),
            format!("[{}]", ",".repeat(1_000_000)).into_bytes(),
        ),
        ("2_mib_of_nul".into(), vec![0; 2 * 1024 * 1024]),
    ]
}

/// Every hostile input as a path, plus paths that are not readable files.
fn inputs() -> Vec<(String, PathBuf)> {
    let mut files: Vec<(String, PathBuf)> = std::fs::read_dir(hostile_dir())
        .expect("tests/hostile")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            (
                p.file_name().and_then(|n| n.to_str()).expect("name").to_owned(),
                p,
            )
        })
        .collect();
    files.sort();
    assert!(files.len() >= 40, "only {} hostile files", files.len());
    let dir = generated_dir();
    for (name, bytes) in generated_inputs() {
        let path = dir.join(format!("{name}.json"));
        std::fs::write(&path, bytes).expect("write generated input");
        files.push((name, path));
    }
    files.push(("a directory".into(), dir.clone()));
    files.push(("a missing file".into(), dir.join("does-not-exist.json")));
    files
}

/// The result's shape: exit 1 or 2, no panic, at most one stderr line, and
/// stdout empty or well-formed for the format.
fn judge(what: &str, run: &Run, json: bool) -> Result<(), String> {
    let fail = |why: String| {
        Err(format!(
            "{what}: {why}\n  exit {:?}\n  stderr: {}",
            run.code, run.stderr
        ))
    };
    if run.stderr.contains("panicked") || run.stderr.contains("RUST_BACKTRACE") {
        return fail("panicked".into());
    }
    if !matches!(run.code, Some(1 | 2)) {
        return fail(format!("exit code {:?}, expected 1 or 2", run.code));
    }
    // `lint DIR` ends its walk with one summary line, besides the errors.
    let lines = run
        .stderr
        .lines()
        .filter(|l| !l.starts_with("rotation-policy: linted "))
        .count();
    if lines > 1 || (run.code == Some(2) && lines != 1) {
        return fail(format!("{lines} stderr lines"));
    }
    let Ok(stdout) = std::str::from_utf8(&run.stdout) else {
        return fail("stdout is not UTF-8".into());
    };
    if run.code == Some(1) && stdout.trim().is_empty() {
        return fail("exit 1 without a result on stdout".into());
    }
    if json && !stdout.is_empty() {
        match serde_json::from_str::<Value>(stdout) {
            Ok(Value::Array(findings)) if findings.iter().all(|f| f["code"].is_string()) => {}
            Ok(Value::Object(result)) if result.get("allowed") == Some(&Value::Bool(false)) => {}
            Ok(other) => return fail(format!("unexpected JSON on stdout: {:.200}", other.to_string())),
            Err(e) => return fail(format!("stdout is not JSON: {e}")),
        }
    }
    Ok(())
}

#[test]
fn hostile_inputs_end_in_exit_1_or_2_with_one_stderr_line_and_no_panic() {
    let mut failures = Vec::new();
    let mut runs = 0;
    for (name, path) in inputs() {
        let path = path.to_str().expect("UTF-8 path");
        let check = ["check", "--strategy", "single-user", "--role-policy", path];
        let cases: [(Vec<&str>, bool); 4] = [
            // Warnings count: an input that lints clean at `error` (a number
            // no f64 holds, say) must still be reported.
            (
                vec!["lint", "--format", "json", "--fail-on", "warning", path],
                true,
            ),
            (vec!["lint", "--fail-on", "warning", path], false),
            ([&check[..], &["--format", "json"]].concat(), true),
            (check.to_vec(), false),
        ];
        for (args, json) in cases {
            // 50k findings: the text run would add about 10 s to a debug build
            // for nothing the JSON runs do not cover.
            if name == "50k_keys_one_line" && !json {
                continue;
            }
            runs += 1;
            let result = run(&args);
            if let Err(e) = judge(
                &format!("{name}: {}", args[..args.len().min(4)].join(" ")),
                &result,
                json,
            ) {
                failures.push(e);
            }
        }
    }
    let _ = std::fs::remove_dir_all(generated_dir());
    assert!(
        failures.is_empty(),
        "{} of {runs} runs failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
