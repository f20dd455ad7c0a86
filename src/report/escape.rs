//! Text from a plan made safe to show. A name, a file name or a source line may hold any
//! character; those that a terminal, a log viewer or a reader's eye would not show as
//! themselves (control characters, which a terminal obeys, and invisible or direction
//! changing format characters, which make text read other than it is) are written as
//! escapes, `\u{1b}`, so that what is shown is what is there.

use std::borrow::Cow;

/// Whether `c` is shown as itself.
pub fn is_shown(c: char) -> bool {
    !(c.is_control() || is_invisible_format(c))
}

/// Format characters that change how the text around them reads without being seen: soft
/// hyphen, bidirectional marks, embeddings, overrides and isolates, zero-width characters,
/// line and paragraph separators, the byte order mark, interlinear annotations and tags.
fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{E0000}'..='\u{E007F}'
    )
}

/// Appends the escape that stands for `c`: `\t`, `\n`, `\r`, else `\u{HEX}`.
pub fn push_escape(out: &mut String, c: char) {
    match c {
        '\t' => out.push_str("\\t"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        _ => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
    }
}

/// `text` with every character that is not shown as itself escaped, line breaks included: one
/// line of text, as a name or a message is.
pub fn visible(text: &str) -> Cow<'_, str> {
    escaped_except(text, |_| false)
}

/// As [`visible`], but line breaks stay: a message of several lines for standard error.
pub fn visible_lines(text: &str) -> Cow<'_, str> {
    escaped_except(text, |c| c == '\n')
}

fn escaped_except(text: &str, kept: impl Fn(char) -> bool) -> Cow<'_, str> {
    if text.chars().all(|c| is_shown(c) || kept(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_shown(c) || kept(c) {
            out.push(c);
        } else {
            push_escape(&mut out, c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_invisible_format_characters_are_escaped() {
        assert_eq!(visible("plain é 日本"), "plain é 日本");
        assert!(matches!(visible("plain"), Cow::Borrowed(_)));
        assert_eq!(visible("\u{1b}[31mred\u{7}"), "\\u{1b}[31mred\\u{7}");
        assert_eq!(visible("a\tb\r\nc"), "a\\tb\\r\\nc");
        assert_eq!(visible("\u{85}\u{9b}\u{7f}"), "\\u{85}\\u{9b}\\u{7f}");
        assert_eq!(visible("ab\u{202e}dc\u{2066}"), "ab\\u{202e}dc\\u{2066}");
        assert_eq!(
            visible("zero\u{200b}width\u{feff}"),
            "zero\\u{200b}width\\u{feff}"
        );
        assert_eq!(visible_lines("one\ntwo\u{1b}"), "one\ntwo\\u{1b}");
    }

    /// Every character is either shown or escaped into shown characters only.
    #[test]
    fn an_escaped_text_is_all_shown() {
        let every: String = (0..0x11_0000u32).filter_map(char::from_u32).collect();
        assert!(visible(&every).chars().all(is_shown));
    }
}
