//! Builds the spanned tree from YAML events, whichever reader produced them.

use std::borrow::Cow;

use rustc_hash::{FxHashMap, FxHashSet};
use saphyr_parser::{Event, ScalarStyle, Tag};

use crate::load::tree::{Node, SyntaxError, Value};

/// Deeper than any plan needs; bounds the builder's stack however hostile the input.
pub const MAX_DEPTH: usize = 64;

/// The most values one file may hold, aliases expanded. A value takes about 50 bytes in the
/// tree, so a file can never take more than about 1 GB however it is written; a plan of a
/// million addresses with four fields each needs about 9 million.
pub const MAX_VALUES: usize = 16 * 1024 * 1024;

/// Values a file may produce, aliases expanded: proportional to its size, so an alias bomb
/// stops early, and never more than [`MAX_VALUES`].
fn node_budget(bytes: usize) -> usize {
    bytes.saturating_mul(2).clamp(1_000_000, MAX_VALUES)
}

enum Frame<'t> {
    Sequence {
        start: usize,
        /// 0 when the collection has no anchor.
        anchor: usize,
        items: Vec<Node<'t>>,
    },
    Mapping {
        start: usize,
        anchor: usize,
        entries: Vec<(Node<'t>, Node<'t>)>,
        key: Option<Node<'t>>,
        /// Past a few entries, the keys seen, so a large mapping checks duplicates in O(1).
        seen: Option<FxHashSet<String>>,
    },
}

/// Few entries are compared one by one; more get a set.
const LINEAR_KEY_CHECK: usize = 16;

pub struct Builder<'t> {
    text: &'t str,
    stack: Vec<Frame<'t>>,
    /// Anchored nodes by anchor id, with their size in nodes.
    anchors: FxHashMap<usize, (Node<'t>, usize)>,
    /// Values the file may still produce (of [`node_budget`]).
    nodes_left: usize,
    root: Option<Node<'t>>,
    documents: usize,
}

pub fn error(message: impl Into<String>, offset: usize) -> SyntaxError {
    SyntaxError {
        message: message.into(),
        offset,
    }
}

impl<'t> Builder<'t> {
    pub fn new(text: &'t str) -> Builder<'t> {
        Builder {
            text,
            stack: Vec::new(),
            anchors: FxHashMap::default(),
            nodes_left: node_budget(text.len()),
            root: None,
            documents: 0,
        }
    }

    /// The tree; an empty stream is null.
    pub fn finish(self) -> Node<'t> {
        self.root.unwrap_or(Node {
            span: 0..0,
            value: Value::Null,
        })
    }

    /// An error found only at the end of the file (an unclosed bracket) is best shown where
    /// the collection still open began.
    pub fn locate(&self, mut error: SyntaxError) -> SyntaxError {
        let open = self.stack.last().map(|frame| match frame {
            Frame::Sequence { start, .. } | Frame::Mapping { start, .. } => *start,
        });
        if let Some(start) = open
            && error.offset >= self.text.trim_end().len()
        {
            error.offset = start;
            error.message.push_str(" before the end of the file");
        }
        error
    }

    /// A collection is located by its first character: its bracket, or its first key.
    fn first_char(&self, start: usize) -> std::ops::Range<usize> {
        let width = self.text[start.min(self.text.len())..]
            .chars()
            .next()
            .map_or(0, char::len_utf8);
        start..start + width
    }

    fn spend(&mut self, nodes: usize, offset: usize) -> Result<(), SyntaxError> {
        self.nodes_left = self.nodes_left.checked_sub(nodes).ok_or_else(|| {
            let budget = node_budget(self.text.len());
            if budget == MAX_VALUES {
                error(
                    format!(
                        "the file holds more than {MAX_VALUES} values (aliases expanded), the \
                         limit for one file; split it"
                    ),
                    offset,
                )
            } else {
                error(
                    format!(
                        "the file expands to too many values (aliases expanded): more than \
                         {budget}, the limit for a file of its size"
                    ),
                    offset,
                )
            }
        })?;
        Ok(())
    }

    pub fn event(&mut self, event: Event<'t>, start: usize, end: usize) -> Result<(), SyntaxError> {
        match event {
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => Ok(()),
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(error(
                        "a declaration file holds one YAML document; this is a second one",
                        start,
                    ));
                }
                Ok(())
            }
            Event::Alias(anchor) => {
                let Some((node, size)) = self.anchors.get(&anchor) else {
                    return Err(error("alias to an unknown anchor", start));
                };
                let (mut node, size) = (node.clone(), *size);
                self.spend(size, start)?;
                // An alias is located where it is used, which is where a finding should point:
                // every value in the copy, since a finding points at one of them.
                relocate(&mut node, &(start..end));
                self.push(node)
            }
            Event::Scalar(text, style, anchor, tag) => {
                self.spend(1, start)?;
                let value = typed_scalar(text, style, tag.as_deref(), start)?;
                let node = Node {
                    span: start..end,
                    value,
                };
                if anchor != 0 {
                    self.anchors.insert(anchor, (node.clone(), 1));
                }
                self.push(node)
            }
            Event::SequenceStart(anchor, tag) => {
                reject_tag(tag.as_deref(), "seq", start)?;
                self.open(start)?;
                self.stack.push(Frame::Sequence {
                    start,
                    anchor,
                    items: Vec::new(),
                });
                Ok(())
            }
            Event::MappingStart(anchor, tag) => {
                reject_tag(tag.as_deref(), "map", start)?;
                self.open(start)?;
                self.stack.push(Frame::Mapping {
                    start,
                    anchor,
                    entries: Vec::new(),
                    key: None,
                    seen: None,
                });
                Ok(())
            }
            Event::SequenceEnd | Event::MappingEnd => self.close(start),
        }
    }

    fn open(&mut self, offset: usize) -> Result<(), SyntaxError> {
        self.spend(1, offset)?;
        if self.stack.len() >= MAX_DEPTH {
            return Err(error(
                format!("nesting deeper than {MAX_DEPTH} levels"),
                offset,
            ));
        }
        Ok(())
    }

    fn close(&mut self, offset: usize) -> Result<(), SyntaxError> {
        let (node, anchor) = match self.stack.pop() {
            Some(Frame::Sequence {
                start,
                anchor,
                items,
            }) => (
                Node {
                    span: self.first_char(start),
                    value: Value::Seq(items),
                },
                anchor,
            ),
            Some(Frame::Mapping {
                start,
                anchor,
                entries,
                ..
            }) => (
                Node {
                    span: self.first_char(start),
                    value: Value::Map(entries),
                },
                anchor,
            ),
            None => return Err(error("unbalanced end of a collection", offset)),
        };
        if anchor != 0 {
            let size = node_count(&node);
            self.anchors.insert(anchor, (node.clone(), size));
        }
        self.push(node)
    }

    /// Places a finished node in its parent: an item, a key, or a value.
    fn push(&mut self, node: Node<'t>) -> Result<(), SyntaxError> {
        match self.stack.last_mut() {
            None => {
                self.root = Some(node);
                Ok(())
            }
            Some(Frame::Sequence { items, .. }) => {
                items.push(node);
                Ok(())
            }
            Some(Frame::Mapping {
                entries, key, seen, ..
            }) => match key.take() {
                None => {
                    if !matches!(node.value, Value::Seq(_) | Value::Map(_)) {
                        // Small mappings compare in place, allocating nothing; only large
                        // ones pay for a set of key texts.
                        let duplicate = match seen {
                            Some(seen) => key_text(&node).is_some_and(|text| !seen.insert(text)),
                            None => entries
                                .iter()
                                .any(|(existing, _)| existing.value == node.value),
                        };
                        if duplicate {
                            return Err(error(
                                format!("duplicate mapping key: {}", shown_key(&node)),
                                node.span.start,
                            ));
                        }
                        if seen.is_none() && entries.len() >= LINEAR_KEY_CHECK {
                            let mut set: FxHashSet<String> =
                                entries.iter().filter_map(|(k, _)| key_text(k)).collect();
                            set.extend(key_text(&node));
                            *seen = Some(set);
                        }
                    }
                    *key = Some(node);
                    Ok(())
                }
                Some(finished_key) => {
                    entries.push((finished_key, node));
                    Ok(())
                }
            },
        }
    }
}

/// A scalar key as a set entry, its type included: `1` and `"1"` are different keys.
/// `None` for a collection used as a key, which is not checked.
fn key_text(node: &Node) -> Option<String> {
    match &node.value {
        Value::Seq(_) | Value::Map(_) => None,
        Value::Str(text) => Some(format!("s{text}")),
        other => Some(format!("{other:?}")),
    }
}

/// A key as the message shows it.
fn shown_key(node: &Node) -> String {
    match &node.value {
        Value::Str(text) => text.to_string(),
        Value::Int(value) => value.to_string(),
        Value::Bool(value) => value.to_string(),
        other => format!("{other:?}"),
    }
}

/// Gives `node` and every value inside it the span `span`.
fn relocate(node: &mut Node<'_>, span: &std::ops::Range<usize>) {
    node.span = span.clone();
    match &mut node.value {
        Value::Seq(items) => items.iter_mut().for_each(|item| relocate(item, span)),
        Value::Map(entries) => {
            for (key, value) in entries {
                relocate(key, span);
                relocate(value, span);
            }
        }
        _ => {}
    }
}

fn node_count(node: &Node) -> usize {
    1 + match &node.value {
        Value::Seq(items) => items.iter().map(node_count).sum(),
        Value::Map(entries) => entries
            .iter()
            .map(|(k, v)| node_count(k) + node_count(v))
            .sum(),
        _ => 0,
    }
}

const CORE: &str = "tag:yaml.org,2002:";

/// Collections may carry only the core schema's own tags.
fn reject_tag(tag: Option<&Tag>, kind: &str, offset: usize) -> Result<(), SyntaxError> {
    match tag {
        None => Ok(()),
        Some(tag) if tag.handle == CORE && tag.suffix == kind => Ok(()),
        Some(tag) if tag.handle == "!" && tag.suffix.is_empty() => Ok(()),
        Some(tag) => Err(unsupported_tag(tag, offset)),
    }
}

fn unsupported_tag(tag: &Tag, offset: usize) -> SyntaxError {
    let shown = if tag.handle == CORE {
        format!("!!{}", tag.suffix)
    } else {
        format!("{}{}", tag.handle, tag.suffix)
    };
    error(
        format!("unsupported YAML tag `{shown}`: a plan is plain data"),
        offset,
    )
}

/// A scalar's value: quoted and block scalars are strings; plain ones follow the YAML 1.2
/// core schema (null, booleans, integers in decimal, 0o octal and 0x hex, floats).
fn typed_scalar<'t>(
    text: Cow<'t, str>,
    style: ScalarStyle,
    tag: Option<&Tag>,
    offset: usize,
) -> Result<Value<'t>, SyntaxError> {
    match tag {
        None => {}
        // The non-specific tag `!` makes a plain scalar a string.
        Some(tag) if tag.handle == "!" && tag.suffix.is_empty() => return Ok(Value::Str(text)),
        Some(tag) if tag.handle == CORE => {
            return match tag.suffix.as_str() {
                "str" => Ok(Value::Str(text)),
                "null" => Ok(Value::Null),
                "bool" | "int" | "float" => Ok(core_schema(text)),
                _ => Err(unsupported_tag(tag, offset)),
            };
        }
        Some(tag) => return Err(unsupported_tag(tag, offset)),
    }
    if style != ScalarStyle::Plain {
        return Ok(Value::Str(text));
    }
    Ok(core_schema(text))
}

fn core_schema(text: Cow<'_, str>) -> Value<'_> {
    match text.as_ref() {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    if let Some(value) = integer(&text) {
        return value;
    }
    if is_float(&text)
        && let Ok(value) = text.parse::<f64>()
    {
        return Value::Float(value);
    }
    Value::Str(text)
}

fn integer(text: &str) -> Option<Value<'static>> {
    let (digits, radix) = if let Some(octal) = text.strip_prefix("0o") {
        (octal, 8)
    } else if let Some(hex) = text.strip_prefix("0x") {
        (hex, 16)
    } else {
        let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
        if unsigned.is_empty() || !unsigned.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        return Some(match text.parse::<i128>() {
            Ok(value) => Value::Int(value),
            Err(_) => Value::Float(text.parse().unwrap_or(f64::INFINITY)),
        });
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    Some(match i128::from_str_radix(digits, radix) {
        Ok(value) => Value::Int(value),
        Err(_) => Value::Float(f64::INFINITY),
    })
}

/// `[-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`
fn is_float(text: &str) -> bool {
    let bytes = text.strip_prefix(['-', '+']).unwrap_or(text).as_bytes();
    let mut i = 0;
    let whole = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    i += whole;
    let mut fraction = 0;
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        fraction = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        i += fraction;
    }
    if whole == 0 && fraction == 0 {
        return false;
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let exponent = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        if exponent == 0 {
            return false;
        }
        i += exponent;
    }
    i == bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_grows_with_the_file_up_to_the_limit() {
        assert_eq!(node_budget(10), 1_000_000);
        assert_eq!(node_budget(3_000_000), 6_000_000);
        assert_eq!(node_budget(200 * 1024 * 1024), MAX_VALUES);
    }

    #[test]
    fn a_file_over_the_limit_is_told_to_split() {
        // A file large enough for the budget to reach its cap.
        let large = " ".repeat(MAX_VALUES / 2);
        let mut builder = Builder::new(&large);
        builder.nodes_left = 2;
        let error = builder.spend(3, 7).unwrap_err();
        assert_eq!(error.offset, 7);
        assert!(
            error.message.contains("more than 16777216 values"),
            "{}",
            error.message
        );
        assert!(error.message.contains("split it"), "{}", error.message);

        let mut builder = Builder::new("[1, 2, 3]");
        builder.nodes_left = 2;
        let error = builder.spend(3, 7).unwrap_err();
        assert!(
            error
                .message
                .contains("more than 1000000, the limit for a file of its size"),
            "{}",
            error.message
        );
    }
}
