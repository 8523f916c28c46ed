//! A fast, non-keyed hasher for in-memory maps whose keys are already
//! hashes (xxh3 ids) or short trusted strings: [`FastHasher`], [`FastMap`],
//! [`FastSet`]. Multiply-rotate, 8 bytes at a time, as rustc's FxHasher.
//! Not flood resistant and not stable across versions: never persist it,
//! and never let iteration order reach an output.

use std::collections::{HashMap, HashSet};
use std::hash::BuildHasherDefault;

pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;
pub type FastSet<K> = HashSet<K, BuildHasherDefault<FastHasher>>;

#[derive(Default, Clone, Copy)]
pub struct FastHasher(u64);

impl FastHasher {
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl std::hash::Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().unwrap_or_default()));
        }
        let mut tail = [0u8; 8];
        let rest = chunks.remainder();
        tail[..rest.len()].copy_from_slice(rest);
        self.add(u64::from_le_bytes(tail) ^ (rest.len() as u64) << 59);
    }
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    fn write_u128(&mut self, i: u128) {
        self.add(i as u64);
        self.add((i >> 64) as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{BuildHasher, Hash};

    fn hash<T: Hash>(v: T) -> u64 {
        BuildHasherDefault::<FastHasher>::default().hash_one(v)
    }

    #[test]
    fn distinguishes_lengths_halves_and_tails() {
        assert_ne!(hash("ab"), hash("ab\0"));
        assert_ne!(hash(1u128), hash(1u128 << 64));
        assert_ne!(hash("abcdefgh1"), hash("abcdefgh2"));
    }
}
