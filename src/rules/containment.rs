//! `subnet-outside-block`, `range-outside-subnet`, `address-outside-subnet`,
//! `gateway-outside-subnet`: declarations that lie where nothing holds them.

use crate::finding::Finding;

use super::{Context, Rule};

pub fn check(context: &Context, findings: &mut Vec<Finding>) {
    let model = context.model;
    let containment = &context.containment;
    for (id, subnet) in model.subnets.iter().enumerate() {
        let space = subnet.common.space;
        let space_name = model.space_name(space);
        // Only a space that declares blocks promises that its subnets come from them.
        if containment.subnet_block[id].is_none() && !containment.blocks_by_space[space].is_empty()
        {
            findings.push(
                Finding::new(
                    Rule::SubnetOutsideBlock,
                    subnet.cidr.span,
                    format!(
                        "subnet {} is inside no block of space {space_name}",
                        subnet.cidr.value
                    ),
                )
                .in_space(space_name)
                .help("allocate it from a declared block, or declare the block it belongs to"),
            );
        }
        if let Some(gateway) = &subnet.gateway
            && !subnet.cidr.value.contains_addr(gateway.value)
        {
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
                .in_space(space_name),
            );
        }
    }
    for (id, range) in model.ranges.iter().enumerate() {
        if containment.range_subnet[id].is_none() {
            let space_name = model.space_name(range.common.space);
            findings.push(
                Finding::new(
                    Rule::RangeOutsideSubnet,
                    range.start.span,
                    format!(
                        "{} range {} is not wholly inside one subnet of space {space_name}",
                        range.kind.as_str(),
                        range.describe()
                    ),
                )
                .in_space(space_name),
            );
        }
    }
    for (id, address) in model.addresses.iter().enumerate() {
        if containment.address_subnet[id].is_none() {
            let space_name = model.space_name(address.common.space);
            findings.push(
                Finding::new(
                    Rule::AddressOutsideSubnet,
                    address.ip.span,
                    format!(
                        "address {} is inside no subnet of space {space_name}",
                        address.ip.value
                    ),
                )
                .in_space(space_name),
            );
        }
    }
}
