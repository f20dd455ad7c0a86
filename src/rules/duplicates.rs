//! `duplicate-block`, `duplicate-subnet`, `duplicate-address`, `duplicate-name`,
//! `duplicate-vlan`, `duplicate-vsid`: the same key declared twice. Each declaration is
//! reported once, against the first earlier declaration with its key.

use std::collections::HashMap;
use std::hash::Hash;

use crate::finding::Finding;
use crate::source::Spanned;

use super::free_prefix::FreePrefixFinder;
use super::{Context, Rule};

/// For each key, the position of the first earlier item with the same key.
pub fn first_earlier_equal<K: Hash + Eq>(
    keys: impl IntoIterator<Item = Option<K>>,
) -> Vec<Option<usize>> {
    let mut first_seen: HashMap<K, usize> = HashMap::new();
    keys.into_iter()
        .enumerate()
        .map(|(position, key)| {
            let key = key?;
            match first_seen.get(&key) {
                Some(&first) => Some(first),
                None => {
                    first_seen.insert(key, position);
                    None
                }
            }
        })
        .collect()
}

pub fn check(context: &Context, findings: &mut Vec<Finding>) {
    duplicate_blocks(context, findings);
    duplicate_subnets(context, findings);
    duplicate_addresses(context, findings);
    duplicate_names(context, findings);
    duplicate_vlans(context, findings);
    duplicate_vsids(context, findings);
}

fn duplicate_blocks(context: &Context, findings: &mut Vec<Finding>) {
    let blocks = &context.model.blocks;
    let earlier = first_earlier_equal(blocks.iter().map(|b| Some((b.common.space, b.cidr.value))));
    for (id, first) in earlier.into_iter().enumerate() {
        let Some(first) = first else { continue };
        let (x, y) = (&blocks[id], &blocks[first]);
        let space = context.model.space_name(x.common.space);
        let (by_x, by_y) = context.sides(x.cidr.span, y.cidr.span);
        findings.push(
            Finding::new(
                Rule::DuplicateBlock,
                x.cidr.span,
                format!(
                    "block {}{by_x} duplicates block {}{by_y} in space {space}",
                    x.cidr.value, y.cidr.value
                ),
            )
            .related(y.cidr.span, format!("{} first declared here", y.cidr.value))
            .in_space(space),
        );
    }
}

fn duplicate_subnets(context: &Context, findings: &mut Vec<Finding>) {
    let subnets = &context.model.subnets;
    let earlier = first_earlier_equal(subnets.iter().map(|s| Some((s.common.space, s.cidr.value))));
    let mut free = FreePrefixFinder::default();
    for (id, first) in earlier.into_iter().enumerate() {
        let Some(first) = first else { continue };
        let (x, y) = (&subnets[id], &subnets[first]);
        let space = context.model.space_name(x.common.space);
        let (by_x, by_y) = context.sides(x.cidr.span, y.cidr.span);
        let mut finding = Finding::new(
            Rule::DuplicateSubnet,
            x.cidr.span,
            format!(
                "subnet {}{by_x} duplicates subnet {}{by_y} in space {space}",
                x.cidr.value, y.cidr.value
            ),
        )
        .related(y.cidr.span, format!("{} first declared here", y.cidr.value))
        .in_space(space);
        let block = context.containment.subnet_block[id];
        if let Some(help) = free.help(context.model, block, x.cidr.value.len) {
            finding = finding.help(help);
        }
        findings.push(finding);
    }
}

fn duplicate_addresses(context: &Context, findings: &mut Vec<Finding>) {
    let addresses = &context.model.addresses;
    let earlier = first_earlier_equal(addresses.iter().map(|a| Some((a.common.space, a.ip.value))));
    for (id, first) in earlier.into_iter().enumerate() {
        let Some(first) = first else { continue };
        let (x, y) = (&addresses[id], &addresses[first]);
        let space = context.model.space_name(x.common.space);
        let (by_x, by_y) = context.sides(x.ip.span, y.ip.span);
        let holder = |name: &Option<Spanned<String>>| {
            name.as_ref()
                .map(|n| format!(" ({})", n.value))
                .unwrap_or_default()
        };
        findings.push(
            Finding::new(
                Rule::DuplicateAddress,
                x.ip.span,
                format!(
                    "address {}{by_x} is already assigned{by_y} in space {space}",
                    x.ip.value
                ),
            )
            .related(
                y.ip.span,
                format!(
                    "{} first assigned here{}",
                    y.ip.value,
                    holder(&y.common.name)
                ),
            )
            .in_space(space),
        );
    }
}

/// A declaration's space and optional name, for `duplicate-name`.
type NamedDecl<'m> = (usize, Option<&'m Spanned<String>>);

fn duplicate_names(context: &Context, findings: &mut Vec<Finding>) {
    let model = context.model;
    let kinds: [(&str, Vec<NamedDecl>); 4] = [
        (
            "block",
            model
                .blocks
                .iter()
                .map(|d| (d.common.space, d.common.name.as_ref()))
                .collect(),
        ),
        (
            "subnet",
            model
                .subnets
                .iter()
                .map(|d| (d.common.space, d.common.name.as_ref()))
                .collect(),
        ),
        (
            "range",
            model
                .ranges
                .iter()
                .map(|d| (d.common.space, d.common.name.as_ref()))
                .collect(),
        ),
        (
            "address",
            model
                .addresses
                .iter()
                .map(|d| (d.common.space, d.common.name.as_ref()))
                .collect(),
        ),
    ];
    for (kind, names) in &kinds {
        let earlier = first_earlier_equal(
            names
                .iter()
                .map(|(space, name)| name.map(|n| (*space, n.value.as_str()))),
        );
        for (id, first) in earlier.into_iter().enumerate() {
            let Some(first) = first else { continue };
            let (space, Some(x)) = names[id] else {
                continue;
            };
            let (_, Some(y)) = names[first] else { continue };
            let space = model.space_name(space);
            let (by_x, by_y) = context.sides(x.span, y.span);
            findings.push(
                Finding::new(
                    Rule::DuplicateName,
                    x.span,
                    format!(
                        "{kind} name {}{by_x} is already used by another {kind}{by_y} in space {space}",
                        x.value
                    ),
                )
                .related(y.span, format!("{} first used here", y.value))
                .in_space(space),
            );
        }
    }
}

fn duplicate_vlans(context: &Context, findings: &mut Vec<Finding>) {
    let model = context.model;
    let subnets = &model.subnets;
    let earlier = first_earlier_equal(subnets.iter().map(|s| {
        // An absent site is one more site: a plan that never names sites has one.
        let vlan = s.vlan.as_ref().filter(|v| v.value != 0)?;
        Some((s.cidr.value.family(), s.site.as_deref(), vlan.value))
    }));
    for (id, first) in earlier.into_iter().enumerate() {
        let Some(first) = first else { continue };
        let (x, y) = (&subnets[id], &subnets[first]);
        let (Some(vlan), Some(other_vlan)) = (&x.vlan, &y.vlan) else {
            continue;
        };
        let (by_x, by_y) = context.sides(vlan.span, other_vlan.span);
        findings.push(
            Finding::new(
                Rule::DuplicateVlan,
                vlan.span,
                format!(
                    "VLAN {} of subnet {}{by_x}{} is already used {} by subnet {}{by_y}{}",
                    vlan.value,
                    x.cidr.value,
                    space_note(context, x.common.space, y.common.space, true),
                    x.site.as_deref().map_or_else(
                        || "with no site".to_owned(),
                        |site| format!("at site {site}")
                    ),
                    y.cidr.value,
                    space_note(context, x.common.space, y.common.space, false),
                ),
            )
            .related(
                other_vlan.span,
                format!("VLAN {} first used here", other_vlan.value),
            )
            .in_space(model.space_name(x.common.space)),
        );
    }
}

fn duplicate_vsids(context: &Context, findings: &mut Vec<Finding>) {
    let model = context.model;
    let subnets = &model.subnets;
    let earlier = first_earlier_equal(subnets.iter().map(|s| s.vsid.as_ref().map(|v| v.value)));
    for (id, first) in earlier.into_iter().enumerate() {
        let Some(first) = first else { continue };
        let (x, y) = (&subnets[id], &subnets[first]);
        let (Some(vsid), Some(other_vsid)) = (&x.vsid, &y.vsid) else {
            continue;
        };
        let (by_x, by_y) = context.sides(vsid.span, other_vsid.span);
        findings.push(
            Finding::new(
                Rule::DuplicateVsid,
                vsid.span,
                format!(
                    "VSID {} of subnet {}{by_x} in space {} is already used by subnet {}{by_y} in space {}",
                    vsid.value,
                    x.cidr.value,
                    model.space_name(x.common.space),
                    y.cidr.value,
                    model.space_name(y.common.space),
                ),
            )
            .related(other_vsid.span, format!("VSID {} first used here", other_vsid.value))
            .in_space(model.space_name(x.common.space))
            .help("a virtual subnet ID must be unique across the datacenter"),
        );
    }
}

/// ` in space S` for one side of a VLAN conflict, only when the two spaces differ.
fn space_note(context: &Context, x: usize, y: usize, first_side: bool) -> String {
    if x == y {
        return String::new();
    }
    let space = if first_side { x } else { y };
    format!(" in space {}", context.model.space_name(space))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_at_the_first_equal_key() {
        let keys = [Some("a"), Some("b"), None, Some("a"), Some("a"), None];
        assert_eq!(
            first_earlier_equal(keys),
            vec![None, None, None, Some(0), Some(0), None]
        );
    }
}
