//! The TOML parser, behind one function: the `toml` crate's values, each wrapped in
//! `toml::Spanned` so that every level of the tree keeps its byte span.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use toml::Spanned;

use super::tree::{Node, SyntaxError, Value};

/// The largest TOML file parsed. The `toml` parser holds every token of a file at once and
/// needs up to 75 bytes of memory per byte of input; this keeps one file under about 1.2 GB.
/// A plan this large is better written in YAML, or split.
pub const MAX_TOML_BYTES: usize = 16 * 1024 * 1024;

pub fn parse(text: &str) -> Result<Node<'static>, SyntaxError> {
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
    match toml::from_str::<Spanned<TomlValue>>(text) {
        Ok(node) => Ok(into_node(node)),
        Err(error) => Err(SyntaxError {
            message: error.message().trim_end().to_owned(),
            offset: error.span().map_or(0, |span| span.start),
        }),
    }
}

/// One value, its children already turned into spanned nodes.
struct TomlValue(Value<'static>);

fn into_node(spanned: Spanned<TomlValue>) -> Node<'static> {
    let span = spanned.span();
    Node {
        span,
        value: spanned.into_inner().0,
    }
}

impl<'de> Deserialize<'de> for TomlValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor).map(TomlValue)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value<'static>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_unit<E>(self) -> Result<Value<'static>, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value<'static>, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value<'static>, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value<'static>, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value<'static>, E> {
        Ok(Value::Int(i128::from(v)))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value<'static>, E> {
        Ok(Value::Int(i128::from(v)))
    }

    fn visit_i128<E>(self, v: i128) -> Result<Value<'static>, E> {
        Ok(Value::Int(v))
    }

    fn visit_u128<E>(self, v: u128) -> Result<Value<'static>, E> {
        Ok(i128::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value<'static>, E> {
        Ok(Value::Float(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value<'static>, E> {
        Ok(Value::Str(v.to_owned().into()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value<'static>, E> {
        Ok(Value::Str(v.into()))
    }

    fn visit_bytes<E>(self, v: &[u8]) -> Result<Value<'static>, E> {
        Ok(Value::Str(String::from_utf8_lossy(v).into_owned().into()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value<'static>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element::<Spanned<TomlValue>>()? {
            items.push(into_node(item));
        }
        Ok(Value::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value<'static>, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
        while let Some((key, value)) = map.next_entry::<Spanned<TomlValue>, Spanned<TomlValue>>()? {
            entries.push((into_node(key), into_node(value)));
        }
        Ok(Value::Map(entries))
    }
}
