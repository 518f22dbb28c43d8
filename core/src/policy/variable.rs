//! Policy variables (IAM User Guide, "IAM policy elements: Variables and
//! tags"): `${aws:username}` stands for the request's value of that condition
//! key, `${key, 'default'}` falls back to the default, and `${*}`, `${?}`,
//! `${$}` stand for the literal characters. Variables work in `Resource` and
//! `NotResource` (only in the resource part of an ARN, after the fifth colon)
//! and in the values of String and ARN condition operators, and only with
//! `"Version": "2012-10-17"`; elsewhere `${...}` is literal text.
//!
//! Templates (CloudFormation `Fn::Sub`, and this project's generator) write
//! placeholders in the same syntax: a `${...}` that does not name a condition
//! key (`${SecretArn}`, `${AWS::AccountId}`) is such a placeholder.

use std::ops::Range;

use super::wildcard::Pattern;

/// A piece of a string that may hold variables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Plain text.
    Text(&'a str),
    /// `${*}`, `${?}` or `${$}`: that character, literally.
    Escape(char),
    /// `${key}` or `${key, 'default'}`: a policy variable.
    Variable {
        /// The condition key (`aws:PrincipalTag/app:team`).
        key: &'a str,
        /// The default value, without its quotes.
        default: Option<&'a str>,
    },
    /// `${Name}` that names no condition key: a template placeholder.
    Placeholder(&'a str),
}

/// A `${` without its `}`, or an empty `${}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariableError {
    /// Byte range of the malformed variable in the text.
    pub range: Range<usize>,
    /// Whether the `}` is missing (else the name is empty).
    pub unclosed: bool,
}

/// Whether `name` has the shape of a condition key: `prefix:name`, the
/// prefix a service prefix (`aws`, `secretsmanager`, `s3`...), the name not
/// empty. Tag keys may hold `:` (`aws:PrincipalTag/app:team`), so only the
/// first colon separates; `::` (CloudFormation's `AWS::AccountId`) does not.
pub fn is_condition_key_shape(name: &str) -> bool {
    match name.split_once(':') {
        Some((prefix, rest)) => {
            !prefix.is_empty()
                && prefix.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !rest.is_empty()
                && !rest.starts_with(':')
        }
        None => false,
    }
}

/// The pieces of `text`, each with its byte range.
pub fn pieces(text: &str) -> Result<Vec<(Range<usize>, Piece<'_>)>, VariableError> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(found) = text[at..].find("${") {
        let start = at + found;
        if start > at {
            out.push((at..start, Piece::Text(&text[at..start])));
        }
        let Some(close) = text[start + 2..].find('}') else {
            return Err(VariableError {
                range: start..text.len(),
                unclosed: true,
            });
        };
        let end = start + 2 + close + 1;
        let inner = text[start + 2..end - 1].trim();
        let (name, default) = match inner.split_once(',') {
            Some((name, default)) => {
                let default = default.trim();
                let unquoted = default.strip_prefix('\'').and_then(|d| d.strip_suffix('\''));
                (name.trim(), Some(unquoted.unwrap_or(default)))
            }
            None => (inner, None),
        };
        let piece = match name {
            "" => {
                return Err(VariableError {
                    range: start..end,
                    unclosed: false,
                })
            }
            "*" => Piece::Escape('*'),
            "?" => Piece::Escape('?'),
            "$" => Piece::Escape('$'),
            key if is_condition_key_shape(key) => Piece::Variable { key, default },
            other => Piece::Placeholder(other),
        };
        out.push((start..end, piece));
        at = end;
    }
    if at < text.len() || out.is_empty() {
        out.push((at..text.len(), Piece::Text(&text[at..])));
    }
    Ok(out)
}

/// Why a string with variables could not be resolved for a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unresolved {
    /// A variable whose key the request does not carry, without a default:
    /// IAM then treats the element as matching nothing.
    NoValue,
    /// A variable of a multivalued key, or one before the resource part of
    /// an ARN: IAM documents neither (it says they cannot be used), so the
    /// outcome is unknown.
    Undefined,
}

/// Where a string sits, which decides how its variables are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A `Resource`/`NotResource` ARN or an ARN condition value: `*` and `?`
    /// are wildcards, variables only after the fifth colon.
    Arn,
    /// A `...Like` string condition value: `*` and `?` are wildcards.
    Like,
    /// Any other string condition value: every character is literal.
    Literal,
}

/// `text` as a pattern for one request: each variable replaced by the
/// request's value of its key (`values` looks it up; its characters are
/// literal), `${*}`/`${?}`/`${$}` by the literal character, template
/// placeholders kept as their literal text. With `variables` false (a policy
/// without `"Version": "2012-10-17"`), `${...}` is literal text.
pub fn resolve<'v>(
    text: &str,
    place: Place,
    variables: bool,
    values: &dyn Fn(&str) -> Option<&'v [String]>,
) -> Result<Pattern, Unresolved> {
    let push_text = |p: &mut Pattern, s: &str| match place {
        Place::Arn | Place::Like => p.push_wildcard_text(s),
        Place::Literal => p.push_literal(s),
    };
    let mut pattern = Pattern::default();
    let Some(parsed) = pieces(text).ok().filter(|_| variables) else {
        push_text(&mut pattern, text);
        return Ok(pattern);
    };
    // The byte where an ARN's resource part starts: after the fifth colon.
    let resource_start = match place {
        Place::Arn => text.match_indices(':').nth(4).map_or(text.len(), |(i, _)| i + 1),
        Place::Like | Place::Literal => 0,
    };
    for (range, piece) in parsed {
        match piece {
            Piece::Text(s) => push_text(&mut pattern, s),
            Piece::Escape(c) => pattern.push_literal(c.encode_utf8(&mut [0; 4])),
            Piece::Placeholder(_) => pattern.push_literal(&text[range]),
            Piece::Variable { .. } if range.start < resource_start => return Err(Unresolved::Undefined),
            Piece::Variable { key, default } => match (values(key), default) {
                (Some([value]), _) => pattern.push_literal(value),
                (Some([_, _, ..]), _) => return Err(Unresolved::Undefined),
                (None | Some([]), Some(default)) => pattern.push_literal(default),
                (None | Some([]), None) => return Err(Unresolved::NoValue),
            },
        }
    }
    Ok(pattern)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(key: &str) -> Option<&'static [String]> {
        static ACCOUNT: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
        static TEAMS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
        match key.to_ascii_lowercase().as_str() {
            "aws:principalaccount" => Some(ACCOUNT.get_or_init(|| vec!["111122223333".into()])),
            "aws:principaltag/app:team" => Some(TEAMS.get_or_init(|| vec!["db".into()])),
            _ => None,
        }
    }

    fn resolve_arn(text: &str) -> Result<Pattern, Unresolved> {
        resolve(text, Place::Arn, true, &lookup)
    }

    #[test]
    fn pieces_tell_variables_escapes_and_placeholders_apart() {
        let p = pieces("a${aws:username}b${*}${AWS::AccountId}${SecretArn}${s3:x, 'd'}").unwrap();
        let kinds: Vec<Piece<'_>> = p.into_iter().map(|(_, piece)| piece).collect();
        assert_eq!(
            kinds,
            [
                Piece::Text("a"),
                Piece::Variable {
                    key: "aws:username",
                    default: None
                },
                Piece::Text("b"),
                Piece::Escape('*'),
                Piece::Placeholder("AWS::AccountId"),
                Piece::Placeholder("SecretArn"),
                Piece::Variable {
                    key: "s3:x",
                    default: Some("d")
                },
            ]
        );
        assert!(pieces("${aws:username").unwrap_err().unclosed);
        assert!(!pieces("a${}").unwrap_err().unclosed);
        assert!(is_condition_key_shape("aws:PrincipalTag/app:team"));
    }

    #[test]
    fn variables_are_substituted_only_in_the_resource_part_of_an_arn() {
        let p = resolve_arn("arn:aws:s3:::bucket/${aws:PrincipalAccount}/*").unwrap();
        assert!(p.matches("arn:aws:s3:::bucket/111122223333/x"));
        assert_eq!(
            resolve_arn("arn:aws:iam::${aws:PrincipalAccount}:role/x"),
            Err(Unresolved::Undefined)
        );
        assert!(resolve_arn("arn:aws:s3:::b/${aws:PrincipalTag/app:team}")
            .unwrap()
            .matches("arn:aws:s3:::b/db"));
    }

    #[test]
    fn special_variables_are_literal_characters_not_wildcards() {
        let p = resolve_arn("arn:aws:s3:::b/a${*}b${?}").unwrap();
        assert!(p.matches("arn:aws:s3:::b/a*b?"));
        assert!(!p.matches("arn:aws:s3:::b/aXXbY"));
    }

    #[test]
    fn a_missing_value_uses_the_default_or_matches_nothing() {
        assert_eq!(
            resolve("${aws:username}", Place::Literal, true, &lookup),
            Err(Unresolved::NoValue)
        );
        let p = resolve("${aws:username, 'nobody'}", Place::Literal, true, &lookup).unwrap();
        assert!(p.matches("nobody"));
    }

    #[test]
    fn placeholders_and_old_versions_stay_literal() {
        assert!(resolve_arn("${SecretArn}").unwrap().matches("${SecretArn}"));
        let old = resolve("x/${aws:username}", Place::Arn, false, &lookup).unwrap();
        assert!(old.matches("x/${aws:username}"));
    }
}
