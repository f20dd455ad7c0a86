//! `unusable-address`: an address, gateway or pool that takes a subnet's network address
//! or (IPv4) broadcast address. IPv4 up to /30 and IPv6 up to /126 have them; the IPv6
//! network address is the Subnet-Router anycast address.

use crate::finding::Finding;
use crate::model::ip::Interval;
use crate::model::{Address, Model, SubnetId};
use crate::source::Span;

use super::{Context, Rule};

pub fn check(context: &Context, findings: &mut Vec<Finding>) {
    let model = context.model;
    let containment = &context.containment;
    for (id, address) in suspect_addresses(context) {
        findings.extend(unusable_address(
            model,
            &|| format!("address {}", address.ip(model)),
            address.ip_span(),
            Interval::of_addr(address.ip(model)),
            containment.address_subnet.get(id),
        ));
    }
    for (id, subnet) in model.subnets.iter().enumerate() {
        if let Some(gateway) = &subnet.gateway {
            findings.extend(unusable_address(
                model,
                &|| format!("gateway {}", gateway.value),
                gateway.span,
                Interval::of_addr(gateway.value),
                containment.gateway_subnet.get(id),
            ));
        }
    }
    for (id, range) in model.ranges.iter().enumerate() {
        if range.kind.is_pool() {
            findings.extend(unusable_address(
                model,
                &|| format!("{} pool {}", range.kind.as_str(), range.describe()),
                range.start.span,
                range.interval(),
                containment.range_subnet.get(id),
            ));
        }
    }
}

/// The addresses that may be unusable, with their ids. An address is unusable only if it
/// equals a reserved address of the subnet holding it, so that subnet's reserved addresses
/// are declared in its space: the index finds those subnets (in a sound plan, none), and
/// only the addresses they hold are looked at.
fn suspect_addresses<'m>(context: &Context<'m>) -> impl Iterator<Item = (usize, &'m Address)> {
    let model = context.model;
    let mut counter = context.addresses.counter();
    let suspect: Vec<bool> = model
        .subnets
        .iter()
        .map(|subnet| {
            subnet.unusable().into_iter().flatten().any(|(bits, _)| {
                let reserved = Interval {
                    family: subnet.cidr.value.family(),
                    first: bits,
                    last: bits,
                };
                counter.distinct_in(subnet.common.space, reserved) > 0
            })
        })
        .collect();
    // Most plans have no suspect subnet: their addresses need not be looked at.
    let addresses = match suspect.contains(&true) {
        true => &model.addresses[..],
        false => &[],
    };
    let holders = &context.containment.address_subnet;
    addresses
        .iter()
        .enumerate()
        .filter(move |(id, _)| holders.get(*id).is_some_and(|subnet| suspect[subnet]))
}

pub const UNUSABLE_ADDRESS_DOCS: &str = r#"## What it finds

An address, a gateway or a pool that includes its subnet's network address, or its
broadcast address (IPv4), for IPv4 subnets up to /30 and IPv6 subnets up to /126. The IPv6
network address is the Subnet-Router anycast address. /31, /32, /127 and /128 subnets have
none. A `reserved` range may include them.

## Why it matters

A host given the network or broadcast address cannot talk to its neighbours; a pool that
includes one will one day hand it out.

## Example

```yaml
subnets:
  - { cidr: 10.0.0.0/24, gateway: 10.0.0.255 }
```

Fixed:

```yaml
subnets:
  - { cidr: 10.0.0.0/24, gateway: 10.0.0.254 }
```
"#;

/// `span` (an address, or a pool's addresses) taking a reserved address of `subnet`, the
/// subnet that holds it. `describe` is called only for a finding: most are usable.
fn unusable_address(
    model: &Model,
    describe: &dyn Fn() -> String,
    at: Span,
    span: Interval,
    subnet: Option<SubnetId>,
) -> Option<Finding> {
    let subnet = &model.subnets[subnet?];
    let (bits, role) = subnet
        .unusable()
        .into_iter()
        .flatten()
        .find(|&(bits, _)| span.contains_bits(subnet.cidr.value.family(), bits))?;
    let message = if span.first == span.last {
        format!(
            "{} is the {role} of subnet {}",
            describe(),
            subnet.cidr.value
        )
    } else {
        format!(
            "{} includes {}, the {role} of subnet {}",
            describe(),
            span.addr(bits),
            subnet.cidr.value
        )
    };
    Some(
        Finding::new(Rule::UnusableAddress, at, message)
            .related(
                subnet.cidr.span,
                format!("subnet {} declared here", subnet.cidr.value),
            )
            .in_space(model.space_name(subnet.common.space)),
    )
}
