//! Inline suppressions: a comment `ipam-lint: allow(RULE, ...)` on the line of a finding's
//! primary location, or on the line directly above it.

use std::collections::HashMap;

use crate::source::SourceFile;

const MARKER: &str = "ipam-lint: allow(";

/// The rules allowed on each 1-based line of one file.
#[derive(Debug, Default)]
pub struct Suppressions {
    by_line: HashMap<usize, Vec<String>>,
}

impl Suppressions {
    pub fn of(file: &SourceFile) -> Suppressions {
        let mut by_line = HashMap::new();
        if !file.text.contains(MARKER) {
            return Suppressions { by_line };
        }
        for (index, line) in file.text.lines().enumerate() {
            let Some(comment) = line.find('#').map(|at| &line[at..]) else {
                continue;
            };
            let Some(start) = comment.find(MARKER) else {
                continue;
            };
            let list = &comment[start + MARKER.len()..];
            let Some(end) = list.find(')') else {
                continue;
            };
            let rules = list[..end]
                .split(',')
                .map(|rule| rule.trim().to_owned())
                .filter(|rule| !rule.is_empty())
                .collect();
            by_line.insert(index + 1, rules);
        }
        Suppressions { by_line }
    }

    pub fn allows(&self, line: usize, rule: &str) -> bool {
        let on = |line: usize| {
            self.by_line
                .get(&line)
                .is_some_and(|rules| rules.iter().any(|r| r == rule))
        };
        on(line) || (line > 1 && on(line - 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_on_the_line_and_the_line_above() {
        let file = SourceFile::new(
            "a.yaml".into(),
            "# ipam-lint: allow(duplicate-subnet, gateway-in-pool)\na: 1\nb: 2 # ipam-lint: allow(duplicate-name)\nc: 3\nd: 4\n".into(),
        );
        let s = Suppressions::of(&file);
        assert!(s.allows(1, "duplicate-subnet"));
        assert!(s.allows(2, "gateway-in-pool"));
        assert!(!s.allows(2, "duplicate-name"));
        assert!(s.allows(3, "duplicate-name"));
        assert!(s.allows(4, "duplicate-name"));
        assert!(!s.allows(5, "duplicate-name"));
    }
}
