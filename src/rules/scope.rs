//! `out-of-scope`: role-based access control as data. A file may allocate only inside
//! declarations its scope administers, and delegate only to its scope or below.

use crate::finding::Finding;
use crate::model::{BlockId, Model, ROOT_SCOPE, ScopeId, SpaceId, SubnetId};
use crate::source::Span;

use super::{Context, Rule};

/// What holds a declaration: a block or a subnet.
#[derive(Clone, Copy)]
enum Container {
    Block(BlockId),
    Subnet(SubnetId),
}

impl Container {
    fn scope(self, model: &Model) -> ScopeId {
        match self {
            Container::Block(id) => model.blocks[id].common.scope,
            Container::Subnet(id) => model.subnets[id].common.scope,
        }
    }

    fn at(self, model: &Model) -> Span {
        match self {
            Container::Block(id) => model.blocks[id].cidr.span,
            Container::Subnet(id) => model.subnets[id].cidr.span,
        }
    }

    /// For messages only: built when there is a finding.
    fn label(self, model: &Model) -> String {
        match self {
            Container::Block(id) => {
                let block = &model.blocks[id];
                match &block.common.name {
                    Some(name) => format!("block {} ({})", name.value, block.cidr.value),
                    None => format!("block {}", block.cidr.value),
                }
            }
            Container::Subnet(id) => format!("subnet {}", model.subnets[id].cidr.value),
        }
    }
}

/// A declaration as `out-of-scope` sees it.
struct Allocation<'d> {
    /// For messages only: called when there is a finding (most declarations are in scope).
    describe: &'d dyn Fn() -> String,
    at: Span,
    /// The scope it is delegated to.
    own: ScopeId,
    space: SpaceId,
    /// What it is allocated from, if anything holds it.
    container: Option<Container>,
    /// A block that no block holds: only root files may declare one.
    top_level_block: bool,
}

pub fn check(context: &Context, findings: &mut Vec<Finding>) {
    let model = context.model;
    let containment = &context.containment;
    for (id, block) in model.blocks.iter().enumerate() {
        let container = containment.block_parent.get(id).map(Container::Block);
        findings.extend(out_of_scope(
            model,
            &Allocation {
                describe: &|| format!("block {}", block.cidr.value),
                at: block.cidr.span,
                own: block.common.scope,
                space: block.common.space,
                container,
                top_level_block: container.is_none(),
            },
        ));
    }
    for (id, subnet) in model.subnets.iter().enumerate() {
        findings.extend(out_of_scope(
            model,
            &Allocation {
                describe: &|| format!("subnet {}", subnet.cidr.value),
                at: subnet.cidr.span,
                own: subnet.common.scope,
                space: subnet.common.space,
                container: containment.subnet_block.get(id).map(Container::Block),
                top_level_block: false,
            },
        ));
    }
    for (id, range) in model.ranges.iter().enumerate() {
        findings.extend(out_of_scope(
            model,
            &Allocation {
                describe: &|| format!("{} range {}", range.kind.as_str(), range.describe()),
                at: range.start.span,
                own: range.common.scope,
                space: range.common.space,
                container: containment.range_subnet.get(id).map(Container::Subnet),
                top_level_block: false,
            },
        ));
    }
    addresses_out_of_scope(context, findings);
}

/// Whether an address is in scope depends only on its file, its own scope and its subnet,
/// which neighbouring addresses mostly share: a run of them that is in scope is checked
/// once.
fn addresses_out_of_scope(context: &Context, findings: &mut Vec<Finding>) {
    let model = context.model;
    let mut in_scope = None;
    for (id, address) in model.addresses.iter().enumerate() {
        let at = address.ip_span();
        let holder = context.containment.address_subnet.get(id);
        let key = (at.file, address.scope, holder);
        if in_scope == Some(key) {
            continue;
        }
        let finding = out_of_scope(
            model,
            &Allocation {
                describe: &|| format!("address {}", address.ip(model)),
                at,
                own: address.scope,
                space: address.space,
                container: holder.map(Container::Subnet),
                top_level_block: false,
            },
        );
        in_scope = finding.is_none().then_some(key);
        findings.extend(finding);
    }
}

/// Whether `parent` administers `child`. Most declarations share their file's scope: equal
/// ids need no comparison.
fn administers(model: &Model, parent: ScopeId, child: ScopeId) -> bool {
    parent == child || model.scope(parent).administers(model.scope(child))
}

pub const OUT_OF_SCOPE_DOCS: &str = r#"## What it finds

A declaration made or delegated outside its file's access scope. A file's `scope` (else `/`)
is its author scope U. A declaration is out of scope when U does not administer its
container (a block's smallest enclosing block, a subnet's block, a range's or address's
subnet), or when its own `scope` is not U or below. A top-level block counts as inside `/`,
so only root files may declare one. Scopes compare by whole segments: `/corp/dc10` is not
below `/corp/dc1`.

## Why it matters

With CODEOWNERS giving each team its files, the scope rule is access control as data: the
dc1 team may allocate inside what `/corp/dc1` administers and delegate below itself, but
never carve space out of `/corp/dc2`, or directly out of a `/corp` block.

## Example

```yaml
scope: /corp/dc1
blocks:
  - { cidr: 10.10.0.0/16 }
```

Fixed:

```yaml
blocks:
  - { cidr: 10.10.0.0/16, scope: /corp/dc1 }
```
"#;

fn out_of_scope(model: &Model, allocation: &Allocation) -> Option<Finding> {
    let Allocation {
        describe, at, own, ..
    } = *allocation;
    let author_id = model.file_scopes[at.file as usize];
    let author = model.scope(author_id);
    let finding = if let Some(container) = allocation
        .container
        .filter(|c| !administers(model, author_id, c.scope(model)))
    {
        Finding::new(
            Rule::OutOfScope,
            at,
            format!(
                "{} is allocated from {}, administered by {}, outside this file's scope {author}",
                describe(),
                container.label(model),
                model.scope(container.scope(model))
            ),
        )
        .related(
            container.at(model),
            format!("{} declared here", container.label(model)),
        )
    } else if allocation.top_level_block && !administers(model, author_id, ROOT_SCOPE) {
        Finding::new(
            Rule::OutOfScope,
            at,
            format!(
                "{} is a top-level block, which only root files (no `scope`) may declare; this file's scope is {author}",
                describe()
            ),
        )
    } else if !administers(model, author_id, own) {
        Finding::new(
            Rule::OutOfScope,
            at,
            format!(
                "{} is delegated to {}, outside this file's scope {author}",
                describe(),
                model.scope(own)
            ),
        )
        .help(format!(
            "a file with scope {author} may delegate only to {author} or below"
        ))
    } else {
        return None;
    };
    Some(finding.in_space(model.space_name(allocation.space)))
}
