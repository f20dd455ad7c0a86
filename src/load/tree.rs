//! A format-independent tree of spanned values, what both parsers produce.
//!
//! Decoding declarations from this tree, rather than deriving them from each parser, lets
//! one bad declaration be reported and skipped while the rest of the file is still read,
//! and gives YAML and TOML the same schema messages.

use std::borrow::Cow;
use std::ops::Range;

#[derive(Debug, Clone, PartialEq)]
pub struct Node<'t> {
    /// Byte range of the value in its file (quotes included; a collection may be empty-width).
    pub span: Range<usize>,
    pub value: Value<'t>,
}

/// Strings borrow from the file's text where they can; escapes and TOML make them owned.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'t> {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    /// A TOML date, time or date-time; YAML has none (its timestamps are strings).
    Datetime,
    Str(Cow<'t, str>),
    Seq(Vec<Node<'t>>),
    Map(Vec<(Node<'t>, Node<'t>)>),
}

impl Value<'_> {
    /// How a value is named in a "wrong type" message.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Datetime => "a date-time",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

/// Why a file could not be read into a tree: the `syntax` finding's message and where.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub message: String,
    pub offset: usize,
}
