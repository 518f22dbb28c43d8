//! The ARN and account parsers on arbitrary text: never panic, and every
//! error range is a valid slice of the input (the macro points into the
//! literal with it).
#![no_main]

use libfuzzer_sys::fuzz_target;
use rotation_policy_core::{AccountId, Arn, ArnError, FunctionArn, KmsKeyArn, SecretArn};

fn check<T>(text: &str, result: Result<T, ArnError>) {
    if let Err(e) = result {
        assert!(text.get(e.range()).is_some(), "range {:?} of {text:?}", e.range());
        assert!(!e.message().is_empty());
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    check(text, AccountId::parse(text));
    check(text, SecretArn::parse(text));
    check(text, FunctionArn::parse(text));
    check(text, KmsKeyArn::parse(text));
    if let Ok(arn) = Arn::parse(text) {
        // The accessors slice the text by the parsed ranges.
        let rebuilt = format!(
            "arn:{}:{}:{}:{}:{}",
            arn.partition(),
            arn.service(),
            arn.region(),
            arn.account(),
            arn.resource()
        );
        assert_eq!(rebuilt, text);
    }
});
