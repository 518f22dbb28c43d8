//! The policy reader and linter on arbitrary bytes: never panics, and every
//! finding's span lies inside the input with a 1-based position.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rotation_policy_core::lint::{lint, LintOptions, PolicyType};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, source)) = data.split_first() else {
        return;
    };
    let policy_type = match selector % 3 {
        0 => Some(PolicyType::Identity),
        1 => Some(PolicyType::Resource),
        _ => None,
    };
    for finding in lint(source, &LintOptions { policy_type }) {
        assert!(
            finding.span().start <= finding.span().end && finding.span().end <= source.len(),
            "{finding:?}"
        );
        assert!(finding.line() >= 1 && finding.column() >= 1, "{finding:?}");
        assert!(!finding.message().is_empty());
    }
});
