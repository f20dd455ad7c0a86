//! `subnet-outside-block`, `range-outside-subnet`, `address-outside-subnet`,
//! `gateway-outside-subnet`: declarations that lie where nothing holds them.

use crate::finding::Finding;
use crate::model::left_out::LeftOutKind;

use super::{Context, Rule, follows_from};

pub fn check(context: &Context, findings: &mut Vec<Finding>) {
    subnet_outside_block(context, findings);
    range_outside_subnet(context, findings);
    address_outside_subnet(context, findings);
    gateway_outside_subnet(context, findings);
}

pub const SUBNET_OUTSIDE_BLOCK_DOCS: &str = r#"## What it finds

A subnet inside no block of its address space, when that space declares at least one block.

## Why it matters

Blocks say which address space is ours to use; a subnet outside them uses someone else's,
or space nobody has allocated.

## Example

```yaml
blocks:
  - { cidr: 10.10.0.0/16, name: dc1 }
subnets:
  - { cidr: 10.11.1.0/24 }
```

Fixed:

```yaml
blocks:
  - { cidr: 10.10.0.0/16, name: dc1 }
subnets:
  - { cidr: 10.10.1.0/24 }
```
"#;

fn subnet_outside_block(context: &Context, findings: &mut Vec<Finding>) {
    let (model, containment) = (context.model, &context.containment);
    for (id, subnet) in model.subnets.iter().enumerate() {
        let space = subnet.common.space;
        // Only a space that declares blocks promises that its subnets come from them.
        if containment.subnet_block.get(id).is_some()
            || containment.blocks_by_space[space as usize].is_empty()
        {
            continue;
        }
        let space_name = model.space_name(space);
        let cidr = subnet.cidr.value;
        let span = (cidr.family(), cidr.first(), cidr.last());
        let cause = (context.left_out).holder(LeftOutKind::Block, space_name, span);
        let finding = Finding::new(
            Rule::SubnetOutsideBlock,
            subnet.cidr.span,
            format!(
                "subnet {} is inside no block of space {space_name}",
                subnet.cidr.value
            ),
        )
        .in_space(space_name);
        let finding = match cause {
            Some(_) => finding,
            None => finding
                .help("allocate it from a declared block, or declare the block it belongs to"),
        };
        findings.push(follows_from(finding, cause, "the subnet"));
    }
}

pub const RANGE_OUTSIDE_SUBNET_DOCS: &str = r#"## What it finds

A range not wholly inside one subnet of its address space: in no subnet, or across the
boundary between two.

## Why it matters

A pool hands out addresses to hosts of one subnet; addresses beyond its edge are on another
network, or none.

## Example

```yaml
subnets:
  - { cidr: 10.0.0.0/25 }
ranges:
  - { start: 10.0.0.100, end: 10.0.0.150 }
```

Fixed:

```yaml
subnets:
  - { cidr: 10.0.0.0/25 }
ranges:
  - { start: 10.0.0.100, end: 10.0.0.126 }
```
"#;

fn range_outside_subnet(context: &Context, findings: &mut Vec<Finding>) {
    let model = context.model;
    for (id, range) in model.ranges.iter().enumerate() {
        if context.containment.range_subnet.get(id).is_some() {
            continue;
        }
        let space_name = model.space_name(range.common.space);
        let finding = Finding::new(
            Rule::RangeOutsideSubnet,
            range.start.span,
            format!(
                "{} range {} is not wholly inside one subnet of space {space_name}",
                range.kind.as_str(),
                range.describe()
            ),
        )
        .in_space(space_name);
        let (start, end) = (range.start.value, range.end.value);
        let span = (start.family, { start.bits }, { end.bits });
        let cause = (context.left_out).holder(LeftOutKind::Subnet, space_name, span);
        findings.push(follows_from(finding, cause, "the range"));
    }
}

pub const ADDRESS_OUTSIDE_SUBNET_DOCS: &str = r#"## What it finds

An address inside no subnet of its address space.

## Why it matters

An address belongs to a network; one that no subnet holds cannot be routed, and often
betrays a typo or a subnet that was removed.

## Example

```yaml
subnets:
  - { cidr: 10.0.0.0/24 }
addresses:
  - { ip: 10.0.1.5 }
```

Fixed:

```yaml
subnets:
  - { cidr: 10.0.0.0/24 }
addresses:
  - { ip: 10.0.0.5 }
```
"#;

fn address_outside_subnet(context: &Context, findings: &mut Vec<Finding>) {
    let model = context.model;
    for (id, address) in model.addresses.iter().enumerate() {
        if context.containment.address_subnet.get(id).is_some() {
            continue;
        }
        let space_name = model.space_name(address.space);
        let ip = address.ip(model);
        let finding = Finding::new(
            Rule::AddressOutsideSubnet,
            address.ip_span(),
            format!("address {ip} is inside no subnet of space {space_name}"),
        )
        .in_space(space_name);
        let span = (ip.family, { ip.bits }, { ip.bits });
        let cause = (context.left_out).holder(LeftOutKind::Subnet, space_name, span);
        findings.push(follows_from(finding, cause, "the address"));
    }
}

pub const GATEWAY_OUTSIDE_SUBNET_DOCS: &str = r#"## What it finds

A subnet's `gateway` that is not inside that subnet, of the other address family included.

## Why it matters

Hosts reach their default gateway directly, on their own subnet; one outside it is
unreachable, and every host configured from this declaration loses its way out.

## Example

```yaml
subnets:
  - { cidr: 10.0.0.0/24, gateway: 10.0.1.1 }
```

Fixed:

```yaml
subnets:
  - { cidr: 10.0.0.0/24, gateway: 10.0.0.1 }
```
"#;

fn gateway_outside_subnet(context: &Context, findings: &mut Vec<Finding>) {
    let model = context.model;
    for subnet in &model.subnets {
        let Some(gateway) = &subnet.gateway else {
            continue;
        };
        if subnet.cidr.value.contains_addr(gateway.value) {
            continue;
        }
        findings.push(
            Finding::new(
                Rule::GatewayOutsideSubnet,
                gateway.span,
                format!(
                    "gateway {} is outside its subnet {}",
                    gateway.value, subnet.cidr.value
                ),
            )
            .related(
                subnet.cidr.span,
                format!("subnet {} declared here", subnet.cidr.value),
            )
            .in_space(model.space_name(subnet.common.space)),
        );
    }
}
