//! The declarations a change adds, removes and changes, each with its file and line.

use std::collections::BTreeMap;

use crate::model::Model;
use crate::source::Span;

use super::identity::{Kind, Matching};
use super::{Change, ChangeKind};

/// What a change is about, before its line is known.
struct Pending {
    change: ChangeKind,
    kind: Kind,
    space: String,
    value: String,
    at: Span,
}

/// The changes between `base` and `now`, ordered by file, line and kind. `base_lines` gives
/// the lines of offsets (ascending) in files of the base, by their ids, all asked at once;
/// `now_lines` the same in a file of the working tree. To be asked before either model is reordered
/// for blame, as `matching` speaks of the ids as built.
pub fn changes(
    base: &Model,
    now: &Model,
    matching: &Matching,
    base_lines: impl FnOnce(&[(u32, Vec<u32>)]) -> Result<Vec<Vec<u32>>, String>,
    now_lines: impl Fn(u32, &[u32]) -> Result<Vec<u32>, String>,
) -> Result<Vec<Change>, String> {
    let mut after = Vec::new();
    let mut before = Vec::new();
    for kind in Kind::ALL {
        let slot = kind as usize;
        let added = (matching.present[slot].iter().enumerate())
            .filter(|(_, present)| !**present)
            .map(|(id, _)| id as u32);
        for id in added {
            after.push(pending(now, kind, id, ChangeKind::Added));
        }
        for &id in &matching.changed[slot] {
            after.push(pending(now, kind, id, ChangeKind::Changed));
        }
        for &id in &matching.removed[slot] {
            before.push(pending(base, kind, id, ChangeKind::Removed));
        }
    }
    let now_lines = |requests: &[(u32, Vec<u32>)]| {
        (requests.iter())
            .map(|(file, offsets)| now_lines(*file, offsets))
            .collect()
    };
    let mut changes = placed(after, now_lines, now)?;
    changes.extend(placed(before, base_lines, base)?);
    changes.sort_by(|a, b| {
        (&a.file, a.line, a.kind, a.change, &a.value)
            .cmp(&(&b.file, b.line, b.kind, b.change, &b.value))
    });
    Ok(changes)
}

fn pending(model: &Model, kind: Kind, id: u32, change: ChangeKind) -> Pending {
    let id = id as usize;
    let (space, value, at) = match kind {
        Kind::Block => {
            let block = &model.blocks[id];
            (
                block.common.space,
                block.cidr.value.to_string(),
                block.cidr.span,
            )
        }
        Kind::Subnet => {
            let subnet = &model.subnets[id];
            (
                subnet.common.space,
                subnet.cidr.value.to_string(),
                subnet.cidr.span,
            )
        }
        Kind::Range => {
            let range = &model.ranges[id];
            let value = format!("{}-{}", range.start.value, range.end.value);
            (range.common.space, value, range.start.span)
        }
        Kind::Address => {
            let address = &model.addresses[id];
            (
                address.space,
                address.ip(model).to_string(),
                address.ip_span(),
            )
        }
    };
    Pending {
        change,
        kind,
        space: model.space_name(space).to_owned(),
        value,
        at,
    }
}

/// The changes with their lines, each file's read once.
fn placed(
    pending: Vec<Pending>,
    lines: impl FnOnce(&[(u32, Vec<u32>)]) -> Result<Vec<Vec<u32>>, String>,
    model: &Model,
) -> Result<Vec<Change>, String> {
    let mut by_file: BTreeMap<u32, Vec<Pending>> = BTreeMap::new();
    for change in pending {
        by_file.entry(change.at.file).or_default().push(change);
    }
    let by_file: Vec<(u32, Vec<Pending>)> = (by_file.into_iter())
        .map(|(file, mut changes)| {
            changes.sort_by_key(|change| change.at.start);
            (file, changes)
        })
        .collect();
    let requests: Vec<(u32, Vec<u32>)> = (by_file.iter())
        .map(|(file, changes)| (*file, changes.iter().map(|c| c.at.start).collect()))
        .collect();
    let found = lines(&requests)?;
    let mut placed = Vec::new();
    for ((file, changes), lines) in by_file.into_iter().zip(found) {
        for (change, line) in changes.into_iter().zip(lines) {
            placed.push(Change {
                change: change.change,
                kind: change.kind,
                space: change.space,
                value: change.value,
                file: model.files[file as usize].path.clone(),
                line,
            });
        }
    }
    Ok(placed)
}
