//! The help of a duplicate or overlapping subnet: the first free prefix of the same size in
//! the same block, so that the fix is one edit.

use rustc_hash::FxHashMap;

use crate::model::ip::{Family, Interval, Prefix};
use crate::model::{BlockId, Model, SpaceId};

/// Lazily built, per space and family, the merged spans that subnets occupy.
#[derive(Default)]
pub struct FreePrefixFinder {
    occupied: FxHashMap<(SpaceId, Family), Vec<(u128, u128)>>,
    answers: FxHashMap<(BlockId, u8), Option<Prefix>>,
}

impl FreePrefixFinder {
    pub fn help(&mut self, model: &Model, block: Option<BlockId>, len: u8) -> Option<String> {
        let block_id = block?;
        let block = &model.blocks[block_id];
        let label = match &block.common.name {
            Some(name) => format!("block {}", name.value),
            None => format!("block {}", block.cidr.value),
        };
        match self.first_free(model, block_id, len) {
            Some(prefix) => Some(format!("{prefix} is free in {label}")),
            None => Some(format!("no /{len} is free in {label}")),
        }
    }

    fn first_free(&mut self, model: &Model, block_id: BlockId, len: u8) -> Option<Prefix> {
        if let Some(answer) = self.answers.get(&(block_id, len)) {
            return *answer;
        }
        let block = &model.blocks[block_id];
        let space = block.common.space;
        let family = block.cidr.value.family();
        let occupied = self
            .occupied
            .entry((space, family))
            .or_insert_with(|| model.subnet_spans(space, family));
        let answer = first_free_in(block.cidr.value, len, occupied);
        self.answers.insert((block_id, len), answer);
        answer
    }
}

/// The first aligned prefix of length `len` inside `block` that no occupied span touches.
/// `occupied` is sorted, merged and disjoint.
pub fn first_free_in(block: Prefix, len: u8, occupied: &[(u128, u128)]) -> Option<Prefix> {
    if len < block.len || len > block.family().width() {
        return None;
    }
    let size = Prefix::of(block.network, len).interval().size();
    let mut candidate = block.first();
    loop {
        let last = candidate.checked_add(size - 1)?;
        if last > block.last() {
            return None;
        }
        let next_busy = occupied.partition_point(|&(_, busy_last)| busy_last < candidate);
        match occupied.get(next_busy) {
            Some(&(busy_first, busy_last)) if busy_first <= last => {
                // Skip past the busy span, to the next boundary of this size.
                let after = busy_last.checked_add(1)?;
                candidate = after.checked_add(size - 1)? / size * size;
            }
            _ => {
                let network = Interval::of_addr(block.network).addr(candidate);
                return Some(Prefix { network, len });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prefix(text: &str) -> Prefix {
        Prefix::parse(text).unwrap().prefix
    }

    fn spans(texts: &[&str]) -> Vec<(u128, u128)> {
        texts
            .iter()
            .map(|t| (prefix(t).first(), prefix(t).last()))
            .collect()
    }

    #[test]
    fn finds_the_first_aligned_gap() {
        let block = prefix("10.10.0.0/16");
        let busy = spans(&["10.10.0.0/24", "10.10.1.0/24"]);
        assert_eq!(
            first_free_in(block, 24, &busy),
            Some(prefix("10.10.2.0/24"))
        );
        assert_eq!(
            first_free_in(block, 25, &busy),
            Some(prefix("10.10.2.0/25"))
        );
        let busy = spans(&["10.10.0.0/25"]);
        assert_eq!(
            first_free_in(block, 25, &busy),
            Some(prefix("10.10.0.128/25"))
        );
        assert_eq!(
            first_free_in(block, 24, &busy),
            Some(prefix("10.10.1.0/24"))
        );
    }

    #[test]
    fn reports_a_full_block() {
        let block = prefix("10.10.0.0/23");
        let busy = spans(&["10.10.0.0/24", "10.10.1.0/24"]);
        assert_eq!(first_free_in(block, 24, &busy), None);
        let all = prefix("::/0");
        assert_eq!(first_free_in(all, 0, &spans(&["::/1"])), None);
        assert_eq!(
            first_free_in(all, 1, &spans(&["::/1"])),
            Some(prefix("8000::/1"))
        );
    }
}
