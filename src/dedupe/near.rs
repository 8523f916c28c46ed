//! Near-duplicate detection: MinHash LSH banding plus a b-bit sketch check.
//!
//! Core types: [`Postings`], a compact `u32 → u24` multimap (6 bytes per
//! entry, open addressing) shared by every in-memory index of the dedupe
//! stage, and [`NearIndex`], the LSH band table. Verification lives in
//! [`judge`].
//!
//! Why this shape: the in-memory budget is ~200 bytes per article, so the
//! index keeps neither texts nor full signatures. Each *group* of
//! near-duplicates posts its band keys once (members that merely repeat the
//! canonical post nothing) and each article keeps a 4-bit sketch of its
//! MinHash bins (see `features`), enough to estimate resemblance and, with
//! the shingle counts, containment. Bands use one bin each by default: a
//! truncated copy holding 30% of the original has resemblance ≈ 0.3, and
//! with 8 single-bin bands it is still a candidate 94% of the time, where
//! the usual multi-row bands would drop it.

use super::features::{containment, resemblance, sketch_matches};

/// Bits of a stored value: sequence numbers are kept modulo 2^24 (see
/// `Clusterer::live_seq`), story slots are below it.
pub const VALUE_BITS: u32 = 24;
pub const VALUE_MASK: u32 = (1 << VALUE_BITS) - 1;

/// A multimap from `u32` keys to 24-bit values in one flat table with linear
/// probing. Entries are removed only by [`Postings::rebuild`], which keeps
/// those the caller says are live; until then callers filter stale values.
/// Each key holds at most `cap_per_key` entries: a key shared by that many
/// documents carries no information and would make probes long.
///
/// A slot is 6 bytes, not 8: a 24-bit hash of the key and a 24-bit value.
/// Callers verify what they find (LSH candidates on their sketch, ids on the
/// full id, story postings on the story's Bloom filter), so the rare entry of
/// another key with the same hash only costs a check. The stored key is
/// never 0, so an all-zero slot is empty.
#[derive(Debug, Clone)]
pub struct Postings {
    /// `n` slots of 6 bytes, then 8 bytes of padding so every slot can be
    /// read as one unaligned `u64`.
    bytes: Vec<u8>,
    n: usize,
    /// Occupied slots, stale ones included.
    used: usize,
    cap_per_key: usize,
}

/// Most entries per slot count before the table grows (0.85): linear probing
/// stays short enough (~23 slots read for a miss, 6 bytes each) and these
/// tables are most of the index.
const MAX_LOAD_NUM: usize = 17;
const MAX_LOAD_DEN: usize = 20;

impl Postings {
    const SLOT: usize = 6;
    const SLOT_MASK: u64 = (1 << 48) - 1;

    pub fn new(cap_per_key: usize) -> Postings {
        let mut p = Postings { bytes: Vec::new(), n: 0, used: 0, cap_per_key: cap_per_key.max(1) };
        p.alloc(64);
        p
    }

    fn alloc(&mut self, n: usize) {
        self.bytes = vec![0; n * Self::SLOT + 8];
        self.bytes.shrink_to_fit();
        self.n = n;
        self.used = 0;
    }

    /// The stored form of `key` (never 0).
    #[inline]
    fn stored_key(key: u32) -> u64 {
        // The top 24 bits of an odd multiple depend on every bit of the key.
        u64::from((key.wrapping_mul(0x2c1b_3c6d) >> 8).max(1))
    }

    #[inline]
    fn home(&self, skey: u64) -> usize {
        // Keys are hashes already, but typed story keys share their top bits.
        let h = (skey ^ 0x9e37_79b9).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 32;
        ((h * self.n as u64) >> 32) as usize
    }

    #[inline]
    fn slot(&self, i: usize) -> u64 {
        let at = i * Self::SLOT;
        u64::from_le_bytes(self.bytes[at..at + 8].try_into().expect("8 bytes")) & Self::SLOT_MASK
    }

    #[inline]
    fn put(&mut self, i: usize, e: u64) {
        let at = i * Self::SLOT;
        self.bytes[at..at + Self::SLOT].copy_from_slice(&e.to_le_bytes()[..Self::SLOT]);
    }

    /// Calls `f` with every value stored under `key` (stale ones included,
    /// and rarely values of another key with the same 24-bit hash).
    #[inline]
    pub fn for_each(&self, key: u32, mut f: impl FnMut(u32)) {
        let sk = Self::stored_key(key);
        let mut i = self.home(sk);
        loop {
            let e = self.slot(i);
            if e == 0 {
                return;
            }
            if e >> VALUE_BITS == sk {
                f(e as u32 & VALUE_MASK);
            }
            i += 1;
            if i == self.n {
                i = 0;
            }
        }
    }

    /// Number of entries under `key`, counting stale ones, up to the cap.
    pub fn count(&self, key: u32) -> usize {
        let mut c = 0;
        self.for_each(key, |_| c += 1);
        c
    }

    /// Adds `key → value` (`value` < 2^24) unless the key is full. Returns
    /// whether it was added. Call [`Postings::needs_room`] /
    /// [`Postings::rebuild`] first.
    pub fn insert(&mut self, key: u32, value: u32) -> bool {
        debug_assert!(value <= VALUE_MASK);
        let sk = Self::stored_key(key);
        let mut i = self.home(sk);
        let mut same = 0;
        loop {
            let e = self.slot(i);
            if e == 0 {
                break;
            }
            if e >> VALUE_BITS == sk {
                same += 1;
                if same >= self.cap_per_key {
                    return false;
                }
            }
            i += 1;
            if i == self.n {
                i = 0;
            }
        }
        self.put(i, sk << VALUE_BITS | u64::from(value & VALUE_MASK));
        self.used += 1;
        true
    }

    /// Whether `extra` more inserts would push the load past 0.85.
    pub fn needs_room(&self, extra: usize) -> bool {
        (self.used + extra) * MAX_LOAD_DEN > self.n * MAX_LOAD_NUM
    }

    /// Rebuilds the table keeping the entries whose value is `live`, sized
    /// so that `extra` more entries fit at a load of at most 0.85. Growth is
    /// by ×1.125 rather than ×2, so a table sits between 0.75 and 0.85 full
    /// (a rebuild is linear, so this costs ~8 moves per insert).
    pub fn rebuild(&mut self, extra: usize, live: impl Fn(u32) -> bool) {
        let keep: Vec<u64> =
            (0..self.n).map(|i| self.slot(i)).filter(|&e| e != 0 && live(e as u32 & VALUE_MASK)).collect();
        let want = (keep.len() + extra) * MAX_LOAD_DEN / MAX_LOAD_NUM + 1;
        self.alloc((want + want / 8).max(64));
        // Re-insert in the original key order of the old table: entries of
        // one key keep their relative order (oldest first).
        for e in keep {
            let mut i = self.home(e >> VALUE_BITS);
            while self.slot(i) != 0 {
                i = if i + 1 == self.n { 0 } else { i + 1 };
            }
            self.put(i, e);
            self.used += 1;
        }
    }

    /// Most entries kept per key.
    pub fn cap(&self) -> usize {
        self.cap_per_key
    }

    /// Occupied slots (stale included).
    pub fn used(&self) -> usize {
        self.used
    }

    /// Slots.
    pub fn slots(&self) -> usize {
        self.n
    }

    /// Heap bytes.
    pub fn memory_bytes(&self) -> usize {
        self.bytes.capacity()
    }
}

/// The LSH band table: band key → sequence number of a posting article.
#[derive(Debug, Clone)]
pub struct NearIndex {
    /// Values are sequence numbers modulo 2^24.
    pub postings: Postings,
}

impl NearIndex {
    /// `cap_per_key`: most groups sharing one band value that are kept (a
    /// band value shared by more is boilerplate, not evidence).
    pub fn new(cap_per_key: usize) -> NearIndex {
        NearIndex { postings: Postings::new(cap_per_key) }
    }

    /// Stored values (sequence numbers modulo 2^24) for `band_keys`, stale
    /// ones included: the caller maps, filters, sorts and deduplicates.
    pub fn candidates(&self, band_keys: &[u32], out: &mut Vec<u32>) {
        out.clear();
        for &k in band_keys {
            self.postings.for_each(k, |v| out.push(v));
        }
    }
}

/// Verdict of a sketch comparison.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Judgement {
    /// Estimated Jaccard resemblance of the shingle sets.
    pub resemblance: f32,
    /// Estimated share of the smaller set inside the larger.
    pub containment: f32,
}

/// Compares two sketches (same layout) with their shingle counts.
#[inline]
pub fn judge(a: &[u64], a_shingles: u32, b: &[u64], b_shingles: u32) -> Judgement {
    let bins = (a.len().min(b.len()) * 16) as u32;
    let j = resemblance(sketch_matches(a, b), bins);
    Judgement { resemblance: j, containment: containment(j, a_shingles, b_shingles) }
}

/// Thresholds applied to a [`Judgement`].
#[derive(Debug, Clone, Copy)]
pub struct Thresholds {
    pub resemblance: f32,
    pub containment: f32,
    /// Smallest size ratio (smaller/larger shingle set) for a containment
    /// verdict: below it the estimate is too noisy to trust.
    pub min_containment_ratio: f32,
}

impl Thresholds {
    /// `Some(containment?)` when the pair is a near-duplicate.
    pub fn decide(&self, j: &Judgement, a_shingles: u32, b_shingles: u32) -> Option<bool> {
        if j.resemblance >= self.resemblance {
            return Some(false);
        }
        let (s, l) = (a_shingles.min(b_shingles) as f32, a_shingles.max(b_shingles).max(1) as f32);
        (j.containment >= self.containment && s / l >= self.min_containment_ratio).then_some(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn postings_multimap_caps_and_rebuilds() {
        let mut p = Postings::new(3);
        for v in 0..5 {
            if p.needs_room(1) {
                p.rebuild(1, |_| true);
            }
            p.insert(7, v);
        }
        let mut got = vec![];
        p.for_each(7, |v| got.push(v));
        got.sort();
        assert_eq!(got, [0, 1, 2], "capped at 3 per key");
        p.rebuild(0, |v| v != 1);
        let mut got = vec![];
        p.for_each(7, |v| got.push(v));
        got.sort();
        assert_eq!(got, [0, 2]);
        assert!(p.insert(7, 9));
    }

    #[test]
    fn thresholds_decide() {
        let t = Thresholds { resemblance: 0.5, containment: 0.8, min_containment_ratio: 0.2 };
        assert_eq!(t.decide(&Judgement { resemblance: 0.6, containment: 0.75 }, 100, 100), Some(false));
        assert_eq!(t.decide(&Judgement { resemblance: 0.3, containment: 0.9 }, 40, 100), Some(true));
        assert_eq!(t.decide(&Judgement { resemblance: 0.1, containment: 0.9 }, 10, 100), None, "ratio too small");
        assert_eq!(t.decide(&Judgement { resemblance: 0.3, containment: 0.5 }, 40, 100), None);
    }

    proptest! {
        #[test]
        fn postings_behave_like_a_capped_multimap(ops in proptest::collection::vec((0u32..50, 0u32..1000), 0..2000)) {
            check_multimap(&ops)?;
        }
    }

    fn check_multimap(ops: &[(u32, u32)]) -> Result<(), TestCaseError> {
        let mut p = Postings::new(8);
        let mut model: std::collections::HashMap<u32, Vec<u32>> = Default::default();
        for &(k, v) in ops {
            // Spread the keys over the whole range, as hashes are.
            let k = k.wrapping_mul(0x9e37_79b9);
            if p.needs_room(1) {
                p.rebuild(1, |_| true);
            }
            let e = model.entry(k).or_default();
            let added = p.insert(k, v);
            prop_assert_eq!(added, e.len() < 8);
            if added {
                e.push(v);
            }
        }
        for (k, vs) in model {
            let mut got = vec![];
            p.for_each(k, |v| got.push(v));
            got.sort();
            let mut want = vs.clone();
            want.sort();
            prop_assert_eq!(got, want);
        }
        prop_assert!(p.used() * MAX_LOAD_DEN <= p.slots() * MAX_LOAD_NUM);
        prop_assert_eq!(p.memory_bytes(), p.slots() * 6 + 8);
        Ok(())
    }
}
