//! The rule catalog: every rule of [`Rule::ALL`] with its documentation. Each rule's
//! documentation sits directly above the function that checks it, so the arm of [`docs`]
//! that names it leads to the check in one step.

use crate::rule::{Rule, Severity};

use super::{
    containment, duplicates, input, overlaps, pools, references, scope, usable, utilization,
};

/// A rule's identity and documentation, for `list-rules`, `explain`, SARIF and the docs.
#[derive(Clone, Copy)]
pub struct RuleInfo {
    pub rule: Rule,
    pub name: &'static str,
    pub default_severity: Severity,
    pub summary: &'static str,
    /// What it finds, why it matters, and an example, faulty then fixed (Markdown).
    pub docs: &'static str,
}

impl RuleInfo {
    const fn of(rule: Rule) -> RuleInfo {
        RuleInfo {
            rule,
            name: rule.name(),
            default_severity: rule.default_severity(),
            summary: rule.summary(),
            docs: docs(rule),
        }
    }
}

/// Every rule, in the order of [`Rule::ALL`], so that a rule's entry is `RULES[rule as usize]`.
pub const RULES: &[RuleInfo] = &CATALOG;

const CATALOG: [RuleInfo; Rule::ALL.len()] = {
    let mut catalog = [RuleInfo::of(Rule::Syntax); Rule::ALL.len()];
    let mut index = 0;
    while index < catalog.len() {
        catalog[index] = RuleInfo::of(Rule::ALL[index]);
        index += 1;
    }
    catalog
};

/// Where each rule is checked: its documentation, directly above its function.
const fn docs(rule: Rule) -> &'static str {
    match rule {
        Rule::Syntax => input::SYNTAX,
        Rule::Schema => input::SCHEMA,
        Rule::InvalidValue => input::INVALID_VALUE,
        Rule::NonCanonicalCidr => input::NON_CANONICAL_CIDR,
        Rule::DuplicateBlock => duplicates::DUPLICATE_BLOCK_DOCS,
        Rule::DuplicateSubnet => duplicates::DUPLICATE_SUBNET_DOCS,
        Rule::OverlappingSubnets => overlaps::OVERLAPPING_SUBNETS_DOCS,
        Rule::OverlappingRanges => overlaps::OVERLAPPING_RANGES_DOCS,
        Rule::DuplicateAddress => duplicates::DUPLICATE_ADDRESS_DOCS,
        Rule::DuplicateName => duplicates::DUPLICATE_NAME_DOCS,
        Rule::DuplicateVlan => duplicates::DUPLICATE_VLAN_DOCS,
        Rule::DuplicateVsid => duplicates::DUPLICATE_VSID_DOCS,
        Rule::ConflictingDeclaration => references::CONFLICTING_DECLARATION,
        Rule::UnknownReference => references::UNKNOWN_REFERENCE,
        Rule::InvalidProvider => references::INVALID_PROVIDER,
        Rule::SubnetOutsideBlock => containment::SUBNET_OUTSIDE_BLOCK_DOCS,
        Rule::RangeOutsideSubnet => containment::RANGE_OUTSIDE_SUBNET_DOCS,
        Rule::AddressOutsideSubnet => containment::ADDRESS_OUTSIDE_SUBNET_DOCS,
        Rule::GatewayOutsideSubnet => containment::GATEWAY_OUTSIDE_SUBNET_DOCS,
        Rule::UnusableAddress => usable::UNUSABLE_ADDRESS_DOCS,
        Rule::AddressOutsidePool => pools::ADDRESS_OUTSIDE_POOL_DOCS,
        Rule::AddressInReservedRange => pools::ADDRESS_IN_RESERVED_RANGE_DOCS,
        Rule::GatewayInPool => pools::GATEWAY_IN_POOL_DOCS,
        Rule::OutOfScope => scope::OUT_OF_SCOPE_DOCS,
        Rule::HighUtilization => utilization::HIGH_UTILIZATION_DOCS,
    }
}

impl Rule {
    pub fn info(self) -> &'static RuleInfo {
        &RULES[self as usize]
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

    #[test]
    fn the_catalog_follows_the_rule_list() {
        for (index, info) in RULES.iter().enumerate() {
            assert_eq!(info.rule, Rule::ALL[index]);
            assert_eq!(info.name, Rule::ALL[index].name());
        }
    }
}
