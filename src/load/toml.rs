//! The TOML parser, behind one function.

use serde::{Deserialize, Deserializer};
use toml::Spanned;

use super::tree::{Node, Shape, SpannedNode, SyntaxError};

struct TomlNode(Spanned<Shape<TomlNode>>);

impl<'de> Deserialize<'de> for TomlNode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Spanned::deserialize(deserializer).map(TomlNode)
    }
}

impl SpannedNode<'_> for TomlNode {
    fn into_node(self) -> Node {
        let span = self.0.span();
        Node {
            span,
            value: self.0.into_inner().0,
        }
    }
}

pub fn parse(text: &str) -> Result<Node, SyntaxError> {
    match toml::from_str::<TomlNode>(text) {
        Ok(node) => Ok(node.into_node()),
        Err(error) => Err(SyntaxError {
            message: error.message().trim_end().to_owned(),
            offset: error.span().map_or(0, |span| span.start),
        }),
    }
}
