//! Condition operators, as the IAM User Guide's "IAM JSON policy elements:
//! Condition operators" and "Condition keys with multiple values" define them.
//!
//! Within one condition block every operator must be true and, within an
//! operator, every key; the values listed for a key are OR-ed (for a negated
//! operator: the request value must match none of them). A key missing from
//! the request makes a positive operator false, a negated operator true, and
//! any `...IfExists` operator true. `Null` tests presence. `ForAllValues:`
//! is true when every request value matches (so also when the key is
//! missing), `ForAnyValue:` when at least one does.

use std::borrow::Cow;
use std::net::IpAddr;

use crate::policy::ConditionValue;

use super::request::Request;
use super::variables::substitute;

/// Why a condition did not match, in plain words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionFailure {
    /// The operator as written (`StringEquals`).
    pub operator: String,
    /// The condition key as written.
    pub key: String,
    /// The explanation.
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    String { ignore_case: bool, like: bool },
    Numeric(Cmp),
    Date(Cmp),
    Bool,
    Binary,
    Ip,
    Arn,
    Null,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cmp {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Qualifier {
    None,
    ForAllValues,
    ForAnyValue,
}

/// A parsed operator: family, negation, `IfExists`, set qualifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Operator {
    family: Family,
    negated: bool,
    if_exists: bool,
    qualifier: Qualifier,
}

/// Parses an operator name such as `ForAnyValue:StringNotLikeIfExists`.
/// Operator names are case-sensitive in IAM; `None` for unknown operators.
fn parse_operator(name: &str) -> Option<Operator> {
    let (qualifier, rest) = if let Some(rest) = name.strip_prefix("ForAllValues:") {
        (Qualifier::ForAllValues, rest)
    } else if let Some(rest) = name.strip_prefix("ForAnyValue:") {
        (Qualifier::ForAnyValue, rest)
    } else {
        (Qualifier::None, name)
    };
    let (base, if_exists) = match rest.strip_suffix("IfExists") {
        Some(base) => (base, true),
        None => (rest, false),
    };
    let cmp = |s: &str| match s {
        "Equals" => Some((Cmp::Eq, false)),
        "NotEquals" => Some((Cmp::Eq, true)),
        "LessThan" => Some((Cmp::Lt, false)),
        "LessThanEquals" => Some((Cmp::Le, false)),
        "GreaterThan" => Some((Cmp::Gt, false)),
        "GreaterThanEquals" => Some((Cmp::Ge, false)),
        _ => None,
    };
    let (family, negated) = if let Some(s) = base.strip_prefix("String") {
        match s {
            "Equals" => (
                Family::String {
                    ignore_case: false,
                    like: false,
                },
                false,
            ),
            "NotEquals" => (
                Family::String {
                    ignore_case: false,
                    like: false,
                },
                true,
            ),
            "EqualsIgnoreCase" => (
                Family::String {
                    ignore_case: true,
                    like: false,
                },
                false,
            ),
            "NotEqualsIgnoreCase" => (
                Family::String {
                    ignore_case: true,
                    like: false,
                },
                true,
            ),
            "Like" => (
                Family::String {
                    ignore_case: false,
                    like: true,
                },
                false,
            ),
            "NotLike" => (
                Family::String {
                    ignore_case: false,
                    like: true,
                },
                true,
            ),
            _ => return None,
        }
    } else if let Some(s) = base.strip_prefix("Numeric") {
        let (c, n) = cmp(s)?;
        (Family::Numeric(c), n)
    } else if let Some(s) = base.strip_prefix("Date") {
        let (c, n) = cmp(s)?;
        (Family::Date(c), n)
    } else {
        match base {
            "Bool" => (Family::Bool, false),
            "BinaryEquals" => (Family::Binary, false),
            "IpAddress" => (Family::Ip, false),
            "NotIpAddress" => (Family::Ip, true),
            "ArnEquals" | "ArnLike" => (Family::Arn, false),
            "ArnNotEquals" | "ArnNotLike" => (Family::Arn, true),
            "Null" if !if_exists => (Family::Null, false),
            _ => return None,
        }
    };
    Some(Operator {
        family,
        negated,
        if_exists,
        qualifier,
    })
}

fn value_text(value: &ConditionValue) -> Cow<'_, str> {
    match value {
        ConditionValue::String(s) => Cow::Borrowed(s),
        ConditionValue::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
        ConditionValue::Number(n) => Cow::Owned(n.to_string()),
    }
}

/// Evaluates one operator/key/values triple against the request.
pub(super) fn evaluate(
    operator_name: &str,
    key: &str,
    values: &[ConditionValue],
    request: &Request,
) -> Result<(), ConditionFailure> {
    let fail = |reason: String| ConditionFailure {
        operator: operator_name.to_owned(),
        key: key.to_owned(),
        reason,
    };
    let Some(op) = parse_operator(operator_name) else {
        return Err(fail(format!(
            "`{operator_name}` is not a condition operator, so the condition never matches"
        )));
    };
    let request_values = request.context_values(key);
    if op.family == Family::Null {
        // `Null: true` requires the key to be absent, `false` present.
        let want_absent = values.iter().any(|v| value_text(v).eq_ignore_ascii_case("true"));
        let absent = request_values.is_none();
        return if want_absent == absent {
            Ok(())
        } else if absent {
            Err(fail(format!(
                "`Null` = false requires `{key}`, which this request does not carry"
            )))
        } else {
            Err(fail(format!(
                "`Null` = true requires `{key}` to be absent, but this request carries it"
            )))
        };
    }
    let Some(request_values) = request_values else {
        return match op.qualifier {
            Qualifier::ForAllValues => Ok(()),
            _ if op.if_exists || op.negated => Ok(()),
            _ => Err(fail(format!(
                "this request does not carry `{key}`{}",
                missing_hint(key)
            ))),
        };
    };
    // Policy variables are substituted in String and Arn operators only.
    let substitutes = matches!(op.family, Family::String { .. } | Family::Arn);
    let policy_values: Vec<Option<Cow<'_, str>>> = values
        .iter()
        .map(|v| {
            let text = value_text(v);
            if substitutes && text.contains("${") {
                substitute(&text, request).map(|v| Cow::Owned(v.into_owned()))
            } else {
                Some(text)
            }
        })
        .collect();
    let matches_one = |actual: &str| {
        policy_values
            .iter()
            .flatten()
            .any(|expected| op.family.matches(expected, actual))
    };
    let result = match op.qualifier {
        Qualifier::ForAllValues => request_values.iter().all(|v| matches_one(v) != op.negated),
        Qualifier::ForAnyValue => request_values.iter().any(|v| matches_one(v) != op.negated),
        // A single-valued operator on a multivalued key: any value may satisfy it.
        Qualifier::None => {
            if op.negated {
                !request_values.iter().any(|v| matches_one(v))
            } else {
                request_values.iter().any(|v| matches_one(v))
            }
        }
    };
    if result {
        Ok(())
    } else {
        let shown = request_values.join("`, `");
        let listed: Vec<&str> = policy_values
            .iter()
            .map(|v| v.as_deref().unwrap_or("(unresolved variable)"))
            .collect();
        Err(fail(format!(
            "the request's `{key}` is `{shown}`, which {} `{}`",
            if op.negated { "matches" } else { "does not match" },
            listed.join("`, `")
        )))
    }
}

fn missing_hint(key: &str) -> &'static str {
    if key.eq_ignore_ascii_case("aws:SourceAccount")
        || key.eq_ignore_ascii_case("aws:SourceArn")
        || key.eq_ignore_ascii_case("aws:SourceOrgID")
        || key.eq_ignore_ascii_case("aws:SourceOrgPaths")
    {
        " (the key is only present when an AWS service calls on its own behalf, never in calls made with the role's own credentials)"
    } else {
        ""
    }
}

impl Family {
    fn matches(self, expected: &str, actual: &str) -> bool {
        match self {
            Family::String {
                ignore_case: true, ..
            } => expected.eq_ignore_ascii_case(actual),
            Family::String { like: true, .. } => like_match(expected, actual),
            Family::String { .. } => expected == actual,
            Family::Numeric(cmp) => match (expected.trim().parse::<f64>(), actual.trim().parse::<f64>()) {
                (Ok(e), Ok(a)) => compare(cmp, a.partial_cmp(&e)),
                _ => false,
            },
            Family::Date(cmp) => match (parse_date(expected), parse_date(actual)) {
                (Some(e), Some(a)) => compare(cmp, a.partial_cmp(&e)),
                _ => false,
            },
            Family::Bool => expected.eq_ignore_ascii_case(actual),
            Family::Binary => expected == actual,
            Family::Ip => ip_in_cidr(actual, expected),
            Family::Arn => arn_like(expected, actual),
            Family::Null => false,
        }
    }
}

fn compare(cmp: Cmp, ordering: Option<std::cmp::Ordering>) -> bool {
    use std::cmp::Ordering::{Equal, Greater, Less};
    matches!(
        (cmp, ordering),
        (Cmp::Eq, Some(Equal))
            | (Cmp::Lt, Some(Less))
            | (Cmp::Le, Some(Less | Equal))
            | (Cmp::Gt, Some(Greater))
            | (Cmp::Ge, Some(Greater | Equal))
    )
}

/// `StringLike`: case-sensitive, `*` any run, `?` one character.
pub(super) fn like_match(pattern: &str, text: &str) -> bool {
    crate::catalog::wildcard_match_case(pattern, text, false)
}

/// `ArnLike`/`ArnEquals`: each of the six colon-separated parts is matched
/// separately, with `*` and `?` wildcards (IAM User Guide, "Amazon Resource
/// Name (ARN) condition operators").
pub(super) fn arn_like(pattern: &str, arn: &str) -> bool {
    let split = |s: &str| -> Option<[String; 6]> {
        let mut parts = s.splitn(6, ':');
        let mut out: [String; 6] = Default::default();
        for slot in &mut out {
            *slot = parts.next()?.to_owned();
        }
        Some(out)
    };
    // Identical text matches (this also covers an unresolved `${SecretArn}`
    // placeholder compared with itself).
    if pattern == "*" || pattern == arn {
        return true;
    }
    match (split(pattern), split(arn)) {
        (Some(p), Some(a)) => p.iter().zip(a.iter()).all(|(p, a)| like_match(p, a)),
        _ => false,
    }
}

fn ip_in_cidr(ip: &str, cidr: &str) -> bool {
    let (net, bits) = match cidr.split_once('/') {
        Some((net, bits)) => (net, bits.parse::<u32>().ok()),
        None => (cidr, None),
    };
    let (Ok(net), Ok(ip)) = (
        net.parse::<IpAddr>(),
        ip.split('/').next().unwrap_or("").parse::<IpAddr>(),
    ) else {
        return false;
    };
    match (net, ip) {
        (IpAddr::V4(n), IpAddr::V4(i)) => {
            let bits = bits.unwrap_or(32).min(32);
            let mask = if bits == 0 { 0 } else { u32::MAX << (32 - bits) };
            u32::from(n) & mask == u32::from(i) & mask
        }
        (IpAddr::V6(n), IpAddr::V6(i)) => {
            let bits = bits.unwrap_or(128).min(128);
            let mask = if bits == 0 { 0 } else { u128::MAX << (128 - bits) };
            u128::from(n) & mask == u128::from(i) & mask
        }
        _ => false,
    }
}

/// Parses an ISO 8601 date or date-time (`2024-01-31`, `2024-01-31T12:00:00Z`,
/// with optional fraction and `+hh:mm` offset) or epoch seconds, into epoch
/// seconds.
pub(super) fn parse_date(text: &str) -> Option<f64> {
    let text = text.trim();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().ok();
    }
    let (date, time) = match text.split_once(['T', 't']) {
        Some((d, t)) => (d, Some(t)),
        None => (text, None),
    };
    let mut parts = date.split('-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    if parts.next().is_some() || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let mut seconds = days_from_civil(year, month, day) as f64 * 86_400.0;
    if let Some(time) = time {
        let (clock, offset) = if let Some(clock) = time.strip_suffix(['Z', 'z']) {
            (clock, 0.0)
        } else if let Some(i) = time.rfind(['+', '-']) {
            let (clock, off) = time.split_at(i);
            let sign = if off.starts_with('-') { -1.0 } else { 1.0 };
            let (h, m) = off[1..].split_once(':').unwrap_or((&off[1..], "0"));
            (
                clock,
                sign * (h.parse::<f64>().ok()? * 3600.0 + m.parse::<f64>().ok()? * 60.0),
            )
        } else {
            (time, 0.0)
        };
        let mut fields = clock.split(':');
        let h: f64 = fields.next()?.parse().ok()?;
        let m: f64 = fields.next().unwrap_or("0").parse().ok()?;
        let s: f64 = fields.next().unwrap_or("0").parse().ok()?;
        seconds += h * 3600.0 + m * 60.0 + s - offset;
    }
    Some(seconds)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Whether `name` is a known condition operator (for the linter and reports).
pub fn is_operator(name: &str) -> bool {
    parse_operator(name).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::request::RequestPrincipal;

    fn request(context: &[(&str, &[&str])]) -> Request {
        let principal = RequestPrincipal::Role {
            arn: None,
            account: "111122223333".into(),
        };
        let mut r = Request::new(principal, "s3:GetObject", "*", "test");
        for (k, v) in context {
            r = r.with_values(k, v.iter().map(|s| (*s).to_owned()).collect());
        }
        r
    }

    fn holds(operator: &str, key: &str, values: &[&str], context: &[(&str, &[&str])]) -> bool {
        let values: Vec<ConditionValue> = values.iter().map(|v| ConditionValue::from(*v)).collect();
        evaluate(operator, key, &values, &request(context)).is_ok()
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

    #[test]
    fn operator_names_parse() {
        assert!(is_operator("StringEquals"));
        assert!(is_operator("ForAnyValue:StringNotLikeIfExists"));
        assert!(is_operator("DateGreaterThanEquals"));
        assert!(is_operator("ArnNotLike"));
        assert!(!is_operator("NullIfExists"));
        assert!(!is_operator("stringequals"));
        assert!(!is_operator("StringContains"));
    }

    #[test]
    fn dates_compare_across_formats() {
        assert_eq!(parse_date("1970-01-02"), Some(86_400.0));
        assert_eq!(parse_date("1970-01-01T01:00:00Z"), Some(3600.0));
        assert_eq!(parse_date("1970-01-01T01:00:00+01:00"), Some(0.0));
        assert_eq!(parse_date("86400"), Some(86_400.0));
        assert_eq!(parse_date("2024-13-01"), None);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    }

    #[test]
    fn cidr_matching() {
        assert!(ip_in_cidr("203.0.113.7", "203.0.113.0/24"));
        assert!(!ip_in_cidr("203.0.114.7", "203.0.113.0/24"));
        assert!(ip_in_cidr("2001:db8::1", "2001:db8::/32"));
        assert!(ip_in_cidr("10.0.0.1", "0.0.0.0/0"));
        assert!(!ip_in_cidr("10.0.0.1", "2001:db8::/32"));
    }

    #[test]
    fn arn_like_matches_part_by_part() {
        let arn = "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-AbCdEf";
        assert!(arn_like(
            "arn:aws:secretsmanager:*:111122223333:secret:app-??????",
            arn
        ));
        assert!(!arn_like("arn:aws:secretsmanager:*:444455556666:secret:*", arn));
        assert!(arn_like("*", arn));
        assert!(!arn_like("arn:aws:secretsmanager", arn));
    }
}
