//! The façade the commit stage calls: near-duplicate and story verdicts for
//! each new article, in a rolling window of bounded memory.
//!
//! Core types: [`Clusterer`], its [`NearDupConfig`] and the [`Assessment`]
//! of one article ([`NearDup`] when it copies an earlier one).
//!
//! The clusterer is pure (no I/O, clock or randomness) and deterministic:
//! given the same calls in the same order it reaches the same state, which is
//! how [`Clusterer::restore`] rebuilds it at start-up from persisted rows.
//!
//! Memory per article in the window (measured in BENCHMARKS.md): a 32-byte
//! record, the 4-bit MinHash sketch (`num_perm / 2` bytes), a 6-byte entry in
//! the id table, the LSH band postings of canonical articles (`bands` entries
//! of 6 bytes at 0.75–0.85 load; near-duplicates that repeat their canonical
//! post none), and per story an 80-byte record plus up to `story_post_keys`
//! 6-byte postings per member. Table entries hold sequence numbers modulo
//! 2^24, hence `max_articles` ≤ 2^22. Articles leave the window `window_days`
//! after their window day (the caller's [`crate::clock::WindowClock`]: the
//! newest publication day, moved on by elapsed ingest days), or oldest first
//! beyond `max_articles`; dead
//! postings are purged in bulk.
//!
//! After a crash, articles whose records were written but whose ledger
//! commit was lost get their rows back from the records
//! ([`super::ClusterRow::from_article_record`]) and are replayed like the
//! others, so the window is the one the daemon would have had.

use std::collections::{HashMap, VecDeque};

use serde::{Deserialize, Serialize};

use super::features::{date_of, day_of, Fingerprint};
use super::near::{judge, NearIndex, Postings, Thresholds, VALUE_MASK};
use super::story::{StoryIndex, StoryParams};

/// Near-duplicate and story settings (`[dedupe.near]`). Defaults are the
/// ones measured in EVALUATION.md.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct NearDupConfig {
    /// Run near-duplicate and story detection at all.
    pub enabled: bool,
    /// Words per shingle. Fewer catch more edited copies, more are stricter.
    pub shingle_words: u32,
    /// MinHash bins (a multiple of 16; 16–512). Changing it (or `bands`,
    /// `band_rows`, `shingle_words`) makes stored fingerprints incomparable:
    /// articles fingerprinted before simply stop matching.
    pub num_perm: u32,
    /// LSH bands (keys posted per canonical article).
    pub bands: u32,
    /// MinHash bins per band. 1 keeps containment candidates (low
    /// resemblance) findable.
    pub band_rows: u8,
    /// Estimated Jaccard resemblance of shingle sets at or above which two
    /// articles are near-duplicates.
    pub resemblance_threshold: f32,
    /// Estimated share of the shorter article's shingles found in the longer
    /// one at or above which they are near-duplicates (truncated copies).
    pub containment_threshold: f32,
    /// Containment is trusted only when the shorter article has at least this
    /// share of the longer one's shingles (the estimate is noisy below).
    pub min_containment_ratio: f32,
    /// Articles with fewer words are never near-duplicates (a two-line item
    /// matches too easily); they still get a story.
    pub min_words: u32,
    /// Most canonical articles kept per LSH band value.
    pub max_band_postings: u32,
    /// Evidence keys (names, places, numbers, days, years) kept per article
    /// and matched against stories.
    pub story_keys: u32,
    /// How many of them (the most salient) each article posts for its story,
    /// so that later articles can find it. Fewer save memory.
    pub story_post_keys: u32,
    /// Least story score to join a story when both the article and the story
    /// are dated (and their dates are compatible).
    pub story_threshold: f32,
    /// Least story score when the article or the story has no date.
    pub story_threshold_undated: f32,
    /// Least number of shared keys to join a story.
    pub story_min_shared_keys: u32,
    /// An article joins a story only if its publication date is within this
    /// many days of the story's dates.
    pub story_date_slack_days: u32,
    /// A key carried by this many live stories is ignored (too common).
    pub max_story_postings: u32,
    /// Weight of a name/place key relative to the others.
    pub entity_weight: f32,
    /// Weight of a number key.
    pub number_weight: f32,
    /// Weight of a calendar-day key.
    pub date_weight: f32,
    /// Weight of a year key.
    pub year_weight: f32,
    /// Extra factor for keys seen as places.
    pub place_weight: f32,
    /// Factor for common entities (countries, demonyms, capitals, world
    /// bodies): a prior for how little they say about one story, which the
    /// live document frequencies cannot give while the window is nearly empty.
    pub common_weight: f32,
    /// Articles leave the index this many days after their window day.
    pub window_days: u32,
    /// Most articles kept in the index (oldest leave first; at most 4194304).
    pub max_articles: u32,
    /// An undated article inherits its story's date only with a story score
    /// at least this high (near-duplicates score 1).
    pub date_inherit_min_score: f32,
    /// ... and only if the story's dates span at most this many days.
    pub date_inherit_max_span_days: u32,
}

impl Default for NearDupConfig {
    fn default() -> Self {
        NearDupConfig {
            enabled: true,
            shingle_words: 3,
            num_perm: 64,
            bands: 6,
            band_rows: 1,
            resemblance_threshold: 0.5,
            containment_threshold: 0.75,
            min_containment_ratio: 0.2,
            min_words: 25,
            max_band_postings: 32,
            story_keys: 24,
            story_post_keys: 6,
            story_threshold: 0.2,
            story_threshold_undated: 0.3,
            story_min_shared_keys: 2,
            story_date_slack_days: 3,
            max_story_postings: 64,
            entity_weight: 1.0,
            number_weight: 1.0,
            date_weight: 1.0,
            year_weight: 0.5,
            place_weight: 1.0,
            common_weight: 0.25,
            window_days: 14,
            max_articles: 1_000_000,
            date_inherit_min_score: 0.35,
            date_inherit_max_span_days: 3,
        }
    }
}

/// Most articles in the window: the in-memory tables store sequence numbers
/// and story slots in 24 bits (4,194,304 articles are ~800 MB of index).
pub const MAX_ARTICLES: u32 = 1 << 22;

impl NearDupConfig {
    /// `num_perm` rounded to a multiple of 16 in 16..=512.
    pub fn num_perm_bins(&self) -> usize {
        (self.num_perm.clamp(16, 512) as usize).div_ceil(16) * 16
    }

    /// Checks value ranges; the message names the key.
    pub fn validate(&self) -> Result<(), String> {
        let unit = |name: &str, v: f32| {
            if (0.0..=1.0).contains(&v) {
                Ok(())
            } else {
                Err(format!("dedupe.near.{name} must be within 0..=1, got {v}"))
            }
        };
        unit("resemblance_threshold", self.resemblance_threshold)?;
        unit("containment_threshold", self.containment_threshold)?;
        unit("min_containment_ratio", self.min_containment_ratio)?;
        unit("story_threshold", self.story_threshold)?;
        unit("story_threshold_undated", self.story_threshold_undated)?;
        unit("date_inherit_min_score", self.date_inherit_min_score)?;
        if self.num_perm & 15 != 0 || !(16..=512).contains(&self.num_perm) {
            return Err(format!("dedupe.near.num_perm must be a multiple of 16 in 16..=512, got {}", self.num_perm));
        }
        if self.bands == 0 || self.band_rows == 0 || self.bands * u32::from(self.band_rows) > self.num_perm {
            return Err("dedupe.near.bands × band_rows must be between 1 and num_perm".into());
        }
        if self.shingle_words == 0 || self.shingle_words > 16 {
            return Err("dedupe.near.shingle_words must be in 1..=16".into());
        }
        if self.max_articles > MAX_ARTICLES {
            return Err(format!("dedupe.near.max_articles must be at most {MAX_ARTICLES}, got {}", self.max_articles));
        }
        if self.story_keys > 32 {
            return Err("dedupe.near.story_keys must be at most 32".into());
        }
        Ok(())
    }

    fn story_params(&self) -> StoryParams {
        StoryParams {
            threshold: self.story_threshold,
            threshold_undated: self.story_threshold_undated,
            min_shared_keys: self.story_min_shared_keys,
            date_slack_days: self.story_date_slack_days.min(u16::MAX as u32) as u16,
            weights: [self.entity_weight, self.number_weight, self.date_weight, self.year_weight],
            place_weight: self.place_weight,
            common_weight: self.common_weight,
            post_keys: self.story_post_keys as usize,
        }
    }
}

/// An earlier article this one copies (with edits).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct NearDup {
    /// Canonical (first-seen) article of the copied group.
    pub of: u128,
    /// Estimated resemblance, or the estimated containment when
    /// `containment` is set.
    pub similarity: f32,
    /// The shorter article is (mostly) inside the longer one.
    pub containment: bool,
}

/// The verdict on one article. Persist it (serde or [`Assessment::to_bytes`])
/// next to the fingerprint: [`Clusterer::restore`] replays it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    pub near: Option<NearDup>,
    /// Canonical article of its near/exact-duplicate group (itself if
    /// canonical). Independent sources = distinct `source_group`s.
    pub source_group: u128,
    /// Stable story id (the id of the story's first article).
    pub story: u128,
    /// How strongly it belongs to the story (1 for near-duplicates and for
    /// the story's first article).
    pub story_score: f32,
    /// A publication date inherited from the story (only for undated
    /// articles with strong evidence; record basis `story`).
    #[serde(with = "opt_date")]
    pub inherited_date: Option<jiff::civil::Date>,
}

mod opt_date {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Option<jiff::civil::Date>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_some(&d.to_string()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<jiff::civil::Date>, D::Error> {
        let s: Option<String> = Option::deserialize(d)?;
        s.map(|s| s.parse().map_err(serde::de::Error::custom)).transpose()
    }
}

const ASSESSMENT_VERSION: u8 = 1;

impl Assessment {
    /// Compact encoding (34–63 bytes).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut b = Vec::with_capacity(64);
        b.push(ASSESSMENT_VERSION);
        let flags = u8::from(self.near.is_some())
            | u8::from(self.near.is_some_and(|n| n.containment)) << 1
            | u8::from(self.inherited_date.is_some()) << 2;
        b.push(flags);
        b.extend_from_slice(&self.source_group.to_le_bytes());
        b.extend_from_slice(&self.story.to_le_bytes());
        b.extend_from_slice(&self.story_score.to_le_bytes());
        if let Some(n) = &self.near {
            b.extend_from_slice(&n.of.to_le_bytes());
            b.extend_from_slice(&n.similarity.to_le_bytes());
        }
        if let Some(d) = self.inherited_date {
            b.extend_from_slice(&day_of(d).to_le_bytes());
        }
        b
    }

    pub fn from_bytes(b: &[u8]) -> Option<Assessment> {
        let (&v, b) = b.split_first()?;
        let (&flags, mut b) = b.split_first()?;
        if v != ASSESSMENT_VERSION || flags > 7 {
            return None;
        }
        let mut take = |n: usize| -> Option<&[u8]> {
            let (h, t) = b.split_at_checked(n)?;
            b = t;
            Some(h)
        };
        let source_group = u128::from_le_bytes(take(16)?.try_into().ok()?);
        let story = u128::from_le_bytes(take(16)?.try_into().ok()?);
        let story_score = f32::from_le_bytes(take(4)?.try_into().ok()?);
        let near = if flags & 1 != 0 {
            let of = u128::from_le_bytes(take(16)?.try_into().ok()?);
            let similarity = f32::from_le_bytes(take(4)?.try_into().ok()?);
            Some(NearDup { of, similarity, containment: flags & 2 != 0 })
        } else {
            None
        };
        let inherited_date =
            if flags & 4 != 0 { Some(date_of(i32::from_le_bytes(take(4)?.try_into().ok()?))?) } else { None };
        if !take(0)?.is_empty() || !b.is_empty() {
            return None;
        }
        Some(Assessment { near, source_group, story, story_score, inherited_date })
    }
}

/// One article in the window (32 bytes).
#[derive(Debug, Clone, Copy)]
struct Rec {
    id: u128,
    /// Sequence number of its group's canonical article (its own if
    /// canonical; see `Clusterer::group_id`).
    group: u32,
    story: u32,
    /// Ingest day, days since 1970-01-01 (clamped to u16).
    day: u16,
    /// Own publication day, or the inherited one when `INHERITED` (0 = none).
    pub_day: u16,
    shingles: u16,
    flags: u16,
}

/// Posted its band keys to the LSH table.
const POSTED: u16 = 1;
/// Canonical of a group that has other members.
const HAS_MEMBERS: u16 = 2;
/// `pub_day` is inherited from the story.
const INHERITED: u16 = 4;
/// No usable sketch (other layout, too short): never a near-dup candidate.
const NO_SKETCH: u16 = 8;

fn clamp_day(d: i32) -> u16 {
    d.clamp(1, i32::from(u16::MAX)) as u16
}

/// Near-duplicate and story state over a rolling window. See the module docs.
#[derive(Debug, Clone)]
pub struct Clusterer {
    cfg: NearDupConfig,
    params: StoryParams,
    thresholds: Thresholds,
    /// Sketch words per article.
    stride: usize,
    recs: VecDeque<Rec>,
    sketches: VecDeque<u64>,
    /// Sequence number of `recs[0]`.
    front: u32,
    near: NearIndex,
    stale_near: usize,
    /// Low 32 bits of the id → sequence number (exact duplicates, restore).
    ids: Postings,
    /// `front` when the near and id tables were last purged: they hold
    /// sequence numbers modulo 2^24, so a stale one must be purged before
    /// the window moves far enough for it to alias a live one.
    purged_at: u32,
    stories: StoryIndex,
    /// Group ids that cannot be read from a live record: canonicals that left
    /// the window while members remain, and groups restored without their
    /// canonical. Keyed by the `group` sequence number.
    retired: HashMap<u32, u128>,
    retired_pruned_at: usize,
    /// Story id → slot, only while restoring.
    restoring: HashMap<u128, u32>,
    day: i32,
    scratch: Vec<u32>,
}

impl Clusterer {
    pub fn new(cfg: &NearDupConfig) -> Clusterer {
        let stride = cfg.num_perm_bins() / 16;
        Clusterer {
            cfg: cfg.clone(),
            params: cfg.story_params(),
            thresholds: Thresholds {
                resemblance: cfg.resemblance_threshold,
                containment: cfg.containment_threshold,
                min_containment_ratio: cfg.min_containment_ratio,
            },
            stride,
            recs: VecDeque::new(),
            sketches: VecDeque::new(),
            front: 0,
            near: NearIndex::new(cfg.max_band_postings.max(1) as usize),
            stale_near: 0,
            purged_at: 0,
            // Several ids may share their low 32 bits; 64 is plenty.
            ids: Postings::new(64),
            stories: StoryIndex::new(cfg.max_story_postings.max(2) as usize),
            retired: HashMap::new(),
            retired_pruned_at: 0,
            restoring: HashMap::new(),
            day: i32::MIN,
            scratch: Vec::new(),
        }
    }

    pub fn config(&self) -> &NearDupConfig {
        &self.cfg
    }

    /// Articles in the window.
    pub fn len(&self) -> usize {
        self.recs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.recs.is_empty()
    }

    /// Live stories in the window.
    pub fn stories(&self) -> usize {
        self.stories.len()
    }

    /// The latest window day seen (the day [`Clusterer::exact_duplicate`]
    /// records; persist it with exact duplicates for restore).
    pub fn current_day(&self) -> i32 {
        self.day
    }

    /// Heap bytes of the in-memory index (capacities, not lengths).
    pub fn memory_bytes(&self) -> usize {
        self.memory_parts().iter().map(|p| p.1).sum()
    }

    /// [`Clusterer::memory_bytes`] by part (for the benchmark's breakdown).
    pub fn memory_parts(&self) -> Vec<(&'static str, usize)> {
        let (records, postings) = self.stories.memory_parts();
        vec![
            ("article records", self.recs.capacity() * std::mem::size_of::<Rec>()),
            ("sketches", self.sketches.capacity() * 8),
            ("LSH band postings", self.near.postings.memory_bytes()),
            ("id table", self.ids.memory_bytes()),
            ("story records", records),
            ("story key postings", postings),
            (
                "other",
                self.retired.capacity() * (4 + 16 + 1)
                    + self.restoring.capacity() * (16 + 4 + 1)
                    + self.scratch.capacity() * 4,
            ),
        ]
    }

    /// The live sequence number stored as `v` (modulo 2^24) in a table.
    #[inline]
    fn live_seq(&self, v: u32) -> Option<u32> {
        let off = v.wrapping_sub(self.front) & VALUE_MASK;
        ((off as usize) < self.recs.len()).then(|| self.front.wrapping_add(off))
    }

    fn rec(&self, seq: u32) -> Option<&Rec> {
        self.recs.get(seq.wrapping_sub(self.front) as usize)
    }

    fn sketch(&self, seq: u32) -> impl Iterator<Item = u64> + '_ {
        let at = seq.wrapping_sub(self.front) as usize * self.stride;
        self.sketches.range(at..at + self.stride).copied()
    }

    fn next_seq(&self) -> u32 {
        self.front.wrapping_add(self.recs.len() as u32)
    }

    fn group_id(&self, group: u32) -> u128 {
        if let Some(id) = self.retired.get(&group) {
            return *id;
        }
        self.rec(group).map_or(0, |r| r.id)
    }

    /// Stable id of live story slot `s`.
    fn story_id(&self, s: u32) -> u128 {
        self.stories.moved_id(s).unwrap_or_else(|| self.rec(self.stories.get(s).first).map_or(0, |r| r.id))
    }

    /// Whether story slot `s` is alive with id `id` (restore).
    fn story_is(&self, s: u32, id: u128) -> bool {
        self.stories.is_alive(s) && self.story_id(s) == id
    }

    fn seq_of(&self, id: u128) -> Option<u32> {
        let mut found = None;
        self.ids.for_each(id as u32, |v| {
            if let Some(seq) = self.live_seq(v).filter(|&s| self.rec(s).is_some_and(|r| r.id == id)) {
                found = Some(seq);
            }
        });
        found
    }

    /// Moves the window to `day` (evicting what left it).
    fn advance(&mut self, day: i32) {
        if day > self.day {
            self.day = day;
            self.evict_before(day.saturating_sub(self.cfg.window_days as i32));
        }
    }

    /// Decides and inserts one article. `day`: its window day (days since
    /// 1970-01-01, from [`crate::clock::WindowClock`]) for the rolling window.
    pub fn assess(&mut self, id: u128, fp: &Fingerprint, published: Option<jiff::civil::Date>, day: i32) -> Assessment {
        self.restoring = HashMap::new();
        self.advance(day);
        let pub_day = published.map_or(0, |d| clamp_day(day_of(d)));
        let usable = self.usable(fp);
        // 1. Near-duplicate: LSH candidates, verified on sketches.
        let mut best: Option<(u32, f32, bool)> = None;
        if self.cfg.enabled && usable {
            let mut cands = std::mem::take(&mut self.scratch);
            self.near.candidates(&fp.band_keys, &mut cands);
            // Live ones, oldest first (ties go to the older candidate).
            cands.retain_mut(|v| match self.live_seq(*v) {
                Some(seq) => {
                    *v = seq.wrapping_sub(self.front);
                    true
                }
                None => false,
            });
            cands.sort_unstable();
            cands.dedup();
            for &off in &cands {
                let seq = self.front.wrapping_add(off);
                let Some(r) = self.rec(seq) else { continue };
                if r.flags & NO_SKETCH != 0 {
                    continue;
                }
                let cand: Vec<u64> = self.sketch(seq).collect();
                let q_sh = fp.shingles.min(u32::from(u16::MAX));
                let j = judge(&fp.sketch, q_sh, &cand, u32::from(r.shingles));
                if let Some(contained) = self.thresholds.decide(&j, q_sh, u32::from(r.shingles)) {
                    let sim = if contained { j.containment } else { j.resemblance };
                    if best.is_none_or(|b| sim > b.1) {
                        best = Some((seq, sim, contained));
                    }
                }
            }
            self.scratch = cands;
        }
        // 2. Story: a near-duplicate's, or the best by evidence keys.
        let (group, story, story_score, near) = match best {
            Some((seq, sim, contained)) => {
                let r = *self.rec(seq).expect("live candidate");
                let of = self.group_id(r.group);
                (r.group, r.story, 1.0, Some(NearDup { of, similarity: sim, containment: contained }))
            }
            None => {
                let seq = self.next_seq();
                match self.cfg.enabled.then(|| self.stories.best(fp, pub_day, &self.params)).flatten() {
                    Some(m) => (seq, m.story, m.score, None),
                    None => (seq, u32::MAX, 1.0, None),
                }
            }
        };
        // 3. Date inheritance: undated article, strong evidence, tight story.
        let inherited = if pub_day == 0 && story != u32::MAX && story_score >= self.cfg.date_inherit_min_score {
            let st = self.stories.get(story);
            let tight = st.min_pub != 0 && st.max_pub - st.min_pub <= self.cfg.date_inherit_max_span_days as u16;
            let (sy, _, _) = super::features::civil_from_days(i32::from(st.max_pub));
            let contradicts = i32::from(fp.max_year) > sy;
            (tight && !contradicts).then_some(st.min_pub)
        } else {
            None
        };
        let source_group_is_self = near.is_none();
        let post = source_group_is_self || near.is_some_and(|n| n.containment);
        let story = self.insert(id, fp, pub_day, day, group, story, inherited, post, true);
        let story_id = self.story_id(story);
        Assessment {
            near,
            source_group: near.map_or(id, |n| n.of),
            story: story_id,
            story_score,
            inherited_date: inherited.and_then(|d| date_of(i32::from(d))),
        }
    }

    fn usable(&self, fp: &Fingerprint) -> bool {
        fp.num_perm as usize == self.stride * 16
            && fp.sketch.len() == self.stride
            && fp.band_keys.len() == self.cfg.bands.min(fp.num_perm as u32 / u32::from(self.cfg.band_rows)) as usize
            && fp.band_rows == self.cfg.band_rows
            && fp.words >= self.cfg.min_words
    }

    /// Appends a record; `story == u32::MAX` starts a new story. Returns the
    /// story slot.
    #[allow(clippy::too_many_arguments)]
    fn insert(
        &mut self,
        id: u128,
        fp: &Fingerprint,
        pub_day: u16,
        day: i32,
        group: u32,
        story: u32,
        inherited: Option<u16>,
        post_bands: bool,
        post_keys: bool,
    ) -> u32 {
        let seq = self.next_seq();
        let usable = self.usable(fp);
        let story = if story == u32::MAX {
            self.stories.create(seq, fp, pub_day, self.params.post_keys)
        } else {
            self.stories.join(story, post_keys.then_some(fp), pub_day, self.params.post_keys);
            story
        };
        let mut flags = if usable { 0 } else { NO_SKETCH };
        if usable && post_bands {
            if self.near.postings.needs_room(fp.band_keys.len()) {
                let (front, len) = (self.front, self.recs.len());
                self.near.postings.rebuild(fp.band_keys.len(), |v| (v.wrapping_sub(front) & VALUE_MASK) < len as u32);
                self.stale_near = 0;
            }
            for &k in &fp.band_keys {
                self.near.postings.insert(k, seq & VALUE_MASK);
            }
            flags |= POSTED;
        }
        if group != seq {
            if let Some(g) = self.recs.get_mut(group.wrapping_sub(self.front) as usize) {
                g.flags |= HAS_MEMBERS;
            }
        }
        if inherited.is_some() {
            flags |= INHERITED;
        }
        self.push(Rec {
            id,
            group,
            story,
            day: clamp_day(day),
            pub_day: inherited.unwrap_or(pub_day),
            shingles: fp.shingles.min(u32::from(u16::MAX)) as u16,
            flags,
        });
        if usable {
            self.sketches.extend(fp.sketch.iter().copied());
        } else {
            self.sketches.extend(std::iter::repeat_n(0, self.stride));
        }
        story
    }

    fn push(&mut self, rec: Rec) {
        // Grow by a sixteenth (a copy per 16 pushes is cheap): the window is
        // most of the heap, and its peak is what must fit.
        if self.recs.len() == self.recs.capacity() {
            self.recs.reserve_exact(self.recs.len() / 16 + 64);
        }
        if self.sketches.len() + self.stride > self.sketches.capacity() {
            self.sketches.reserve_exact(self.sketches.len() / 16 + 64 * self.stride);
        }
        let seq = self.next_seq();
        if self.ids.needs_room(1) {
            let (front, len) = (self.front, self.recs.len());
            self.ids.rebuild(1, |v| (v.wrapping_sub(front) & VALUE_MASK) < len as u32);
        }
        self.ids.insert(rec.id as u32, seq & VALUE_MASK);
        self.recs.push_back(rec);
        let over = self.recs.len().saturating_sub(self.cfg.max_articles.clamp(1, MAX_ARTICLES) as usize);
        for _ in 0..over {
            self.pop_front();
        }
        self.after_evictions();
    }

    /// An exact duplicate of `of` (already assessed): it joins `of`'s group
    /// and story. `None` when `of` is no longer in the window (use its
    /// persisted assessment then). Recorded on [`Clusterer::current_day`].
    pub fn exact_duplicate(&mut self, id: u128, of: u128) -> Option<Assessment> {
        self.restoring = HashMap::new();
        let seq = self.seq_of(of)?;
        Some(self.insert_exact(id, seq, self.day))
    }

    fn insert_exact(&mut self, id: u128, of_seq: u32, day: i32) -> Assessment {
        let r = *self.rec(of_seq).expect("live");
        let sketch: Vec<u64> = self.sketch(of_seq).collect();
        self.stories.join(r.story, None, if r.flags & INHERITED != 0 { 0 } else { r.pub_day }, 0);
        if let Some(g) = self.recs.get_mut(r.group.wrapping_sub(self.front) as usize) {
            g.flags |= HAS_MEMBERS;
        }
        let inherited = r.flags & INHERITED != 0;
        self.push(Rec {
            id,
            group: r.group,
            story: r.story,
            day: clamp_day(day),
            pub_day: r.pub_day,
            shingles: r.shingles,
            flags: (r.flags & (INHERITED | NO_SKETCH)) | if r.flags & NO_SKETCH == 0 { 0 } else { NO_SKETCH },
        });
        self.sketches.extend(sketch);
        Assessment {
            near: None,
            source_group: self.group_id(r.group),
            story: self.story_id(r.story),
            story_score: 1.0,
            inherited_date: inherited.then(|| date_of(i32::from(r.pub_day))).flatten(),
        }
    }

    /// Rebuilds state at start-up from a persisted row (in the original
    /// order) without re-deciding. `published` is the article's own date
    /// (not the inherited one); `day` the window day given to `assess`, or
    /// [`Clusterer::current_day`] at the time for an exact duplicate.
    pub fn restore(
        &mut self,
        id: u128,
        fp: &Fingerprint,
        published: Option<jiff::civil::Date>,
        day: i32,
        a: &Assessment,
    ) {
        self.advance(day);
        let exact = a.near.is_none() && a.source_group != id;
        let seq = self.next_seq();
        let group = if a.source_group == id {
            seq
        } else {
            match self.seq_of(a.source_group) {
                Some(g) => g,
                None => {
                    // The canonical left the window: remember its id here.
                    self.retired.insert(seq, a.source_group);
                    seq
                }
            }
        };
        if exact {
            if let Some(of) = self.seq_of(a.source_group) {
                if self.rec(of).is_some_and(|r| r.story != u32::MAX && self.story_is(r.story, a.story)) {
                    self.insert_exact(id, of, day);
                    return;
                }
            }
        }
        let story = match self.restoring.get(&a.story) {
            Some(&s) if self.story_is(s, a.story) => s,
            _ => match self.seq_of(a.story).and_then(|s| self.rec(s)).map(|r| r.story) {
                Some(s) if self.story_is(s, a.story) => s,
                _ => u32::MAX,
            },
        };
        let pub_day = published.map_or(0, |d| clamp_day(day_of(d)));
        let inherited = a.inherited_date.map(|d| clamp_day(day_of(d)));
        let post = a.source_group == id || a.near.is_some_and(|n| n.containment);
        let s = if story == u32::MAX {
            // A story whose first article left the window: recreate it under
            // its persisted id.
            let s = self.insert(id, fp, pub_day, day, group, u32::MAX, inherited, post, !exact);
            if a.story != id {
                self.stories.set_id(s, a.story);
            }
            s
        } else {
            self.insert(id, fp, pub_day, day, group, story, inherited, post, !exact)
        };
        self.restoring.insert(a.story, s);
    }

    /// [`Clusterer::restore`] from a persisted row. False when its
    /// fingerprint or verdict cannot be decoded (nothing is restored).
    pub fn restore_row(&mut self, row: &super::ClusterRow) -> bool {
        let (Some(fp), Some(a)) = (Fingerprint::from_bytes(&row.fingerprint), Assessment::from_bytes(&row.assessment))
        else {
            return false;
        };
        self.restore(row.id, &fp, row.published.and_then(date_of), row.day, &a);
        true
    }

    /// Evicts every article ingested before `day`. Returns how many left.
    pub fn evict_before(&mut self, day: i32) -> usize {
        let cut = if day <= 0 { 0 } else { clamp_day(day) };
        let mut n = 0;
        while self.recs.front().is_some_and(|r| r.day < cut) {
            self.pop_front();
            n += 1;
        }
        self.after_evictions();
        n
    }

    fn pop_front(&mut self) {
        let Some(r) = self.recs.pop_front() else { return };
        let seq = self.front;
        self.sketches.drain(..self.stride.min(self.sketches.len()));
        self.front = self.front.wrapping_add(1);
        let st = self.stories.get(r.story);
        if st.first == seq && st.members > 1 && self.stories.moved_id(r.story).is_none() {
            // The story outlives its first article: keep its id.
            self.stories.set_id(r.story, r.id);
        }
        self.stories.leave(r.story);
        if r.flags & POSTED != 0 {
            self.stale_near += self.cfg.bands as usize;
        }
        if r.flags & HAS_MEMBERS != 0 && !self.retired.contains_key(&seq) {
            self.retired.insert(seq, r.id);
        }
    }

    /// Purges stale postings and retired group ids once they are a quarter
    /// of their table; shrinks the rings.
    fn after_evictions(&mut self) {
        let (front, len) = (self.front, self.recs.len());
        let live = |v: u32| (v.wrapping_sub(front) & VALUE_MASK) < len as u32;
        // max_articles ≤ 2^22 (see `validate`): purged at least every 2^22
        // evictions, a stale entry is never within 2^23 of a live one.
        let wrap = front.wrapping_sub(self.purged_at) >= 1 << 22;
        if wrap || self.stale_near * 4 > self.near.postings.used().max(1024) {
            self.near.postings.rebuild(0, live);
            self.stale_near = 0;
        }
        if wrap || (self.ids.used() - len.min(self.ids.used())) * 4 > self.ids.used().max(1024) {
            self.ids.rebuild(0, live);
        }
        if wrap {
            self.purged_at = front;
        }
        if self.retired.len() > 64 && self.retired.len() > 2 * self.retired_pruned_at {
            let mut referenced: Vec<u32> =
                self.recs.iter().map(|r| r.group).filter(|g| self.retired.contains_key(g)).collect();
            referenced.sort_unstable();
            self.retired.retain(|g, _| referenced.binary_search(g).is_ok());
            self.retired.shrink_to_fit();
            self.retired_pruned_at = self.retired.len();
        }
        if self.recs.capacity() > 1024 && self.recs.len() < self.recs.capacity() / 2 {
            self.recs.shrink_to(self.recs.len() + self.recs.len() / 4);
            self.sketches.shrink_to(self.sketches.len() + self.sketches.len() / 4);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedupe::features::{fingerprint_text, parse_iso_day};
    use proptest::prelude::*;

    // Fixtures written for these tests (fictional events): a wire story, an
    // edited copy, a truncated copy, another outlet's undated account of the
    // same attack, and an attack on the same airfield six years earlier.
    const WIRE: &str = include_str!("../../tests/data/dedupe/wire-tal-afar.txt").trim_ascii_end();

    fn edited_copy() -> String {
        WIRE.replace("defence", "defense")
            .replace("neighbouring", "neighboring")
            .replace("the Islamic State group", "Daesh")
            .replace("told reporters", "said")
    }

    fn truncated_copy() -> String {
        let paras: Vec<&str> = WIRE.split("\n\n").collect();
        format!("Iraq says drone wounded three soldiers at Tal Afar.\n\n{}", paras[2..].join("\n\n"))
    }

    const OTHER_OUTLET: &str = include_str!("../../tests/data/dedupe/other-outlet-tal-afar.txt").trim_ascii_end();

    const YEARS_EARLIER: &str = "Mortar rounds landed inside the Tal Afar airfield west of Mosul on Tuesday without \
        causing casualties, the Nineveh police command said. Police spokesman Colonel Hussein Jabbar said the shells \
        were fired from farmland south of the airfield and that an army patrol found the launch site. The attack came \
        two days after Prime Minister Adil Abdul Mahdi visited troops in Nineveh province. Jabbar said there were no \
        claims of responsibility and that security had been stepped up on the roads to Sinjar. In 2019, the army \
        reported more than 40 similar attacks across northern Iraq.";

    fn cfg() -> NearDupConfig {
        NearDupConfig::default()
    }

    fn day(s: &str) -> i32 {
        parse_iso_day(s).unwrap()
    }

    fn fp(text: &str, published: Option<&str>) -> Fingerprint {
        fingerprint_text(text, None, published.map(day), &cfg())
    }

    fn date(s: &str) -> Option<jiff::civil::Date> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn wire_copies_stories_and_dates() {
        let mut c = Clusterer::new(&cfg());
        let today = day("2025-03-15");
        let a = c.assess(1, &fp(WIRE, Some("2025-03-13")), date("2025-03-13"), today);
        assert_eq!((a.near, a.source_group, a.story, a.inherited_date), (None, 1, 1, None));

        let b = c.assess(2, &fp(&edited_copy(), Some("2025-03-13")), date("2025-03-13"), today);
        let n = b.near.expect("edited wire copy is a near-duplicate");
        assert_eq!((n.of, b.source_group, b.story), (1, 1, 1));
        assert!(n.similarity > 0.6, "{n:?}");

        let t = c.assess(3, &fp(&truncated_copy(), Some("2025-03-14")), date("2025-03-14"), today);
        let n = t.near.expect("truncated copy is a near-duplicate");
        assert_eq!((n.of, t.source_group, t.story), (1, 1, 1));

        // Another outlet, undated: same story, and it inherits the date.
        let o = c.assess(4, &fp(OTHER_OUTLET, None), None, today);
        assert_eq!((o.near, o.source_group, o.story), (None, 4, 1), "{o:?}");
        assert_eq!(o.inherited_date, date("2025-03-13"));

        // Same airfield, six years earlier: its own story.
        let e = c.assess(5, &fp(YEARS_EARLIER, Some("2019-07-02")), date("2019-07-02"), today);
        assert_eq!((e.near, e.story), (None, 5), "{e:?}");
        // An undated copy of the old report belongs to the old story.
        let u = c.assess(6, &fp(YEARS_EARLIER.replace("Tuesday", "Monday").as_str(), None), None, today);
        assert_eq!((u.story, u.source_group, u.inherited_date), (5, 5, date("2019-07-02")), "{u:?}");
        // An undated account of the old attack, written differently, does not
        // join the 2025 story.
        let old = "Colonel Hussein Jabbar of the Nineveh police said mortar shells hit the Tal Afar airfield, fired \
            from farmland to the south, days after Prime Minister Adil Abdul Mahdi visited the troops. In 2019 the \
            army counted more than 40 such attacks in northern Iraq.";
        let v = c.assess(7, &fp(old, None), None, today);
        assert_ne!(v.story, 1, "{v:?}");
        assert_ne!(v.inherited_date, date("2025-03-13"));
        assert_eq!(c.len(), 7);
    }

    #[test]
    fn exact_duplicates_join_group_and_story() {
        let mut c = Clusterer::new(&cfg());
        c.assess(1, &fp(WIRE, Some("2025-03-13")), date("2025-03-13"), 20_000);
        let o = c.assess(2, &fp(OTHER_OUTLET, None), None, 20_000);
        let x = c.exact_duplicate(3, 2).unwrap();
        assert_eq!((x.near, x.source_group, x.story, x.inherited_date), (None, 2, 1, o.inherited_date));
        assert_eq!(c.exact_duplicate(4, 99), None);
        assert_eq!(c.len(), 3);
    }

    fn stream() -> Vec<(u128, Fingerprint, Option<jiff::civil::Date>, i32)> {
        vec![
            (10, fp(WIRE, Some("2025-03-13")), date("2025-03-13"), 20_000),
            (11, fp(&edited_copy(), None), None, 20_000),
            (12, fp(OTHER_OUTLET, None), None, 20_001),
            (13, fp(YEARS_EARLIER, Some("2019-07-02")), date("2019-07-02"), 20_003),
            (14, fp(&truncated_copy(), Some("2025-03-14")), date("2025-03-14"), 20_020),
        ]
    }

    #[test]
    fn restore_rebuilds_the_same_state() {
        let small = NearDupConfig { window_days: 10, ..cfg() };
        let mut live = Clusterer::new(&small);
        let mut rows = Vec::new();
        for (id, f, p, d) in stream() {
            let a = live.assess(id, &f, p, d);
            let bytes = (f.to_bytes(), a.to_bytes());
            rows.push((id, bytes, p, d));
        }
        let x = live.exact_duplicate(15, 14).unwrap();
        rows.push((
            15,
            (fp(&truncated_copy(), Some("2025-03-14")).to_bytes(), x.to_bytes()),
            date("2025-03-14"),
            live.current_day(),
        ));

        let mut back = Clusterer::new(&small);
        for (id, (f, a), p, d) in &rows {
            let f = Fingerprint::from_bytes(f).unwrap();
            let a = Assessment::from_bytes(a).unwrap();
            back.restore(*id, &f, *p, *d, &a);
        }
        assert_eq!((back.len(), back.stories()), (live.len(), live.stories()));
        // The next verdicts agree, including against a canonical that left
        // the window (day 20_020 evicted days before 20_010).
        for (id, text, d) in
            [(20u128, edited_copy(), 20_021), (21, truncated_copy(), 20_021), (22, OTHER_OUTLET.into(), 20_022)]
        {
            let f = fp(&text, None);
            assert_eq!(live.assess(id, &f, None, d), back.assess(id, &f, None, d));
        }
    }

    /// The article record the commit stage writes for a verdict.
    fn record(id: u128, text: &str, published: Option<&str>, a: &Assessment, exact_of: Option<u128>) -> Vec<u8> {
        use crate::sink::records::{article_record, hex128, BundleRef, Duplicate, RecordOptions};
        let mut art = crate::model::Article {
            index: 0,
            byte_start: 0,
            byte_end: text.len() as u64,
            line: None,
            text: text.to_string(),
            content_hash: id,
            title: Some("Drone attack".into()),
            outlet: None,
            url: None,
            lang: Some("en".into()),
            lang_basis: crate::model::LangBasis::Given,
            published: crate::model::Published {
                date: published.map(str::to_string),
                time: None,
                offset: None,
                basis: if published.is_some() {
                    crate::model::DateBasis::Header
                } else {
                    crate::model::DateBasis::Unknown
                },
                text: None,
            },
            sentences: vec![],
            removed: vec![],
            record_offset: None,
            record_id: None,
        };
        if let (None, Some(d)) = (published, a.inherited_date) {
            art.published.date = Some(d.to_string());
            art.published.basis = crate::model::DateBasis::Story;
        }
        let duplicate = match (exact_of, a.near) {
            (Some(of), _) => Some(Duplicate { of: hex128(of), kind: "exact", similarity: None, containment: None }),
            (None, Some(n)) => Some(Duplicate {
                of: hex128(n.of),
                kind: "near",
                similarity: Some((n.similarity * 1000.0).round() / 1000.0),
                containment: Some(n.containment),
            }),
            _ => None,
        };
        let bundle = BundleRef {
            path: "a.txt",
            sha256: "",
            index: 0,
            byte_start: 0,
            byte_end: 0,
            line: None,
            format: "text",
            compressed: false,
            encoding: "utf-8",
            record_offset: None,
            record_id: None,
        };
        let opts = RecordOptions { include_text: true, include_sentences: false, include_removed: false };
        // Ingest day 20_000 is 2024-10-04.
        serde_json::to_vec(&article_record(&art, id, bundle, duplicate, Some(a), "2024-10-04T10:00:00Z", opts)).unwrap()
    }

    #[test]
    fn rows_rebuilt_from_records_restore_the_same_state() {
        fn fpt(text: &str, published: Option<&str>) -> Fingerprint {
            fingerprint_text(text, Some("Drone attack"), published.map(day), &cfg())
        }
        let texts: Vec<(u128, String, Option<&str>)> = vec![
            (1, WIRE.into(), Some("2025-03-13")),
            (2, OTHER_OUTLET.into(), None),
            (3, edited_copy(), Some("2025-03-13")),
            (4, YEARS_EARLIER.into(), Some("2019-07-02")),
            (5, truncated_copy(), None),
        ];
        let mut live = Clusterer::new(&cfg());
        let (mut rows, mut records) = (Vec::new(), Vec::new());
        for (id, text, p) in &texts {
            let f = fpt(text, *p);
            let a = live.assess(*id, &f, p.and_then(date), 20_000);
            let published = p.map(day);
            rows.push(super::super::ClusterRow {
                id: *id,
                day: live.current_day(),
                published,
                fingerprint: f.to_bytes(),
                assessment: a.to_bytes(),
            });
            records.push(record(*id, text, *p, &a, None));
        }
        // An exact duplicate of the undated article (it inherited a date).
        let x = live.exact_duplicate(6, 2).unwrap();
        assert!(x.inherited_date.is_some());
        rows.push(super::super::ClusterRow {
            id: 6,
            day: live.current_day(),
            published: None,
            fingerprint: fpt(OTHER_OUTLET, None).to_bytes(),
            assessment: x.to_bytes(),
        });
        records.push(record(6, OTHER_OUTLET, None, &x, Some(2)));

        // A crash lost the commit of the last four: the ledger has two rows,
        // the other four come back from their records.
        let mut back = Clusterer::new(&cfg());
        for row in &rows[..2] {
            assert!(back.restore_row(row));
        }
        for (line, orig) in records[2..].iter().zip(&rows[2..]) {
            let row =
                super::super::ClusterRow::from_article_record(line, &cfg(), |ingest, _| ingest.max(back.current_day()))
                    .unwrap()
                    .unwrap();
            assert_eq!((row.id, row.day, row.published), (orig.id, orig.day, orig.published));
            assert_eq!(row.fingerprint, orig.fingerprint, "fingerprint of {}", row.id);
            let (a, o) =
                (Assessment::from_bytes(&row.assessment).unwrap(), Assessment::from_bytes(&orig.assessment).unwrap());
            assert_eq!((a.source_group, a.story, a.inherited_date), (o.source_group, o.story, o.inherited_date));
            assert_eq!(a.near.map(|n| (n.of, n.containment)), o.near.map(|n| (n.of, n.containment)));
            assert!(back.restore_row(&row));
        }
        assert_eq!((back.len(), back.stories()), (live.len(), live.stories()));
        for (id, text) in
            [(20u128, edited_copy()), (21, truncated_copy()), (22, OTHER_OUTLET.replace("Thursday", "Wednesday"))]
        {
            let f = fpt(&text, None);
            assert_eq!(live.assess(id, &f, None, 20_001), back.assess(id, &f, None, 20_001));
        }
        assert_eq!(live.exact_duplicate(23, 6), back.exact_duplicate(23, 6));

        // A record without a verdict had no row; one without text cannot give it back.
        let mut no_text: serde_json::Value = serde_json::from_slice(&records[2]).unwrap();
        no_text.as_object_mut().unwrap().remove("text");
        let no_text = serde_json::to_vec(&no_text).unwrap();
        assert_eq!(
            super::super::ClusterRow::from_article_record(&no_text, &cfg(), |_, _| 0),
            Err(super::super::RecordError::NoText)
        );
        let mut off: serde_json::Value = serde_json::from_slice(&records[2]).unwrap();
        off["story"] = serde_json::Value::Null;
        off["source_group"] = serde_json::Value::Null;
        assert_eq!(
            super::super::ClusterRow::from_article_record(&serde_json::to_vec(&off).unwrap(), &cfg(), |_, _| 0),
            Ok(None)
        );
    }

    #[test]
    fn window_evicts_and_memory_shrinks() {
        let mut c = Clusterer::new(&NearDupConfig { window_days: 2, ..cfg() });
        for i in 0..200u32 {
            let text = format!("{WIRE} Update number {i} from desk {} in Basra.", i * 7919 % 1000);
            c.assess(u128::from(i) + 1, &fp(&text, Some("2025-03-13")), date("2025-03-13"), 20_000 + i as i32 / 50);
        }
        // Days 20_000..=20_003, window of 2 days: days 20_001.. remain.
        assert_eq!(c.len(), 150);
        assert_eq!(c.evict_before(20_003), 100);
        assert_eq!(c.len(), 50);
        assert_eq!(c.evict_before(30_000), 50);
        assert!(c.is_empty() && c.stories() == 0);
        assert_eq!(c.exact_duplicate(7, 1), None);
    }

    #[test]
    fn sequence_numbers_wrap_in_the_24_bit_tables() {
        // Tables keep sequence numbers modulo 2^24; start just below the
        // 2^24 and 2^32 boundaries so that the stored values wrap.
        for start in [(1u32 << 24) - 2, u32::MAX - 1] {
            let mut c = Clusterer::new(&NearDupConfig { window_days: 2, ..cfg() });
            (c.front, c.purged_at) = (start, start);
            let a = c.assess(1, &fp(WIRE, Some("2025-03-13")), date("2025-03-13"), 20_000);
            c.assess(2, &fp(YEARS_EARLIER, Some("2019-07-02")), date("2019-07-02"), 20_000);
            let b = c.assess(3, &fp(&edited_copy(), None), None, 20_000);
            assert_eq!(b.near.map(|n| n.of), Some(1), "{start}");
            let t = c.assess(4, &fp(&truncated_copy(), None), None, 20_001);
            assert_eq!((t.near.map(|n| n.of), t.story), (Some(1), a.story));
            assert_eq!(c.exact_duplicate(5, 4).map(|x| x.source_group), Some(1));
            // Once they left the window, their postings find nothing.
            c.evict_before(20_002);
            assert!(c.is_empty());
            let n = c.assess(6, &fp(&edited_copy(), None), None, 20_002);
            assert_eq!((n.near, n.story), (None, 6));
        }
    }

    #[test]
    fn tables_are_purged_before_sequence_numbers_can_alias() {
        let mut c = Clusterer::new(&NearDupConfig { window_days: 1, ..cfg() });
        c.assess(1, &fp(WIRE, None), None, 20_000);
        c.assess(2, &fp(OTHER_OUTLET, None), None, 20_001);
        let posted = c.near.postings.used();
        // Pretend 2^22 articles went through since the last purge: the next
        // eviction purges the stale postings of article 1 whatever their share.
        c.purged_at = c.front.wrapping_sub(1 << 22);
        c.evict_before(20_001);
        assert!(c.near.postings.used() < posted && c.ids.used() == 1);
        assert_eq!(c.purged_at, c.front);
    }

    #[test]
    fn max_articles_caps_the_index() {
        let mut c = Clusterer::new(&NearDupConfig { max_articles: 10, ..cfg() });
        for i in 0..50u128 {
            c.assess(i + 1, &fp(&format!("{OTHER_OUTLET} Item {i}."), None), None, 20_000);
            assert!(c.len() <= 10);
        }
    }

    #[test]
    fn assessment_encodings_roundtrip() {
        let a = Assessment {
            near: Some(NearDup { of: u128::MAX - 3, similarity: 0.75, containment: true }),
            source_group: u128::MAX - 3,
            story: 42,
            story_score: 1.0,
            inherited_date: date("2024-01-05"),
        };
        assert_eq!(Assessment::from_bytes(&a.to_bytes()), Some(a.clone()));
        let j = serde_json::to_string(&a).unwrap();
        assert!(j.contains("\"2024-01-05\""), "{j}");
        assert_eq!(serde_json::from_str::<Assessment>(&j).unwrap(), a);
        let plain = Assessment { near: None, inherited_date: None, ..a };
        assert_eq!(plain.to_bytes().len(), 38);
        assert_eq!(Assessment::from_bytes(&plain.to_bytes()), Some(plain));
        assert_eq!(Assessment::from_bytes(&[1, 9]), None);
    }

    #[test]
    fn config_is_strict_and_validated() {
        let c: NearDupConfig = toml::from_str("story_threshold = 0.4").unwrap();
        assert_eq!(c.story_threshold, 0.4);
        assert_eq!(c.window_days, 14);
        assert!(toml::from_str::<NearDupConfig>("story_treshold = 0.4").is_err());
        assert!(NearDupConfig::default().validate().is_ok());
        assert!(NearDupConfig { num_perm: 40, ..cfg() }.validate().is_err());
        assert!(NearDupConfig { resemblance_threshold: 1.5, ..cfg() }.validate().is_err());
        assert!(NearDupConfig { max_articles: MAX_ARTICLES + 1, ..cfg() }.validate().is_err());
        let back: NearDupConfig = toml::from_str(&toml::to_string(&cfg()).unwrap()).unwrap();
        assert_eq!(back, cfg());
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        #[test]
        fn identical_texts_are_near_duplicates(words in proptest::collection::vec("[a-z]{2,9}", 30..200)) {
            let text = words.join(" ");
            let mut c = Clusterer::new(&cfg());
            c.assess(1, &fp(&text, None), None, 20_000);
            let a = c.assess(2, &fp(&text, None), None, 20_000);
            prop_assert_eq!(a.near.map(|n| n.of), Some(1));
            prop_assert_eq!(a.source_group, 1);
        }

        #[test]
        fn eviction_bounds_len(days in proptest::collection::vec(0i32..40, 1..120), window in 1u32..10) {
            let mut c = Clusterer::new(&NearDupConfig { window_days: window, ..cfg() });
            let f = fp(OTHER_OUTLET, None);
            let mut max_day = i32::MIN;
            for (i, d) in days.iter().enumerate() {
                c.assess(i as u128 + 1, &f, None, 20_000 + d);
                max_day = max_day.max(20_000 + d);
                // The oldest article left is within the window of the latest day.
                prop_assert!(c.recs.front().is_some_and(|r| i32::from(r.day) >= max_day - window as i32));
            }
            let n = c.evict_before(max_day + 1);
            prop_assert!(c.is_empty(), "{} left after evicting {}", c.len(), n);
            prop_assert_eq!(c.stories(), 0);
        }
    }
}
