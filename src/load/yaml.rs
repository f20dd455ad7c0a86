//! The YAML parser, behind one function: saphyr-parser's YAML 1.2 events built into the
//! spanned tree.
//!
//! What a loader must add to an event parser lives here: plain scalars typed by the YAML 1.2
//! core schema, aliases expanded within a budget proportional to the file (a billion laughs
//! stops early), a nesting limit, duplicate keys and second documents refused.

use rustc_hash::{FxHashMap, FxHashSet};
use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Tag};

use super::tree::{Node, SyntaxError, Value};

/// Deeper than any plan needs; bounds the builder's stack however hostile the input.
pub const MAX_DEPTH: usize = 64;

/// Nodes a file may produce, aliases expanded: proportional to its size.
fn node_budget(bytes: usize) -> usize {
    bytes.saturating_mul(2).max(1_000_000)
}

pub fn parse(text: &str) -> Result<Node, SyntaxError> {
    // A parser fault costs this file a syntax finding, never the whole run.
    std::panic::catch_unwind(|| parse_events(text)).unwrap_or_else(|_| {
        Err(error(
            "the YAML parser failed on this file (an internal fault, please report it)",
            0,
        ))
    })
}

fn parse_events(text: &str) -> Result<Node, SyntaxError> {
    let mut parser = Parser::new_from_str(text);
    let mut bytes = ByteOffsets::new(text);
    let mut builder = Builder {
        text,
        stack: Vec::new(),
        anchors: FxHashMap::default(),
        nodes_left: node_budget(text.len()),
        root: None,
        documents: 0,
    };
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|error| builder.locate(scan_error(&error, &mut bytes)))?;
        if matches!(event, Event::StreamEnd) {
            break;
        }
        let start = bytes.of(span.start.index());
        let end = bytes.of(span.end.index());
        builder.event(event, start, end)?;
    }
    Ok(builder.root.unwrap_or(Node {
        span: 0..0,
        value: Value::Null,
    }))
}

fn scan_error(error: &ScanError, bytes: &mut ByteOffsets) -> SyntaxError {
    SyntaxError {
        message: error.info().to_owned(),
        offset: bytes.of(error.marker().index()),
    }
}

/// The parser counts characters; spans are bytes. Positions arrive mostly in order, so a
/// cursor walks forward (and restarts on the rare step back); ASCII needs no walking.
struct ByteOffsets<'t> {
    text: &'t str,
    ascii: bool,
    chars: usize,
    bytes: usize,
}

impl<'t> ByteOffsets<'t> {
    fn new(text: &'t str) -> ByteOffsets<'t> {
        ByteOffsets {
            text,
            ascii: text.is_ascii(),
            chars: 0,
            bytes: 0,
        }
    }

    fn of(&mut self, chars: usize) -> usize {
        if self.ascii {
            return chars.min(self.text.len());
        }
        if chars < self.chars {
            (self.chars, self.bytes) = (0, 0);
        }
        for c in self.text[self.bytes..].chars().take(chars - self.chars) {
            self.bytes += c.len_utf8();
            self.chars += 1;
        }
        self.bytes
    }
}

enum Frame {
    Sequence {
        start: usize,
        /// 0 when the collection has no anchor.
        anchor: usize,
        items: Vec<Node>,
    },
    Mapping {
        start: usize,
        anchor: usize,
        entries: Vec<(Node, Node)>,
        key: Option<Node>,
        /// Past a few entries, the keys seen, so a large mapping checks duplicates in O(1).
        seen: Option<FxHashSet<String>>,
    },
}

/// Few entries are compared one by one; more get a set.
const LINEAR_KEY_CHECK: usize = 16;

struct Builder<'t> {
    text: &'t str,
    stack: Vec<Frame>,
    /// Anchored nodes by anchor id, with their size in nodes.
    anchors: FxHashMap<usize, (Node, usize)>,
    nodes_left: usize,
    root: Option<Node>,
    documents: usize,
}

fn error(message: impl Into<String>, offset: usize) -> SyntaxError {
    SyntaxError {
        message: message.into(),
        offset,
    }
}

impl Builder<'_> {
    /// An error found only at the end of the file (an unclosed bracket) is best shown where
    /// the collection still open began.
    fn locate(&self, mut error: SyntaxError) -> SyntaxError {
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
            error(
                "the file expands to too many values (aliases expanded); limit reached",
                offset,
            )
        })?;
        Ok(())
    }

    fn event(&mut self, event: Event, start: usize, end: usize) -> Result<(), SyntaxError> {
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
                // An alias is located where it is used, which is where a finding should point.
                node.span = start..end;
                self.push(node)
            }
            Event::Scalar(text, style, anchor, tag) => {
                self.spend(1, start)?;
                let value = typed_scalar(text.into_owned(), style, tag.as_deref(), start)?;
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
    fn push(&mut self, node: Node) -> Result<(), SyntaxError> {
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
                    if let Some(text) = key_text(&node) {
                        // Small mappings compare in place; only large ones pay for a set.
                        let duplicate = match seen {
                            Some(seen) => !seen.insert(text),
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
        Value::Str(text) => text.clone(),
        Value::Int(value) => value.to_string(),
        Value::Bool(value) => value.to_string(),
        other => format!("{other:?}"),
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
fn typed_scalar(
    text: String,
    style: ScalarStyle,
    tag: Option<&Tag>,
    offset: usize,
) -> Result<Value, SyntaxError> {
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

fn core_schema(text: String) -> Value {
    match text.as_str() {
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

fn integer(text: &str) -> Option<Value> {
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

    fn value(text: &str) -> Value {
        parse(text).unwrap().value
    }

    #[test]
    fn types_plain_scalars_by_the_core_schema() {
        let Value::Map(entries) = value(
            "a: 10.0.0.1\nb: 110\nc: 0x6E\nd: 1.5\ne: ~\nf: true\ng: yes\nh: '110'\ni: 2001:db8::1\nj: 1e3\n",
        ) else {
            panic!("a mapping")
        };
        let values: Vec<&Value> = entries.iter().map(|(_, v)| &v.value).collect();
        assert_eq!(values[0], &Value::Str("10.0.0.1".into()));
        assert_eq!(values[1], &Value::Int(110));
        assert_eq!(values[2], &Value::Int(110));
        assert_eq!(values[3], &Value::Float(1.5));
        assert_eq!(values[4], &Value::Null);
        assert_eq!(values[5], &Value::Bool(true));
        assert_eq!(
            values[6],
            &Value::Str("yes".into()),
            "YAML 1.2: yes is a string"
        );
        assert_eq!(values[7], &Value::Str("110".into()));
        assert_eq!(values[8], &Value::Str("2001:db8::1".into()));
        assert_eq!(values[9], &Value::Float(1000.0));
    }

    #[test]
    fn spans_are_bytes_quotes_included() {
        let text = "name: \"é-x\"\ncidr: 10.0.0.0/8\n";
        let Value::Map(entries) = value(text) else {
            panic!()
        };
        assert_eq!(&text[entries[0].1.span.clone()], "\"é-x\"");
        assert_eq!(&text[entries[1].1.span.clone()], "10.0.0.0/8");
    }

    #[test]
    fn refuses_duplicates_second_documents_tags_and_depth() {
        assert_eq!(parse("a: 1\na: 2\n").unwrap_err().offset, 5);
        let many: String = (0..40).map(|i| format!("k{i}: 1\n")).collect::<String>() + "k7: 2\n";
        assert!(
            parse(&many)
                .unwrap_err()
                .message
                .contains("duplicate mapping key: k7")
        );
        assert!(
            parse("---\na: 1\n---\nb: 2\n")
                .unwrap_err()
                .message
                .contains("one YAML document")
        );
        assert!(
            parse("a: !!python/object x\n")
                .unwrap_err()
                .message
                .contains("!!python/object")
        );
        let deep = "[".repeat(100) + &"]".repeat(100);
        assert!(parse(&deep).unwrap_err().message.contains("nesting"));
    }

    #[test]
    fn aliases_expand_within_the_budget() {
        let Value::Map(entries) = value("a: &x [1, 2]\nb: *x\n") else {
            panic!()
        };
        assert_eq!(entries[1].1.value, entries[0].1.value);
        assert_eq!(entries[1].1.span, 16..18);
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..9 {
            let refs = vec![format!("*a{}", level - 1); 10].join(", ");
            bomb.push_str(&format!("a{level}: &a{level} [{refs}]\n"));
        }
        assert!(
            parse(&bomb)
                .unwrap_err()
                .message
                .contains("too many values")
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]

        /// Whatever the text, reading it ends in a tree or a syntax error, never a panic,
        /// and every span lies inside the text.
        #[test]
        fn never_panics_on_any_text(text in "\\PC{0,200}") {
            if let Ok(node) = parse(&text) {
                assert_spans_within(&node, text.len());
            }
        }

        #[test]
        fn never_panics_on_yaml_like_soup(
            tokens in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", ": ", "- ", "[", "]", "{", "}", ", ", "\n", "  ", "&x ", "*x", "? ", "'", "\"",
                    "#", "---\n", "...\n", "!!str ", "!t ", "|\n", ">-\n", "10.0.0.0/8", "~", "é", "\t",
                ]),
                0..60,
            )
        ) {
            let text: String = tokens.concat();
            if let Ok(node) = parse(&text) {
                assert_spans_within(&node, text.len());
            }
        }
    }

    fn assert_spans_within(node: &Node, len: usize) {
        assert!(
            node.span.start <= node.span.end && node.span.end <= len,
            "{:?} in {len}",
            node.span
        );
        match &node.value {
            Value::Seq(items) => items.iter().for_each(|item| assert_spans_within(item, len)),
            Value::Map(entries) => entries.iter().for_each(|(key, value)| {
                assert_spans_within(key, len);
                assert_spans_within(value, len);
            }),
            _ => {}
        }
    }

    #[test]
    fn a_block_scalar_may_end_the_file_without_a_newline() {
        let text = "description: |\n  a plan";
        let Value::Map(entries) = value(text) else {
            panic!()
        };
        assert_eq!(entries[0].1.value, Value::Str("a plan\n".into()));
        assert!(parse("|\n  a").is_ok());
    }

    #[test]
    fn an_empty_file_is_null() {
        assert_eq!(value(""), Value::Null);
        assert_eq!(value("# only a comment\n"), Value::Null);
    }
}
