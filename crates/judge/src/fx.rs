//! A fast hash (FxHash's mixing) for the judge's own keys: the lexicon's ~23,000 fixed strings hashed
//! when the scorer starts, the learned vocabulary's index, the n-grams and words of one reply.
//! Every table is either our own data or the keys of one reply, looked up, never iterated into a
//! result. Not resistant to chosen keys as SipHash is: a reply crafted to collide slows only its
//! own judging (the app caps a reply's length; the index holds our vocabulary alone). Only `std`:
//! `crates/data-build.rs` includes this file (`#[path]`) with the learned models' form.

use std::hash::{BuildHasherDefault, Hasher};

const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;

/// The hasher (`FxBuild` for a `HashMap` or `HashSet`).
#[derive(Default)]
pub struct Fx(u64);

impl Hasher for Fx {
    /// Eight bytes at a time, little-endian, the last word zero-padded. The tail is gathered
    /// byte by byte: a copy of a variable length was a call to `memcpy` per key (most keys
    /// are one or two Chinese chars, 3 or 6 bytes).
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            let w = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
            self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(K);
        }
        let tail = words.remainder();
        if !tail.is_empty() {
            let w = tail
                .iter()
                .rev()
                .fold(0u64, |w, &b| (w << 8) | u64::from(b));
            self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(K);
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
    // A product's low bits depend only on the factors' low bits (here the first bytes of a
    // key, nearly the same for every Chinese char): murmur3's finaliser mixes every bit into
    // the low ones a table is indexed by.
    let mut x = h.0;
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^ (x >> 33)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byte_of_a_key_counts_whatever_its_length() {
        // Keys of 1 to 24 bytes: changing any one byte (the tail's too) changes the hash, and
        // the words are the key's bytes little-endian, the last zero-padded.
        for len in 1..=24usize {
            let key: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            let mut padded = key.clone();
            padded.resize(len.div_ceil(8) * 8, 0);
            let by_words = padded.chunks(8).fold(0u64, |h, w| {
                let w = u64::from_le_bytes(w.try_into().unwrap());
                (h.rotate_left(5) ^ w).wrapping_mul(K)
            });
            let mut h = Fx::default();
            h.write(&key);
            assert_eq!(h.finish(), by_words, "{len} bytes");
            for i in 0..len {
                let mut other = key.clone();
                other[i] ^= 0x40;
                assert_ne!(hash(&other), hash(&key), "byte {i} of {len}");
            }
        }
    }

    #[test]
    fn equal_bytes_hash_alike_and_near_keys_apart() {
        assert_eq!(hash("您好".as_bytes()), hash("您好".as_bytes()));
        // Keys like the vocabulary's: 1,000 Chinese 2- and 3-grams of neighbouring chars.
        let keys: Vec<String> = (0..1000u32)
            .map(|i| {
                let c = |k: u32| char::from_u32(0x4e00 + k).unwrap_or('一');
                let mut s: String = [c(i / 7), c(i % 97)].iter().collect();
                if i % 2 == 1 {
                    s.push(c(i % 13));
                }
                s
            })
            .collect();
        let mut low: Vec<u64> = keys.iter().map(|k| hash(k.as_bytes()) & 1023).collect();
        low.sort_unstable();
        low.dedup();
        // 1,000 keys thrown at random into 1,024 buckets fill about 630 of them.
        assert!(low.len() > 580, "{} buckets used", low.len());
    }
}
