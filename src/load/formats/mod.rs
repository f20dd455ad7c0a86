//! The input formats: which files hold declarations, and the parser of each. Every parser
//! gives the same spanned tree ([`Node`]), which the decoder reads whatever the format; a
//! new format is a variant here and a parser of its own.

pub(crate) mod toml;
pub(crate) mod yaml;

use crate::suppress::CommentSyntax;

use super::tree::{Node, SyntaxError};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Toml,
}

impl Format {
    pub const ALL: [Format; 2] = [Format::Yaml, Format::Toml];

    /// The extensions of its files, without the dot.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Format::Yaml => &["yaml", "yml"],
            Format::Toml => &["toml"],
        }
    }

    /// The format of a file, by the extension of its name. Bytes, not text: a name that is
    /// not UTF-8 still declares, and is still checked.
    pub fn of_name(name: &[u8]) -> Option<Format> {
        Format::ALL.into_iter().find(|format| {
            format.extensions().iter().any(|extension| {
                name.len() > extension.len()
                    && name.ends_with(extension.as_bytes())
                    && name[name.len() - extension.len() - 1] == b'.'
            })
        })
    }

    /// Every extension, for messages: `.yaml, .yml or .toml`.
    pub fn expected() -> String {
        let all: Vec<String> = Format::ALL
            .iter()
            .flat_map(|format| format.extensions())
            .map(|extension| format!(".{extension}"))
            .collect();
        match all.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
            None => String::new(),
        }
    }

    pub fn parse(self, text: &str) -> Result<Node<'_>, SyntaxError> {
        match self {
            Format::Yaml => yaml::parse(text),
            Format::Toml => toml::parse(text),
        }
    }

    /// How its comments start, for suppressions.
    pub fn comments(self) -> CommentSyntax {
        match self {
            Format::Yaml => CommentSyntax::Yaml,
            Format::Toml => CommentSyntax::Toml,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_format_is_known_by_its_extension() {
        assert_eq!(Format::of_name(b"plan.yaml"), Some(Format::Yaml));
        assert_eq!(Format::of_name(b"plan.yml"), Some(Format::Yaml));
        assert_eq!(Format::of_name(b"plan.toml"), Some(Format::Toml));
        assert_eq!(Format::of_name(b"\xffplan.toml"), Some(Format::Toml));
        assert_eq!(Format::of_name(b"plan.json"), None);
        assert_eq!(Format::of_name(b"notyaml"), None);
        assert_eq!(Format::expected(), ".yaml, .yml or .toml");
    }
}
