//! What the evaluator cannot interpret. A condition with an unknown
//! operator or a value its operator cannot read has no documented outcome:
//! evaluating it anyway would turn a typo into a silent "allowed" or
//! "denied". `check` refuses such policies with the place and the reason
//! instead. The rules are the policy language's own
//! ([`Operator::parse`], [`Operator::check_value`]), the ones the linter
//! applies.

use crate::policy::condition::{Family, Operator};
use crate::policy::{ConditionValue, OneOrMany, PolicyDocument};

use super::condition::value_text;

/// One part of a policy the evaluator cannot interpret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uninterpretable {
    /// RFC 6901 pointer to the part (`/Statement/0/Condition/DateEquals`).
    pub pointer: String,
    /// Why, in rustc's voice.
    pub reason: String,
}

/// Appends `token` to an RFC 6901 pointer (`~` as `~0`, `/` as `~1`).
fn push_token(pointer: &mut String, token: &str) {
    pointer.push('/');
    for c in token.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

/// Every condition of `document` the evaluator cannot interpret: an unknown
/// operator (IAM User Guide, "IAM JSON policy elements: Condition
/// operators"), or a value that is not of its operator's type: a date that
/// is no ISO 8601 date or epoch seconds, a number, boolean, IP range or
/// base64 value that does not read as one, including a JSON value of the
/// wrong type (`"Bool": {"aws:SecureTransport": 1}`).
pub fn uninterpretable(document: &PolicyDocument) -> Vec<Uninterpretable> {
    let mut out = Vec::new();
    let single = matches!(document.statement, OneOrMany::One(_));
    for (index, statement) in document.statements().iter().enumerate() {
        let mut at_statement = String::from("/Statement");
        if !single {
            at_statement.push_str(&format!("/{index}"));
        }
        // IAM User Guide, "Grammar of the IAM JSON policy language": a
        // statement has `Action` or `NotAction` (one of them), and at most
        // one of `Resource`/`NotResource` and of `Principal`/`NotPrincipal`.
        // IAM refuses other statements; evaluating one would drop a part of
        // it silently.
        let pairs = [
            (
                "Action",
                statement.action.is_some(),
                "NotAction",
                statement.not_action.is_some(),
            ),
            (
                "Resource",
                statement.resource.is_some(),
                "NotResource",
                statement.not_resource.is_some(),
            ),
            (
                "Principal",
                statement.principal.is_some(),
                "NotPrincipal",
                statement.not_principal.is_some(),
            ),
        ];
        for (name, has, not_name, has_not) in pairs {
            if has && has_not {
                out.push(Uninterpretable {
                    pointer: format!("{at_statement}/{not_name}"),
                    reason: format!("a statement has either `{name}` or `{not_name}`, not both"),
                });
            }
        }
        if statement.action.is_none() && statement.not_action.is_none() {
            out.push(Uninterpretable {
                pointer: at_statement.clone(),
                reason: "the statement has neither `Action` nor `NotAction`".to_owned(),
            });
        }
        let Some(block) = &statement.condition else {
            continue;
        };
        let base = format!("{at_statement}/Condition");
        for (name, keys) in block.iter() {
            let mut at_operator = base.clone();
            push_token(&mut at_operator, name);
            let operator = match Operator::parse(name) {
                // IAM User Guide, "...IfExists condition operators": "You can
                // add IfExists to the end of any condition operator name
                // except the Null condition"; it has no documented meaning.
                Ok(operator) if operator.family == Family::Null && operator.if_exists => {
                    out.push(Uninterpretable {
                        pointer: at_operator,
                        reason:
                            "`NullIfExists` is not a condition operator: `IfExists` does not apply to `Null`"
                                .to_owned(),
                    });
                    continue;
                }
                Ok(operator) => operator,
                Err(base_name) => {
                    let hint = crate::suggest::did_you_mean(base_name, Operator::base_names());
                    out.push(Uninterpretable {
                        pointer: at_operator,
                        reason: format!("unknown condition operator `{name}`{hint}"),
                    });
                    continue;
                }
            };
            for (key, values) in keys.iter() {
                let mut at_key = at_operator.clone();
                push_token(&mut at_key, key);
                let many = matches!(values, OneOrMany::Many(_));
                for (i, value) in values.as_slice().iter().enumerate() {
                    let text = value_text(value);
                    if let Err(expected) = operator.check_value(&text) {
                        let mut pointer = at_key.clone();
                        if many {
                            pointer.push_str(&format!("/{i}"));
                        }
                        let shown = match value {
                            ConditionValue::String(s) => format!("`{s}`"),
                            other => format!("JSON {} `{text}`", json_type(other)),
                        };
                        out.push(Uninterpretable {
                            pointer,
                            reason: format!("{shown} is not a valid value for `{name}`: expected {expected}"),
                        });
                    }
                }
            }
        }
    }
    out
}

fn json_type(value: &ConditionValue) -> &'static str {
    match value {
        ConditionValue::String(_) => "string",
        ConditionValue::Bool(_) => "boolean",
        _ => "number",
    }
}

/// Where a JSON value fails to be a policy document, and why: the first
/// element (down to a condition value) that does not read, with serde's
/// reason. `None` when the value reads (or the failure is at the top).
pub fn locate_parse_error(value: &serde_json::Value) -> Option<Uninterpretable> {
    use serde_json::Value;
    fn fails<T: serde::de::DeserializeOwned>(value: &Value) -> Option<String> {
        serde_json::from_value::<T>(value.clone())
            .err()
            .map(|e| e.to_string())
    }
    let object = value.as_object()?;
    let (statements, single) = match object.get("Statement")? {
        Value::Array(items) => (items.iter().collect::<Vec<_>>(), false),
        other => (vec![other], true),
    };
    for (index, statement) in statements.into_iter().enumerate() {
        let mut base = String::from("/Statement");
        if !single {
            base.push_str(&format!("/{index}"));
        }
        let Some(reason) = fails::<crate::policy::Statement>(statement) else {
            continue;
        };
        let Some(members) = statement.as_object() else {
            return Some(Uninterpretable {
                pointer: base,
                reason,
            });
        };
        for (key, member) in members {
            let mut at = base.clone();
            push_token(&mut at, key);
            let failure = match key.as_str() {
                // Untagged enums fail with no detail: say what is expected.
                "Action" | "NotAction" | "Resource" | "NotResource" => fails::<OneOrMany<String>>(member)
                    .map(|_| "invalid type: expected a string or an array of strings".to_owned()),
                "Principal" | "NotPrincipal" => fails::<crate::policy::Principal>(member),
                "Effect" => fails::<crate::policy::Effect>(member),
                "Sid" => fails::<String>(member),
                "Condition" => match member.as_object() {
                    None => Some("invalid type: expected a JSON object of condition operators".to_owned()),
                    Some(operators) => {
                        let inner = operators.iter().find_map(|(operator, keys)| {
                            let mut at_operator = at.clone();
                            push_token(&mut at_operator, operator);
                            let Some(keys) = keys.as_object() else {
                                return Some((at_operator, "invalid type: expected a JSON object of condition keys".to_owned()));
                            };
                            keys.iter().find_map(|(key, values)| {
                                fails::<OneOrMany<ConditionValue>>(values).map(|_| {
                                    let mut at_key = at_operator.clone();
                                    push_token(&mut at_key, key);
                                    (at_key, "invalid type: expected a string, number or boolean, or an array of them".to_owned())
                                })
                            })
                        });
                        if let Some((pointer, reason)) = inner {
                            return Some(Uninterpretable { pointer, reason });
                        }
                        None
                    }
                },
                _ => None,
            };
            if let Some(reason) = failure {
                return Some(Uninterpretable { pointer: at, reason });
            }
        }
        return Some(Uninterpretable {
            pointer: base,
            reason,
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(json: &str) -> Vec<Uninterpretable> {
        uninterpretable(&PolicyDocument::from_json(json).expect("parses"))
    }

    #[test]
    fn a_malformed_date_is_reported_where_it_is() {
        let p = problems(
            r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2020-01-01Tnonsense"}}}]}"#,
        );
        assert_eq!(p.len(), 1);
        assert_eq!(
            p[0].pointer,
            "/Statement/1/Condition/DateGreaterThan/aws:CurrentTime"
        );
        assert!(p[0].reason.contains("ISO 8601"), "{}", p[0].reason);
    }

    #[test]
    fn an_unknown_operator_gets_a_suggestion() {
        let p = problems(
            r#"{"Statement":{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringEqual":{"aws:PrincipalTag/team":"db"}}}}"#,
        );
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].pointer, "/Statement/Condition/StringEqual");
        assert!(
            p[0].reason.contains("did you mean `StringEquals`"),
            "{}",
            p[0].reason
        );
        let p = problems(
            r#"{"Statement":{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"NullIfExists":{"aws:SourceIp":"true"}}}}"#,
        );
        assert!(p[0].reason.contains("`IfExists` does not apply to `Null`"));
    }

    #[test]
    fn json_values_of_the_wrong_type_are_reported_with_their_index() {
        let p = problems(
            r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":[true,1]},"IpAddress":{"aws:SourceIp":false},"StringEquals":{"a:b/c~d":[1,true]}}}]}"#,
        );
        let pointers: Vec<&str> = p.iter().map(|u| u.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/Statement/0/Condition/Bool/aws:SecureTransport/1",
                "/Statement/0/Condition/IpAddress/aws:SourceIp"
            ]
        );
        assert!(p[0].reason.contains("JSON number `1`"), "{}", p[0].reason);
        assert!(p[1].reason.contains("JSON boolean `false`"), "{}", p[1].reason);
    }

    #[test]
    fn statements_iam_refuses_are_reported() {
        let p = problems(
            r#"{"Statement":[{"Effect":"Deny","Action":"ec2:*","NotAction":"s3:*","Resource":"*"},{"Effect":"Deny","Resource":"*"}]}"#,
        );
        let pointers: Vec<&str> = p.iter().map(|u| u.pointer.as_str()).collect();
        assert_eq!(pointers, ["/Statement/0/NotAction", "/Statement/1"]);
        assert!(p[0].reason.contains("not both"));
    }

    #[test]
    fn parse_errors_are_located_down_to_the_element() {
        let locate = |json: &str| {
            let value: serde_json::Value = serde_json::from_str(json).expect("JSON");
            locate_parse_error(&value).map(|u| u.pointer)
        };
        assert_eq!(
            locate(r#"{"Statement":[{"Effect":"Allow","Action":5,"Resource":"*"}]}"#).as_deref(),
            Some("/Statement/0/Action")
        );
        assert_eq!(
            locate(r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"a:b/c":{"x":1}}}}}"#)
                .as_deref(),
            Some("/Statement/Condition/StringEquals/a:b~1c")
        );
        assert_eq!(
            locate(r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Maybe","Action":"*","Resource":"*"}]}"#)
                .as_deref(),
            Some("/Statement/1/Effect")
        );
    }
}
