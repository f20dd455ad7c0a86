//! A fast reader for the plain YAML that plans are written in: block mappings and
//! sequences, one-line flow collections, plain and simple quoted scalars, comments.
//!
//! A full YAML parser decodes and copies every character; this reader borrows each scalar
//! from the text and runs several times faster, which matters on plans of millions of
//! lines. It accepts only text whose meaning in YAML 1.2 it knows for certain, and gives up
//! on anything else (tabs, anchors, tags, multi-line scalars, escapes, non-ASCII text, any
//! error), so the caller reads that file with the full parser instead. Where it accepts a
//! file, the events and spans it produces are those the full parser produces; the tests
//! compare the two readers on generated and hand-written YAML.

use std::borrow::Cow;

use saphyr_parser::{Event, ScalarStyle};

use super::builder::{Builder, MAX_DEPTH};
use crate::load::tree::Node;

/// The tree of `text`, or `None` when the text is not in the subset or is faulty: the full
/// parser then reads it and reports any fault in its own words.
pub fn parse(text: &str) -> Option<Node<'_>> {
    if !text
        .bytes()
        .all(|b| b == b'\n' || (b' '..=b'~').contains(&b))
    {
        return None;
    }
    let mut reader = Reader {
        text: text.as_bytes(),
        source: text,
        pos: 0,
        depth: 0,
        builder: Builder::new(text),
    };
    reader.document().ok()?;
    Some(reader.builder.finish())
}

/// The text is outside the subset (or faulty): read it with the full parser.
struct GiveUp;

type Step<T = ()> = Result<T, GiveUp>;

struct Reader<'t> {
    text: &'t [u8],
    source: &'t str,
    pos: usize,
    depth: usize,
    builder: Builder<'t>,
}

/// Where a scalar stands: flow context ends plain scalars at `,`, `]` and `}` too.
#[derive(Clone, Copy, PartialEq)]
enum Context {
    Block,
    Flow,
}

/// The first content line at or after a position: its start and its indentation.
struct Line {
    start: usize,
    indent: usize,
}

fn is_plain_start(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'.' | b'/' | b'~' | b'+')
}

/// Characters a plain scalar may hold after its first, in any context, that never start
/// a YAML indicator inside it. `:` is handled by the caller, `,` only in block context.
fn is_plain_inner(byte: u8) -> bool {
    is_plain_start(byte) || matches!(byte, b'-' | b'@' | b'=' | b'(' | b')')
}

fn is_key_char(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'-')
}

impl<'t> Reader<'t> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.pos).copied()
    }

    fn at(&self, pos: usize) -> Option<u8> {
        self.text.get(pos).copied()
    }

    fn emit(&mut self, event: Event<'t>, start: usize, end: usize) -> Step {
        // A builder fault (a duplicate key, too deep) is reported by the full parser's run.
        self.builder.event(event, start, end).map_err(|_| GiveUp)
    }

    fn scalar(&mut self, start: usize, end: usize, style: ScalarStyle) -> Step {
        let (from, to) = match style {
            ScalarStyle::Plain => (start, end),
            _ => (start + 1, end - 1),
        };
        let text = Cow::Borrowed(&self.source[from..to]);
        self.emit(Event::Scalar(text, style, 0, None), start, end)
    }

    fn enter(&mut self) -> Step {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(GiveUp);
        }
        Ok(())
    }

    fn column(&self, pos: usize) -> usize {
        pos - self.text[..pos]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |newline| newline + 1)
    }

    /// The start of the line after the one holding `pos` (the end of the text on the last).
    fn next_line(&self, pos: usize) -> usize {
        self.text[pos..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(self.text.len(), |end| pos + end + 1)
    }

    /// Skips blank and comment-only lines from the start of a line.
    fn content_line(&self, mut start: usize) -> Option<Line> {
        while start < self.text.len() {
            let indent = self.text[start..]
                .iter()
                .take_while(|&&b| b == b' ')
                .count();
            match self.at(start + indent) {
                None => return None,
                Some(b'\n') => start += indent + 1,
                Some(b'#') => start = self.next_line(start),
                Some(_) => return Some(Line { start, indent }),
            }
        }
        None
    }

    /// After a value: spaces, an optional comment, then the end of the line.
    fn end_of_line(&mut self) -> Step {
        let spaces = self.skip_spaces();
        match self.peek() {
            None => Ok(()),
            Some(b'\n') => {
                self.pos += 1;
                Ok(())
            }
            Some(b'#') if spaces > 0 => {
                self.pos = self.next_line(self.pos);
                Ok(())
            }
            _ => Err(GiveUp),
        }
    }

    fn skip_spaces(&mut self) -> usize {
        let spaces = self.text[self.pos..]
            .iter()
            .take_while(|&&b| b == b' ')
            .count();
        self.pos += spaces;
        spaces
    }

    fn document(&mut self) -> Step {
        let Some(line) = self.content_line(0) else {
            return Ok(());
        };
        if line.indent != 0 {
            return Err(GiveUp);
        }
        self.pos = line.start;
        self.emit(Event::DocumentStart(false), line.start, line.start)?;
        if self.sequence_item_at(self.pos) {
            self.block_sequence(0, false)?;
        } else if self.key_end().is_some() {
            self.block_mapping(0)?;
        } else {
            return Err(GiveUp);
        }
        // Nothing may follow the root collection but blank lines and comments.
        match self.content_line(self.pos) {
            None => Ok(()),
            Some(_) => Err(GiveUp),
        }
    }

    /// Where the key at the current position ends, if a block or flow mapping key stands
    /// here: word characters, then `:` followed by a space or the end of the line.
    fn key_end(&self) -> Option<usize> {
        let first = self.peek()?;
        if !(first.is_ascii_alphanumeric() || first == b'_') {
            return None;
        }
        let length = self.text[self.pos..]
            .iter()
            .take_while(|&&b| is_key_char(b))
            .count();
        let end = self.pos + length;
        (self.at(end) == Some(b':') && matches!(self.at(end + 1), None | Some(b' ' | b'\n')))
            .then_some(end)
    }

    /// A block mapping whose keys stand at `column`; the current position is its first key.
    fn block_mapping(&mut self, column: usize) -> Step {
        self.enter()?;
        self.emit(Event::MappingStart(0, None), self.pos, self.pos)?;
        loop {
            let key_end = self.key_end().ok_or(GiveUp)?;
            self.scalar(self.pos, key_end, ScalarStyle::Plain)?;
            let colon = key_end;
            self.pos = colon + 1;
            self.skip_spaces();
            match self.peek() {
                None | Some(b'\n' | b'#') => {
                    self.end_of_line()?;
                    self.nested_value(column, colon)?;
                }
                Some(_) => {
                    self.inline_value(Context::Block)?;
                    self.end_of_line()?;
                }
            }
            match self.content_line(self.pos) {
                Some(line) if line.indent == column => self.pos = line.start + line.indent,
                Some(line) if line.indent > column => return Err(GiveUp),
                _ => break,
            }
        }
        self.emit(Event::MappingEnd, self.pos, self.pos)?;
        self.depth -= 1;
        Ok(())
    }

    /// The value of a key with nothing after its colon: what the next lines hold, or null.
    fn nested_value(&mut self, column: usize, colon: usize) -> Step {
        let Some(line) = self.content_line(self.pos) else {
            return self.scalar(colon, colon, ScalarStyle::Plain);
        };
        let content = line.start + line.indent;
        if line.indent < column || (line.indent == column && !self.sequence_item_at(content)) {
            return self.scalar(colon, colon, ScalarStyle::Plain);
        }
        self.pos = content;
        if self.sequence_item_at(content) {
            // A sequence at the key's own column is "indentless", as YAML allows.
            self.block_sequence(line.indent, line.indent == column)
        } else if line.indent > column && self.key_end().is_some() {
            self.block_mapping(line.indent)
        } else {
            Err(GiveUp)
        }
    }

    fn sequence_item_at(&self, pos: usize) -> bool {
        self.at(pos) == Some(b'-') && self.at(pos + 1) == Some(b' ')
    }

    /// A block sequence whose dashes stand at `column`; the current position is its first
    /// dash. An indentless sequence starts where its first item does, as the full parser
    /// reports it.
    fn block_sequence(&mut self, column: usize, indentless: bool) -> Step {
        self.enter()?;
        let mut first = true;
        loop {
            let dash = self.pos;
            self.pos += 1;
            self.skip_spaces();
            if first {
                let start = if indentless { self.pos } else { dash };
                self.emit(Event::SequenceStart(0, None), start, start)?;
                first = false;
            }
            match self.peek() {
                None | Some(b'\n' | b'#' | b'-') => return Err(GiveUp),
                Some(_) if self.key_end().is_some() => {
                    let item_column = self.column(self.pos);
                    self.block_mapping(item_column)?;
                }
                Some(_) => {
                    self.inline_value(Context::Block)?;
                    self.end_of_line()?;
                }
            }
            match self.content_line(self.pos) {
                Some(line)
                    if line.indent == column && self.sequence_item_at(line.start + column) =>
                {
                    self.pos = line.start + column;
                }
                Some(line) if line.indent > column => return Err(GiveUp),
                _ => break,
            }
        }
        self.emit(Event::SequenceEnd, self.pos, self.pos)?;
        self.depth -= 1;
        Ok(())
    }

    /// A value on the current line: a flow collection or a scalar.
    fn inline_value(&mut self, context: Context) -> Step {
        match self.peek().ok_or(GiveUp)? {
            b'{' => self.flow_mapping(),
            b'[' => self.flow_sequence(),
            b'"' | b'\'' => self.quoted(),
            _ => self.plain(context),
        }
    }

    fn quoted(&mut self) -> Step {
        let start = self.pos;
        let quote = self.text[start];
        let length = self.text[start + 1..]
            .iter()
            .position(|&b| b == quote || b == b'\n' || b == b'\\')
            .ok_or(GiveUp)?;
        let close = start + 1 + length;
        // An escape, a doubled quote or a line break inside: the full parser decodes those.
        if self.text[close] != quote || self.at(close + 1) == Some(quote) {
            return Err(GiveUp);
        }
        self.pos = close + 1;
        let style = if quote == b'"' {
            ScalarStyle::DoubleQuoted
        } else {
            ScalarStyle::SingleQuoted
        };
        self.scalar(start, self.pos, style)
    }

    /// A plain scalar on one line. Spaces inside are kept, trailing ones are not; a `: `
    /// or anything that could start a YAML indicator gives up.
    fn plain(&mut self, context: Context) -> Step {
        let start = self.pos;
        let first = self.text[start];
        let next = self.at(start + 1).unwrap_or(b'\n');
        let starts_plain = is_plain_start(first)
            || (matches!(first, b'-' | b':') && (is_plain_inner(next) || next == b':'));
        if !starts_plain {
            return Err(GiveUp);
        }
        let mut end = start + 1;
        loop {
            match self.at(end) {
                Some(b) if is_plain_inner(b) => end += 1,
                Some(b':') => match self.at(end + 1) {
                    Some(b) if is_plain_inner(b) || b == b':' => end += 1,
                    _ => return Err(GiveUp),
                },
                Some(b',') if context == Context::Block => end += 1,
                Some(b' ') => {
                    let spaces = self.text[end..].iter().take_while(|&&b| b == b' ').count();
                    match self.at(end + spaces) {
                        Some(b) if is_plain_start(b) => end += spaces,
                        // `-` and the like after a space are read as the scalar's own only
                        // before another plain character: the full parser takes `a -}` in a
                        // flow collection for an error.
                        Some(b) if is_plain_inner(b) => match self.at(end + spaces + 1) {
                            Some(next) if is_plain_inner(next) => end += spaces,
                            _ => return Err(GiveUp),
                        },
                        _ => break,
                    }
                }
                _ => break,
            }
        }
        self.pos = end;
        self.scalar(start, end, ScalarStyle::Plain)
    }

    fn flow_mapping(&mut self) -> Step {
        self.flow_collection(
            Event::MappingStart(0, None),
            b'}',
            Event::MappingEnd,
            |reader| {
                let key_end = reader.key_end().ok_or(GiveUp)?;
                reader.scalar(reader.pos, key_end, ScalarStyle::Plain)?;
                reader.pos = key_end + 1;
                if reader.skip_spaces() == 0 {
                    return Err(GiveUp);
                }
                reader.inline_value(Context::Flow)
            },
        )
    }

    fn flow_sequence(&mut self) -> Step {
        self.flow_collection(
            Event::SequenceStart(0, None),
            b']',
            Event::SequenceEnd,
            |reader| reader.inline_value(Context::Flow),
        )
    }

    /// A one-line flow collection from its opening bracket: entries read by `entry`,
    /// separated by commas, up to the `close` bracket.
    fn flow_collection(
        &mut self,
        start: Event<'t>,
        close: u8,
        end: Event<'t>,
        entry: impl Fn(&mut Self) -> Step,
    ) -> Step {
        self.enter()?;
        self.emit(start, self.pos, self.pos + 1)?;
        self.pos += 1;
        self.skip_spaces();
        if self.peek() != Some(close) {
            loop {
                entry(self)?;
                self.skip_spaces();
                match self.peek() {
                    Some(b',') => {
                        self.pos += 1;
                        self.skip_spaces();
                    }
                    Some(b) if b == close => break,
                    _ => return Err(GiveUp),
                }
            }
        }
        self.emit(end, self.pos, self.pos + 1)?;
        self.pos += 1;
        self.depth -= 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::super::parse_any;
    use super::parse;

    /// Where the subset reader accepts a text, its tree is the full parser's, spans included.
    fn agrees(text: &str) -> bool {
        match parse(text) {
            None => false,
            Some(fast) => {
                assert_eq!(Ok(fast), parse_any(text), "the readers differ on {text:?}");
                true
            }
        }
    }

    #[test]
    fn reads_the_shapes_plans_are_written_in() {
        let plans = [
            "source: vmm-dc1 # managed\nscope: /corp/dc1\nsubnets:\n  - { cidr: 10.0.0.0/24, name: \"a b\", vlan: 110, gateway: 10.0.0.1 }\n  - { cidr: 2001:db8::/64, site: 'dc1 row 1', dns: [10.0.0.53, ::1] }\n",
            "addresses:\n- ip: 10.0.0.5\n  name: host-5\n  mac: \"00:15:5d:00:00:50\"\n  tags:\n  - web\n  - db\n- { ip: ::ffff:10.0.0.1 }\n",
            "# header\n\nblocks:\n    -   cidr: 10.0.0.0/8\n        description: the corp block, all of it\n\n        scope: /corp\nempty:\nnone: ~\nflag: true\nn: -1\nx: {}\ny: []\n",
            "- a\n- b c\n",
            "",
            "# only a comment\n",
        ];
        for plan in plans {
            assert!(agrees(plan), "not read by the subset reader: {plan:?}");
        }
    }

    /// Every YAML file of the repository: fixtures (faulty ones included) and examples. The
    /// bundled example plan is written in the subset throughout.
    #[test]
    fn agrees_with_the_full_parser_on_every_bundled_file() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut read = 0;
        for dir in ["fixtures", "examples"] {
            for entry in ignore::WalkBuilder::new(root.join(dir))
                .hidden(false)
                .build()
            {
                let path = entry.unwrap().into_path();
                if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                    let text = std::fs::read_to_string(&path).unwrap_or_default();
                    let accepted = agrees(&text);
                    read += usize::from(accepted);
                    if path.starts_with(root.join("examples/contoso")) {
                        assert!(
                            accepted,
                            "not read by the subset reader: {}",
                            path.display()
                        );
                    }
                }
            }
        }
        assert!(
            read > 50,
            "only {read} bundled files read by the subset reader"
        );
    }

    /// Texts on which the fuzzer (`scripts/fuzz.sh`) found the two readers differing.
    #[test]
    fn agrees_where_the_fuzzer_found_differences() {
        let found = [
            // After a space in a flow scalar, `-` before `}`: an error to the full parser.
            "ranges:\n  - { cidr: 10.10.0.0/16 -}\n",
            "a: [b -]\n",
            "a: [b -, c]\n",
        ];
        for text in found {
            agrees(text);
        }
    }

    #[test]
    fn gives_up_on_what_it_does_not_know() {
        let outside = [
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "a: |\n  text\n",
            "a: b\n  continued\n",
            "a: \"esc\\n\"\n",
            "a: 'it''s'\n",
            "a:\tb\n",
            "a: b\r\n",
            "name: é\n",
            "---\na: 1\n",
            "a: 1\n---\nb: 2\n",
            "a: 1\na: 2\n",
            "a: b: c\n",
            "a: [1, 2\n",
            "a: {b: 1, }\n",
            "a: x#y\n",
            "? a\n: b\n",
            "a: - b\n",
            "  a: 1\n",
        ];
        for text in outside {
            assert!(parse(text).is_none(), "the subset reader accepted {text:?}");
        }
    }

    fn scalar() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "10.0.0.0/8",
            "::1",
            "::ffff:10.0.0.1",
            "2001:db8::/32",
            "fe80::1%eth0",
            "-1",
            "+1",
            "0x1F",
            "0o17",
            "1e3",
            ".inf",
            "~",
            "null",
            "true",
            "False",
            "yes",
            "a b",
            "a  b",
            "a,b",
            "a:b",
            ":a",
            "-a",
            "/corp/dc1",
            "x.y_z",
            "\"q\"",
            "'q'",
            "\"a b\"",
            "''",
            "\"\"",
            "a #c",
            "a]",
            "a}",
            "@a",
            "`a",
            "%a",
            "a@b",
            "a=b",
            "(a)",
            "01",
            "-",
            ":",
            "- a",
            "a:",
            "#",
            "",
        ])
        .prop_map(str::to_owned)
    }

    fn key() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "a", "b", "cidr", "ip", "1", "true", "a-b", "x_y", "a b",
        ])
        .prop_map(str::to_owned)
    }

    #[derive(Debug, Clone)]
    enum Tree {
        Scalar(String),
        Map(Vec<(String, Tree)>),
        Seq(Vec<Tree>),
    }

    fn tree() -> impl Strategy<Value = Tree> {
        scalar()
            .prop_map(Tree::Scalar)
            .prop_recursive(4, 24, 4, |inner| {
                prop_oneof![
                    prop::collection::vec((key(), inner.clone()), 0..4).prop_map(Tree::Map),
                    prop::collection::vec(inner, 0..4).prop_map(Tree::Seq),
                ]
            })
    }

    fn flow(tree: &Tree) -> String {
        match tree {
            Tree::Scalar(text) => text.clone(),
            Tree::Map(entries) => {
                let inner: Vec<String> = entries
                    .iter()
                    .map(|(k, v)| format!("{k}: {}", flow(v)))
                    .collect();
                format!("{{ {} }}", inner.join(", "))
            }
            Tree::Seq(items) => {
                let inner: Vec<String> = items.iter().map(flow).collect();
                format!("[{}]", inner.join(", "))
            }
        }
    }

    /// Renders a tree in block style, with the given step of indentation; `flow_below`
    /// switches to flow style under that depth, `indentless` puts sequences under a key at
    /// the key's own column, `comment` adds a comment after scalars.
    fn block(tree: &Tree, indent: usize, style: (usize, usize, bool, bool), out: &mut String) {
        let (step, flow_below, indentless, comment) = style;
        let pad = " ".repeat(indent);
        let tail = if comment { " # note\n" } else { "\n" };
        match tree {
            Tree::Scalar(text) => {
                out.push_str(text);
                out.push_str(tail);
            }
            Tree::Map(entries) if !entries.is_empty() && indent / step.max(1) < flow_below => {
                for (i, (key, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push_str(&pad);
                    }
                    out.push_str(key);
                    out.push(':');
                    match value {
                        Tree::Map(e) if !e.is_empty() => {
                            out.push('\n');
                            out.push_str(&" ".repeat(indent + step));
                            block(value, indent + step, style, out);
                        }
                        Tree::Seq(items) if !items.is_empty() => {
                            out.push('\n');
                            let inner = if indentless { indent } else { indent + step };
                            out.push_str(&" ".repeat(inner));
                            block(value, inner, style, out);
                        }
                        _ => {
                            out.push(' ');
                            block(value, indent + step, style, out);
                        }
                    }
                }
            }
            Tree::Seq(items) if !items.is_empty() && indent / step.max(1) < flow_below => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(&pad);
                    }
                    out.push_str("- ");
                    block(item, indent + 2, style, out);
                }
            }
            other => {
                out.push_str(&flow(other));
                out.push_str(tail);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn agrees_with_the_full_parser_on_generated_yaml(
            tree in tree(),
            step in 1usize..4,
            flow_below in 0usize..4,
            indentless: bool,
            comment: bool,
            blank_lines: bool,
        ) {
            let mut text = String::new();
            block(&tree, 0, (step, flow_below, indentless, comment), &mut text);
            if blank_lines {
                text = text.replace('\n', "\n\n  # between\n");
            }
            agrees(&text);
        }

        #[test]
        fn agrees_with_the_full_parser_on_token_soup(
            tokens in prop::collection::vec(
                prop::sample::select(vec![
                    "a", "b", ": ", ":", "- ", "-", "[", "]", "{", "}", ", ", ",", "\n", " ", "  ",
                    "#", "'", "\"", "10.0.0.1", "::1", "~", "1", "/x", "@", "?", "*", "&", "!",
                ]),
                0..40,
            )
        ) {
            agrees(&tokens.concat());
        }
    }
}
