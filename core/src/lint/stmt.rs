//! A statement's elements, found once and shared by the checks, and what
//! its `Action` strings name in the catalog.

use std::cell::OnceCell;

use super::reader::{Document, JsonValue, NodeId};
use super::Ctx;
use crate::catalog::{Action, Service};
use crate::policy::wildcard::matches_ignore_case as wildcard_match;

/// Expansions above this many actions are not used by the checks that need
/// the statement's actions (they would say nothing useful about `ec2:*`).
const EXPANSION_LIMIT: usize = 2_000;

/// One string of `Action`/`NotAction`, resolved against the catalog.
pub(super) struct Item<'d> {
    pub node: NodeId,
    pub text: &'d str,
    pub resolved: Resolved,
}

impl Item<'_> {
    /// Whether the text has a wildcard (one action named exactly has none).
    pub fn has_wildcard(&self) -> bool {
        !matches!(self.resolved, Resolved::One(..)) && super::has_wildcard(self.text)
    }
}

/// What an action string names.
pub(super) enum Resolved {
    /// `*`: every action.
    All,
    /// One action.
    One(&'static Service, &'static Action),
    /// A wildcard pattern that matches some actions.
    Pattern,
    /// Invalid, or a variable: already reported.
    Unknown,
}

/// The catalog actions the items name, or `None` when that is unknown or
/// too broad.
///
/// With `skip_unknown`, invalid names (already reported) are left out instead
/// of making the whole expansion unknown.
pub(super) fn expand(
    ctx: &Ctx<'_, '_>,
    items: &[Item<'_>],
    skip_unknown: bool,
) -> Option<Vec<(&'static Service, &'static Action)>> {
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        match item.resolved {
            Resolved::Unknown if skip_unknown => {}
            Resolved::One(s, a) => out.push((s, a)),
            Resolved::Pattern => {
                let (service_pattern, name_pattern) = item.text.split_once(':')?;
                let catalog: &'static crate::catalog::Catalog = ctx.catalog;
                for service in catalog.services() {
                    if !wildcard_match(service_pattern, service.prefix) {
                        continue;
                    }
                    let matching = service
                        .actions
                        .iter()
                        .filter(|a| wildcard_match(name_pattern, a.name));
                    out.extend(matching.map(|a| (service, a)));
                    if out.len() > EXPANSION_LIMIT {
                        return None;
                    }
                }
            }
            Resolved::All | Resolved::Unknown => return None,
        }
    }
    Some(out)
}

/// A statement's elements, found once and shared by the checks.
/// The statement elements (IAM User Guide, "IAM JSON policy element
/// reference"): the names [`Stmt::new`] reads, and the ones suggested for
/// an unknown member.
pub(super) const ELEMENTS: [&str; 9] = [
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

pub(super) struct Stmt<'d> {
    pub id: NodeId,
    pub allow: bool,
    pub sid: Option<NodeId>,
    pub effect: Option<NodeId>,
    pub principal: Option<NodeId>,
    pub not_principal: Option<NodeId>,
    pub action: Option<NodeId>,
    pub not_action: Option<NodeId>,
    pub resource: Option<NodeId>,
    pub not_resource: Option<NodeId>,
    pub condition: Option<NodeId>,
    /// The strings of `Action` (or of `NotAction` when there is no `Action`).
    pub actions: Vec<Item<'d>>,
    /// The strings of `Resource` or `NotResource`.
    pub resources: Vec<(NodeId, &'d str)>,
    expanded: OnceCell<Option<Vec<(&'static Service, &'static Action)>>>,
}

impl<'d> Stmt<'d> {
    /// The elements of the statement object `id`, in one pass over its
    /// members (of a repeated element, the first, as [`Document::get`]
    /// finds), calling `unknown` for each member that is no statement
    /// element; the checks fill in the rest (`allow`, `actions`,
    /// `resources`).
    pub fn new(doc: &Document<'d>, id: NodeId, mut unknown: impl FnMut(NodeId)) -> Self {
        let mut stmt = Stmt {
            id,
            allow: false,
            sid: None,
            effect: None,
            principal: None,
            not_principal: None,
            action: None,
            not_action: None,
            resource: None,
            not_resource: None,
            condition: None,
            actions: Vec::new(),
            resources: Vec::new(),
            expanded: OnceCell::new(),
        };
        for member in doc.children(id) {
            let element = match doc.node(member).key.as_deref().unwrap_or_default() {
                "Sid" => &mut stmt.sid,
                "Effect" => &mut stmt.effect,
                "Principal" => &mut stmt.principal,
                "NotPrincipal" => &mut stmt.not_principal,
                "Action" => &mut stmt.action,
                "NotAction" => &mut stmt.not_action,
                "Resource" => &mut stmt.resource,
                "NotResource" => &mut stmt.not_resource,
                "Condition" => &mut stmt.condition,
                _ => {
                    unknown(member);
                    continue;
                }
            };
            element.get_or_insert(member);
        }
        stmt
    }

    /// Every catalog action `Action` names, wildcards expanded; `None` when
    /// that is unknown or too broad to be useful (`NotAction`, `*`, unknown
    /// names, more than a few thousand actions).
    pub fn expanded_actions(&self, ctx: &Ctx<'_, '_>) -> Option<&[(&'static Service, &'static Action)]> {
        self.expanded
            .get_or_init(|| {
                self.action?;
                expand(ctx, &self.actions, false)
            })
            .as_deref()
    }

    /// Like [`Stmt::expanded_actions`], but leaving out invalid names.
    pub fn known_actions(&self, ctx: &Ctx<'_, '_>) -> Option<Vec<(&'static Service, &'static Action)>> {
        self.action?;
        expand(ctx, &self.actions, true)
    }

    /// The condition keys the statement's `Condition` names (any operator).
    pub fn condition_keys<'c>(&self, ctx: &Ctx<'c, '_>) -> Vec<&'c str> {
        let mut keys = Vec::new();
        if let Some(cond) = self.condition {
            for op in ctx.doc.children(cond) {
                for key in ctx.doc.children(op) {
                    if let Some(k) = ctx.node(key).key.as_deref() {
                        keys.push(k);
                    }
                }
            }
        }
        keys
    }
}

/// The statements of a document (`Statement` as object or array), as ids.
fn statements(doc: &Document<'_>) -> std::ops::Range<NodeId> {
    let Some(st) = doc.get(doc.root(), "Statement") else {
        return 0..0;
    };
    match &doc.node(st).value {
        JsonValue::Object(_) => st..st + 1,
        JsonValue::Array(r) => r.clone(),
        _ => 0..0,
    }
}

/// Whether any statement has `Principal` or `NotPrincipal` (what `auto`
/// takes for a resource policy).
pub(super) fn has_principal(doc: &Document<'_>) -> bool {
    statements(doc).any(|s| {
        doc.children(s)
            .any(|m| matches!(doc.node(m).key.as_deref(), Some("Principal" | "NotPrincipal")))
    })
}

/// `` `svc:A`, `svc:B` and 3 more `` for messages.
pub(super) fn list_names(prefix: &str, names: &[&str]) -> String {
    let shown: Vec<String> = names.iter().take(4).map(|n| format!("`{prefix}:{n}`")).collect();
    match names.len().saturating_sub(4) {
        0 => shown.join(", "),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::{Document, Stmt, ELEMENTS};

    #[test]
    fn every_listed_element_is_read_and_nothing_else() {
        let members: Vec<String> = ELEMENTS.iter().map(|e| format!("\"{e}\": \"x\"")).collect();
        let text = format!("{{{}, \"Bogus\": 1, \"sid\": 2}}", members.join(", "));
        let doc = Document::parse(&text).expect("JSON");
        let mut unknown = Vec::new();
        let stmt = Stmt::new(&doc, doc.root(), |member| {
            unknown.push(doc.node(member).key.as_deref().unwrap_or_default().to_owned());
        });
        assert_eq!(unknown, ["Bogus", "sid"]);
        let read = [
            stmt.sid,
            stmt.effect,
            stmt.principal,
            stmt.not_principal,
            stmt.action,
            stmt.not_action,
            stmt.resource,
            stmt.not_resource,
            stmt.condition,
        ];
        let keys: Vec<&str> = read
            .iter()
            .map(|id| id.map_or("", |id| doc.node(id).key.as_deref().unwrap_or_default()))
            .collect();
        assert_eq!(keys, ELEMENTS);
    }
}
