//! `Condition`: operators, keys, values and their types.

use super::reader::{JsonValue, NodeId};
use super::stmt::{list_names, Stmt};
use super::{variable, Check, Ctx, Kind, Target};
use crate::catalog::{ConditionKey, KeyType};
use crate::suggest::closest;

/// The operator families (IAM User Guide, "IAM JSON policy elements:
/// Condition operators").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    String,
    Numeric,
    Date,
    Bool,
    Binary,
    Ip,
    Arn,
    Null,
}

impl Family {
    fn name(self) -> &'static str {
        match self {
            Family::String => "String",
            Family::Numeric => "Numeric",
            Family::Date => "Date",
            Family::Bool => "Bool",
            Family::Binary => "BinaryEquals",
            Family::Ip => "IpAddress",
            Family::Arn => "Arn",
            Family::Null => "Null",
        }
    }
}

/// (name, family, negated, takes wildcards)
const OPERATORS: [(&str, Family, bool, bool); 26] = [
    ("StringEquals", Family::String, false, false),
    ("StringNotEquals", Family::String, true, false),
    ("StringEqualsIgnoreCase", Family::String, false, false),
    ("StringNotEqualsIgnoreCase", Family::String, true, false),
    ("StringLike", Family::String, false, true),
    ("StringNotLike", Family::String, true, true),
    ("NumericEquals", Family::Numeric, false, false),
    ("NumericNotEquals", Family::Numeric, true, false),
    ("NumericLessThan", Family::Numeric, false, false),
    ("NumericLessThanEquals", Family::Numeric, false, false),
    ("NumericGreaterThan", Family::Numeric, false, false),
    ("NumericGreaterThanEquals", Family::Numeric, false, false),
    ("DateEquals", Family::Date, false, false),
    ("DateNotEquals", Family::Date, true, false),
    ("DateLessThan", Family::Date, false, false),
    ("DateLessThanEquals", Family::Date, false, false),
    ("DateGreaterThan", Family::Date, false, false),
    ("DateGreaterThanEquals", Family::Date, false, false),
    ("Bool", Family::Bool, false, false),
    ("BinaryEquals", Family::Binary, false, false),
    ("IpAddress", Family::Ip, false, false),
    ("NotIpAddress", Family::Ip, true, false),
    ("ArnEquals", Family::Arn, false, true),
    ("ArnLike", Family::Arn, false, true),
    ("ArnNotEquals", Family::Arn, true, true),
    ("ArnNotLike", Family::Arn, true, true),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Qualifier {
    ForAllValues,
    ForAnyValue,
}

#[derive(Debug, Clone, Copy)]
struct Operator {
    family: Family,
    negated: bool,
    like: bool,
    if_exists: bool,
    qualifier: Option<Qualifier>,
}

/// Parses `[ForAllValues:|ForAnyValue:]BASE[IfExists]`; `Err` carries the
/// base name for the suggestion.
fn parse_operator(name: &str) -> Result<Operator, &str> {
    let (qualifier, rest) = if let Some(rest) = name.strip_prefix("ForAllValues:") {
        (Some(Qualifier::ForAllValues), rest)
    } else if let Some(rest) = name.strip_prefix("ForAnyValue:") {
        (Some(Qualifier::ForAnyValue), rest)
    } else {
        (None, name)
    };
    let (if_exists, base) = match rest.strip_suffix("IfExists") {
        Some(base) => (true, base),
        None => (false, rest),
    };
    if base == "Null" {
        return Ok(Operator {
            family: Family::Null,
            negated: false,
            like: false,
            if_exists,
            qualifier,
        });
    }
    OPERATORS
        .iter()
        .find(|(n, ..)| *n == base)
        .map(|&(_, family, negated, like)| Operator {
            family,
            negated,
            like,
            if_exists,
            qualifier,
        })
        .ok_or(base)
}

// `Condition` is `{operator: {key: value or [values]}}` (IAM User Guide,
// "IAM JSON policy elements: Condition"). Every check on operators, keys and
// values starts here.
pub(super) fn check(ctx: &mut Ctx<'_, '_>, stmt: &Stmt<'_>) {
    let Some(cond) = stmt.condition else {
        return;
    };
    let doc = ctx.doc;
    match &doc.node(cond).value {
        JsonValue::Object(r) if r.is_empty() => {
            ctx.emit(
                Check::EMPTY_OBJECT_CONDITION,
                Target::Value(cond),
                "`Condition` is empty: remove it".to_owned(),
            );
            return;
        }
        JsonValue::Object(_) => {}
        _ => {
            ctx.emit(
                Check::DATA_TYPE_MISMATCH,
                Target::Value(cond),
                format!(
                    "`Condition` must be an object, found {}",
                    doc.node(cond).type_name()
                ),
            );
            return;
        }
    }
    for block in doc.children(cond) {
        let name = doc.node(block).key.as_deref().unwrap_or_default();
        let op = match parse_operator(name) {
            Ok(op) => op,
            Err(base) => {
                let names = OPERATORS.iter().map(|(n, ..)| *n).chain(["Null"]);
                let hint = closest(base, names)
                    .map(|s| format!("; did you mean `{}`?", name.replacen(base, s, 1)))
                    .unwrap_or_default();
                ctx.emit(
                    Check::INVALID_CONDITION_OPERATOR,
                    Target::Key(block),
                    format!("`{name}` is not a condition operator{hint}"),
                );
                continue;
            }
        };
        operator_rules(ctx, block, name, op);
        match &doc.node(block).value {
            JsonValue::Object(r) if r.is_empty() => {
                ctx.emit(
                    Check::EMPTY_OBJECT_CONDITION,
                    Target::Value(block),
                    format!("`{name}` has no condition keys: remove it"),
                );
                continue;
            }
            JsonValue::Object(_) => {}
            _ => {
                ctx.emit(
                    Check::DATA_TYPE_MISMATCH,
                    Target::Value(block),
                    format!(
                        "`{name}` must map condition keys to values, found {}",
                        doc.node(block).type_name()
                    ),
                );
                continue;
            }
        }
        let keys: Vec<NodeId> = doc.children(block).collect();
        for (i, &k) in keys.iter().enumerate() {
            let key = doc.node(k).key.as_deref().unwrap_or_default();
            if let Some(&earlier) = keys.get(..i).unwrap_or_default().iter().find(|&&e| {
                let other = doc.node(e).key.as_deref().unwrap_or_default();
                other != key && other.eq_ignore_ascii_case(key)
            }) {
                let other = doc.node(earlier).key.as_deref().unwrap_or_default();
                ctx.emit(
                    Check::DUPLICATE_KEYS_WITH_DIFFERENT_CASE,
                    Target::Key(k),
                    format!(
                        "`{key}` repeats `{other}` in `{name}` with different case; condition keys are \
                         case-insensitive, keep one"
                    ),
                );
            }
            check_key(ctx, stmt, k, key, name, op);
        }
    }
}

// `Null` takes no `IfExists` (the operator already tests presence), and with
// `ForAllValues`/`ForAnyValue` it always yields true/false (IAM User Guide,
// "Condition operator to check existence of condition keys"; Access Analyzer
// NULL_WITH_IF_EXISTS, NULL_WITH_QUALIFIER).
fn operator_rules(ctx: &mut Ctx<'_, '_>, block: NodeId, name: &str, op: Operator) {
    if op.family != Family::Null {
        return;
    }
    if op.if_exists {
        ctx.emit(
            Check::NULL_WITH_IF_EXISTS,
            Target::Key(block),
            format!("`{name}`: the `Null` operator cannot take `IfExists`; use `Null`"),
        );
    }
    if op.qualifier.is_some() {
        ctx.emit(
            Check::NULL_WITH_QUALIFIER,
            Target::Key(block),
            format!("`{name}`: `Null` with a set qualifier always yields the same result; use `Null`"),
        );
    }
}

/// Resolves a condition key: global `aws:` keys from the hand-kept list,
/// others from the service's keys. Reports unknown keys.
fn resolve_key(ctx: &mut Ctx<'_, '_>, k: NodeId, key: &str) -> Option<(ConditionKey, Positions)> {
    let Some((prefix, rest)) = key
        .split_once(':')
        .filter(|(p, r)| !p.is_empty() && !r.is_empty())
    else {
        ctx.emit(
            Check::INVALID_CONDITION_KEY_FORMAT,
            Target::Key(k),
            format!("condition key `{key}` is not of the form `service:name`, e.g. `aws:SourceArn`"),
        );
        return None;
    };
    let _ = rest;
    let catalog = ctx.catalog;
    if prefix.eq_ignore_ascii_case("aws") {
        match catalog.global_key(key) {
            Some(found) => {
                if found.deprecated {
                    ctx.emit(
                        Check::DEPRECATED_GLOBAL_CONDITION_KEY,
                        Target::Key(k),
                        format!("`{key}` is deprecated; use `aws:PrincipalArn`"),
                    );
                }
                Some((*found, Positions::default()))
            }
            None => {
                let hint = closest(key, catalog.global_keys().iter().map(|g| g.name))
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
                ctx.emit(
                    Check::INVALID_GLOBAL_CONDITION_KEY,
                    Target::Key(k),
                    format!("global condition key `{key}` does not exist{hint}"),
                );
                None
            }
        }
    } else {
        let Some(service) = catalog.service(prefix) else {
            ctx.emit(
                Check::INVALID_SERVICE,
                Target::Key(k),
                format!("service `{prefix}` of condition key `{key}` does not exist"),
            );
            return None;
        };
        let mut positions = Positions {
            service: Some(service),
            ..Positions::default()
        };
        for p in service.condition_key_positions(key) {
            if let Some(slot) = positions.at.get_mut(positions.len) {
                *slot = p;
                positions.len += 1;
            }
        }
        let first = positions.at.get(..positions.len).unwrap_or_default().first();
        match first.and_then(|&p| service.condition_keys.get(p)) {
            Some(found) => Some((*found, positions)),
            None => {
                let hint = closest(key, service.condition_keys.iter().map(|c| c.name))
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
                ctx.emit(
                    Check::INVALID_SERVICE_CONDITION_KEY,
                    Target::Key(k),
                    format!(
                        "condition key `{key}` does not exist in service `{}`{hint}",
                        service.prefix
                    ),
                );
                None
            }
        }
    }
}

/// Where a service key sits in its service's key list (a key name can match
/// more than one pattern; four is plenty).
#[derive(Default)]
struct Positions {
    service: Option<&'static crate::catalog::Service>,
    at: [usize; 4],
    len: usize,
}

fn check_key(ctx: &mut Ctx<'_, '_>, stmt: &Stmt<'_>, k: NodeId, key: &str, op_name: &str, op: Operator) {
    let known = resolve_key(ctx, k, key);
    let values = check_values(ctx, k, key, op_name, op);
    let Some((known, positions)) = known else {
        return;
    };
    key_type_rules(ctx, k, key, op_name, op, &known);
    if values > 0 {
        service_request_key(ctx, stmt, k, key, op_name, op, &known);
        unsupported_actions(ctx, stmt, k, key, &positions);
    }
}

// Operator families fit key types: String keys take String operators, ARN
// keys Arn (or String) operators, and so on (IAM User Guide, "Condition
// operators"; Service Authorization Reference key types). Multivalued keys
// need `ForAllValues`/`ForAnyValue`; `ForAllValues` on a single-valued key is
// true when the key is absent (IAM User Guide, "Single-valued vs.
// multivalued context keys").
fn key_type_rules(
    ctx: &mut Ctx<'_, '_>,
    k: NodeId,
    key: &str,
    op_name: &str,
    op: Operator,
    known: &ConditionKey,
) {
    if op.family != Family::Null {
        let allowed: &[Family] = match known.key_type {
            KeyType::String => &[Family::String],
            KeyType::Arn => &[Family::Arn, Family::String],
            KeyType::Bool => &[Family::Bool],
            // Date keys hold epoch seconds too (`aws:EpochTime` is documented
            // for Date and Numeric operators).
            KeyType::Date => &[Family::Date, Family::Numeric],
            KeyType::Numeric => &[Family::Numeric],
            KeyType::IpAddress => &[Family::Ip],
            KeyType::Binary => &[Family::Binary],
        };
        if let Some(first) = allowed.first().filter(|_| !allowed.contains(&op.family)) {
            ctx.emit(
                Check::TYPE_MISMATCH,
                Target::Key(k),
                format!(
                    "`{key}` is a {:?} key: use a `{}` operator instead of `{op_name}`",
                    known.key_type,
                    first.name()
                ),
            );
        }
        if known.multivalued && op.qualifier.is_none() {
            ctx.emit(
                Check::MISSING_QUALIFIER,
                Target::Key(k),
                format!(
                    "`{key}` can have several values: prefix the operator with `ForAllValues:` or \
                     `ForAnyValue:`"
                ),
            );
        }
    }
    if !known.multivalued && op.qualifier == Some(Qualifier::ForAllValues) {
        ctx.emit(
            Check::FORALLVALUES_WITH_SINGLE_VALUED_KEY,
            Target::Key(k),
            format!(
                "`ForAllValues` with the single-valued key `{key}` is true when the key is absent; \
                 remove `ForAllValues:`"
            ),
        );
    }
}

// (rotation-policy) `aws:SourceAccount`, `aws:SourceArn`, `aws:SourceOrgID`
// and `aws:SourceOrgPaths` are only in the request context when an AWS service
// calls another service on its own behalf (IAM User Guide, "AWS global
// condition context keys": "This key is included in the request context only
// if accessing a resource triggers an AWS service to call another service on
// behalf of the resource owner"). Calls made with a role's own credentials
// never carry them, so a positive operator on them in an identity policy's
// Allow statement never matches: the statement grants nothing. This is what
// the AWS rotation permissions page of 2021-12 did (removed 2022-06-01).
fn service_request_key(
    ctx: &mut Ctx<'_, '_>,
    stmt: &Stmt<'_>,
    k: NodeId,
    key: &str,
    op_name: &str,
    op: Operator,
    known: &ConditionKey,
) {
    let positive = !op.negated
        && !op.if_exists
        && op.family != Family::Null
        && op.qualifier != Some(Qualifier::ForAllValues);
    if ctx.kind == Kind::Identity && stmt.allow && known.service_request_only && positive {
        ctx.emit(
            Check::SERVICE_REQUEST_KEY_IN_IDENTITY_POLICY,
            Target::Key(k),
            format!(
                "`{key}` is only present when an AWS service calls on its own behalf, never in calls made \
                 with this identity's credentials, so `{op_name}` on it never matches and the statement \
                 grants nothing; remove the condition (bind the service in the resource policy instead)"
            ),
        );
    }
}

// A service condition key applies only to the actions the Service
// Authorization Reference lists it for; for other actions the condition is
// not evaluated as intended (Access Analyzer UNSUPPORTED_ACTION_FOR_CONDITION_KEY).
// Global `aws:` keys are left out: they apply to every request.
fn unsupported_actions(ctx: &mut Ctx<'_, '_>, stmt: &Stmt<'_>, k: NodeId, key: &str, positions: &Positions) {
    let Some(key_service) = positions.service else {
        return; // a global key
    };
    let Some(actions) = stmt.expanded_actions(ctx) else {
        return;
    };
    let at = positions.at.get(..positions.len).unwrap_or_default();
    let supports = |s: &crate::catalog::Service, a: &crate::catalog::Action| {
        std::ptr::eq(s, key_service) && at.iter().any(|&p| s.action_supports_key_at(a, p))
    };
    let unsupported: Vec<(&str, &str)> = actions
        .iter()
        .filter(|(s, a)| !supports(s, a))
        .map(|(s, a)| (s.prefix, a.name))
        .collect();
    if unsupported.is_empty() {
        return;
    }
    let names = if unsupported.iter().all(|(p, _)| *p == unsupported[0].0) {
        list_names(
            unsupported[0].0,
            &unsupported.iter().map(|(_, n)| *n).collect::<Vec<_>>(),
        )
    } else {
        unsupported
            .iter()
            .take(4)
            .map(|(p, n)| format!("`{p}:{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    ctx.emit(
        Check::UNSUPPORTED_ACTION_FOR_CONDITION_KEY,
        Target::Key(k),
        format!(
            "`{key}` does not apply to {names}; move those actions to a statement without this condition"
        ),
    );
}

/// Checks a key's values; returns how many scalar values it has.
fn check_values(ctx: &mut Ctx<'_, '_>, k: NodeId, key: &str, op_name: &str, op: Operator) -> usize {
    let doc = ctx.doc;
    let ids: Vec<NodeId> = match &doc.node(k).value {
        JsonValue::Array(r) => {
            if r.is_empty() {
                ctx.emit(
                    Check::EMPTY_ARRAY_CONDITION,
                    Target::Value(k),
                    format!("`{key}` has no values: the condition does not do what it seems to"),
                );
                return 0;
            }
            r.clone().collect()
        }
        JsonValue::Object(_) | JsonValue::Null => {
            ctx.emit(
                Check::DATA_TYPE_MISMATCH,
                Target::Value(k),
                format!(
                    "condition values must be strings, numbers or booleans, found {}",
                    doc.node(k).type_name()
                ),
            );
            return 0;
        }
        _ => vec![k],
    };
    let mut kinds = (false, false, false); // string, number, bool
    let mut count = 0;
    for &v in &ids {
        match &doc.node(v).value {
            JsonValue::String(_) => kinds.0 = true,
            JsonValue::Number(_) => kinds.1 = true,
            JsonValue::Bool(_) => kinds.2 = true,
            _ => {
                ctx.emit(
                    Check::DATA_TYPE_MISMATCH,
                    Target::Value(v),
                    format!(
                        "condition values must be strings, numbers or booleans, found {}",
                        doc.node(v).type_name()
                    ),
                );
                continue;
            }
        }
        count += 1;
        check_value(ctx, v, op_name, op);
    }
    if u8::from(kinds.0) + u8::from(kinds.1) + u8::from(kinds.2) > 1 {
        ctx.emit(
            Check::INVALID_CONDITION_DATA_TYPE,
            Target::Value(k),
            format!("the values of `{key}` mix JSON types; use one type"),
        );
    }
    if count > 1 && matches!(op.family, Family::Bool | Family::Null) {
        ctx.emit(
            Check::INVALID_CONDITION_MULTIPLE_BOOLEAN,
            Target::Value(k),
            format!("`{op_name}` takes a single `true` or `false` for `{key}`"),
        );
    }
    count
}

// Values must fit the operator: `true`/`false` for Bool and Null, numbers for
// Numeric, ISO 8601 dates or epoch seconds for Date, IPv4/IPv6 addresses or
// CIDR ranges for IpAddress, base64 for BinaryEquals (IAM User Guide,
// "Condition operators"). Variables work only with String and Arn operators;
// `*`/`?` are wildcards only for `...Like` and Arn operators.
fn check_value(ctx: &mut Ctx<'_, '_>, v: NodeId, op_name: &str, op: Operator) {
    let node = ctx.node(v);
    let text: &str = match &node.value {
        JsonValue::String(s) => s,
        JsonValue::Number(n) => n,
        JsonValue::Bool(true) => "true",
        JsonValue::Bool(false) => "false",
        _ => return,
    };
    let is_string = matches!(node.value, JsonValue::String(_));
    if is_string && text.contains("${") {
        if matches!(op.family, Family::String | Family::Arn) {
            variable::scan(ctx, v, text, variable::Place::Supported);
        } else {
            ctx.emit(
                Check::INVALID_VARIABLE_FOR_OPERATOR,
                Target::Value(v),
                format!("policy variables work only with String and Arn operators, not `{op_name}`"),
            );
        }
        return;
    }
    let (ok, check, expected) = match op.family {
        Family::Bool | Family::Null => (
            matches!(text, "true" | "false"),
            Check::TYPE_MISMATCH_BOOLEAN,
            "`true` or `false`",
        ),
        Family::Numeric => (is_number(text), Check::TYPE_MISMATCH_NUMBER, "a number"),
        Family::Date => (
            is_date(text),
            Check::TYPE_MISMATCH_DATE,
            "an ISO 8601 date (`2024-01-31` or `2024-01-31T12:00:00Z`) or epoch seconds",
        ),
        Family::Ip => (
            is_ip_range(text),
            Check::TYPE_MISMATCH_IP_RANGE,
            "an IP address or CIDR range",
        ),
        Family::Binary => (
            is_base64(text),
            Check::TYPE_MISMATCH_STRING,
            "a base64-encoded value",
        ),
        Family::String => {
            if !op.like && super::has_wildcard(text) {
                let like = op_name.replacen("Equals", "Like", 1).replace("IgnoreCase", "");
                ctx.emit(
                    Check::WILDCARD_WITHOUT_LIKE_OPERATOR,
                    Target::Value(v),
                    format!("`{text}` has a wildcard, but `{op_name}` compares literally; use `{like}`"),
                );
            }
            (true, Check::TYPE_MISMATCH, "")
        }
        Family::Arn => (true, Check::TYPE_MISMATCH, ""),
    };
    if !ok {
        ctx.emit(
            check,
            Target::Value(v),
            format!("`{op_name}` needs {expected}, found `{text}`"),
        );
    }
}

// A number a Numeric operator can compare: Rust parses `1e999` (and a
// 400-digit integer) to infinity without an error, but such a value is no
// number IAM or any JSON reader built on f64 can hold, and `check` refuses
// the document, so it must not lint clean.
fn is_number(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'))
        && text.parse::<f64>().is_ok_and(f64::is_finite)
}

fn is_date(text: &str) -> bool {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return true; // epoch seconds
    }
    let b = text.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let s = text.get(r)?;
        s.bytes().all(|c| c.is_ascii_digit()).then(|| s.parse().ok())?
    };
    let (Some(_), Some(month), Some(day)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    b.get(4) == Some(&b'-')
        && b.get(7) == Some(&b'-')
        && (1..=12).contains(&month)
        && (1..=31).contains(&day)
        && (b.len() == 10 || b.get(10) == Some(&b'T'))
}

fn is_ip_range(text: &str) -> bool {
    let (addr, prefix) = match text.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (text, None),
    };
    let max = match addr.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(_)) => 32,
        Ok(std::net::IpAddr::V6(_)) => 128,
        Err(_) => return false,
    };
    prefix.is_none_or(|p| p.parse::<u8>().is_ok_and(|n| n <= max) && !p.starts_with('+'))
}

fn is_base64(text: &str) -> bool {
    let body = text.trim_end_matches('=');
    text.len() % 4 == 0
        && text.len() - body.len() <= 2
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_parse_with_qualifiers_and_suffixes() {
        let op = parse_operator("ForAnyValue:StringLikeIfExists").expect("valid");
        assert_eq!(op.family, Family::String);
        assert!(op.like && op.if_exists);
        assert_eq!(op.qualifier, Some(Qualifier::ForAnyValue));
        assert_eq!(parse_operator("StringEqual").err(), Some("StringEqual"));
        assert_eq!(parse_operator("NullIfExists").map(|o| o.if_exists), Ok(true));
    }

    #[test]
    fn value_shapes() {
        assert!(is_date("2024-02-29T10:00:00Z") && is_date("1700000000") && !is_date("yesterday"));
        assert!(is_ip_range("203.0.113.0/24") && is_ip_range("2001:db8::/32") && !is_ip_range("10.0.0.0/33"));
        assert!(is_number("-1.5e3") && !is_number("ten") && !is_number("inf"));
        assert!(is_base64("QmluYXJ5") && !is_base64("not base64!"));
    }
}
