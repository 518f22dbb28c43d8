//! The generated documents as compiled templates: their JSON text with holes
//! for the slots' values.
//!
//! Why: a crate's `rotation_policy!` invocations all run in one compiler
//! process, unoptimized in a dev build, and write the same few documents with
//! other values. A document's structure depends only on its [`Shape`]; the
//! values fill whole strings. So the first time a thread needs a shape's
//! document, it writes it with the ordinary builder and JSON writer, a
//! sentinel in every slot, and splits the text at the sentinels; from then
//! on, the document is its fragments with the values, escaped the writer's
//! way, in between. The bytes are the writer's by construction; a test holds
//! every option combination to `to_json_pretty` of the typed document.

use std::cell::RefCell;
use std::rc::Rc;

use crate::pretty::escape_into;
use crate::rotation::{execution_role_policy, resource_policy, Document, Shape, SlotName, SlotTexts};

/// A document's text between its slots.
struct Template {
    /// The text before each slot, and that slot's index; then the text after
    /// the last slot, with `None`.
    pieces: Vec<(String, Option<usize>)>,
    /// The bytes of all pieces.
    len: usize,
}

/// A compiled template, or `None` for a document written directly.
type Entry = (Document, Shape, Option<Rc<Template>>);

thread_local! {
    /// The templates compiled on this thread: a handful (one per document and
    /// shape used), searched linearly.
    static TEMPLATES: RefCell<Vec<Entry>> = const { RefCell::new(Vec::new()) };
}

/// Brackets a slot's index in the sentinel text: a private-use character that
/// no constant of the documents holds and the JSON writer does not escape.
const MARK: char = '\u{E000}';

/// The document of `shape` with `values` in its slots, as pretty JSON.
pub(crate) fn fill(document: Document, shape: Shape, values: &SlotTexts<'_>) -> String {
    let Some(template) = template(document, shape) else {
        return write(document, shape, values);
    };
    let mut capacity = template.len;
    let mut i = 0;
    while i < values.len() {
        capacity += values[i].len();
        i += 1;
    }
    let mut out = String::with_capacity(capacity);
    for (text, slot) in &template.pieces {
        out.push_str(text);
        if let Some(slot) = *slot {
            escape_into(&mut out, values[slot]);
        }
    }
    out
}

/// The document written directly, without a template.
fn write(document: Document, shape: Shape, values: &SlotTexts<'_>) -> String {
    match document {
        Document::ResourcePolicy => resource_policy(shape, values),
        Document::ExecutionRolePolicy => execution_role_policy(shape, values),
    }
    .to_json_pretty()
}

/// This thread's template for `document` and `shape`, compiled on first use;
/// `None` if there is none (see [`compile`]) or the thread's storage is
/// being torn down.
fn template(document: Document, shape: Shape) -> Option<Rc<Template>> {
    TEMPLATES
        .try_with(|cache| {
            let found = cache
                .borrow()
                .iter()
                .find(|(d, s, _)| *d == document && *s == shape)
                .map(|(_, _, t)| t.clone());
            found.unwrap_or_else(|| {
                let template = compile(document, shape).map(Rc::new);
                cache.borrow_mut().push((document, shape, template.clone()));
                template
            })
        })
        .ok()
        .flatten()
}

/// Writes the document with a sentinel, `MARK index MARK`, in every slot and
/// splits it there; `None` if the text holds a `MARK` that is not a sentinel
/// (no constant of the documents does), and the document is written directly.
fn compile(document: Document, shape: Shape) -> Option<Template> {
    let sentinels: [String; SlotName::COUNT] = std::array::from_fn(|i| format!("{MARK}{i}{MARK}"));
    let values: SlotTexts<'_> = std::array::from_fn(|i| sentinels[i].as_str());
    let json = write(document, shape, &values);
    // Split on MARK: text, index, text, index, ..., text.
    let mut pieces = Vec::new();
    let mut parts = json.split(MARK);
    let mut text = parts.next().unwrap_or_default();
    while let Some(index) = parts.next() {
        let slot = index.parse::<usize>().ok().filter(|&i| i < SlotName::COUNT)?;
        pieces.push((text.to_owned(), Some(slot)));
        text = parts.next()?;
    }
    pieces.push((text.to_owned(), None));
    let len = pieces.iter().map(|(t, _)| t.len()).sum();
    Some(Template { pieces, len })
}

/// How many slots the compiled template of `document` and `shape` has;
/// `None` if it did not compile.
#[cfg(test)]
pub(crate) fn slot_count(document: Document, shape: Shape) -> Option<usize> {
    template(document, shape).map(|t| t.pieces.iter().filter(|(_, slot)| slot.is_some()).count())
}
