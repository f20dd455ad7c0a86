//! Pretty JSON written a value at a time, in serde_json's layout (two spaces a level).
//!
//! serde_json escapes every string and writes every number; only the nesting is kept
//! here. That is what lets `show` render a long list of subnets on every core and write the
//! pieces in order: serde's `Serializer` writes one stream, and the only way to splice a
//! rendered piece into it, a `RawValue`, parses the piece again.

use std::io::{self, Write};

use serde::Serialize;

pub struct Pretty<W> {
    pub out: W,
    depth: usize,
    /// Whether the object or array open last has no item yet.
    empty: bool,
}

/// A newline and an indentation of up to 64 levels, written in one piece.
const NEWLINE_AND_INDENT: &[u8; 129] = &{
    let mut bytes = [b' '; 129];
    bytes[0] = b'\n';
    bytes
};

impl<W: Write> Pretty<W> {
    /// A writer whose first value starts a line already indented `depth` levels.
    pub fn at(out: W, depth: usize) -> Self {
        Pretty {
            out,
            depth,
            empty: false,
        }
    }

    pub fn depth(&self) -> usize {
        self.depth
    }

    /// Opens an object (`b"{"`) or an array (`b"["`).
    pub fn open(&mut self, bracket: &[u8]) -> io::Result<()> {
        self.out.write_all(bracket)?;
        self.depth += 1;
        self.empty = true;
        Ok(())
    }

    /// Closes what [`Pretty::open`] opened: `[]` and `{}` when nothing is inside.
    pub fn close(&mut self, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if !self.empty {
            self.new_line()?;
        }
        self.empty = false;
        self.out.write_all(bracket)
    }

    /// Starts the next item of the open array.
    pub fn item(&mut self) -> io::Result<()> {
        if !self.empty {
            self.out.write_all(b",")?;
        }
        self.empty = false;
        self.new_line()
    }

    /// An item rendered by another `Pretty` at this depth.
    pub fn rendered_item(&mut self, rendered: &[u8]) -> io::Result<()> {
        self.item()?;
        self.out.write_all(rendered)
    }

    /// Starts the next field of the open object; its value follows.
    pub fn key(&mut self, name: &str) -> io::Result<()> {
        self.item()?;
        serde_json::to_writer(&mut self.out, name)?;
        self.out.write_all(b": ")
    }

    /// A field whose value is a string, a number, `null` or an option of them.
    pub fn field(&mut self, name: &str, value: &(impl Serialize + ?Sized)) -> io::Result<()> {
        self.key(name)?;
        Ok(serde_json::to_writer(&mut self.out, value)?)
    }

    /// A field whose value is a JSON number written out already (one wider than `u128`).
    pub fn number_field(&mut self, name: &str, digits: &str) -> io::Result<()> {
        debug_assert!(digits.bytes().all(|b| b.is_ascii_digit()));
        self.key(name)?;
        self.out.write_all(digits.as_bytes())
    }

    fn new_line(&mut self) -> io::Result<()> {
        let mut spaces = 2 * self.depth;
        let widest = NEWLINE_AND_INDENT.len() - 1;
        let first = spaces.min(widest);
        self.out.write_all(&NEWLINE_AND_INDENT[..=first])?;
        spaces -= first;
        while spaces > 0 {
            let piece = spaces.min(widest);
            self.out.write_all(&NEWLINE_AND_INDENT[1..=piece])?;
            spaces -= piece;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The document `to_string_pretty` writes for `value`, written through `Pretty`.
    fn write(value: &serde_json::Value, out: &mut Pretty<Vec<u8>>) -> io::Result<()> {
        match value {
            serde_json::Value::Object(fields) => {
                out.open(b"{")?;
                for (name, field) in fields {
                    match field {
                        serde_json::Value::Object(_) | serde_json::Value::Array(_) => {
                            out.key(name)?;
                            write(field, out)?;
                        }
                        scalar => out.field(name, scalar)?,
                    }
                }
                out.close(b"}")
            }
            serde_json::Value::Array(items) => {
                out.open(b"[")?;
                for item in items {
                    // Every other item is rendered apart and spliced, as `show` does.
                    let mut apart = Pretty::at(Vec::new(), out.depth());
                    write(item, &mut apart)?;
                    out.rendered_item(&apart.out)?;
                }
                out.close(b"]")
            }
            scalar => Ok(serde_json::to_writer(&mut out.out, scalar)?),
        }
    }

    #[test]
    fn lays_out_as_serde_json_pretty_does() {
        let deep = (0..70).fold(
            serde_json::json!("leaf"),
            |inner, _| serde_json::json!([{ "k": inner }]),
        );
        let value = serde_json::json!({
            "version": 1,
            "empty_list": [],
            "empty_object": {},
            "name": "quote \" and \u{1b} escape",
            "list": [1, null, 2.5, { "a": [] }, [[]]],
            "deep": deep,
        });
        let mut out = Pretty::at(Vec::new(), 0);
        write(&value, &mut out).unwrap();
        let expected = serde_json::to_string_pretty(&value).unwrap();
        assert_eq!(String::from_utf8(out.out).unwrap(), expected);
    }
}
