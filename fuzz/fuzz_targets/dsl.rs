//! The `rotation_policy!` DSL as a string: the macro's parser
//! (macros/src/input.rs) and expansion (expand.rs, fallback.rs) never panic,
//! whatever the tokens, and always expand to something.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../macros/src/expand.rs"]
mod expand;
#[path = "../../macros/src/fallback.rs"]
mod fallback;
#[path = "../../macros/src/input.rs"]
mod input;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(tokens) = text.parse::<proc_macro2::TokenStream>() else {
        return;
    };
    let expansion = match syn::parse2::<input::Input>(tokens) {
        Ok(parsed) => expand::expand(&parsed).unwrap_or_else(|error| fallback::expand(&parsed, error)),
        Err(error) => error.into_compile_error(),
    };
    assert!(!expansion.is_empty(), "{text}");
});
