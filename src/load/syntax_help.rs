//! What a parser's fault means for the common slips of hand-written YAML and TOML: a tab in
//! the indentation, a flow collection never closed, a key without its `:`, a TOML string
//! without quotes. The parser says where it gave up; this finds the character at fault,
//! which can be lines earlier, and says how to fix it. Any other fault keeps the parser's
//! own words and place.

use std::ops::Range;

use super::formats::Format;
use super::tree::SyntaxError;

/// A syntax fault as reported: where, what, how to fix it, and where the parser gave up
/// when that is elsewhere.
#[derive(Debug, PartialEq, Eq)]
pub struct Explained {
    pub at: Range<usize>,
    pub message: String,
    pub help: Option<String>,
    pub noticed_at: Option<usize>,
}

pub fn explain(format: Format, text: &str, error: &SyntaxError) -> Explained {
    let offset = error.offset.min(text.len());
    let explained = match format {
        Format::Yaml => tab(text, offset, &error.message)
            .or_else(|| unclosed_flow(text, offset, &error.message))
            .or_else(|| missing_colon(text, offset, &error.message)),
        Format::Toml => unquoted_toml_string(text, offset, &error.message),
    };
    explained.unwrap_or_else(|| Explained {
        at: offset..offset,
        message: error.message.clone(),
        help: None,
        noticed_at: None,
    })
}

/// The start of the line holding `offset`.
pub(super) fn line_start(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset]
        .iter()
        .rposition(|&byte| byte == b'\n')
        .map_or(0, |newline| newline + 1)
}

/// The end of the line holding `offset`, before its newline.
fn line_end(text: &str, offset: usize) -> usize {
    text.as_bytes()[offset..]
        .iter()
        .position(|&byte| byte == b'\n')
        .map_or(text.len(), |newline| offset + newline)
}

/// Where the parser gave up, kept only when it is on another line than the fault: beside
/// it, it says nothing more.
fn noticed(text: &str, offset: usize, at: &Range<usize>) -> Option<usize> {
    (line_start(text, offset) != line_start(text, at.start)).then_some(offset)
}

/// YAML indents with spaces only. The parser names the tab, but places the fault at the
/// value before it: the tab is the first one from the start of that line on.
fn tab(text: &str, offset: usize, message: &str) -> Option<Explained> {
    // As the YAML parser words it ("found a tab", "tabs disallowed ..."); "unprintable"
    // holds the letters too.
    if !message.contains("a tab") && !message.contains("tabs ") {
        return None;
    }
    let from = line_start(text, offset);
    let tab = from + text[from..].find('\t')?;
    let at = tab..tab + 1;
    let indenting = text[line_start(text, tab)..tab]
        .chars()
        .all(|c| c == ' ' || c == '\t');
    let message = if indenting {
        "a tab in the indentation: YAML indents with spaces only".to_owned()
    } else {
        "a tab here: YAML separates with spaces only".to_owned()
    };
    Some(Explained {
        noticed_at: noticed(text, offset, &at),
        at,
        message,
        help: Some(
            "replace the tab with spaces (most editors can insert spaces for the Tab key in \
             YAML files)"
                .to_owned(),
        ),
    })
}

/// A `[` or `{` never closed: the parser notices only at the next line that cannot belong
/// to the collection. The fault is the innermost opener still open there.
fn unclosed_flow(text: &str, offset: usize, message: &str) -> Option<Explained> {
    if !message.contains("flow sequence") && !message.contains("flow mapping") {
        return None;
    }
    let opener = open_bracket_before(text, offset)?;
    let (open, close, what) = match text.as_bytes()[opener] {
        b'[' => ('[', ']', "list"),
        _ => ('{', '}', "mapping"),
    };
    let at = opener..opener + 1;
    Some(Explained {
        noticed_at: noticed(text, offset, &at),
        at,
        message: format!(
            "this `{open}` is never closed: a {what} written inline ends with `{close}`"
        ),
        help: Some(format!(
            "add `{close}` where the {what} ends, or write it in block style, one entry a line"
        )),
    })
}

/// The innermost `[` or `{` still open at `offset` (the parser may stop at the opener
/// itself), reading from the start of the text past quoted strings and comments.
fn open_bracket_before(text: &str, offset: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let offset = (offset + 1).min(bytes.len());
    let mut open: Vec<usize> = Vec::new();
    let mut index = 0;
    while index < offset {
        match bytes[index] {
            b'[' | b'{' => open.push(index),
            b']' | b'}' => {
                open.pop();
            }
            quote @ (b'"' | b'\'') => {
                index += 1;
                while index < offset && bytes[index] != quote && bytes[index] != b'\n' {
                    index += usize::from(quote == b'"' && bytes[index] == b'\\');
                    index += 1;
                }
            }
            b'#' if index == 0 || bytes[index - 1].is_ascii_whitespace() => {
                index = line_end(text, index);
                continue;
            }
            _ => {}
        }
        index += 1;
    }
    open.pop()
}

/// `cidr 10.0.0.0/24`: a key and its value with no `:` between them is a plain string, and
/// the parser finds fault only at the next key. The fault is the space after that word.
fn missing_colon(text: &str, offset: usize, message: &str) -> Option<Explained> {
    let about_colon = message.contains("mapping values are not allowed")
        || message.contains("expect ':'")
        || message.contains("expected ':'");
    if !about_colon {
        return None;
    }
    // The line the parser stopped on, and the one before it that holds anything.
    let here = line_start(text, offset);
    let mut lines = vec![here];
    let mut start = here;
    while start > 0 {
        start = line_start(text, start - 1);
        let line = text[start..line_end(text, start)].trim();
        if !line.is_empty() && !line.starts_with('#') {
            lines.push(start);
            break;
        }
    }
    lines.into_iter().find_map(|start| {
        let line = &text[start..line_end(text, start)];
        let indent = line.len() - line.trim_start_matches([' ', '-']).len();
        let content = &line[indent..];
        if content.contains(':') {
            return None;
        }
        let key_length = content.find(' ')?;
        let key = &content[..key_length];
        let value = content[key_length..].trim();
        let is_word = !key.is_empty()
            && (key.bytes())
                .all(|byte| byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'-');
        if !is_word || value.is_empty() {
            return None;
        }
        let space = start + indent + key_length;
        let at = space..space + 1;
        Some(Explained {
            noticed_at: noticed(text, offset, &at),
            at,
            message: format!("`{key}` has no `:` after it, so it is not a key"),
            help: Some(format!("write `{key}: {value}`")),
        })
    })
}

/// `cidr = 10.0.0.0/24`: TOML has no bare strings; the parser reads a number or a word
/// and fails partway. The fault is the value, which needs quotes.
fn unquoted_toml_string(text: &str, offset: usize, message: &str) -> Option<Explained> {
    let start = line_start(text, offset);
    let line = &text[start..line_end(text, start)];
    let (key, value) = line.split_once('=')?;
    let value_start = start + key.len() + 1 + (value.len() - value.trim_start().len());
    let value = value.trim();
    let value = value.split(" #").next().unwrap_or(value).trim_end();
    let quoted = value.starts_with(['"', '\'', '[', '{']);
    let literal = value.parse::<f64>().is_ok() || matches!(value, "true" | "false");
    let string_like = message.contains("must be quoted")
        || message.starts_with("invalid float")
        || message.starts_with("invalid integer")
        || message.contains("expected nothing");
    if quoted || literal || value.is_empty() || !string_like || offset < value_start {
        return None;
    }
    let at = value_start..value_start + value.len();
    let key = key.trim();
    Some(Explained {
        noticed_at: None,
        at,
        message: format!("`{value}` is not a TOML value: a string needs quotes"),
        help: Some(format!("write `{key} = \"{value}\"`")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The explanation of the fault the parser finds in `text`, and the text at it.
    fn explained(name: &str, text: &str) -> (Explained, String) {
        let format = Format::of_name(name.as_bytes()).unwrap();
        let error = format.parse(text).unwrap_err();
        let explained = explain(format, text, &error);
        let at = text[explained.at.clone()].to_owned();
        (explained, at)
    }

    #[test]
    fn a_tab_is_found_where_it_is() {
        let (found, at) = explained("a.yaml", "subnets:\n  - cidr: 10.0.0.0/24\n  \tname: x\n");
        assert_eq!((found.at.start, at.as_str()), (33, "\t"));
        assert!(found.message.contains("indentation"), "{found:?}");
        assert!(found.noticed_at.is_some());
        let (found, _) = explained("a.yaml", "subnets:\n\t- cidr: 10.0.0.0/24\n");
        assert_eq!(found.at, 9..10);
    }

    #[test]
    fn an_unclosed_bracket_is_found_at_its_opening() {
        let text = "subnets:\n  - { name: \"a}\", cidr: 10.0.0.0/24\nranges: []\n";
        let (found, at) = explained("a.yaml", text);
        assert_eq!((found.at.start, at.as_str()), (13, "{"), "{found:?}");
        assert!(found.message.contains("never closed"));
        let (found, at) = explained("a.yaml", "subnets:\n  - cidr: [10.0.0.0/24\n");
        assert_eq!(at, "[", "{found:?}");
    }

    #[test]
    fn a_missing_colon_is_found_after_its_key() {
        let (found, at) = explained("a.yaml", "subnets:\n  - cidr 10.0.0.0/24\n    name: x\n");
        assert_eq!((found.at.start, at.as_str()), (17, " "), "{found:?}");
        assert_eq!(found.help.as_deref(), Some("write `cidr: 10.0.0.0/24`"));
        let (found, _) = explained(
            "a.yaml",
            "subnets:\n  - cidr: 10.0.0.0/24\n    name x\n    vlan: 5\n",
        );
        assert_eq!(found.help.as_deref(), Some("write `name: x`"), "{found:?}");
        let (found, _) = explained("a.yaml", "source vmm\nsubnets: []\n");
        assert_eq!(
            found.help.as_deref(),
            Some("write `source: vmm`"),
            "{found:?}"
        );
    }

    #[test]
    fn a_toml_string_without_quotes_is_the_value() {
        let (found, at) = explained("a.toml", "[[subnets]]\ncidr = 10.0.0.0/24\n");
        assert_eq!(at, "10.0.0.0/24", "{found:?}");
        assert_eq!(
            found.help.as_deref(),
            Some("write `cidr = \"10.0.0.0/24\"`")
        );
        let (_, at) = explained("a.toml", "[[subnets]]\nname = dc1-hosts # the hosts\n");
        assert_eq!(at, "dc1-hosts");
    }

    #[test]
    fn other_faults_keep_the_parsers_words() {
        let text = "a: [1, 2]]\n";
        let error = Format::Yaml.parse(text).unwrap_err();
        let found = explain(Format::Yaml, text, &error);
        assert_eq!(found.message, error.message);
        assert_eq!(found.at, error.offset..error.offset);
    }
}
