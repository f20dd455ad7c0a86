//! Documentation of the rules found while building the model (`conflicting-declaration`,
//! `unknown-reference`, `invalid-provider`); the checks live in `model/build.rs`, where
//! names are resolved.

pub const CONFLICTING_DECLARATION: &str = r#"## What it finds

A space or network declared more than once with different attributes: a space with another
`kind` or `provider`, a network with another `virtualization` or space. The first
declaration in canonical order stands.

## Why it matters

Two virtualization managers may both declare a shared logical network, but they must agree
on what it is; otherwise each manager works from a different truth.

## Example

```yaml
networks:
  - { name: dc1-hnv, virtualization: true }
  - { name: dc1-hnv, virtualization: false }
```

Fixed:

```yaml
networks:
  - { name: dc1-hnv, virtualization: true }
  - { name: dc1-hnv, virtualization: true }
```
"#;

pub const UNKNOWN_REFERENCE: &str = r#"## What it finds

A `space`, `network` or `provider` that names nothing declared. `fabric` always exists. A
file's default `space` is reported once, however many declarations use it.

## Why it matters

A typo in a space name would otherwise create a new, empty address space, and every
conflict with the real one would go unseen. Declarations in an undeclared space are left out
of the model.

## Example

```yaml
spaces:
  - { name: contoso, kind: virtual }
subnets:
  - { cidr: 192.168.0.0/24, space: contosso }
```

Fixed:

```yaml
spaces:
  - { name: contoso, kind: virtual }
subnets:
  - { cidr: 192.168.0.0/24, space: contoso }
```
"#;

pub const INVALID_PROVIDER: &str = r#"## What it finds

A virtual space whose `provider` network lacks `virtualization: true`; a `provider` on a
fabric space; a network placed in a virtual space.

## Why it matters

Virtual networks run over provider networks that have network virtualization enabled. A
provider without it cannot carry the tenant's traffic, and logical networks belong to the
fabric, not to a tenant's space.

## Example

```yaml
networks:
  - { name: dc1-mgmt }
spaces:
  - { name: contoso, kind: virtual, provider: dc1-mgmt }
```

Fixed:

```yaml
networks:
  - { name: dc1-mgmt }
  - { name: dc1-hnv, virtualization: true }
spaces:
  - { name: contoso, kind: virtual, provider: dc1-hnv }
```
"#;
