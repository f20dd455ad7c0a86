//! `address-outside-pool`, `address-in-reserved-range`, `gateway-in-pool`: where an address
//! lies among the ranges of its subnet.
//!
//! A range R lies inside subnet S and holds address a exactly when a's subnet is S and R's
//! subnet is S too (prefixes holding one address are nested), so each subnet's own ranges,
//! by type, answer "which range of type T holds a" with a binary search.

use crate::finding::Finding;
use crate::model::kinds::AllocType;
use crate::model::{AddrRange, Address, Model, RangeId, SubnetId};

use super::{Context, Rule};

const TYPES: [AllocType; 4] = [
    AllocType::Static,
    AllocType::Dhcp,
    AllocType::Vip,
    AllocType::Reserved,
];

fn type_slot(kind: AllocType) -> usize {
    TYPES.iter().position(|&t| t == kind).unwrap_or(0)
}

/// Per subnet, its own ranges by type, answering "which range of type T holds a" in
/// O(log n); and the types of every range lying inside it. One flat layout for all
/// subnets: a plan has tens of thousands of subnets, each with a few ranges.
struct SubnetRanges {
    /// The ranges of subnet `s` and type slot `t` are at `bucket[4s + t] .. bucket[4s + t + 1]`
    /// of `starts` and `reach`, sorted by start.
    bucket: Vec<u32>,
    starts: Vec<u128>,
    /// At position i of a bucket: the highest end among its ranges up to i, and whose it is.
    reach: Vec<(u128, RangeId)>,
    /// Bit per type: a range of that type lies wholly inside the subnet (nested ones included).
    types_inside: Vec<u8>,
}

impl SubnetRanges {
    fn of(context: &Context) -> SubnetRanges {
        let model = context.model;
        let containment = &context.containment;
        let bucket_of = |id: RangeId| {
            let subnet = containment.range_subnet.get(id)?;
            Some(subnet * TYPES.len() + type_slot(model.ranges[id].kind))
        };
        // Bucket sort: count, then place each range at its bucket's next free position.
        let mut bucket = vec![0u32; model.subnets.len() * TYPES.len() + 1];
        for id in 0..model.ranges.len() {
            if let Some(b) = bucket_of(id) {
                bucket[b + 1] += 1;
            }
        }
        for b in 1..bucket.len() {
            bucket[b] += bucket[b - 1];
        }
        let mut ids: Vec<RangeId> = vec![0; bucket[bucket.len() - 1] as usize];
        let mut next = bucket.clone();
        for id in 0..model.ranges.len() {
            if let Some(b) = bucket_of(id) {
                ids[next[b] as usize] = id;
                next[b] += 1;
            }
        }
        let interval = |id: RangeId| model.ranges[id].interval();
        let mut reach: Vec<(u128, RangeId)> = Vec::with_capacity(ids.len());
        for b in 0..bucket.len() - 1 {
            let within = &mut ids[bucket[b] as usize..bucket[b + 1] as usize];
            within.sort_unstable_by_key(|&id| (interval(id).first, id));
            let mut best: Option<(u128, RangeId)> = None;
            for &id in within.iter() {
                let last = interval(id).last;
                let highest = match best {
                    Some((end, holder)) if end >= last => (end, holder),
                    _ => (last, id),
                };
                best = Some(highest);
                reach.push(highest);
            }
        }
        let starts = ids.iter().map(|&id| interval(id).first).collect();

        let mut types_inside = vec![0u8; model.subnets.len()];
        for (subnet, inside) in types_inside.iter_mut().enumerate() {
            for (slot, _) in TYPES.iter().enumerate() {
                let b = subnet * TYPES.len() + slot;
                if bucket[b] != bucket[b + 1] {
                    *inside |= 1 << slot;
                }
            }
        }
        // A range inside a nested subnet also lies inside every subnet around it: pass the
        // types up, deepest subnets first.
        let mut by_depth: Vec<SubnetId> = (0..model.subnets.len()).collect();
        by_depth.sort_unstable_by_key(|&id| std::cmp::Reverse(model.subnets[id].cidr.value.len));
        for id in by_depth {
            let prefix = model.subnets[id].cidr.value;
            if prefix.len == 0 || types_inside[id] == 0 {
                continue;
            }
            let parent = containment.subnets_by_space[model.subnets[id].common.space as usize]
                .smallest_containing(prefix.interval(), prefix.len - 1, None);
            if let Some(parent) = parent {
                types_inside[parent] |= types_inside[id];
            }
        }
        SubnetRanges {
            bucket,
            starts,
            reach,
            types_inside,
        }
    }

    /// A range of type `kind` among the subnet's own that holds `bits`, if any.
    fn holding(&self, subnet: SubnetId, kind: AllocType, bits: u128) -> Option<RangeId> {
        let b = subnet * TYPES.len() + type_slot(kind);
        let (from, to) = (self.bucket[b] as usize, self.bucket[b + 1] as usize);
        let count = self.starts[from..to].partition_point(|&start| start <= bits);
        if count == 0 {
            return None;
        }
        let (end, id) = self.reach[from + count - 1];
        (end >= bits).then_some(id)
    }

    fn has_inside(&self, subnet: SubnetId, kind: AllocType) -> bool {
        self.types_inside[subnet] & (1 << type_slot(kind)) != 0
    }
}

pub fn check(context: &Context, findings: &mut Vec<Finding>) {
    let ranges = SubnetRanges::of(context);
    addresses_among_ranges(context, &ranges, findings);
    gateway_in_pool(context, &ranges, findings);
}

/// One pass over the addresses for the two rules that place an address among its subnet's
/// ranges. A reserved range is looked at first: an address in one is reported for that
/// alone.
fn addresses_among_ranges(context: &Context, ranges: &SubnetRanges, findings: &mut Vec<Finding>) {
    let model = context.model;
    for (id, address) in model.addresses.iter().enumerate() {
        let Some(subnet) = context.containment.address_subnet.get(id) else {
            continue;
        };
        if address.kind == AllocType::Reserved {
            continue;
        }
        let bits = { address.ip(model).bits };
        if let Some(reserved) = ranges.holding(subnet, AllocType::Reserved, bits) {
            findings.push(address_in_reserved_range(
                model,
                address,
                &model.ranges[reserved],
            ));
        } else if let Some(finding) = address_outside_pool(model, ranges, address, subnet, bits) {
            findings.push(finding);
        }
    }
}

pub const ADDRESS_IN_RESERVED_RANGE_DOCS: &str = r#"## What it finds

An address of type other than `reserved` inside a `reserved` range of its subnet.

## Why it matters

A reserved range sets addresses aside (for printers, appliances, future use); assigning one
of them to a host defeats the reservation.

## Example

```yaml
subnets:
  - { cidr: 10.0.0.0/24 }
ranges:
  - { start: 10.0.0.10, end: 10.0.0.99 }
  - { start: 10.0.0.50, end: 10.0.0.59, type: reserved }
addresses:
  - { ip: 10.0.0.55 }
```

Fixed:

```yaml
subnets:
  - { cidr: 10.0.0.0/24 }
ranges:
  - { start: 10.0.0.10, end: 10.0.0.99 }
  - { start: 10.0.0.50, end: 10.0.0.59, type: reserved }
addresses:
  - { ip: 10.0.0.60 }
```
"#;

fn address_in_reserved_range(model: &Model, address: &Address, range: &AddrRange) -> Finding {
    Finding::new(
        Rule::AddressInReservedRange,
        address.ip_span(),
        format!(
            "{} address {} lies in reserved range {}",
            address.kind.as_str(),
            address.ip(model),
            range.describe()
        ),
    )
    .related(
        range.start.span,
        format!("reserved range {} declared here", range.describe()),
    )
    .in_space(model.space_name(address.space))
}

pub const ADDRESS_OUTSIDE_POOL_DOCS: &str = r#"## What it finds

An address of type `static`, `dhcp` or `vip` that lies only in pools of other types, or
outside every pool of its type when its subnet has pools of that type. An address whose
subnet has no pool of its type is not checked, and `reserved` addresses never are.

## Why it matters

A static address inside a DHCP pool will be leased to another host; a VIP outside the VIP
pool escapes the load balancer's allocation.

## Example

```yaml
subnets:
  - { cidr: 10.0.0.0/24 }
ranges:
  - { start: 10.0.0.10, end: 10.0.0.99, type: static }
  - { start: 10.0.0.100, end: 10.0.0.199, type: dhcp }
addresses:
  - { ip: 10.0.0.150, name: db-01 }
```

Fixed:

```yaml
subnets:
  - { cidr: 10.0.0.0/24 }
ranges:
  - { start: 10.0.0.10, end: 10.0.0.99, type: static }
  - { start: 10.0.0.100, end: 10.0.0.199, type: dhcp }
addresses:
  - { ip: 10.0.0.15, name: db-01 }
```
"#;

/// `bits` is the address's value; `subnet` the subnet that holds it.
fn address_outside_pool(
    model: &Model,
    ranges: &SubnetRanges,
    address: &Address,
    subnet: SubnetId,
    bits: u128,
) -> Option<Finding> {
    let kind = address.kind;
    if ranges.holding(subnet, kind, bits).is_some() {
        return None;
    }
    let space_name = model.space_name(address.space);
    let other_pool = TYPES
        .iter()
        .filter(|&&t| t.is_pool() && t != kind)
        .find_map(|&t| ranges.holding(subnet, t, bits));
    if let Some(other) = other_pool {
        let range = &model.ranges[other];
        return Some(
            Finding::new(
                Rule::AddressOutsidePool,
                address.ip_span(),
                format!(
                    "{} address {} lies in {} pool {}, not in a {} pool",
                    kind.as_str(),
                    address.ip(model),
                    range.kind.as_str(),
                    range.describe(),
                    kind.as_str()
                ),
            )
            .related(
                range.start.span,
                format!(
                    "{} pool {} declared here",
                    range.kind.as_str(),
                    range.describe()
                ),
            )
            .in_space(space_name)
            .help(format!(
                "set `type: {}` on the address, or move it into a {} pool",
                range.kind.as_str(),
                kind.as_str()
            )),
        );
    }
    if !ranges.has_inside(subnet, kind) {
        return None;
    }
    let subnet = &model.subnets[subnet];
    Some(
        Finding::new(
            Rule::AddressOutsidePool,
            address.ip_span(),
            format!(
                "{} address {} is outside every {} pool of subnet {}",
                kind.as_str(),
                address.ip(model),
                kind.as_str(),
                subnet.cidr.value
            ),
        )
        .related(
            subnet.cidr.span,
            format!("subnet {} declared here", subnet.cidr.value),
        )
        .in_space(space_name),
    )
}

pub const GATEWAY_IN_POOL_DOCS: &str = r#"## What it finds

A subnet's `gateway` inside one of its `static`, `dhcp` or `vip` ranges.

## Why it matters

The pool will hand the gateway's address to a host, and the whole subnet loses its way out.

## Example

```yaml
subnets:
  - { cidr: 10.0.0.0/24, gateway: 10.0.0.10 }
ranges:
  - { start: 10.0.0.10, end: 10.0.0.99, type: dhcp }
```

Fixed:

```yaml
subnets:
  - { cidr: 10.0.0.0/24, gateway: 10.0.0.1 }
ranges:
  - { start: 10.0.0.10, end: 10.0.0.99, type: dhcp }
```
"#;

fn gateway_in_pool(context: &Context, ranges: &SubnetRanges, findings: &mut Vec<Finding>) {
    let model = context.model;
    for (id, subnet) in model.subnets.iter().enumerate() {
        let Some(gateway) = &subnet.gateway else {
            continue;
        };
        // The gateway's own subnet is this one, or one nested in it.
        let Some(holder) = context.containment.gateway_subnet.get(id) else {
            continue;
        };
        if !subnet
            .cidr
            .value
            .contains_prefix(model.subnets[holder].cidr.value)
        {
            continue;
        }
        let pool = TYPES
            .iter()
            .filter(|t| t.is_pool())
            .find_map(|&t| ranges.holding(holder, t, gateway.value.bits));
        let Some(pool) = pool else {
            continue;
        };
        let range = &model.ranges[pool];
        findings.push(
            Finding::new(
                Rule::GatewayInPool,
                gateway.span,
                format!(
                    "gateway {} of subnet {} lies in {} pool {}",
                    gateway.value,
                    subnet.cidr.value,
                    range.kind.as_str(),
                    range.describe()
                ),
            )
            .related(range.start.span, format!("pool {} declared here", range.describe()))
            .in_space(model.space_name(subnet.common.space))
            .help("a pool may hand the gateway's address to a host; keep the gateway outside the pools"),
        );
    }
}
