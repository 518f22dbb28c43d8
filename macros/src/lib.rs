//! The `rotation_policy!` macro of the `rotation-policy` crate: a thin shell
//! over `rotation-policy-core`. It parses `key: value` pairs (`input`),
//! hands them to the core builder, which does every check, and expands to a
//! `rotation_policy::RotationPolicies` constant (`expand`); on errors it
//! emits every diagnostic with the span of the offending token and still
//! expands to empty policies (`fallback`). Plain input that builds without a
//! problem is read from its text first, without the tokens' spans (`fast`).
//!
//! Use it through the facade crate `rotation-policy`, which documents the
//! grammar.

#![forbid(unsafe_code)]

use proc_macro::TokenStream;

mod expand;
mod fallback;
mod fast;
mod input;

// Documented where users see it: on the re-export in the `rotation-policy`
// facade, whose doctests can name `rotation_policy::RotationPolicies`.
#[proc_macro]
pub fn rotation_policy(tokens: TokenStream) -> TokenStream {
    let tokens = proc_macro2::TokenStream::from(tokens);
    if let Some(expansion) = fast::expand(&tokens) {
        return expansion.into();
    }
    // What `parse_macro_input!` does, around the macro's own token loop
    // (see `input::Input::parse` for why it is not a syn `Parse` impl).
    let input = match input::Input::parse(tokens) {
        Ok(input) => input,
        Err(error) => return error.into_compile_error().into(),
    };
    expand::expand(&input)
        .unwrap_or_else(|error| fallback::expand(&input, error))
        .into()
}
