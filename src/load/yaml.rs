//! The YAML parser, behind one function. serde-saphyr bounds alias expansion and nesting.

use serde::{Deserialize, Deserializer};
use serde_saphyr::Budget;
use serde_saphyr::{Options, Spanned};

use super::tree::{Node, Shape, SpannedNode, SyntaxError};

struct YamlNode(Spanned<Shape<YamlNode>>);

impl<'de> Deserialize<'de> for YamlNode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Spanned::deserialize(deserializer).map(YamlNode)
    }
}

impl SpannedNode<'_> for YamlNode {
    fn into_node(self) -> Node {
        // An alias is located where it is used, which is where a finding should point.
        let span = self.0.referenced.span();
        let start = span.byte_offset().unwrap_or(0) as usize;
        let len = span.byte_len().unwrap_or(0) as usize;
        Node {
            span: start..start + len,
            value: self.0.value.0,
        }
    }
}

pub fn parse(text: &str) -> Result<Node, SyntaxError> {
    let mut options = Options::default();
    options.with_snippet = false;
    options.budget = Some(budget_for(text.len()));
    match serde_saphyr::from_str_with_options::<YamlNode>(text, options) {
        Ok(node) => Ok(node.into_node()),
        Err(error) => {
            let offset = error.location().map_or(0, |location| {
                location.span().byte_offset().map_or_else(
                    || offset_of(text, location.line() as usize, location.column() as usize),
                    |offset| offset as usize,
                )
            });
            Err(SyntaxError {
                message: clean_message(&error.to_string()),
                offset,
            })
        }
    }
}

/// Limits that grow with the file: what a file may hold is proportional to its size, so a
/// large plan in one file is read, while alias expansion (a billion laughs) stays bounded
/// to a small multiple of the input. Depth, alias and anchor limits keep their defaults.
fn budget_for(bytes: usize) -> Budget {
    let proportional = bytes.saturating_mul(2).max(1_000_000);
    let mut budget = Budget::default();
    budget.max_events = proportional;
    budget.max_nodes = proportional;
    budget.max_total_scalar_bytes = proportional;
    budget
}

/// The byte offset of a 1-based line and character column.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    text[line_start..]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(text.len(), |(offset, _)| line_start + offset)
}

/// The parser's reason alone: its position is rendered by us, and its advice to library
/// users (which option to set) means nothing to someone editing a plan.
fn clean_message(message: &str) -> String {
    let mut reason = first_line(message);
    if let Some(advice) = reason.find(", set DuplicateKeyPolicy") {
        let rest = reason[advice..].find(" at line ").map(|at| advice + at);
        reason.replace_range(advice..rest.unwrap_or(reason.len()), "");
    }
    if let Some(at) = reason.rfind(" at line ") {
        reason.truncate(at);
    }
    reason
}

/// serde-saphyr prefixes its message with `error: line L column C: `; the position is ours to
/// render, so keep only the reason.
fn first_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or(message);
    let line = line.strip_prefix("error: ").unwrap_or(line);
    match line.split_once(": ") {
        Some((position, reason)) if position.starts_with("line ") => reason.to_owned(),
        _ => line.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_errors_that_carry_no_byte_offset() {
        let text = "subnets:\n  - { cidr: 10.0.0.0/24\n";
        let error = parse(text).unwrap_err();
        assert_eq!(error.message, "unclosed bracket '{'");
        assert_eq!(&text[error.offset..error.offset + 1], "{");
    }

    #[test]
    fn a_large_file_is_read_and_an_alias_bomb_is_not() {
        let mut large = String::from("ranges:\n");
        for i in 0..60_000 {
            large.push_str(&format!(
                "  - {{ start: 10.0.{}.{}, end: 10.0.{}.{} }}\n",
                i / 256 % 256,
                i % 256,
                i / 256 % 256,
                i % 256
            ));
        }
        assert!(
            parse(&large).is_ok(),
            "300k nodes in one file are a plan, not an attack"
        );

        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..9 {
            let refs = vec![format!("*a{}", level - 1); 10].join(", ");
            bomb.push_str(&format!("a{level}: &a{level} [{refs}]\n"));
        }
        let error = parse(&bomb).unwrap_err();
        assert!(error.message.contains("budget"), "{}", error.message);
    }

    #[test]
    fn duplicate_keys_are_syntax_errors_without_library_advice() {
        let error = parse("a: 1\na: 2\n").unwrap_err();
        assert_eq!(error.message, "duplicate mapping key: a");
        assert_eq!(error.offset, 5);
    }
}
