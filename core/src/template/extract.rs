//! A policy document out of a template: written as JSON text for the
//! linter, with a map from each written value back to its place in the
//! template, so that findings point into the template.
//!
//! Intrinsic functions are values nobody knows before deployment. They are
//! written as the `${...}` placeholders CloudFormation's `Fn::Sub` and this
//! project's generator use, which the linter already reads as unknown
//! values (ARN checks take them for `*`): `{"Ref": "X"}` is `${X}`,
//! `{"Fn::GetAtt": ["X", "Arn"]}` is `${X.Arn}`, `Fn::Sub`'s string is
//! itself, `Fn::Join` joins its parts. `Fn::If` is its first branch that is
//! not `AWS::NoValue` (a deployed template has one of them; the first is
//! what the author wrote the policy for), and `AWS::NoValue` removes the
//! member or element it stands for (CloudFormation User Guide, "Pseudo
//! parameters reference": `AWS::NoValue`).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::tree::{Lines, Node, Pos, Value};
use crate::lint::{lint, Check, Finding, LintOptions, PolicyType};

/// Where a written value came from.
#[derive(Debug, Clone)]
pub(crate) struct Loc {
    pub pointer: String,
    pub start: Pos,
    pub end: usize,
    /// Written from an intrinsic function: its placeholders are expected.
    pub intrinsic: bool,
}

/// A document written as JSON, with the origin of every written key and value.
pub(crate) struct Extracted {
    pub json: String,
    /// Byte offset in `json` -> origin.
    pub locs: BTreeMap<usize, Loc>,
}

/// Appends `seg` to a pointer, escaped as RFC 6901 says.
pub(crate) fn child(pointer: &str, seg: &str) -> String {
    let mut out = String::with_capacity(pointer.len() + seg.len() + 1);
    out.push_str(pointer);
    out.push('/');
    for c in seg.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

/// What a template value stands for in the deployed document.
enum Resolved<'n> {
    /// Nothing: `AWS::NoValue`, or an `Fn::If` of two of them.
    Absent,
    /// This node (a branch of `Fn::If`), at this pointer.
    Node(&'n Node, String),
    /// A string built from intrinsic functions.
    Text(String),
}

/// The intrinsic function a mapping is, if it is one: a single member named
/// `Ref` or `Fn::...`.
fn intrinsic(node: &Node) -> Option<(&str, &Node)> {
    match node.members() {
        [m] if m.key == "Ref" || m.key.starts_with("Fn::") => Some((m.key.as_str(), &m.value)),
        _ => None,
    }
}

fn is_no_value(node: &Node) -> bool {
    matches!(intrinsic(node), Some(("Ref", v)) if v.as_str() == Some("AWS::NoValue"))
}

fn resolve<'n>(node: &'n Node, pointer: &str) -> Resolved<'n> {
    let Some((name, arg)) = intrinsic(node) else {
        return Resolved::Node(node, pointer.to_owned());
    };
    if name == "Ref" && arg.as_str() == Some("AWS::NoValue") {
        return Resolved::Absent;
    }
    if name == "Fn::If" {
        let at = child(pointer, "Fn::If");
        return match arg.items() {
            [_, yes, no] => {
                if !is_no_value(yes) {
                    resolve(yes, &child(&at, "1"))
                } else if !is_no_value(no) {
                    resolve(no, &child(&at, "2"))
                } else {
                    Resolved::Absent
                }
            }
            _ => Resolved::Text(format!("${{{name}}}")),
        };
    }
    Resolved::Text(text_of(node))
}

/// A value as the string it becomes: intrinsic functions as placeholders.
pub(crate) fn text_of(node: &Node) -> String {
    match &node.value {
        Value::String(s) => return s.clone(),
        Value::Number(n) => return n.clone(),
        Value::Bool(b) => return b.to_string(),
        _ => {}
    }
    let Some((name, arg)) = intrinsic(node) else {
        return format!("${{{}}}", node.type_name());
    };
    match name {
        "Ref" => format!("${{{}}}", arg.as_str().unwrap_or("Ref")),
        "Fn::GetAtt" => match (&arg.value, arg.items()) {
            (Value::String(s), _) => format!("${{{s}}}"),
            (_, [resource, attribute]) => format!("${{{}.{}}}", text_of(resource), text_of(attribute)),
            _ => "${Fn::GetAtt}".to_owned(),
        },
        "Fn::Sub" => {
            let (template, vars) = match (&arg.value, arg.items()) {
                (Value::String(s), _) => (s.clone(), None),
                (_, [s, vars]) => (text_of(s), Some(vars)),
                _ => return "${Fn::Sub}".to_owned(),
            };
            substitute(&template, vars)
        }
        "Fn::Join" => match arg.items() {
            [separator, list] if intrinsic(list).is_none() => {
                let separator = text_of(separator);
                list.items()
                    .iter()
                    .filter(|part| !is_no_value(part))
                    .map(text_of)
                    .collect::<Vec<_>>()
                    .join(&separator)
            }
            _ => "${Fn::Join}".to_owned(),
        },
        "Fn::Select" => match arg.items() {
            [index, list] if intrinsic(list).is_none() => text_of(index)
                .parse::<usize>()
                .ok()
                .and_then(|i| list.items().get(i))
                .map_or_else(|| "${Fn::Select}".to_owned(), text_of),
            _ => "${Fn::Select}".to_owned(),
        },
        "Fn::If" => match arg.items() {
            [_, yes, no] if !is_no_value(yes) => {
                let _ = no;
                text_of(yes)
            }
            [_, _, no] => text_of(no),
            _ => "${Fn::If}".to_owned(),
        },
        other => format!("${{{other}}}"),
    }
}

/// `Fn::Sub`'s string with the variables its map gives as literal strings
/// put in; `${!Name}` is the literal `${Name}` (CloudFormation User Guide,
/// "Fn::Sub"). Other names stay placeholders.
fn substitute(template: &str, vars: Option<&Node>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(at) = rest.find("${") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[at..]);
            return out;
        };
        let name = &after[..close];
        if let Some(literal) = name.strip_prefix('!') {
            let _ = write!(out, "${{{literal}}}");
        } else {
            match vars.and_then(|v| v.get(name.trim())) {
                Some(value) => out.push_str(&text_of(value)),
                None => {
                    let _ = write!(out, "${{{name}}}");
                }
            }
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// Writes `node` (at template pointer `pointer`) as JSON.
pub(crate) fn extract(node: &Node, pointer: &str) -> Extracted {
    let mut writer = Writer {
        out: Extracted {
            json: String::new(),
            locs: BTreeMap::new(),
        },
    };
    match resolve(node, pointer) {
        Resolved::Node(node, pointer) => writer.value(node, &pointer),
        Resolved::Text(text) => writer.text(&text, node, pointer, true),
        Resolved::Absent => writer.out.json.push_str("null"),
    }
    writer.out
}

struct Writer {
    out: Extracted,
}

impl Writer {
    fn mark(&mut self, pointer: &str, start: Pos, end: usize, intrinsic: bool) {
        self.out.locs.insert(
            self.out.json.len(),
            Loc {
                pointer: pointer.to_owned(),
                start,
                end,
                intrinsic,
            },
        );
    }

    fn string(&mut self, s: &str) {
        let _ = write!(
            self.out.json,
            "{}",
            serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned())
        );
    }

    fn text(&mut self, text: &str, node: &Node, pointer: &str, intrinsic: bool) {
        self.mark(pointer, node.start, node.end, intrinsic);
        self.string(text);
    }

    fn value(&mut self, node: &Node, pointer: &str) {
        let pointer = node.origin.as_deref().unwrap_or(pointer).to_owned();
        self.mark(&pointer, node.start, node.end, false);
        match &node.value {
            Value::Null => self.out.json.push_str("null"),
            Value::Bool(b) => self.out.json.push_str(if *b { "true" } else { "false" }),
            Value::Number(n) => self.out.json.push_str(n),
            Value::String(s) => self.string(s),
            Value::Seq(items) => {
                self.out.json.push('[');
                let mut first = true;
                for (i, item) in items.iter().enumerate() {
                    let at = item
                        .origin
                        .clone()
                        .unwrap_or_else(|| child(&pointer, &i.to_string()));
                    let resolved = resolve(item, &at);
                    if matches!(resolved, Resolved::Absent) {
                        continue;
                    }
                    if !first {
                        self.out.json.push_str(", ");
                    }
                    first = false;
                    self.resolved(resolved, item, &at);
                }
                self.out.json.push(']');
            }
            Value::Map(members) => {
                self.out.json.push('{');
                let mut first = true;
                for member in members {
                    let at = member
                        .value
                        .origin
                        .clone()
                        .unwrap_or_else(|| child(&pointer, &member.key));
                    let resolved = resolve(&member.value, &at);
                    if matches!(resolved, Resolved::Absent) {
                        continue;
                    }
                    if !first {
                        self.out.json.push_str(", ");
                    }
                    first = false;
                    let key_end = member.key_pos.offset + member.key.len();
                    self.mark(&at, member.key_pos, key_end, false);
                    self.string(&member.key);
                    self.out.json.push_str(": ");
                    self.resolved(resolved, &member.value, &at);
                }
                self.out.json.push('}');
            }
        }
    }

    fn resolved(&mut self, resolved: Resolved<'_>, node: &Node, pointer: &str) {
        match resolved {
            Resolved::Node(n, at) => self.value(n, &at),
            Resolved::Text(text) => self.text(&text, node, pointer, true),
            Resolved::Absent => self.out.json.push_str("null"),
        }
    }
}

/// A policy document found in a template: where, which type, the node.
pub(crate) struct Policy<'n> {
    pub node: std::borrow::Cow<'n, Node>,
    pub pointer: String,
    /// `None` detects it, as the linter does for a bare document.
    pub policy_type: Option<PolicyType>,
    /// Its strings may hold the template tool's own `${...}` expressions
    /// (Terraform's interpolation), which are not IAM's.
    pub interpolated: bool,
}

/// Lints one policy document of a template and places its findings in the
/// template's text.
pub(crate) fn lint_policy(policy: &Policy<'_>, source: &str, lines: &Lines<'_>) -> Vec<Finding> {
    let options = LintOptions {
        policy_type: policy.policy_type,
    };
    // A policy given as a string of JSON (CloudFormation accepts one for a
    // `Json` property; Terraform always writes one): lint the string and
    // place findings at the string, the inner pointer in the message.
    let node: &Node = &policy.node;
    if let Some((text, intrinsic)) = policy_string(node) {
        let intrinsic = intrinsic || policy.interpolated;
        let findings: Vec<Finding> = lint(text.as_bytes(), &options)
            .into_iter()
            .filter(|f| keep(f, intrinsic))
            .collect();
        let offsets = string_offsets(source, node, findings.iter().map(|f| f.span.start));
        return findings
            .into_iter()
            .zip(offsets)
            .map(|(f, offset)| {
                let inner = if f.pointer.is_empty() {
                    String::new()
                } else {
                    format!(" (at `{}` in the policy string)", f.pointer)
                };
                let at = offset.map_or(node.start, |offset| lines.pos(offset));
                Finding {
                    message: format!("{}{inner}", f.message),
                    pointer: policy.pointer.clone(),
                    line: at.line,
                    column: at.column,
                    span: at.offset..node.end.max(at.offset),
                    ..f
                }
            })
            .collect();
    }
    let extracted = extract(node, &policy.pointer);
    let findings = lint(extracted.json.as_bytes(), &options);
    findings
        .into_iter()
        .filter_map(|f| {
            let loc = extracted
                .locs
                .range(..=f.span.start)
                .next_back()
                .map(|(_, loc)| loc)?;
            if !keep(&f, loc.intrinsic || policy.interpolated) {
                return None;
            }
            Some(Finding {
                pointer: loc.pointer.clone(),
                line: loc.start.line,
                column: loc.start.column,
                span: loc.start.offset..loc.end.max(loc.start.offset),
                ..f
            })
        })
        .collect()
}

/// Whether a finding stands: placeholders written from intrinsic functions
/// are what a template is made of (CloudFormation fills them in at deploy
/// time).
fn keep(finding: &Finding, intrinsic: bool) -> bool {
    !(intrinsic && finding.code == Check::UNRESOLVED_TEMPLATE_PLACEHOLDER.code)
}

/// The JSON text of a policy given as a string (or an `Fn::Sub` of one).
fn policy_string(node: &Node) -> Option<(String, bool)> {
    match &node.value {
        Value::String(s) => Some((s.clone(), false)),
        _ => match intrinsic(node) {
            Some(("Fn::Sub", _)) => Some((text_of(node), true)),
            _ => None,
        },
    }
}

/// For a string written as a JSON string literal in the template, the
/// template offset of each byte offset `inners` (ascending, as the linter
/// orders findings) of its decoded text, in one pass over the literal;
/// `None` when the literal is not JSON-quoted (YAML) or does not decode.
fn string_offsets(source: &str, node: &Node, inners: impl Iterator<Item = usize>) -> Vec<Option<usize>> {
    let mut inners = inners.peekable();
    let mut out = Vec::new();
    let body = source
        .get(node.start.offset..node.end)
        .and_then(|l| l.strip_prefix('"'))
        .and_then(|l| l.strip_suffix('"'));
    let Some(body) = body else {
        return inners.map(|_| None).collect();
    };
    let base = node.start.offset + 1;
    let mut decoded = 0usize;
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        while inners.next_if(|&inner| inner <= decoded).is_some() {
            out.push(Some(base + i));
        }
        if c == '\\' {
            let Some((_, e)) = chars.next() else {
                break;
            };
            decoded += match e {
                'u' => {
                    let hex: String = (0..4).filter_map(|_| chars.next().map(|(_, h)| h)).collect();
                    match u32::from_str_radix(&hex, 16) {
                        // A surrogate pair is one character of 4 bytes; each
                        // half counts 2 here, which adds up.
                        Ok(code) if (0xD800..0xE000).contains(&code) => 2,
                        Ok(code) => char::from_u32(code).map_or(1, char::len_utf8),
                        Err(_) => break,
                    }
                }
                _ => 1,
            };
        } else {
            decoded += c.len_utf8();
        }
    }
    // Past the end (an empty span at the end of the text): the closing quote.
    out.extend(inners.map(|_| Some(base + body.len())));
    out
}
