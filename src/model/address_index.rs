//! Every address of the plan in one sorted order: by space, family and value, then by id.
//! One sort, shared by the rules that ask which addresses are equal and how many distinct
//! addresses lie in an interval.
//!
//! IPv4 addresses, most of any plan, are sorted as single `u128` keys (space, value, id),
//! which sort several times faster than tuples; IPv6 addresses as tuples.

use rayon::prelude::*;

use super::ip::{Addr, Family, Interval};
use super::{AddressId, Model, SpaceId};

pub struct AddressIndex {
    v4: Sorted<u128>,
    v6: Sorted<(SpaceId, u128, u32)>,
}

/// Keys in order, and per position how many distinct (space, value) pairs come before it.
struct Sorted<K> {
    keys: Vec<K>,
    /// Length `keys.len() + 1`: at `i`, the number of distinct values in `keys[..i]`.
    distinct_before: Vec<u32>,
}

/// A sort key: the address it is about, then the declaration's id.
trait Key: Copy + Ord + Send {
    fn value(self) -> (SpaceId, u128);
    fn id(self) -> u32;
}

/// `space << 64 | value << 32 | id`: the order of (space, value, id).
impl Key for u128 {
    fn value(self) -> (SpaceId, u128) {
        ((self >> 64) as SpaceId, (self >> 32) as u32 as u128)
    }

    fn id(self) -> u32 {
        self as u32
    }
}

impl Key for (SpaceId, u128, u32) {
    fn value(self) -> (SpaceId, u128) {
        (self.0, self.1)
    }

    fn id(self) -> u32 {
        self.2
    }
}

impl<K: Key> Sorted<K> {
    fn new(mut keys: Vec<K>) -> Sorted<K> {
        // In parallel: the rules wait for this sort.
        keys.par_sort_unstable();
        let mut distinct_before = Vec::with_capacity(keys.len() + 1);
        let mut distinct = 0;
        distinct_before.push(0);
        for (i, key) in keys.iter().enumerate() {
            if i == 0 || keys[i - 1].value() != key.value() {
                distinct += 1;
            }
            distinct_before.push(distinct);
        }
        Sorted {
            keys,
            distinct_before,
        }
    }

    /// `(item, first)` for every address with an earlier equal one, `first` the earliest.
    fn repeats(&self, pairs: &mut Vec<(AddressId, AddressId)>) {
        for run in self.keys.chunk_by(|a, b| a.value() == b.value()) {
            let first = run[0].id() as AddressId;
            pairs.extend(run[1..].iter().map(|key| (key.id() as AddressId, first)));
        }
    }

    fn distinct_in(&self, space: SpaceId, first: u128, last: u128) -> u128 {
        let from = self.keys.partition_point(|k| k.value() < (space, first));
        let to = self.keys.partition_point(|k| k.value() <= (space, last));
        u128::from(self.distinct_before[to] - self.distinct_before[from])
    }
}

impl AddressIndex {
    pub fn of(model: &Model) -> AddressIndex {
        let addresses = model.addresses.iter();
        AddressIndex::new(addresses.map(|address| (address.common.space, address.ip.value)))
    }

    /// From the space and value of every address, in id order.
    fn new(addresses: impl ExactSizeIterator<Item = (SpaceId, Addr)>) -> AddressIndex {
        let mut v4 = Vec::with_capacity(addresses.len());
        let mut v6 = Vec::new();
        for (id, (space, ip)) in addresses.enumerate() {
            let id = id as u32;
            match ip.family {
                Family::V4 => v4.push(u128::from(space) << 64 | { ip.bits } << 32 | u128::from(id)),
                Family::V6 => v6.push((space, { ip.bits }, id)),
            }
        }
        AddressIndex {
            v4: Sorted::new(v4),
            v6: Sorted::new(v6),
        }
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
