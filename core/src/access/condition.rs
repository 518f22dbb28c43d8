//! Conditions of a statement against a request: the glue between the
//! request's context and the policy language's operators
//! ([`crate::policy::condition`]), with the words a report needs.

use std::borrow::Cow;

use crate::policy::condition::{Operator, RequestValues, Truth};
use crate::policy::ConditionValue;

use super::request::Request;

/// Whether one condition holds, and if not, why, in plain words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionOutcome {
    /// True, false, or unknown (AWS documents no outcome).
    pub truth: Truth,
    /// The operator as written (`StringEquals`).
    pub operator: String,
    /// The condition key as written.
    pub key: String,
    /// Why it does not hold (empty when it holds).
    pub reason: String,
}

pub(super) fn value_text(value: &ConditionValue) -> Cow<'_, str> {
    match value {
        ConditionValue::String(s) => Cow::Borrowed(s),
        ConditionValue::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
        ConditionValue::Number(n) => Cow::Owned(n.to_string()),
    }
}

/// Evaluates `operator: {key: values}` against the request. `variables`:
/// the policy has `"Version": "2012-10-17"`.
pub(super) fn evaluate(
    operator_name: &str,
    key: &str,
    values: &[ConditionValue],
    request: &Request,
    variables: bool,
) -> ConditionOutcome {
    let outcome = |truth, reason: String| ConditionOutcome {
        truth,
        operator: operator_name.to_owned(),
        key: key.to_owned(),
        reason,
    };
    let Ok(op) = Operator::parse(operator_name) else {
        // `check` refuses such policies before evaluating (see
        // `validate`); unknown is the safe answer if one gets here.
        return outcome(
            Truth::Unknown,
            format!("`{operator_name}` is not a condition operator"),
        );
    };
    let texts: Vec<Cow<'_, str>> = values.iter().map(value_text).collect();
    let texts: Vec<&str> = texts.iter().map(|t| t.as_ref()).collect();
    let request_values = request.context_values(key).map(|values| RequestValues {
        values,
        multivalued: request.is_multivalued(key),
    });
    let lookup = |k: &str| request.context_values(k);
    let truth = op.evaluate(&texts, request_values, variables, &lookup);
    if truth == Truth::True {
        return outcome(truth, String::new());
    }
    let reason = match (truth, request_values.filter(|r| !r.values.is_empty())) {
        (Truth::Unknown, Some(r)) if r.multivalued && op.qualifier.is_none() => format!(
            "`{key}` has multiple values and `{operator_name}` has no `ForAllValues:`/`ForAnyValue:`; AWS documents no outcome for that"
        ),
        (Truth::Unknown, _) => format!(
            "AWS documents no outcome for `{operator_name}` on `{key}` with these values (a policy variable of a multivalued key, or outside the resource part of an ARN)"
        ),
        (_, None) if op.family == crate::policy::condition::Family::Null => {
            format!("`Null` requires `{key}` to be present, but this request does not carry it")
        }
        (_, None) => format!("this request does not carry `{key}`{}", missing_hint(key)),
        (_, Some(_)) if op.family == crate::policy::condition::Family::Null => {
            format!("`Null` requires `{key}` to be absent, but this request carries it")
        }
        (_, Some(r)) => format!(
            "the request's `{key}` is `{}`, which {} `{}`",
            r.values.join("`, `"),
            if op.negated { "matches" } else { "does not match" },
            texts.join("`, `")
        ),
    };
    outcome(truth, reason)
}

fn missing_hint(key: &str) -> &'static str {
    const SERVICE_ONLY: [&str; 4] = [
        "aws:SourceAccount",
        "aws:SourceArn",
        "aws:SourceOrgID",
        "aws:SourceOrgPaths",
    ];
    if SERVICE_ONLY.iter().any(|k| k.eq_ignore_ascii_case(key)) {
        " (the key is only present when an AWS service calls on its own behalf, never in calls made with the role's own credentials)"
    } else {
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::request::RequestPrincipal;
    use crate::policy::condition::Truth;

    fn request(context: &[(&str, &[&str])]) -> Request {
        let principal = RequestPrincipal::Role {
            arn: None,
            account: "111122223333".into(),
        };
        let mut r = Request::new(principal, "s3:GetObject", "*", "test");
        for (k, v) in context {
            r = match v {
                [one] => r.with(k, *one),
                _ => r.with_values(k, v.iter().map(|s| (*s).to_owned()).collect()),
            };
        }
        r
    }

    fn holds(operator: &str, key: &str, values: &[&str], context: &[(&str, &[&str])]) -> bool {
        let values: Vec<ConditionValue> = values.iter().map(|v| ConditionValue::from(*v)).collect();
        evaluate(operator, key, &values, &request(context), true).truth == Truth::True
    }

    #[test]
    fn missing_key_makes_positive_operator_false() {
        assert!(!holds("StringEquals", "aws:SourceAccount", &["1"], &[]));
        assert!(!holds("ArnLike", "aws:SourceArn", &["*"], &[]));
    }

    #[test]
    fn missing_key_makes_negated_operator_true() {
        assert!(holds("StringNotEquals", "aws:SourceAccount", &["1"], &[]));
        assert!(holds("ArnNotLike", "aws:SourceArn", &["arn:*"], &[]));
    }

    #[test]
    fn if_exists_with_missing_key_is_true() {
        assert!(holds("StringEqualsIfExists", "aws:SourceAccount", &["1"], &[]));
        assert!(!holds("StringEqualsIfExists", "k:a", &["1"], &[("k:a", &["2"])]));
    }

    #[test]
    fn null_tests_presence() {
        assert!(holds("Null", "k:a", &["true"], &[]));
        assert!(!holds("Null", "k:a", &["true"], &[("k:a", &["x"])]));
        assert!(holds("Null", "k:a", &["false"], &[("k:a", &["x"])]));
    }

    // "Condition with multiple context keys or values": several values of
    // one key are OR-ed, `Null` included.
    #[test]
    fn null_with_both_values_always_holds() {
        assert!(holds("Null", "k:a", &["true", "false"], &[]));
        assert!(holds("Null", "k:a", &["false", "true"], &[("k:a", &["x"])]));
    }

    // Access Analyzer's NULL_WITH_QUALIFIER: with ForAllValues the
    // condition "always returns true", with ForAnyValue "always false".
    #[test]
    fn null_under_a_set_qualifier_is_fixed_by_the_qualifier_access_analyzer_null_with_qualifier() {
        for context in [&[][..], &[("k:a", &["x"][..])][..]] {
            assert!(holds("ForAllValues:Null", "k:a", &["false"], context));
            assert!(!holds("ForAnyValue:Null", "k:a", &["true", "false"], context));
        }
    }

    #[test]
    fn values_of_a_key_are_ored_and_negation_needs_none_to_match() {
        assert!(holds("StringEquals", "k:a", &["1", "2"], &[("k:a", &["2"])]));
        assert!(!holds("StringNotEquals", "k:a", &["1", "2"], &[("k:a", &["2"])]));
        assert!(holds("StringNotEquals", "k:a", &["1", "2"], &[("k:a", &["3"])]));
    }

    #[test]
    fn for_all_values_requires_every_request_value_and_holds_when_missing() {
        assert!(holds(
            "ForAllValues:StringEquals",
            "aws:TagKeys",
            &["a", "b"],
            &[("aws:TagKeys", &["a"])]
        ));
        assert!(!holds(
            "ForAllValues:StringEquals",
            "aws:TagKeys",
            &["a"],
            &[("aws:TagKeys", &["a", "c"])]
        ));
        assert!(holds("ForAllValues:StringEquals", "aws:TagKeys", &["a"], &[]));
    }

    #[test]
    fn for_any_value_requires_one_request_value_and_fails_when_missing() {
        assert!(holds(
            "ForAnyValue:StringEquals",
            "aws:TagKeys",
            &["c"],
            &[("aws:TagKeys", &["a", "c"])]
        ));
        assert!(!holds(
            "ForAnyValue:StringEquals",
            "aws:TagKeys",
            &["d"],
            &[("aws:TagKeys", &["a", "c"])]
        ));
        assert!(!holds("ForAnyValue:StringEquals", "aws:TagKeys", &["a"], &[]));
    }

    #[test]
    fn string_like_is_case_sensitive_and_equals_ignore_case_is_not() {
        assert!(holds("StringLike", "k:a", &["ab*"], &[("k:a", &["abc"])]));
        assert!(!holds("StringLike", "k:a", &["AB*"], &[("k:a", &["abc"])]));
        assert!(holds(
            "StringEqualsIgnoreCase",
            "k:a",
            &["ABC"],
            &[("k:a", &["abc"])]
        ));
        assert!(!holds("StringEquals", "k:a", &["ABC"], &[("k:a", &["abc"])]));
    }

    #[test]
    fn condition_key_names_are_case_insensitive() {
        assert!(holds(
            "StringEquals",
            "AWS:SourceAccount",
            &["1"],
            &[("aws:sourceaccount", &["1"])]
        ));
    }

    #[test]
    fn bool_numeric_and_binary_operators() {
        assert!(holds(
            "Bool",
            "aws:SecureTransport",
            &["TRUE"],
            &[("aws:SecureTransport", &["true"])]
        ));
        assert!(holds(
            "NumericGreaterThanEquals",
            "k:n",
            &["10"],
            &[("k:n", &["10"])]
        ));
        assert!(!holds("NumericGreaterThan", "k:n", &["10"], &[("k:n", &["10"])]));
        assert!(!holds("NumericEquals", "k:n", &["ten"], &[("k:n", &["10"])]));
        assert!(holds(
            "BinaryEquals",
            "k:b",
            &["QmluYXJ5"],
            &[("k:b", &["QmluYXJ5"])]
        ));
    }

    #[test]
    fn policy_variables_resolve_in_string_operators_only() {
        let ctx: &[(&str, &[&str])] = &[
            ("aws:PrincipalAccount", &["111122223333"]),
            ("k:a", &["111122223333"]),
        ];
        assert!(holds("StringEquals", "k:a", &["${aws:PrincipalAccount}"], ctx));
        assert!(!holds("NumericEquals", "k:a", &["${aws:PrincipalAccount}"], ctx));
    }

    // "If AWS cannot resolve a variable this might cause the entire
    // statement to be invalid" (IAM User Guide, "IAM policy elements:
    // Variables and tags"): a negated operator on an unresolved variable is
    // not taken to hold.
    #[test]
    fn an_unresolved_variable_under_a_negated_operator_is_unknown() {
        let values = [ConditionValue::from("${aws:PrincipalTag/team}")];
        let r = request(&[("k:a", &["db"])]);
        assert_eq!(
            evaluate("StringNotEquals", "k:a", &values, &r, true).truth,
            Truth::Unknown
        );
        assert_eq!(
            evaluate("StringEquals", "k:a", &values, &r, true).truth,
            Truth::False
        );
        let tagged = request(&[("k:a", &["db"]), ("aws:PrincipalTag/team", &["ops"])]);
        assert_eq!(
            evaluate("StringNotEquals", "k:a", &values, &tagged, true).truth,
            Truth::True
        );
    }

    #[test]
    fn dates_compare_across_formats() {
        let at = |policy: &str, request: &str| {
            let op = if policy.starts_with("2024-13") {
                "DateLessThan"
            } else {
                "DateEquals"
            };
            holds(
                op,
                "aws:CurrentTime",
                &[policy],
                &[("aws:CurrentTime", &[request])],
            )
        };
        assert!(at("1970-01-02", "86400"));
        assert!(at("1970-01-01T01:00:00Z", "3600"));
        assert!(at("1970-01-01T01:00:00+01:00", "0"));
        assert!(!at("2024-13-01", "0"));
    }

    #[test]
    fn cidr_matching() {
        let ip = |range: &str, address: &str| {
            holds(
                "IpAddress",
                "aws:SourceIp",
                &[range],
                &[("aws:SourceIp", &[address])],
            )
        };
        assert!(ip("203.0.113.0/24", "203.0.113.7"));
        assert!(!ip("203.0.113.0/24", "203.0.114.7"));
        assert!(ip("2001:db8::/32", "2001:db8::1"));
        assert!(ip("0.0.0.0/0", "10.0.0.1"));
        assert!(!ip("2001:db8::/32", "10.0.0.1"));
    }

    #[test]
    fn arn_like_matches_part_by_part() {
        let arn = [(
            "aws:SourceArn",
            ["arn:aws:secretsmanager:us-east-1:111122223333:secret:app-AbCdEf"].as_slice(),
        )];
        let like = |pattern: &str| holds("ArnLike", "aws:SourceArn", &[pattern], &arn);
        assert!(like("arn:aws:secretsmanager:*:111122223333:secret:app-??????"));
        assert!(!like("arn:aws:secretsmanager:*:444455556666:secret:*"));
        assert!(like("*"));
        assert!(!like("arn:aws:secretsmanager"));
    }
}
