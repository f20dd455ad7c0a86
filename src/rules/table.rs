//! The single list of rules: stable kebab-case name, default severity, one-line summary.

use crate::finding::Severity;

use super::{
    containment, duplicates, input, overlaps, pools, references, scope, usable, utilization,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    Syntax,
    Schema,
    InvalidValue,
    NonCanonicalCidr,
    DuplicateBlock,
    DuplicateSubnet,
    OverlappingSubnets,
    OverlappingRanges,
    DuplicateAddress,
    DuplicateName,
    DuplicateVlan,
    DuplicateVsid,
    ConflictingDeclaration,
    UnknownReference,
    InvalidProvider,
    SubnetOutsideBlock,
    RangeOutsideSubnet,
    AddressOutsideSubnet,
    GatewayOutsideSubnet,
    UnusableAddress,
    AddressOutsidePool,
    AddressInReservedRange,
    GatewayInPool,
    OutOfScope,
    HighUtilization,
}

pub struct RuleInfo {
    pub rule: Rule,
    pub name: &'static str,
    pub default_severity: Severity,
    pub summary: &'static str,
    /// What it finds, why it matters, and an example, faulty then fixed (Markdown).
    pub docs: &'static str,
}

use Severity::{Error, Warning};

const fn info(
    rule: Rule,
    name: &'static str,
    default_severity: Severity,
    summary: &'static str,
    docs: &'static str,
) -> RuleInfo {
    RuleInfo {
        rule,
        name,
        default_severity,
        summary,
        docs,
    }
}

/// In the order of [`Rule`]'s variants, so that a rule's entry is `RULES[rule as usize]`.
pub const RULES: &[RuleInfo] = &[
    info(
        Rule::Syntax,
        "syntax",
        Error,
        "the file is not valid YAML or TOML, or not UTF-8",
        input::SYNTAX,
    ),
    info(
        Rule::Schema,
        "schema",
        Error,
        "unknown key, wrong type, missing required key or unknown enum value",
        input::SCHEMA,
    ),
    info(
        Rule::InvalidValue,
        "invalid-value",
        Error,
        "an IP, CIDR, MAC, VLAN, VSID, range or scope that does not parse or is out of range",
        input::INVALID_VALUE,
    ),
    info(
        Rule::NonCanonicalCidr,
        "non-canonical-cidr",
        Error,
        "a CIDR with host bits set",
        input::NON_CANONICAL_CIDR,
    ),
    info(
        Rule::DuplicateBlock,
        "duplicate-block",
        Error,
        "two blocks with the same CIDR in one space",
        duplicates::DUPLICATE_BLOCK_DOCS,
    ),
    info(
        Rule::DuplicateSubnet,
        "duplicate-subnet",
        Error,
        "two subnets with the same CIDR in one space",
        duplicates::DUPLICATE_SUBNET_DOCS,
    ),
    info(
        Rule::OverlappingSubnets,
        "overlapping-subnets",
        Error,
        "two different subnets of one space share addresses",
        overlaps::OVERLAPPING_SUBNETS_DOCS,
    ),
    info(
        Rule::OverlappingRanges,
        "overlapping-ranges",
        Error,
        "two pools of one space share addresses",
        overlaps::OVERLAPPING_RANGES_DOCS,
    ),
    info(
        Rule::DuplicateAddress,
        "duplicate-address",
        Error,
        "the same IP declared twice in one space",
        duplicates::DUPLICATE_ADDRESS_DOCS,
    ),
    info(
        Rule::DuplicateName,
        "duplicate-name",
        Warning,
        "two declarations of the same kind with the same name in one space",
        duplicates::DUPLICATE_NAME_DOCS,
    ),
    info(
        Rule::DuplicateVlan,
        "duplicate-vlan",
        Warning,
        "two subnets of one family at the same site with the same VLAN",
        duplicates::DUPLICATE_VLAN_DOCS,
    ),
    info(
        Rule::DuplicateVsid,
        "duplicate-vsid",
        Error,
        "two subnets with the same virtual subnet ID, in any spaces",
        duplicates::DUPLICATE_VSID_DOCS,
    ),
    info(
        Rule::ConflictingDeclaration,
        "conflicting-declaration",
        Error,
        "a space or network declared more than once with different attributes",
        references::CONFLICTING_DECLARATION,
    ),
    info(
        Rule::UnknownReference,
        "unknown-reference",
        Error,
        "a space, network or provider that names nothing declared",
        references::UNKNOWN_REFERENCE,
    ),
    info(
        Rule::InvalidProvider,
        "invalid-provider",
        Error,
        "a provider network without virtualization, a provider on a fabric space, or a network in a virtual space",
        references::INVALID_PROVIDER,
    ),
    info(
        Rule::SubnetOutsideBlock,
        "subnet-outside-block",
        Error,
        "a subnet inside no block of its space",
        containment::SUBNET_OUTSIDE_BLOCK_DOCS,
    ),
    info(
        Rule::RangeOutsideSubnet,
        "range-outside-subnet",
        Error,
        "a range not wholly inside one subnet of its space",
        containment::RANGE_OUTSIDE_SUBNET_DOCS,
    ),
    info(
        Rule::AddressOutsideSubnet,
        "address-outside-subnet",
        Error,
        "an address inside no subnet of its space",
        containment::ADDRESS_OUTSIDE_SUBNET_DOCS,
    ),
    info(
        Rule::GatewayOutsideSubnet,
        "gateway-outside-subnet",
        Error,
        "a subnet's gateway outside that subnet",
        containment::GATEWAY_OUTSIDE_SUBNET_DOCS,
    ),
    info(
        Rule::UnusableAddress,
        "unusable-address",
        Error,
        "an address, gateway or pool that includes a subnet's network or broadcast address",
        usable::UNUSABLE_ADDRESS_DOCS,
    ),
    info(
        Rule::AddressOutsidePool,
        "address-outside-pool",
        Error,
        "an address outside the pools of its type in its subnet",
        pools::ADDRESS_OUTSIDE_POOL_DOCS,
    ),
    info(
        Rule::AddressInReservedRange,
        "address-in-reserved-range",
        Error,
        "an address inside a reserved range",
        pools::ADDRESS_IN_RESERVED_RANGE_DOCS,
    ),
    info(
        Rule::GatewayInPool,
        "gateway-in-pool",
        Warning,
        "a subnet's gateway inside one of its pools",
        pools::GATEWAY_IN_POOL_DOCS,
    ),
    info(
        Rule::OutOfScope,
        "out-of-scope",
        Error,
        "a declaration made or delegated outside its file's access scope",
        scope::OUT_OF_SCOPE_DOCS,
    ),
    info(
        Rule::HighUtilization,
        "high-utilization",
        Warning,
        "a pool whose declared addresses reach the utilization threshold",
        utilization::HIGH_UTILIZATION_DOCS,
    ),
];

impl Rule {
    pub fn info(self) -> &'static RuleInfo {
        &RULES[self as usize]
    }

    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// The whole documentation, as `ipam-lint explain` prints it and `docs/rules/` holds it.
    pub fn explain(self) -> String {
        let info = self.info();
        format!(
            "# {}\n\nDefault severity: {}. {}.\n\n{}",
            info.name,
            info.default_severity.as_str(),
            capitalized(info.summary),
            info.docs
        )
    }

    pub fn from_name(name: &str) -> Option<Rule> {
        RULES
            .iter()
            .find(|info| info.name == name)
            .map(|info| info.rule)
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn table_is_in_variant_order() {
        for (index, info) in RULES.iter().enumerate() {
            assert_eq!(info.rule as usize, index, "{} is out of place", info.name);
        }
    }

    #[test]
    fn names_are_unique_and_kebab_case() {
        let mut seen = HashSet::new();
        for info in RULES {
            assert!(seen.insert(info.name), "{} is listed twice", info.name);
            let kebab = !info.name.is_empty()
                && !info.name.starts_with('-')
                && !info.name.ends_with('-')
                && !info.name.contains("--")
                && info
                    .name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-');
            assert!(kebab, "{} is not kebab-case", info.name);
            assert_eq!(Rule::from_name(info.name), Some(info.rule));
        }
    }
}
