//! Rule identity: the one list of rules, each with its stable kebab-case name, its default
//! severity and a one-line summary. Everything else about a rule (its documentation and
//! the function that checks it) is in `rules/`, reached from this list by
//! `rules::docs`; config, suppressions and every report name rules through this list.

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// Declares [`Rule`] and its identity from one list, so that no second list can fall out
/// of step with the first.
macro_rules! rules {
    ($($variant:ident, $name:literal, $severity:ident, $summary:literal;)*) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Rule {
            $($variant,)*
        }

        impl Rule {
            /// Every rule, in the order of the list (the order of `list-rules` and of the
            /// docs).
            pub const ALL: &'static [Rule] = &[$(Rule::$variant,)*];

            pub const fn name(self) -> &'static str {
                match self {
                    $(Rule::$variant => $name,)*
                }
            }

            /// The severity it has until the config says otherwise.
            pub const fn default_severity(self) -> Severity {
                match self {
                    $(Rule::$variant => Severity::$severity,)*
                }
            }

            pub const fn summary(self) -> &'static str {
                match self {
                    $(Rule::$variant => $summary,)*
                }
            }
        }
    };
}

rules! {
    Syntax, "syntax", Error,
        "the file is not valid YAML or TOML, or not UTF-8";
    Schema, "schema", Error,
        "unknown key, wrong type, missing required key or unknown enum value";
    InvalidValue, "invalid-value", Error,
        "an IP, CIDR, MAC, VLAN, VSID, range or scope that does not parse or is out of range";
    NonCanonicalCidr, "non-canonical-cidr", Error,
        "a CIDR with host bits set";
    DuplicateBlock, "duplicate-block", Error,
        "two blocks with the same CIDR in one space";
    DuplicateSubnet, "duplicate-subnet", Error,
        "two subnets with the same CIDR in one space";
    OverlappingSubnets, "overlapping-subnets", Error,
        "two different subnets of one space share addresses";
    OverlappingRanges, "overlapping-ranges", Error,
        "two pools of one space share addresses";
    DuplicateAddress, "duplicate-address", Error,
        "the same IP declared twice in one space";
    DuplicateName, "duplicate-name", Warning,
        "two declarations of the same kind with the same name in one space";
    DuplicateVlan, "duplicate-vlan", Warning,
        "two subnets of one family at the same site with the same VLAN";
    DuplicateVsid, "duplicate-vsid", Error,
        "two subnets with the same virtual subnet ID, in any spaces";
    ConflictingDeclaration, "conflicting-declaration", Error,
        "a space or network declared more than once with different attributes";
    UnknownReference, "unknown-reference", Error,
        "a space, network or provider that names nothing declared";
    InvalidProvider, "invalid-provider", Error,
        "a provider network without virtualization, a provider on a fabric space, or a network in a virtual space";
    SubnetOutsideBlock, "subnet-outside-block", Error,
        "a subnet inside no block of its space";
    RangeOutsideSubnet, "range-outside-subnet", Error,
        "a range not wholly inside one subnet of its space";
    AddressOutsideSubnet, "address-outside-subnet", Error,
        "an address inside no subnet of its space";
    GatewayOutsideSubnet, "gateway-outside-subnet", Error,
        "a subnet's gateway outside that subnet";
    UnusableAddress, "unusable-address", Error,
        "an address, gateway or pool that includes a subnet's network or broadcast address";
    AddressOutsidePool, "address-outside-pool", Error,
        "an address outside the pools of its type in its subnet";
    AddressInReservedRange, "address-in-reserved-range", Error,
        "an address inside a reserved range";
    GatewayInPool, "gateway-in-pool", Warning,
        "a subnet's gateway inside one of its pools";
    OutOfScope, "out-of-scope", Error,
        "a declaration made or delegated outside its file's access scope";
    HighUtilization, "high-utilization", Warning,
        "a pool whose declared addresses reach the utilization threshold";
}

impl Rule {
    pub fn from_name(name: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|rule| rule.name() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn the_list_is_in_variant_order() {
        for (index, rule) in Rule::ALL.iter().enumerate() {
            assert_eq!(*rule as usize, index, "{} is out of place", rule.name());
        }
    }

    #[test]
    fn names_are_unique_and_kebab_case() {
        let mut seen = HashSet::new();
        for &rule in Rule::ALL {
            let name = rule.name();
            assert!(seen.insert(name), "{name} is listed twice");
            let kebab = !name.is_empty()
                && !name.starts_with('-')
                && !name.ends_with('-')
                && !name.contains("--")
                && name.chars().all(|c| c.is_ascii_lowercase() || c == '-');
            assert!(kebab, "{name} is not kebab-case");
            assert_eq!(Rule::from_name(name), Some(rule));
        }
    }
}
