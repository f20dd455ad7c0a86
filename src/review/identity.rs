//! The same declaration at the base and in the working tree (SPEC §11): same file, kind,
//! space and value. Both sides are reduced to sortable entries and merged, so a million
//! addresses cost two sorts, not a million look-ups of text.

use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap, FxHasher};

use crate::model::{Common, Model};

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
            let (mut before, mut after) = rayon::join(
                || entries(base, kind, &ids),
                || entries(now, kind, &Translation::identity()),
            );
            before.sort_unstable();
            after.sort_unstable();
            let slot = kind as usize;
            matching.present[slot] = vec![false; count(now, kind)];
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

fn entries(model: &Model, kind: Kind, ids: &Translation) -> Vec<Entry> {
    let entry = |file: u32, space: u32, family, first, second, attributes, id: usize| Entry {
        file: ids.file(file),
        space: ids.space(space),
        family,
        first,
        second,
        attributes,
        id: id as u32,
    };
    let scope = |common: &Common| -> &str { model.scope(common.scope).as_str() };
    match kind {
        Kind::Block => (model.blocks.iter().enumerate())
            .map(|(id, b)| {
                let (network, len) = (b.cidr.value.network, b.cidr.value.len);
                let attributes = hash(&(name_of(&b.common), scope(&b.common)));
                let file = b.cidr.span.file;
                entry(
                    file,
                    b.common.space,
                    network.family as u8,
                    network.bits,
                    len.into(),
                    attributes,
                    id,
                )
            })
            .collect(),
        Kind::Subnet => (model.subnets.iter().enumerate())
            .map(|(id, s)| {
                let (network, len) = (s.cidr.value.network, s.cidr.value.len);
                let attributes = hash(&(
                    name_of(&s.common),
                    scope(&s.common),
                    s.site.as_deref(),
                    s.vlan.as_ref().map(|v| v.value),
                    s.vsid.as_ref().map(|v| v.value),
                    s.gateway.as_ref().map(|g| g.value.bits),
                ));
                let file = s.cidr.span.file;
                entry(
                    file,
                    s.common.space,
                    network.family as u8,
                    network.bits,
                    len.into(),
                    attributes,
                    id,
                )
            })
            .collect(),
        Kind::Range => (model.ranges.iter().enumerate())
            .map(|(id, r)| {
                let attributes = hash(&(name_of(&r.common), scope(&r.common), r.kind.as_str()));
                let (start, end) = (r.start.value, r.end.value);
                let file = r.start.span.file;
                entry(
                    file,
                    r.common.space,
                    start.family as u8,
                    start.bits,
                    end.bits,
                    attributes,
                    id,
                )
            })
            .collect(),
        Kind::Address => (model.addresses.iter().enumerate())
            .map(|(id, a)| {
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
                    id,
                )
            })
            .collect(),
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
