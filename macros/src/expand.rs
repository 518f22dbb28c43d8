//! Hands the parsed pairs to the core builder, which does every check, turns
//! its diagnostics into spanned errors, and writes the constant.

use std::env::VarError;
use std::ops::Range;

use proc_macro2::{Span, TokenStream};
use quote::{quote, ToTokens};
use rotation_policy_core::{Diagnostic, DslValue, Field, Part, RotationSpecBuilder};
use syn::ext::IdentExt;
use syn::LitStr;

use crate::input::{Entry, Input, Value};

/// Expands to `::rotation_policy::RotationPolicies { .. }`, or returns every
/// problem of the invocation, in source order.
pub fn expand(input: &Input) -> syn::Result<TokenStream> {
    let entries: Vec<&Entry> = input.entries.iter().collect();
    let mut builder = RotationSpecBuilder::new();
    // Which entry set each field, for the spans of `build`'s diagnostics.
    let mut set: Vec<(Field, usize)> = Vec::new();
    let mut errors: Vec<(usize, syn::Error)> = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        let text: String;
        let value = match &entry.value {
            Value::Str(lit) => {
                text = lit.value();
                DslValue::Str(&text)
            }
            Value::Bool(lit) => DslValue::Bool(lit.value),
            Value::Ident(ident) => {
                text = ident.unraw().to_string();
                DslValue::Ident(&text)
            }
            Value::Env { tokens, name } => match read_env(tokens, name) {
                Ok(read) => {
                    text = read;
                    DslValue::Str(&text)
                }
                Err(error) => {
                    errors.push((index, error));
                    DslValue::Unreadable
                }
            },
            Value::Other { found, .. } => DslValue::Other(found),
        };
        match builder.set(&entry.name, value) {
            Ok(field) => set.push((field, index)),
            Err(diagnostic) => errors.push((index, error_at(entry, &diagnostic))),
        }
    }
    let entry_of = |field: Option<Field>| {
        let index = set.iter().find(|(f, _)| Some(*f) == field)?.1;
        Some((index, entries[index]))
    };
    // Core leaves out what follows from a value it was told is rejected.
    let spec = builder.build();
    if let Err(error) = &spec {
        for diagnostic in error.diagnostics() {
            errors.push(match entry_of(diagnostic.field()) {
                Some((index, entry)) => (index, error_at(entry, diagnostic)),
                // A missing key: the whole invocation is at fault.
                None => (
                    usize::MAX,
                    syn::Error::new(Span::call_site(), diagnostic.message()),
                ),
            });
        }
    }
    errors.sort_by_key(|(index, _)| *index);
    let mut errors = errors.into_iter().map(|(_, error)| error);
    if let Some(mut first) = errors.next() {
        errors.for_each(|error| first.combine(error));
        return Err(first);
    }
    let Ok(spec) = spec else {
        // `build` failed only with follow-on diagnostics, which cannot happen
        // without a primary error; report it rather than panic.
        return Err(syn::Error::new(
            Span::call_site(),
            "invalid rotation policy options",
        ));
    };
    let warnings = spec.warnings().iter().map(|warning| {
        let span =
            entry_of(warning.field()).map_or_else(Span::call_site, |(_, entry)| value_span(entry, warning));
        warn(span, warning.message())
    });
    let tracked = track_env(input);
    let resource_policy = spec.resource_policy_json();
    let execution_role_policy = spec.execution_role_policy_json();
    Ok(quote! {{
        #tracked
        #(#warnings)*
        ::rotation_policy::RotationPolicies {
            resource_policy: #resource_policy,
            execution_role_policy: #execution_role_policy,
        }
    }})
}

/// The value of the variable an `env!` names, read at expansion time.
fn read_env(tokens: &TokenStream, name: &LitStr) -> syn::Result<String> {
    let problem = match std::env::var(name.value()) {
        Ok(text) => return Ok(text),
        Err(VarError::NotPresent) => "is not set",
        Err(VarError::NotUnicode(_)) => "is not valid unicode",
    };
    let message = format!("environment variable `{}` {problem}", name.value());
    Err(syn::Error::new_spanned(tokens, message))
}

/// A warning at `span`. Stable Rust has no warnings from proc macros; the use
/// of a `#[deprecated]` item is the usual stand-in: rustc prints
/// "use of deprecated ...: MESSAGE" there, and `deny(warnings)` makes it an error.
fn warn(span: Span, message: &str) -> TokenStream {
    let name = quote::format_ident!("rotation_policy_warning", span = span);
    quote! {
        const _: () = {
            #[deprecated(note = #message)]
            #[allow(non_camel_case_types)]
            struct rotation_policy_warning;
            let _ = #name;
        };
    }
}

/// Items that make the build depend on each `env!` variable the input reads,
/// set or not: rustc records `option_env!` lookups in the dep-info, so cargo
/// rebuilds the caller when the variable changes.
pub fn track_env(input: &Input) -> TokenStream {
    let names = input.entries.iter().filter_map(|entry| match &entry.value {
        Value::Env { name, .. } => Some(name),
        _ => None,
    });
    quote! {
        #( const _: ::core::option::Option<&'static str> = ::core::option_env!(#names); )*
    }
}

/// The error for `diagnostic` on the token of `entry` it concerns.
fn error_at(entry: &Entry, diagnostic: &Diagnostic) -> syn::Error {
    let message = diagnostic.message();
    match (diagnostic.part(), &entry.value) {
        (Part::Key, _) => syn::Error::new(entry.key.span(), message),
        (Part::Value, Value::Str(_)) => syn::Error::new(value_span(entry, diagnostic), message),
        // Several tokens (`env!(..)`, an expression): underline them all.
        (Part::Value, value) => syn::Error::new_spanned(value, message),
    }
}

/// The span of the value `diagnostic` is about: inside a string literal where
/// possible, else the value's first token.
fn value_span(entry: &Entry, diagnostic: &Diagnostic) -> Span {
    match (&entry.value, diagnostic.range()) {
        (Value::Str(lit), Some(range)) => subspan(lit, range).unwrap_or_else(|| lit.span()),
        (value, _) => value
            .to_token_stream()
            .into_iter()
            .next()
            .map_or_else(Span::call_site, |token| token.span()),
    }
}

/// The span of `range` (bytes of the value) inside the literal's source
/// text, if the literal has no escapes and the compiler can split spans
/// (`Literal::subspan` is nightly-only: on stable this returns `None` and
/// the error covers the whole literal).
fn subspan(lit: &LitStr, range: Range<usize>) -> Option<Span> {
    let token = lit.token();
    let repr = token.to_string();
    let value = lit.value();
    // `"..."` or `r#"..."#`: the value starts after the opening quote.
    let hashes = repr
        .strip_prefix('r')
        .map(|raw| raw.len() - raw.trim_start_matches('#').len());
    let (open, close) = match hashes {
        Some(h) => (2 + h, 1 + h),
        None => (1, 1),
    };
    let verbatim = repr.len() == open + value.len() + close + lit.suffix().len()
        && repr.get(open..open + value.len()) == Some(value.as_str());
    if !verbatim || range.end > value.len() {
        return None;
    }
    token.subspan(open + range.start..open + range.end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proc_macro2::Literal;
    use rotation_policy_core::{Kms, RotationSpec, Strategy};

    fn expand_str(source: &str) -> syn::Result<String> {
        let input: Input = syn::parse_str(source).unwrap();
        expand(&input).map(|tokens| tokens.to_string())
    }

    #[test]
    fn expansion_holds_the_builders_documents() {
        let secret = "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-AbCdEf";
        let expansion = expand_str(&format!(
            r#"strategy: alternating, secret: r"{secret}", kms: true, vpc: false,"#
        ))
        .unwrap();
        let spec = RotationSpec::builder(Strategy::AlternatingUsers)
            .secret(secret)
            .kms(Kms::CustomerManaged)
            .vpc(false)
            .build()
            .unwrap();
        for document in [spec.resource_policy_json(), spec.execution_role_policy_json()] {
            let literal = Literal::string(&document).to_string();
            assert!(expansion.contains(&literal), "{expansion}");
        }
        assert!(expansion.contains(":: rotation_policy :: RotationPolicies"));
    }

    #[test]
    fn every_problem_is_reported_once_in_source_order() {
        let error = expand_str(r#"vpc: "yes", strategy: 1, acount: "1", vpc: false"#).unwrap_err();
        let messages: Vec<String> = error.into_iter().map(|e| e.to_string()).collect();
        assert_eq!(messages.len(), 4, "{messages:?}");
        assert!(messages[0].starts_with("`vpc` expects `true` or `false`"));
        // The rejected `strategy` is not also reported missing.
        assert!(messages[1].starts_with("`strategy` expects"));
        assert!(messages[2].starts_with("unknown key `acount`"));
        assert_eq!(messages[3], "duplicate key `vpc`");
    }
}
