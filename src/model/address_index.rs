//! Every address of the plan in one sorted order: by space, family and value. One sort,
//! shared by the rules that ask which addresses are equal and how many distinct addresses
//! lie in an interval.
//!
//! Addresses are first laid out by space (a counting sort), then each space's values are
//! radix-sorted on their own: 4 bytes per IPv4 address, and only the bytes in which a
//! space's values differ are passed over. The sort leaves no ids: the repeats (rare, as
//! each is a fault) are found as values, and their declarations by one pass over the
//! addresses, only when there are any.

use rustc_hash::FxHashMap;

use super::ip::{Addr, Family, Interval};
use super::u16_set::U16Set;
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

impl<V: radsort::Key + Copy + Ord + Default> Sorted<V> {
    /// Room for `counts[s]` values of each space `s`, to be filled in and then sorted.
    fn with_counts(counts: &[u32]) -> Sorted<V> {
        let mut space_starts = Vec::with_capacity(counts.len() + 1);
        space_starts.push(0);
        for &count in counts {
            space_starts.push(space_starts.last().copied().unwrap_or(0) + count);
        }
        let total = space_starts.last().copied().unwrap_or(0) as usize;
        Sorted {
            values: vec![V::default(); total],
            space_starts,
            repeated_at: Vec::new(),
        }
    }

    /// Sorts each space's values and notes the repeats.
    fn sort(&mut self) {
        for space in self.space_starts.windows(2) {
            let (from, to) = (space[0] as usize, space[1] as usize);
            let values = &mut self.values[from..to];
            radsort::sort(values);
            let repeats = values
                .windows(2)
                .enumerate()
                .filter(|(_, pair)| pair[0] == pair[1]);
            self.repeated_at
                .extend(repeats.map(|(at, _)| (from + at + 1) as u32));
        }
    }

    /// Each repeated value, with its space.
    fn repeated(&self) -> impl Iterator<Item = (SpaceId, V)> + '_ {
        self.repeated_at.iter().map(|&at| {
            let space = self.space_starts.partition_point(|&start| start <= at) - 1;
            (space as SpaceId, self.values[at as usize])
        })
    }
}

/// The low 16 bits of an address value.
fn low_bits(value: impl Into<u128>) -> u16 {
    value.into() as u16
}

/// The declarations behind repeated values: the first one of each value, and every later
/// one paired with it. The values' low 16 bits rule most addresses out at once.
struct RepeatFinder<V> {
    first: FxHashMap<(SpaceId, V), Option<AddressId>>,
    low_bits: U16Set,
}

impl<V: Copy + Eq + std::hash::Hash + Into<u128>> RepeatFinder<V> {
    fn new(repeated: impl Iterator<Item = (SpaceId, V)>) -> Self {
        let mut finder = RepeatFinder {
            first: FxHashMap::default(),
            low_bits: U16Set::default(),
        };
        for (space, value) in repeated {
            finder.low_bits.insert(low_bits(value));
            finder.first.insert((space, value), None);
        }
        finder
    }

    /// Notes address `id`; `Some(first)` if an earlier one has its space and value.
    fn earlier(&mut self, id: AddressId, space: SpaceId, value: V) -> Option<AddressId> {
        if !self.low_bits.contains(low_bits(value)) {
            return None;
        }
        let first = self.first.get_mut(&(space, value))?;
        match *first {
            Some(first) => Some(first),
            None => {
                *first = Some(id);
                None
            }
        }
    }
}

impl<V: Copy + Ord> Sorted<V> {
    /// The values of `space` from `first` to `last`, in order, repeats included.
    fn values_in(&self, space: SpaceId, first: V, last: V) -> &[V] {
        let s = space as usize;
        let (Some(&from), Some(&to)) = (self.space_starts.get(s), self.space_starts.get(s + 1))
        else {
            return &[];
        };
        let values = &self.values[from as usize..to as usize];
        let below = values.partition_point(|&v| v < first);
        let through = values.partition_point(|&v| v <= last);
        &values[below..through]
    }

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
    /// once to count each space's addresses, once to place them, so no list is held between;
    /// and a third time if some are repeated.
    fn new(
        spaces: usize,
        addresses: impl Iterator<Item = (SpaceId, Addr)> + Clone,
    ) -> AddressIndex {
        let mut counts = [vec![0u32; spaces], vec![0u32; spaces]];
        for (space, ip) in addresses.clone() {
            counts[ip.family as usize][space as usize] += 1;
        }
        let mut v4 = Sorted::<u32>::with_counts(&counts[Family::V4 as usize]);
        let mut v6 = Sorted::<u128>::with_counts(&counts[Family::V6 as usize]);
        let mut next = [v4.space_starts.clone(), v6.space_starts.clone()];
        for (space, ip) in addresses.clone() {
            let slot = &mut next[ip.family as usize][space as usize];
            match ip.family {
                Family::V4 => v4.values[*slot as usize] = ip.bits as u32,
                Family::V6 => v6.values[*slot as usize] = ip.bits,
            }
            *slot += 1;
        }
        rayon::join(|| v4.sort(), || v6.sort());
        let repeats = if v4.repeated_at.is_empty() && v6.repeated_at.is_empty() {
            Vec::new()
        } else {
            repeats_of(addresses, &v4, &v6)
        };
        AddressIndex { v4, v6, repeats }
    }

    /// Every address that has an earlier equal address in its space, paired with the first
    /// of them: `(item, first)`, in item order.
    pub fn first_earlier_equal(&self) -> &[(AddressId, AddressId)] {
        &self.repeats
    }

    /// Counts distinct addresses in intervals asked one after another.
    /// The declared values of `space` inside `interval`, in order, repeats included.
    pub fn values_in(
        &self,
        space: SpaceId,
        interval: Interval,
    ) -> Box<dyn Iterator<Item = u128> + '_> {
        match interval.family {
            // The interval is IPv4: both bounds fit 32 bits.
            Family::V4 => Box::new(
                self.v4
                    .values_in(space, interval.first as u32, interval.last as u32)
                    .iter()
                    .map(|&v| u128::from(v)),
            ),
            Family::V6 => Box::new(
                self.v6
                    .values_in(space, interval.first, interval.last)
                    .iter()
                    .copied(),
            ),
        }
    }

    pub fn counter(&self) -> DistinctCounter<'_> {
        DistinctCounter {
            index: self,
            near: [0; 2],
        }
    }
}

/// `(item, first)` for every address whose space and value an earlier one has, in item
/// order, with the repeated values already known.
fn repeats_of(
    addresses: impl Iterator<Item = (SpaceId, Addr)>,
    v4: &Sorted<u32>,
    v6: &Sorted<u128>,
) -> Vec<(AddressId, AddressId)> {
    let mut v4_finder = RepeatFinder::new(v4.repeated());
    let mut v6_finder = RepeatFinder::new(v6.repeated());
    let mut repeats = Vec::new();
    for (id, (space, ip)) in addresses.enumerate() {
        let bits = { ip.bits };
        let first = match ip.family {
            Family::V4 => v4_finder.earlier(id, space, bits as u32),
            Family::V6 => v6_finder.earlier(id, space, bits),
        };
        if let Some(first) = first {
            repeats.push((id, first));
        }
    }
    repeats
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
