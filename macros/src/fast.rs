//! The common case, read from the input's text: plain `key: value` pairs that
//! the builder accepts without a warning.
//!
//! Why: reading the tokens one by one hands each of them over the
//! proc-macro bridge and formats each key and literal back into text, all of
//! it in the unoptimized code of a dev build: about half of an invocation's
//! instructions (callgrind, `scripts/bench-macro-build.sh`). Printing the
//! whole stream is one call, done by the compiler's own optimized code, and
//! the plain forms are read back from the text with a few byte loops.
//!
//! Only the plain forms are read: identifiers, `"..."` string literals
//! without a backslash, `:`, `,` and whitespace. Anything else (escapes, raw
//! strings, `env!`, numbers, expressions, comments turned into attributes),
//! any problem the builder reports and any warning give `None`, and the
//! macro reads the tokens (`input`, `expand`), whose spans its messages
//! need. Whatever this path accepts, it expands exactly as the token path
//! does: the values it hands the builder are the ones the token path reads
//! from the same tokens (a unit test and the `dsl` fuzz target compare the
//! two expansions).

use proc_macro2::TokenStream;
use rotation_policy_core::{DslValue as Value, RotationSpecBuilder};

use crate::expand::policies_tokens;

/// The expansion of `tokens` if they are plain pairs that build a spec
/// without an error or a warning; `None` to take the token path.
pub fn expand(tokens: &TokenStream) -> Option<TokenStream> {
    let text = tokens.to_string();
    let bytes = text.as_bytes();
    let mut builder = RotationSpecBuilder::new();
    let mut i = skip_spaces(bytes, 0);
    while i < bytes.len() {
        let key_end = ident_end(bytes, i)?;
        let key = &text[i..key_end];
        i = skip_spaces(bytes, key_end);
        if bytes.get(i) != Some(&b':') {
            return None;
        }
        i = skip_spaces(bytes, i + 1);
        let value = if bytes.get(i) == Some(&b'"') {
            // The closing quote: without a backslash in between, the first
            // one after the opening quote (`find(char)` is a `memchr`).
            let len = text[i + 1..].find('"')?;
            let value = &text[i + 1..i + 1 + len];
            if value.contains('\\') {
                return None;
            }
            i += len + 2;
            Value::Str(value)
        } else {
            let end = ident_end(bytes, i)?;
            let name = &text[i..end];
            i = end;
            match name {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ => Value::Ident(name),
            }
        };
        builder.set(key, value).ok()?;
        // A comma, or the end; a literal's suffix, a `!` or a second token
        // of the value is anything else.
        i = skip_spaces(bytes, i);
        match bytes.get(i) {
            None => {}
            Some(b',') => i = skip_spaces(bytes, i + 1),
            Some(_) => return None,
        }
    }
    let spec = builder.build().ok()?;
    if !spec.warnings().is_empty() {
        return None;
    }
    policies_tokens(&spec.resource_policy_json(), &spec.execution_role_policy_json()).ok()
}

/// The index of the first byte from `i` on that is not ASCII whitespace
/// (the compiler's printer separates tokens with spaces and line breaks).
fn skip_spaces(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && matches!(bytes[i], b' ' | b'\n' | b'\t' | b'\r') {
        i += 1;
    }
    i
}

/// The end of the ASCII identifier at `i`, or `None` if none starts there.
/// (A non-ASCII identifier takes the token path.)
fn ident_end(bytes: &[u8], mut i: usize) -> Option<usize> {
    if !matches!(bytes.get(i), Some(b'a'..=b'z' | b'A'..=b'Z' | b'_')) {
        return None;
    }
    i += 1;
    while i < bytes.len() && matches!(bytes[i], b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_') {
        i += 1;
    }
    Some(i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{expand, fallback, input};

    /// The token path's expansion of `source`.
    fn token_path(source: &str) -> String {
        let tokens: TokenStream = source.parse().unwrap();
        match input::Input::parse(tokens) {
            Ok(input) => expand::expand(&input)
                .unwrap_or_else(|error| fallback::expand(&input, error))
                .to_string(),
            Err(error) => error.into_compile_error().to_string(),
        }
    }

    fn fast_path(source: &str) -> Option<String> {
        expand(&source.parse().unwrap()).map(|tokens| tokens.to_string())
    }

    const SECRET: &str = "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-AbCdEf";
    const SUPERUSER: &str = "arn:aws:secretsmanager:us-east-1:111122223333:secret:admin-XyZ123";
    const FUNCTION: &str = "arn:aws:lambda:us-east-1:111122223333:function:rotate";
    const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    #[test]
    fn plain_inputs_expand_as_the_token_path_does() {
        let inputs = [
            format!(r#"strategy: single_user, secret: "{SECRET}", function: "{FUNCTION}""#),
            format!(
                r#"strategy: alternating_users, account: "111122223333", secret: "{SECRET}",
                   function: "{FUNCTION}", superuser_secret: "{SUPERUSER}", kms: "{KEY}", vpc: true,"#
            ),
            format!(
                r#"strategy:alternating_users,separate_secret:"{SUPERUSER}",kms:true,source_arn:false,
                   profile:aws_doc_2021,secret:"{SECRET}",function:"{FUNCTION}",superuser_kms:"{KEY}""#
            ),
            // The rest are placeholders.
            "strategy: single_user".to_owned(),
            format!(r#"strategy: single_user, secret: "{SECRET}""#),
        ];
        for source in &inputs {
            let fast = fast_path(source).unwrap_or_else(|| panic!("took the token path: {source}"));
            assert_eq!(fast, token_path(source), "{source}");
        }
    }

    #[test]
    fn everything_else_takes_the_token_path() {
        let inputs = [
            // Errors: the token path has the spans.
            format!(r#"secret: "{SECRET}""#),
            format!(r#"strategy: single_user, secret: "{FUNCTION}""#),
            format!(r#"strategy: single_user, secret: "{SECRET}", function: "{FUNCTION}", vpc: maybe"#),
            format!(
                r#"strategy: single_user, secret: "{SECRET}", function: "{FUNCTION}", secret: "{SECRET}""#
            ),
            format!(r#"strategy: single_user, secret: "{SECRET}", function: "{FUNCTION}" kms: true"#),
            format!(r#"strategy: single_user, secret: "{SECRET}", function: "{FUNCTION}",,"#),
            format!(r#"strategy: single_user, secret: "{SECRET}", function: "{FUNCTION}", vpc: 1"#),
            String::new(),
            // A warning: the secret ARN without its suffix.
            format!(
                r#"strategy: single_user, secret: "{}", function: "{FUNCTION}""#,
                &SECRET[..SECRET.len() - 7]
            ),
            // Forms this path does not read, valid or not.
            format!(r#"strategy: single_user, secret: "{SECRET}", function: env!("FUNCTION_ARN")"#),
            format!(r#"strategy: single_user, secret: "{SECRET}", function: "rotate\u{{2d}}x""#),
            format!(r##"strategy: single_user, secret: r#"{SECRET}"#, function: "{FUNCTION}""##),
            format!(r#"strategy: single_user, secret: "{SECRET}"suffix, function: "{FUNCTION}""#),
            format!(r#"strategy: single_user, secret: b"{SECRET}", function: "{FUNCTION}""#),
            format!(r#"r#strategy: single_user, secret: "{SECRET}", function: "{FUNCTION}""#),
            format!(r#"strategy: single_user, secret: "{SECRET}", function: "{FUNCTION}", vpc: !true"#),
            format!(r#"strategy: single_user, secret: "{SECRET}", function: "{FUNCTION}", vpc: (true)"#),
            format!(r#"stratégie: single_user, secret: "{SECRET}", function: "{FUNCTION}""#),
        ];
        for source in &inputs {
            assert_eq!(fast_path(source), None, "{source}");
        }
    }
}
