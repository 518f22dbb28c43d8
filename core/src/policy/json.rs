//! The policy model's JSON writer: the same bytes as
//! `serde_json::to_string_pretty` (2-space indent, `": "` after keys,
//! serde_json's string escapes).
//!
//! Why a writer of its own: the generator and the `rotation_policy!` macro
//! build core without serde (the `serde` feature is off for them), so the
//! documents they write cannot go through serde's serializer. The property
//! test `pretty_printer_matches_serde_json` holds the two byte-identical on
//! arbitrary documents.

use super::{ConditionValue, Effect, OneOrMany, OrderedMap, PolicyDocument, Principal, Statement};

impl PolicyDocument {
    /// Pretty-prints the document: 2-space indent, AWS's key order; the
    /// same bytes as `serde_json::to_string_pretty`.
    pub fn to_json_pretty(&self) -> String {
        to_json_pretty(self)
    }
}

struct Writer {
    out: String,
    depth: usize,
    /// Whether the current object or array has an entry yet.
    first: bool,
}

impl Writer {
    /// A line break and the current depth's indentation, after a comma when
    /// `comma` is set.
    fn line(&mut self, comma: bool) {
        /// The indentation of up to 32 levels, taken as one slice.
        const INDENT: &str = "                                                                ";
        if comma {
            self.out.push(',');
        }
        self.out.push('\n');
        match INDENT.get(..2 * self.depth) {
            Some(indent) => self.out.push_str(indent),
            None => self.out.push_str(&"  ".repeat(self.depth)),
        }
    }

    fn open(&mut self, bracket: char) {
        self.out.push(bracket);
        self.depth += 1;
        self.first = true;
    }

    fn close(&mut self, bracket: char) {
        self.depth -= 1;
        if !self.first {
            self.line(false);
        }
        self.out.push(bracket);
        self.first = false;
    }

    /// Starts an array element or object entry.
    fn item(&mut self) {
        self.line(!self.first);
        self.first = false;
    }

    fn key(&mut self, key: &str) {
        self.item();
        self.string_then(key, "\": ");
    }

    /// A JSON string with serde_json's escapes: `"`, `\`, and control
    /// characters (`\b`, `\f`, `\n`, `\r`, `\t`, else `\u00XX`).
    fn string(&mut self, s: &str) {
        self.string_then(s, "\"");
    }

    /// [`Writer::string`] whose closing quote is the start of `close`.
    fn string_then(&mut self, s: &str, close: &str) {
        self.out.push('"');
        escape_into(&mut self.out, s);
        self.out.push_str(close);
    }

    fn strings(&mut self, values: &OneOrMany<String>) {
        self.one_or_many(values, |w, s| w.string(s));
    }

    /// A lone value, or an array of them.
    fn one_or_many<T>(&mut self, values: &OneOrMany<T>, mut value: impl FnMut(&mut Self, &T)) {
        match values {
            OneOrMany::One(v) => value(self, v),
            OneOrMany::Many(items) => {
                self.open('[');
                for v in items {
                    self.item();
                    value(self, v);
                }
                self.close(']');
            }
        }
    }

    fn condition_value(&mut self, value: &ConditionValue) {
        match value {
            ConditionValue::String(s) => self.string(s),
            ConditionValue::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            #[cfg(feature = "serde")]
            ConditionValue::Number(n) => self.out.push_str(&n.to_string()),
        }
    }

    fn map<V>(&mut self, map: &OrderedMap<V>, mut value: impl FnMut(&mut Self, &V)) {
        self.open('{');
        for (k, v) in map.iter() {
            self.key(k);
            value(self, v);
        }
        self.close('}');
    }

    fn principal(&mut self, principal: &Principal) {
        match principal {
            Principal::Any => self.string("*"),
            Principal::Map(map) => self.map(map, Self::strings),
        }
    }

    fn statement(&mut self, s: &Statement) {
        self.open('{');
        if let Some(sid) = &s.sid {
            self.key("Sid");
            self.string(sid);
        }
        self.key("Effect");
        self.string(match s.effect {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        });
        for (name, principal) in [("Principal", &s.principal), ("NotPrincipal", &s.not_principal)] {
            if let Some(p) = principal {
                self.key(name);
                self.principal(p);
            }
        }
        let lists = [
            ("Action", &s.action),
            ("NotAction", &s.not_action),
            ("Resource", &s.resource),
            ("NotResource", &s.not_resource),
        ];
        for (name, values) in lists {
            if let Some(values) = values {
                self.key(name);
                self.strings(values);
            }
        }
        if let Some(condition) = &s.condition {
            self.key("Condition");
            self.map(condition, |w, keys| {
                w.map(keys, |w, values| w.one_or_many(values, Self::condition_value));
            });
        }
        self.close('}');
    }
}

/// Appends `s` with serde_json's string escapes (`"`, `\`, and control
/// characters: `\b`, `\f`, `\n`, `\r`, `\t`, else `\u00XX`), without the
/// quotes.
pub(crate) fn escape_into(out: &mut String, s: &str) {
    // Runs of bytes that need no escape are copied whole. An indexed loop:
    // the proc macro runs this unoptimized in a dev build, where an iterator
    // adapter costs a call per byte.
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        i += 1;
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            0x08 => "\\b",
            0x0c => "\\f",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x00..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[start..i - 1]);
        if escape.is_empty() {
            out.push_str(&format!("\\u{b:04x}"));
        } else {
            out.push_str(escape);
        }
        start = i;
    }
    out.push_str(&s[start..]);
}

/// The document as serde_json's pretty printer writes it.
fn to_json_pretty(doc: &PolicyDocument) -> String {
    let mut w = Writer {
        out: String::with_capacity(128 + 384 * doc.statements().len()),
        depth: 0,
        first: true,
    };
    w.open('{');
    if let Some(version) = &doc.version {
        w.key("Version");
        w.string(version);
    }
    if let Some(id) = &doc.id {
        w.key("Id");
        w.string(id);
    }
    w.key("Statement");
    match &doc.statement {
        OneOrMany::One(s) => w.statement(s),
        OneOrMany::Many(statements) => {
            w.open('[');
            for s in statements {
                w.item();
                w.statement(s);
            }
            w.close(']');
        }
    }
    w.close('}');
    w.out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every ASCII byte at every position of short strings, escaped as
    /// serde_json escapes it.
    #[test]
    fn escape_into_matches_serde_json_for_every_byte_at_every_position() {
        for len in 1..=4 {
            for at in 0..len {
                for byte in 0u8..0x80 {
                    let mut text = vec![b'a'; len];
                    text[at] = byte;
                    let text = String::from_utf8(text).unwrap();
                    let mut escaped = String::new();
                    escape_into(&mut escaped, &text);
                    let expected = serde_json::to_string(&text).unwrap();
                    assert_eq!(format!("\"{escaped}\""), expected, "{text:?}");
                }
            }
        }
    }
}
