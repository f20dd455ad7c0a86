//! How full each block, subnet and range is: its size and how much of it is used, counted
//! as `show` reports them (SPEC §9). Computed on demand: `check` needs only the ranges'.
//!
//! - A block's `used` is the number of its addresses that lie in some subnet of its space.
//! - A subnet's `size` leaves out its unusable addresses; its `used` is the number of
//!   distinct values among the addresses whose subnet it is, plus its gateway when the
//!   gateway lies inside it and no such address has the gateway's value.
//! - A range's `used` is the number of distinct addresses of its space inside it.

use std::fmt;

use super::containment::Containment;
use super::ip::{Family, Interval};
use super::{Indexes, Model, SpaceId};

/// A number of addresses, exact up to 2^128 (all of IPv6), one more than a `u128` holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Count {
    /// Exactly 2^128; `low` is then 0.
    all_of_ipv6: bool,
    low: u128,
}

impl Count {
    /// 2^128.
    pub const ALL_OF_IPV6: Count = Count {
        all_of_ipv6: true,
        low: 0,
    };

    pub const fn new(n: u128) -> Count {
        Count {
            all_of_ipv6: false,
            low: n,
        }
    }

    /// The addresses of an interval.
    pub fn of(interval: Interval) -> Count {
        match (interval.last - interval.first).checked_add(1) {
            Some(n) => Count::new(n),
            None => Count::ALL_OF_IPV6,
        }
    }

    /// The count as a `u128`, if it fits.
    pub fn get(self) -> Option<u128> {
        (!self.all_of_ipv6).then_some(self.low)
    }

    fn saturating_sub(self, n: u128) -> Count {
        match self.all_of_ipv6 {
            true if n > 0 => Count::new(u128::MAX - (n - 1)),
            true => self,
            false => Count::new(self.low.saturating_sub(n)),
        }
    }

    /// `used / size` as a fraction: 0 when the size is 0.
    pub fn ratio(used: Count, size: Count) -> f64 {
        let as_f64 = |c: Count| {
            if c.all_of_ipv6 {
                2f64.powi(128)
            } else {
                c.low as f64
            }
        };
        if size == Count::default() {
            0.0
        } else {
            as_f64(used) / as_f64(size)
        }
    }
}

impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.all_of_ipv6 {
            true => f.write_str("340282366920938463463374607431768211456"),
            false => write!(f, "{}", self.low),
        }
    }
}

/// A declaration's size and what of it is used.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Fill {
    pub size: Count,
    pub used: Count,
}

impl Fill {
    pub fn utilization(self) -> f64 {
        Count::ratio(self.used, self.size)
    }
}

/// Per block, subnet and range, by id.
#[derive(Debug)]
pub struct Usage {
    pub blocks: Vec<Fill>,
    pub subnets: Vec<Fill>,
    pub ranges: Vec<Fill>,
}

impl Usage {
    pub fn of(model: &Model, indexes: &Indexes) -> Usage {
        Usage {
            blocks: block_fills(model),
            subnets: subnet_fills(model, &indexes.containment),
            ranges: range_fills(model, indexes),
        }
    }
}

fn block_fills(model: &Model) -> Vec<Fill> {
    let mut covered: Vec<[Option<Covered>; 2]> = Vec::new();
    covered.resize_with(model.spaces.len(), || [None, None]);
    model
        .blocks
        .iter()
        .map(|block| {
            let interval = block.cidr.value.interval();
            let space = block.common.space;
            let slot = &mut covered[space as usize][interval.family as usize];
            let covered = slot.get_or_insert_with(|| Covered::of(model, space, interval.family));
            Fill {
                size: Count::of(interval),
                used: covered.inside(interval),
            }
        })
        .collect()
}

/// The addresses of one space and family that some subnet holds, as disjoint intervals in
/// order, with the count of all those before each: any interval's share costs two searches.
struct Covered {
    spans: Vec<(u128, u128)>,
    /// `before[i]`: the addresses of `spans[..i]`.
    before: Vec<Count>,
}

impl Covered {
    fn of(model: &Model, space: SpaceId, family: Family) -> Covered {
        let merged = model.subnet_spans(space, family);
        let mut before = Vec::with_capacity(merged.len() + 1);
        let mut total = Count::default();
        before.push(total);
        for &(first, last) in &merged {
            total = add(
                total,
                Count::of(Interval {
                    family,
                    first,
                    last,
                }),
            );
            before.push(total);
        }
        Covered {
            spans: merged,
            before,
        }
    }

    /// The covered addresses inside `interval`.
    fn inside(&self, interval: Interval) -> Count {
        let from = self
            .spans
            .partition_point(|&(_, last)| last < interval.first);
        let to = self
            .spans
            .partition_point(|&(first, _)| first <= interval.last);
        if from >= to {
            return Count::default();
        }
        let whole = difference(self.before[to], self.before[from]);
        // The first and last spans may stick out of the interval.
        let (first, _) = self.spans[from];
        let (_, last) = self.spans[to - 1];
        let outside = first.max(interval.first) - first + (last - last.min(interval.last));
        whole.saturating_sub(outside)
    }
}

/// The sum of counts of disjoint spans of one family, which never passes all of it.
fn add(a: Count, b: Count) -> Count {
    match (a.get(), b.get()) {
        (Some(a), Some(b)) => a.checked_add(b).map_or(Count::ALL_OF_IPV6, Count::new),
        _ => Count::ALL_OF_IPV6,
    }
}

fn difference(a: Count, b: Count) -> Count {
    match b.get() {
        Some(b) => a.saturating_sub(b),
        None => Count::default(),
    }
}

fn subnet_fills(model: &Model, containment: &Containment) -> Vec<Fill> {
    // Each address's value under the subnet whose it is: bucketed by subnet in one pass,
    // then each subnet's few values sorted, so each counts once.
    let holders = &containment.address_subnet;
    let mut starts = vec![0usize; model.subnets.len() + 1];
    for id in 0..model.addresses.len() {
        if let Some(subnet) = holders.get(id) {
            starts[subnet + 1] += 1;
        }
    }
    for s in 1..starts.len() {
        starts[s] += starts[s - 1];
    }
    let mut values = vec![0u128; starts[model.subnets.len()]];
    let mut next = starts.clone();
    for (id, address) in model.addresses.iter().enumerate() {
        if let Some(subnet) = holders.get(id) {
            values[next[subnet]] = address.ip(model).bits;
            next[subnet] += 1;
        }
    }
    let mut used = vec![0u128; model.subnets.len()];
    for (subnet, count) in used.iter_mut().enumerate() {
        let held = &mut values[starts[subnet]..starts[subnet + 1]];
        held.sort_unstable();
        *count = held.len() as u128 - held.windows(2).filter(|w| w[0] == w[1]).count() as u128;
    }
    model
        .subnets
        .iter()
        .enumerate()
        .map(|(id, subnet)| {
            let prefix = subnet.cidr.value;
            let unusable = subnet.unusable().into_iter().flatten().count() as u128;
            let held = &values[starts[id]..starts[id + 1]];
            let gateway_counts = subnet.gateway.as_ref().is_some_and(|gateway| {
                prefix.contains_addr(gateway.value)
                    && held.binary_search(&{ gateway.value.bits }).is_err()
            });
            Fill {
                size: Count::of(prefix.interval()).saturating_sub(unusable),
                used: Count::new(used[id] + u128::from(gateway_counts)),
            }
        })
        .collect()
}

fn range_fills(model: &Model, indexes: &Indexes) -> Vec<Fill> {
    let mut counter = indexes.addresses.counter();
    model
        .ranges
        .iter()
        .map(|range| {
            let interval = range.interval();
            Fill {
                size: Count::of(interval),
                used: Count::new(counter.distinct_in(range.common.space, interval)),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_exact_up_to_all_of_ipv6() {
        let all = Count::of(Interval {
            family: Family::V6,
            first: 0,
            last: u128::MAX,
        });
        assert_eq!(all.to_string(), "340282366920938463463374607431768211456");
        assert_eq!(all.get(), None);
        assert_eq!(all.saturating_sub(1).get(), Some(u128::MAX));
        assert_eq!(all.saturating_sub(2).get(), Some(u128::MAX - 1));
        assert!(all > Count::new(u128::MAX));
        assert_eq!(Count::ratio(Count::new(1), Count::new(4)), 0.25);
        assert_eq!(Count::ratio(Count::new(0), Count::new(0)), 0.0);
    }
}

#[cfg(test)]
mod plans {
    use std::collections::BTreeSet;

    use proptest::prelude::*;

    use super::*;
    use crate::build::test_plans::{model_of, plan};
    use crate::model::tree::SpaceTree;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn every_count_is_the_brute_force_count(
            blocks in prop::collection::vec((0usize..2, 20u8..=26, 0u32..4096), 0..6),
            subnets in prop::collection::vec((0usize..2, 22u8..=32, 0u32..4096, 0u32..4096), 0..20),
            ranges in prop::collection::vec((0usize..2, 0u32..4096, 0u32..40, 0usize..4), 0..10),
            runs in prop::collection::vec((0usize..2, 0u32..4096, 1u32..40), 0..12),
        ) {
            let model = model_of(&plan(&blocks, &subnets, &ranges, &runs));
            let indexes = Indexes::of(&model);
            let usage = Usage::of(&model, &indexes);
            let values = |space: SpaceId| -> BTreeSet<u128> {
                model.addresses.iter().filter(|a| a.space == space).map(|a| a.ip(&model).bits).collect()
            };
            for (id, block) in model.blocks.iter().enumerate() {
                let interval = block.cidr.value.interval();
                let used = (interval.first..=interval.last)
                    .filter(|&bits| model.subnets.iter().any(|s| {
                        s.common.space == block.common.space && s.cidr.value.interval().contains_bits(Family::V4, bits)
                    }))
                    .count() as u128;
                prop_assert_eq!(usage.blocks[id], Fill { size: Count::of(interval), used: Count::new(used) });
            }
            for (id, subnet) in model.subnets.iter().enumerate() {
                let own: BTreeSet<u128> = model.addresses.iter().enumerate()
                    .filter(|(a, _)| indexes.containment.address_subnet.get(*a) == Some(id))
                    .map(|(_, a)| a.ip(&model).bits)
                    .collect();
                let gateway = subnet.gateway.as_ref().unwrap().value;
                let with_gateway = subnet.cidr.value.contains_addr(gateway) && !own.contains(&{ gateway.bits });
                let interval = subnet.cidr.value.interval();
                let unusable = (interval.first..=interval.last)
                    .filter(|&bits| subnet.unusable().into_iter().flatten().any(|(u, _)| u == bits))
                    .count() as u128;
                prop_assert_eq!(usage.subnets[id].used, Count::new(own.len() as u128 + u128::from(with_gateway)));
                prop_assert_eq!(usage.subnets[id].size, Count::new(interval.size() - unusable));
            }
            for (id, range) in model.ranges.iter().enumerate() {
                let interval = range.interval();
                let used = values(range.common.space).range(interval.first..=interval.last).count() as u128;
                prop_assert_eq!(usage.ranges[id], Fill { size: Count::of(interval), used: Count::new(used) });
            }
        }

        #[test]
        fn the_tree_holds_every_declaration_once_under_its_holder_in_address_order(
            blocks in prop::collection::vec((0usize..2, 20u8..=26, 0u32..4096), 0..8),
            subnets in prop::collection::vec((0usize..2, 22u8..=30, 0u32..4096, 0u32..4096), 0..20),
            ranges in prop::collection::vec((0usize..2, 0u32..4096, 0u32..40, 0usize..4), 0..10),
        ) {
            let model = model_of(&plan(&blocks, &subnets, &ranges, &[]));
            let containment = &Indexes::of(&model).containment;
            let tree = SpaceTree::of(&model, containment);
            let mut seen = (vec![0; model.blocks.len()], vec![0; model.subnets.len()], vec![0; model.ranges.len()]);
            let in_order = |ids: &[usize], first: &dyn Fn(usize) -> u128| {
                ids.windows(2).all(|w| (first(w[0]), w[0]) < (first(w[1]), w[1]))
            };
            // The tree's parent of a block by its definition: the longest other block of its
            // space that contains it and is shorter, or as long and earlier; the first
            // declared among equals.
            let reference_parent = |id: usize| {
                let own = &model.blocks[id];
                (0..model.blocks.len())
                    .filter(|&p| p != id && model.blocks[p].common.space == own.common.space)
                    .filter(|&p| model.blocks[p].cidr.value.contains_prefix(own.cidr.value))
                    .filter(|&p| model.blocks[p].cidr.value.len < own.cidr.value.len || p < id)
                    .max_by_key(|&p| (model.blocks[p].cidr.value.len, std::cmp::Reverse(p)))
            };
            let block_first = |id: usize| model.blocks[id].cidr.value.first();
            let subnet_first = |id: usize| model.subnets[id].cidr.value.first();
            let range_first = |id: usize| model.ranges[id].interval().first;
            for space in 0..model.spaces.len() as SpaceId {
                prop_assert!(in_order(tree.top_blocks(space), &block_first));
                prop_assert!(in_order(tree.subnets_outside_blocks(space), &subnet_first));
                prop_assert!(in_order(tree.ranges_outside_subnets(space), &range_first));
                for &block in tree.top_blocks(space) {
                    prop_assert_eq!(reference_parent(block), None);
                    prop_assert_eq!(model.blocks[block].common.space, space);
                    seen.0[block] += 1;
                }
                for &subnet in tree.subnets_outside_blocks(space) {
                    prop_assert_eq!(containment.subnet_block.get(subnet), None);
                    seen.1[subnet] += 1;
                }
                for &range in tree.ranges_outside_subnets(space) {
                    prop_assert_eq!(containment.range_subnet.get(range), None);
                    seen.2[range] += 1;
                }
            }
            for block in 0..model.blocks.len() {
                prop_assert!(in_order(tree.child_blocks(block), &block_first));
                prop_assert!(in_order(tree.subnets_of_block(block), &subnet_first));
                for &child in tree.child_blocks(block) {
                    prop_assert_eq!(reference_parent(child), Some(block));
                    seen.0[child] += 1;
                }
                for &subnet in tree.subnets_of_block(block) {
                    prop_assert_eq!(containment.subnet_block.get(subnet), Some(block));
                    seen.1[subnet] += 1;
                }
            }
            for subnet in 0..model.subnets.len() {
                prop_assert!(in_order(tree.ranges_of_subnet(subnet), &range_first));
                for &range in tree.ranges_of_subnet(subnet) {
                    prop_assert_eq!(containment.range_subnet.get(range), Some(subnet));
                    seen.2[range] += 1;
                }
            }
            prop_assert!(seen.0.iter().chain(&seen.1).chain(&seen.2).all(|&n| n == 1));
            // Every block is reached from the top: the parents make a tree, not a circle.
            let mut reached = 0;
            let mut stack: Vec<usize> = (0..model.spaces.len() as SpaceId)
                .flat_map(|space| tree.top_blocks(space).to_vec())
                .collect();
            while let Some(block) = stack.pop() {
                reached += 1;
                stack.extend(tree.child_blocks(block));
            }
            prop_assert_eq!(reached, model.blocks.len());
        }
    }
}
