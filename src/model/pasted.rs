//! What an address or CIDR copied from elsewhere probably meant: a router's netmask or an
//! ACL's wildcard mask for the prefix length, a stray space, leading zeros, a prefix length
//! on an address or none on a CIDR. The strict parsers (`ip.rs`) still refuse these; this
//! only finds the value to suggest, and says what was wrong.

use super::ip::{Addr, Family, Prefix};

/// The value meant, and what kept the text from being it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meant<T> {
    pub value: T,
    pub because: String,
    /// False when the text could mean other values too: a bare address for a CIDR.
    pub certain: bool,
}

/// The CIDR that a refused CIDR text most likely meant, if it can be told. A bare address
/// has no one meaning (the length is the subnet's): `value` is then the one-address prefix,
/// and not `certain`.
pub fn meant_prefix(text: &str) -> Option<Meant<Prefix>> {
    let spaceless: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let mut reasons: Vec<String> = Vec::new();
    if spaceless != text.trim() {
        reasons.push("a CIDR has no spaces".to_owned());
    }
    let Some((addr_text, len_text)) = spaceless.split_once('/') else {
        let addr = meant_addr_text(&spaceless, &mut reasons)?;
        let width = addr.family.width();
        let value = Prefix::of(addr, width);
        reasons.push(format!(
            "a CIDR needs its prefix length: `{addr}/{width}` for this one address, or the \
             length of the subnet it starts, such as `{addr}/24`"
        ));
        return Some(Meant {
            value,
            because: reasons.join("; "),
            certain: false,
        });
    };
    let addr = meant_addr_text(addr_text, &mut reasons)?;
    let len = meant_length(addr.family, len_text, &mut reasons)?;
    if reasons.is_empty() {
        return None;
    }
    Some(Meant {
        value: Prefix::of(addr, len),
        because: reasons.join("; "),
        certain: true,
    })
}

/// The address that a refused address text most likely meant, if it can be told.
pub fn meant_addr(text: &str) -> Option<Meant<Addr>> {
    let mut reasons = Vec::new();
    let spaceless: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if spaceless != text.trim() {
        reasons.push("an address has no spaces".to_owned());
    }
    let addr_text = match spaceless.split_once('/') {
        Some((addr, _)) => {
            reasons.push("an address takes no prefix length".to_owned());
            addr
        }
        None => &spaceless,
    };
    let value = meant_addr_text(addr_text, &mut reasons)?;
    (!reasons.is_empty()).then(|| Meant {
        value,
        because: reasons.join("; "),
        certain: true,
    })
}

/// An address, allowing leading zeros in IPv4 octets (read as decimal, and said so).
fn meant_addr_text(text: &str, reasons: &mut Vec<String>) -> Option<Addr> {
    if let Ok(addr) = Addr::parse(text) {
        return Some(addr);
    }
    let octets: Vec<&str> = text.split('.').collect();
    let all_digits = octets.len() == 4
        && (octets.iter())
            .all(|o| !o.is_empty() && o.len() <= 4 && o.bytes().all(|b| b.is_ascii_digit()));
    if !all_digits {
        return None;
    }
    let decimal: Vec<String> = (octets.iter())
        .map(|o| o.trim_start_matches('0'))
        .map(|o| {
            if o.is_empty() {
                "0".to_owned()
            } else {
                o.to_owned()
            }
        })
        .collect();
    let addr = Addr::parse(&decimal.join(".")).ok()?;
    reasons.push(format!(
        "leading zeros are ambiguous (octal to some tools), so `{text}` is refused; read as \
         decimal it is {addr}"
    ));
    Some(addr)
}

/// A prefix length written as a number with leading zeros, a netmask or a wildcard mask.
fn meant_length(family: Family, text: &str, reasons: &mut Vec<String>) -> Option<u8> {
    let width = family.width();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        let len: u8 = text.parse().ok().filter(|len| *len <= width)?;
        if text.len() > 1 && text.starts_with('0') {
            reasons.push(format!(
                "a prefix length has no leading zeros: /{len}, not /{text}"
            ));
        }
        return Some(len);
    }
    let mask = match (family, Addr::parse(text).ok()?) {
        (Family::V4, mask) if mask.family == Family::V4 => mask.bits as u32,
        _ => return None,
    };
    let ones = mask.count_ones() as u8;
    if mask.leading_ones() == mask.count_ones() {
        reasons.push(format!(
            "`{text}` is a netmask; a CIDR writes it as the prefix length /{ones}"
        ));
        Some(ones)
    } else if mask.trailing_ones() == mask.count_ones() {
        let len = 32 - ones;
        reasons.push(format!(
            "`{text}` is a wildcard (host) mask; a CIDR writes it as the prefix length /{len}"
        ));
        Some(len)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prefix(text: &str) -> Option<(String, String)> {
        meant_prefix(text).map(|m| (m.value.to_string(), m.because))
    }

    #[test]
    fn pasted_cidrs_name_the_prefix_meant() {
        let (value, because) = prefix("192.0.2.0/255.255.255.0").unwrap();
        assert_eq!(value, "192.0.2.0/24");
        assert!(because.contains("netmask"), "{because}");
        let (value, because) = prefix("192.0.2.0/0.0.0.255").unwrap();
        assert_eq!(value, "192.0.2.0/24");
        assert!(because.contains("wildcard"), "{because}");
        let (value, because) = prefix("10.0.0.0/024").unwrap();
        assert_eq!(value, "10.0.0.0/24");
        assert!(because.contains("leading zeros"), "{because}");
        let (value, because) = prefix("10.50.2.0 /24").unwrap();
        assert_eq!(value, "10.50.2.0/24");
        assert!(because.contains("no spaces"), "{because}");
        let (value, because) = prefix("010.001.0.0/16").unwrap();
        assert_eq!(value, "10.1.0.0/16");
        assert!(because.contains("decimal"), "{because}");
        let (value, because) = prefix("10.0.0.0").unwrap();
        assert_eq!(value, "10.0.0.0/32");
        assert!(
            because.contains("`10.0.0.0/32` for this one address"),
            "{because}"
        );
        assert!(!meant_prefix("10.0.0.0").unwrap().certain);
        assert!(meant_prefix("10.0.0.0/024").unwrap().certain);
        let (value, _) = prefix("2001:db8::").unwrap();
        assert_eq!(value, "2001:db8::/128");
    }

    #[test]
    fn what_cannot_be_told_is_not_guessed() {
        assert_eq!(prefix("10.0.0.0/24"), None);
        assert_eq!(prefix("192.0.2.0/255.0.255.0"), None);
        assert_eq!(prefix("10.0.0.0/33"), None);
        assert_eq!(prefix("10.0.0.300/24"), None);
        assert_eq!(prefix("2001:db8::/255.255.0.0"), None);
        assert_eq!(prefix("web"), None);
    }

    #[test]
    fn pasted_addresses_name_the_address_meant() {
        let meant = meant_addr("10.0.0.1/24").unwrap();
        assert_eq!(meant.value.to_string(), "10.0.0.1");
        assert!(meant.because.contains("no prefix length"));
        assert_eq!(
            meant_addr("010.0.0.1").unwrap().value.to_string(),
            "10.0.0.1"
        );
        assert_eq!(meant_addr("10.0.0.1"), None);
        assert_eq!(meant_addr("10.0.0.x"), None);
    }
}
