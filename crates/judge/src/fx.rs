//! A fast hash (FxHash's mixing) for the judge's own keys: the lexicon's ~75,000 patterns hashed
//! when the scorer starts, the learned vocabulary's index, the n-grams and words of one reply.
//! SipHash's resistance to chosen keys buys nothing here: every table is either our own data or
//! the keys of one reply, looked up, never iterated into a result. Only `std`:
//! `crates/data-build.rs` includes this file (`#[path]`) with the learned models' form.

use std::hash::{BuildHasherDefault, Hasher};

const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;

/// The hasher (`FxBuild` for a `HashMap` or `HashSet`).
#[derive(Default)]
pub struct Fx(u64);

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut w = [0u8; 8];
            w[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(i)).wrapping_mul(K);
    }
    fn write_usize(&mut self, i: usize) {
        self.0 = (self.0.rotate_left(5) ^ i as u64).wrapping_mul(K);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// `HashMap<K, V, FxBuild>`: a map hashed by `Fx`.
pub type FxBuild = BuildHasherDefault<Fx>;

/// The hash of `bytes` alone (no length suffix, unlike `Hash for str`): the learned vocabulary's
/// index (`learned::form::Packed`).
pub fn hash(bytes: &[u8]) -> u64 {
    let mut h = Fx::default();
    h.write(bytes);
    // The high bits mix every byte; fold them down for a table indexed by the low ones.
    h.0 ^ (h.0 >> 29)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_bytes_hash_alike_and_near_keys_apart() {
        assert_eq!(hash("您好".as_bytes()), hash("您好".as_bytes()));
        let keys: Vec<String> = (0..1000).map(|i| format!("g{i}")).collect();
        let mut low: Vec<u64> = keys.iter().map(|k| hash(k.as_bytes()) & 1023).collect();
        low.sort_unstable();
        low.dedup();
        // 1,000 keys in 1,024 buckets: a good mix fills well over half of them.
        assert!(low.len() > 550, "{} buckets used", low.len());
    }
}
