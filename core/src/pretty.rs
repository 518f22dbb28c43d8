//! A direct pretty-printer for [`PolicyDocument`]: the same bytes as
//! `serde_json::to_string_pretty` (2-space indent, `": "` after keys,
//! serde_json's string escapes), written without going through serde's
//! generic serializer.
//!
//! Why: the generator's output is produced on every `rotation_policy!`
//! invocation, and proc macros run unoptimized in a default dev build, where
//! serde's layers of generic calls cost several times what a direct writer
//! does. The property test `pretty_printer_matches_serde_json` holds the two
//! byte-identical on arbitrary documents.

use crate::policy::{ConditionValue, Effect, OneOrMany, OrderedMap, PolicyDocument, Principal, Statement};

struct Writer {
    out: String,
    depth: usize,
    /// Whether the current object or array has an entry yet.
    first: bool,
}

/// A line break and the indentation of up to 32 levels; a comma before it
/// for the entries after the first. One `push_str` per line: at opt-level 0
/// every call into `String` costs more than the bytes it copies.
const LINE: &str = ",\n                                                                ";

impl Writer {
    /// A line break and the current depth's indentation, after a comma when
    /// `from` is 0 (`LINE[from..]`), without when it is 1.
    fn line(&mut self, from: usize) {
        let width = 2 * self.depth;
        if width + 2 <= LINE.len() {
            self.out.push_str(&LINE[from..2 + width]);
            return;
        }
        self.out.push_str(&LINE[from..]);
        let mut width = width + 2 - LINE.len();
        while width > 0 {
            let chunk = width.min(LINE.len() - 2);
            self.out.push_str(&LINE[2..2 + chunk]);
            width -= chunk;
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
            self.line(1);
        }
        self.out.push(bracket);
        self.first = false;
    }

    /// Starts an array element or object entry.
    fn item(&mut self) {
        self.line(usize::from(self.first));
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
            #[cfg(feature = "json")]
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
///
/// A plain indexed loop rather than iterator adapters: proc macros run at
/// opt-level 0 in a dev build, where every adapter call costs. The loop
/// starts after the leading words that [`plain_words`] clears.
pub(crate) fn escape_into(out: &mut String, s: &str) {
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut i = plain_words(bytes);
    while i < bytes.len() {
        let b = bytes[i];
        i += 1;
        if b >= 0x20 && b != b'"' && b != b'\\' {
            continue;
        }
        let i = i - 1;
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            0x08 => "\\b",
            0x0c => "\\f",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            _ => "",
        };
        out.push_str(&s[start..i]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
}

/// How many leading bytes of `bytes`, in whole 8-byte words, need no escape:
/// none is a control character, `"` or `\`.
///
/// Eight bytes per step, with the word tests of "Bit Twiddling Hacks"
/// (`hasless`, `haszero`), which are exact as yes/no answers. The values the
/// templates fill are mostly long ARNs without a byte to escape; at opt-level
/// 0 the byte-by-byte loop costs about twice as much per byte (callgrind).
fn plain_words(bytes: &[u8]) -> usize {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    const SPACES: u64 = u64::from_ne_bytes([b' '; 8]);
    const QUOTES: u64 = u64::from_ne_bytes([b'"'; 8]);
    const BACKSLASHES: u64 = u64::from_ne_bytes([b'\\'; 8]);
    let mut rest = bytes;
    while let [a, b, c, d, e, f, g, h, tail @ ..] = rest {
        let word = u64::from_ne_bytes([*a, *b, *c, *d, *e, *f, *g, *h]);
        let quote = word ^ QUOTES;
        let backslash = word ^ BACKSLASHES;
        // A byte below `' '`, or a zero byte where a `"` or `\` was.
        let flagged = (word.wrapping_sub(SPACES) & !word)
            | (quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash);
        if flagged & HIGH != 0 {
            break;
        }
        rest = tail;
    }
    bytes.len() - rest.len()
}

/// The document as serde_json's pretty printer writes it.
pub(crate) fn to_json_pretty(doc: &PolicyDocument) -> String {
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

    /// Every ASCII byte at every position of strings around the word size,
    /// escaped as serde_json escapes it: the word test must flag each byte
    /// that needs an escape wherever it sits, and no other.
    #[test]
    fn escape_into_matches_serde_json_for_every_byte_at_every_position() {
        for len in 1..=24 {
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

    #[test]
    fn plain_words_stops_at_the_word_holding_an_escape() {
        assert_eq!(plain_words(b"arn:aws:secretsmanager:us-east-1"), 32);
        assert_eq!(plain_words(b"arn:aws:"), 8);
        assert_eq!(plain_words(b"arn:aws"), 0);
        assert_eq!(plain_words(b"arn:aws:s\\cretsmanager"), 8);
        assert_eq!(plain_words(b"arn:aws:secrets\\"), 8);
        assert_eq!(plain_words(b"arn\\aws:secrets\\"), 0);
        assert_eq!(plain_words("arn:aws:\u{e9}t\u{e9}\u{1f600}-\"x".as_bytes()), 16);
        assert_eq!(plain_words(b"arn:aws:\x7fsecrets"), 16);
        assert_eq!(plain_words(b"arn:aws:\x1fsecrets"), 8);
    }
}
