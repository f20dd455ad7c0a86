//! Inline suppressions: a comment `ipam-lint: allow(RULE, ...)` on the line of a finding's
//! primary location, or on the line directly above it.
//!
//! Read from a file's text as it is loaded, and kept as byte ranges, so the text need not
//! be kept to apply them.

use std::ops::Range;

use crate::source::line_starts;

const MARKER: &str = "ipam-lint: allow(";

/// For each suppression comment, the bytes it covers (its line and the next) and its rules.
#[derive(Debug, Default)]
pub struct Suppressions {
    covered: Vec<(Range<usize>, Vec<String>)>,
}

impl Suppressions {
    pub fn of(text: &str) -> Suppressions {
        let mut covered = Vec::new();
        if !text.contains(MARKER) {
            return Suppressions { covered };
        }
        let line_starts = line_starts(text);
        let line_end = |index: usize| {
            line_starts
                .get(index + 1)
                .copied()
                .unwrap_or(text.len() + 1)
        };
        for (index, &start) in line_starts.iter().enumerate() {
            let line = &text[start..line_end(index).min(text.len())];
            let Some(comment) = line.find('#').map(|at| &line[at..]) else {
                continue;
            };
            let Some(marker) = comment.find(MARKER) else {
                continue;
            };
            let list = &comment[marker + MARKER.len()..];
            let Some(end) = list.find(')') else {
                continue;
            };
            let rules = list[..end]
                .split(',')
                .map(|rule| rule.trim().to_owned())
                .filter(|rule| !rule.is_empty())
                .collect();
            // This line and the one below it.
            covered.push((start..line_end(index + 1), rules));
        }
        Suppressions { covered }
    }

    /// Whether a finding of `rule` whose primary location starts at `offset` is suppressed.
    pub fn allows(&self, offset: usize, rule: &str) -> bool {
        self.covered
            .iter()
            .any(|(bytes, rules)| bytes.contains(&offset) && rules.iter().any(|r| r == rule))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_on_the_line_and_the_line_above() {
        let text = "# ipam-lint: allow(duplicate-subnet, gateway-in-pool)\na: 1\nb: 2 # ipam-lint: allow(duplicate-name)\nc: 3\nd: 4\n";
        let line = |n: usize| {
            text.split_inclusive('\n')
                .take(n - 1)
                .map(str::len)
                .sum::<usize>()
        };
        let s = Suppressions::of(text);
        assert!(s.allows(line(1), "duplicate-subnet"));
        assert!(s.allows(line(2) + 3, "gateway-in-pool"));
        assert!(!s.allows(line(2), "duplicate-name"));
        assert!(s.allows(line(3), "duplicate-name"));
        assert!(s.allows(line(4) + 3, "duplicate-name"));
        assert!(!s.allows(line(5), "duplicate-name"));
    }

    #[test]
    fn covers_the_last_line_without_a_newline() {
        let text = "a: 1 # ipam-lint: allow(schema)\nb: 2";
        let s = Suppressions::of(text);
        assert!(s.allows(text.len() - 1, "schema"));
    }
}
