//! Policy variables (`${aws:username}`) and template placeholders
//! (`${SecretArn}`).
//!
//! IAM replaces `${KEY}` with the request's value of condition key KEY, in
//! `Resource`, `NotResource` and condition values only, and only with
//! `"Version": "2012-10-17"`; `${*}`, `${?}` and `${$}` stand for the literal
//! characters; `${KEY, 'default'}` supplies a default (IAM User Guide, "IAM
//! policy elements: Variables and tags").
//!
//! Templates (CloudFormation `Fn::Sub`, and this project's own generator)
//! write placeholders in the same syntax. A `${...}` whose name is not a
//! condition key (`${SecretArn}`, `${AWS::AccountId}`) is taken for such a
//! placeholder: IAM itself would read it as a variable no request carries,
//! so the element would match nothing. It gets a warning, and the checks
//! that look into ARNs treat it as a wildcard.

use super::reader::NodeId;
use super::{Check, Ctx, Target};

/// Where a string with `${` sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Place {
    /// `Resource`, `NotResource` or a condition value.
    Supported,
    /// Any other element (named).
    Unsupported(&'static str),
}

/// Reports malformed variables, variables where IAM does not support them
/// and unresolved template placeholders in `text` (the string of `id`).
pub(super) fn scan(ctx: &mut Ctx<'_, '_>, id: NodeId, text: &str, place: Place) {
    let mut rest = 0;
    while let Some(found) = text.get(rest..).and_then(|t| t.find("${")) {
        let start = rest + found;
        let inner_start = start + 2;
        let Some(close) = text.get(inner_start..).and_then(|t| t.find('}')) else {
            let target = within(ctx, id, text, start, text.len());
            ctx.emit(
                Check::MISSING_BRACE_IN_VARIABLE,
                target,
                format!(
                    "policy variable `{}` has no closing `}}`",
                    text.get(start..).unwrap_or_default()
                ),
            );
            return;
        };
        let end = inner_start + close + 1;
        rest = end;
        let whole = text.get(start..end).unwrap_or_default();
        let inner = text.get(inner_start..end - 1).unwrap_or_default();
        let target = within(ctx, id, text, start, end);
        let name = inner.split(',').next().unwrap_or_default().trim();
        if name.is_empty() {
            ctx.emit(
                Check::EMPTY_VARIABLE,
                target,
                "empty policy variable `${}`: name a condition key, e.g. `${aws:username}`".to_owned(),
            );
            continue;
        }
        let special = matches!(name, "*" | "?" | "$");
        if !special && !is_condition_key(ctx, name) {
            ctx.emit(
                Check::UNRESOLVED_TEMPLATE_PLACEHOLDER,
                target,
                format!(
                    "`{whole}` is not an IAM policy variable but a template placeholder (as CloudFormation \
                     `Fn::Sub` writes them); IAM would match it literally against nothing, so substitute \
                     it before attaching the policy"
                ),
            );
            continue;
        }
        match place {
            Place::Unsupported(element) => ctx.emit(
                Check::VARIABLE_UNSUPPORTED_IN_ELEMENT,
                target,
                format!(
                    "policy variable `{whole}` is not supported in `{element}`: variables work only in \
                     `Resource`, `NotResource` and `Condition` values"
                ),
            ),
            Place::Supported if !ctx.version_2012 => ctx.emit(
                Check::VARIABLE_UNSUPPORTED_IN_VERSION,
                target,
                format!(
                    "policy variable `{whole}` needs `\"Version\": \"2012-10-17\"`; with any other version \
                     IAM reads it as literal text"
                ),
            ),
            Place::Supported => {}
        }
    }
}

/// Whether `name` is a known condition key (a global `aws:` key or a key of
/// the named service).
fn is_condition_key(ctx: &Ctx<'_, '_>, name: &str) -> bool {
    let Some((prefix, rest)) = name.split_once(':') else {
        return false;
    };
    if rest.is_empty() || rest.contains(':') && prefix.eq_ignore_ascii_case("aws") {
        return false;
    }
    if prefix.eq_ignore_ascii_case("aws") {
        ctx.catalog.global_key(name).is_some()
    } else {
        ctx.catalog
            .service(prefix)
            .is_some_and(|s| s.condition_key(name).is_some())
    }
}

/// The finding target for bytes `start..end` of the string `text` of node
/// `id`: exact when the string had no escapes (its bytes are the source's),
/// else the whole value.
pub(super) fn within(ctx: &Ctx<'_, '_>, id: NodeId, text: &str, start: usize, end: usize) -> Target {
    let node = ctx.node(id);
    let raw_len = (node.span.end - node.span.start) as usize;
    if raw_len == text.len() + 2 {
        let base = node.span.start as usize + 1;
        Target::Within(id, base + start, base + end)
    } else {
        Target::Value(id)
    }
}

/// `text` with every `${...}` replaced by `*`, for the checks that match
/// ARNs (a variable or placeholder can stand for anything).
pub(super) fn as_wildcards(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(rest.get(..start).unwrap_or_default());
        out.push('*');
        match rest.get(start..).and_then(|t| t.find('}')) {
            Some(close) => rest = rest.get(start + close + 1..).unwrap_or_default(),
            None => return out,
        }
    }
    out.push_str(rest);
    out
}
