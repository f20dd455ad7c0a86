//! Every address of the plan in one sorted order: by space, family and value. One sort,
//! shared by the rules that ask which addresses are equal and how many distinct addresses
//! lie in an interval.
//!
//! Addresses are first laid out by space (a counting sort), then each space's addresses are
//! sorted on their own, as keys of value and id (for IPv4 one `u64`), radix-sorted on the
//! value: the sort is stable and the keys are laid out in id order, so equal values stay in
//! id order, at a fraction of a comparison sort's cost. Once sorted, the repeats (rare: each
//! is a fault) are noted and only the values are kept, 4 bytes per IPv4 address while the
//! rules run.

use super::ip::{Addr, Family, Interval};
use super::{AddressId, Model, SpaceId};

pub struct AddressIndex {
    v4: Sorted<u32>,
    v6: Sorted<u128>,
    /// `(item, first)` for every address with an earlier equal one in its space, `first` the
    /// earliest, in item order.
    repeats: Vec<(AddressId, AddressId)>,
}

/// Values grouped by space and sorted within each space.
struct Sorted<V> {
    /// Length `spaces + 1`: space `s` holds `values[space_starts[s]..space_starts[s + 1]]`.
    space_starts: Vec<u32>,
    values: Vec<V>,
    /// The positions whose value equals the one before it in the same space, in order.
    repeated_at: Vec<u32>,
}

/// A sort key within one space: the address's value, then the declaration's id.
trait Key: Copy + Ord + Send + Default {
    type Value: Copy + Ord + Send;
    /// Sorts keys laid out in id order.
    fn sort(keys: &mut [Self]);
    fn new(value: u128, id: u32) -> Self;
    fn value(self) -> Self::Value;
    fn id(self) -> u32;
}

/// `value << 32 | id`: the order of (value, id) for a 32-bit value.
impl Key for u64 {
    type Value = u32;

    /// On the value alone: a stable sort keeps ids in order among equal values.
    fn sort(keys: &mut [Self]) {
        radsort::sort_by_key(keys, |&key| (key >> 32) as u32);
    }

    fn new(value: u128, id: u32) -> Self {
        (value as u64) << 32 | u64::from(id)
    }

    fn value(self) -> u32 {
        (self >> 32) as u32
    }

    fn id(self) -> u32 {
        self as u32
    }
}

/// An IPv6 value and the declaration's id, 20 bytes instead of the 32 that a `(u128, u32)`
/// takes with its alignment: less to move while sorting, and less memory to fault in.
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
#[repr(C, packed(4))]
struct V6Key {
    value: u128,
    id: u32,
}

impl Key for V6Key {
    type Value = u128;

    /// On the value alone, as for IPv4. A radix sort passes over a byte of the value only
    /// where the values differ in it: a plan's IPv6 addresses share most of theirs.
    fn sort(keys: &mut [Self]) {
        radsort::sort_by_key(keys, |&key| key.value());
    }

    fn new(value: u128, id: u32) -> Self {
        V6Key { value, id }
    }

    fn value(self) -> u128 {
        self.value
    }

    fn id(self) -> u32 {
        self.id
    }
}

/// Keys being placed and sorted, before they are reduced to a [`Sorted`].
struct Placing<K> {
    space_starts: Vec<u32>,
    keys: Vec<K>,
}

impl<K: Key> Placing<K> {
    /// Room for `counts[s]` keys of each space `s`.
    fn with_counts(counts: &[u32]) -> Placing<K> {
        let mut space_starts = Vec::with_capacity(counts.len() + 1);
        space_starts.push(0);
        for &count in counts {
            space_starts.push(space_starts.last().copied().unwrap_or(0) + count);
        }
        let total = space_starts.last().copied().unwrap_or(0) as usize;
        Placing {
            keys: vec![K::default(); total],
            space_starts,
        }
    }

    /// Sorts each space's keys, notes the repeats, and keeps only the values.
    fn sort(mut self, repeats: &mut Vec<(AddressId, AddressId)>) -> Sorted<K::Value> {
        let mut repeated_at = Vec::new();
        for space in self.space_starts.windows(2) {
            let keys = &mut self.keys[space[0] as usize..space[1] as usize];
            K::sort(keys);
            let mut position = space[0];
            for run in keys.chunk_by(|a, b| a.value() == b.value()) {
                let first = run[0].id() as AddressId;
                for (offset, key) in run.iter().enumerate().skip(1) {
                    repeats.push((key.id() as AddressId, first));
                    repeated_at.push(position + offset as u32);
                }
                position += run.len() as u32;
            }
        }
        let values = self.keys.iter().map(|key| key.value()).collect();
        Sorted {
            space_starts: self.space_starts,
            values,
            repeated_at,
        }
    }
}

impl<V: Copy + Ord> Sorted<V> {
    /// How many distinct values of `space` lie in `first..=last`. The search starts at
    /// `near`, a position in `values`, and leaves it where this interval's values end.
    fn distinct_in(&self, space: SpaceId, first: V, last: V, near: &mut u32) -> usize {
        let s = space as usize;
        let (Some(&from), Some(&to)) = (self.space_starts.get(s), self.space_starts.get(s + 1))
        else {
            return 0;
        };
        let values = &self.values[from as usize..to as usize];
        let hint = (near.saturating_sub(from) as usize).min(values.len());
        let below = partition_point_near(values, hint, |v| v < first);
        let inside = partition_point_near(&values[below..], 0, |v| v <= last);
        let (from, to) = (from + below as u32, from + (below + inside) as u32);
        *near = to;
        // A repeat at `from` would equal a value before `first`: repeats counted are inside.
        let repeats = self.repeated_at.partition_point(|&p| p < to)
            - self.repeated_at.partition_point(|&p| p < from);
        (to - from) as usize - repeats
    }
}

/// `values.partition_point(..)` of `pred`, searched from `hint` outward: forward in
/// doubling steps, then by halves, so an answer `d` places past the hint costs about
/// 2 log d steps over nearby memory. An answer before the hint costs one plain binary
/// search.
fn partition_point_near<V: Copy>(values: &[V], hint: usize, pred: impl Fn(V) -> bool) -> usize {
    if hint > 0 && !pred(values[hint - 1]) {
        return values[..hint].partition_point(|&v| pred(v));
    }
    // Every value before `low` satisfies `pred`.
    let mut low = hint;
    let mut step = 1;
    loop {
        let probe = low + step - 1;
        if probe >= values.len() {
            return low + values[low..].partition_point(|&v| pred(v));
        }
        if !pred(values[probe]) {
            return low + values[low..probe].partition_point(|&v| pred(v));
        }
        low = probe + 1;
        step *= 2;
    }
}

impl AddressIndex {
    pub fn of(model: &Model) -> AddressIndex {
        let addresses = model.addresses.iter();
        AddressIndex::new(
            model.spaces.len(),
            addresses.map(|address| (address.space, address.ip(model))),
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
        let mut v4 = Placing::<u64>::with_counts(&counts[Family::V4 as usize]);
        let mut v6 = Placing::<V6Key>::with_counts(&counts[Family::V6 as usize]);
        let mut next = [v4.space_starts.clone(), v6.space_starts.clone()];
        for (id, (space, ip)) in addresses.enumerate() {
            let slot = &mut next[ip.family as usize][space as usize];
            match ip.family {
                Family::V4 => v4.keys[*slot as usize] = Key::new(ip.bits, id as u32),
                Family::V6 => v6.keys[*slot as usize] = Key::new(ip.bits, id as u32),
            }
            *slot += 1;
        }
        let (mut repeats_v4, mut repeats_v6) = (Vec::new(), Vec::new());
        let (v4, v6) = rayon::join(|| v4.sort(&mut repeats_v4), || v6.sort(&mut repeats_v6));
        let mut repeats = repeats_v4;
        repeats.append(&mut repeats_v6);
        repeats.sort_unstable();
        AddressIndex { v4, v6, repeats }
    }

    /// Every address that has an earlier equal address in its space, paired with the first
    /// of them: `(item, first)`, in item order.
    pub fn first_earlier_equal(&self) -> &[(AddressId, AddressId)] {
        &self.repeats
    }

    /// Counts distinct addresses in intervals asked one after another.
    pub fn counter(&self) -> DistinctCounter<'_> {
        DistinctCounter {
            index: self,
            near: [0; 2],
        }
    }
}

/// Counts the distinct addresses of a space in one interval after another. Each search
/// starts where the last one of its family ended, so intervals asked in ascending order, as
/// a plan lists its pools, cost a few steps each instead of a search of the whole space;
/// any other order costs what a plain search does.
pub struct DistinctCounter<'i> {
    index: &'i AddressIndex,
    /// Per family: where the last interval's values ended.
    near: [u32; 2],
}

impl DistinctCounter<'_> {
    /// How many distinct addresses of `space` lie in `interval`.
    pub fn distinct_in(&mut self, space: SpaceId, interval: Interval) -> u128 {
        let near = &mut self.near[interval.family as usize];
        let distinct = match interval.family {
            Family::V4 => {
                // The interval is IPv4: both bounds fit 32 bits.
                let (first, last) = (interval.first as u32, interval.last as u32);
                self.index.v4.distinct_in(space, first, last, near)
            }
            Family::V6 => self
                .index
                .v6
                .distinct_in(space, interval.first, interval.last, near),
        };
        distinct as u128
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

    #[test]
    fn a_search_from_any_hint_finds_the_plain_partition_point() {
        let values: Vec<u32> = vec![1, 3, 3, 3, 5, 8, 8, 13, 21, 21, 21, 21, 34];
        for target in 0..36 {
            let expected = values.partition_point(|&v| v < target);
            for hint in 0..=values.len() {
                assert_eq!(
                    partition_point_near(&values, hint, |v| v < target),
                    expected,
                    "target {target}, hint {hint}"
                );
            }
        }
        assert_eq!(partition_point_near(&[] as &[u32], 0, |v| v < 1), 0);
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
            let expected = naive_repeats(&addresses);
            proptest::prop_assert_eq!(index.first_earlier_equal(), expected.as_slice());
            // One counter for every query: each search starts where the one before ended.
            let mut counter = index.counter();
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
                proptest::prop_assert_eq!(counter.distinct_in(space, interval), inside.len() as u128);
            }
        }
    }
}
