//! `duplicate-block`, `duplicate-subnet`, `duplicate-address`, `duplicate-name`,
//! `duplicate-vlan`, `duplicate-vsid`: the same key declared twice. Each declaration is
//! reported once, against the first earlier declaration with its key.

use std::hash::{Hash, Hasher};

use rustc_hash::FxHasher;

use crate::finding::Finding;
use crate::model::u16_set::U16Set;
use crate::model::{Common, Model, SpaceId};
use crate::source::Span;

use super::free_prefix::FreePrefixHelp;
use super::{Context, Rule, sides};

/// Every item that has an earlier item with the same key, paired with the first such
/// item: `(item, first)`, in item order. Sorting (key, position) pairs keeps this fast and
/// cache-friendly on a million keys, where a hash map of them is not.
pub fn first_earlier_equal<K: Ord>(keys: impl Iterator<Item = Option<K>>) -> Vec<(usize, usize)> {
    let mut keyed: Vec<(K, u32)> = keys
        .enumerate()
        .filter_map(|(position, key)| Some((key?, position as u32)))
        .collect();
    keyed.sort_unstable();
    let mut pairs = Vec::new();
    for group in keyed.chunk_by(|a, b| a.0 == b.0) {
        let first = group[0].1 as usize;
        pairs.extend(group[1..].iter().map(|&(_, item)| (item as usize, first)));
    }
    pairs.sort_unstable();
    pairs
}

/// As [`first_earlier_equal`] for names within a space, among `count` items. Only 32-bit
/// hashes of (space, name) are sorted: a radix sort of 4-byte values, half the memory that
/// sorting (hash, item) pairs would move. The few items whose hash is shared are then
/// compared by name in full, so a collision is never a duplicate.
fn first_earlier_same_name<'m>(
    count: usize,
    key: impl Fn(usize) -> Option<(SpaceId, &'m str)>,
) -> Vec<(usize, usize)> {
    let hash = |key: (SpaceId, &str)| {
        let mut hasher = FxHasher::default();
        key.hash(&mut hasher);
        // The high half: FxHash mixes upward, so those bits are the well-spread ones.
        (hasher.finish() >> 32) as u32
    };
    first_earlier_same_hashed(count, key, hash)
}

/// [`first_earlier_same_name`] with the hash given, so tests can make every name collide.
fn first_earlier_same_hashed<'m>(
    count: usize,
    key: impl Fn(usize) -> Option<(SpaceId, &'m str)>,
    hash: impl Fn((SpaceId, &'m str)) -> u32,
) -> Vec<(usize, usize)> {
    // Per item, in item order: its hash, never 0, or 0 if it has no name.
    let hashes: Vec<u32> = (0..count)
        .map(|item| key(item).map_or(0, |key| hash(key).max(1)))
        .collect();
    let shared = SharedHashes::of(&hashes);
    if shared.is_empty() {
        return Vec::new();
    }
    // (hash, item) for every item whose hash is shared: by hash, then in item order.
    let mut candidates: Vec<(u32, u32)> = hashes
        .iter()
        .enumerate()
        .filter(|&(_, &hash)| hash != 0 && shared.contains(hash))
        .map(|(item, &hash)| (hash, item as u32))
        .collect();
    candidates.sort_unstable();
    let mut pairs = Vec::new();
    for run in candidates.chunk_by(|a, b| a.0 == b.0) {
        let items = run.iter().map(|&(_, item)| item as usize);
        let first = run[0].1 as usize;
        if items.clone().all(|item| key(item) == key(first)) {
            pairs.extend(items.skip(1).map(|item| (item, first)));
        } else {
            // Different names with one hash: group them by the name itself.
            let mut colliding: Vec<usize> = items.collect();
            colliding.sort_by_key(|&item| (key(item), item));
            for same in colliding.chunk_by(|&a, &b| key(a) == key(b)) {
                pairs.extend(same[1..].iter().map(|&item| (item, same[0])));
            }
        }
    }
    pairs.sort_unstable();
    pairs
}

/// The hash values that two or more items share, in a plan without duplicates a few
/// hundred among a million. Their top 16 bits rule most lookups out at once.
struct SharedHashes {
    sorted: Vec<u32>,
    top_bits: U16Set,
}

impl SharedHashes {
    /// From every item's hash, 0 for none.
    fn of(hashes: &[u32]) -> SharedHashes {
        let mut sorted: Vec<u32> = hashes.iter().copied().filter(|&hash| hash != 0).collect();
        radsort::sort(&mut sorted);
        let mut shared: Vec<u32> = sorted
            .chunk_by(|a, b| a == b)
            .filter(|run| run.len() > 1)
            .map(|run| run[0])
            .collect();
        shared.shrink_to_fit();
        let mut top_bits = U16Set::default();
        for &hash in &shared {
            top_bits.insert((hash >> 16) as u16);
        }
        SharedHashes {
            sorted: shared,
            top_bits,
        }
    }

    fn is_empty(&self) -> bool {
        self.sorted.is_empty()
    }

    fn contains(&self, hash: u32) -> bool {
        self.top_bits.contains((hash >> 16) as u16) && self.sorted.binary_search(&hash).is_ok()
    }
}

/// Blocks, subnets, VLANs and VSIDs: the smaller kinds, checked together.
pub fn check(context: &Context, findings: &mut Vec<Finding>) {
    duplicate_blocks(context, findings);
    duplicate_subnets(context, findings);
    duplicate_vlans(context, findings);
    duplicate_vsids(context, findings);
}

/// Addresses, the largest check, on its own so that it runs beside the others.
pub fn check_addresses(context: &Context, findings: &mut Vec<Finding>) {
    duplicate_addresses(context, findings);
}

/// Names need neither shared index.
pub fn check_names(context: &Context, findings: &mut Vec<Finding>) {
    duplicate_names(context.model, findings);
}

pub const DUPLICATE_BLOCK_DOCS: &str = r#"## What it finds

Two blocks with the same CIDR in one address space. Nested blocks are not a fault.

## Why it matters

A block is a top-level allocation, often an RIR assignment or a delegation to a team; two of
them with one prefix means two owners, or a copy that will drift.

## Example

```yaml
blocks:
  - { cidr: 10.0.0.0/8, name: corp }
  - { cidr: 10.0.0.0/8, name: corp-legacy }
```

Fixed:

```yaml
blocks:
  - { cidr: 10.0.0.0/8, name: corp }
  - { cidr: 10.10.0.0/16, name: corp-legacy }
```
"#;

fn duplicate_blocks(context: &Context, findings: &mut Vec<Finding>) {
    let blocks = &context.model.blocks;
    let earlier = first_earlier_equal(blocks.iter().map(|b| Some((b.common.space, b.cidr.value))));
    for (id, first) in earlier {
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

pub const DUPLICATE_SUBNET_DOCS: &str = r#"## What it finds

Two subnets with the same CIDR in one address space: most often two virtualization managers,
or two teams, that each declared the same network. The help names the first free prefix of
the same size in the same block.

## Why it matters

Hosts placed on "both" subnets share one broadcast domain and one address pool without
knowing it: duplicate addresses and routing surprises follow.

## Example

```yaml
blocks:
  - { cidr: 10.10.0.0/16, name: dc1 }
subnets:
  - { cidr: 10.10.1.0/24, name: hosts }
  - { cidr: 10.10.1.0/24, name: storage }
```

Fixed:

```yaml
blocks:
  - { cidr: 10.10.0.0/16, name: dc1 }
subnets:
  - { cidr: 10.10.1.0/24, name: hosts }
  - { cidr: 10.10.0.0/24, name: storage }
```
"#;

fn duplicate_subnets(context: &Context, findings: &mut Vec<Finding>) {
    let subnets = &context.model.subnets;
    let earlier = first_earlier_equal(subnets.iter().map(|s| Some((s.common.space, s.cidr.value))));
    let mut free = FreePrefixHelp::new(context.model);
    for (id, first) in earlier {
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
        let block = context.containment.subnet_block.get(id);
        if let Some(help) = free.help(block, x.cidr.value.len) {
            finding = finding.help(help);
        }
        findings.push(finding);
    }
}

pub const DUPLICATE_ADDRESS_DOCS: &str = r#"## What it finds

The same IP address declared twice in one address space. Virtual spaces are separate: a
tenant may reuse an address of the fabric or of another tenant.

## Why it matters

Two hosts with one address take turns being reachable: an outage that looks intermittent.

## Example

```yaml
subnets:
  - { cidr: 10.10.1.0/24 }
addresses:
  - { ip: 10.10.1.11, name: hv-0101 }
  - { ip: 10.10.1.11, name: hv-0102 }
```

Fixed:

```yaml
subnets:
  - { cidr: 10.10.1.0/24 }
addresses:
  - { ip: 10.10.1.11, name: hv-0101 }
  - { ip: 10.10.1.12, name: hv-0102 }
```
"#;

fn duplicate_addresses(context: &Context, findings: &mut Vec<Finding>) {
    let model = context.model;
    for &(id, first) in context.addresses.first_earlier_equal() {
        let (x, y) = (&model.addresses[id], &model.addresses[first]);
        let space = model.space_name(x.space);
        let (by_x, by_y) = context.sides(x.ip_span(), y.ip_span());
        let holder = y
            .name(model)
            .map(|n| format!(" ({})", n.value))
            .unwrap_or_default();
        findings.push(
            Finding::new(
                Rule::DuplicateAddress,
                x.ip_span(),
                format!(
                    "address {}{by_x} is already assigned{by_y} in space {space}",
                    x.ip(model)
                ),
            )
            .related(
                y.ip_span(),
                format!("{} first assigned here{holder}", y.ip(model)),
            )
            .in_space(space),
        );
    }
}

/// A declaration's space, name and the name's span, if it has a name.
fn named(common: &Common) -> Option<(SpaceId, &str, Span)> {
    let name = common.name.as_ref()?;
    Some((common.space, name.value.as_str(), name.span))
}

pub const DUPLICATE_NAME_DOCS: &str = r#"## What it finds

Two declarations of the same kind (block, subnet, range or address) with the same `name`
in one address space. A block and a subnet may share a name.

## Why it matters

Names are how people and tools refer to a network; two subnets called `web` make every
runbook and every DNS record ambiguous.

## Example

```yaml
subnets:
  - { cidr: 10.0.1.0/24, name: web }
  - { cidr: 10.0.2.0/24, name: web }
```

Fixed:

```yaml
subnets:
  - { cidr: 10.0.1.0/24, name: web-a }
  - { cidr: 10.0.2.0/24, name: web-b }
```
"#;

fn duplicate_names(model: &Model, findings: &mut Vec<Finding>) {
    let (blocks, subnets, ranges) = (&model.blocks, &model.subnets, &model.ranges);
    names_of_kind(
        model,
        "block",
        blocks.len(),
        |id| named(&blocks[id].common),
        findings,
    );
    names_of_kind(
        model,
        "subnet",
        subnets.len(),
        |id| named(&subnets[id].common),
        findings,
    );
    names_of_kind(
        model,
        "range",
        ranges.len(),
        |id| named(&ranges[id].common),
        findings,
    );
    names_of_kind(
        model,
        "address",
        model.addresses.len(),
        |id| {
            let address = &model.addresses[id];
            let name = address.name(model)?;
            Some((address.space, name.value, name.span))
        },
        findings,
    );
}

/// Duplicate names among `count` items of one kind, `name` giving each one's space, name
/// and the name's span.
fn names_of_kind<'m>(
    model: &Model,
    kind: &str,
    count: usize,
    name: impl Fn(usize) -> Option<(SpaceId, &'m str, Span)>,
    findings: &mut Vec<Finding>,
) {
    let key = |id: usize| name(id).map(|(space, text, _)| (space, text));
    for (id, first) in first_earlier_same_name(count, key) {
        let (Some((space, x, x_span)), Some((_, y, y_span))) = (name(id), name(first)) else {
            continue;
        };
        let space = model.space_name(space);
        let (by_x, by_y) = sides(model, x_span, y_span);
        findings.push(
            Finding::new(
                Rule::DuplicateName,
                x_span,
                format!(
                    "{kind} name {x}{by_x} is already used by another {kind}{by_y} in space {space}",
                ),
            )
            .related(y_span, format!("{y} first used here"))
            .in_space(space),
        );
    }
}

pub const DUPLICATE_VLAN_DOCS: &str = r#"## What it finds

Two subnets of one address family at the same `site` with the same `vlan` (other than 0,
untagged), in any address spaces. An IPv4 and an IPv6 subnet may share a VLAN (dual stack).
Subnets without a `site` are at the same, unnamed site.

## Why it matters

A VLAN is one broadcast domain at a site: two IPv4 subnets on it put two networks on one
wire.

## Example

```yaml
subnets:
  - { cidr: 10.10.1.0/24, site: dc1-row1, vlan: 110 }
  - { cidr: 10.10.2.0/24, site: dc1-row1, vlan: 110 }
```

Fixed:

```yaml
subnets:
  - { cidr: 10.10.1.0/24, site: dc1-row1, vlan: 110 }
  - { cidr: 10.10.2.0/24, site: dc1-row1, vlan: 120 }
```
"#;

fn duplicate_vlans(context: &Context, findings: &mut Vec<Finding>) {
    let model = context.model;
    let subnets = &model.subnets;
    let earlier = first_earlier_equal(subnets.iter().map(|s| {
        // An absent site is one more site: a plan that never names sites has one.
        let vlan = s.vlan.as_ref().filter(|v| v.value != 0)?;
        Some((s.cidr.value.family(), s.site.as_deref(), vlan.value))
    }));
    for (id, first) in earlier {
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

pub const DUPLICATE_VSID_DOCS: &str = r#"## What it finds

Two subnets with the same `vsid` (virtual subnet ID), in any address spaces.

## Why it matters

The VSID tags a tenant's packets on the provider network. It must be unique across the
datacenter, or two tenants' traffic mixes.

## Example

```yaml
spaces:
  - { name: contoso, kind: virtual }
  - { name: fabrikam, kind: virtual }
subnets:
  - { cidr: 192.168.0.0/24, space: contoso, vsid: 5001 }
  - { cidr: 192.168.0.0/24, space: fabrikam, vsid: 5001 }
```

Fixed:

```yaml
spaces:
  - { name: contoso, kind: virtual }
  - { name: fabrikam, kind: virtual }
subnets:
  - { cidr: 192.168.0.0/24, space: contoso, vsid: 5001 }
  - { cidr: 192.168.0.0/24, space: fabrikam, vsid: 5002 }
```
"#;

fn duplicate_vsids(context: &Context, findings: &mut Vec<Finding>) {
    let model = context.model;
    let subnets = &model.subnets;
    let earlier = first_earlier_equal(subnets.iter().map(|s| s.vsid.as_ref().map(|v| v.value)));
    for (id, first) in earlier {
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
fn space_note(context: &Context, x: SpaceId, y: SpaceId, first_side: bool) -> String {
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
        assert_eq!(first_earlier_equal(keys.into_iter()), vec![(3, 0), (4, 0)]);
    }

    #[test]
    fn names_compare_in_full_within_a_space() {
        let names = [
            Some((0, "web")),
            Some((1, "web")),
            None,
            Some((0, "db")),
            Some((0, "web")),
            Some((1, "web")),
        ];
        assert_eq!(
            first_earlier_same_name(names.len(), |i| names[i]),
            vec![(4, 0), (5, 1)]
        );
    }

    #[test]
    fn only_hashes_held_twice_are_shared() {
        let hashes = [
            0,
            5,
            0x1234_5678,
            5,
            0xffff_0001,
            0x1234_5678,
            7,
            0,
            0x1234_0000,
        ];
        let shared = SharedHashes::of(&hashes);
        assert_eq!(shared.sorted, vec![5, 0x1234_5678]);
        assert!(shared.contains(5) && shared.contains(0x1234_5678));
        // Same top bits as a shared hash, or none in common: not shared either way.
        for hash in [7, 0xffff_0001, 0x1234_0000, 0] {
            assert!(!shared.contains(hash), "{hash:#x}");
        }
    }

    proptest::proptest! {
        /// Whether names hash apart or all collide, the pairs are those of a plain sort.
        #[test]
        fn hash_collisions_never_change_the_pairs(
            names in proptest::collection::vec(
                proptest::option::of((0u32..3, "[ab]{0,2}")), 0..80),
            buckets in 1u32..4,
        ) {
            let key = |i: usize| names[i].as_ref().map(|(space, name)| (*space, name.as_str()));
            let expected = first_earlier_equal((0..names.len()).map(key));
            let colliding = first_earlier_same_hashed(names.len(), key, |(space, name)| {
                (space + name.len() as u32) % buckets
            });
            proptest::prop_assert_eq!(&colliding, &expected);
            proptest::prop_assert_eq!(&first_earlier_same_name(names.len(), key), &expected);
        }
    }
}
