//! Parses the DSL: `key: value` pairs written like the fields of a struct
//! literal, separated by commas, trailing comma allowed.
//!
//! Only the shape of the input is checked here. A value that is none of the
//! accepted forms is kept as [`Value::Other`] so that it is reported together
//! with every other problem of the invocation; whether a key exists and
//! whether its value fits is decided by the core builder.

use proc_macro2::{TokenStream, TokenTree};
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
    pub value: Value,
}

/// A value as written.
pub enum Value {
    /// `"..."`
    Str(LitStr),
    /// `true` / `false`
    Bool(LitBool),
    /// `single_user`, `recommended`, ...
    Ident(Ident),
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
            let key_name = key.unraw();
            let Some(colon) = input.parse::<Option<Token![:]>>()? else {
                return Err(input.error(format!(
                    "expected `:` after `{key_name}`: write the options like struct fields, `{key_name}: value`"
                )));
            };
            let mut tokens = TokenStream::new();
            while !input.is_empty() && !input.peek(Token![,]) {
                tokens.extend([input.parse::<TokenTree>()?]);
            }
            if tokens.is_empty() {
                let message = format!("missing value for `{key_name}`");
                return Err(syn::Error::new_spanned(colon, message));
            }
            entries.push(Entry {
                key,
                value: Value::classify(tokens),
            });
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
        }
        Ok(Input { entries })
    }
}

impl Value {
    fn classify(tokens: TokenStream) -> Value {
        let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
        match trees.as_slice() {
            [TokenTree::Ident(ident)] => match ident.to_string().as_str() {
                "true" => Value::Bool(LitBool::new(true, ident.span())),
                "false" => Value::Bool(LitBool::new(false, ident.span())),
                _ => Value::Ident(ident.clone()),
            },
            [TokenTree::Literal(literal)] => match syn::Lit::new(literal.clone()) {
                syn::Lit::Str(lit) => Value::Str(lit),
                _ => Value::Other {
                    tokens,
                    found: "a literal that is not a string: write it in double quotes",
                },
            },
            [TokenTree::Ident(mac), TokenTree::Punct(bang), TokenTree::Group(args)]
                if mac == "env" && bang.as_char() == '!' =>
            {
                match syn::parse2::<EnvArgs>(args.stream()) {
                    Ok(EnvArgs(name)) => Value::Env { tokens, name },
                    Err(_) => Value::Other {
                        tokens,
                        found: "an `env!` without a string literal: write `env!(\"VAR\")`",
                    },
                }
            }
            _ => Value::Other {
                tokens,
                found: "an expression: values are literals, an identifier or `env!(\"VAR\")`, \
                        nothing is evaluated",
            },
        }
    }
}

impl ToTokens for Value {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        match self {
            Value::Str(lit) => lit.to_tokens(tokens),
            Value::Bool(lit) => lit.to_tokens(tokens),
            Value::Ident(ident) => ident.to_tokens(tokens),
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
