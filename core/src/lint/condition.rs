//! `Condition`: operators, keys, values and their types.

use super::reader::{JsonValue, NodeId};
use super::stmt::{list_names, Resolved, Stmt};
use super::{variable, Check, Ctx, Kind, Target};
use crate::catalog::{ConditionKey, KeyType};
use crate::policy::condition::{Family, Operator, SetQualifier, Truth};
use crate::suggest::closest;

/// The operator family's name as a user writes the operators of a key type.
fn family_name(family: Family) -> &'static str {
    match family {
        Family::String => "String",
        Family::Numeric => "Numeric",
        Family::Date => "Date",
        Family::Bool => "Bool",
        Family::Binary => "BinaryEquals",
        Family::IpAddress => "IpAddress",
        Family::Arn => "Arn",
        _ => "Null",
    }
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
        let op = match Operator::parse(name) {
            Ok(op) => op,
            Err(base) => {
                let hint = closest(base, Operator::base_names())
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
        let keys = doc.children(block);
        for k in keys.clone() {
            let key = doc.node(k).key.as_deref().unwrap_or_default();
            if let Some(earlier) = (keys.start..k).find(|&e| {
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
/// others from the key table of the service that lists them
/// ([`crate::catalog::Catalog::key_service`]: identity providers' keys under
/// `sts`, `catalog:ChangeType` under `aws-marketplace`). A key or service
/// the catalog lacks may be newer than the catalog, like an action (see
/// `action::resolve`): `CONDITION_KEY_NOT_IN_CATALOG` and
/// `SERVICE_NOT_IN_CATALOG` are warnings that name the catalog's date;
/// `INVALID_SERVICE` is for a prefix with characters no prefix has.
/// Returns the key and whether it is global (`aws:`).
fn resolve_key(ctx: &mut Ctx<'_, '_>, k: NodeId, key: &str) -> Option<(ConditionKey, bool)> {
    let Some((prefix, _)) = key
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
    let catalog = ctx.catalog;
    let date = crate::catalog::DATE;
    if prefix.eq_ignore_ascii_case("aws") {
        return match catalog.global_key(key) {
            Some(found) => {
                if found.deprecated {
                    ctx.emit(
                        Check::DEPRECATED_GLOBAL_CONDITION_KEY,
                        Target::Key(k),
                        format!("`{key}` is deprecated; use `aws:PrincipalArn`"),
                    );
                }
                Some((*found, true))
            }
            None => {
                let hint = closest(key, catalog.global_keys().iter().map(|g| g.name))
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
                ctx.emit(
                    Check::CONDITION_KEY_NOT_IN_CATALOG,
                    Target::Key(k),
                    format!(
                        "global condition key `{key}` is not in the catalog's list of global keys: \
                         misspelled, or newer than the list (of {date}){hint}"
                    ),
                );
                None
            }
        };
    }
    // Condition-key prefixes are service prefixes or identity-provider host
    // names (`accounts.google.com:aud`): letters, digits, `-` and `.`.
    if !prefix
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.'))
    {
        ctx.emit(
            Check::INVALID_SERVICE,
            Target::Key(k),
            format!("`{prefix}` in condition key `{key}` is not a service prefix: prefixes have only letters, digits and `-`"),
        );
        return None;
    }
    let Some(service) = catalog.key_service(key) else {
        ctx.emit(
            Check::SERVICE_NOT_IN_CATALOG,
            Target::Key(k),
            format!(
                "service `{prefix}` of condition key `{key}` is not in the catalog: misspelled, or newer \
                 than the catalog (AWS's Service Authorization Reference as of {date})"
            ),
        );
        return None;
    };
    match service.condition_key(key) {
        Some(found) => Some((*found, false)),
        None => {
            let hint = closest(key, service.condition_keys.iter().map(|c| c.name))
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            ctx.emit(
                Check::CONDITION_KEY_NOT_IN_CATALOG,
                Target::Key(k),
                format!(
                    "condition key `{key}` is not in the catalog's service `{}`: misspelled, or newer \
                     than the catalog (AWS's Service Authorization Reference as of {date}){hint}",
                    service.prefix
                ),
            );
            None
        }
    }
}

/// The cross-service keys of the role session (IAM User Guide, "AWS global
/// condition context keys", "Properties of the role session").
const CROSS_SERVICE_KEYS: [&str; 9] = [
    "ec2:RoleDelivery",
    "ec2:SourceInstanceArn",
    "glue:RoleAssumedBy",
    "glue:CredentialIssuingService",
    "codebuild:BuildArn",
    "codebuild:ProjectArn",
    "lambda:SourceFunctionArn",
    "ssm:SourceInstanceArn",
    "identitystore:UserId",
];

fn check_key(ctx: &mut Ctx<'_, '_>, stmt: &Stmt<'_>, k: NodeId, key: &str, op_name: &str, op: Operator) {
    let known = resolve_key(ctx, k, key);
    let values = check_values(ctx, k, key, op_name, op);
    let Some((known, global)) = known else {
        return;
    };
    key_type_rules(ctx, k, key, op_name, op, &known);
    value_rules(ctx, k, key, op, &known);
    if values > 0 {
        service_request_key(ctx, stmt, k, key, op_name, op, &known);
        // For an action whose requests never carry the key, the condition is
        // what the evaluator says of a missing key: where that is true
        // (`...IfExists`, `ForAllValues:`, `Null: true`, negated operators),
        // the action is granted as written and nothing is lost.
        let texts = scalar_texts(ctx, k);
        let missing = op.evaluate(&texts, None, ctx.version_2012, &|_| None);
        if missing != Truth::True {
            unsupported_actions(ctx, stmt, k, key, global || !known.is_attached());
        }
    }
}

/// The value nodes of condition key `k`: the elements of an array, else
/// the value itself.
fn value_ids(ctx: &Ctx<'_, '_>, k: NodeId) -> std::ops::Range<NodeId> {
    match &ctx.doc.node(k).value {
        JsonValue::Array(r) => r.clone(),
        _ => k..k + 1,
    }
}

/// The scalar values of condition key `k` as text (`true` for a JSON `true`).
fn scalar_texts<'d>(ctx: &Ctx<'d, '_>, k: NodeId) -> Vec<&'d str> {
    let doc = ctx.doc;
    value_ids(ctx, k)
        .filter_map(|v| match &doc.node(v).value {
            JsonValue::String(s) => Some(s.as_ref()),
            JsonValue::Number(n) => Some(*n),
            JsonValue::Bool(true) => Some("true"),
            JsonValue::Bool(false) => Some("false"),
            _ => None,
        })
        .collect()
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
            KeyType::IpAddress => &[Family::IpAddress],
            KeyType::Binary => &[Family::Binary],
        };
        if let Some(first) = allowed.first().filter(|_| !allowed.contains(&op.family)) {
            ctx.emit(
                Check::TYPE_MISMATCH,
                Target::Key(k),
                format!(
                    "`{key}` is a {:?} key: use a `{}` operator instead of `{op_name}`",
                    known.key_type,
                    family_name(*first)
                ),
            );
        }
        // AWS recommends ARN operators for ARN keys: "Update the StringLike
        // operator to the ArnLike operator in your Condition element whenever
        // the specified key is used" (Access Analyzer
        // STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS). `StringEquals` on an
        // ARN key compares as ARN equality would, so only the `Like`
        // operators are flagged, as the check's name says.
        if known.key_type == KeyType::Arn && op.family == Family::String && op.like {
            let allowed = op_name.replacen("String", "Arn", 1);
            ctx.emit(
                Check::STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS,
                Target::Key(k),
                format!(
                    "`{key}` is an ARN key: use `{allowed}` instead of `{op_name}`, which matches the ARN \
                     as one string instead of field by field"
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
    if !known.multivalued && op.qualifier == Some(SetQualifier::ForAllValues) {
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
        && op.qualifier != Some(SetQualifier::ForAllValues);
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
// Global `aws:` keys are left out: they apply to every request. Actions
// named with wildcards are left out too, as Access Analyzer does: "If the
// Action element has actions with wildcards, IAM Access Analyzer doesn't
// evaluate those actions for this error" (IAM User Guide, "IAM policy
// validation check reference").
//
// Cross-service keys are left out like global ones: the role-session
// properties `ec2:SourceInstanceArn`, `glue:RoleAssumedBy`,
// `lambda:SourceFunctionArn`, ... are in the request context of every call
// made with the session's credentials, whatever the action ("Cross-service
// condition keys are a type of global condition key that include a prefix
// matching the name of the service, such as ec2: or lambda:, but are
// available across other services"; IAM User Guide, "AWS global condition
// context keys", properties of the role session).
//
// An action supports a key when its own service's table lists the key for
// it or for one of its resource types, whatever the key's prefix: the
// reference lists `iam:ResourceTag/${TagKey}` for `sts:AssumeRole`, and
// identity providers' keys (`cognito-identity.amazonaws.com:aud`) for the
// `sts` actions that carry them. Access Analyzer judges each action so: in
// AWS's `validate-policy` example (AWS CLI Command Reference,
// `accessanalyzer validate-policy`), a statement with `sts:AssumeRole` and
// `sts:TagSession` under `cognito-identity.amazonaws.com:aud` gets the
// finding for `sts:TagSession` alone.
//
// A service key the reference lists for no action and no resource type, in
// any service's table (`iottwinmaker:linkedServices`, `a4b:amazonId`), is
// left out too: the reference defines it without saying which requests
// carry it, so its per-action lists give nothing to judge by, and AWS's own
// managed policies use such keys (AWSIoTTwinMakerServiceRolePolicy).
fn unsupported_actions(ctx: &mut Ctx<'_, '_>, stmt: &Stmt<'_>, k: NodeId, key: &str, unjudged: bool) {
    if unjudged || CROSS_SERVICE_KEYS.iter().any(|c| c.eq_ignore_ascii_case(key)) {
        return;
    }
    if stmt.action.is_none() {
        return;
    }
    let actions: Vec<(&crate::catalog::Service, &crate::catalog::Action)> = stmt
        .actions
        .iter()
        .filter_map(|item| match item.resolved {
            Resolved::One(s, a) => Some((s, a)),
            _ => None,
        })
        .collect();
    // The key's positions in a service's table are found once for each run
    // of actions of that service.
    let mut unsupported: Vec<(&str, &str)> = Vec::new();
    for run in actions.chunk_by(|x, y| std::ptr::eq(x.0, y.0)) {
        let Some(&(service, _)) = run.first() else {
            continue;
        };
        let positions: Vec<usize> = service.condition_key_positions(key).collect();
        let supports =
            |a: &crate::catalog::Action| positions.iter().any(|&p| service.action_supports_key_at(a, p));
        unsupported.extend(
            run.iter()
                .filter(|(_, a)| !supports(a))
                .map(|(s, a)| (s.prefix, a.name)),
        );
    }
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

/// The string values of condition key `k`, with their nodes.
fn string_values<'d>(ctx: &Ctx<'d, '_>, k: NodeId) -> Vec<(NodeId, &'d str)> {
    let doc = ctx.doc;
    value_ids(ctx, k)
        .filter_map(|v| doc.node(v).as_str().map(|s| (v, s)))
        .collect()
}

/// Rules on the values of particular keys.
fn value_rules(ctx: &mut Ctx<'_, '_>, k: NodeId, key: &str, op: Operator, known: &ConditionKey) {
    if !matches!(op.family, Family::String | Family::Arn) {
        return;
    }
    if known.key_type == KeyType::Arn
        && key
            .as_bytes()
            .windows(6)
            .any(|w| w.eq_ignore_ascii_case(b"kmskey"))
    {
        kms_key_values(ctx, k, key, op);
    }
    if key.eq_ignore_ascii_case("aws:userid") && !op.negated {
        user_id_values(ctx, k, key, op);
    }
}

// Keys that name a KMS key by ARN (`secretsmanager:KmsKeyArn`,
// `sagemaker:VolumeKmsKey`, ...: ARN-typed keys of the Service Authorization
// Reference named for a KMS key) take key ARNs,
// `arn:aws:kms:{region}:{account-id}:key/{key-id}`; an alias, a key id or an
// alias ARN never equals the request's value (Access Analyzer
// INVALID_KMS_KEY_VALUE: "The {{key}} condition key value must be a valid
// KMS key ARN"). Wildcards may stand for any part where the operator takes
// them; values with policy variables are left alone.
fn kms_key_values(ctx: &mut Ctx<'_, '_>, k: NodeId, key: &str, op: Operator) {
    for (v, text) in string_values(ctx, k) {
        if text.contains("${") {
            continue;
        }
        let wild = op.takes_wildcards();
        let fits = |pattern: &str, field: &str| {
            if wild {
                crate::policy::wildcard::matches(field, pattern)
                    || crate::policy::wildcard::matches(pattern, field)
            } else {
                pattern == field
            }
        };
        let fields: Vec<&str> = text.splitn(6, ':').collect();
        let ok = match fields[..] {
            [arn, partition, service, region, account, resource] => {
                fits("arn", arn)
                    && !partition.is_empty()
                    && fits("kms", service)
                    && !region.is_empty()
                    && !account.is_empty()
                    && (resource.strip_prefix("key/").is_some_and(|id| !id.is_empty())
                        || (wild && crate::policy::wildcard::matches(resource, "key/x")))
            }
            [only] => wild && only.bytes().all(|b| b == b'*'),
            _ => false,
        };
        if !ok {
            ctx.emit(
                Check::INVALID_KMS_KEY_VALUE,
                Target::Value(v),
                format!(
                    "`{key}` takes a KMS key ARN, `arn:aws:kms:REGION:ACCOUNT:key/KEY-ID`, not `{text}`: \
                     an alias or key id never equals the request's value"
                ),
            );
        }
    }
}

// `aws:userid` is `UNIQUE-ID:SESSION-NAME` for a role session and the unique
// id alone for a user; a wildcard or variable that can stand for the unique
// id matches any principal. Access Analyzer (WILDCARD_USAGE_TOO_PERMISSIVE,
// VARIABLE_USAGE_TOO_PERMISSIVE): "Use the wildcard on the right side of
// colon or as the only character on the left side of a colon. For example,
// use `AIDACKCEVSQ6C2EXAMPLE:*` or `*:*` instead of `*`" (IAM User Guide, "IAM
// policy validation check reference"). The check's other forms (6 literal
// characters before a wildcard, no wildcard for "sensitive" keys) name no
// keys in AWS's text, so they are not implemented.
fn user_id_values(ctx: &mut Ctx<'_, '_>, k: NodeId, key: &str, op: Operator) {
    for (v, text) in string_values(ctx, k) {
        // Each `${...}` as one marker character, so that the colon inside
        // `${aws:userid}` does not split the value.
        let masked = mask_variables(text);
        let (left, has_colon) = match masked.split_once(':') {
            Some((left, _)) => (left, true),
            None => (masked.as_str(), false),
        };
        let variable_bad =
            masked.contains('\u{1}') && (!has_colon || (left.contains('\u{1}') && left != "\u{1}"));
        let wildcard = |s: &str| s.contains(['*', '?']);
        let wildcard_bad = op.like && wildcard(&masked) && (!has_colon || (wildcard(left) && left != "*"));
        if variable_bad {
            ctx.emit(
                Check::VARIABLE_USAGE_TOO_PERMISSIVE,
                Target::Value(v),
                format!(
                    "`{text}`: a policy variable in `{key}` may stand only after the colon or alone before \
                     it (`AIDACKCEVSQ6C2EXAMPLE:${{aws:username}}`), else it can match any principal"
                ),
            );
        }
        if wildcard_bad {
            ctx.emit(
                Check::WILDCARD_USAGE_TOO_PERMISSIVE,
                Target::Value(v),
                format!(
                    "`{text}`: a wildcard in `{key}` may stand only after the colon or alone before it \
                     (`AIDACKCEVSQ6C2EXAMPLE:*` or `*:*`), else it matches any principal"
                ),
            );
        }
    }
}

/// `text` with each `${...}` replaced by U+0001.
fn mask_variables(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(rest.get(..start).unwrap_or_default());
        out.push('\u{1}');
        match rest.get(start..).and_then(|t| t.find('}')) {
            Some(close) => rest = rest.get(start + close + 1..).unwrap_or_default(),
            None => return out,
        }
    }
    out.push_str(rest);
    out
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
        if op.takes_variables() {
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
    if op.family == Family::String && !op.like && crate::policy::wildcard::has_wildcard(text) {
        let like = op_name.replacen("Equals", "Like", 1).replace("IgnoreCase", "");
        ctx.emit(
            Check::WILDCARD_WITHOUT_LIKE_OPERATOR,
            Target::Value(v),
            format!("`{text}` has a wildcard, but `{op_name}` compares literally; use `{like}`"),
        );
    }
    // The type rule is the evaluator's: one function reads each type.
    if let Err(expected) = op.check_value(text) {
        let check = match op.family {
            Family::Bool | Family::Null => Check::TYPE_MISMATCH_BOOLEAN,
            Family::Numeric => Check::TYPE_MISMATCH_NUMBER,
            Family::Date => Check::TYPE_MISMATCH_DATE,
            Family::IpAddress => Check::TYPE_MISMATCH_IP_RANGE,
            _ => Check::TYPE_MISMATCH_STRING,
        };
        ctx.emit(
            check,
            Target::Value(v),
            format!("`{op_name}` needs {expected}, found `{text}`"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::{lint, LintOptions};

    fn codes(policy: &str) -> Vec<&'static str> {
        lint(policy.as_bytes(), &LintOptions::default())
            .iter()
            .map(|f| f.code)
            .collect()
    }

    // The linter and the evaluator read dates with one function: a value the
    // evaluator cannot compare is a finding.
    // Access Analyzer's UNSUPPORTED_ACTION_FOR_CONDITION_KEY is about
    // conditions that do not restrict as written; where IAM takes a missing
    // key as true, the action is granted and nothing is lost (IAM User Guide,
    // "...IfExists condition operators", "Single-valued vs. multivalued
    // context keys", "Condition operator to check existence of condition
    // keys").
    #[test]
    fn unsupported_action_for_condition_key_only_where_a_missing_key_fails() {
        let with = |condition: &str| {
            codes(&format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":["secretsmanager:GetSecretValue","secretsmanager:GetRandomPassword"],"Resource":"*","Condition":{condition}}}]}}"#
            ))
        };
        const CODE: &str = "UNSUPPORTED_ACTION_FOR_CONDITION_KEY";
        assert!(with(r#"{"StringEquals":{"secretsmanager:SecretId":"db"}}"#).contains(&CODE));
        for quiet in [
            r#"{"StringEqualsIfExists":{"secretsmanager:SecretId":"db"}}"#,
            r#"{"Null":{"secretsmanager:SecretId":"true"}}"#,
            r#"{"StringNotEquals":{"secretsmanager:SecretId":"db"}}"#,
        ] {
            assert!(!with(quiet).contains(&CODE), "{quiet}: {:?}", with(quiet));
        }
    }

    #[test]
    fn a_malformed_date_is_a_finding() {
        let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2020-01-01Tnonsense"}}}]}"#;
        assert!(
            codes(policy).contains(&"TYPE_MISMATCH_DATE"),
            "{:?}",
            codes(policy)
        );
        let fine = policy.replace("2020-01-01Tnonsense", "2020-01-01T00:00:00Z");
        assert!(!codes(&fine).contains(&"TYPE_MISMATCH_DATE"));
    }
}
