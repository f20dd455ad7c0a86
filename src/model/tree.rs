//! The address space as a tree, as `show` draws it and `free` walks it: per space, its
//! top-level blocks, the subnets in no block and the ranges in no subnet; per block, the
//! blocks and the subnets it holds; per subnet, its ranges. What holds what is
//! [`Containment`]'s answer; siblings come in address order (IPv4 first), then canonical
//! order.

use super::containment::{Containment, Holders};
use super::ip::Interval;
use super::{BlockId, Model, RangeId, SpaceId, SubnetId};

#[derive(Debug)]
pub struct SpaceTree {
    top_blocks: Children,
    loose_subnets: Children,
    loose_ranges: Children,
    child_blocks: Children,
    block_subnets: Children,
    subnet_ranges: Children,
}

impl SpaceTree {
    pub fn of(model: &Model, containment: &Containment) -> SpaceTree {
        let spaces = model.spaces.len();
        let block_key = |id: usize| sibling_key(model.blocks[id].cidr.value.interval(), id);
        let subnet_key = |id: usize| sibling_key(model.subnets[id].cidr.value.interval(), id);
        let range_key = |id: usize| sibling_key(model.ranges[id].interval(), id);
        let space_of_block = |id: usize| model.blocks[id].common.space as usize;
        let space_of_subnet = |id: usize| model.subnets[id].common.space as usize;
        let space_of_range = |id: usize| model.ranges[id].common.space as usize;
        let parents: Vec<Option<BlockId>> = (0..model.blocks.len())
            .map(|id| tree_parent(model, containment, id))
            .collect();
        SpaceTree {
            top_blocks: Children::of(spaces, model.blocks.len(), block_key, |id| {
                parents[id].is_none().then(|| space_of_block(id))
            }),
            loose_subnets: Children::of(spaces, model.subnets.len(), subnet_key, |id| {
                none_holds(&containment.subnet_block, id).then(|| space_of_subnet(id))
            }),
            loose_ranges: Children::of(spaces, model.ranges.len(), range_key, |id| {
                none_holds(&containment.range_subnet, id).then(|| space_of_range(id))
            }),
            child_blocks: Children::of(model.blocks.len(), model.blocks.len(), block_key, |id| {
                parents[id]
            }),
            block_subnets: Children::of(
                model.blocks.len(),
                model.subnets.len(),
                subnet_key,
                |id| containment.subnet_block.get(id),
            ),
            subnet_ranges: Children::of(model.subnets.len(), model.ranges.len(), range_key, |id| {
                containment.range_subnet.get(id)
            }),
        }
    }

    /// The blocks of `space` that no other block holds.
    pub fn top_blocks(&self, space: SpaceId) -> &[BlockId] {
        self.top_blocks.of_parent(space as usize)
    }

    /// The subnets of `space` that no block holds.
    pub fn subnets_outside_blocks(&self, space: SpaceId) -> &[SubnetId] {
        self.loose_subnets.of_parent(space as usize)
    }

    /// The ranges of `space` that no subnet wholly holds.
    pub fn ranges_outside_subnets(&self, space: SpaceId) -> &[RangeId] {
        self.loose_ranges.of_parent(space as usize)
    }

    /// The blocks whose smallest containing block is `block` (see [`tree_parent`]).
    pub fn child_blocks(&self, block: BlockId) -> &[BlockId] {
        self.child_blocks.of_parent(block)
    }

    /// The subnets whose block is `block` (nested subnets included, each under its block).
    pub fn subnets_of_block(&self, block: BlockId) -> &[SubnetId] {
        self.block_subnets.of_parent(block)
    }

    /// The ranges whose subnet is `subnet`.
    pub fn ranges_of_subnet(&self, subnet: SubnetId) -> &[RangeId] {
        self.subnet_ranges.of_parent(subnet)
    }
}

/// A block's parent in the tree: the block that holds it, except that of blocks with one
/// CIDR (a `duplicate-block`), the first is held by what holds them all and the others are
/// under the first. (Each of two equal blocks holds the other, which is no tree.)
pub fn tree_parent(model: &Model, containment: &Containment, id: BlockId) -> Option<BlockId> {
    let parent = containment.block_parent.get(id)?;
    let prefix = model.blocks[id].cidr.value;
    if model.blocks[parent].cidr.value != prefix || parent < id {
        return Some(parent);
    }
    let shorter = prefix.len.checked_sub(1)?;
    containment.blocks_by_space[model.blocks[id].common.space as usize].smallest_containing(
        prefix.interval(),
        shorter,
        None,
    )
}

fn none_holds(holders: &Holders, id: usize) -> bool {
    holders.get(id).is_none()
}

/// Address order, IPv4 first, then canonical order.
fn sibling_key(interval: Interval, id: usize) -> (u8, u128, usize) {
    (interval.family as u8, interval.first, id)
}

/// Children grouped by parent, flat: the children of parent `p` are
/// `ids[starts[p]..starts[p + 1]]`, in sibling order.
#[derive(Debug)]
struct Children {
    starts: Vec<u32>,
    /// Blocks, subnets and ranges only: a plan has far fewer of them than addresses.
    ids: Vec<usize>,
}

impl Children {
    fn of(
        parents: usize,
        items: usize,
        key: impl Fn(usize) -> (u8, u128, usize),
        parent_of: impl Fn(usize) -> Option<usize>,
    ) -> Children {
        let mut placed: Vec<(usize, (u8, u128, usize))> = (0..items)
            .filter_map(|id| Some((parent_of(id)?, key(id))))
            .collect();
        placed.sort_unstable();
        let mut starts = vec![0u32; parents + 1];
        for (parent, _) in &placed {
            starts[parent + 1] += 1;
        }
        for p in 1..starts.len() {
            starts[p] += starts[p - 1];
        }
        let ids = placed.iter().map(|(_, key)| key.2).collect();
        Children { starts, ids }
    }

    fn of_parent(&self, parent: usize) -> &[usize] {
        &self.ids[self.starts[parent] as usize..self.starts[parent + 1] as usize]
    }
}
