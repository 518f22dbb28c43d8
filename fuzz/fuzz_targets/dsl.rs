//! The `rotation_policy!` DSL as a string: the macro's own parsers
//! (macros/src/fast.rs, macros/src/input.rs) and expansion (expand.rs,
//! fallback.rs) never panic, whatever the tokens; and whenever the text path
//! (fast.rs) expands an input, it expands it exactly as the token path does.
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
#[path = "../../macros/src/fast.rs"]
mod fast;
#[path = "../../macros/src/input.rs"]
mod input;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(tokens) = text.parse::<proc_macro2::TokenStream>() else {
        return;
    };
    let fast = fast::expand(&tokens);
    let slow = match input::Input::parse(tokens) {
        Ok(parsed) => expand::expand(&parsed).unwrap_or_else(|error| fallback::expand(&parsed, error)),
        Err(error) => error.into_compile_error(),
    };
    assert!(!slow.is_empty());
    if let Some(fast) = fast {
        assert_eq!(fast.to_string(), slow.to_string(), "{text}");
    }
});
