//! The TOML parser, behind one function: the `toml` crate's own spanned document (every
//! key and value with its byte span), turned into the tree. Strings borrow from the text
//! where they have no escapes.

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::load::tree::{Node, SyntaxError, Value};

/// The largest TOML file parsed. The `toml` parser holds every token of a file at once and
/// needs up to 75 bytes of memory per byte of input; this keeps one file under about 1.2 GB.
/// A plan this large is better written in YAML, or split.
pub const MAX_TOML_BYTES: usize = 16 * 1024 * 1024;

pub fn parse(text: &str) -> Result<Node<'_>, SyntaxError> {
    if text.len() > MAX_TOML_BYTES {
        return Err(SyntaxError {
            message: format!(
                "the file is {} MiB, over the limit of {} MiB for one TOML file; split it, or \
                 write it in YAML",
                text.len().div_ceil(1024 * 1024),
                MAX_TOML_BYTES / (1024 * 1024)
            ),
            offset: 0,
        });
    }
    match DeTable::parse(text) {
        Ok(table) => {
            let span = table.span();
            Ok(Node {
                span,
                value: map(table.into_inner()),
            })
        }
        Err(error) => Err(SyntaxError {
            message: error.message().trim_end().to_owned(),
            offset: error.span().map_or(0, |span| span.start),
        }),
    }
}

fn map(table: DeTable<'_>) -> Value<'_> {
    Value::Map(
        table
            .into_iter()
            .map(|(key, value)| {
                let span = key.span();
                let key = Node {
                    span,
                    value: Value::Str(key.into_inner()),
                };
                (key, node(value))
            })
            .collect(),
    )
}

fn node(value: Spanned<DeValue<'_>>) -> Node<'_> {
    let span = value.span();
    let value = match value.into_inner() {
        DeValue::String(text) => Value::Str(text),
        DeValue::Integer(integer) => i128::from_str_radix(integer.as_str(), integer.radix())
            .map_or(Value::Float(f64::INFINITY), Value::Int),
        DeValue::Float(float) => Value::Float(float.as_str().parse().unwrap_or(f64::NAN)),
        DeValue::Boolean(value) => Value::Bool(value),
        // A date or a time is a value of its own kind, never a string: a `schema` fault
        // wherever a declaration expects one.
        DeValue::Datetime(_) => Value::Datetime,
        DeValue::Array(items) => Value::Seq(items.into_iter().map(node).collect()),
        DeValue::Table(table) => map(table),
    };
    Node { span, value }
}
