//! A strict, span-aware JSON reader for policy documents.
//!
//! Why not serde_json: its `Value` loses byte positions and silently keeps the
//! last of duplicate keys, and the linter needs both (a position for every
//! finding, a finding for every duplicate). The span-carrying crates on
//! crates.io either merge duplicates too, pull a second serde stack, or are
//! unmaintained; RFC 8259 JSON is small enough that a recursive-descent reader
//! of ~400 lines is the leaner dependency. It is also fast: every node lands in
//! one flat vector (children of a container are contiguous), strings without
//! escapes are borrowed from the input, and there is no per-node allocation.
//!
//! The reader is strict RFC 8259 (no comments, no trailing commas, no
//! leading zeros, no lone surrogates), bounds nesting at [`MAX_DEPTH`] and
//! never panics: the first syntax error ends reading with its byte offset.

use std::borrow::Cow;
use std::ops::Range;

/// Deepest nesting of arrays and objects the reader accepts (serde_json's
/// default too). Policies nest at most 6 levels.
pub const MAX_DEPTH: usize = 128;

/// Index of a node in a [`Document`].
pub type NodeId = u32;

/// Marks "no parent" (the root).
const NO_PARENT: NodeId = NodeId::MAX;

/// A JSON value's kind and content.
#[derive(Debug, Clone, PartialEq)]
pub enum JsonValue<'a> {
    /// `null`
    Null,
    /// `true` or `false`
    Bool(bool),
    /// A number, as written.
    Number(&'a str),
    /// A string, unescaped (borrowed when it had no escapes).
    String(Cow<'a, str>),
    /// An array: its elements are the nodes in this range.
    Array(Range<NodeId>),
    /// An object: its members are the nodes in this range (each with a key).
    Object(Range<NodeId>),
}

/// One value in the document, with its position and (for object members)
/// its key.
#[derive(Debug, Clone, PartialEq)]
pub struct Node<'a> {
    /// The value.
    pub value: JsonValue<'a>,
    /// The key, for a member of an object.
    pub key: Option<Cow<'a, str>>,
    /// Byte offset of the key's opening quote (members only; else the value's start).
    pub key_start: u32,
    /// Byte range of the value.
    pub span: Range<u32>,
    /// The containing array or object (`u32::MAX` for the root).
    pub parent: NodeId,
}

impl Node<'_> {
    /// The value's string, if it is a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            JsonValue::String(s) => Some(s),
            _ => None,
        }
    }

    /// The JSON type name (`object`, `array`, `string`, ...), for messages.
    pub fn type_name(&self) -> &'static str {
        match self.value {
            JsonValue::Null => "null",
            JsonValue::Bool(_) => "boolean",
            JsonValue::Number(_) => "number",
            JsonValue::String(_) => "string",
            JsonValue::Array(_) => "array",
            JsonValue::Object(_) => "object",
        }
    }
}

/// A parsed document: its nodes and the source it borrows from.
#[derive(Debug, Clone)]
pub struct Document<'a> {
    /// The source text.
    pub source: &'a str,
    nodes: Vec<Node<'a>>,
    root: NodeId,
    /// Members whose key repeats an earlier key of the same object exactly.
    pub duplicate_keys: Vec<NodeId>,
    /// Bytes of insignificant whitespace (outside strings).
    pub whitespace: usize,
}

/// A syntax error: what went wrong and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// Byte offset of the error.
    pub offset: usize,
    /// What the reader expected or found.
    pub message: String,
}

impl<'a> Document<'a> {
    /// Reads `source` as one JSON value.
    pub fn parse(source: &'a str) -> Result<Document<'a>, SyntaxError> {
        let mut reader = Reader {
            src: source.as_bytes(),
            text: source,
            pos: 0,
            depth: 0,
            whitespace: 0,
            nodes: Vec::with_capacity(source.len() / 16 + 4),
            scratch: Vec::with_capacity(32),
            duplicates: Vec::new(),
        };
        reader.skip_ws();
        reader.value(None)?;
        reader.skip_ws();
        if reader.pos < reader.src.len() {
            return Err(reader.error("trailing characters after the JSON value"));
        }
        // The root, the one node left in `scratch`, is stored after all others.
        let root_id = reader.finish(0).start;
        let Reader {
            mut nodes,
            duplicates,
            whitespace,
            ..
        } = reader;
        if let Some(root) = nodes.get_mut(root_id as usize) {
            root.parent = NO_PARENT;
        }
        Ok(Document {
            source,
            nodes,
            root: root_id,
            duplicate_keys: duplicates,
            whitespace,
        })
    }

    /// The root value's id.
    pub fn root(&self) -> NodeId {
        self.root
    }

    /// The node with this id.
    ///
    /// Ids come from this document, so the lookup is in bounds; an id from
    /// elsewhere yields the root rather than a panic.
    pub fn node(&self, id: NodeId) -> &Node<'a> {
        self.nodes
            .get(id as usize)
            .or_else(|| self.nodes.get(self.root as usize))
            .unwrap_or(&NULL_NODE)
    }

    /// The ids of an array's elements or an object's members (empty for scalars).
    pub fn children(&self, id: NodeId) -> Range<NodeId> {
        match &self.node(id).value {
            JsonValue::Array(r) | JsonValue::Object(r) => r.clone(),
            _ => 0..0,
        }
    }

    /// The first member of object `id` whose key is exactly `key`.
    pub fn get(&self, id: NodeId, key: &str) -> Option<NodeId> {
        match &self.node(id).value {
            JsonValue::Object(r) => r.clone().find(|&c| self.node(c).key.as_deref() == Some(key)),
            _ => None,
        }
    }

    /// The RFC 6901 pointer of node `id` (`~` as `~0`, `/` as `~1`).
    pub fn pointer(&self, id: NodeId) -> String {
        let mut parts = Vec::new();
        let mut at = id;
        while let Some(node) = self.nodes.get(at as usize) {
            if node.parent == NO_PARENT {
                break;
            }
            match &node.key {
                Some(key) => parts.push(Segment::Key(key)),
                None => {
                    let first = self.children(node.parent).start;
                    parts.push(Segment::Index(at.saturating_sub(first)));
                }
            }
            at = node.parent;
        }
        let mut out = String::new();
        for part in parts.iter().rev() {
            out.push('/');
            match part {
                Segment::Key(key) => {
                    for c in key.chars() {
                        match c {
                            '~' => out.push_str("~0"),
                            '/' => out.push_str("~1"),
                            c => out.push(c),
                        }
                    }
                }
                Segment::Index(i) => out.push_str(&i.to_string()),
            }
        }
        out
    }

    /// The deepest node whose value (or, for a member, key and value)
    /// contains byte `offset`.
    pub fn node_at(&self, offset: usize) -> NodeId {
        let offset = u32::try_from(offset).unwrap_or(u32::MAX);
        let mut at = self.root;
        'descend: loop {
            for child in self.children(at) {
                let node = self.node(child);
                if node.key_start.min(node.span.start) <= offset && offset < node.span.end {
                    at = child;
                    continue 'descend;
                }
            }
            return at;
        }
    }
}

static NULL_NODE: Node<'static> = Node {
    value: JsonValue::Null,
    key: None,
    key_start: 0,
    span: 0..0,
    parent: NO_PARENT,
};

enum Segment<'k> {
    Key(&'k str),
    Index(u32),
}

struct Reader<'a> {
    src: &'a [u8],
    text: &'a str,
    pos: usize,
    depth: usize,
    whitespace: usize,
    nodes: Vec<Node<'a>>,
    /// Children of the containers being read, innermost last.
    scratch: Vec<Node<'a>>,
    duplicates: Vec<NodeId>,
}

fn offset32(offset: usize) -> u32 {
    u32::try_from(offset).unwrap_or(u32::MAX)
}

impl<'a> Reader<'a> {
    fn error(&self, message: impl Into<String>) -> SyntaxError {
        SyntaxError {
            offset: self.pos,
            message: message.into(),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    /// Moves to the next `"`, `\\` or control character of a string (or
    /// the end of the text).
    fn skip_plain(&mut self) {
        let rest = self.src.get(self.pos..).unwrap_or_default();
        self.pos += rest
            .iter()
            .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
            .unwrap_or(rest.len());
    }

    fn skip_ws(&mut self) {
        let rest = self.src.get(self.pos..).unwrap_or_default();
        let n = rest
            .iter()
            .position(|b| !matches!(b, b' ' | b'\n' | b'\r' | b'\t'))
            .unwrap_or(rest.len());
        self.pos += n;
        self.whitespace += n;
    }

    fn unexpected(&self, expected: &str) -> SyntaxError {
        match self.text.get(self.pos..).and_then(|rest| rest.chars().next()) {
            None => self.error(format!("unexpected end of input, expected {expected}")),
            Some(c) => self.error(format!(
                "unexpected `{}`, expected {expected}",
                c.escape_default()
            )),
        }
    }

    /// Reads a value, pushing its node to `scratch` (its children, if any,
    /// are in `nodes` by then).
    fn value(&mut self, key: Option<(Cow<'a, str>, usize)>) -> Result<(), SyntaxError> {
        let start = self.pos;
        let (key, key_start) = match key {
            Some((k, s)) => (Some(k), offset32(s)),
            None => (None, offset32(start)),
        };
        let value = match self.peek() {
            Some(b'{') => self.object()?,
            Some(b'[') => self.array()?,
            Some(b'"') => JsonValue::String(self.string()?),
            Some(b't') => self.literal("true", JsonValue::Bool(true))?,
            Some(b'f') => self.literal("false", JsonValue::Bool(false))?,
            Some(b'n') => self.literal("null", JsonValue::Null)?,
            Some(b'-' | b'0'..=b'9') => JsonValue::Number(self.number()?),
            _ => return Err(self.unexpected("a JSON value")),
        };
        self.scratch.push(Node {
            value,
            key,
            key_start,
            span: offset32(start)..offset32(self.pos),
            parent: NO_PARENT,
        });
        Ok(())
    }

    fn literal(&mut self, word: &str, value: JsonValue<'a>) -> Result<JsonValue<'a>, SyntaxError> {
        if self.src.get(self.pos..self.pos + word.len()) == Some(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.unexpected("a JSON value"))
        }
    }

    fn enter(&mut self) -> Result<(), SyntaxError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        self.pos += 1;
        Ok(())
    }

    /// Finishes a container: its children (from `mark` on in `scratch`)
    /// move to `nodes` as one contiguous block.
    fn close(&mut self, mark: usize) -> Range<NodeId> {
        self.depth -= 1;
        self.pos += 1;
        self.finish(mark)
    }

    /// Moves the nodes from `mark` on in `scratch` to `nodes` (contiguous),
    /// fixing their children's parent ids.
    fn finish(&mut self, mark: usize) -> Range<NodeId> {
        let start = self.nodes.len();
        self.nodes.extend(self.scratch.drain(mark..));
        for id in start..self.nodes.len() {
            let children = match self.nodes.get(id).map(|node| &node.value) {
                Some(JsonValue::Array(r) | JsonValue::Object(r)) => r.clone(),
                _ => continue,
            };
            for child in children {
                if let Some(c) = self.nodes.get_mut(child as usize) {
                    c.parent = offset32(id);
                }
            }
        }
        offset32(start)..offset32(self.nodes.len())
    }

    fn array(&mut self) -> Result<JsonValue<'a>, SyntaxError> {
        self.enter()?;
        let mark = self.scratch.len();
        self.skip_ws();
        if self.peek() == Some(b']') {
            return Ok(JsonValue::Array(self.close(mark)));
        }
        loop {
            self.skip_ws();
            self.value(None)?;
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => return Ok(JsonValue::Array(self.close(mark))),
                _ => return Err(self.unexpected("`,` or `]`")),
            }
        }
    }

    fn object(&mut self) -> Result<JsonValue<'a>, SyntaxError> {
        self.enter()?;
        let mark = self.scratch.len();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            return Ok(JsonValue::Object(self.close(mark)));
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return Err(self.unexpected("a string key"));
            }
            let key_start = self.pos;
            let key = self.string()?;
            self.skip_ws();
            if self.peek() != Some(b':') {
                return Err(self.unexpected("`:`"));
            }
            self.pos += 1;
            self.skip_ws();
            self.value(Some((key, key_start)))?;
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    let members = self.scratch.get(mark..).unwrap_or(&[]);
                    let duplicates = duplicate_positions(members);
                    let range = self.close(mark);
                    self.duplicates
                        .extend(duplicates.into_iter().map(|i| range.start + offset32(i)));
                    return Ok(JsonValue::Object(range));
                }
                _ => return Err(self.unexpected("`,` or `}`")),
            }
        }
    }

    fn number(&mut self) -> Result<&'a str, SyntaxError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if let Some(b'0'..=b'9') = self.peek() {
                    return Err(self.error("leading zeros are not allowed in JSON numbers"));
                }
            }
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.unexpected("a digit")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.unexpected("a digit after `.`"));
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.unexpected("a digit in the exponent"));
            }
            self.digits();
        }
        Ok(self.text.get(start..self.pos).unwrap_or(""))
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
    }

    fn string(&mut self) -> Result<Cow<'a, str>, SyntaxError> {
        self.pos += 1; // opening quote
        let start = self.pos;
        self.skip_plain();
        // Without escapes, the string is a slice of the text.
        if self.peek() == Some(b'"') {
            let s = self.text.get(start..self.pos).unwrap_or("");
            self.pos += 1;
            return Ok(Cow::Borrowed(s));
        }
        let mut out = String::new();
        let mut run = start;
        loop {
            self.skip_plain();
            out.push_str(self.text.get(run..self.pos).unwrap_or(""));
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let c = match self.peek() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.pos += 1;
                            let c = self.unicode_escape()?;
                            out.push(c);
                            run = self.pos;
                            continue;
                        }
                        _ => return Err(self.unexpected("an escape character")),
                    };
                    self.pos += 1;
                    out.push(c);
                    run = self.pos;
                }
                Some(_) => return Err(self.error("control character in string: escape it")),
                None => return Err(self.error("unterminated string")),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, SyntaxError> {
        let hex = self
            .text
            .get(self.pos..self.pos + 4)
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| self.error("expected 4 hex digits after `\\u`"))?;
        self.pos += 4;
        u32::from_str_radix(hex, 16).map_err(|_| self.error("expected 4 hex digits after `\\u`"))
    }

    fn unicode_escape(&mut self) -> Result<char, SyntaxError> {
        let high = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&high) {
            if self.src.get(self.pos..self.pos + 2) != Some(b"\\u") {
                return Err(self.error("lone surrogate in `\\u` escape"));
            }
            self.pos += 2;
            let low = self.hex4()?;
            if !(0xDC00..0xE000).contains(&low) {
                return Err(self.error("lone surrogate in `\\u` escape"));
            }
            0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
        } else {
            high
        };
        char::from_u32(code).ok_or_else(|| self.error("lone surrogate in `\\u` escape"))
    }
}

/// Positions (within `members`) of keys equal to an earlier key.
fn duplicate_positions(members: &[Node<'_>]) -> Vec<usize> {
    let mut out = Vec::new();
    if members.len() <= 32 {
        for (i, m) in members.iter().enumerate() {
            if members
                .get(..i)
                .unwrap_or(&[])
                .iter()
                .any(|earlier| earlier.key == m.key)
            {
                out.push(i);
            }
        }
    } else {
        let mut seen = std::collections::HashSet::new();
        for (i, m) in members.iter().enumerate() {
            if !seen.insert(m.key.as_deref()) {
                out.push(i);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_escape_and_index() {
        let doc = Document::parse(r#"{"a/b": [1, {"c~d": true}], "e": null}"#).expect("valid");
        let a = doc.get(doc.root(), "a/b").expect("a/b");
        let inner = doc.children(a).nth(1).expect("second element");
        let c = doc.get(inner, "c~d").expect("c~d");
        assert_eq!(doc.pointer(c), "/a~1b/1/c~0d");
        assert_eq!(doc.pointer(doc.root()), "");
        assert_eq!(doc.node(c).value, JsonValue::Bool(true));
        assert_eq!(doc.node_at(doc.node(c).span.start as usize), c);
    }

    #[test]
    fn escapes_decode_and_duplicates_are_kept() {
        let doc = Document::parse(r#"{"k": "a\u00e9\n\ud83d\ude00", "k": 1}"#).expect("valid");
        let first = doc.get(doc.root(), "k").expect("k");
        assert_eq!(doc.node(first).as_str(), Some("a\u{e9}\n\u{1f600}"));
        assert_eq!(doc.duplicate_keys.len(), 1);
        assert_eq!(doc.children(doc.root()).count(), 2);
    }

    #[test]
    fn syntax_errors_carry_offsets() {
        for (text, offset) in [
            ("", 0),
            ("{", 1),
            ("[1,]", 3),
            ("{\"a\" 1}", 5),
            ("01", 1),
            ("\"\\ud800\"", 7),
            ("nul", 0),
            ("[1] x", 4),
        ] {
            let err = Document::parse(text).expect_err(text);
            assert_eq!(err.offset, offset, "{text}: {}", err.message);
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = "[".repeat(100_000);
        let err = Document::parse(&text).expect_err("too deep");
        assert!(err.message.contains("nesting"), "{}", err.message);
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(Document::parse(&ok).is_ok());
    }
}
