//! Inline suppressions: a comment `ipam-lint: allow(RULE, ...)` on the line of a finding's
//! primary location, or on the line directly above it.
//!
//! Read from a file's text as it is loaded, and kept as byte ranges, so the text need not
//! be kept to apply them. Only comments count: the marker inside a quoted string or a block
//! scalar is a value, not a suppression, so the loader gives the spans of every value.

use std::ops::Range;

use crate::rule::Rule;

pub const MARKER: &str = "ipam-lint: allow(";

/// How a format starts a comment with `#`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommentSyntax {
    /// At the start of a line or after a space or a tab (`a#b` is a plain scalar).
    Yaml,
    /// Anywhere outside a string.
    Toml,
}

/// For each line with a suppression comment, the bytes it covers (that line and the next)
/// and the rules it allows, in the order of the lines.
#[derive(Clone, Debug, Default)]
pub struct Suppressions {
    covered: Vec<(Range<usize>, RuleSet)>,
}

/// A set of rules, one bit each.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct RuleSet(u64);

const _: () = assert!(Rule::ALL.len() <= 64, "a RuleSet holds 64 rules");

impl RuleSet {
    fn insert(&mut self, rule: Rule) {
        self.0 |= 1 << rule as u32;
    }

    fn contains(self, rule: Rule) -> bool {
        self.0 & (1 << rule as u32) != 0
    }
}

impl Suppressions {
    /// The suppressions of `text`, whose values (keys included) lie at `values`, sorted by
    /// start. Linear in the text, however many comments it holds.
    pub fn of(text: &str, syntax: CommentSyntax, values: &[Range<usize>]) -> Suppressions {
        let mut covered: Vec<(Range<usize>, RuleSet)> = Vec::new();
        // The line of the marker before, and where the comment on it starts, if it has one.
        let mut line: Option<(Range<usize>, Option<usize>)> = None;
        for (marker, _) in text.match_indices(MARKER) {
            let searched_to = match &line {
                Some((bytes, _)) if marker < bytes.end => None,
                Some((bytes, _)) => Some(bytes.end),
                None => Some(0),
            };
            // Each stretch of text is searched once: from the end of the line before.
            if let Some(from) = searched_to {
                let start = text[from..marker]
                    .rfind('\n')
                    .map_or(from, |at| from + at + 1);
                let end = text[marker..]
                    .find('\n')
                    .map_or(text.len(), |at| marker + at);
                line = Some((start..end, comment_start(text, start..end, syntax, values)));
            }
            let Some((bytes, Some(comment))) = &line else {
                continue;
            };
            if marker < *comment {
                continue;
            }
            let list = &text[marker + MARKER.len()..bytes.end];
            let Some(close) = list.find(')') else {
                continue;
            };
            let mut rules = RuleSet::default();
            for rule in list[..close]
                .split(',')
                .filter_map(|name| Rule::from_name(name.trim()))
            {
                rules.insert(rule);
            }
            // This line and the one below it.
            let below = text[bytes.end..]
                .get(1..)
                .and_then(|rest| rest.find('\n'))
                .map_or(text.len() + 1, |at| bytes.end + 1 + at + 1);
            match covered.last_mut() {
                Some((last, set)) if last.start == bytes.start => set.0 |= rules.0,
                _ => covered.push((bytes.start..below, rules)),
            }
        }
        Suppressions { covered }
    }

    /// Whether a finding of `rule` whose primary location starts at `offset` is suppressed.
    pub fn allows(&self, offset: usize, rule: Rule) -> bool {
        // At most two lines cover an offset: its own and the one above.
        let after = self
            .covered
            .partition_point(|(bytes, _)| bytes.start <= offset);
        self.covered[after.saturating_sub(2)..after]
            .iter()
            .any(|(bytes, rules)| bytes.contains(&offset) && rules.contains(rule))
    }
}

/// Where the comment on `line` starts: its first `#` that lies in no value and, in YAML,
/// starts the line or follows a space or a tab.
fn comment_start(
    text: &str,
    line: Range<usize>,
    syntax: CommentSyntax,
    values: &[Range<usize>],
) -> Option<usize> {
    let bytes = text.as_bytes();
    // Values do not overlap: only the last one to start before `at` can hold it.
    let in_value = |at: usize| {
        let index = values.partition_point(|value| value.start <= at);
        values[..index]
            .last()
            .is_some_and(|value| value.contains(&at))
    };
    text[line.clone()]
        .match_indices('#')
        .map(|(at, _)| line.start + at)
        .find(|&at| {
            let starts_comment = match syntax {
                CommentSyntax::Toml => true,
                CommentSyntax::Yaml => at == line.start || matches!(bytes[at - 1], b' ' | b'\t'),
            };
            starts_comment && !in_value(at)
        })
}

#[cfg(test)]
// A value's span is a `Range`; a list of one is what `Suppressions::of` takes.
#[allow(clippy::single_range_in_vec_init)]
mod tests {
    use super::*;

    fn lines(text: &str) -> impl Fn(usize) -> usize + '_ {
        |n| {
            text.split_inclusive('\n')
                .take(n - 1)
                .map(str::len)
                .sum::<usize>()
        }
    }

    #[test]
    fn allows_on_the_line_and_the_line_above() {
        let text = "# ipam-lint: allow(duplicate-subnet, gateway-in-pool)\na: 1\nb: 2 # ipam-lint: allow(duplicate-name)\nc: 3\nd: 4\n";
        let line = lines(text);
        let s = Suppressions::of(text, CommentSyntax::Yaml, &[]);
        assert!(s.allows(line(1), Rule::DuplicateSubnet));
        assert!(s.allows(line(2) + 3, Rule::GatewayInPool));
        assert!(!s.allows(line(2), Rule::DuplicateName));
        assert!(s.allows(line(3), Rule::DuplicateName));
        assert!(s.allows(line(4) + 3, Rule::DuplicateName));
        assert!(!s.allows(line(5), Rule::DuplicateName));
    }

    #[test]
    fn covers_the_last_line_without_a_newline() {
        let text = "a: 1 # ipam-lint: allow(schema)\nb: 2";
        let s = Suppressions::of(text, CommentSyntax::Yaml, &[]);
        assert!(s.allows(text.len() - 1, Rule::Schema));
    }

    /// The marker inside a value, quoted or not, is the value's text.
    #[test]
    fn a_marker_in_a_value_is_no_suppression() {
        let text = "name: \"# ipam-lint: allow(schema)\"\nb: 'x # ipam-lint: allow(schema)' \nc: d#ipam-lint: allow(schema)\n";
        let values: Vec<Range<usize>> = ["\"# ipam", "'x #", "d#ipam"]
            .iter()
            .map(|start| {
                let at = text.find(start).unwrap();
                at..text[at..].find('\n').unwrap() + at
            })
            .collect();
        let s = Suppressions::of(text, CommentSyntax::Yaml, &values);
        for offset in 0..text.len() {
            assert!(!s.allows(offset, Rule::Schema), "at {offset}");
        }
        // After the value, a comment counts.
        let text = "name: \"#\" # ipam-lint: allow(schema)\n";
        let s = Suppressions::of(text, CommentSyntax::Yaml, &[6..9]);
        assert!(s.allows(0, Rule::Schema));
        // In TOML a `#` needs no space before it.
        let text = "a = 1# ipam-lint: allow(schema)\n";
        assert!(Suppressions::of(text, CommentSyntax::Toml, &[4..5]).allows(0, Rule::Schema));
        assert!(!Suppressions::of(text, CommentSyntax::Yaml, &[4..5]).allows(0, Rule::Schema));
    }

    /// Every marker of a comment counts, and many on one line cost no more than their text.
    #[test]
    fn many_markers_on_one_line_all_count() {
        let mut text = String::from("a: 1 #");
        for _ in 0..10_000 {
            text.push_str(" ipam-lint: allow(schema)");
        }
        text.push_str(" ipam-lint: allow(duplicate-name)\nb: 2\n");
        let s = Suppressions::of(&text, CommentSyntax::Yaml, &[3..4]);
        assert_eq!(s.covered.len(), 1);
        assert!(s.allows(0, Rule::Schema) && s.allows(0, Rule::DuplicateName));
        assert!(s.allows(text.len() - 2, Rule::Schema));
    }
}
