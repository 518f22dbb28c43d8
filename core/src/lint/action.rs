//! `Action` and `NotAction`: service prefixes, action names, wildcards.

use super::reader::{JsonValue, NodeId};
use super::stmt::{Item, Resolved, Stmt};
use super::{variable, Check, Ctx, Target};
use crate::catalog::{ActionPatterns as _, ServiceActionPatterns as _};
use crate::policy::wildcard::matches_ignore_case as wildcard_match;
use crate::suggest::closest;

// An action is `service:ActionName`, case-insensitive, with `*` and `?`
// wildcards; `*` alone is every action (IAM User Guide, "IAM JSON policy
// elements: Action"). The service prefixes and action names are those of the
// Service Authorization Reference (the catalog).
pub(super) fn check<'d>(ctx: &mut Ctx<'d, '_>, stmt: &mut Stmt<'d>) {
    let (id, element) = match (stmt.action, stmt.not_action) {
        (Some(id), _) => (id, "Action"),
        (None, Some(id)) => (id, "NotAction"),
        (None, None) => return,
    };
    if matches!(&ctx.node(id).value, JsonValue::Array(r) if r.is_empty()) {
        ctx.emit(
            Check::EMPTY_ARRAY_ACTION,
            Target::Value(id),
            format!("`{element}` is an empty array: the statement has no effect"),
        );
        return;
    }
    let list = ctx.string_list(id, element);
    let mut items = Vec::with_capacity(list.len());
    for (node, text) in list {
        let resolved = resolve(ctx, node, text, element);
        items.push(Item { node, text, resolved });
    }
    redundant_actions(ctx, &items);
    // The statement keeps the items for the resource and condition checks.
    stmt.actions = items;
}

fn resolve(ctx: &mut Ctx<'_, '_>, node: NodeId, text: &str, element: &'static str) -> Resolved {
    if text.contains("${") {
        variable::scan(ctx, node, text, variable::Place::Unsupported(element));
        return Resolved::Unknown;
    }
    if text == "*" {
        return Resolved::All;
    }
    let Some((prefix, name)) = text
        .split_once(':')
        .filter(|(p, n)| !p.is_empty() && !n.is_empty())
    else {
        ctx.emit(
            Check::INVALID_ACTION,
            Target::Value(node),
            format!("`{text}` is not an action: expected `service:ActionName`, e.g. `secretsmanager:GetSecretValue`"),
        );
        return Resolved::Unknown;
    };
    if super::has_wildcard(prefix) {
        ctx.emit(
            Check::WILDCARD_IN_SERVICE_NAME,
            Target::Value(node),
            format!("`{text}` has a wildcard in the service prefix, which can match services you did not mean; spell the service out"),
        );
        if ctx.catalog.actions_matching(text).is_empty() {
            ctx.emit(
                Check::INVALID_ACTION,
                Target::Value(node),
                format!("`{text}` matches no action of any service"),
            );
            return Resolved::Unknown;
        }
        return Resolved::Pattern;
    }
    let Some(service) = ctx.catalog.service(prefix) else {
        let hint = closest(prefix, ctx.catalog.services().iter().map(|s| s.prefix))
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_default();
        ctx.emit(
            Check::INVALID_SERVICE_IN_ACTION,
            Target::Value(node),
            format!("service `{prefix}` in action `{text}` does not exist{hint}"),
        );
        return Resolved::Unknown;
    };
    if super::has_wildcard(name) {
        if service.actions_matching(name).next().is_none() {
            ctx.emit(
                Check::INVALID_ACTION,
                Target::Value(node),
                format!("`{text}` matches no action of service `{}`", service.prefix),
            );
            return Resolved::Unknown;
        }
        return Resolved::Pattern;
    }
    match service.action(name) {
        Some(action) => Resolved::One(service, action),
        None => {
            let hint = closest(name, service.actions.iter().map(|a| a.name))
                .map(|a| format!("; did you mean `{}:{a}`?", service.prefix))
                .unwrap_or_default();
            ctx.emit(
                Check::INVALID_ACTION,
                Target::Value(node),
                format!(
                    "action `{text}` does not exist in service `{}`{hint}",
                    service.prefix
                ),
            );
            Resolved::Unknown
        }
    }
}

// An action listed twice, or already matched by a wildcard of the same
// statement, adds nothing (Access Analyzer REDUNDANT_ACTION).
fn redundant_actions(ctx: &mut Ctx<'_, '_>, items: &[Item<'_>]) {
    let any_wildcard = items.iter().any(|i| super::has_wildcard(i.text));
    for (j, b) in items.iter().enumerate() {
        if !any_wildcard
            && !items
                .get(..j)
                .unwrap_or_default()
                .iter()
                .any(|a| a.text.len() == b.text.len() && a.text.eq_ignore_ascii_case(b.text))
        {
            continue;
        }
        if matches!(b.resolved, Resolved::Unknown) {
            continue;
        }
        let cover = items.iter().enumerate().find(|&(i, a)| {
            i != j
                && !matches!(a.resolved, Resolved::Unknown)
                && if a.text.eq_ignore_ascii_case(b.text) {
                    i < j
                } else {
                    super::has_wildcard(a.text) && wildcard_match(a.text, b.text)
                }
        });
        if let Some((_, a)) = cover {
            let why = if a.text.eq_ignore_ascii_case(b.text) {
                "is listed twice".to_owned()
            } else {
                format!("is already covered by `{}`", a.text)
            };
            ctx.emit(
                Check::REDUNDANT_ACTION,
                Target::Value(b.node),
                format!("action `{}` {why}; remove it", b.text),
            );
        }
    }
}
