//! One located tree for JSON and YAML templates.
//!
//! JSON is read by the linter's own reader ([`crate::lint::reader`], which
//! keeps byte ranges and duplicate keys); YAML by `saphyr-parser`'s event
//! API, which gives every node its position and tag. Both become a [`Node`]
//! tree in which CloudFormation's short-form tags are already their long
//! form (`!Ref X` is `{"Ref": "X"}`), so the rest of the module reads one
//! shape.

use std::borrow::Cow;

use saphyr_parser::{Event, Parser, ScalarStyle, Span, Tag};

use crate::lint::reader::{Document, JsonValue, NodeId};

/// A position in the template: byte offset, 1-based line, 1-based
/// character column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Pos {
    pub offset: usize,
    pub line: usize,
    pub column: usize,
}

/// A value with its place in the template.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub value: Value,
    pub start: Pos,
    /// Byte offset just past the value.
    pub end: usize,
    /// The template pointer of a node built from others (the statement an
    /// `AWS::Lambda::Permission` creates points at the resource's
    /// properties); `None` for a node read from the file.
    pub origin: Option<String>,
}

/// A template value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Null,
    Bool(bool),
    /// A number, as written (JSON number syntax).
    Number(String),
    String(String),
    Seq(Vec<Node>),
    Map(Vec<Member>),
}

/// A mapping entry.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Member {
    pub key: String,
    pub key_pos: Pos,
    pub value: Node,
}

impl Node {
    /// A node made by this module, located at `at` (template pointer) and `like`'s position.
    pub fn made(value: Value, like: &Node, at: &str) -> Node {
        Node {
            value,
            start: like.start,
            end: like.end,
            origin: Some(at.to_owned()),
        }
    }

    /// The member `key` of a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(members) => members.iter().find(|m| m.key == key).map(|m| &m.value),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn members(&self) -> &[Member] {
        match &self.value {
            Value::Map(members) => members,
            _ => &[],
        }
    }

    pub fn items(&self) -> &[Node] {
        match &self.value {
            Value::Seq(items) => items,
            _ => &[],
        }
    }

    pub fn type_name(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Seq(_) => "array",
            Value::Map(_) => "object",
        }
    }
}

/// A template that could not be read: what and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    pub(crate) message: String,
    pub(crate) line: usize,
    pub(crate) column: usize,
}

impl ReadError {
    /// What is wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
    /// 1-based line.
    pub fn line(&self) -> usize {
        self.line
    }
    /// 1-based column, in characters.
    pub fn column(&self) -> usize {
        self.column
    }
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

/// Byte offsets of line starts, to turn offsets into lines and columns (and
/// YAML's character positions into byte offsets). Columns count
/// characters; a table of character counts every [`BLOCK`] bytes makes each
/// look-up cost at most a block's scan, however long the line (a minified
/// template, or a Terraform plan, is one line).
pub(crate) struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
    /// Characters before byte `k * BLOCK`.
    chars_before_block: Vec<usize>,
}

/// Bytes between two entries of the character-count table.
const BLOCK: usize = 1024;

/// Characters in UTF-8 `bytes`: the bytes that are not continuation bytes.
fn char_count(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        let mut chars_before_block = vec![0];
        let mut total = 0;
        for block in text.as_bytes().chunks(BLOCK) {
            total += char_count(block);
            chars_before_block.push(total);
        }
        Lines {
            text,
            starts,
            chars_before_block,
        }
    }

    /// Characters before byte `offset` (a character boundary).
    fn chars_before(&self, offset: usize) -> usize {
        let block = offset / BLOCK;
        let counted = self.chars_before_block.get(block).copied().unwrap_or(0);
        counted
            + char_count(
                self.text
                    .as_bytes()
                    .get(block * BLOCK..offset)
                    .unwrap_or_default(),
            )
    }

    /// The position of byte `offset`.
    pub fn pos(&self, offset: usize) -> Pos {
        let offset = floor_boundary(self.text, offset.min(self.text.len()));
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        // A line shorter than a block is counted directly (most lines are).
        let column = if offset - start <= BLOCK {
            char_count(self.text.as_bytes().get(start..offset).unwrap_or_default())
        } else {
            self.chars_before(offset) - self.chars_before(start)
        } + 1;
        Pos { offset, line, column }
    }

    /// The position at 1-based `line` and 0-based character `col` (YAML's markers).
    pub fn at(&self, line: usize, col: usize) -> Pos {
        let Some(&start) = self.starts.get(line.saturating_sub(1)) else {
            return self.pos(self.text.len());
        };
        if col <= BLOCK {
            let rest = self.text.get(start..).unwrap_or_default();
            let offset = start + rest.char_indices().nth(col).map_or(rest.len(), |(i, _)| i);
            return Pos {
                offset,
                line: line.max(1),
                column: col + 1,
            };
        }
        // The block holding character `target`, then a scan within it.
        let target = self.chars_before(start) + col;
        let block = self
            .chars_before_block
            .partition_point(|&c| c <= target)
            .saturating_sub(1)
            .max(start / BLOCK);
        let from = (block * BLOCK).max(start);
        let from = floor_boundary(self.text, from);
        let skip = target.saturating_sub(self.chars_before(from));
        let rest = self.text.get(from..).unwrap_or_default();
        let offset = from + rest.char_indices().nth(skip).map_or(rest.len(), |(i, _)| i);
        Pos {
            offset,
            line: line.max(1),
            column: col + 1,
        }
    }
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Reads a JSON document (already parsed by the linter's reader) as a tree.
pub(crate) fn from_json(doc: &Document<'_>, lines: &Lines<'_>) -> Node {
    json_node(doc, doc.root(), lines)
}

fn json_node(doc: &Document<'_>, id: NodeId, lines: &Lines<'_>) -> Node {
    let node = doc.node(id);
    // Before the children: positions are asked for in document order.
    let start = lines.pos(node.span.start as usize);
    let value = match &node.value {
        JsonValue::Null => Value::Null,
        JsonValue::Bool(b) => Value::Bool(*b),
        JsonValue::Number(n) => Value::Number((*n).to_owned()),
        JsonValue::String(s) => Value::String(s.to_string()),
        JsonValue::Array(range) => Value::Seq(range.clone().map(|c| json_node(doc, c, lines)).collect()),
        JsonValue::Object(range) => Value::Map(
            range
                .clone()
                .map(|c| Member {
                    key: doc.node(c).key.as_deref().unwrap_or_default().to_owned(),
                    key_pos: lines.pos(doc.node(c).key_start as usize),
                    value: json_node(doc, c, lines),
                })
                .collect(),
        ),
    };
    Node {
        value,
        start,
        end: node.span.end as usize,
        origin: None,
    }
}

/// Deepest nesting read from YAML, as the JSON reader's
/// [`crate::lint::reader::MAX_DEPTH`]: the tree is walked recursively.
const MAX_DEPTH: usize = crate::lint::reader::MAX_DEPTH;

/// CloudFormation's short-form tags and the long form each stands for
/// (CloudFormation User Guide, "Intrinsic function reference": every
/// function's "Syntax for the short form").
const SHORT_FORMS: &[(&str, &str)] = &[
    ("Ref", "Ref"),
    ("Condition", "Condition"),
    ("Sub", "Fn::Sub"),
    ("GetAtt", "Fn::GetAtt"),
    ("Join", "Fn::Join"),
    ("If", "Fn::If"),
    ("Select", "Fn::Select"),
    ("Split", "Fn::Split"),
    ("GetAZs", "Fn::GetAZs"),
    ("ImportValue", "Fn::ImportValue"),
    ("FindInMap", "Fn::FindInMap"),
    ("Base64", "Fn::Base64"),
    ("Cidr", "Fn::Cidr"),
    ("Equals", "Fn::Equals"),
    ("Not", "Fn::Not"),
    ("And", "Fn::And"),
    ("Or", "Fn::Or"),
    ("Transform", "Fn::Transform"),
    ("Length", "Fn::Length"),
    ("ToJsonString", "Fn::ToJsonString"),
    ("ForEach", "Fn::ForEach"),
];

/// Reads a YAML document into a tree, short-form tags as their long form.
/// The first syntax error, alias or unknown tag ends reading.
pub(crate) fn from_yaml(text: &str, lines: &Lines<'_>) -> Result<Node, ReadError> {
    let mut builder = YamlBuilder {
        lines,
        stack: Vec::new(),
        root: None,
        documents: 0,
    };
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| ReadError {
            message: format!("YAML syntax error: {}", e.info()),
            line: e.marker().line(),
            column: e.marker().col() + 1,
        })?;
        builder.event(event, span)?;
    }
    builder.root.ok_or_else(|| ReadError {
        message: "the YAML file holds no document".to_owned(),
        line: 1,
        column: 1,
    })
}

/// A container being read: its node so far, its tag, and for a mapping the
/// key waiting for its value.
struct Open {
    node: Node,
    tag: Option<Tag>,
    pending_key: Option<(String, Pos)>,
}

struct YamlBuilder<'l, 't> {
    lines: &'l Lines<'t>,
    stack: Vec<Open>,
    root: Option<Node>,
    documents: usize,
}

impl YamlBuilder<'_, '_> {
    fn pos(&self, span: &Span) -> Pos {
        self.lines.at(span.start.line(), span.start.col())
    }

    fn end(&self, span: &Span) -> usize {
        self.lines.at(span.end.line(), span.end.col()).offset
    }

    fn event(&mut self, event: Event<'_>, span: Span) -> Result<(), ReadError> {
        let start = self.pos(&span);
        let error = |message: String| ReadError {
            message,
            line: start.line,
            column: start.column,
        };
        match event {
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(error(
                        "a second YAML document: a CloudFormation template is one document".to_owned(),
                    ));
                }
            }
            Event::Alias(_) => {
                // CloudFormation User Guide, "Template format": YAML aliases,
                // anchors and hash merges are not supported.
                return Err(error(
                    "YAML alias: CloudFormation does not support aliases and anchors".to_owned(),
                ));
            }
            Event::Scalar(text, style, _, tag) => {
                let value = scalar(text, style, tag.as_deref()).map_err(error)?;
                let node = Node {
                    value,
                    start,
                    end: self.end(&span),
                    origin: None,
                };
                let node = wrap(node, tag.as_deref()).map_err(error)?;
                self.add(node, start)?;
            }
            Event::SequenceStart(_, tag) => self.open(Value::Seq(Vec::new()), tag, start).map_err(error)?,
            Event::MappingStart(_, tag) => self.open(Value::Map(Vec::new()), tag, start).map_err(error)?,
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(mut open) = self.stack.pop() {
                    open.node.end = self.end(&span).max(open.node.start.offset);
                    let node = wrap(open.node, open.tag.as_ref()).map_err(error)?;
                    self.add(node, start)?;
                }
            }
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {}
        }
        Ok(())
    }

    fn open(&mut self, value: Value, tag: Option<Cow<'_, Tag>>, start: Pos) -> Result<(), String> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(format!(
                "nesting deeper than {MAX_DEPTH} levels; no template needs that many"
            ));
        }
        let tag = tag.map(Cow::into_owned);
        check_tag(tag.as_ref())?;
        self.stack.push(Open {
            node: Node {
                value,
                start,
                end: start.offset,
                origin: None,
            },
            tag,
            pending_key: None,
        });
        Ok(())
    }

    /// Adds a finished node to the open container (or makes it the root).
    fn add(&mut self, node: Node, at: Pos) -> Result<(), ReadError> {
        let Some(open) = self.stack.last_mut() else {
            self.root = Some(node);
            return Ok(());
        };
        match &mut open.node.value {
            Value::Map(members) => match open.pending_key.take() {
                Some((key, key_pos)) => members.push(Member {
                    key,
                    key_pos,
                    value: node,
                }),
                None => open.pending_key = Some((key_text(&node, at)?, node.start)),
            },
            Value::Seq(items) => items.push(node),
            _ => {}
        }
        Ok(())
    }
}

/// A mapping key must be a plain string for a template.
fn key_text(node: &Node, at: Pos) -> Result<String, ReadError> {
    match &node.value {
        Value::String(s) => Ok(s.clone()),
        Value::Number(s) => Ok(s.clone()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Null => Ok(String::new()),
        _ => Err(ReadError {
            message: format!(
                "a {} as a mapping key: template keys are strings",
                node.type_name()
            ),
            line: at.line,
            column: at.column,
        }),
    }
}

/// Rejects tags that are neither CloudFormation's short forms nor YAML's core schema.
fn check_tag(tag: Option<&Tag>) -> Result<(), String> {
    match tag {
        None => Ok(()),
        Some(tag) if tag.is_yaml_core_schema() => Ok(()),
        Some(tag) if tag.handle == "!" && SHORT_FORMS.iter().any(|(s, _)| *s == tag.suffix) => Ok(()),
        Some(tag) => Err(format!(
            "unknown tag `{tag}`: CloudFormation's short forms are {}",
            SHORT_FORMS
                .iter()
                .map(|(s, _)| format!("`!{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// A short-form tag's node as its long form: `!Sub x` is `{"Fn::Sub": x}`.
fn wrap(node: Node, tag: Option<&Tag>) -> Result<Node, String> {
    check_tag(tag)?;
    let Some(tag) = tag.filter(|t| t.handle == "!") else {
        return Ok(node);
    };
    let Some(&(_, long)) = SHORT_FORMS.iter().find(|(s, _)| *s == tag.suffix) else {
        return Ok(node);
    };
    // `!GetAtt Resource.Attribute` is the string form of `Fn::GetAtt`.
    let (start, end) = (node.start, node.end);
    Ok(Node {
        value: Value::Map(vec![Member {
            key: long.to_owned(),
            key_pos: start,
            value: node,
        }]),
        start,
        end,
        origin: None,
    })
}

/// A scalar's value under YAML 1.2's core schema (what CloudFormation reads:
/// plain `true`, `null`, numbers; quoted scalars are strings).
fn scalar(text: Cow<'_, str>, style: ScalarStyle, tag: Option<&Tag>) -> Result<Value, String> {
    if let Some(tag) = tag.filter(|t| t.is_yaml_core_schema()) {
        return Ok(match tag.suffix.as_str() {
            "str" => Value::String(text.into_owned()),
            _ => plain(text),
        });
    }
    if style != ScalarStyle::Plain || tag.is_some() {
        return Ok(Value::String(text.into_owned()));
    }
    Ok(plain(text))
}

fn plain(text: Cow<'_, str>) -> Value {
    match text.as_ref() {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        t if is_json_number(t) => Value::Number(t.to_owned()),
        _ => Value::String(text.into_owned()),
    }
}

/// RFC 8259's number grammar: what the extracted JSON can carry as a number.
fn is_json_number(t: &str) -> bool {
    let b = t.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let from = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - from
    };
    let int_start = i;
    if digits(&mut i) == 0 || (b.get(int_start) == Some(&b'0') && i - int_start > 1) {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}
