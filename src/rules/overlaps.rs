//! `overlapping-subnets` and `overlapping-ranges`: declarations of one space that share
//! addresses, each reported once against the first earlier one it overlaps.

use crate::finding::Finding;
use crate::model::ip::Interval;
use crate::model::overlap::first_earlier_overlap;

use super::free_prefix::FreePrefixFinder;
use super::{Context, Rule};

pub fn check(context: &Context, findings: &mut Vec<Finding>) {
    overlapping_subnets(context, findings);
    overlapping_pools(context, findings);
}

/// Ids grouped by space, each group in canonical order.
fn by_space(spaces: usize, space_of: impl Iterator<Item = Option<usize>>) -> Vec<Vec<usize>> {
    let mut groups = vec![Vec::new(); spaces];
    for (id, space) in space_of.enumerate() {
        if let Some(space) = space {
            groups[space].push(id);
        }
    }
    groups
}

fn overlapping_subnets(context: &Context, findings: &mut Vec<Finding>) {
    let model = context.model;
    let subnets = &model.subnets;
    let mut free = FreePrefixFinder::default();
    let groups = by_space(
        model.spaces.len(),
        subnets.iter().map(|s| Some(s.common.space)),
    );
    for (space, ids) in groups.iter().enumerate() {
        let intervals: Vec<Interval> = ids
            .iter()
            .map(|&id| subnets[id].cidr.value.interval())
            .collect();
        let index = &context.containment.subnets_by_space[space];
        for (position, earlier) in first_earlier_overlap(&intervals).into_iter().enumerate() {
            let Some(earlier) = earlier else { continue };
            let (id, other) = (ids[position], ids[earlier]);
            let (x, y) = (&subnets[id], &subnets[other]);
            // A repeat of an earlier CIDR is a duplicate, reported as such and only as such. The
            // smallest container of a subnet's own CIDR is that CIDR, first declaration first.
            let first_of_cidr =
                index.smallest_containing(x.cidr.value.interval(), x.cidr.value.len, None);
            if first_of_cidr != Some(id) {
                continue;
            }
            let space_name = model.space_name(space);
            let (by_x, by_y) = context.sides(x.cidr.span, y.cidr.span);
            let mut finding = Finding::new(
                Rule::OverlappingSubnets,
                x.cidr.span,
                format!(
                    "subnet {}{by_x} overlaps subnet {}{by_y} in space {space_name}",
                    x.cidr.value, y.cidr.value
                ),
            )
            .related(y.cidr.span, format!("{} declared here", y.cidr.value))
            .in_space(space_name);
            if let Some(help) = free.help(
                model,
                context.containment.subnet_block[id],
                x.cidr.value.len,
            ) {
                finding = finding.help(help);
            }
            findings.push(finding);
        }
    }
}

fn overlapping_pools(context: &Context, findings: &mut Vec<Finding>) {
    let model = context.model;
    let ranges = &model.ranges;
    let groups = by_space(
        model.spaces.len(),
        ranges
            .iter()
            .map(|r| r.kind.is_pool().then_some(r.common.space)),
    );
    for (space, ids) in groups.iter().enumerate() {
        let intervals: Vec<Interval> = ids.iter().map(|&id| ranges[id].interval()).collect();
        for (position, earlier) in first_earlier_overlap(&intervals).into_iter().enumerate() {
            let Some(earlier) = earlier else { continue };
            let (x, y) = (&ranges[ids[position]], &ranges[ids[earlier]]);
            let space_name = model.space_name(space);
            let (by_x, by_y) = context.sides(x.start.span, y.start.span);
            findings.push(
                Finding::new(
                    Rule::OverlappingRanges,
                    x.start.span,
                    format!(
                        "{} pool {}{by_x} overlaps {} pool {}{by_y} in space {space_name}",
                        x.kind.as_str(),
                        x.describe(),
                        y.kind.as_str(),
                        y.describe()
                    ),
                )
                .related(y.start.span, format!("pool {} declared here", y.describe()))
                .in_space(space_name)
                .help("pools of one space must not share addresses; use a `reserved` range to carve addresses out of a pool"),
            );
        }
    }
}
