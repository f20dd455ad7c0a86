//! Every address of the plan in one sorted order: by space, family and value, then by id.
//! One sort, shared by the rules that ask which addresses are equal and how many distinct
//! addresses lie in an interval.
//!
//! Addresses are first laid out by space (a counting sort), then each space's addresses are
//! sorted on their own. Within a space an IPv4 address and its id pack into one `u64` key,
//! half the size of a tuple and several times faster to sort; IPv6 addresses sort as tuples.

use rayon::prelude::*;

use super::ip::{Addr, Family, Interval};
use super::{AddressId, Model, SpaceId};

pub struct AddressIndex {
    v4: Sorted<u64>,
    v6: Sorted<(u128, u32)>,
}

/// Keys grouped by space and sorted within each space, and per position how many distinct
/// (space, value) pairs come before it.
struct Sorted<K> {
    /// Length `spaces + 1`: space `s` holds `keys[space_starts[s]..space_starts[s + 1]]`.
    space_starts: Vec<u32>,
    keys: Vec<K>,
    /// Length `keys.len() + 1`: at `i`, the number of distinct values in `keys[..i]`.
    distinct_before: Vec<u32>,
}

/// A sort key within one space: the address it is about, then the declaration's id.
trait Key: Copy + Ord + Send + Default {
    fn new(value: u128, id: u32) -> Self;
    fn value(self) -> u128;
    fn id(self) -> u32;
}

/// `value << 32 | id`: the order of (value, id) for a 32-bit value.
impl Key for u64 {
    fn new(value: u128, id: u32) -> Self {
        (value as u64) << 32 | u64::from(id)
    }

    fn value(self) -> u128 {
        u128::from(self >> 32)
    }

    fn id(self) -> u32 {
        self as u32
    }
}

impl Key for (u128, u32) {
    fn new(value: u128, id: u32) -> Self {
        (value, id)
    }

    fn value(self) -> u128 {
        self.0
    }

    fn id(self) -> u32 {
        self.1
    }
}

impl<K: Key> Sorted<K> {
    /// Room for `counts[s]` keys of each space `s`, to be filled by `place`.
    fn with_counts(counts: &[u32]) -> Sorted<K> {
        let mut space_starts = Vec::with_capacity(counts.len() + 1);
        space_starts.push(0);
        for &count in counts {
            space_starts.push(space_starts.last().copied().unwrap_or(0) + count);
        }
        let total = space_starts.last().copied().unwrap_or(0) as usize;
        Sorted {
            keys: vec![K::default(); total],
            distinct_before: Vec::new(),
            space_starts,
        }
    }

    /// Sorts each space's keys and counts distinct values, once every key is placed (`next`
    /// is each space's next free position, now its end).
    fn sort(&mut self, next: &[u32]) {
        let spaces = self.space_starts.len() - 1;
        debug_assert!((0..spaces).all(|s| next[s] == self.space_starts[s + 1]));
        for s in 0..spaces {
            // In parallel: the rules wait for this sort.
            let span = self.span_of(s as SpaceId);
            self.keys[span].par_sort_unstable();
        }
        let mut distinct_before = Vec::with_capacity(self.keys.len() + 1);
        distinct_before.push(0);
        let mut distinct = 0;
        for s in 0..spaces {
            let space = &self.keys[self.span_of(s as SpaceId)];
            for (i, key) in space.iter().enumerate() {
                if i == 0 || space[i - 1].value() != key.value() {
                    distinct += 1;
                }
                distinct_before.push(distinct);
            }
        }
        self.distinct_before = distinct_before;
    }

    /// The positions of `space`'s keys; empty for a space with no address of this family.
    fn span_of(&self, space: SpaceId) -> std::ops::Range<usize> {
        let s = space as usize;
        match (self.space_starts.get(s), self.space_starts.get(s + 1)) {
            (Some(&from), Some(&to)) => from as usize..to as usize,
            _ => 0..0,
        }
    }

    /// `(item, first)` for every address with an earlier equal one, `first` the earliest.
    fn repeats(&self, pairs: &mut Vec<(AddressId, AddressId)>) {
        for s in 0..self.space_starts.len().saturating_sub(1) {
            let space = &self.keys[self.span_of(s as SpaceId)];
            for run in space.chunk_by(|a, b| a.value() == b.value()) {
                let first = run[0].id() as AddressId;
                pairs.extend(run[1..].iter().map(|key| (key.id() as AddressId, first)));
            }
        }
    }

    fn distinct_in(&self, space: SpaceId, first: u128, last: u128) -> u128 {
        let span = self.span_of(space);
        let keys = &self.keys[span.clone()];
        let from = span.start + keys.partition_point(|k| k.value() < first);
        let to = span.start + keys.partition_point(|k| k.value() <= last);
        u128::from(self.distinct_before[to] - self.distinct_before[from])
    }
}

impl AddressIndex {
    pub fn of(model: &Model) -> AddressIndex {
        let addresses = model.addresses.iter();
        AddressIndex::new(
            model.spaces.len(),
            addresses.map(|address| (address.space, address.ip())),
        )
    }

    /// From the space (below `spaces`) and value of every address, in id order, read twice:
    /// once to count each space's addresses, once to place them, so no list is held between.
    fn new(
        spaces: usize,
        addresses: impl Iterator<Item = (SpaceId, Addr)> + Clone,
    ) -> AddressIndex {
        let mut counts = [vec![0u32; spaces], vec![0u32; spaces]];
        for (space, ip) in addresses.clone() {
            counts[ip.family as usize][space as usize] += 1;
        }
        let mut v4 = Sorted::<u64>::with_counts(&counts[Family::V4 as usize]);
        let mut v6 = Sorted::<(u128, u32)>::with_counts(&counts[Family::V6 as usize]);
        let mut next = [v4.space_starts.clone(), v6.space_starts.clone()];
        for (id, (space, ip)) in addresses.enumerate() {
            let slot = &mut next[ip.family as usize][space as usize];
            match ip.family {
                Family::V4 => v4.keys[*slot as usize] = Key::new(ip.bits, id as u32),
                Family::V6 => v6.keys[*slot as usize] = Key::new(ip.bits, id as u32),
            }
            *slot += 1;
        }
        let [next_v4, next_v6] = &next;
        rayon::join(|| v4.sort(next_v4), || v6.sort(next_v6));
        AddressIndex { v4, v6 }
    }

    /// Every address that has an earlier equal address in its space, paired with the first
    /// of them: `(item, first)`, in item order.
    pub fn first_earlier_equal(&self) -> Vec<(AddressId, AddressId)> {
        let mut pairs = Vec::new();
        self.v4.repeats(&mut pairs);
        self.v6.repeats(&mut pairs);
        pairs.sort_unstable();
        pairs
    }

    /// How many distinct addresses of `space` lie in `interval`.
    pub fn distinct_in(&self, space: SpaceId, interval: Interval) -> u128 {
        match interval.family {
            Family::V4 => self.v4.distinct_in(space, interval.first, interval.last),
            Family::V6 => self.v6.distinct_in(space, interval.first, interval.last),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference: every pair of addresses compared, every interval scanned.
    fn naive_repeats(addresses: &[(SpaceId, Family, u128)]) -> Vec<(AddressId, AddressId)> {
        (0..addresses.len())
            .filter_map(|i| {
                let first = (0..i).find(|&j| addresses[j] == addresses[i])?;
                Some((i, first))
            })
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn agrees_with_pairwise_comparison(
            addresses in proptest::collection::vec(
                (0u32..3, proptest::bool::ANY, 0u128..20), 0..60),
            queries in proptest::collection::vec((0u32..3, proptest::bool::ANY, 0u128..20, 0u128..8), 0..20),
        ) {
            let addresses: Vec<(SpaceId, Family, u128)> = addresses
                .into_iter()
                .map(|(space, v6, bits)| {
                    (space, if v6 { Family::V6 } else { Family::V4 }, bits)
                })
                .collect();
            let index = AddressIndex::new(
                3,
                addresses.iter().map(|&(space, family, bits)| (space, Addr { family, bits })),
            );
            proptest::prop_assert_eq!(index.first_earlier_equal(), naive_repeats(&addresses));
            for (space, v6, first, width) in queries {
                let family = if v6 { Family::V6 } else { Family::V4 };
                let interval = Interval { family, first, last: first + width };
                let mut inside: Vec<u128> = addresses
                    .iter()
                    .filter(|&&(s, f, b)| s == space && f == family && (first..=first + width).contains(&b))
                    .map(|&(_, _, b)| b)
                    .collect();
                inside.sort_unstable();
                inside.dedup();
                proptest::prop_assert_eq!(index.distinct_in(space, interval), inside.len() as u128);
            }
        }
    }
}
