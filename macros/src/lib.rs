//! The `rotation_policy!` macro of the `rotation-policy` crate: a thin shell
//! over `rotation-policy-core`. It parses `key: value` pairs (`input`),
//! hands them to the core builder, which does every check, and expands to a
//! `rotation_policy::RotationPolicies` constant (`expand`); on errors it
//! emits every diagnostic with the span of the offending token and still
//! expands to empty policies (`fallback`).
//!
//! Use it through the facade crate `rotation-policy`, which documents the
//! grammar.

#![forbid(unsafe_code)]

use proc_macro::TokenStream;
use syn::parse_macro_input;

mod expand;
mod fallback;
mod input;

// Documented where users see it: on the re-export in the `rotation-policy`
// facade, whose doctests can name `rotation_policy::RotationPolicies`.
#[proc_macro]
pub fn rotation_policy(tokens: TokenStream) -> TokenStream {
    let input = parse_macro_input!(tokens as input::Input);
    expand::expand(&input)
        .unwrap_or_else(|error| fallback::expand(&input, error))
        .into()
}
