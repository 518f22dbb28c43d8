//! Compile-fail tests of `rotation_policy!`: one file per misuse under
//! `tests/ui/<category>/`, with the compiler output trybuild recorded in the
//! `.stderr` next to it (regenerate with `TRYBUILD=overwrite` and review).
//! The output depends on the toolchain pinned in `rust-toolchain.toml`.

#[test]
fn ui() {
    // Read by `tests/ui/pass/aliases_and_forms.rs` through `env!`. This is
    // the only test of this binary, so no other thread reads the environment.
    std::env::set_var("ROTATION_POLICY_UI_TEST_ACCOUNT", "111122223333");
    let t = trybuild::TestCases::new();
    for category in [
        "key", "value", "arn", "account", "cross", "env", "syntax", "multiple", "warning",
    ] {
        t.compile_fail(format!("tests/ui/{category}/*.rs"));
    }
    t.pass("tests/ui/pass/*.rs");
}
