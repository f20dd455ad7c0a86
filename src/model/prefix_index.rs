//! Smallest containing prefix: which block or subnet holds an address, a range or a prefix.
//!
//! Prefixes are hashed by (network, length) and a query tries only the lengths that occur,
//! longest first, so a lookup costs a handful of hash probes whatever the plan's size.

use std::hash::Hash;

use rustc_hash::FxHashMap;

use super::ip::{Family, Interval, Prefix};

#[derive(Debug, Default)]
pub struct PrefixIndex {
    /// For each distinct prefix, the first two ids declaring it, in canonical order. Keyed
    /// by family, so that an IPv4 entry is 16 bytes: a lookup per subnet of a large plan
    /// then mostly hits the cache.
    v4: FxHashMap<u64, Declared>,
    v6: FxHashMap<(u128, u8), Declared>,
    /// Distinct lengths present, per family (IPv4, IPv6), longest first.
    lengths: [Vec<u8>; 2],
}

/// The first two ids declaring one prefix.
#[derive(Debug, Clone, Copy)]
struct Declared {
    first: u32,
    /// `NONE` if only one declares it.
    second: u32,
}

impl Declared {
    const NONE: u32 = u32::MAX;
}

fn family_slot(family: Family) -> usize {
    match family {
        Family::V4 => 0,
        Family::V6 => 1,
    }
}

/// Notes `id` as declaring the prefix `key`, if it is the first or second to.
fn declare<K: Hash + Eq>(map: &mut FxHashMap<K, Declared>, key: K, id: u32) {
    map.entry(key)
        .and_modify(|declared| {
            if declared.second == Declared::NONE {
                declared.second = id;
            }
        })
        .or_insert(Declared {
            first: id,
            second: Declared::NONE,
        });
}

/// An IPv4 prefix as one integer: its network, then its length.
fn v4_key(prefix: Prefix) -> u64 {
    ({ prefix.network.bits } as u64) << 8 | u64::from(prefix.len)
}

impl PrefixIndex {
    /// Ids must be given in canonical order.
    pub fn new(prefixes: impl IntoIterator<Item = (usize, Prefix)>) -> PrefixIndex {
        let mut index = PrefixIndex::default();
        for (id, prefix) in prefixes {
            let id = id as u32;
            match prefix.family() {
                Family::V4 => declare(&mut index.v4, v4_key(prefix), id),
                Family::V6 => declare(&mut index.v6, ({ prefix.network.bits }, prefix.len), id),
            }
            let lengths = &mut index.lengths[family_slot(prefix.family())];
            if !lengths.contains(&prefix.len) {
                lengths.push(prefix.len);
            }
        }
        for lengths in &mut index.lengths {
            lengths.sort_unstable_by(|a, b| b.cmp(a));
        }
        index
    }

    fn declared(&self, prefix: Prefix) -> Option<Declared> {
        match prefix.family() {
            Family::V4 => self.v4.get(&v4_key(prefix)).copied(),
            Family::V6 => self.v6.get(&({ prefix.network.bits }, prefix.len)).copied(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.v4.is_empty() && self.v6.is_empty()
    }

    /// Whether no prefix of `prefix`'s family in the index is longer: then, for an address
    /// it holds, `prefix` is the smallest holder.
    pub fn is_longest(&self, prefix: Prefix) -> bool {
        self.lengths[family_slot(prefix.family())].first() == Some(&prefix.len)
    }

    /// The smallest prefix, at most `max_len` long, that wholly contains `span`; among equal
    /// prefixes the first in canonical order, other than `except`.
    pub fn smallest_containing(
        &self,
        span: Interval,
        max_len: u8,
        except: Option<usize>,
    ) -> Option<usize> {
        self.smallest_containing_prefix(span, max_len, except)
            .map(|(id, _)| id)
    }

    /// As [`smallest_containing`](PrefixIndex::smallest_containing), with the prefix found.
    pub fn smallest_containing_prefix(
        &self,
        span: Interval,
        max_len: u8,
        except: Option<usize>,
    ) -> Option<(usize, Prefix)> {
        let start = span.addr(span.first);
        for &len in &self.lengths[family_slot(span.family)] {
            if len > max_len {
                continue;
            }
            let candidate = Prefix::of(start, len);
            if candidate.last() < span.last {
                continue;
            }
            if let Some(Declared { first, second }) = self.declared(candidate) {
                if Some(first as usize) != except {
                    return Some((first as usize, candidate));
                }
                if second != Declared::NONE {
                    return Some((second as usize, candidate));
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ip::Addr;

    fn prefix(text: &str) -> Prefix {
        Prefix::parse(text).unwrap().prefix
    }

    #[test]
    fn finds_the_smallest_first_declared_container() {
        let index = PrefixIndex::new([
            (0, prefix("10.0.0.0/8")),
            (1, prefix("10.1.0.0/16")),
            (2, prefix("10.1.0.0/16")),
            (3, prefix("2001:db8::/32")),
        ]);
        let addr = Interval::of_addr(Addr::parse("10.1.2.3").unwrap());
        assert_eq!(index.smallest_containing(addr, 32, None), Some(1));
        assert_eq!(index.smallest_containing(addr, 32, Some(1)), Some(2));
        assert_eq!(index.smallest_containing(addr, 15, None), Some(0));
        let outside = Interval::of_addr(Addr::parse("11.0.0.1").unwrap());
        assert_eq!(index.smallest_containing(outside, 32, None), None);
        let v6 = Interval::of_addr(Addr::parse("2001:db8::1").unwrap());
        assert_eq!(index.smallest_containing(v6, 128, None), Some(3));
        // A span crossing the /16 boundary is held only by the /8.
        let wide = Interval {
            family: Family::V4,
            first: prefix("10.1.255.0/24").first(),
            last: prefix("10.2.0.0/24").last(),
        };
        assert_eq!(index.smallest_containing(wide, 32, None), Some(0));
    }
}
