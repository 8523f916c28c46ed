//! Story clustering: the same news event told by different writers.
//!
//! Core types: [`StoryIndex`] (live stories and their posted keys),
//! [`Story`] and [`StoryParams`].
//!
//! Shingles cannot see that a translation and an agency copy report the same
//! event, so stories are matched on *evidence keys* (see `features`): names,
//! places, numbers, calendar days and years, up to `story_keys` per article.
//! Each story remembers the keys of its members in a 64-byte Bloom filter and
//! posts only the `story_post_keys` most salient keys of each member in a
//! [`Postings`] table (24-bit key hash → story, checked against the Bloom
//! filter), which is how a new article finds
//! candidate stories. The best 16 candidates are then scored on all the
//! article's keys:
//!
//! `score = Σ w(k) over keys the story has / Σ w(k) over the article's keys`,
//! with `w(k) = kind weight × ln(1 + live stories / (stories posting k + 1))`,
//! and a quarter weight (`common_weight`) for countries, capitals and the like.
//!
//! The document frequency comes from the postings themselves, so a key such
//! as "Iraq" that many live stories carry weighs little, and a key posted by
//! `max_story_postings` stories is dropped as uninformative. Dates gate the
//! match: an article joins only a story whose publication dates are within
//! `story_date_slack_days` of its own, so the same base attacked again years
//! later starts a new story. An undated article or story must clear the
//! higher `story_threshold_undated`.

use std::collections::HashMap;

use super::features::{Fingerprint, KeyKind};
use super::near::{Postings, VALUE_MASK};

/// One live story (80 bytes).
#[derive(Debug, Clone)]
pub struct Story {
    /// Sequence number of its first article, whose id is the story's stable
    /// id (see [`StoryIndex::moved_id`] once that article has left).
    pub first: u32,
    /// Earliest and latest own publication day of its members (days since
    /// 1970-01-01, 0 when none is dated). Inherited dates do not count.
    pub min_pub: u16,
    pub max_pub: u16,
    /// Live member articles; the story dies with its last member.
    pub members: u32,
    /// Keys this story posted (to count stale postings when it dies).
    pub posted: u16,
    /// A 512-bit Bloom filter (3 probes) of the evidence keys of all its
    /// members: scoring checks every key of a new article against it, while
    /// only the most salient keys are posted for lookup. 64 bytes; false
    /// matches stay under 3% up to the 64 keys it takes
    /// (then the story stops learning keys, or it would match everything).
    bloom: [u64; 8],
    nkeys: u8,
}

const MAX_STORY_KEYS: u8 = 64;

#[inline]
fn probes(k: u32) -> [u32; 3] {
    let h = (u64::from(k) ^ 0x2545_f491).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    // Three 9-bit slices of one multiplicative hash.
    [(h >> 55) as u32, (h >> 46) as u32 & 511, (h >> 37) as u32 & 511]
}

impl Story {
    fn dated(&self) -> bool {
        self.min_pub != 0
    }

    fn has(&self, k: u32) -> bool {
        probes(k).iter().all(|&b| self.bloom[(b >> 6) as usize] & (1 << (b & 63)) != 0)
    }

    /// Whether a posting of `k` to this story can be real: it holds `k`,
    /// or its filter is full (keys posted after that are not in it). Weeds
    /// out postings of another key with the same 24-bit hash.
    #[inline]
    fn may_have(&self, k: u32) -> bool {
        self.nkeys >= MAX_STORY_KEYS || self.has(k)
    }

    fn add_key(&mut self, k: u32) {
        if self.nkeys >= MAX_STORY_KEYS || self.has(k) {
            return;
        }
        self.nkeys += 1;
        for b in probes(k) {
            self.bloom[(b >> 6) as usize] |= 1 << (b & 63);
        }
    }
}

/// The knobs of story matching (from `NearDupConfig`).
#[derive(Debug, Clone, Copy)]
pub struct StoryParams {
    pub threshold: f32,
    pub threshold_undated: f32,
    pub min_shared_keys: u32,
    pub date_slack_days: u16,
    pub weights: [f32; 4],
    pub place_weight: f32,
    pub common_weight: f32,
    /// Keys of each article posted for its story (the most salient first).
    pub post_keys: usize,
}

/// Candidate stories scored in full per article.
const MAX_CANDIDATES: usize = 16;

/// The best story for an article.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StoryMatch {
    pub story: u32,
    pub score: f32,
    /// Both sides dated (and compatible): the lower threshold applied.
    pub dated: bool,
}

/// Live stories and the key postings that find them.
#[derive(Debug, Clone)]
pub struct StoryIndex {
    stories: Vec<Story>,
    /// Slots free for reuse (their postings have been purged).
    free: Vec<u32>,
    /// Slots of dead stories whose postings are still in the table.
    dead: Vec<u32>,
    /// Ids of live stories whose first article is not in the window (it
    /// left, or the story was restored without it): few, so kept aside
    /// rather than 16 bytes in every story.
    moved: HashMap<u32, u128>,
    /// Key → story slot (slots stay below 2^24, see `NearDupConfig::validate`).
    /// Keys are kept as 24-bit hashes: among a million live keys a few
    /// percent share theirs with another, so a posting found for a key is
    /// also checked against the story's Bloom filter (see [`Story::may_have`]).
    postings: Postings,
    stale_postings: usize,
    live: usize,
    /// Scratch: (story, weight found through postings, unused).
    acc: Vec<(u32, f32, u32)>,
}

impl StoryIndex {
    pub fn new(max_story_postings: usize) -> StoryIndex {
        StoryIndex {
            stories: Vec::new(),
            free: Vec::new(),
            dead: Vec::new(),
            moved: HashMap::new(),
            postings: Postings::new(max_story_postings),
            stale_postings: 0,
            live: 0,
            acc: Vec::new(),
        }
    }

    pub fn get(&self, s: u32) -> &Story {
        &self.stories[s as usize]
    }

    fn alive(&self, s: u32) -> bool {
        self.stories.get(s as usize).is_some_and(|st| st.members > 0)
    }

    /// Live stories.
    pub fn len(&self) -> usize {
        self.live
    }

    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// The best compatible story for `fp` published on `pub_day` (0 =
    /// unknown), if any clears its threshold.
    pub fn best(&mut self, fp: &Fingerprint, pub_day: u16, p: &StoryParams) -> Option<StoryMatch> {
        self.acc.clear();
        let n = self.live as f32;
        let mut total = 0.0f32;
        let cap = self.postings.cap();
        let mut weights = [0f32; 32];
        let mut seen: Vec<u32> = Vec::with_capacity(8);
        // Candidates and key weights from the postings.
        for (i, &k) in fp.keys.iter().enumerate().take(32) {
            seen.clear();
            let stories = &self.stories;
            self.postings.for_each(k, |s| {
                if stories.get(s as usize).is_some_and(|st| st.members > 0 && st.may_have(k)) && !seen.contains(&s) {
                    seen.push(s);
                }
            });
            if seen.len() >= cap {
                continue; // carried by too many stories to tell them apart
            }
            let mut w = p.weights[KeyKind::of(k) as usize] * (1.0 + n / (seen.len() as f32 + 1.0)).ln();
            if fp.place_mask & (1 << i) != 0 {
                w *= p.place_weight;
            }
            if fp.common_mask & (1 << i) != 0 {
                w *= p.common_weight;
            }
            weights[i] = w;
            total += w;
            for &s in &seen {
                match self.acc.iter_mut().find(|a| a.0 == s) {
                    Some(a) => a.1 += w,
                    None => self.acc.push((s, w, 0)),
                }
            }
        }
        if total <= 0.0 {
            return None;
        }
        // Score the most promising candidates on all their keys.
        self.acc.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        self.acc.truncate(MAX_CANDIDATES);
        let mut best: Option<StoryMatch> = None;
        for &(s, _, _) in &self.acc {
            let st = &self.stories[s as usize];
            let (mut w, mut shared) = (0f32, 0u32);
            for (i, &k) in fp.keys.iter().enumerate().take(32) {
                if weights[i] > 0.0 && st.has(k) {
                    w += weights[i];
                    shared += 1;
                }
            }
            if shared < p.min_shared_keys {
                continue;
            }
            let Some(dated) = dates_compatible(st, pub_day, fp, p.date_slack_days) else { continue };
            let score = (w / total).min(1.0);
            let threshold = if dated { p.threshold } else { p.threshold_undated };
            if score < threshold {
                continue;
            }
            // Ties go to the candidate found first (deterministic order).
            if best.is_none_or(|b| score > b.score) {
                best = Some(StoryMatch { story: s, score, dated });
            }
        }
        best
    }

    /// Starts a story for an article (sequence number `first`) and posts its keys.
    pub fn create(&mut self, first: u32, fp: &Fingerprint, pub_day: u16, post_keys: usize) -> u32 {
        let st = Story { first, min_pub: pub_day, max_pub: pub_day, members: 0, posted: 0, bloom: [0; 8], nkeys: 0 };
        let s = match self.free.pop() {
            Some(s) => {
                self.stories[s as usize] = st;
                s
            }
            None => {
                if self.stories.len() == self.stories.capacity() {
                    // Grow by a sixteenth, not double: this is much of the index.
                    self.stories.reserve_exact(self.stories.len() / 16 + 16);
                }
                self.stories.push(st);
                debug_assert!(self.stories.len() <= VALUE_MASK as usize);
                (self.stories.len() - 1) as u32
            }
        };
        self.live += 1;
        self.join(s, Some(fp), pub_day, post_keys);
        s
    }

    /// Adds a member to story `s`: widens its dates with `pub_day` (0 =
    /// unknown or inherited) and posts the keys of `fp` it lacks.
    pub fn join(&mut self, s: u32, fp: Option<&Fingerprint>, pub_day: u16, post_keys: usize) {
        {
            let st = &mut self.stories[s as usize];
            st.members += 1;
            if pub_day != 0 {
                st.min_pub = if st.min_pub == 0 { pub_day } else { st.min_pub.min(pub_day) };
                st.max_pub = st.max_pub.max(pub_day);
            }
        }
        let Some(fp) = fp else { return };
        for &k in &fp.keys {
            self.stories[s as usize].add_key(k);
        }
        let keys = &fp.keys[..fp.keys.len().min(post_keys)];
        if self.postings.needs_room(keys.len()) {
            let stories = &self.stories;
            self.postings.rebuild(keys.len(), |v| stories.get(v as usize).is_some_and(|st| st.members > 0));
            self.stale_postings = 0;
            self.free.append(&mut self.dead);
        }
        let mut added = 0u16;
        for &k in keys {
            let mut has = false;
            self.postings.for_each(k, |v| has |= v == s);
            if !has && self.postings.insert(k, s) {
                added += 1;
            }
        }
        self.stories[s as usize].posted = self.stories[s as usize].posted.saturating_add(added);
    }

    /// A member left (evicted). Dead stories' postings are purged once they
    /// are a quarter of the table.
    pub fn leave(&mut self, s: u32) {
        let st = &mut self.stories[s as usize];
        st.members -= 1;
        if st.members == 0 {
            self.live -= 1;
            self.moved.remove(&s);
            if st.posted == 0 {
                // Nothing of it in the table: reusable now.
                self.free.push(s);
            } else {
                self.stale_postings += st.posted as usize;
                self.dead.push(s);
            }
        }
        if self.stale_postings * 4 > self.postings.used().max(256) {
            let stories = &self.stories;
            self.postings.rebuild(0, |v| stories.get(v as usize).is_some_and(|st| st.members > 0));
            self.stale_postings = 0;
            self.free.append(&mut self.dead);
        }
    }

    /// Gives live story `s` an id of its own: its first article is leaving
    /// the window, or it is restored under a persisted id.
    pub fn set_id(&mut self, s: u32, id: u128) {
        self.moved.insert(s, id);
    }

    /// The id given by [`StoryIndex::set_id`], if any; otherwise the story's
    /// id is its first article's.
    pub fn moved_id(&self, s: u32) -> Option<u128> {
        self.moved.get(&s).copied()
    }

    /// Whether story `s` is alive.
    pub fn is_alive(&self, s: u32) -> bool {
        self.alive(s)
    }

    /// Heap bytes.
    pub fn memory_bytes(&self) -> usize {
        let (records, postings) = self.memory_parts();
        records + postings
    }

    /// Heap bytes of (story records and their bookkeeping, key postings).
    pub fn memory_parts(&self) -> (usize, usize) {
        let records = self.stories.capacity() * std::mem::size_of::<Story>()
            + (self.free.capacity() + self.dead.capacity()) * 4
            + self.moved.capacity() * (std::mem::size_of::<(u32, u128)>() + 1)
            + self.acc.capacity() * std::mem::size_of::<(u32, f32, u32)>();
        (records, self.postings.memory_bytes())
    }
}

/// `Some(both dated)` when an article published on `pub_day` (0 = unknown)
/// may join `st`; `None` when the dates rule it out.
fn dates_compatible(st: &Story, pub_day: u16, fp: &Fingerprint, slack: u16) -> Option<bool> {
    if !st.dated() {
        return Some(false);
    }
    if pub_day != 0 {
        let ok = pub_day.saturating_add(slack) >= st.min_pub && pub_day <= st.max_pub.saturating_add(slack);
        return ok.then_some(true);
    }
    // Undated article: its text must not be about later times than the story.
    let (story_year, _, _) = super::features::civil_from_days(i32::from(st.max_pub));
    if fp.max_year != 0 && i32::from(fp.max_year) > story_year {
        return None;
    }
    if fp.dates.last().is_some_and(|&d| d > i32::from(st.max_pub) + i32::from(slack)) {
        return None;
    }
    Some(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fp(keys: &[u32]) -> Fingerprint {
        Fingerprint {
            words: 100,
            shingles: 97,
            num_perm: 16,
            band_rows: 1,
            band_keys: vec![],
            sketch: vec![0],
            keys: keys.to_vec(),
            place_mask: 0,
            common_mask: 0,
            dates: vec![],
            max_year: 0,
        }
    }

    fn params() -> StoryParams {
        StoryParams {
            threshold: 0.3,
            threshold_undated: 0.5,
            min_shared_keys: 2,
            date_slack_days: 3,
            weights: [1.0; 4],
            place_weight: 1.0,
            common_weight: 1.0,
            post_keys: 32,
        }
    }

    #[test]
    fn dates_gate_and_keys_score() {
        let mut ix = StoryIndex::new(64);
        let s = ix.create(1, &fp(&[1, 2, 3, 4]), 1000, 32);
        // Same keys, two days later: joins.
        let m = ix.best(&fp(&[1, 2, 3, 5]), 1002, &params()).unwrap();
        assert_eq!(m.story, s);
        assert!(m.dated && m.score > 0.5);
        // Same keys, years later: a different story.
        assert_eq!(ix.best(&fp(&[1, 2, 3, 5]), 1900, &params()), None);
        // One shared key is not enough.
        assert_eq!(ix.best(&fp(&[1, 9, 8, 7]), 1000, &params()), None);
        // Undated article: the higher threshold.
        let m = ix.best(&fp(&[1, 2, 3, 4]), 0, &params()).unwrap();
        assert!(!m.dated);
        assert_eq!(ix.best(&fp(&[1, 2, 7, 8, 9, 10]), 0, &params()), None);
    }

    #[test]
    fn dead_stories_are_purged_and_slots_reused() {
        let mut ix = StoryIndex::new(64);
        for i in 0..1000u32 {
            let s = ix.create(i, &fp(&[i, i + 1_000_000]), 1000, 32);
            ix.leave(s);
        }
        assert!(ix.is_empty());
        assert!(ix.stories.len() < 1000, "slots are reused after purges");
        assert!(ix.postings.used() < 600);
    }
}
