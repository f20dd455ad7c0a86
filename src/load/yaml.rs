//! The YAML parser, behind one function. serde-saphyr bounds alias expansion and nesting.

use serde::{Deserialize, Deserializer};
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
    match serde_saphyr::from_str_with_options::<YamlNode>(text, options) {
        Ok(node) => Ok(node.into_node()),
        Err(error) => {
            let offset = error
                .location()
                .and_then(|location| location.span().byte_offset())
                .unwrap_or(0) as usize;
            Err(SyntaxError {
                message: first_line(&error.to_string()),
                offset,
            })
        }
    }
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
