//! The same declaration at the base and in the working tree (SPEC §11): same file, kind,
//! space and value. Both sides are reduced to sortable entries and merged, so a million
//! addresses cost two sorts, not a million look-ups of text.

use std::hash::{Hash, Hasher};
use std::ops::Range;

use rayon::prelude::*;

use rustc_hash::{FxHashMap, FxHasher};

use crate::model::ip::Prefix;
use crate::model::{Common, Model};
use crate::source::Spanned;

/// The four kinds of declaration a change lists, in the order of the model's arenas.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Block,
    Subnet,
    Range,
    Address,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Block, Kind::Subnet, Kind::Range, Kind::Address];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Block => "block",
            Kind::Subnet => "subnet",
            Kind::Range => "range",
            Kind::Address => "address",
        }
    }
}

/// One declaration, reduced: who it is (file, space and value, in the working tree's ids),
/// a hash of its other attributes, and its id in its own model.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Entry {
    file: u32,
    space: u32,
    family: u8,
    first: u128,
    second: u128,
    attributes: u64,
    id: u32,
}

impl Entry {
    fn identity(&self) -> (u32, u32, u8, u128, u128) {
        (self.file, self.space, self.family, self.first, self.second)
    }

    /// The same declaration with the same attributes, whatever its id.
    fn same_as(&self, other: &Entry) -> bool {
        self.identity() == other.identity() && self.attributes == other.attributes
    }
}

/// How the declarations of the working tree relate to the base's.
pub struct Matching {
    /// Per kind, per id of the working tree: whether the base has the same declaration.
    pub present: [Vec<bool>; 4],
    /// Per kind: ids of the working tree whose declaration the base has with other
    /// attributes.
    pub changed: [Vec<u32>; 4],
    /// Per kind: ids of the base whose declaration the working tree does not have.
    pub removed: [Vec<u32>; 4],
}

impl Matching {
    pub fn of(base: &Model, now: &Model) -> Matching {
        let ids = Translation::of(base, now);
        let mut matching = Matching {
            present: Default::default(),
            changed: Default::default(),
            removed: Default::default(),
        };
        for kind in Kind::ALL {
            let slot = kind as usize;
            matching.present[slot] = vec![false; count(now, kind)];
            let (before, after) = unpaired(base, now, kind, &ids, &mut matching.present[slot]);
            let (mut before, mut after) = rayon::join(
                || entries(base, kind, &ids, &before),
                || entries(now, kind, &Translation::identity(), &after),
            );
            before.sort_unstable();
            after.sort_unstable();
            merge(&before, &after, |pair| match pair {
                (Some(b), Some(a)) => {
                    matching.present[slot][a.id as usize] = true;
                    if b.attributes != a.attributes {
                        matching.changed[slot].push(a.id);
                    }
                }
                (Some(b), None) => matching.removed[slot].push(b.id),
                _ => {}
            });
            matching.changed[slot].sort_unstable();
            matching.removed[slot].sort_unstable();
        }
        matching
    }
}

/// Most files of a change are untouched, and declare at both sides the same things in the
/// same order: those are paired one by one, in place, and marked present in `present`.
/// What is left, the runs of ids of the base and of the working tree in files that differ,
/// is for the sort and merge. Pairing in place gives what the merge would: every entry of
/// such a file has its equal, attributes included, on the other side.
fn unpaired(
    base: &Model,
    now: &Model,
    kind: Kind,
    ids: &Translation,
    present: &mut [bool],
) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
    let (base_runs, now_runs) = rayon::join(|| file_runs(base, kind), || file_runs(now, kind));
    let alike = |file: usize| {
        let other = ids.file(file as u32) as usize;
        let (before, after) = (base_runs[file].clone(), now_runs.get(other)?.clone());
        let same = before.len() == after.len()
            && (before.zip(after)).all(|(b, a)| {
                entry(base, kind, b, ids).same_as(&entry(now, kind, a, &Translation::identity()))
            });
        same.then_some(other)
    };
    let paired: Vec<Option<usize>> = (0..base_runs.len()).into_par_iter().map(alike).collect();
    let mut now_paired = vec![false; now_runs.len()];
    let mut before = Vec::new();
    for (file, other) in paired.into_iter().enumerate() {
        match other {
            Some(other) => {
                now_paired[other] = true;
                present[now_runs[other].clone()].fill(true);
            }
            None => before.push(base_runs[file].clone()),
        }
    }
    let after = (now_runs.into_iter().zip(now_paired))
        .filter(|(_, paired)| !paired)
        .map(|(run, _)| run)
        .collect();
    (before, after)
}

/// Per file, the ids of its declarations of `kind`: one run, as the model's lists are in
/// canonical order.
fn file_runs(model: &Model, kind: Kind) -> Vec<Range<usize>> {
    let mut runs = vec![0..0; model.files.len()];
    for id in 0..count(model, kind) {
        let run = &mut runs[file_of(model, kind, id) as usize];
        if run.start == run.end {
            *run = id..id + 1;
        } else {
            debug_assert_eq!(run.end, id, "a file's declarations are one run");
            run.end = id + 1;
        }
    }
    runs
}

/// Walks two sorted lists of entries group by group of one identity, pairing entries with
/// equal attributes first, then the rest in id order; what is left on one side is alone.
fn merge(
    before: &[Entry],
    after: &[Entry],
    mut each: impl FnMut((Option<&Entry>, Option<&Entry>)),
) {
    let (mut b, mut a) = (0, 0);
    while b < before.len() || a < after.len() {
        let key = match (before.get(b), after.get(a)) {
            (Some(x), Some(y)) => x.identity().min(y.identity()),
            (Some(x), None) => x.identity(),
            (None, Some(y)) => y.identity(),
            (None, None) => unreachable!(),
        };
        let group = |list: &[Entry], from: usize| {
            list[from..]
                .iter()
                .take_while(|e| e.identity() == key)
                .count()
        };
        let (nb, na) = (group(before, b), group(after, a));
        pair_group(&before[b..b + nb], &after[a..a + na], &mut each);
        b += nb;
        a += na;
    }
}

fn pair_group(
    before: &[Entry],
    after: &[Entry],
    each: &mut impl FnMut((Option<&Entry>, Option<&Entry>)),
) {
    if before.len() == 1 && after.len() == 1 {
        return each((Some(&before[0]), Some(&after[0])));
    }
    let mut taken_before = vec![false; before.len()];
    let mut taken_after = vec![false; after.len()];
    for (i, x) in before.iter().enumerate() {
        if let Some(j) =
            (0..after.len()).find(|&j| !taken_after[j] && after[j].attributes == x.attributes)
        {
            taken_before[i] = true;
            taken_after[j] = true;
            each((Some(x), Some(&after[j])));
        }
    }
    let rest_before = (0..before.len()).filter(|&i| !taken_before[i]);
    let mut rest_after = (0..after.len()).filter(|&j| !taken_after[j]);
    for i in rest_before {
        match rest_after.next() {
            Some(j) => each((Some(&before[i]), Some(&after[j]))),
            None => each((Some(&before[i]), None)),
        }
    }
    rest_after.for_each(|j| each((None, Some(&after[j]))));
}

/// The base's file and space ids as the working tree's: the same name, the same id. A name
/// the working tree lacks gets an id past all of its own, so it matches nothing.
struct Translation {
    files: Option<Vec<u32>>,
    spaces: Option<Vec<u32>>,
}

impl Translation {
    fn identity() -> Translation {
        Translation {
            files: None,
            spaces: None,
        }
    }

    fn of(base: &Model, now: &Model) -> Translation {
        let file_ids: FxHashMap<&str, u32> = (now.files.iter().enumerate())
            .map(|(id, file)| (file.path.as_str(), id as u32))
            .collect();
        let files = (base.files.iter().enumerate())
            .map(|(id, file)| {
                let missing = (now.files.len() + id) as u32;
                file_ids.get(file.path.as_str()).copied().unwrap_or(missing)
            })
            .collect();
        let spaces = (base.spaces.iter().enumerate())
            .map(|(id, space)| {
                let missing = (now.spaces.len() + id) as u32;
                now.space_ids
                    .get(space.name.as_str())
                    .copied()
                    .unwrap_or(missing)
            })
            .collect();
        Translation {
            files: Some(files),
            spaces: Some(spaces),
        }
    }

    fn file(&self, id: u32) -> u32 {
        self.files.as_ref().map_or(id, |files| files[id as usize])
    }

    fn space(&self, id: u32) -> u32 {
        self.spaces
            .as_ref()
            .map_or(id, |spaces| spaces[id as usize])
    }
}

fn count(model: &Model, kind: Kind) -> usize {
    match kind {
        Kind::Block => model.blocks.len(),
        Kind::Subnet => model.subnets.len(),
        Kind::Range => model.ranges.len(),
        Kind::Address => model.addresses.len(),
    }
}

/// The entries of the declarations of `kind` with the ids in `runs`.
fn entries(model: &Model, kind: Kind, ids: &Translation, runs: &[Range<usize>]) -> Vec<Entry> {
    (runs.iter().cloned().flatten())
        .map(|id| entry(model, kind, id, ids))
        .collect()
}

fn file_of(model: &Model, kind: Kind, id: usize) -> u32 {
    match kind {
        Kind::Block => model.blocks[id].cidr.span.file,
        Kind::Subnet => model.subnets[id].cidr.span.file,
        Kind::Range => model.ranges[id].start.span.file,
        Kind::Address => model.addresses[id].ip_span().file,
    }
}

/// The entry of one declaration, its file and space in `ids`' terms.
fn entry(model: &Model, kind: Kind, id: usize, ids: &Translation) -> Entry {
    let entry = |file: u32, space: u32, family, first, second, attributes| Entry {
        file: ids.file(file),
        space: ids.space(space),
        family,
        first,
        second,
        attributes,
        id: id as u32,
    };
    let scope = |common: &Common| -> &str { model.scope(common.scope).as_str() };
    // Blocks and subnets are known by their CIDR: its network and its length.
    let prefix_entry = |cidr: &Spanned<Prefix>, common: &Common, attributes| {
        let network = cidr.value.network;
        let len = cidr.value.len.into();
        let family = network.family as u8;
        entry(
            cidr.span.file,
            common.space,
            family,
            network.bits,
            len,
            attributes,
        )
    };
    match kind {
        Kind::Block => {
            let b = &model.blocks[id];
            let attributes = hash(&(name_of(&b.common), scope(&b.common)));
            prefix_entry(&b.cidr, &b.common, attributes)
        }
        Kind::Subnet => {
            let s = &model.subnets[id];
            let attributes = hash(&(
                name_of(&s.common),
                scope(&s.common),
                s.site.as_deref(),
                s.vlan.as_ref().map(|v| v.value),
                s.vsid.as_ref().map(|v| v.value),
                s.gateway.as_ref().map(|g| g.value.bits),
            ));
            prefix_entry(&s.cidr, &s.common, attributes)
        }
        Kind::Range => {
            let r = &model.ranges[id];
            let attributes = hash(&(name_of(&r.common), scope(&r.common), r.kind.as_str()));
            let (start, end) = (r.start.value, r.end.value);
            let family = start.family as u8;
            entry(
                r.start.span.file,
                r.common.space,
                family,
                start.bits,
                end.bits,
                attributes,
            )
        }
        Kind::Address => {
            let a = &model.addresses[id];
            let ip = a.ip(model);
            let name = a.name(model).map(|n| n.value);
            let attributes = hash(&(name, model.scope(a.scope).as_str(), a.kind.as_str()));
            entry(
                a.ip_span().file,
                a.space,
                ip.family as u8,
                ip.bits,
                0,
                attributes,
            )
        }
    }
}

fn name_of(common: &Common) -> Option<&str> {
    common.name.as_ref().map(|n| n.value.as_str())
}

fn hash(value: &impl Hash) -> u64 {
    let mut hasher = FxHasher::default();
    value.hash(&mut hasher);
    hasher.finish()
}
