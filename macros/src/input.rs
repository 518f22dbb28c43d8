//! Parses the DSL: `key: value` pairs written like the fields of a struct
//! literal, separated by commas, trailing comma allowed.
//!
//! Only the shape of the input is checked here. A value that is none of the
//! accepted forms is kept as [`Value::Other`] so that it is reported together
//! with every other problem of the invocation; whether a key exists and
//! whether its value fits is decided by the core builder (`expand`).

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Ident, LitBool, LitStr, Token};

/// The whole macro input.
pub struct Input {
    pub entries: Punctuated<Entry, Token![,]>,
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
        Ok(Input {
            entries: Punctuated::parse_terminated(input)?,
        })
    }
}

impl Parse for Entry {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        // Any identifier: a keyword such as `type` is an unknown key, which
        // core reports with the list of keys.
        let lookahead = input.lookahead1();
        if !lookahead.peek(Ident::peek_any) {
            return Err(lookahead.error());
        }
        let key = input.call(Ident::parse_any)?;
        let name = key.unraw().to_string();
        let Some(colon) = input.parse::<Option<Token![:]>>()? else {
            return Err(input.error(format!(
                "expected `:` after `{name}`: write the options like struct fields, `{name}: value`"
            )));
        };
        let tokens = value_tokens(input)?;
        if tokens.is_empty() {
            let message = format!("missing value for `{name}`");
            return Err(syn::Error::new(colon.span, message));
        }
        let value = syn::parse2(tokens.clone()).unwrap_or_else(|_| Value::other(tokens));
        Ok(Entry { key, name, value })
    }
}

/// The tokens of a value: everything up to the next comma outside a group.
fn value_tokens(input: ParseStream) -> syn::Result<TokenStream> {
    input.step(|cursor| {
        let mut tokens = TokenStream::new();
        let mut rest = *cursor;
        while let Some((tree, next)) = rest.token_tree() {
            if matches!(&tree, TokenTree::Punct(p) if p.as_char() == ',') {
                break;
            }
            tokens.extend([tree]);
            rest = next;
        }
        Ok((tokens, rest))
    })
}

/// The accepted forms, when they are the value's only tokens (`parse2`
/// rejects anything left over). syn reads through a group without
/// delimiters, which is how a macro_rules macro forwards `$value:expr`.
impl Parse for Value {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        // Identifiers first: peeking for a literal builds one, which
        // unescapes a string literal's text.
        if !input.peek(Ident::peek_any) {
            return input.parse().map(Value::Str);
        }
        if input.peek(LitBool) {
            return input.parse().map(Value::Bool);
        }
        let ident = input.call(Ident::parse_any)?;
        if !input.peek(Token![!]) {
            return Ok(Value::Ident(ident));
        }
        if ident != "env" {
            return Err(syn::Error::new(ident.span(), "expected `env!`"));
        }
        let bang: Token![!] = input.parse()?;
        let args: Group = input.parse()?;
        let name = syn::parse2::<EnvArgs>(args.stream())?.0;
        let tokens = quote::quote!(#ident #bang #args);
        Ok(Value::Env { tokens, name })
    }
}

impl Value {
    /// A value of none of the accepted forms, and what it is.
    fn other(tokens: TokenStream) -> Value {
        let trees: Vec<TokenTree> = unwrap_invisible(tokens).into_iter().collect();
        let found = match trees.as_slice() {
            [TokenTree::Literal(_)] => "a literal that is not a string: write it in double quotes",
            [TokenTree::Ident(mac), TokenTree::Punct(bang), TokenTree::Group(_)]
                if mac == "env" && bang.as_char() == '!' =>
            {
                "an `env!` without a string literal: write `env!(\"VAR\")`"
            }
            _ => {
                "an expression: values are literals, an identifier or `env!(\"VAR\")`, \
                 nothing is evaluated"
            }
        };
        Value::Other {
            tokens: trees.into_iter().collect(),
            found,
        }
    }
}

/// The tokens inside a group without delimiters (see `Value::parse`), at any
/// depth; other tokens as they are.
fn unwrap_invisible(tokens: TokenStream) -> TokenStream {
    let mut trees = tokens.clone().into_iter();
    match (trees.next(), trees.next()) {
        (Some(TokenTree::Group(group)), None) if group.delimiter() == Delimiter::None => {
            unwrap_invisible(group.stream())
        }
        _ => tokens,
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

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn parse(tokens: TokenStream) -> syn::Result<Input> {
        syn::parse2(tokens)
    }

    fn error(tokens: TokenStream) -> String {
        match parse(tokens) {
            Ok(_) => panic!("parsed"),
            Err(error) => error.to_string(),
        }
    }

    #[test]
    fn entries_keep_key_names_and_value_forms() {
        let input = parse(quote! {
            strategy: alternating_users,
            r#type: r#single_user,
            account: "111122223333",
            kms: true,
            secret: env!("SECRET_ARN"),
            function: 1 + 2,
            superuser_secret: r"arn:x\n"suffix,
        })
        .unwrap();
        let names: Vec<_> = input.entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "strategy",
                "type",
                "account",
                "kms",
                "secret",
                "function",
                "superuser_secret"
            ]
        );
        let v = |i: usize| &input.entries[i].value;
        assert!(matches!(v(0), Value::Ident(i) if i == "alternating_users"));
        assert!(matches!(v(1), Value::Ident(i) if i.unraw() == "single_user"));
        assert!(matches!(v(2), Value::Str(s) if s.value() == "111122223333"));
        assert!(matches!(v(3), Value::Bool(b) if b.value));
        assert!(matches!(v(4), Value::Env { name, .. } if name.value() == "SECRET_ARN"));
        assert!(matches!(v(5), Value::Other { tokens, .. } if tokens.to_string() == "1 + 2"));
        assert!(matches!(v(6), Value::Str(s) if s.value() == "arn:x\\n"));
    }

    #[test]
    fn other_values_say_what_they_are() {
        let found = |tokens: TokenStream| match parse(quote!(account: #tokens)).unwrap().entries[0].value {
            Value::Other { found, .. } => found,
            _ => panic!("accepted {tokens}"),
        };
        for literal in [quote!(111122223333), quote!(b"bytes"), quote!('c'), quote!(1.5)] {
            assert!(found(literal).starts_with("a literal that is not a string"));
        }
        for env in [quote!(env!(ACCOUNT)), quote!(env!("A" "B")), quote!(env!())] {
            assert!(found(env).starts_with("an `env!` without a string literal"));
        }
        for expression in [
            quote!(concat!("1", "2")),
            quote!(-1),
            quote!("a" "b"),
            quote!(true false),
            quote!(env!("A") x),
            quote!(env!"A"),
            quote!(single_user::X),
            quote!(("111122223333")),
        ] {
            assert!(found(expression).starts_with("an expression"));
        }
    }

    #[test]
    fn trailing_comma_is_optional_and_empty_input_is_empty() {
        for tokens in [quote!(kms: true), quote!(kms: true,)] {
            assert_eq!(parse(tokens).unwrap().entries.len(), 1);
        }
        assert!(parse(TokenStream::new()).unwrap().entries.is_empty());
    }

    #[test]
    fn syntax_errors_say_what_was_expected() {
        let colon = "expected `:` after `strategy`: write the options like struct fields, `strategy: value`";
        assert_eq!(error(quote!(strategy = single_user)), colon);
        assert_eq!(error(quote!(strategy single_user)), colon);
        assert_eq!(
            error(quote!(strategy)),
            format!("unexpected end of input, {colon}")
        );
        assert_eq!(error(quote!(account:, kms: true)), "missing value for `account`");
        assert_eq!(error(quote!(account:)), "missing value for `account`");
        assert_eq!(error(quote!("account": "1")), "expected identifier");
        assert_eq!(error(quote!(kms: true,, account: "1")), "expected identifier");
        assert_eq!(error(quote!((kms): true)), "expected identifier");
    }

    #[test]
    fn invisible_groups_from_macro_rules_are_read_through() {
        let invisible = |tokens: TokenStream| TokenTree::Group(Group::new(Delimiter::None, tokens));
        let key = invisible(quote!(account));
        let value = invisible(quote!("111122223333"));
        let input = parse(quote!(#key: #value)).unwrap();
        assert_eq!(input.entries[0].name, "account");
        assert!(matches!(&input.entries[0].value, Value::Str(s) if s.value() == "111122223333"));
        let nested = invisible(quote!(#value));
        let input = parse(quote!(account: #nested)).unwrap();
        assert!(matches!(&input.entries[0].value, Value::Str(_)));
        let expression = invisible(quote!(1 + 2));
        let input = parse(quote!(account: #expression)).unwrap();
        assert!(
            matches!(&input.entries[0].value, Value::Other { tokens, .. } if tokens.to_string() == "1 + 2")
        );
        let literal = invisible(quote!(111122223333));
        let input = parse(quote!(account: #literal)).unwrap();
        assert!(
            matches!(&input.entries[0].value, Value::Other { found, .. } if found.starts_with("a literal"))
        );
    }
}
