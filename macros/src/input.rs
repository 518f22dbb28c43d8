//! Parses the DSL: `key: value` pairs written like the fields of a struct
//! literal, separated by commas, trailing comma allowed.
//!
//! Only the shape of the input is checked here. A value that is none of the
//! accepted forms is kept as [`Value::Other`] so that it is reported together
//! with every other problem of the invocation; whether a key exists and
//! whether its value fits is decided by the core builder.
//!
//! This is the token path: it runs when the text path (`fast`) declines the
//! input, for `env!`, escapes, any error or warning, since the messages need
//! the tokens' spans. It reads each value's tokens once and keeps the text the
//! expansion needs (key names, identifier names, string values) instead of
//! asking the compiler for it again.

use proc_macro2::{Delimiter, Literal, Span, TokenStream, TokenTree};
use quote::ToTokens;
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

impl Input {
    /// Parses the macro's input.
    ///
    /// A loop over the token trees rather than a `syn::parse::Parse` impl
    /// behind `parse_macro_input!`: the input is flat (`key: value,` where a
    /// value is a token or `env!(..)`), and syn's cursor would first copy
    /// every token into its buffer and then step through it again: about
    /// 20k of an invocation's 130k instructions in the unoptimized code of a
    /// dev build (callgrind, `scripts/bench-macro-build.sh`). The errors are
    /// syn's: the same messages on the same spans (the `syntax` UI tests).
    pub fn parse(tokens: TokenStream) -> syn::Result<Input> {
        let mut trees = tokens.into_iter();
        let mut entries = Vec::new();
        while let Some(tree) = trees.next() {
            let key = match tree {
                TokenTree::Ident(key) => key,
                other => match ident_in_group(&other) {
                    Some(key) => key,
                    None => return Err(syn::Error::new(open_span(&other), "expected identifier")),
                },
            };
            let name = unraw(text_of(&key, 24));
            let colon = match trees.next() {
                Some(TokenTree::Punct(colon)) if colon.as_char() == ':' => colon,
                next => {
                    let message = format!(
                        "expected `:` after `{name}`: write the options like struct fields, `{name}: value`"
                    );
                    return Err(match next {
                        Some(tree) => syn::Error::new(open_span(&tree), message),
                        None => end_of_input(&message),
                    });
                }
            };
            // The value's tokens, up to the next comma.
            let mut value = Vec::new();
            for tree in trees.by_ref() {
                if is_comma(&tree) {
                    break;
                }
                value.push(tree);
            }
            if value.is_empty() {
                let message = format!("missing value for `{name}`");
                return Err(syn::Error::new(colon.span(), message));
            }
            entries.push(Entry {
                key,
                name,
                value: Value::classify(&value),
            });
        }
        Ok(Input { entries })
    }
}

fn is_comma(tree: &TokenTree) -> bool {
    matches!(tree, TokenTree::Punct(p) if p.as_char() == ',')
}

/// The tokens inside `tree` if it is a group without delimiters: how a
/// macro_rules macro forwards a fragment such as `$value:expr`. syn reads
/// through such groups; so does this parser, for a key or a whole value.
fn invisible_group(tree: &TokenTree) -> Option<Vec<TokenTree>> {
    match tree {
        TokenTree::Group(group) if group.delimiter() == Delimiter::None => {
            Some(group.stream().into_iter().collect())
        }
        _ => None,
    }
}

/// The identifier inside an invisible group (see [`invisible_group`]).
fn ident_in_group(tree: &TokenTree) -> Option<Ident> {
    match invisible_group(tree)?.as_slice() {
        [TokenTree::Ident(ident)] => Some(ident.clone()),
        [inner] => ident_in_group(inner),
        _ => None,
    }
}

/// Where syn puts an error about `tree`: a group's opening delimiter, any
/// other token itself.
fn open_span(tree: &TokenTree) -> Span {
    match tree {
        TokenTree::Group(group) => group.span_open(),
        other => other.span(),
    }
}

/// An error at the end of the input, worded as syn words it.
fn end_of_input(message: &str) -> syn::Error {
    syn::Error::new(Span::call_site(), format!("unexpected end of input, {message}"))
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
    fn classify(trees: &[TokenTree]) -> Value {
        if let [tree] = trees {
            if let Some(inner) = invisible_group(tree) {
                return Value::classify(&inner);
            }
        }
        match trees {
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
                    tokens: trees.iter().cloned().collect(),
                    found: "a literal that is not a string: write it in double quotes",
                },
            },
            [TokenTree::Ident(mac), TokenTree::Punct(bang), TokenTree::Group(args)]
                if mac == "env" && bang.as_char() == '!' =>
            {
                let parsed = syn::parse2::<EnvArgs>(args.stream());
                let tokens = trees.iter().cloned().collect();
                match parsed {
                    Ok(EnvArgs(name)) => Value::Env { tokens, name },
                    Err(_) => Value::Other {
                        tokens,
                        found: "an `env!` without a string literal: write `env!(\"VAR\")`",
                    },
                }
            }
            _ => Value::Other {
                tokens: trees.iter().cloned().collect(),
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
    let repr = text_of(literal, 128);
    if let [b'"', inner @ .., b'"'] = repr.as_bytes() {
        if !inner.contains(&b'\\') {
            return Some(repr[1..repr.len() - 1].to_owned());
        }
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

    fn parse(tokens: TokenStream) -> syn::Result<Input> {
        Input::parse(tokens)
    }

    fn error(tokens: TokenStream) -> String {
        match parse(tokens) {
            Ok(_) => panic!("parsed"),
            Err(error) => error.to_string(),
        }
    }

    #[test]
    fn entries_keep_key_names_and_classified_values() {
        let input = parse(quote::quote! {
            strategy: alternating_users,
            r#type: r#single_user,
            account: "111122223333",
            kms: true,
            secret: env!("SECRET_ARN"),
            function: 1 + 2,
        })
        .unwrap();
        let names: Vec<_> = input.entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(
            names,
            ["strategy", "type", "account", "kms", "secret", "function"]
        );
        let v = |i: usize| &input.entries[i].value;
        assert!(matches!(v(0), Value::Ident { name, .. } if name == "alternating_users"));
        assert!(matches!(v(1), Value::Ident { name, .. } if name == "single_user"));
        assert!(matches!(v(2), Value::Str { value, .. } if value == "111122223333"));
        assert!(matches!(v(3), Value::Bool(b) if b.value));
        assert!(matches!(v(4), Value::Env { name, .. } if name.value() == "SECRET_ARN"));
        assert!(matches!(v(5), Value::Other { .. }));
    }

    #[test]
    fn trailing_comma_is_optional_and_empty_input_is_empty() {
        for tokens in [quote::quote!(kms: true), quote::quote!(kms: true,)] {
            assert_eq!(parse(tokens).unwrap().entries.len(), 1);
        }
        assert!(parse(TokenStream::new()).unwrap().entries.is_empty());
    }

    #[test]
    fn syntax_errors_are_worded_as_syn_words_them() {
        let colon = "expected `:` after `strategy`: write the options like struct fields, `strategy: value`";
        assert_eq!(error(quote::quote!(strategy = single_user)), colon);
        assert_eq!(error(quote::quote!(strategy single_user)), colon);
        assert_eq!(
            error(quote::quote!(strategy)),
            format!("unexpected end of input, {colon}")
        );
        assert_eq!(
            error(quote::quote!(account:, kms: true)),
            "missing value for `account`"
        );
        assert_eq!(error(quote::quote!(account:)), "missing value for `account`");
        assert_eq!(error(quote::quote!("account": "1")), "expected identifier");
        assert_eq!(
            error(quote::quote!(kms: true,, account: "1")),
            "expected identifier"
        );
        assert_eq!(error(quote::quote!((kms): true)), "expected identifier");
    }

    #[test]
    fn invisible_groups_from_macro_rules_are_read_through() {
        use proc_macro2::Group;
        let invisible = |tokens: TokenStream| TokenTree::Group(Group::new(Delimiter::None, tokens));
        let key = invisible(quote::quote!(account));
        let value = invisible(quote::quote!("111122223333"));
        let input = parse(quote::quote!(#key: #value)).unwrap();
        assert_eq!(input.entries[0].name, "account");
        assert!(matches!(&input.entries[0].value, Value::Str { value, .. } if value == "111122223333"));
        let expression = invisible(quote::quote!(1 + 2));
        let input = parse(quote::quote!(account: #expression)).unwrap();
        assert!(matches!(&input.entries[0].value, Value::Other { .. }));
        let two = invisible(quote::quote!(a b));
        assert_eq!(error(quote::quote!(#two: 1)), "expected identifier");
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
