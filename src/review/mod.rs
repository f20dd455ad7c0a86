//! Reviewing a change (SPEC §11): which findings are new against an earlier plan, and, with
//! `--base`, what the change does to the space (declarations added, removed and changed;
//! how full the blocks become).

pub mod blame;
pub mod changes;
pub mod identity;
pub mod summary;

use rustc_hash::FxHashMap;

use crate::finding::Finding;
use crate::model::usage::{Count, Usage};
use crate::model::{Indexes, Model};
use crate::rule::{Rule, Severity};
use crate::source::SourceFile;

pub use identity::{Kind, Matching};

/// What the review adds to a run's outcome.
#[derive(Debug, Default)]
pub struct Review {
    /// Per finding reported, in the outcome's order: whether it is new.
    pub new: Vec<bool>,
    pub new_errors: usize,
    pub new_warnings: usize,
    /// With `--base` only: the declarations the change adds, removes or changes, ordered by
    /// file, line and kind.
    pub changes: Option<Vec<Change>>,
    /// With `--base` only: the blocks whose `used` changed.
    pub blocks: Option<Vec<BlockUse>>,
}

impl Review {
    pub fn existing(&self) -> usize {
        self.new.iter().filter(|&&new| !new).count()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    // In this order at one line: a new value reads as a removal, then an addition.
    Removed,
    Added,
    Changed,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Changed => "changed",
        }
    }
}

/// One declaration added, removed or changed. `line` is in the working tree, or at the
/// base for a removal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub change: ChangeKind,
    pub kind: Kind,
    pub space: String,
    /// The CIDR, the IP, or `start-end`.
    pub value: String,
    pub file: String,
    pub line: u32,
}

/// A block whose `used` (SPEC §9) differs between the base and the working tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockUse {
    pub space: String,
    pub cidr: String,
    /// The block's name, for the human summary.
    pub name: Option<String>,
    pub size: Count,
    pub used_before: Count,
    pub used_after: Count,
}

/// A finding as an earlier report knows it: what §11 compares.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Known {
    pub rule: Rule,
    pub file: String,
    pub message: String,
}

impl Known {
    pub fn of(finding: &Finding, files: &[SourceFile]) -> Known {
        Known {
            rule: finding.rule,
            file: files[finding.primary.file as usize].path.clone(),
            message: finding.message.clone(),
        }
    }
}

/// Marks each finding new or existing against the earlier ones, as a multiset: of three
/// identical findings where the earlier plan had two, the last in canonical order is new.
pub fn split(findings: &[Finding], files: &[SourceFile], earlier: Vec<Known>) -> Review {
    let mut left: FxHashMap<Known, usize> = FxHashMap::default();
    for known in earlier {
        *left.entry(known).or_default() += 1;
    }
    let mut review = Review::default();
    for finding in findings {
        let is_new = match left.get_mut(&Known::of(finding, files)) {
            Some(count) if *count > 0 => {
                *count -= 1;
                false
            }
            _ => true,
        };
        if is_new {
            match finding.severity {
                Severity::Error => review.new_errors += 1,
                Severity::Warning => review.new_warnings += 1,
            }
        }
        review.new.push(is_new);
    }
    review
}

/// The blocks, matched by space and CIDR, whose `used` differs. A block on one side only
/// is a change of its own and is not listed here.
pub fn block_uses(
    (base, base_indexes): (&Model, &Indexes),
    (now, now_indexes): (&Model, &Indexes),
) -> Vec<BlockUse> {
    let (before, after) = rayon::join(
        || Usage::of(base, base_indexes),
        || Usage::of(now, now_indexes),
    );
    let mut earlier: FxHashMap<(&str, crate::model::ip::Prefix), Count> = FxHashMap::default();
    for (id, block) in base.blocks.iter().enumerate() {
        let key = (base.space_name(block.common.space), block.cidr.value);
        earlier.entry(key).or_insert(before.blocks[id].used);
    }
    let mut seen = rustc_hash::FxHashSet::default();
    let mut uses = Vec::new();
    for (id, block) in now.blocks.iter().enumerate() {
        let key = (now.space_name(block.common.space), block.cidr.value);
        let Some(&used_before) = earlier.get(&key) else {
            continue;
        };
        let fill = after.blocks[id];
        if seen.insert(key) && fill.used != used_before {
            uses.push(BlockUse {
                space: key.0.to_owned(),
                cidr: block.cidr.value.to_string(),
                name: block.common.name.as_ref().map(|n| n.value.to_string()),
                size: fill.size,
                used_before,
                used_after: fill.used,
            });
        }
    }
    uses
}

/// The findings of a report `check --format json` wrote, as [`split`] compares them. Any
/// other file is refused, with what is wrong with it.
pub fn known_from_report(text: &str) -> Result<Vec<Known>, String> {
    let report: serde_json::Value =
        serde_json::from_str(text).map_err(|error| format!("it is not JSON ({error})"))?;
    if report.get("version").and_then(serde_json::Value::as_u64) != Some(1) {
        return Err("it is not a report of `check --format json` (no \"version\": 1)".into());
    }
    let Some(diagnostics) = report
        .get("diagnostics")
        .and_then(serde_json::Value::as_array)
    else {
        return Err("it is not a report of `check --format json` (no \"diagnostics\")".into());
    };
    let mut known = Vec::with_capacity(diagnostics.len());
    for (index, diagnostic) in diagnostics.iter().enumerate() {
        let text = |key: &str| diagnostic.get(key).and_then(serde_json::Value::as_str);
        let (Some(rule), Some(file), Some(message)) = (text("rule"), text("file"), text("message"))
        else {
            return Err(format!(
                "diagnostic {} has no rule, file or message",
                index + 1
            ));
        };
        // A rule this version does not know can match no finding of this run.
        if let Some(rule) = Rule::from_name(rule) {
            known.push(Known {
                rule,
                file: file.to_owned(),
                message: message.to_owned(),
            });
        }
    }
    Ok(known)
}
