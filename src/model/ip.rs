//! IP addresses and prefixes as integer keys, parsed strictly.
//!
//! Every address is a family plus a `u128`, so IPv4 and IPv6 share one set of interval
//! algorithms; the two families never compare as overlapping.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use ipnet::IpNet;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    V4,
    V6,
}

impl Family {
    pub fn width(self) -> u8 {
        match self {
            Family::V4 => 32,
            Family::V6 => 128,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Family::V4 => "IPv4",
            Family::V6 => "IPv6",
        }
    }
}

/// One IP address. Orders by family first, then numerically.
///
/// Packed to 4-byte alignment: 20 bytes instead of the 32 a `u128`'s alignment would make
/// it, for the millions a large plan holds. Read `bits` by value, as `{ addr.bits }`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(C, packed(4))]
pub struct Addr {
    pub family: Family,
    pub bits: u128,
}

impl Addr {
    /// Parses the textual forms a network engineer writes: dotted quad without leading zeros
    /// (`010.0.0.1` is ambiguous, octal to some tools) and RFC 4291 IPv6 without a zone.
    pub fn parse(text: &str) -> Result<Addr, String> {
        match IpAddr::from_str(text) {
            Ok(ip) => Ok(Addr::from(ip)),
            Err(_) => Err(describe_bad_address(text)),
        }
    }

    pub fn to_ip(self) -> IpAddr {
        match self.family {
            Family::V4 => IpAddr::V4(Ipv4Addr::from(self.bits as u32)),
            Family::V6 => IpAddr::V6(Ipv6Addr::from(self.bits)),
        }
    }
}

impl From<IpAddr> for Addr {
    fn from(ip: IpAddr) -> Addr {
        match ip {
            IpAddr::V4(v4) => Addr {
                family: Family::V4,
                bits: u128::from(u32::from(v4)),
            },
            IpAddr::V6(v6) => Addr {
                family: Family::V6,
                bits: u128::from(v6),
            },
        }
    }
}

impl fmt::Display for Addr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.to_ip().fmt(f)
    }
}

fn describe_bad_address(text: &str) -> String {
    if text.contains('%') {
        return format!(
            "`{text}` is not a valid IP address: zone IDs (`%eth0`) have no place in an address plan"
        );
    }
    let looks_v4 = !text.is_empty() && text.chars().all(|c| c.is_ascii_digit() || c == '.');
    if looks_v4
        && text
            .split('.')
            .any(|octet| octet.len() > 1 && octet.starts_with('0'))
    {
        return format!(
            "`{text}` is not a valid IP address: leading zeros are ambiguous (octal to some tools)"
        );
    }
    format!("`{text}` is not a valid IP address")
}

/// A CIDR prefix in canonical form: no host bits set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Prefix {
    pub network: Addr,
    pub len: u8,
}

/// The result of reading a CIDR: the canonical prefix, and whether the text had host bits set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParsedPrefix {
    pub prefix: Prefix,
    pub had_host_bits: bool,
}

impl Prefix {
    pub fn parse(text: &str) -> Result<ParsedPrefix, String> {
        let Some((addr_text, len_text)) = text.split_once('/') else {
            return Err(format!(
                "`{text}` is not a CIDR prefix: expected ADDRESS/LENGTH, such as 10.0.0.0/24"
            ));
        };
        let addr =
            Addr::parse(addr_text).map_err(|reason| format!("in CIDR `{text}`: {reason}"))?;
        let width = addr.family.width();
        let len = parse_prefix_len(len_text).ok_or_else(|| {
            format!(
                "`{text}` has an invalid prefix length `/{len_text}`: an {} prefix length is 0 to {width}",
                addr.family.label()
            )
        })?;
        let net = IpNet::new(addr.to_ip(), len).map_err(|_| {
            format!(
                "`{text}` has an invalid prefix length `/{len}`: an {} prefix length is 0 to {width}",
                addr.family.label()
            )
        })?;
        let canonical = Addr::from(net.trunc().addr());
        Ok(ParsedPrefix {
            prefix: Prefix {
                network: canonical,
                len,
            },
            had_host_bits: canonical != addr,
        })
    }

    pub fn family(self) -> Family {
        self.network.family
    }

    /// Mask of the host bits, within the family's width.
    fn host_mask(self) -> u128 {
        let host_bits = u32::from(self.family().width() - self.len);
        if host_bits == 128 {
            u128::MAX
        } else {
            (1u128 << host_bits) - 1
        }
    }

    pub fn first(self) -> u128 {
        self.network.bits
    }

    pub fn last(self) -> u128 {
        self.network.bits | self.host_mask()
    }

    /// The prefix of length `len` (not longer than this address's width) that holds `addr`.
    pub fn of(addr: Addr, len: u8) -> Prefix {
        let host_bits = u32::from(addr.family.width() - len);
        let mask = if host_bits == 128 {
            0
        } else {
            !((1u128 << host_bits) - 1)
        };
        Prefix {
            network: Addr {
                family: addr.family,
                bits: addr.bits & mask,
            },
            len,
        }
    }

    pub fn contains_addr(self, addr: Addr) -> bool {
        addr.family == self.family() && addr.bits >= self.first() && addr.bits <= self.last()
    }

    pub fn contains_prefix(self, other: Prefix) -> bool {
        other.family() == self.family()
            && other.len >= self.len
            && self.contains_addr(other.network)
    }

    pub fn interval(self) -> Interval {
        Interval {
            family: self.family(),
            first: self.first(),
            last: self.last(),
        }
    }
}

impl fmt::Display for Prefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.len)
    }
}

/// Decimal digits only, no sign and no leading zero, so `/024` is rejected like `010.0.0.1`.
fn parse_prefix_len(text: &str) -> Option<u8> {
    if text.is_empty() || text.len() > 3 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if text.len() > 1 && text.starts_with('0') {
        return None;
    }
    text.parse().ok()
}

/// An inclusive span of addresses of one family.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Interval {
    pub family: Family,
    pub first: u128,
    pub last: u128,
}

impl Interval {
    pub fn of_addr(addr: Addr) -> Interval {
        Interval {
            family: addr.family,
            first: addr.bits,
            last: addr.bits,
        }
    }

    pub fn contains(self, other: Interval) -> bool {
        self.family == other.family && self.first <= other.first && other.last <= self.last
    }

    pub fn contains_bits(self, family: Family, bits: u128) -> bool {
        self.family == family && self.first <= bits && bits <= self.last
    }

    pub fn intersects(self, other: Interval) -> bool {
        self.family == other.family && self.first <= other.last && other.first <= self.last
    }

    /// The number of addresses, saturating at `u128::MAX`.
    pub fn size(self) -> u128 {
        (self.last - self.first).saturating_add(1)
    }

    pub fn addr(self, bits: u128) -> Addr {
        Addr {
            family: self.family,
            bits,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_takes_twenty_bytes() {
        assert_eq!(std::mem::size_of::<Addr>(), 20);
        let (a, b) = (
            Addr::parse("10.0.0.1").unwrap(),
            Addr::parse("::1").unwrap(),
        );
        assert!(a < b, "IPv4 orders before IPv6");
    }

    #[test]
    fn rejects_ambiguous_and_zoned_addresses() {
        assert!(
            Addr::parse("010.0.0.1")
                .unwrap_err()
                .contains("leading zeros")
        );
        assert!(Addr::parse("fe80::1%eth0").unwrap_err().contains("zone"));
        assert!(Addr::parse("10.0.0.256").is_err());
        assert!(Addr::parse(" 10.0.0.1").is_err());
        assert_eq!(Addr::parse("::ffff:10.0.0.1").unwrap().family, Family::V6);
    }

    #[test]
    fn parses_prefixes_strictly() {
        let p = Prefix::parse("10.1.0.1/24").unwrap();
        assert!(p.had_host_bits);
        assert_eq!(p.prefix.to_string(), "10.1.0.0/24");
        assert!(Prefix::parse("10.0.0.0/33").is_err());
        assert!(Prefix::parse("2001:db8::/129").is_err());
        assert!(Prefix::parse("10.0.0.0/024").is_err());
        assert!(Prefix::parse("10.0.0.0/+8").is_err());
        assert!(Prefix::parse("10.0.0.0").is_err());
        let all = Prefix::parse("::/0").unwrap().prefix;
        assert_eq!(all.last(), u128::MAX);
        assert_eq!(all.interval().size(), u128::MAX);
        let zero = Prefix::parse("0.0.0.0/0").unwrap().prefix;
        assert_eq!(zero.last(), u128::from(u32::MAX));
    }

    #[test]
    fn containment_respects_family() {
        let v4 = Prefix::parse("0.0.0.0/0").unwrap().prefix;
        let v6 = Addr::parse("::1").unwrap();
        assert!(!v4.contains_addr(v6));
        let outer = Prefix::parse("10.0.0.0/8").unwrap().prefix;
        let inner = Prefix::parse("10.1.0.0/16").unwrap().prefix;
        assert!(outer.contains_prefix(inner));
        assert!(!inner.contains_prefix(outer));
        assert_eq!(Prefix::of(Addr::parse("10.1.2.3").unwrap(), 16), inner);
    }
}
