//! The first earlier overlap: for each interval, the first interval before it (in the given
//! order, the canonical order) that shares an address with it.
//!
//! Sorting and a Fenwick tree give O(n log n): intervals are inserted by start, each is
//! queried once its end is reached, and the tree keeps, per end coordinate, the two lowest
//! ids seen, so the lowest id other than the queried interval itself is always at hand.

use super::ip::Interval;

/// The two lowest ids of a set, lowest first.
#[derive(Clone, Copy, Debug)]
struct LowestTwo(Option<usize>, Option<usize>);

impl LowestTwo {
    const EMPTY: LowestTwo = LowestTwo(None, None);

    fn add(&mut self, id: usize) {
        match (self.0, self.1) {
            (Some(a), _) if id == a => {}
            (Some(_), Some(b)) if id == b => {}
            (None, _) => self.0 = Some(id),
            (Some(a), _) if id < a => {
                self.1 = self.0;
                self.0 = Some(id);
            }
            (Some(_), None) => self.1 = Some(id),
            (Some(_), Some(b)) if id < b => self.1 = Some(id),
            _ => {}
        }
    }

    fn merge(&mut self, other: LowestTwo) {
        for id in [other.0, other.1].into_iter().flatten() {
            self.add(id);
        }
    }

    fn lowest_except(self, id: usize) -> Option<usize> {
        [self.0, self.1]
            .into_iter()
            .flatten()
            .find(|&other| other != id)
    }
}

/// For each interval, the index of the first interval before it in the slice that shares
/// an address with it (identical intervals included), or `None`.
pub fn first_earlier_overlap(intervals: &[Interval]) -> Vec<Option<usize>> {
    let n = intervals.len();
    let mut result = vec![None; n];
    if n < 2 {
        return result;
    }
    // Compare (family, coordinate) so that the two families never meet.
    let key = |family, bits| (family, bits);

    // Ends, sorted and deduplicated, are the tree's coordinates; the tree answers "lowest ids
    // among inserted intervals whose end is at least X" through reversed positions.
    let mut ends: Vec<_> = intervals.iter().map(|i| key(i.family, i.last)).collect();
    ends.sort_unstable();
    ends.dedup();
    let slot_of_end = |family, bits| {
        let rank = ends.partition_point(|&e| e < key(family, bits));
        ends.len() - rank // reversed, 1-based
    };
    let mut tree = vec![LowestTwo::EMPTY; ends.len() + 1];

    let mut by_start: Vec<usize> = (0..n).collect();
    by_start.sort_unstable_by_key(|&i| key(intervals[i].family, intervals[i].first));
    let mut by_end: Vec<usize> = (0..n).collect();
    by_end.sort_unstable_by_key(|&i| key(intervals[i].family, intervals[i].last));

    let mut next_insert = 0;
    for &query in &by_end {
        let q = intervals[query];
        // Insert every interval that starts at or before the query's end (same family).
        while next_insert < n {
            let candidate = intervals[by_start[next_insert]];
            if key(candidate.family, candidate.first) > key(q.family, q.last) {
                break;
            }
            let mut slot = slot_of_end(candidate.family, candidate.last);
            while slot < tree.len() {
                tree[slot].add(by_start[next_insert]);
                slot += slot & slot.wrapping_neg();
            }
            next_insert += 1;
        }
        // Among them, those ending at or after the query's start intersect it. Intervals of
        // the other family have ends below or above the whole family and are excluded by
        // the key order: lower family ends are below `q.first`, higher family starts are
        // above `q.last` and were never inserted.
        let mut lowest = LowestTwo::EMPTY;
        let mut slot = slot_of_end(q.family, q.first);
        while slot > 0 {
            lowest.merge(tree[slot]);
            slot -= slot & slot.wrapping_neg();
        }
        result[query] = lowest.lowest_except(query).filter(|&other| other < query);
    }
    result
}

/// The obviously correct quadratic version, for tests.
pub fn first_earlier_overlap_reference(intervals: &[Interval]) -> Vec<Option<usize>> {
    (0..intervals.len())
        .map(|i| (0..i).find(|&j| intervals[j].intersects(intervals[i])))
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
            first_earlier_overlap(&intervals),
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
        assert_eq!(first_earlier_overlap(&[v4(10, 20), v6]), vec![None, None]);
    }

    #[test]
    fn a_later_container_is_not_earlier() {
        let intervals = [v4(5, 6), v4(0, 100)];
        assert_eq!(first_earlier_overlap(&intervals), vec![None, Some(0)]);
    }
}
