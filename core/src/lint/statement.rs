//! Document and statement structure: elements, `Version`, `Sid`, `Effect`,
//! `Principal`, statement-level security checks and the size quota.

use super::reader::{Document, JsonValue, NodeId};
use super::stmt::Stmt;
use super::{action, condition, resource, variable, Check, Ctx, Kind, Target};
use crate::policy::wildcard::matches_ignore_case as wildcard_match;
use crate::suggest::closest;
use std::collections::HashMap;

const TOP_ELEMENTS: [&str; 3] = ["Version", "Id", "Statement"];
const PRINCIPAL_KEYS: [&str; 4] = ["AWS", "Federated", "Service", "CanonicalUser"];

fn unknown_element(ctx: &mut Ctx<'_, '_>, member: NodeId, known: &[&str], place: &str) {
    let key = ctx.node(member).key.as_deref().unwrap_or_default();
    let hint = match closest(key, known.iter().copied()) {
        Some(s) => format!("; did you mean `{s}`?"),
        None => format!(
            ", expected one of {}",
            known
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    ctx.emit(
        Check::INVALID_POLICY_ELEMENT,
        Target::Key(member),
        format!("`{key}` is not a {place} element{hint}"),
    );
}

// Policy grammar: a policy is an object of `Version`, `Id`, `Statement`;
// `Statement` is one statement object or an array of them (IAM User Guide,
// "Grammar of the IAM JSON policy language"). `Version` is `2012-10-17` or
// `2008-10-17`; without it IAM assumes 2008-10-17 (IAM User Guide, "IAM JSON
// policy elements: Version").
pub(super) fn check_document(ctx: &mut Ctx<'_, '_>) {
    let doc = ctx.doc;
    let root = doc.root();
    if !matches!(doc.node(root).value, JsonValue::Object(_)) {
        ctx.emit(
            Check::DATA_TYPE_MISMATCH,
            Target::Value(root),
            format!(
                "a policy document must be a JSON object, found {}",
                doc.node(root).type_name()
            ),
        );
        return;
    }
    for member in doc.children(root) {
        let key = ctx.node(member).key.as_deref().unwrap_or_default();
        if !TOP_ELEMENTS.contains(&key) {
            unknown_element(ctx, member, &TOP_ELEMENTS, "policy");
        }
    }
    match doc.get(root, "Version") {
        None => ctx.emit(
            Check::MISSING_VERSION,
            Target::Value(root),
            "the policy has no `Version`: add `\"Version\": \"2012-10-17\"` (without it IAM assumes \
             2008-10-17, where policy variables do not work)"
                .to_owned(),
        ),
        Some(v) => match ctx.str_of(v) {
            Some("2012-10-17") => ctx.version_2012 = true,
            Some("2008-10-17") => {}
            Some(other) => ctx.emit(
                Check::INVALID_VERSION,
                Target::Value(v),
                format!("`{other}` is not a policy version, expected `2012-10-17` or `2008-10-17`"),
            ),
            None => ctx.emit(
                Check::DATA_TYPE_MISMATCH,
                Target::Value(v),
                format!("`Version` must be a string, found {}", doc.node(v).type_name()),
            ),
        },
    }
    if let Some(id) = doc.get(root, "Id") {
        match ctx.str_of(id) {
            Some(text) => variable::scan(ctx, id, text, variable::Place::Unsupported("Id")),
            None => ctx.emit(
                Check::DATA_TYPE_MISMATCH,
                Target::Value(id),
                format!("`Id` must be a string, found {}", doc.node(id).type_name()),
            ),
        }
    }
    let Some(st) = doc.get(root, "Statement") else {
        ctx.emit(
            Check::MISSING_STATEMENT,
            Target::Value(root),
            "the policy has no `Statement`".to_owned(),
        );
        return;
    };
    let ids: std::ops::Range<NodeId> = match &doc.node(st).value {
        JsonValue::Object(_) => st..st + 1,
        JsonValue::Array(r) if r.is_empty() => {
            ctx.emit(
                Check::MISSING_STATEMENT,
                Target::Value(st),
                "`Statement` is an empty array: the policy allows and denies nothing".to_owned(),
            );
            0..0
        }
        JsonValue::Array(r) => r.clone(),
        _ => {
            ctx.emit(
                Check::DATA_TYPE_MISMATCH,
                Target::Value(st),
                format!(
                    "`Statement` must be an object or an array of objects, found {}",
                    doc.node(st).type_name()
                ),
            );
            0..0
        }
    };
    let mut sids: Vec<(NodeId, &str)> = Vec::new();
    let mut objects = Vec::with_capacity(ids.len());
    for id in ids {
        if !matches!(doc.node(id).value, JsonValue::Object(_)) {
            ctx.emit(
                Check::DATA_TYPE_MISMATCH,
                Target::Value(id),
                format!(
                    "a statement must be an object, found {}",
                    doc.node(id).type_name()
                ),
            );
            continue;
        }
        if let Some(sid) = check_statement(ctx, id) {
            if let Some(text) = ctx.str_of(sid).filter(|t| !t.is_empty()) {
                sids.push((sid, text));
            }
        }
        objects.push(id);
    }
    unique_sids(ctx, &sids);
    redundant_statements(ctx, &objects);
    policy_size(ctx);
}

// `Sid` must be unique within an identity policy (IAM User Guide, "IAM JSON
// policy elements: Sid"); for resource policies AWS recommends unique ids and
// Lambda's AddPermission rejects a repeated statement id.
fn unique_sids(ctx: &mut Ctx<'_, '_>, sids: &[(NodeId, &str)]) {
    for (i, &(id, text)) in sids.iter().enumerate() {
        if sids.get(..i).unwrap_or_default().iter().any(|&(_, t)| t == text) {
            let check = match ctx.kind {
                Kind::Identity => Check::UNIQUE_SIDS_REQUIRED,
                Kind::Resource => Check::UNIQUE_SIDS_RECOMMENDED,
            };
            ctx.emit(
                check,
                Target::Value(id),
                format!("`Sid` `{text}` is used by an earlier statement; statement ids should be unique"),
            );
        }
    }
}

// Two statements granting the same thing: the later adds nothing (Access
// Analyzer REDUNDANT_STATEMENT). Compared structurally, `Sid` aside.
//
// Linear in the number of statements: a cheap shape (member count, the
// lengths of `Effect`, `Action`, `Resource` and their negations) sorts the
// statements into groups that equal statements share; only within a group of
// several is each statement hashed over its whole tree ([`structural_hash`],
// member order ignored, as `same_value` ignores it), and only statements with
// equal hashes are compared.
fn redundant_statements(ctx: &mut Ctx<'_, '_>, statements: &[NodeId]) {
    if statements.len() < 2 {
        return;
    }
    let doc = ctx.doc;
    let mut shapes: Vec<(u64, usize)> = statements
        .iter()
        .enumerate()
        .map(|(i, &s)| (statement_shape(doc, s), i))
        .collect();
    shapes.sort_unstable();
    let mut repeats: Vec<(usize, usize)> = Vec::new();
    for group in shapes.chunk_by(|a, b| a.0 == b.0).filter(|g| g.len() > 1) {
        let mut seen: HashMap<u64, Vec<usize>> = HashMap::with_capacity(group.len());
        // In document order, so that the earlier statement is the one kept.
        for &(_, i) in group {
            let b = statements[i];
            let bucket = seen.entry(structural_hash(doc, b, true)).or_default();
            match bucket.iter().find(|&&a| same_value(doc, statements[a], b, true)) {
                Some(&a) => repeats.push((i, a)),
                None => bucket.push(i),
            }
        }
    }
    repeats.sort_unstable();
    for (i, a) in repeats {
        let first = doc.pointer(statements[a]);
        ctx.emit(
            Check::REDUNDANT_STATEMENT,
            Target::Value(statements[i]),
            format!("this statement repeats the statement at `{first}`; remove one"),
        );
    }
}

/// A number that equal statements (by [`same_value`], `Sid` aside) share:
/// the count of members other than `Sid` and, for the main elements, the
/// length of the string or array.
fn statement_shape(doc: &Document<'_>, id: NodeId) -> u64 {
    let mut shape = 0u64;
    for m in doc.children(id) {
        let node = doc.node(m);
        let weight: u64 = match node.key.as_deref() {
            Some("Sid") => continue,
            Some("Effect") => 1 << 8,
            Some("Action" | "NotAction") => 1 << 20,
            Some("Resource" | "NotResource") => 1 << 40,
            _ => 0,
        };
        let len = match &node.value {
            JsonValue::String(s) => s.len() as u64,
            JsonValue::Array(r) => u64::from(r.end - r.start),
            _ => 0,
        };
        shape = shape.wrapping_add(1).wrapping_add(weight.wrapping_mul(len + 1));
    }
    shape
}

/// A hash of a value that equal values (by [`same_value`]) share: one
/// hasher over the whole tree, object members in the order of their keys
/// (`same_value` ignores member order).
fn structural_hash(doc: &Document<'_>, id: NodeId, ignore_sid: bool) -> u64 {
    use std::hash::Hasher;
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    hash_value(doc, id, ignore_sid, &mut hasher);
    hasher.finish()
}

fn hash_value(doc: &Document<'_>, id: NodeId, ignore_sid: bool, h: &mut impl std::hash::Hasher) {
    use std::hash::Hash;
    match &doc.node(id).value {
        JsonValue::Object(members) => {
            let mut sorted: Vec<(&str, NodeId)> = members
                .clone()
                .filter_map(|m| {
                    let key = doc.node(m).key.as_deref().unwrap_or_default();
                    (!(ignore_sid && key == "Sid")).then_some((key, m))
                })
                .collect();
            sorted.sort_unstable();
            (0u8, sorted.len()).hash(h);
            for (key, m) in sorted {
                key.hash(h);
                hash_value(doc, m, false, h);
            }
        }
        JsonValue::Array(items) => {
            (1u8, items.len()).hash(h);
            for i in items.clone() {
                hash_value(doc, i, false, h);
            }
        }
        JsonValue::String(text) => (2u8, text.as_ref()).hash(h),
        JsonValue::Number(text) => (3u8, *text).hash(h),
        JsonValue::Bool(b) => (4u8, *b).hash(h),
        JsonValue::Null => 5u8.hash(h),
    }
}

fn same_value(doc: &Document<'_>, a: NodeId, b: NodeId, ignore_sid: bool) -> bool {
    let (na, nb) = (doc.node(a), doc.node(b));
    match (&na.value, &nb.value) {
        (JsonValue::Object(ra), JsonValue::Object(rb)) => {
            let members = |r: &std::ops::Range<NodeId>| {
                r.clone()
                    .filter(move |&m| !(ignore_sid && doc.node(m).key.as_deref() == Some("Sid")))
            };
            members(ra).count() == members(rb).count()
                && members(ra).all(|x| {
                    let key = doc.node(x).key.as_deref();
                    members(rb)
                        .find(|&y| doc.node(y).key.as_deref() == key)
                        .is_some_and(|y| same_value(doc, x, y, false))
                })
        }
        (JsonValue::Array(ra), JsonValue::Array(rb)) => {
            ra.len() == rb.len()
                && ra
                    .clone()
                    .zip(rb.clone())
                    .all(|(x, y)| same_value(doc, x, y, false))
        }
        (x, y) => x == y,
    }
}

// Size quotas count characters other than whitespace (IAM User Guide, "IAM
// and AWS STS quotas": "IAM does not count white space when calculating the
// size of a policy against these quotas"; Lambda Developer Guide, "Lambda
// quotas": function policy 20 KB).
//
// Which identity quota: IAM's are 6,144 for a managed policy and, for inline
// policies, an aggregate per identity of 2,048 (user), 5,120 (group) or
// 10,240 (role). A document alone does not say which it will be, and Access
// Analyzer's POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA, which also validates
// a bare identity policy, fires from the largest, 10,240 (its message names
// the quota as a parameter, "the {{policySizeQuota}} character maximum for
// inline and managed policies"). The linter keeps Access Analyzer's code
// where Access Analyzer fires it, so it uses 10,240 too: a warning at 6,144
// would call every role's inline policy above that size too large, and
// AWS's own managed policies exceed 6,144 by the hundred.
fn policy_size(ctx: &mut Ctx<'_, '_>) {
    let doc = ctx.doc;
    let (quota, check, what) = match ctx.kind {
        Kind::Identity => (
            super::IDENTITY_POLICY_QUOTA,
            Check::POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA,
            "an identity policy (a role's inline policies together; a managed policy may have 6144)",
        ),
        Kind::Resource => (
            super::RESOURCE_POLICY_QUOTA,
            Check::POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA,
            "a resource (Lambda function) policy",
        ),
    };
    if doc.source.len().saturating_sub(doc.whitespace) <= quota {
        return;
    }
    let size = doc.source.chars().count().saturating_sub(doc.whitespace);
    if size > quota {
        ctx.emit(
            check,
            Target::Value(doc.root()),
            format!(
                "the policy has {size} characters without whitespace, more than the {quota} {what} \
                 may have; split it into smaller policies"
            ),
        );
    }
}

/// Checks statement `id`; returns its `Sid`.
fn check_statement<'d>(ctx: &mut Ctx<'d, '_>, id: NodeId) -> Option<NodeId> {
    let doc = ctx.doc;
    let mut stmt = Stmt::new(doc, id, |member| {
        unknown_element(ctx, member, &super::stmt::ELEMENTS, "statement");
    });
    if let Some(sid) = stmt.sid {
        check_sid(ctx, sid);
    }
    check_effect(ctx, &mut stmt);
    check_principals(ctx, &stmt);
    pair(ctx, &stmt, stmt.action, stmt.not_action, "Action", "NotAction");
    pair(
        ctx,
        &stmt,
        stmt.resource,
        stmt.not_resource,
        "Resource",
        "NotResource",
    );
    if stmt.action.is_none() && stmt.not_action.is_none() {
        ctx.emit(
            Check::MISSING_ACTION,
            Target::Value(id),
            "the statement has no `Action` or `NotAction`".to_owned(),
        );
    }
    if stmt.resource.is_none() && stmt.not_resource.is_none() {
        ctx.emit(
            Check::MISSING_RESOURCE,
            Target::Value(id),
            "the statement has no `Resource` or `NotResource`".to_owned(),
        );
    }
    action::check(ctx, &mut stmt);
    resource::check(ctx, &mut stmt);
    condition::check(ctx, &stmt);
    pass_role(ctx, &stmt);
    create_service_linked_role(ctx, &stmt);
    service_principal_without_source(ctx, &stmt);
    lambda_invoke_open(ctx, &stmt);
    stmt.sid
}

// A statement has exactly one of `Action`/`NotAction` and of
// `Resource`/`NotResource` (IAM User Guide, "Grammar of the IAM JSON policy
// language").
fn pair(ctx: &mut Ctx<'_, '_>, stmt: &Stmt<'_>, a: Option<NodeId>, b: Option<NodeId>, an: &str, bn: &str) {
    if let (Some(_), Some(b)) = (a, b) {
        let _ = stmt;
        ctx.emit(
            Check::UNSUPPORTED_ELEMENT_COMBINATION,
            Target::Key(b),
            format!("a statement cannot have both `{an}` and `{bn}`; keep one"),
        );
    }
}

// IAM identity policies: `Sid` of ASCII letters and digits only (IAM User
// Guide, "IAM JSON policy elements: Sid"). Lambda resource policies: statement
// ids of 1 to 100 letters, digits, `-` and `_` (Lambda API reference,
// AddPermission `StatementId`).
fn check_sid(ctx: &mut Ctx<'_, '_>, sid: NodeId) {
    let Some(text) = ctx.str_of(sid) else {
        ctx.emit(
            Check::DATA_TYPE_MISMATCH,
            Target::Value(sid),
            format!("`Sid` must be a string, found {}", ctx.node(sid).type_name()),
        );
        return;
    };
    if text.is_empty() {
        ctx.emit(
            Check::EMPTY_SID_VALUE,
            Target::Value(sid),
            "`Sid` is empty: give the statement an id or remove `Sid`".to_owned(),
        );
        return;
    }
    if text.contains("${") {
        variable::scan(ctx, sid, text, variable::Place::Unsupported("Sid"));
    }
    match ctx.kind {
        Kind::Identity => {
            if let Some(c) = text.chars().find(|c| !c.is_ascii_alphanumeric()) {
                ctx.emit(
                    Check::UNSUPPORTED_SID,
                    Target::Value(sid),
                    format!(
                        "`Sid` `{text}` has `{}`: identity policy statement ids allow only letters and \
                         digits",
                        c.escape_default()
                    ),
                );
            }
        }
        Kind::Resource => {
            if let Some(c) = text
                .chars()
                .find(|&c| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            {
                ctx.emit(
                    Check::UNSUPPORTED_SID,
                    Target::Value(sid),
                    format!(
                        "`Sid` `{text}` has `{}`: resource policy statement ids allow only letters, \
                         digits, `-` and `_`",
                        c.escape_default()
                    ),
                );
            } else if text.chars().count() > 100 {
                ctx.emit(
                    Check::UNSUPPORTED_SID,
                    Target::Value(sid),
                    "`Sid` is longer than the 100 characters Lambda allows for a statement id".to_owned(),
                );
            }
        }
    }
}

// `Effect` is required and is `Allow` or `Deny`, case-sensitive (IAM User
// Guide, "IAM JSON policy elements: Effect").
fn check_effect(ctx: &mut Ctx<'_, '_>, stmt: &mut Stmt<'_>) {
    let Some(effect) = stmt.effect else {
        ctx.emit(
            Check::MISSING_EFFECT,
            Target::Value(stmt.id),
            "the statement has no `Effect`: add `\"Effect\": \"Allow\"` or `\"Deny\"`".to_owned(),
        );
        return;
    };
    match ctx.str_of(effect) {
        Some("Allow") => stmt.allow = true,
        Some("Deny") => {}
        Some(other) => {
            let hint = closest(other, ["Allow", "Deny"])
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            ctx.emit(
                Check::INVALID_EFFECT,
                Target::Value(effect),
                format!("`Effect` must be `Allow` or `Deny`, found `{other}`{hint}"),
            );
        }
        None => ctx.emit(
            Check::DATA_TYPE_MISMATCH,
            Target::Value(effect),
            format!(
                "`Effect` must be a string, found {}",
                ctx.node(effect).type_name()
            ),
        ),
    }
}

// Identity policies take no `Principal` (the principal is whoever the policy
// is attached to); resource policies need `Principal` or `NotPrincipal`, not
// both (IAM User Guide, "AWS JSON policy elements: Principal" and
// "NotPrincipal"). `Allow` with `NotPrincipal` grants to everyone not listed.
fn check_principals(ctx: &mut Ctx<'_, '_>, stmt: &Stmt<'_>) {
    match ctx.kind {
        Kind::Identity => {
            for (id, name) in [
                (stmt.principal, "Principal"),
                (stmt.not_principal, "NotPrincipal"),
            ] {
                if let Some(id) = id {
                    ctx.emit(
                        Check::UNSUPPORTED_PRINCIPAL,
                        Target::Key(id),
                        format!(
                            "an identity policy cannot have `{name}`: it applies to the identity it is \
                             attached to"
                        ),
                    );
                }
            }
        }
        Kind::Resource => {
            match (stmt.principal, stmt.not_principal) {
                (None, None) => ctx.emit(
                    Check::MISSING_PRINCIPAL,
                    Target::Value(stmt.id),
                    "a resource policy statement needs a `Principal`".to_owned(),
                ),
                (Some(_), Some(np)) => ctx.emit(
                    Check::UNSUPPORTED_ELEMENT_COMBINATION,
                    Target::Key(np),
                    "a statement cannot have both `Principal` and `NotPrincipal`; keep one".to_owned(),
                ),
                _ => {}
            }
            if let (true, Some(np)) = (stmt.allow, stmt.not_principal) {
                ctx.emit(
                    Check::ALLOW_WITH_NOTPRINCIPAL,
                    Target::Key(np),
                    "`Allow` with `NotPrincipal` grants access to every principal not listed, \
                     anonymous users included; use `Principal`"
                        .to_owned(),
                );
            }
            for id in [stmt.principal, stmt.not_principal].into_iter().flatten() {
                check_principal_value(ctx, id);
            }
        }
    }
}

// `Principal` is `"*"` or an object whose keys are `AWS`, `Federated`,
// `Service` or `CanonicalUser`, each with a string or an array of strings;
// wildcards are not allowed inside principal values, only `"*"` alone (IAM
// User Guide, "AWS JSON policy elements: Principal"). Service principals are
// `NAME.amazonaws.com` (or the partition's DNS suffix).
fn check_principal_value(ctx: &mut Ctx<'_, '_>, id: NodeId) {
    let doc = ctx.doc;
    match &doc.node(id).value {
        JsonValue::String(s) if s == "*" => {}
        JsonValue::Object(members) if members.is_empty() => ctx.emit(
            Check::EMPTY_OBJECT_PRINCIPAL,
            Target::Value(id),
            "`Principal` is an empty object: the statement applies to no one".to_owned(),
        ),
        JsonValue::Object(members) => {
            for member in members.clone() {
                let key = doc.node(member).key.as_deref().unwrap_or_default();
                if !PRINCIPAL_KEYS.contains(&key) {
                    let hint = closest(key, PRINCIPAL_KEYS)
                        .map(|s| format!("; did you mean `{s}`?"))
                        .unwrap_or_else(|| {
                            ", expected `AWS`, `Federated`, `Service` or `CanonicalUser`".to_owned()
                        });
                    ctx.emit(
                        Check::INVALID_PRINCIPAL_KEY,
                        Target::Key(member),
                        format!("`{key}` is not a principal type{hint}"),
                    );
                    continue;
                }
                if matches!(&doc.node(member).value, JsonValue::Array(r) if r.is_empty()) {
                    ctx.emit(
                        Check::EMPTY_ARRAY_PRINCIPAL,
                        Target::Value(member),
                        format!("`{key}` lists no principals"),
                    );
                    continue;
                }
                for (vid, text) in ctx.string_list(member, key) {
                    if text.contains("${") {
                        variable::scan(ctx, vid, text, variable::Place::Unsupported("Principal"));
                        continue;
                    }
                    let wildcard = super::has_wildcard(text);
                    if wildcard && !(key == "AWS" && text == "*") {
                        ctx.emit(
                            Check::UNSUPPORTED_WILDCARD_IN_PRINCIPAL,
                            Target::Value(vid),
                            format!(
                                "`{text}`: wildcards are not supported inside `{key}` principals \
                                 (only `\"*\"` alone, for everyone)"
                            ),
                        );
                    } else if key == "Service" && !is_service_principal(text) {
                        ctx.emit(
                            Check::INVALID_SERVICE_PRINCIPAL_FORMAT,
                            Target::Value(vid),
                            format!(
                                "`{text}` is not a service principal, expected the form \
                                 `SERVICE.amazonaws.com` (e.g. `secretsmanager.amazonaws.com`)"
                            ),
                        );
                    }
                }
            }
        }
        JsonValue::String(s) => ctx.emit(
            Check::INVALID_PRINCIPAL_FORMAT,
            Target::Value(id),
            format!(
                "`Principal` `{s}` is neither `\"*\"` nor an object such as \
                 `{{\"Service\": \"secretsmanager.amazonaws.com\"}}`"
            ),
        ),
        _ => ctx.emit(
            Check::INVALID_PRINCIPAL_FORMAT,
            Target::Value(id),
            format!(
                "`Principal` must be `\"*\"` or an object of principal types, found {}",
                doc.node(id).type_name()
            ),
        ),
    }
}

fn is_service_principal(text: &str) -> bool {
    crate::arn::Partition::ALL.iter().any(|p| {
        text.strip_suffix(p.dns_suffix())
            .and_then(|name| name.strip_suffix('.'))
            .is_some_and(|name| {
                !name.is_empty()
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
            })
    })
}

/// The keys that bind a service principal's request to a source (IAM User
/// Guide, "The confused deputy problem").
const SOURCE_KEYS: [&str; 4] = [
    "aws:SourceArn",
    "aws:SourceAccount",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
];

fn has_key(keys: &[&str], wanted: &[&str]) -> bool {
    keys.iter()
        .any(|k| wanted.iter().any(|w| w.eq_ignore_ascii_case(k)))
}

// Confused deputy: a resource policy that allows a service principal should
// bind it to a source with `aws:SourceArn` or `aws:SourceAccount` (IAM User
// Guide, "The confused deputy problem"; Access Analyzer
// RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL).
fn service_principal_without_source(ctx: &mut Ctx<'_, '_>, stmt: &Stmt<'_>) {
    if ctx.kind != Kind::Resource || !stmt.allow {
        return;
    }
    let Some(service) = stmt.principal.and_then(|p| ctx.doc.get(p, "Service")) else {
        return;
    };
    if !has_key(&stmt.condition_keys(ctx), &SOURCE_KEYS) {
        ctx.emit(
            Check::RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL,
            Target::Value(service),
            "the service principal is allowed without a source: add a condition on `aws:SourceArn` \
             or `aws:SourceAccount` so that only your resources can make the service act"
                .to_owned(),
        );
    }
}

/// Keys that, in a condition, stop "any principal" from meaning anyone.
const RESTRICTING_KEYS: [&str; 8] = [
    "aws:SourceArn",
    "aws:SourceAccount",
    "aws:SourceOwner",
    "aws:SourceOrgID",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
];

// A Lambda function policy that allows `lambda:InvokeFunction` to `"*"` (or
// through `NotPrincipal`) without a condition on the caller or source lets
// anyone, anonymous callers included, invoke the function (Lambda Developer
// Guide, "Working with resource-based IAM policies in Lambda": "grant
// function access to ... all principals" and its warning about public access).
fn lambda_invoke_open(ctx: &mut Ctx<'_, '_>, stmt: &Stmt<'_>) {
    if ctx.kind != Kind::Resource || !stmt.allow {
        return;
    }
    let doc = ctx.doc;
    let principal_any = match stmt.principal {
        Some(p) => match &doc.node(p).value {
            JsonValue::String(s) => s == "*",
            JsonValue::Object(_) => doc.get(p, "AWS").is_some_and(|aws| match &doc.node(aws).value {
                JsonValue::String(s) => s == "*",
                JsonValue::Array(r) => r.clone().any(|c| doc.node(c).as_str() == Some("*")),
                _ => false,
            }),
            _ => false,
        },
        None => stmt.not_principal.is_some(),
    };
    if !principal_any {
        return;
    }
    const INVOKE: &str = "lambda:InvokeFunction";
    let invokes = if stmt.action.is_some() {
        stmt.actions.iter().any(|a| action_matches(a.text, INVOKE))
    } else {
        stmt.not_action.is_some() && !stmt.actions.iter().any(|a| action_matches(a.text, INVOKE))
    };
    if !invokes || has_key(&stmt.condition_keys(ctx), &RESTRICTING_KEYS) {
        return;
    }
    let target = stmt.principal.or(stmt.not_principal).unwrap_or(stmt.id);
    ctx.emit(
        Check::LAMBDA_INVOKE_OPEN_TO_ANY_PRINCIPAL,
        Target::Value(target),
        "any principal may invoke the function: name the caller in `Principal` or add a condition on \
         `aws:SourceArn`, `aws:SourceAccount` or `aws:PrincipalOrgID`"
            .to_owned(),
    );
}

// iam:PassRole with a wildcard resource (or NotResource) lets the identity
// hand any role to a service (IAM User Guide, "Granting a user permissions to
// pass a role to an AWS service"; Access Analyzer PASS_ROLE_WITH_* checks).
// `iam:PassedToService` narrows it and silences the `"*"` resource cases.
fn pass_role(ctx: &mut Ctx<'_, '_>, stmt: &Stmt<'_>) {
    if !stmt.allow {
        return;
    }
    const PASS_ROLE: &str = "iam:PassRole";
    let star_resource = stmt.resource.is_some() && stmt.resources.iter().any(|&(_, r)| r == "*");
    let not_resource = stmt.not_resource.is_some();
    if !star_resource && !not_resource {
        return;
    }
    let scoped = has_key(&stmt.condition_keys(ctx), &["iam:PassedToService"]);
    let check_star = star_resource && !scoped;
    if let Some(action) = stmt.action {
        let explicit = stmt
            .actions
            .iter()
            .find(|a| a.text.eq_ignore_ascii_case(PASS_ROLE));
        let star = stmt
            .actions
            .iter()
            .find(|a| a.has_wildcard() && action_matches(a.text, PASS_ROLE));
        let (check, at, what) = match (explicit, star) {
            (Some(e), _) if not_resource => (Check::PASS_ROLE_WITH_NOTRESOURCE, e.node, "with `NotResource`"),
            (Some(e), _) if check_star => (Check::PASS_ROLE_WITH_STAR_IN_RESOURCE, e.node, "on `\"*\"`"),
            (None, Some(s)) if not_resource => (
                Check::PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOTRESOURCE,
                s.node,
                "through an action wildcard, with `NotResource`",
            ),
            (None, Some(s)) if check_star => (
                Check::PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE,
                s.node,
                "through an action wildcard, on `\"*\"`",
            ),
            _ => return,
        };
        let _ = action;
        ctx.emit(
            check,
            Target::Value(at),
            format!(
                "`iam:PassRole` {what} lets this identity pass any role to a service; name the roles \
                 in `Resource` or add `iam:PassedToService`"
            ),
        );
    } else if let Some(not_action) = stmt.not_action {
        if stmt.actions.iter().any(|a| action_matches(a.text, PASS_ROLE)) {
            return;
        }
        let (check, what) = if not_resource {
            (Check::PASS_ROLE_WITH_NOTACTION_AND_NOTRESOURCE, "`NotResource`")
        } else if check_star {
            (
                Check::PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOTACTION,
                "`\"*\"` as resource",
            )
        } else {
            return;
        };
        ctx.emit(
            check,
            Target::Key(not_action),
            format!(
                "`NotAction` without `iam:PassRole`, with {what}, allows passing any role to a service; \
                 name the roles in `Resource` or add `iam:PassedToService`"
            ),
        );
    }
}

// `iam:CreateServiceLinkedRole` on `"*"` lets the identity create the
// service-linked role of any service (Access Analyzer
// CREATE_SLR_WITH_STAR_IN_RESOURCE: "Using the iam:CreateServiceLinkedRole
// action with wildcards (*) in the resource can allow creation of unintended
// service-linked roles"; CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE when an
// action wildcard, `"*"`, `"iam:*"` or `"iam:Create*"`, covers it). A
// condition naming the services exactly (`iam:AWSServiceName` without
// wildcards) scopes it: AWS lists only PowerUserAccess,
// AlexaForBusinessFullAccess (whose condition is `*a4b.amazonaws.com`) and
// AWSOrganizationsServiceTrustPolicy as managed policies with the warning,
// while hundreds of its managed policies grant the action on `"*"` with
// such a condition (IAM User Guide, "IAM policy validation check reference").
fn create_service_linked_role(ctx: &mut Ctx<'_, '_>, stmt: &Stmt<'_>) {
    const CREATE_SLR: &str = "iam:CreateServiceLinkedRole";
    if !stmt.allow || stmt.action.is_none() || !stmt.resources.iter().any(|&(_, r)| r == "*") {
        return;
    }
    let explicit = stmt
        .actions
        .iter()
        .find(|a| a.text.eq_ignore_ascii_case(CREATE_SLR));
    let star = stmt
        .actions
        .iter()
        .find(|a| a.has_wildcard() && action_matches(a.text, CREATE_SLR));
    let (check, at, what) = match (explicit, star) {
        (Some(e), _) => (Check::CREATE_SLR_WITH_STAR_IN_RESOURCE, e.node, "on `\"*\"`"),
        (None, Some(s)) => (
            Check::CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE,
            s.node,
            "through an action wildcard, on `\"*\"`",
        ),
        (None, None) => return,
    };
    if names_services_exactly(ctx, stmt) {
        return;
    }
    ctx.emit(
        check,
        Target::Value(at),
        format!(
            "`{CREATE_SLR}` {what} lets this identity create the service-linked role of any service; \
             name the roles in `Resource` or the services in an `iam:AWSServiceName` condition"
        ),
    );
}

/// Whether the statement's condition has `iam:AWSServiceName` with values
/// that are all literal service names (no wildcard), under a positive operator.
fn names_services_exactly(ctx: &Ctx<'_, '_>, stmt: &Stmt<'_>) -> bool {
    let doc = ctx.doc;
    let Some(cond) = stmt.condition else {
        return false;
    };
    doc.children(cond).any(|op| {
        let name = doc.node(op).key.as_deref().unwrap_or_default();
        !name.contains("Not")
            && doc.children(op).any(|key| {
                doc.node(key)
                    .key
                    .as_deref()
                    .is_some_and(|k| k.eq_ignore_ascii_case("iam:AWSServiceName"))
                    && {
                        let values: Vec<Option<&str>> = match &doc.node(key).value {
                            JsonValue::Array(r) => r.clone().map(|v| doc.node(v).as_str()).collect(),
                            _ => vec![doc.node(key).as_str()],
                        };
                        !values.is_empty()
                            && values.iter().all(|v| v.is_some_and(|v| !super::has_wildcard(v)))
                    }
            })
    })
}

/// Whether the action pattern `pattern` matches the action `action`
/// (case-insensitive). A pattern whose service prefix is spelled out and
/// differs from the action's is decided without running the matcher: the
/// statement-level checks ask this of every item of long action lists.
fn action_matches(pattern: &str, action: &str) -> bool {
    if let (Some((p, _)), Some((a, _))) = (pattern.split_once(':'), action.split_once(':')) {
        if !super::has_wildcard(p) && !p.eq_ignore_ascii_case(a) {
            return false;
        }
    }
    wildcard_match(pattern, action)
}
