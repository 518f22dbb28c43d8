//! Hands the parsed pairs to the core builder, which does every check, turns
//! its diagnostics into spanned errors, and writes the constant.

use std::borrow::Cow;
use std::env::VarError;
use std::ops::Range;

use proc_macro2::{Span, TokenStream};
use quote::{quote, ToTokens};
use rotation_policy_core::{Diagnostic, Field, Part, RotationSpecBuilder};
use syn::LitStr;

use crate::input::{Entry, Input, Value};

/// Expands to `::rotation_policy::RotationPolicies { .. }`, or returns every
/// problem of the invocation, in source order.
pub fn expand(input: &Input) -> Result<TokenStream, syn::Error> {
    let mut builder = RotationSpecBuilder::new();
    // Which entry set each field, and the fields whose value was rejected:
    // the diagnostics `build` derives from their absence are follow-on errors.
    let mut set: Vec<(Field, usize)> = Vec::new();
    let mut rejected: Vec<Field> = Vec::new();
    let mut errors: Vec<(usize, syn::Error)> = Vec::new();
    for (index, entry) in input.entries.iter().enumerate() {
        let key = entry.name.as_str();
        let outcome = match read_value(&entry.value) {
            Ok(value) => builder.set(key, value.as_core()),
            Err(Unreadable::Env(error)) => {
                errors.push((index, error));
                Field::parse_key(key).inspect(|&field| rejected.push(field))
            }
            // Said in the words of the key's expected values, if it has any.
            Err(Unreadable::Other { tokens, found }) => Field::parse_key(key).inspect(|&field| {
                rejected.push(field);
                let message = format!("`{field}` expects {}, found {found}", field.expected());
                errors.push((index, syn::Error::new_spanned(tokens, message)));
            }),
        };
        match outcome {
            Ok(field) => set.push((field, index)),
            Err(diagnostic) => {
                if let (Some(field), Part::Value) = (diagnostic.field(), diagnostic.part()) {
                    rejected.push(field);
                }
                errors.push((index, error_at(entry, &diagnostic)));
            }
        }
    }
    let spec = builder.build().map_err(|e| e.into_diagnostics());
    if let Err(diagnostics) = &spec {
        let follow_on = |d: &&Diagnostic| {
            [d.field(), d.related()]
                .iter()
                .flatten()
                .any(|f| rejected.contains(f))
        };
        for diagnostic in diagnostics.iter().filter(|d| !follow_on(d)) {
            let entry = set.iter().find(|(f, _)| Some(*f) == diagnostic.field());
            errors.push(match entry {
                Some(&(_, index)) => (index, error_at(&input.entries[index], diagnostic)),
                // A missing key: the whole invocation is at fault.
                None => (
                    usize::MAX,
                    syn::Error::new(Span::call_site(), diagnostic.message()),
                ),
            });
        }
    }
    errors.sort_by_key(|(index, _)| *index);
    let mut errors = errors.into_iter().map(|(_, e)| e);
    if let Some(mut first) = errors.next() {
        errors.for_each(|e| first.combine(e));
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
    let policies = policies_tokens(&spec.resource_policy_json(), &spec.execution_role_policy_json())?;
    let mut items = track_env(input);
    for warning in spec.warnings() {
        let entry = set.iter().find(|(f, _)| Some(*f) == warning.field());
        let span = entry.map_or_else(Span::call_site, |&(_, i)| value_span(&input.entries[i], warning));
        items.extend(warn(span, warning.message()));
    }
    Ok(if items.is_empty() {
        policies
    } else {
        quote! {{ #items #policies }}
    })
}

/// `::rotation_policy::RotationPolicies { .. }` with the two documents.
///
/// Written as source text and lexed by the compiler in one call, rather than
/// built token by token with `quote!` and `Literal::string`: the expansion
/// runs unoptimized in a dev build, where escaping two kilobytes of JSON char
/// by char and crossing the proc-macro bridge once per token are most of an
/// invocation's cost. Raw string literals need no escaping; every token gets
/// the call-site span, as `quote!` would give it.
///
/// Outside a macro invocation (unit tests) it goes through proc_macro2.
pub(crate) fn policies_tokens(
    resource_policy: &str,
    execution_role_policy: &str,
) -> syn::Result<TokenStream> {
    let mut source = String::with_capacity(resource_policy.len() + execution_role_policy.len() + 128);
    source.push_str("::rotation_policy::RotationPolicies { resource_policy: ");
    push_raw_string(&mut source, resource_policy);
    source.push_str(", execution_role_policy: ");
    push_raw_string(&mut source, execution_role_policy);
    source.push_str(" }");
    // proc_macro2's `parse` would first check the text with its own lexer,
    // itself unoptimized here; this text is well-formed by construction, so
    // inside the compiler, the compiler lexes it alone.
    if proc_macro::is_available() {
        if let Ok(tokens) = source.parse::<proc_macro::TokenStream>() {
            return Ok(tokens.into());
        }
    }
    source.parse().map_err(|error| {
        syn::Error::new(
            Span::call_site(),
            format!("internal error: the generated policies do not lex ({error}); please report this"),
        )
    })
}

/// Appends `text` as a raw string literal, `r#"..."#` with one more `#` than
/// the longest run of `#` after a `"` in `text`.
fn push_raw_string(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let mut hashes = 1;
    // The generated policies hold no `#`; `contains(char)` is a `memchr`,
    // which std ships optimized.
    let mut i = if text.contains('#') { 0 } else { bytes.len() };
    // An indexed loop: iterator adapters cost a call per byte at opt-level 0.
    while i < bytes.len() {
        if bytes[i] == b'"' {
            let mut run = 0;
            while i + 1 + run < bytes.len() && bytes[i + 1 + run] == b'#' {
                run += 1;
            }
            hashes = hashes.max(run + 1);
            i += run;
        }
        i += 1;
    }
    const FENCE: &str = "################################################################";
    let fence = |out: &mut String| {
        let mut left = hashes;
        while left > 0 {
            let chunk = left.min(FENCE.len());
            out.push_str(&FENCE[..chunk]);
            left -= chunk;
        }
    };
    out.push('r');
    fence(out);
    out.push('"');
    out.push_str(text);
    out.push('"');
    fence(out);
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

/// A value the core builder understands, read from the tokens.
enum Read<'a> {
    Str(Cow<'a, str>),
    Bool(bool),
    Ident(&'a str),
}

impl Read<'_> {
    fn as_core(&self) -> rotation_policy_core::DslValue<'_> {
        match self {
            Read::Str(s) => rotation_policy_core::DslValue::Str(s),
            Read::Bool(b) => rotation_policy_core::DslValue::Bool(*b),
            Read::Ident(i) => rotation_policy_core::DslValue::Ident(i),
        }
    }
}

/// Why a value could not be handed to the builder.
enum Unreadable<'a> {
    /// An `env!` whose variable is not usable.
    Env(syn::Error),
    /// Not a value form of the DSL.
    Other {
        tokens: &'a TokenStream,
        found: &'static str,
    },
}

fn read_value(value: &Value) -> Result<Read<'_>, Unreadable<'_>> {
    match value {
        Value::Str { value, .. } => Ok(Read::Str(Cow::Borrowed(value))),
        Value::Bool(lit) => Ok(Read::Bool(lit.value())),
        Value::Ident { name, .. } => Ok(Read::Ident(name)),
        Value::Env { tokens, name } => {
            let problem = match std::env::var(name.value()) {
                Ok(text) => return Ok(Read::Str(Cow::Owned(text))),
                Err(VarError::NotPresent) => "is not set",
                Err(VarError::NotUnicode(_)) => "is not valid unicode",
            };
            let message = format!("environment variable `{}` {problem}", name.value());
            Err(Unreadable::Env(syn::Error::new_spanned(tokens, message)))
        }
        Value::Other { tokens, found } => Err(Unreadable::Other { tokens, found }),
    }
}

/// The error for `diagnostic` on the token of `entry` it concerns.
fn error_at(entry: &Entry, diagnostic: &Diagnostic) -> syn::Error {
    let message = &diagnostic.message();
    match (diagnostic.part(), &entry.value) {
        (Part::Key, _) => syn::Error::new(entry.key.span(), message),
        (Part::Value, Value::Str { .. }) => syn::Error::new(value_span(entry, diagnostic), message),
        // Several tokens (`env!(..)`, an expression): underline them all.
        (Part::Value, value) => syn::Error::new_spanned(value, message),
    }
}

/// The span of the value `diagnostic` is about: inside a string literal where
/// possible, else the value's first token.
fn value_span(entry: &Entry, diagnostic: &Diagnostic) -> Span {
    match (entry.value.lit_str(), diagnostic.range().clone()) {
        (Some(lit), Some(range)) => subspan(&lit, range).unwrap_or_else(|| lit.span()),
        (_, _) => entry
            .value
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
    use proc_macro2::{Delimiter, TokenTree};

    fn raw(text: &str) -> String {
        let mut out = String::new();
        push_raw_string(&mut out, text);
        out
    }

    #[test]
    fn raw_string_fence_outgrows_every_quote_hash_run() {
        assert_eq!(raw(r#"{"a": "b"}"#), r####"r#"{"a": "b"}"#"####);
        assert_eq!(raw(r###"x"#y"##z#"###), r#####"r###"x"#y"##z#"###"#####);
        assert_eq!(raw(""), r##"r#""#"##);
        let long = format!("\"{}", "#".repeat(100));
        assert!(raw(&long).starts_with(&format!("r{}\"", "#".repeat(101))));
    }

    #[test]
    fn raw_string_lexes_back_to_the_text() {
        for text in [
            "{\n  \"Version\": \"2012-10-17\"\n}",
            "a\"#b\"##",
            "\\u00e9 é \"#",
            "#\"#",
        ] {
            let mut source = String::new();
            push_raw_string(&mut source, text);
            let literal: syn::LitStr = syn::parse_str(&source).unwrap();
            assert_eq!(literal.value(), text);
        }
    }

    /// `::rotation_policy::RotationPolicies { resource_policy: .., execution_role_policy: .. }`,
    /// read token by token (syn's expression parser needs its `full` feature,
    /// which the macro does not build).
    #[test]
    fn policies_tokens_is_the_struct_expression() {
        let tokens: Vec<TokenTree> = policies_tokens("{}", "[\"#\"]").unwrap().into_iter().collect();
        let Some((TokenTree::Group(body), path)) = tokens.split_last() else {
            panic!("no braces: {tokens:?}");
        };
        assert_eq!(body.delimiter(), Delimiter::Brace);
        let path: String = path.iter().map(ToString::to_string).collect();
        assert_eq!(path, "::rotation_policy::RotationPolicies");
        let fields: Vec<TokenTree> = body.stream().into_iter().collect();
        let texts: Vec<String> = fields.iter().map(ToString::to_string).collect();
        assert_eq!(texts.len(), 7, "{texts:?}");
        assert_eq!(
            [&texts[0], &texts[1], &texts[3], &texts[4], &texts[5]],
            ["resource_policy", ":", ",", "execution_role_policy", ":"]
        );
        let value = |i: usize| syn::parse2::<LitStr>(fields[i].clone().into()).unwrap().value();
        assert_eq!((value(2), value(6)), ("{}".to_owned(), "[\"#\"]".to_owned()));
    }
}
