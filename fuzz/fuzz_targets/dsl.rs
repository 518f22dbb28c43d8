//! The `rotation_policy!` DSL as a string: the macro's own parser
//! (macros/src/input.rs) and expansion (expand.rs, fallback.rs) never panic,
//! whatever the tokens.
#![no_main]

// expand.rs asks `proc_macro::is_available()`; outside a macro it is false
// and the expansion goes through proc_macro2 alone.
extern crate proc_macro;

use libfuzzer_sys::fuzz_target;

#[path = "../../macros/src/expand.rs"]
#[allow(dead_code)]
mod expand;
#[path = "../../macros/src/fallback.rs"]
mod fallback;
#[path = "../../macros/src/input.rs"]
mod input;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(tokens) = text.parse() else {
        return;
    };
    let Ok(parsed) = input::Input::parse(tokens) else {
        return;
    };
    let tokens = expand::expand(&parsed).unwrap_or_else(|error| fallback::expand(&parsed, error));
    assert!(!tokens.is_empty());
});
