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
use crate::policy::variable::{is_condition_key_shape, pieces, Piece};

/// Where a string with `${` sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Place {
    /// `Resource`, `NotResource` or a condition value.
    Supported,
    /// Any other element (named).
    Unsupported(&'static str),
}

/// Reports malformed variables, variables where IAM does not support them
/// and unresolved template placeholders in `text` (the string of `id`). The
/// pieces are read by the policy language's one reader
/// ([`crate::policy::variable::pieces`]), as the evaluator reads them.
pub(super) fn scan(ctx: &mut Ctx<'_, '_>, id: NodeId, text: &str, place: Place) {
    let mut offset = 0;
    loop {
        let rest = text.get(offset..).unwrap_or_default();
        let parsed = match pieces(rest) {
            Ok(parsed) => parsed,
            Err(error) => {
                let (start, end) = (offset + error.range.start, offset + error.range.end);
                let target = within(ctx, id, text, start, end);
                if error.unclosed {
                    ctx.emit(
                        Check::MISSING_BRACE_IN_VARIABLE,
                        target,
                        format!(
                            "policy variable `{}` has no closing `}}`",
                            text.get(start..).unwrap_or_default()
                        ),
                    );
                    return;
                }
                ctx.emit(
                    Check::EMPTY_VARIABLE,
                    target,
                    "empty policy variable `${}`: name a condition key, e.g. `${aws:username}`".to_owned(),
                );
                // Read on after the empty variable, reporting what follows.
                report(
                    ctx,
                    id,
                    text,
                    place,
                    offset,
                    pieces(rest.get(..error.range.start).unwrap_or_default()).unwrap_or_default(),
                );
                offset += error.range.end;
                continue;
            }
        };
        report(ctx, id, text, place, offset, parsed);
        return;
    }
}

/// The findings for the well-formed pieces of `text` that start at `offset`.
fn report(
    ctx: &mut Ctx<'_, '_>,
    id: NodeId,
    text: &str,
    place: Place,
    offset: usize,
    parsed: Vec<(std::ops::Range<usize>, Piece<'_>)>,
) {
    for (range, piece) in parsed {
        let (start, end) = (offset + range.start, offset + range.end);
        let whole = text.get(start..end).unwrap_or_default();
        let target = within(ctx, id, text, start, end);
        let name = match piece {
            Piece::Text(_) => continue,
            Piece::Escape(_) => None,
            Piece::Variable { key, .. } => Some(key),
            Piece::Placeholder(name) => Some(name),
        };
        if let Some(name) = name.filter(|name| !is_condition_key(ctx, name)) {
            let _ = name;
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

/// Whether `name` is a known condition key (a global `aws:` key, or a key of
/// the service whose table lists it: [`crate::catalog::Catalog::condition_key`]
/// expands the catalog's templated names, `s3:ExistingObjectTag/${TagKey}`).
/// Tag keys may hold `:` (`aws:PrincipalTag/app:team`).
fn is_condition_key(ctx: &Ctx<'_, '_>, name: &str) -> bool {
    is_condition_key_shape(name) && ctx.catalog.condition_key(name).is_some()
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
