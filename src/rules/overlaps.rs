//! `overlapping-subnets` and `overlapping-ranges`: declarations of one space that share
//! addresses, each reported once against the first earlier one it overlaps.

use crate::finding::Finding;
use crate::model::SpaceId;
use crate::model::overlap::first_earlier_overlap;

use super::free_prefix::FreePrefixHelp;
use super::{Context, Rule};

pub fn check(context: &Context, findings: &mut Vec<Finding>) {
    overlapping_subnets(context, findings);
    overlapping_ranges(context, findings);
}

/// Ids grouped by space, each group in canonical order.
fn by_space(spaces: usize, space_of: impl Iterator<Item = Option<SpaceId>>) -> Vec<Vec<u32>> {
    let mut groups = vec![Vec::new(); spaces];
    for (id, space) in space_of.enumerate() {
        if let Some(space) = space {
            groups[space as usize].push(id as u32);
        }
    }
    groups
}

pub const OVERLAPPING_SUBNETS_DOCS: &str = r#"## What it finds

Two different subnets of one address space that share addresses: one contains the other.
The help names the first free prefix of the same size in the same block.

## Why it matters

Routers send the shared addresses to the more specific subnet; hosts on the larger one
cannot reach them, and both pools may hand out the same address.

## Example

```yaml
subnets:
  - { cidr: 10.10.1.0/24 }
  - { cidr: 10.10.1.0/25 }
```

Fixed:

```yaml
subnets:
  - { cidr: 10.10.1.0/24 }
  - { cidr: 10.10.2.0/25 }
```
"#;

fn overlapping_subnets(context: &Context, findings: &mut Vec<Finding>) {
    let model = context.model;
    let subnets = &model.subnets;
    let mut free = FreePrefixHelp::new(model);
    let groups = by_space(
        model.spaces.len(),
        subnets.iter().map(|s| Some(s.common.space)),
    );
    for (space, ids) in groups.iter().enumerate() {
        let intervals = ids
            .iter()
            .map(|&id| subnets[id as usize].cidr.value.interval());
        let index = &context.containment.subnets_by_space[space];
        for (position, earlier) in first_earlier_overlap(intervals).into_iter().enumerate() {
            let Some(earlier) = earlier else { continue };
            let (id, other) = (ids[position] as usize, ids[earlier as usize] as usize);
            let (x, y) = (&subnets[id], &subnets[other]);
            // A repeat of an earlier CIDR is a duplicate, reported as such and only as such. The
            // smallest container of a subnet's own CIDR is that CIDR, first declaration first.
            let first_of_cidr =
                index.smallest_containing(x.cidr.value.interval(), x.cidr.value.len, None);
            if first_of_cidr != Some(id) {
                continue;
            }
            let space_name = model.space_name(space as SpaceId);
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
            if let Some(help) =
                free.help(context.containment.subnet_block.get(id), x.cidr.value.len)
            {
                finding = finding.help(help);
            }
            findings.push(finding);
        }
    }
}

pub const OVERLAPPING_RANGES_DOCS: &str = r#"## What it finds

Two pools (ranges of type `static`, `dhcp` or `vip`) of one address space that share
addresses, identical ones included. A `reserved` range may lie anywhere, inside a pool too:
it carves addresses out of it.

## Why it matters

Two allocators handing out the same addresses will, sooner or later, hand out the same one
twice.

## Example

```yaml
subnets:
  - { cidr: 10.0.0.0/24 }
ranges:
  - { start: 10.0.0.10, end: 10.0.0.50, type: dhcp }
  - { start: 10.0.0.40, end: 10.0.0.60, type: static }
```

Fixed:

```yaml
subnets:
  - { cidr: 10.0.0.0/24 }
ranges:
  - { start: 10.0.0.10, end: 10.0.0.39, type: dhcp }
  - { start: 10.0.0.40, end: 10.0.0.60, type: static }
```
"#;

fn overlapping_ranges(context: &Context, findings: &mut Vec<Finding>) {
    let model = context.model;
    let ranges = &model.ranges;
    let groups = by_space(
        model.spaces.len(),
        ranges
            .iter()
            .map(|r| r.kind.is_pool().then_some(r.common.space)),
    );
    for (space, ids) in groups.iter().enumerate() {
        let intervals = ids.iter().map(|&id| ranges[id as usize].interval());
        for (position, earlier) in first_earlier_overlap(intervals).into_iter().enumerate() {
            let Some(earlier) = earlier else { continue };
            let (x, y) = (
                &ranges[ids[position] as usize],
                &ranges[ids[earlier as usize] as usize],
            );
            let space_name = model.space_name(space as SpaceId);
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
