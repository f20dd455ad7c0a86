//! The first earlier overlap: for each interval, the first interval before it (in the given
//! order, the canonical order) that shares an address with it.
//!
//! Sorting and a Fenwick tree give O(n log n): intervals are inserted by start, each is
//! queried once its end is reached, and the tree keeps, per end coordinate, the two lowest
//! ids seen, so the lowest id other than the queried interval itself is always at hand.

use super::ip::{Family, Interval};

/// The two lowest ids of a set, lowest first; `NONE` where there are fewer.
#[derive(Clone, Copy, Debug)]
struct LowestTwo(u32, u32);

impl LowestTwo {
    const NONE: u32 = u32::MAX;
    const EMPTY: LowestTwo = LowestTwo(LowestTwo::NONE, LowestTwo::NONE);

    fn add(&mut self, id: u32) {
        if id == self.0 || id == self.1 {
            return;
        }
        if id < self.0 {
            self.1 = self.0;
            self.0 = id;
        } else if id < self.1 {
            self.1 = id;
        }
    }

    fn merge(&mut self, other: LowestTwo) {
        self.add(other.0);
        self.add(other.1);
    }

    fn lowest_except(self, id: u32) -> Option<u32> {
        let lowest = if self.0 == id { self.1 } else { self.0 };
        (lowest != LowestTwo::NONE).then_some(lowest)
    }
}

/// For each interval, the index of the first interval before it in the sequence that shares
/// an address with it (identical intervals included), or `None`.
pub fn first_earlier_overlap(
    intervals: impl Iterator<Item = Interval> + Clone,
) -> Vec<Option<u32>> {
    let mut result = vec![None; intervals.clone().count()];
    // The two families never share an address: each is its own line. IPv4 runs on 32-bit
    // coordinates, a quarter of the memory of the 128 bits IPv6 needs.
    let of_family = |family: Family| {
        intervals
            .clone()
            .enumerate()
            .filter(move |(_, interval)| interval.family == family)
    };
    let v4 = of_family(Family::V4).map(|(id, i)| (id as u32, i.first as u32, i.last as u32));
    first_earlier_overlap_on_a_line(v4.collect(), &mut result);
    let v6 = of_family(Family::V6).map(|(id, i)| (id as u32, i.first, i.last));
    first_earlier_overlap_on_a_line(v6.collect(), &mut result);
    result
}

/// As [`first_earlier_overlap`] for `(id, first, last)` intervals of one family.
///
/// Only intervals that overlap another can have an answer, and each overlapping pair lies in
/// one cluster of the line (a maximal run of intervals, by start, that chain together). One
/// sort finds the clusters; the tree then runs only over clusters of two or more, which in a
/// sound plan are few or none.
fn first_earlier_overlap_on_a_line<T: Copy + Ord>(
    mut intervals: Vec<(u32, T, T)>,
    result: &mut [Option<u32>],
) {
    intervals.sort_unstable_by_key(|&(id, first, _)| (first, id));
    let mut clustered = Vec::new();
    let mut cluster_start = 0;
    let mut cluster_end = None;
    for (position, &(_, first, last)) in intervals.iter().enumerate() {
        match cluster_end {
            Some(end) if first <= end => cluster_end = Some(end.max(last)),
            _ => {
                if position - cluster_start >= 2 {
                    clustered.extend_from_slice(&intervals[cluster_start..position]);
                }
                cluster_start = position;
                cluster_end = Some(last);
            }
        }
    }
    if intervals.len() - cluster_start >= 2 {
        clustered.extend_from_slice(&intervals[cluster_start..]);
    }
    drop(intervals);
    first_earlier_overlap_in_clusters(clustered, result);
}

/// The tree: for intervals that all lie in clusters of two or more.
fn first_earlier_overlap_in_clusters<T: Copy + Ord>(
    intervals: Vec<(u32, T, T)>,
    result: &mut [Option<u32>],
) {
    if intervals.len() < 2 {
        return;
    }
    // Ends, sorted and deduplicated, are the tree's coordinates; the tree answers "lowest ids
    // among inserted intervals whose end is at least X" through reversed positions.
    let mut ends: Vec<T> = intervals.iter().map(|&(_, _, last)| last).collect();
    ends.sort_unstable();
    ends.dedup();
    let slot_of_end = |bits: T| ends.len() - ends.partition_point(|&end| end < bits);
    let mut tree = vec![LowestTwo::EMPTY; ends.len() + 1];

    // With each interval's tree slot, found once.
    let mut by_start: Vec<(T, u32, u32)> = intervals
        .iter()
        .map(|&(id, first, last)| (first, id, slot_of_end(last) as u32))
        .collect();
    by_start.sort_unstable();
    let mut by_end: Vec<(T, T, u32)> = intervals
        .iter()
        .map(|&(id, first, last)| (last, first, id))
        .collect();
    drop(intervals);
    by_end.sort_unstable();

    let mut next_insert = 0;
    for &(last, first, query) in &by_end {
        // Insert every interval that starts at or before the query's end.
        while let Some(&(start, id, slot)) = by_start.get(next_insert) {
            if start > last {
                break;
            }
            let mut slot = slot as usize;
            while slot < tree.len() {
                tree[slot].add(id);
                slot += slot & slot.wrapping_neg();
            }
            next_insert += 1;
        }
        // Among them, those ending at or after the query's start intersect it.
        let mut lowest = LowestTwo::EMPTY;
        let mut slot = slot_of_end(first);
        while slot > 0 {
            lowest.merge(tree[slot]);
            slot -= slot & slot.wrapping_neg();
        }
        result[query as usize] = lowest.lowest_except(query).filter(|&other| other < query);
    }
}

/// The obviously correct quadratic version, for tests.
pub fn first_earlier_overlap_reference(intervals: &[Interval]) -> Vec<Option<u32>> {
    (0..intervals.len())
        .map(|i| (0..i).find(|&j| intervals[j].intersects(intervals[i])))
        .map(|first| first.map(|first| first as u32))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ip::Family;

    fn v4(first: u128, last: u128) -> Interval {
        Interval {
            family: Family::V4,
            first,
            last,
        }
    }

    #[test]
    fn reports_the_first_earlier_overlap() {
        let intervals = [v4(10, 20), v4(30, 40), v4(15, 35), v4(10, 20), v4(41, 50)];
        assert_eq!(
            first_earlier_overlap(intervals.iter().copied()),
            vec![None, None, Some(0), Some(0), None]
        );
    }

    #[test]
    fn families_never_overlap() {
        let v6 = Interval {
            family: Family::V6,
            first: 10,
            last: 20,
        };
        assert_eq!(
            first_earlier_overlap([v4(10, 20), v6].into_iter()),
            vec![None, None]
        );
    }

    #[test]
    fn a_later_container_is_not_earlier() {
        let intervals = [v4(5, 6), v4(0, 100)];
        assert_eq!(
            first_earlier_overlap(intervals.iter().copied()),
            vec![None, Some(0)]
        );
    }
}
