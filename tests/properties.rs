//! The fast interval engines against slow, obviously correct references on random input.

use std::fmt::Write as _;

use ipam_lint::check::{Outcome, check_paths};
use ipam_lint::model::ip::{Addr, Family, Interval, Prefix};
use ipam_lint::model::overlap::{first_earlier_overlap, first_earlier_overlap_reference};
use ipam_lint::model::prefix_index::PrefixIndex;
use proptest::prelude::*;

fn interval() -> impl Strategy<Value = Interval> {
    (any::<bool>(), 0u128..64, 0u128..16).prop_map(|(v6, first, width)| Interval {
        family: if v6 { Family::V6 } else { Family::V4 },
        first,
        last: first + width,
    })
}

/// Prefixes of 10.0.0.0/24 between /24 and /30, so that nesting and repeats are common.
fn small_prefix() -> impl Strategy<Value = Prefix> {
    (24u8..=30, 0u32..256).prop_map(|(len, host)| {
        let addr = Addr::parse(&format!("10.0.0.{host}")).unwrap();
        Prefix::of(addr, len)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn overlap_engine_matches_the_quadratic_reference(intervals in prop::collection::vec(interval(), 0..60)) {
        prop_assert_eq!(first_earlier_overlap(intervals.iter().copied()), first_earlier_overlap_reference(&intervals));
    }

    #[test]
    fn prefix_index_finds_the_smallest_first_container(
        prefixes in prop::collection::vec(small_prefix(), 0..20),
        host in 0u32..256,
        except in prop::option::of(0usize..20),
    ) {
        let index = PrefixIndex::new(prefixes.iter().copied().enumerate());
        let addr = Addr::parse(&format!("10.0.0.{host}")).unwrap();
        let expected = prefixes
            .iter()
            .enumerate()
            .filter(|(id, p)| p.contains_addr(addr) && Some(*id) != except)
            .max_by(|(a_id, a), (b_id, b)| a.len.cmp(&b.len).then(b_id.cmp(a_id)))
            .map(|(id, _)| id);
        prop_assert_eq!(index.smallest_containing(Interval::of_addr(addr), 32, except), expected);
    }
}

/// One random plan: subnets, pools and addresses in a small corner of 10.0.0.0/24.
#[derive(Debug, Clone)]
struct Plan {
    subnets: Vec<Prefix>,
    pools: Vec<(u32, u32)>,
    addresses: Vec<u32>,
}

fn plan() -> impl Strategy<Value = Plan> {
    (
        prop::collection::vec(small_prefix(), 1..25),
        prop::collection::vec((0u32..256, 0u32..24), 0..25),
        prop::collection::vec(0u32..256, 0..25),
    )
        .prop_map(|(subnets, pools, addresses)| Plan {
            subnets,
            pools: pools
                .into_iter()
                .map(|(start, width)| (start, (start + width).min(255)))
                .collect(),
            addresses,
        })
}

/// Each item on its own line, at a line we know: subnet i at line 2 + i, and so on.
fn plan_yaml(plan: &Plan) -> String {
    let mut text = String::from("subnets:\n");
    for subnet in &plan.subnets {
        writeln!(text, "  - {{ cidr: {subnet} }}").unwrap();
    }
    text.push_str("ranges:\n");
    for (start, end) in &plan.pools {
        writeln!(text, "  - {{ start: 10.0.0.{start}, end: 10.0.0.{end} }}").unwrap();
    }
    text.push_str("addresses:\n");
    for host in &plan.addresses {
        writeln!(text, "  - {{ ip: 10.0.0.{host}, type: reserved }}").unwrap();
    }
    text
}

/// The line of address `i` in [`plan_yaml`]: after the subnets, the pools and two keys.
fn address_line(plan: &Plan, i: usize) -> usize {
    4 + plan.subnets.len() + plan.pools.len() + i
}

/// The outcome of checking `plan` written as one file.
fn check_plan(plan: &Plan) -> Outcome {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("plan.yaml"), plan_yaml(plan)).unwrap();
    check_paths(&[dir.path().to_path_buf()]).unwrap()
}

/// (rule, line, related line) for the pairwise rules, computed the slow way from the spec.
fn pairwise_reference(plan: &Plan) -> Vec<(String, usize, usize)> {
    let mut expected = Vec::new();
    let subnet_line = |i: usize| 2 + i;
    for (i, x) in plan.subnets.iter().enumerate() {
        if let Some(j) = (0..i).find(|&j| plan.subnets[j] == *x) {
            expected.push((
                "duplicate-subnet".to_owned(),
                subnet_line(i),
                subnet_line(j),
            ));
        } else if let Some(j) = (0..i)
            .find(|&j| plan.subnets[j].contains_prefix(*x) || x.contains_prefix(plan.subnets[j]))
        {
            expected.push((
                "overlapping-subnets".to_owned(),
                subnet_line(i),
                subnet_line(j),
            ));
        }
    }
    let range_line = |i: usize| 3 + plan.subnets.len() + i;
    for (i, &(start, end)) in plan.pools.iter().enumerate() {
        if let Some(j) = (0..i).find(|&j| plan.pools[j].0 <= end && start <= plan.pools[j].1) {
            expected.push((
                "overlapping-ranges".to_owned(),
                range_line(i),
                range_line(j),
            ));
        }
    }
    for (i, host) in plan.addresses.iter().enumerate() {
        if let Some(j) = (0..i).find(|&j| plan.addresses[j] == *host) {
            expected.push((
                "duplicate-address".to_owned(),
                address_line(plan, i),
                address_line(plan, j),
            ));
        }
    }
    expected.sort();
    expected
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn pairwise_rules_match_the_reference_on_random_plans(plan in plan()) {
        let outcome = check_plan(&plan);
        let file = &outcome.files[0];
        let pairwise = ["duplicate-subnet", "overlapping-subnets", "overlapping-ranges", "duplicate-address"];
        let mut reported: Vec<(String, usize, usize)> = outcome
            .findings
            .iter()
            .filter(|f| pairwise.contains(&f.rule.name()))
            .map(|f| {
                let related = f.related.first().map_or(0, |r| file.position(r.span.start).line);
                (f.rule.name().to_owned(), file.position(f.primary.start).line, related)
            })
            .collect();
        reported.sort();
        prop_assert_eq!(reported, pairwise_reference(&plan));
    }
}

/// The lines of the addresses that `unusable-address` must report, the slow way: each
/// address's holder is the longest subnet containing it, the first declared among equals,
/// and the address is unusable if it is that subnet's network or broadcast address (IPv4,
/// up to /30).
fn unusable_addresses_reference(plan: &Plan) -> Vec<usize> {
    let mut lines = Vec::new();
    for (i, &host) in plan.addresses.iter().enumerate() {
        let addr = Addr::parse(&format!("10.0.0.{host}")).unwrap();
        let holder = plan
            .subnets
            .iter()
            .enumerate()
            .filter(|(_, s)| s.contains_addr(addr))
            .max_by_key(|&(id, s)| (s.len, std::cmp::Reverse(id)))
            .map(|(_, s)| *s);
        if let Some(subnet) = holder
            && subnet.len <= 30
            && (addr.bits == subnet.first() || addr.bits == subnet.last())
        {
            lines.push(address_line(plan, i));
        }
    }
    lines
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn unusable_addresses_match_the_reference_on_random_plans(plan in plan()) {
        let outcome = check_plan(&plan);
        let file = &outcome.files[0];
        let first_address_line = address_line(&plan, 0);
        let reported: Vec<usize> = outcome
            .findings
            .iter()
            .filter(|f| f.rule.name() == "unusable-address")
            .map(|f| file.position(f.primary.start).line)
            .filter(|&line| line >= first_address_line)
            .collect();
        prop_assert_eq!(reported, unusable_addresses_reference(&plan));
    }
}
