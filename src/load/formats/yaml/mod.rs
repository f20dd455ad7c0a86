//! The YAML reader, behind one function: YAML 1.2 events built into the spanned tree.
//!
//! Events come from [`subset`], a fast reader of the plain YAML that plans are written in,
//! and for any file it does not accept, from saphyr-parser, a full YAML 1.2 parser. Both
//! feed the same [`builder`], which adds what a loader needs beyond events: plain scalars
//! typed by the core schema, aliases expanded within a budget, a nesting limit, duplicate
//! keys and second documents refused.

mod builder;
mod subset;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError};

use crate::load::tree::{Node, SyntaxError};
use builder::{Builder, error};

pub fn parse(text: &str) -> Result<Node<'_>, SyntaxError> {
    if let Some(node) = subset::parse(text) {
        return Ok(node);
    }
    parse_any(text)
}

/// Where the fast reader accepts `text`, the full parser's tree, which must be the same;
/// `None` where the fast reader declines. For the differential fuzz target.
pub fn both_readers(text: &str) -> Option<(Node<'_>, Result<Node<'_>, SyntaxError>)> {
    subset::parse(text).map(|fast| (fast, parse_any(text)))
}

/// Reads any YAML with the full parser.
fn parse_any(text: &str) -> Result<Node<'_>, SyntaxError> {
    // A parser fault costs this file a syntax finding, never the whole run.
    std::panic::catch_unwind(|| parse_events(text)).unwrap_or_else(|_| {
        Err(error(
            "the YAML parser failed on this file (an internal fault, please report it)",
            0,
        ))
    })
}

fn parse_events(text: &str) -> Result<Node<'_>, SyntaxError> {
    let mut parser = Parser::new_from_str(text);
    let mut bytes = ByteOffsets::new(text);
    let mut builder = Builder::new(text);
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|error| builder.locate(scan_error(&error, &mut bytes)))?;
        if matches!(event, Event::StreamEnd) {
            break;
        }
        let start = bytes.of(span.start.index());
        let mut end = bytes.of(span.end.index());
        if let Event::Scalar(_, ScalarStyle::DoubleQuoted | ScalarStyle::SingleQuoted, ..) = event {
            // The parser stretches a quoted scalar over the spaces and comment after it.
            end = end.min(closing_quote(text, start));
        }
        builder.event(event, start, end)?;
    }
    Ok(builder.finish())
}

/// One past the quote that closes the quoted scalar opening at `start`: `\\` escapes in
/// double quotes, `''` in single quotes.
fn closing_quote(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let Some(&quote @ (b'"' | b'\'')) = bytes.get(start) else {
        return text.len();
    };
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == quote => return i + 1,
            _ => i += 1,
        }
    }
    text.len()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::tree::Value;

    fn value(text: &str) -> Value<'_> {
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
        fn items<'n, 't>(node: &'n Node<'t>) -> &'n [Node<'t>] {
            match &node.value {
                Value::Seq(items) => items,
                other => panic!("{other:?}"),
            }
        }
        let (anchored, aliased) = (items(&entries[0].1), items(&entries[1].1));
        assert_eq!(
            anchored.iter().map(|item| &item.value).collect::<Vec<_>>(),
            aliased.iter().map(|item| &item.value).collect::<Vec<_>>()
        );
        // The copy, and every value in it, is located at the alias.
        assert_eq!(entries[1].1.span, 16..18);
        assert!(
            aliased.iter().all(|item| item.span == (16..18)),
            "{aliased:?}"
        );
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
