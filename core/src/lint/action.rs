//! `Action` and `NotAction`: service prefixes, action names, wildcards.

use std::cell::OnceCell;

use super::reader::{JsonValue, NodeId};
use super::stmt::{Item, Resolved, Stmt};
use super::{variable, Check, Ctx, Target};
use crate::catalog::{Action, ActionPatterns as _, Service, ServiceActionPatterns as _};
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

/// Whether `part` (a service prefix or an action name) has a wildcard, or
/// `None` when it has characters no prefix or name has: every prefix and
/// action name of the Service Authorization Reference is ASCII letters,
/// digits and `-` (actions compare case-insensitively), and wildcards are
/// allowed.
fn wildcard_if_well_formed(part: &str) -> Option<bool> {
    let mut wildcard = false;
    for b in part.bytes() {
        match b {
            b'*' | b'?' => wildcard = true,
            b'-' => {}
            _ if b.is_ascii_alphanumeric() => {}
            _ => return None,
        }
    }
    Some(wildcard)
}

// Severity of names the catalog lacks. The catalog is a snapshot of the
// Service Authorization Reference (`catalog::DATE`); AWS adds services and
// actions every week, and IAM accepts action names it does not check
// (Access Analyzer's reference lists AWS managed policies that carry
// invalid actions: "Invalid actions do not affect the permissions granted
// by the policy"). A name the catalog lacks is therefore either misspelled
// or newer than the catalog, and the linter cannot tell which: it reports
// `ACTION_NOT_IN_CATALOG`, a warning that names the catalog's date, instead
// of Access Analyzer's `INVALID_ACTION` (an error that asserts the action
// does not exist, which a fresh AWS policy would then wrongly get).
// `INVALID_ACTION` and `INVALID_SERVICE_IN_ACTION` are kept for what no
// catalog date changes: text that is not `service:Name`, or characters no
// service prefix or action name has.
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
    let Some(prefix_wildcard) = wildcard_if_well_formed(prefix) else {
        ctx.emit(
            Check::INVALID_SERVICE_IN_ACTION,
            Target::Value(node),
            format!(
                "`{prefix}` in action `{text}` is not a service prefix: prefixes have only letters, digits and `-`"
            ),
        );
        return Resolved::Unknown;
    };
    let Some(name_wildcard) = wildcard_if_well_formed(name) else {
        ctx.emit(
            Check::INVALID_ACTION,
            Target::Value(node),
            format!(
                "`{name}` in `{text}` is not an action name: action names have only letters, digits and `-`"
            ),
        );
        return Resolved::Unknown;
    };
    if prefix_wildcard {
        ctx.emit(
            Check::WILDCARD_IN_SERVICE_NAME,
            Target::Value(node),
            format!("`{text}` has a wildcard in the service prefix, which can match services you did not mean; spell the service out"),
        );
        if ctx.catalog.actions_matching(text).is_empty() {
            not_in_catalog(
                ctx,
                node,
                format!("`{text}` matches no action of the catalog"),
                String::new(),
            );
            return Resolved::Unknown;
        }
        return Resolved::Pattern;
    }
    let Some(service) = ctx.catalog.service(prefix) else {
        let catalog = ctx.catalog;
        let hint = ctx
            .service_hints
            .entry(prefix.to_ascii_lowercase())
            .or_insert_with(|| {
                closest(prefix, catalog.services().iter().map(|s| s.prefix))
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default()
            })
            .clone();
        not_in_catalog(
            ctx,
            node,
            format!("service `{prefix}` of action `{text}` is not in the catalog"),
            hint,
        );
        return Resolved::Unknown;
    };
    if name_wildcard {
        if service_actions_matching(service, name).next().is_none() {
            not_in_catalog(
                ctx,
                node,
                format!(
                    "`{text}` matches no action of service `{}` in the catalog",
                    service.prefix
                ),
                String::new(),
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
            not_in_catalog(
                ctx,
                node,
                format!(
                    "action `{text}` is not in the catalog's service `{}`",
                    service.prefix
                ),
                hint,
            );
            Resolved::Unknown
        }
    }
}

/// `ACTION_NOT_IN_CATALOG` with `what`, and the catalog's date.
fn not_in_catalog(ctx: &mut Ctx<'_, '_>, node: NodeId, what: String, hint: String) {
    ctx.emit(
        Check::ACTION_NOT_IN_CATALOG,
        Target::Value(node),
        format!(
            "{what}: misspelled, or newer than the catalog (AWS's Service Authorization Reference as of {}){hint}",
            crate::catalog::DATE
        ),
    );
}

// An action listed twice, or already matched by a wildcard of the same
// statement, adds nothing (Access Analyzer REDUNDANT_ACTION).
//
// n·log n in the number of items: one sort of the lowercased texts puts
// duplicates next to each other and each service prefix's items together,
// so an item is compared only with the patterns of its own service (and
// those with a wildcard in the prefix). A pattern of the usual form
// `service:Literal*` covers a contiguous range of its service's sorted
// actions, found once by binary search, so an action named exactly is
// covered when its position in the catalog falls in the range.
fn redundant_actions(ctx: &mut Ctx<'_, '_>, items: &[Item<'_>]) {
    let n = items.len();
    if n < 2 {
        return;
    }
    // Every item's text lowercased, in one buffer.
    let mut buffer = String::with_capacity(items.iter().map(|i| i.text.len()).sum());
    for item in items {
        buffer.push_str(item.text);
    }
    buffer.make_ascii_lowercase();
    let mut rest = buffer.as_str();
    let mut entries: Vec<Entry<'_>> = items
        .iter()
        .map(|item| {
            let (lower, tail) = rest.split_at_checked(item.text.len()).unwrap_or((rest, ""));
            rest = tail;
            Entry {
                lower,
                service: service_part(lower),
                first: 0,
                patterns: 0..0,
                range: OnceCell::new(),
            }
        })
        .collect();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_unstable_by(|&a, &b| entries[a].lower.cmp(entries[b].lower).then(a.cmp(&b)));
    // Each service group's patterns, as ranges of `patterns`.
    let mut patterns: Vec<usize> = Vec::new();
    let mut any_service = Vec::new();
    let mut star = None;
    let mut k = 0;
    while k < n {
        let prefix = entries[order[k]].service;
        let start = patterns.len();
        let mut m = k;
        while m < n && entries[order[m]].service == prefix {
            let i = order[m];
            entries[i].first = match m.checked_sub(1).map(|p| order[p]) {
                Some(p) if m > k && entries[p].lower == entries[i].lower => entries[p].first,
                _ => i,
            };
            match items[i].resolved {
                Resolved::All => star = Some(star.map_or(i, |s: usize| s.min(i))),
                Resolved::Pattern if super::has_wildcard(prefix) => any_service.push(i),
                Resolved::Pattern => patterns.push(i),
                Resolved::One(..) | Resolved::Unknown => {}
            }
            m += 1;
        }
        for &i in order.get(k..m).unwrap_or_default() {
            entries[i].patterns = start..patterns.len();
        }
        k = m;
    }
    for (j, b) in items.iter().enumerate() {
        if matches!(b.resolved, Resolved::Unknown) {
            continue;
        }
        let why = if entries[j].first < j {
            Some("is listed twice".to_owned())
        } else {
            let lower = entries[j].lower;
            let candidates = patterns
                .get(entries[j].patterns.clone())
                .unwrap_or_default()
                .iter()
                .chain(&any_service)
                .copied()
                .filter(|&i| i != j && entries[i].lower != lower);
            let cover = match b.resolved {
                Resolved::One(service, action) => {
                    let position = action_position(service, action);
                    candidates
                        .filter(|&i| {
                            let range = entries[i].range.get_or_init(|| literal_range(ctx, items[i].text));
                            match (range, position) {
                                (Some(range), Some(position)) => range.contains(&position),
                                _ => covers(items[i].text, entries[i].lower, b.text, lower),
                            }
                        })
                        .min()
                        .or(star)
                }
                Resolved::Pattern => candidates
                    .filter(|&i| covers(items[i].text, entries[i].lower, b.text, lower))
                    .min()
                    .or(star),
                Resolved::All | Resolved::Unknown => None,
            };
            cover
                .filter(|&i| i != j)
                .map(|i| format!("is already covered by `{}`", items[i].text))
        };
        if let Some(why) = why {
            ctx.emit(
                Check::REDUNDANT_ACTION,
                Target::Value(b.node),
                format!("action `{}` {why}; remove it", b.text),
            );
        }
    }
}

/// What [`redundant_actions`] knows of an item.
struct Entry<'l> {
    /// The item's text, lowercased.
    lower: &'l str,
    /// Its service part.
    service: &'l str,
    /// The first item with the same text.
    first: usize,
    /// The patterns of the item's service group, as a range of the
    /// service-specific patterns.
    patterns: std::ops::Range<usize>,
    /// For a `service:Literal*` pattern: the range of the service's actions
    /// it matches (computed when first needed).
    range: OnceCell<Option<std::ops::Range<usize>>>,
}

/// The service part of an action text (all of it without a `:`).
fn service_part(text: &str) -> &str {
    text.split_once(':').map_or(text, |(p, _)| p)
}

/// Whether the action pattern `pattern` matches `text` taken literally
/// (both also given lowercased). A pattern that is a literal and one final
/// `*` matches exactly the texts it is a prefix of.
fn covers(pattern: &str, pattern_lower: &str, text: &str, text_lower: &str) -> bool {
    match pattern_lower.strip_suffix('*') {
        Some(head) if !super::has_wildcard(head) => text_lower.starts_with(head),
        _ => wildcard_match(pattern, text),
    }
}

/// The position of `action` in its service's action list.
fn action_position(service: &Service, action: &Action) -> Option<usize> {
    let size = std::mem::size_of::<Action>();
    let start = service.actions.as_ptr() as usize;
    let offset = (std::ptr::from_ref(action) as usize).checked_sub(start)?;
    let index = offset / size;
    (offset % size == 0 && index < service.actions.len()).then_some(index)
}

/// For a pattern `service:Literal*` (no other wildcard): the positions of
/// the service's actions it matches.
fn literal_range(ctx: &Ctx<'_, '_>, pattern: &str) -> Option<std::ops::Range<usize>> {
    let (prefix, name) = pattern.split_once(':')?;
    let literal = name.strip_suffix('*').filter(|l| !super::has_wildcard(l))?;
    if super::has_wildcard(prefix) {
        return None;
    }
    Some(prefix_range(ctx.catalog.service(prefix)?, literal))
}

/// The positions of the actions of `service` whose names start with
/// `literal` (case-insensitive): a range, as the actions are sorted by
/// lowercased name, found by binary search.
fn prefix_range(service: &Service, literal: &str) -> std::ops::Range<usize> {
    let actions = service.actions;
    let start = actions.partition_point(|a| cmp_lowercase(a.name, literal).is_lt());
    let len = actions
        .get(start..)
        .unwrap_or_default()
        .iter()
        .take_while(|a| {
            a.name
                .get(..literal.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(literal))
        })
        .count();
    start..start + len
}

/// The actions of `service` whose names match the name pattern `name`. A
/// pattern that is a literal followed by one `*` (`Describe*`, the usual
/// form) is a range of the service's actions ([`prefix_range`]) instead of
/// a match against every action.
fn service_actions_matching<'s>(
    service: &'s Service,
    name: &'s str,
) -> Box<dyn Iterator<Item = &'s Action> + 's> {
    match name.strip_suffix('*').filter(|l| !super::has_wildcard(l)) {
        Some(literal) => Box::new(
            service
                .actions
                .get(prefix_range(service, literal))
                .unwrap_or_default()
                .iter(),
        ),
        None => Box::new(service.actions_matching(name)),
    }
}

/// The order of the catalog's action lists: ASCII-lowercased bytes.
fn cmp_lowercase(a: &str, b: &str) -> std::cmp::Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}
