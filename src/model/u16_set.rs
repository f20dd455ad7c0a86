//! A set of 16-bit values as a bitmap of 8 KB: where a few values are looked for among a
//! million, a bit of each one's hash or value rules most of the million out at once.

pub struct U16Set {
    words: Vec<u64>,
}

impl Default for U16Set {
    fn default() -> Self {
        U16Set {
            words: vec![0; (1 << 16) / 64],
        }
    }
}

impl U16Set {
    pub fn insert(&mut self, value: u16) {
        let bit = usize::from(value);
        self.words[bit / 64] |= 1 << (bit % 64);
    }

    pub fn contains(&self, value: u16) -> bool {
        let bit = usize::from(value);
        self.words[bit / 64] & (1 << (bit % 64)) != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_exactly_what_was_inserted() {
        let mut set = U16Set::default();
        for value in [0, 63, 64, 1000, u16::MAX] {
            set.insert(value);
        }
        let held: Vec<u16> = (0..=u16::MAX).filter(|&v| set.contains(v)).collect();
        assert_eq!(held, vec![0, 63, 64, 1000, u16::MAX]);
    }
}
