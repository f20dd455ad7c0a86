//! The change in words, for the human report and the job summary:
//! `+3 subnets, -1 subnet, 1 range changed`,
//! `block dc1: 1024 -> 1280 of 65536 used (1.6% -> 2.0%)` and
//! `1 error, 0 warnings new; 2 findings there before`.

use crate::model::usage::Count;

use super::{BlockUse, Change, ChangeKind, Kind, Review};

/// The new findings counted, and the existing ones where there are any.
pub fn findings_line(review: &Review) -> String {
    let mut line = format!(
        "{} {}, {} {} new",
        review.new_errors,
        plural(review.new_errors, "error"),
        review.new_warnings,
        plural(review.new_warnings, "warning")
    );
    let existing = review.existing();
    if existing > 0 {
        line.push_str(&format!(
            "; {existing} {} there before",
            plural(existing, "finding")
        ));
    }
    line
}

/// What the change adds, removes and changes, counted by kind; `None` when it changes no
/// declaration.
pub fn declarations_line(changes: &[Change]) -> Option<String> {
    let mut parts = Vec::new();
    for (change, sign) in [
        (ChangeKind::Added, "+"),
        (ChangeKind::Removed, "-"),
        (ChangeKind::Changed, ""),
    ] {
        for kind in Kind::ALL {
            let n = (changes.iter())
                .filter(|c| c.change == change && c.kind == kind)
                .count();
            if n == 0 {
                continue;
            }
            let noun = plural(n, kind.as_str());
            parts.push(match change {
                ChangeKind::Changed => format!("{n} {noun} changed"),
                _ => format!("{sign}{n} {noun}"),
            });
        }
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// `block dc1: 1024 -> 1280 of 65536 used (1.6% -> 2.0%)` for each block whose use changed.
pub fn block_lines(blocks: &[BlockUse]) -> Vec<String> {
    blocks
        .iter()
        .map(|block| {
            let name = block.name.as_deref().unwrap_or(&block.cidr);
            let space = if block.space == "fabric" {
                String::new()
            } else {
                format!(" in space {}", block.space)
            };
            format!(
                "block {name}{space}: {} -> {} of {} used ({} -> {})",
                block.used_before,
                block.used_after,
                block.size,
                percent(block.used_before, block.size),
                percent(block.used_after, block.size)
            )
        })
        .collect()
}

fn percent(used: Count, size: Count) -> String {
    let percent = 100.0 * Count::ratio(used, size);
    if used > Count::default() && percent < 0.1 {
        "<0.1%".to_owned()
    } else {
        format!("{percent:.1}%")
    }
}

fn plural(n: usize, word: &str) -> String {
    match (n, word) {
        (1, _) => word.to_owned(),
        (_, "address") => "addresses".to_owned(),
        _ => format!("{word}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(change: ChangeKind, kind: Kind) -> Change {
        Change {
            change,
            kind,
            space: "fabric".into(),
            value: "10.0.0.0/24".into(),
            file: "a.yaml".into(),
            line: 1,
        }
    }

    #[test]
    fn counts_each_kind_of_change() {
        let changes = [
            change(ChangeKind::Added, Kind::Subnet),
            change(ChangeKind::Added, Kind::Subnet),
            change(ChangeKind::Removed, Kind::Address),
            change(ChangeKind::Changed, Kind::Range),
        ];
        assert_eq!(
            declarations_line(&changes).unwrap(),
            "+2 subnets, -1 address, 1 range changed"
        );
        assert_eq!(declarations_line(&[]), None);
    }
}
