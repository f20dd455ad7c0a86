//! Free space, as SPEC §10 defines it: what `free` answers and what `check`'s help suggests.
//!
//! A free prefix of length LEN in block B is an aligned prefix inside B that shares no
//! address with any subnet of B's space nor with any block strictly inside B: delegated
//! space is allocated inside the delegate, never around it. Of blocks with one CIDR only the
//! first in canonical order holds free prefixes (it is every later one's smallest
//! containing block). A free address of subnet S is one that declaring there, with its
//! type, raises no finding: see [`FreeAddresses`].

use rustc_hash::FxHashMap;

use super::ip::{Addr, Family, Prefix};
use super::kinds::AllocType;
use super::{BlockId, Indexes, Model, SpaceId, SubnetId, merged_spans};

/// A block's first and last address, and its id.
type BlockSpan = (u128, u128, BlockId);

/// Finds free prefixes, keeping per space and family what subnets and blocks occupy.
pub struct FreePrefixes<'m> {
    model: &'m Model,
    subnet_spans: FxHashMap<(SpaceId, Family), Vec<(u128, u128)>>,
    /// Per space and family, every block as (first, last, id), sorted.
    blocks: FxHashMap<(SpaceId, Family), Vec<BlockSpan>>,
}

impl<'m> FreePrefixes<'m> {
    pub fn new(model: &'m Model) -> FreePrefixes<'m> {
        FreePrefixes {
            model,
            subnet_spans: FxHashMap::default(),
            blocks: FxHashMap::default(),
        }
    }

    /// The first block of `block`'s CIDR in its space, in canonical order: the one that
    /// holds the free prefixes of them all.
    pub fn first_of_cidr(&mut self, block: BlockId) -> BlockId {
        let prefix = self.model.blocks[block].cidr.value;
        let blocks = self.blocks_of(self.model.blocks[block].common.space, prefix.family());
        let from = blocks.partition_point(|&(first, _, _)| first < prefix.first());
        blocks[from..]
            .iter()
            .take_while(|&&(first, _, _)| first == prefix.first())
            .filter(|&&(_, last, _)| last == prefix.last())
            .map(|&(_, _, id)| id)
            .min()
            .unwrap_or(block)
    }

    /// The free prefixes of length `len` in `block`, in address order: none if `len` is
    /// shorter than the block or longer than its family's addresses, and none in a block
    /// that repeats the CIDR of an earlier one.
    pub fn in_block(&mut self, block: BlockId, len: u8) -> impl Iterator<Item = Prefix> + use<> {
        let prefix = self.model.blocks[block].cidr.value;
        let occupied = if self.first_of_cidr(block) == block {
            Some(self.occupied_in(block))
        } else {
            None
        };
        occupied
            .into_iter()
            .flat_map(move |occupied| AlignedGaps::new(prefix, len, occupied))
    }

    /// The first free prefix of length `len` in `block`.
    pub fn first_in_block(&mut self, block: BlockId, len: u8) -> Option<Prefix> {
        self.in_block(block, len).next()
    }

    /// What is not free in `block`: its space's subnets and the blocks strictly inside it,
    /// as sorted, merged spans within it.
    fn occupied_in(&mut self, block: BlockId) -> Vec<(u128, u128)> {
        let model = self.model;
        let prefix = model.blocks[block].cidr.value;
        let (space, family) = (model.blocks[block].common.space, prefix.family());
        let (first, last) = (prefix.first(), prefix.last());
        let spans = self
            .subnet_spans
            .entry((space, family))
            .or_insert_with(|| model.subnet_spans(space, family));
        let from = spans.partition_point(|&(_, end)| end < first);
        let mut occupied: Vec<(u128, u128)> = spans[from..]
            .iter()
            .take_while(|&&(start, _)| start <= last)
            .map(|&(start, end)| (start.max(first), end.min(last)))
            .collect();
        let blocks = self.blocks_of(space, family);
        let from = blocks.partition_point(|&(start, _, _)| start < first);
        occupied.extend(
            blocks[from..]
                .iter()
                .take_while(|&&(start, _, _)| start <= last)
                // Inside it, not around it, and not a repeat of it.
                .filter(|&&(start, end, _)| end <= last && (start, end) != (first, last))
                .map(|&(start, end, _)| (start, end)),
        );
        merged_spans(occupied)
    }

    fn blocks_of(&mut self, space: SpaceId, family: Family) -> &[BlockSpan] {
        let model = self.model;
        self.blocks.entry((space, family)).or_insert_with(|| {
            let mut blocks: Vec<BlockSpan> = model
                .blocks
                .iter()
                .enumerate()
                .filter(|(_, b)| b.common.space == space && b.cidr.value.family() == family)
                .map(|(id, b)| (b.cidr.value.first(), b.cidr.value.last(), id))
                .collect();
            blocks.sort_unstable();
            blocks
        })
    }
}

/// The aligned prefixes of one length inside a prefix that touch none of the occupied
/// spans, in order.
struct AlignedGaps {
    family: Family,
    len: u8,
    /// The prefix's size less one: its host bits set.
    mask: u128,
    /// The next candidate's first address; `None` once past the end.
    next: Option<u128>,
    last: u128,
    occupied: Vec<(u128, u128)>,
}

impl AlignedGaps {
    fn new(within: Prefix, len: u8, occupied: Vec<(u128, u128)>) -> AlignedGaps {
        let family = within.family();
        let fits = len >= within.len && len <= family.width();
        let host_bits = u32::from(family.width().saturating_sub(len));
        let mask = if host_bits >= 128 {
            u128::MAX
        } else {
            (1u128 << host_bits) - 1
        };
        AlignedGaps {
            family,
            len,
            mask,
            next: fits.then_some(within.first()),
            last: within.last(),
            occupied,
        }
    }
}

impl Iterator for AlignedGaps {
    type Item = Prefix;

    fn next(&mut self) -> Option<Prefix> {
        loop {
            let candidate = self.next?;
            let end = candidate | self.mask;
            if end > self.last {
                self.next = None;
                return None;
            }
            let busy = self.occupied.partition_point(|&(_, last)| last < candidate);
            match self.occupied.get(busy) {
                // Skip past the busy span, to the next boundary of this size.
                Some(&(first, last)) if first <= end => {
                    self.next = last
                        .checked_add(1)
                        .and_then(|after| after.checked_add(self.mask))
                        .map(|next| next & !self.mask);
                }
                _ => {
                    self.next = end.checked_add(1);
                    let network = Addr {
                        family: self.family,
                        bits: candidate,
                    };
                    return Some(Prefix::of(network, self.len));
                }
            }
        }
    }
}

/// The free addresses of a subnet S for a type T, in order: addresses of S (not of a
/// subnet nested in it) that are no address of the space, not S's gateway, not unusable,
/// in no `reserved` range of S; and in a T range of S where a T range lies inside S, else in
/// no pool of S. Declaring one with type T then raises no finding of the pool rules.
pub struct FreeAddresses {
    family: Family,
    /// The spans that may hold free addresses, sorted and disjoint.
    allowed: Vec<(u128, u128)>,
    /// What is taken inside them, sorted and merged.
    taken: Vec<(u128, u128)>,
    at: usize,
    next: u128,
}

impl FreeAddresses {
    pub fn new(model: &Model, indexes: &Indexes, subnet: SubnetId, kind: AllocType) -> Self {
        let s = &model.subnets[subnet];
        let prefix = s.cidr.value;
        let space = s.common.space;
        let own_ranges: Vec<&super::AddrRange> = (model.ranges.iter().enumerate())
            .filter(|(id, _)| indexes.containment.range_subnet.get(*id) == Some(subnet))
            .map(|(_, range)| range)
            .collect();
        let inside = |range: &super::AddrRange| prefix.interval().contains(range.interval());
        let typed_inside =
            (model.ranges.iter()).any(|r| r.common.space == space && r.kind == kind && inside(r));
        let span = |r: &super::AddrRange| (r.interval().first, r.interval().last);
        let allowed = if typed_inside {
            merged_spans(
                own_ranges
                    .iter()
                    .filter(|r| r.kind == kind)
                    .map(|r| span(r))
                    .collect(),
            )
        } else {
            vec![(prefix.first(), prefix.last())]
        };
        let mut taken: Vec<(u128, u128)> = own_ranges
            .iter()
            .filter(|r| r.kind == AllocType::Reserved || (!typed_inside && r.kind.is_pool()))
            .map(|r| span(r))
            .collect();
        taken.extend(s.gateway.iter().map(|g| (g.value.bits, g.value.bits)));
        taken.extend(
            s.unusable()
                .into_iter()
                .flatten()
                .map(|(bits, _)| (bits, bits)),
        );
        taken.extend(
            indexes
                .addresses
                .values_in(space, prefix.interval())
                .map(|v| (v, v)),
        );
        // Addresses inside a nested subnet are that subnet's.
        taken.extend(
            (model.subnets.iter().enumerate())
                .filter(|(id, n)| *id != subnet && n.common.space == space)
                .map(|(_, n)| n.cidr.value)
                .filter(|n| prefix.contains_prefix(*n) && n.len > prefix.len)
                .map(|n| (n.first(), n.last())),
        );
        FreeAddresses {
            family: prefix.family(),
            next: allowed.first().map_or(0, |&(first, _)| first),
            allowed,
            taken: merged_spans(taken),
            at: 0,
        }
    }
}

impl Iterator for FreeAddresses {
    type Item = Addr;

    fn next(&mut self) -> Option<Addr> {
        loop {
            let &(first, last) = self.allowed.get(self.at)?;
            let candidate = self.next.max(first);
            if candidate > last {
                self.at += 1;
                continue;
            }
            let busy = self.taken.partition_point(|&(_, end)| end < candidate);
            match self.taken.get(busy) {
                Some(&(start, end)) if start <= candidate => match end.checked_add(1) {
                    Some(after) => self.next = after,
                    None => self.at = self.allowed.len(),
                },
                _ => {
                    match candidate.checked_add(1) {
                        Some(after) => self.next = after,
                        None => self.at = self.allowed.len(),
                    }
                    return Some(Addr {
                        family: self.family,
                        bits: candidate,
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use proptest::prelude::*;

    use super::*;
    use crate::build::test_plans::{model_of, plan};

    fn prefix(text: &str) -> Prefix {
        Prefix::parse(text).unwrap().prefix
    }

    #[test]
    fn aligned_gaps_skip_what_is_taken_to_the_next_boundary() {
        let gaps = |within: &str, len, taken: &[&str]| -> Vec<String> {
            let taken = taken
                .iter()
                .map(|t| (prefix(t).first(), prefix(t).last()))
                .collect();
            AlignedGaps::new(prefix(within), len, merged_spans(taken))
                .take(3)
                .map(|p| p.to_string())
                .collect()
        };
        assert_eq!(
            gaps("10.10.0.0/16", 24, &["10.10.0.0/24", "10.10.1.0/25"]),
            ["10.10.2.0/24", "10.10.3.0/24", "10.10.4.0/24"]
        );
        assert_eq!(
            gaps("10.10.0.0/16", 25, &["10.10.0.0/25"])[0],
            "10.10.0.128/25"
        );
        assert!(gaps("10.10.0.0/23", 24, &["10.10.0.0/24", "10.10.1.0/24"]).is_empty());
        assert!(gaps("10.10.0.0/24", 23, &[]).is_empty());
        assert!(gaps("10.10.0.0/24", 33, &[]).is_empty());
        assert_eq!(gaps("::/0", 0, &[]), ["::/0"]);
        assert_eq!(gaps("::/0", 1, &["::/1"]), ["8000::/1"]);
        assert_eq!(gaps("0.0.0.0/0", 1, &[]), ["0.0.0.0/1", "128.0.0.0/1"]);
        let last = gaps("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127", 128, &[]);
        assert_eq!(
            last,
            [
                "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/128",
                "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128"
            ]
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        /// Every free prefix against SPEC §10's definition, checked address by address:
        /// aligned, inside its block, its block its smallest containing one, sharing no
        /// address with a subnet or a block strictly inside; and none skipped.
        #[test]
        fn free_prefixes_are_exactly_those_of_the_definition(
            blocks in prop::collection::vec((0usize..2, 20u8..=26, 0u32..4096), 1..6),
            subnets in prop::collection::vec((0usize..2, 22u8..=30, 0u32..4096, 0u32..4096), 0..20),
            len in 20u8..=30,
        ) {
            let model = model_of(&plan(&blocks, &subnets, &[], &[]));
            let mut free = FreePrefixes::new(&model);
            for (id, block) in model.blocks.iter().enumerate() {
                let found: Vec<Prefix> = free.in_block(id, len).collect();
                let space = block.common.space;
                let mut expected = Vec::new();
                if len >= block.cidr.value.len {
                    let step = 1u128 << (32 - len);
                    let mut first = block.cidr.value.first();
                    while first <= block.cidr.value.last() {
                        let candidate = Prefix::of(Addr { family: Family::V4, bits: first }, len);
                        first += step;
                        let of_space = |p: Prefix, s: SpaceId| s == space && p.interval().intersects(candidate.interval());
                        let smallest = (0..model.blocks.len())
                            .filter(|&b| model.blocks[b].common.space == space)
                            .filter(|&b| model.blocks[b].cidr.value.contains_prefix(candidate))
                            .max_by_key(|&b| (model.blocks[b].cidr.value.len, std::cmp::Reverse(b)));
                        let inner_block = model.blocks.iter().any(|b| {
                            block.cidr.value.contains_prefix(b.cidr.value)
                                && b.cidr.value != block.cidr.value
                                && of_space(b.cidr.value, b.common.space)
                        });
                        let subnet = model.subnets.iter().any(|s| of_space(s.cidr.value, s.common.space));
                        if smallest == Some(id) && !inner_block && !subnet {
                            expected.push(candidate);
                        }
                    }
                }
                prop_assert_eq!(found, expected, "block {}", block.cidr.value);
            }
        }

        /// Every free address against its definition, checked address by address.
        #[test]
        fn free_addresses_are_exactly_those_of_the_definition(
            subnets in prop::collection::vec((0usize..2, 22u8..=32, 0u32..4096, 0u32..4096), 1..12),
            ranges in prop::collection::vec((0usize..2, 0u32..4096, 0u32..60, 0usize..4), 0..12),
            runs in prop::collection::vec((0usize..2, 0u32..4096, 1u32..40), 0..8),
            kind in 0usize..3,
        ) {
            let model = model_of(&plan(&[], &subnets, &ranges, &runs));
            let indexes = Indexes::of(&model);
            let kind = [AllocType::Static, AllocType::Dhcp, AllocType::Vip][kind];
            for (id, subnet) in model.subnets.iter().enumerate() {
                let found: Vec<u128> = FreeAddresses::new(&model, &indexes, id, kind).map(|a| a.bits).collect();
                let space = subnet.common.space;
                let declared: BTreeSet<u128> = model.addresses.iter()
                    .filter(|a| a.space == space).map(|a| a.ip(&model).bits).collect();
                let own = |r: usize| indexes.containment.range_subnet.get(r) == Some(id);
                let typed_inside = model.ranges.iter().any(|r| {
                    r.common.space == space && r.kind == kind && subnet.cidr.value.interval().contains(r.interval())
                });
                let interval = subnet.cidr.value.interval();
                let expected: Vec<u128> = (interval.first..=interval.last).filter(|&a| {
                    let held_by = |r: usize| own(r) && model.ranges[r].interval().contains_bits(Family::V4, a);
                    let in_own = |t: AllocType| (0..model.ranges.len()).any(|r| held_by(r) && model.ranges[r].kind == t);
                    let nested = model.subnets.iter().enumerate().any(|(n, other)| {
                        n != id && other.common.space == space
                            && other.cidr.value.len > subnet.cidr.value.len
                            && other.cidr.value.interval().contains_bits(Family::V4, a)
                    });
                    let pooled = if typed_inside {
                        in_own(kind)
                    } else {
                        ![AllocType::Static, AllocType::Dhcp, AllocType::Vip].into_iter().any(in_own)
                    };
                    !declared.contains(&a)
                        && subnet.gateway.as_ref().is_none_or(|g| g.value.bits != a)
                        && !subnet.unusable().into_iter().flatten().any(|(u, _)| u == a)
                        && !in_own(AllocType::Reserved)
                        && !nested
                        && pooled
                }).collect();
                prop_assert_eq!(found, expected, "subnet {}", subnet.cidr.value);
            }
        }
    }
}
