//! Smallest containing prefix: which block or subnet holds an address, a range or a prefix.
//!
//! Prefixes are hashed by (network, length) and a query tries only the lengths that occur,
//! longest first, so a lookup costs a handful of hash probes whatever the plan's size.

use rustc_hash::FxHashMap;

use super::ip::{Family, Interval, Prefix};

#[derive(Debug, Default)]
pub struct PrefixIndex {
    /// For each distinct prefix, the first two ids declaring it, in canonical order.
    by_prefix: FxHashMap<Prefix, (usize, Option<usize>)>,
    /// Distinct lengths present, per family (IPv4, IPv6), longest first.
    lengths: [Vec<u8>; 2],
}

fn family_slot(family: Family) -> usize {
    match family {
        Family::V4 => 0,
        Family::V6 => 1,
    }
}

impl PrefixIndex {
    /// Ids must be given in canonical order.
    pub fn new(prefixes: impl IntoIterator<Item = (usize, Prefix)>) -> PrefixIndex {
        let mut index = PrefixIndex::default();
        for (id, prefix) in prefixes {
            index
                .by_prefix
                .entry(prefix)
                .and_modify(|(_, second)| {
                    if second.is_none() {
                        *second = Some(id);
                    }
                })
                .or_insert((id, None));
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

    pub fn is_empty(&self) -> bool {
        self.by_prefix.is_empty()
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
        let start = span.addr(span.first);
        for &len in &self.lengths[family_slot(span.family)] {
            if len > max_len {
                continue;
            }
            let candidate = Prefix::of(start, len);
            if candidate.last() < span.last {
                continue;
            }
            if let Some(&(first, second)) = self.by_prefix.get(&candidate) {
                if Some(first) != except {
                    return Some(first);
                }
                if let Some(second) = second {
                    return Some(second);
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
