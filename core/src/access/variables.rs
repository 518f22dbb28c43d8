//! Policy variables in `Resource` and condition values (IAM User Guide,
//! "IAM policy elements: Variables and tags"): `${aws:username}` takes the
//! request's value of that key; `${key, 'default'}` falls back to the
//! default; `${*}`, `${?}` and `${$}` stand for the literal characters.
//!
//! A `${Name}` without a `service:` prefix, or with CloudFormation's `::`
//! (`${AWS::AccountId}`, `${SecretArn}`), is not a policy variable but an
//! unresolved `Fn::Sub` placeholder of a generated document: it is kept
//! literally, so a template checks against a spec with the same placeholders.

use std::borrow::Cow;

use super::request::Request;

/// Replaces the policy variables in `text` with the request's values.
/// `None` when a variable has no value and no default: AWS then treats the
/// element as not matching.
pub fn substitute<'a>(text: &'a str, request: &Request) -> Option<Cow<'a, str>> {
    if !text.contains("${") {
        return Some(Cow::Borrowed(text));
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[start..]);
            return Some(Cow::Owned(out));
        };
        let inner = after[..end].trim();
        match inner {
            "*" | "?" | "$" => out.push_str(inner),
            _ if !inner.contains(':') || inner.contains("::") => {
                out.push_str(&rest[start..start + 2 + end + 1])
            }
            _ => {
                let (key, default) = match inner.split_once(',') {
                    Some((key, default)) => {
                        let default = default.trim();
                        (
                            key.trim(),
                            default.strip_prefix('\'').and_then(|d| d.strip_suffix('\'')),
                        )
                    }
                    None => (inner, None),
                };
                match request.context_values(key).and_then(|v| v.first()) {
                    Some(value) => out.push_str(value),
                    None => out.push_str(default?),
                }
            }
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Some(Cow::Owned(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::request::RequestPrincipal;

    fn request() -> Request {
        let principal = RequestPrincipal::Role {
            arn: None,
            account: "111122223333".into(),
        };
        Request::new(principal, "s3:GetObject", "*", "test").with("aws:PrincipalAccount", "111122223333")
    }

    #[test]
    fn variables_take_request_values() {
        let r = request();
        assert_eq!(
            substitute("arn:aws:s3:::b/${aws:PrincipalAccount}/*", &r).as_deref(),
            Some("arn:aws:s3:::b/111122223333/*")
        );
        assert_eq!(
            substitute("${AWS:principalaccount}", &r).as_deref(),
            Some("111122223333")
        );
    }

    #[test]
    fn missing_variable_uses_default_or_fails() {
        let r = request();
        assert_eq!(substitute("${aws:username}", &r), None);
        assert_eq!(
            substitute("${aws:username, 'nobody'}", &r).as_deref(),
            Some("nobody")
        );
        assert_eq!(substitute("a${*}b${?}${$}", &r).as_deref(), Some("a*b?$"));
    }

    #[test]
    fn cloudformation_placeholders_stay_literal() {
        let r = request();
        assert_eq!(substitute("${SecretArn}", &r).as_deref(), Some("${SecretArn}"));
        assert_eq!(
            substitute("x${AWS::AccountId}y", &r).as_deref(),
            Some("x${AWS::AccountId}y")
        );
    }
}
