//! Who holds what: the smallest block or subnet of a declaration's space that contains it
//! (among equals, the first in canonical order). Computed once, shared by the rules.

use rayon::prelude::*;

use super::ip::{Interval, Prefix};
use super::prefix_index::PrefixIndex;
use super::{Model, SpaceId};

#[derive(Debug)]
pub struct Containment {
    /// Per space: its blocks and its subnets, by prefix.
    pub blocks_by_space: Vec<PrefixIndex>,
    pub subnets_by_space: Vec<PrefixIndex>,
    /// Per block: the smallest other block of its space that contains it.
    pub block_parent: Holders,
    /// Per subnet: the smallest block of its space that contains it.
    pub subnet_block: Holders,
    /// Per range: the smallest subnet of its space that wholly contains it.
    pub range_subnet: Holders,
    /// Per address: the smallest subnet of its space that contains it.
    pub address_subnet: Holders,
    /// Per subnet: the smallest subnet of its space that contains its gateway.
    pub gateway_subnet: Holders,
}

/// Per declaration: the id of the block or subnet holding it, if any. Four bytes each, as
/// a plan has millions of addresses.
#[derive(Debug)]
pub struct Holders(Vec<u32>);

impl Holders {
    const NONE: u32 = u32::MAX;

    pub fn get(&self, id: usize) -> Option<usize> {
        let holder = self.0[id];
        (holder != Holders::NONE).then_some(holder as usize)
    }

    fn pack(holder: Option<usize>) -> u32 {
        holder.map_or(Holders::NONE, |id| id as u32)
    }
}

impl FromIterator<Option<usize>> for Holders {
    fn from_iter<I: IntoIterator<Item = Option<usize>>>(holders: I) -> Holders {
        Holders(holders.into_iter().map(Holders::pack).collect())
    }
}

/// Addresses looked up in a row by one thread: enough to keep both threads busy, few
/// enough that each starts its run with one full lookup.
const ADDRESSES_PER_TASK: usize = 16 * 1024;

impl Containment {
    pub fn of(model: &Model) -> Containment {
        let spaces = model.spaces.len();
        let mut blocks_by_space: Vec<Vec<(usize, _)>> = vec![Vec::new(); spaces];
        for (id, block) in model.blocks.iter().enumerate() {
            blocks_by_space[block.common.space as usize].push((id, block.cidr.value));
        }
        let mut subnets_by_space: Vec<Vec<(usize, _)>> = vec![Vec::new(); spaces];
        for (id, subnet) in model.subnets.iter().enumerate() {
            subnets_by_space[subnet.common.space as usize].push((id, subnet.cidr.value));
        }
        let blocks_by_space: Vec<PrefixIndex> =
            blocks_by_space.into_iter().map(PrefixIndex::new).collect();
        let subnets_by_space: Vec<PrefixIndex> =
            subnets_by_space.into_iter().map(PrefixIndex::new).collect();

        let block_parent = model
            .blocks
            .iter()
            .enumerate()
            .map(|(id, block)| {
                let prefix = block.cidr.value;
                blocks_by_space[block.common.space as usize].smallest_containing(
                    prefix.interval(),
                    prefix.len,
                    Some(id),
                )
            })
            .collect();
        let mut blocks = HolderFinder::new(&blocks_by_space);
        let subnet_block = model
            .subnets
            .iter()
            .map(|subnet| {
                let prefix = subnet.cidr.value;
                blocks.holder(subnet.common.space, prefix.interval(), prefix.len)
            })
            .collect();
        let mut subnets = HolderFinder::new(&subnets_by_space);
        let range_subnet = model
            .ranges
            .iter()
            .map(|range| subnets.holder_of(range.common.space, range.interval()))
            .collect();
        let gateway_subnet = model
            .subnets
            .iter()
            .map(|subnet| {
                let gateway = subnet.gateway.as_ref()?;
                subnets.holder_of(subnet.common.space, Interval::of_addr(gateway.value))
            })
            .collect();
        // Last, as it is split into tasks: a thread done with other work can take some.
        let address_subnet = address_holders(model, &subnets_by_space);
        Containment {
            blocks_by_space,
            subnets_by_space,
            block_parent,
            subnet_block,
            range_subnet,
            address_subnet,
            gateway_subnet,
        }
    }
}

/// The smallest subnet of its space holding each address: the one per-address lookup, split
/// over the threads, each taking a run of neighbouring addresses.
fn address_holders(model: &Model, subnets_by_space: &[PrefixIndex]) -> Holders {
    let mut holders = vec![Holders::NONE; model.addresses.len()];
    holders
        .par_chunks_mut(ADDRESSES_PER_TASK)
        .zip(model.addresses.par_chunks(ADDRESSES_PER_TASK))
        .for_each(|(holders, addresses)| {
            let mut subnets = HolderFinder::new(subnets_by_space);
            for (holder, address) in holders.iter_mut().zip(addresses) {
                let found = subnets.holder_of(address.space, Interval::of_addr(address.ip(model)));
                *holder = Holders::pack(found);
            }
        });
    Holders(holders)
}

/// Finds the holders of spans asked one after another, as a plan lists them: a subnet's
/// hosts together, a block's subnets together. The last holder found is tried first, and
/// answers with no lookup when it holds the span and no longer prefix of its family occurs
/// in its space (then the index would find that same prefix, and its first declaration).
struct HolderFinder<'i> {
    by_space: &'i [PrefixIndex],
    last: Option<(SpaceId, Prefix, usize)>,
}

impl<'i> HolderFinder<'i> {
    fn new(by_space: &'i [PrefixIndex]) -> Self {
        HolderFinder {
            by_space,
            last: None,
        }
    }

    /// The smallest holder of `span` in `space`, at most `max_len` long.
    fn holder(&mut self, space: SpaceId, span: Interval, max_len: u8) -> Option<usize> {
        if let Some((last_space, prefix, id)) = self.last
            && last_space == space
            && prefix.len <= max_len
            && prefix.interval().contains(span)
        {
            return Some(id);
        }
        let index = &self.by_space[space as usize];
        let found = index.smallest_containing_prefix(span, max_len, None);
        self.last = found
            .filter(|&(_, prefix)| index.is_longest(prefix))
            .map(|(id, prefix)| (space, prefix, id));
        found.map(|(id, _)| id)
    }

    /// The smallest holder of `span` in `space`, of any length.
    fn holder_of(&mut self, space: SpaceId, span: Interval) -> Option<usize> {
        self.holder(space, span, span.family.width())
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use proptest::prelude::*;

    use super::*;
    use crate::build::test_plans::model_of;
    use crate::model::ip::Addr;

    /// The smallest of `holders` (id, space, prefix) in `space` that holds `span`, at most
    /// `max_len` long: the longest such prefix, the first declared among equals.
    fn reference(
        holders: &[(usize, SpaceId, Prefix)],
        space: SpaceId,
        span: Interval,
        max_len: u8,
    ) -> Option<usize> {
        holders
            .iter()
            .filter(|&&(_, s, prefix)| {
                s == space && prefix.len <= max_len && prefix.interval().contains(span)
            })
            .max_by_key(|&&(id, _, prefix)| (prefix.len, std::cmp::Reverse(id)))
            .map(|&(id, _, _)| id)
    }

    const SPACES: [&str; 2] = ["fabric", "lab"];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Spans asked in runs, as plans list them, so the last holder found is often the
        /// answer, and often not: nested and repeated prefixes, two spaces, gaps.
        #[test]
        fn every_holder_is_the_smallest_first_declared_one(
            blocks in prop::collection::vec((0usize..2, 20u8..=26, 0u32..4096), 0..6),
            subnets in prop::collection::vec((0usize..2, 22u8..=30, 0u32..4096), 1..30),
            ranges in prop::collection::vec((0usize..2, 0u32..4096, 0u32..40), 0..20),
            runs in prop::collection::vec((0usize..2, 0u32..4096, 1u32..40), 0..12),
        ) {
            let host = |n: u32| Addr::parse(&format!("10.0.{}.{}", n / 256 % 16, n % 256)).unwrap();
            let mut yaml = String::from("spaces:\n  - { name: lab, kind: fabric }\nblocks:\n");
            for &(space, len, at) in &blocks {
                writeln!(yaml, "  - {{ cidr: {}, space: {} }}", Prefix::of(host(at), len), SPACES[space]).unwrap();
            }
            yaml.push_str("subnets:\n");
            for &(space, len, at) in &subnets {
                writeln!(yaml, "  - {{ cidr: {}, space: {}, gateway: {} }}", Prefix::of(host(at), len), SPACES[space], host(at)).unwrap();
            }
            yaml.push_str("ranges:\n");
            for &(space, start, width) in &ranges {
                let end = (start + width).min(4095);
                writeln!(yaml, "  - {{ start: {}, end: {}, space: {}, type: reserved }}", host(start), host(end), SPACES[space]).unwrap();
            }
            yaml.push_str("addresses:\n");
            for &(space, start, count) in &runs {
                for n in start..(start + count).min(4096) {
                    writeln!(yaml, "  - {{ ip: {}, space: {}, type: reserved }}", host(n), SPACES[space]).unwrap();
                }
            }
            let model = model_of(&yaml);
            let containment = Containment::of(&model);

            let of = |id: usize, common: &crate::model::Common, prefix: Prefix| (id, common.space, prefix);
            let block_list: Vec<_> = model.blocks.iter().enumerate().map(|(id, b)| of(id, &b.common, b.cidr.value)).collect();
            let subnet_list: Vec<_> = model.subnets.iter().enumerate().map(|(id, s)| of(id, &s.common, s.cidr.value)).collect();
            for (id, subnet) in model.subnets.iter().enumerate() {
                let prefix = subnet.cidr.value;
                prop_assert_eq!(containment.subnet_block.get(id), reference(&block_list, subnet.common.space, prefix.interval(), prefix.len));
                let gateway = Interval::of_addr(subnet.gateway.as_ref().unwrap().value);
                prop_assert_eq!(containment.gateway_subnet.get(id), reference(&subnet_list, subnet.common.space, gateway, 32));
            }
            for (id, range) in model.ranges.iter().enumerate() {
                prop_assert_eq!(containment.range_subnet.get(id), reference(&subnet_list, range.common.space, range.interval(), 32));
            }
            for (id, address) in model.addresses.iter().enumerate() {
                let span = Interval::of_addr(address.ip(&model));
                prop_assert_eq!(containment.address_subnet.get(id), reference(&subnet_list, address.space, span, 32));
            }
        }
    }
}
