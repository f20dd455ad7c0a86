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
        let subnet_block = model
            .subnets
            .iter()
            .map(|subnet| {
                let prefix = subnet.cidr.value;
                blocks_by_space[subnet.common.space as usize].smallest_containing(
                    prefix.interval(),
                    prefix.len,
                    None,
                )
            })
            .collect();
        let subnet_holding = |space: SpaceId, span: Interval| {
            subnets_by_space[space as usize].smallest_containing(span, span.family.width(), None)
        };
        let range_subnet = model
            .ranges
            .iter()
            .map(|range| subnet_holding(range.common.space, range.interval()))
            .collect();
        let address_subnet = address_holders(model, &subnets_by_space);
        let gateway_subnet = model
            .subnets
            .iter()
            .map(|subnet| {
                let gateway = subnet.gateway.as_ref()?;
                subnet_holding(subnet.common.space, Interval::of_addr(gateway.value))
            })
            .collect();
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
/// over the threads. Neighbouring addresses mostly share a subnet (a plan lists a subnet's
/// hosts together), so the last holder found is tried first; it answers with no lookup when
/// it holds the address and no longer prefix of its family occurs in its space.
fn address_holders(model: &Model, subnets_by_space: &[PrefixIndex]) -> Holders {
    let mut holders = vec![Holders::NONE; model.addresses.len()];
    holders
        .par_chunks_mut(ADDRESSES_PER_TASK)
        .zip(model.addresses.par_chunks(ADDRESSES_PER_TASK))
        .for_each(|(holders, addresses)| {
            let mut last: Option<(SpaceId, Prefix, u32)> = None;
            for (holder, address) in holders.iter_mut().zip(addresses) {
                let ip = address.ip();
                if let Some((space, prefix, id)) = last
                    && space == address.space
                    && prefix.contains_addr(ip)
                {
                    *holder = id;
                    continue;
                }
                let index = &subnets_by_space[address.space as usize];
                let found =
                    index.smallest_containing(Interval::of_addr(ip), ip.family.width(), None);
                *holder = Holders::pack(found);
                last = found
                    .map(|id| (address.space, model.subnets[id].cidr.value, id as u32))
                    .filter(|&(_, prefix, _)| index.is_longest(prefix));
            }
        });
    Holders(holders)
}
