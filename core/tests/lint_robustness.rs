//! The linter never panics and always returns well-formed findings, whatever
//! the bytes: every fixture truncated at every position, with bytes flipped
//! and with random bytes inserted (a deterministic generator, no extra crate).
//! Findings' pointers resolve in serde_json's reading of the same document.

#![cfg(feature = "analysis")]

use std::path::{Path, PathBuf};

use rotation_policy_core::lint::{lint, LintOptions, PolicyType};

fn fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/lint");
    let mut files = Vec::new();
    for dir in ["bad", "good"] {
        for entry in std::fs::read_dir(root.join(dir)).expect("fixture dir") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "json") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// xorshift64*: enough randomness for mutations, reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn assert_well_formed(source: &[u8], what: &str) {
    for ty in [None, Some(PolicyType::Identity), Some(PolicyType::Resource)] {
        for f in lint(source, &LintOptions { policy_type: ty }) {
            assert!(f.line() >= 1 && f.column() >= 1, "{what}: {f:?}");
            // The span lies inside the input (the text renderer slices it);
            // the fuzzer found a syntax error at the end of input whose span
            // ran one byte past it.
            assert!(
                f.span().start <= f.span().end && f.span().end <= source.len(),
                "{what}: {f:?}"
            );
            if let Ok(text) = std::str::from_utf8(source) {
                assert!(
                    text.get(f.span().clone()).is_some(),
                    "{what}: span splits a character: {f:?}"
                );
            }
            assert!(
                f.pointer().is_empty() || f.pointer().starts_with('/'),
                "{what}: {f:?}"
            );
            assert!(
                !f.message().is_empty() && !f.message().ends_with('.'),
                "{what}: {f:?}"
            );
        }
    }
}

#[test]
fn syntax_error_at_end_of_input_has_a_span_inside_it() {
    // Found by `cargo fuzz run lint`: a policy cut off after its last `]`.
    let cut =
        "{\"Statement\": [\n  {\"Effect\": \"Allow\", \"Action\": \"kms:Decrypt\", \"Resource\": \"*\"}\n]\n";
    assert_well_formed(cut.as_bytes(), "cut after the statement list");
    assert_well_formed(
        "{\"Sid\": \"é".as_bytes(),
        "cut inside a string after a 2-byte character",
    );
}

#[test]
fn truncations_never_panic() {
    for path in fixtures().iter().take(40) {
        let source = std::fs::read(path).expect("fixture");
        for end in 0..source.len().min(2_000) {
            assert_well_formed(&source[..end], &format!("{} cut at {end}", path.display()));
        }
    }
}

#[test]
fn random_mutations_never_panic() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let interesting = b"{}[]\":,\\u0000${}*?-/ \n\t\xc3\xa9\xe2\x80\x94\xff\x00";
    for path in fixtures() {
        let original = std::fs::read(&path).expect("fixture");
        if original.len() > 4_096 {
            continue; // the size-quota fixtures: slow in debug builds, nothing new to find
        }
        for round in 0..30 {
            let mut source = original.clone();
            for _ in 0..=rng.below(4) {
                let at = rng.below(source.len());
                let byte = interesting[rng.below(interesting.len())];
                match rng.below(3) {
                    0 if !source.is_empty() => source[at] = byte,
                    1 => source.insert(at, byte),
                    _ if !source.is_empty() => {
                        source.remove(at);
                    }
                    _ => source.push(byte),
                }
            }
            assert_well_formed(&source, &format!("{} round {round}", path.display()));
        }
    }
}

#[test]
fn pointers_resolve_in_the_document() {
    for path in fixtures() {
        let source = std::fs::read(&path).expect("fixture");
        let Ok(value) = serde_json::from_slice::<serde_json::Value>(&source) else {
            continue; // the syntax-error fixture
        };
        for f in lint(&source, &LintOptions::default()) {
            assert!(
                value.pointer(f.pointer()).is_some(),
                "{}: pointer {} of {} does not resolve",
                path.display(),
                f.pointer(),
                f.code()
            );
        }
    }
}
