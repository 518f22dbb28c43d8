//! Parses the DSL: `key: value` pairs written like the fields of a struct
//! literal, separated by commas, trailing comma allowed.
//!
//! Only the shape of the input is checked here. A value that is none of the
//! accepted forms is kept as [`Value::Other`] so that it is reported together
//! with every other problem of the invocation; whether a key exists and
//! whether its value fits is decided by the core builder.
//!
//! The parser runs on every invocation, unoptimized in a dev build, so it
//! reads each value's tokens once, as a slice, and keeps the text the
//! expansion needs (key names, identifier names, string values) instead of
//! asking the compiler for it again.

use proc_macro2::{Literal, TokenStream, TokenTree};
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::{Ident, LitBool, LitStr, Token};

/// The whole macro input.
pub struct Input {
    pub entries: Vec<Entry>,
}

/// One `key: value` pair.
pub struct Entry {
    pub key: Ident,
    /// The key's name, without a raw identifier's `r#`.
    pub name: String,
    pub value: Value,
}

/// A value as written.
pub enum Value {
    /// `"..."`: the literal token and its value.
    Str { token: Literal, value: String },
    /// `true` / `false`
    Bool(LitBool),
    /// `single_user`, `recommended`, ...: the identifier and its name
    /// without `r#`.
    Ident { ident: Ident, name: String },
    /// `env!("VAR")`: the whole invocation and the variable's name.
    Env { tokens: TokenStream, name: LitStr },
    /// Anything else (an expression, a number, a malformed `env!`): the
    /// tokens, and what they are, for the message ("found ...").
    Other {
        tokens: TokenStream,
        found: &'static str,
    },
}

impl Parse for Input {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut entries = Vec::new();
        while !input.is_empty() {
            let key = input.call(Ident::parse_any)?;
            let name = unraw(text_of(&key, 24));
            let Some(colon) = input.parse::<Option<Token![:]>>()? else {
                return Err(input.error(format!(
                    "expected `:` after `{name}`: write the options like struct fields, `{name}: value`"
                )));
            };
            // The value's tokens up to the next comma, and the comma, in one
            // step of the parser.
            let trees = input.step(|cursor| {
                let mut trees = Vec::new();
                let mut rest = *cursor;
                while let Some((tree, next)) = rest.token_tree() {
                    rest = next;
                    if matches!(&tree, TokenTree::Punct(p) if p.as_char() == ',') {
                        break;
                    }
                    trees.push(tree);
                }
                Ok((trees, rest))
            })?;
            if trees.is_empty() {
                let message = format!("missing value for `{name}`");
                return Err(syn::Error::new_spanned(colon, message));
            }
            entries.push(Entry {
                key,
                name,
                value: Value::classify(trees),
            });
        }
        Ok(Input { entries })
    }
}

/// A token's text, written into a buffer of `capacity` bytes. `to_string()`
/// would start from an empty `String` and grow it write by write, each growth
/// a reallocation and a copy in the unoptimized code of a dev build.
fn text_of(token: &impl std::fmt::Display, capacity: usize) -> String {
    use std::fmt::Write;
    let mut text = String::with_capacity(capacity);
    // Writing into a `String` cannot fail.
    let _ = write!(text, "{token}");
    text
}

/// An identifier's text without `r#`.
fn unraw(mut name: String) -> String {
    if name.starts_with("r#") {
        name.drain(..2);
    }
    name
}

impl Value {
    fn classify(trees: Vec<TokenTree>) -> Value {
        match trees.as_slice() {
            [TokenTree::Ident(ident)] => {
                let text = text_of(ident, 24);
                match text.as_str() {
                    "true" | "false" => Value::Bool(LitBool::new(text == "true", ident.span())),
                    _ => Value::Ident {
                        ident: ident.clone(),
                        name: unraw(text),
                    },
                }
            }
            [TokenTree::Literal(literal)] => match string_value(literal) {
                Some(value) => Value::Str {
                    token: literal.clone(),
                    value,
                },
                None => Value::Other {
                    tokens: trees.into_iter().collect(),
                    found: "a literal that is not a string: write it in double quotes",
                },
            },
            [TokenTree::Ident(mac), TokenTree::Punct(bang), TokenTree::Group(args)]
                if mac == "env" && bang.as_char() == '!' =>
            {
                let parsed = syn::parse2::<EnvArgs>(args.stream());
                let tokens = trees.into_iter().collect();
                match parsed {
                    Ok(EnvArgs(name)) => Value::Env { tokens, name },
                    Err(_) => Value::Other {
                        tokens,
                        found: "an `env!` without a string literal: write `env!(\"VAR\")`",
                    },
                }
            }
            _ => Value::Other {
                tokens: trees.into_iter().collect(),
                found: "an expression: values are literals, an identifier or `env!(\"VAR\")`, \
                        nothing is evaluated",
            },
        }
    }
}

/// The value of a string literal, or `None` if the literal is not a string.
///
/// A literal written `"..."` without a backslash is its own value between the
/// quotes (rustc has already rejected a bare carriage return and normalised
/// line endings), which saves unescaping it char by char; every other form
/// (escapes, raw strings, suffixes, non-strings) goes through syn.
fn string_value(literal: &Literal) -> Option<String> {
    let mut repr = text_of(literal, 128);
    if repr.len() >= 2 && repr.starts_with('"') && repr.ends_with('"') && !repr.contains('\\') {
        repr.pop();
        repr.remove(0);
        return Some(repr);
    }
    match syn::Lit::new(literal.clone()) {
        syn::Lit::Str(lit) => Some(lit.value()),
        _ => None,
    }
}

impl Value {
    /// The string literal as syn sees it, for pointing into it.
    pub fn lit_str(&self) -> Option<LitStr> {
        match self {
            Value::Str { token, .. } => match syn::Lit::new(token.clone()) {
                syn::Lit::Str(lit) => Some(lit),
                _ => None,
            },
            _ => None,
        }
    }
}

impl ToTokens for Value {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        match self {
            Value::Str { token, .. } => token.to_tokens(tokens),
            Value::Bool(lit) => lit.to_tokens(tokens),
            Value::Ident { ident, .. } => ident.to_tokens(tokens),
            Value::Env { tokens: t, .. } | Value::Other { tokens: t, .. } => t.to_tokens(tokens),
        }
    }
}

/// The argument of `env!`: one string literal, optionally followed by a comma.
struct EnvArgs(LitStr);

impl Parse for EnvArgs {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let name = input.parse()?;
        input.parse::<Option<Token![,]>>()?;
        Ok(EnvArgs(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(source: &str) -> Option<String> {
        string_value(&source.parse().unwrap())
    }

    #[test]
    fn plain_string_literal_is_its_text() {
        assert_eq!(
            value(r#""arn:aws:kms:us-east-1:111122223333:key/x""#).as_deref(),
            Some("arn:aws:kms:us-east-1:111122223333:key/x")
        );
        assert_eq!(value(r#""""#).as_deref(), Some(""));
    }

    #[test]
    fn other_string_forms_are_unescaped_by_syn() {
        assert_eq!(value(r#""a\"b\x41\u{42}""#).as_deref(), Some("a\"bAB"));
        assert_eq!(value(r###"r#"a"b\n"#"###).as_deref(), Some("a\"b\\n"));
        assert_eq!(
            value(
                r#""a\
                 b""#
            )
            .as_deref(),
            Some("ab")
        );
    }

    #[test]
    fn non_strings_have_no_string_value() {
        for source in ["1", "1.5", "'c'", r#"b"bytes""#, r#"c"cstr""#] {
            assert_eq!(value(source), None, "{source}");
        }
    }
}
