//! The rolling incident timeline: event mentions from many articles merged
//! into one record per real-world incident, kept current as reports arrive
//! and closed when they leave the rolling window.
//!
//! Core types: [`Timeline`] (the state and its indexes), [`TimelineConfig`]
//! (`[timeline]`), [`Incident`] (one incident; [`incident`]), the merge rule
//! ([`merge::judge`]) and the view written to `timeline.json`
//! ([`TimelineFile`]). Input is [`ArticleInfo`] + [`Mention`]s: parsed from
//! the output records by recovery after a crash (which re-reads the
//! journals), built from the same events on the live path
//! ([`Mention::from_event`], held equal to the parsed ones by tests), so
//! both derive the same revisions.
//!
//! Pure and deterministic: no I/O and no clock (the window moves with the
//! newest publication date in the input, and `first_seen`/`last_seen` are the
//! articles' ingest times), so the same articles in the same order give the
//! same revisions, byte for byte. The commit stage owns persistence: it
//! appends [`Changes::lines`] to `incidents.ndjson` and stores
//! [`Changes::rows`] (binary, [`row`]) in the ledger in the same commit as
//! the articles.
//!
//! Memory is bounded by the window: closed incidents leave every index.
//! Candidate incidents are found through buckets keyed by (country, date
//! value) and by story cluster, never by scanning all open incidents.

pub mod incident;
pub mod mention;
pub mod merge;
pub mod render;
pub mod row;

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde::{Deserialize, Serialize};

pub use incident::{Figures, Incident, IncidentRecord};
pub use mention::{id_of, ArticleInfo, Location, Mention};

/// Incident timeline settings (`[timeline]`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct TimelineConfig {
    /// Keep the incident timeline (needs `extract.enabled`).
    pub enabled: bool,
    /// Rolling window: an incident closes when its date ends more than this
    /// many days before the newest publication date seen; an undated one
    /// this many days after its last report on the window clock
    /// ([`crate::clock`]).
    pub window_days: u32,
    /// Two sites or towns at most this far apart count as one place.
    pub near_km: f64,
    /// Most incidents examined per candidate bucket (newest first).
    pub max_candidates: u32,
    /// Rewrite `timeline.json` at most this often; it is always rewritten
    /// when the input runs dry (no bundle left in the pipeline) and at shutdown.
    pub write_interval_ms: u64,
    /// Historical references and late reports listed in `timeline.json`.
    pub context_refs: u32,
    /// A publication date more than this many days after the article's ingest
    /// day does not move the window (a typo must not close everything).
    pub future_slack_days: u32,
    /// A mention dated only by its article's publication date (no date in the
    /// sentence) happened on that day or up to this many days before.
    pub publication_slack_days: u32,
}

impl Default for TimelineConfig {
    fn default() -> Self {
        TimelineConfig {
            enabled: true,
            window_days: 30,
            near_km: 25.0,
            max_candidates: 256,
            write_interval_ms: 2000,
            context_refs: 100,
            future_slack_days: 2,
            publication_slack_days: 3,
        }
    }
}

impl TimelineConfig {
    pub fn validate(&self) -> Result<(), String> {
        if self.window_days == 0 {
            return Err("timeline.window_days must be at least 1".into());
        }
        if !(self.near_km >= 0.0 && self.near_km <= 500.0) {
            return Err("timeline.near_km must be between 0 and 500".into());
        }
        if self.publication_slack_days > 14 {
            return Err("timeline.publication_slack_days must be at most 14".into());
        }
        if self.max_candidates == 0 {
            return Err("timeline.max_candidates must be at least 1".into());
        }
        Ok(())
    }
}

/// A mention kept for context rather than as an incident: a historical
/// reference, or a late report of an incident already out of the window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContextRef {
    /// historical | late
    pub reason: String,
    pub event: String,
    pub article: String,
    pub sub_event_type: String,
    pub date: mention::MentionDate,
    pub place: Option<String>,
    pub sentence: String,
}

/// Window position and counters, persisted with the incidents.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Head {
    newest_published: Option<i32>,
    /// Ages undated incidents (publication days, and ingest days as they pass).
    #[serde(default)]
    clock: crate::clock::WindowClock,
    next_seq: u64,
    late: u64,
    historical: u64,
    context: VecDeque<ContextRef>,
}

/// What changed since the last [`Timeline::take_changes`].
#[derive(Debug, Default)]
pub struct Changes {
    /// `incidents.ndjson` lines, each ending in a newline.
    pub lines: Vec<u8>,
    /// Ledger rows: incident id → state (None = closed, delete). Id 0 is the
    /// head. Binary ([`row`]); JSON rows of earlier versions still load.
    pub rows: Vec<(u128, Option<Vec<u8>>)>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty() && self.rows.is_empty()
    }
}

/// [`Timeline::memory`]: estimated heap bytes by part.
#[derive(Debug, Default, Clone, Copy)]
pub struct Memory {
    pub open: usize,
    /// Open incidents held encoded.
    pub idle: usize,
    /// Decoded incidents (state and table entry).
    pub live_bytes: usize,
    /// Encoded incidents (row and table entry).
    pub idle_bytes: usize,
    /// Article → incidents (duplicate fan-out).
    pub by_article: usize,
    /// Candidate buckets (country, date value, type).
    pub buckets: usize,
    /// Story → incidents.
    pub by_story: usize,
    /// Closing orders, and the new-event lists of touched incidents.
    pub closing: usize,
    /// Interned strings (shared by the process).
    pub strings: usize,
}

impl Memory {
    pub fn total(&self) -> usize {
        self.live_bytes + self.idle_bytes + self.by_article + self.buckets + self.by_story + self.closing + self.strings
    }
}

/// Counters for logs and metrics.
#[derive(Debug, Default, Clone, Copy)]
pub struct Tally {
    pub opened: u64,
    pub merged: u64,
    pub closed: u64,
    pub late: u64,
    pub historical: u64,
    pub skipped: u64,
}

/// The timeline state. See the module docs.
pub struct Timeline {
    cfg: TimelineConfig,
    /// Boxed: the table keeps up to half its slots empty, and an empty
    /// slot then costs 48 bytes (id and [`Slot`]) rather than an incident's ~700.
    incidents: FastMap<u128, Slot>,
    /// (country, date value) → incidents, newest last; entries may be stale
    /// (the incident moved or closed) and are checked when read.
    buckets: FastMap<BucketKey, Vec<u128>>,
    /// Last day a bucket's date covers → buckets to drop once it leaves the window.
    bucket_expiry: BTreeMap<i32, Vec<BucketKey>>,
    /// Sub-event types with a bucket (a generic mention looks in each).
    types_seen: BTreeSet<String>,
    by_story: FastMap<u128, Vec<u128>>,
    by_article: FastMap<u128, Ids>,
    /// Dated incidents by the last day of their date.
    closing: BTreeSet<(i32, u128)>,
    /// Undated incidents by their last ingest day.
    closing_undated: BTreeSet<(i32, u128)>,
    head: Head,
    /// Incidents changed since the last revisions were taken, in first-touch order.
    touched: Vec<u128>,
    /// Events merged into each touched incident since its last revision
    /// (its next revision's `events_new`; the union over revisions maps
    /// every event to its incident). Here rather than in [`Incident`]:
    /// only the touched few need the list.
    events_new: FastMap<u128, Vec<u128>>,
    touched_set: crate::fasthash::FastSet<u128>,
    changes: Changes,
    head_dirty: bool,
    /// Buffers of the candidate search, kept between mentions.
    scratch: Scratch,
    /// Where each ledger row is encoded ([`row::encode`]).
    row_buf: Vec<u8>,
    /// [`IDLE_DAYS`]; tests encode more or fewer.
    idle_days: i32,
    pub tally: Tally,
}

/// An open incident, and what the merge rule rejects most candidates on
/// ([`merge::Brief`]: type, date, country) inline in the hash table, so a
/// rejected candidate costs no pointer chase into its incident. Built
/// whenever an incident is put into the table: those fields change only in
/// [`Timeline::join`], which takes the incident out and puts it back.
struct Slot {
    brief: merge::Brief,
    inc: Held,
}

/// An incident's state: decoded while it is in use; encoded in the ledger
/// row's layout ([`row::encode_idle`], exact round trip) once nobody touched
/// it for [`IDLE_DAYS`]. Most open incidents are never touched again but
/// stay open for the window. The
/// brief stays decoded beside it, so most candidates are still rejected
/// without decoding; an idle incident is decoded for good when it is merged
/// into or counts a duplicate, and only for the moment when it is judged in
/// full, written to the view or closed.
enum Held {
    Live(Box<Incident>),
    Idle { row: Box<[u8]>, syms: Box<[mention::Sym]> },
}

/// Window days (the window clock, [`crate::clock`]) without a report after
/// which an incident is kept encoded. From the input only, so the same
/// input keeps the same incidents encoded (restart included).
/// One day: on the 28k slice it keeps 59 % of the open incidents encoded
/// (two days: 44 %), at about four decodes per article.
const IDLE_DAYS: i32 = 1;

impl Slot {
    fn new(inc: Box<Incident>) -> Slot {
        Slot { brief: merge::Brief::of(&side(&inc)), inc: Held::Live(inc) }
    }
}

impl Held {
    /// The state, decoded into a temporary if it is encoded.
    fn get(&self, slack: u32) -> std::borrow::Cow<'_, Incident> {
        match self {
            Held::Live(inc) => std::borrow::Cow::Borrowed(inc),
            Held::Idle { row, syms } => std::borrow::Cow::Owned(decode_idle(row, syms, slack)),
        }
    }

    /// The state, decoded for good if it was encoded.
    fn live(&mut self, slack: u32) -> &mut Incident {
        if let Held::Idle { row, syms } = self {
            *self = Held::Live(Box::new(decode_idle(row, syms, slack)));
        }
        match self {
            Held::Live(inc) => inc,
            Held::Idle { .. } => unreachable!("decoded above"),
        }
    }

    fn into_live(self, slack: u32) -> Box<Incident> {
        match self {
            Held::Live(inc) => inc,
            Held::Idle { row, syms } => Box::new(decode_idle(&row, &syms, slack)),
        }
    }

    fn is_idle(&self) -> bool {
        matches!(self, Held::Idle { .. })
    }
}

/// An idle incident's state back from its row, with the derived range.
fn decode_idle(row: &[u8], syms: &[mention::Sym], slack: u32) -> Incident {
    let mut inc = row::decode_idle(row, syms).expect("an idle incident's own form reads back");
    inc.range = range_of(&inc.date, slack);
    inc
}

/// What the merge rule sees of an incident.
fn side(inc: &Incident) -> merge::Side<'_> {
    merge::Side {
        sub_event_type: &inc.sub_event_type,
        generic: inc.generic,
        date: inc.range,
        date_window: is_window(&inc.date),
        location: inc.location.as_ref(),
        actors: &inc.actors,
    }
}

/// The incidents an article counts for: one inline (most articles report
/// one incident), more in a list. An inline id saves every kept article a
/// heap block of four ids.
#[derive(Debug, Default, Clone, PartialEq)]
enum Ids {
    #[default]
    Empty,
    One(u128),
    Many(Vec<u128>),
}

impl Ids {
    fn push(&mut self, id: u128) {
        match self {
            Ids::Empty => *self = Ids::One(id),
            Ids::One(a) => *self = Ids::Many(vec![*a, id]),
            Ids::Many(v) => v.push(id),
        }
    }

    fn as_slice(&self) -> &[u128] {
        match self {
            Ids::Empty => &[],
            Ids::One(a) => std::slice::from_ref(a),
            Ids::Many(v) => v,
        }
    }

    fn is_empty(&self) -> bool {
        self.as_slice().is_empty()
    }

    fn remove(&mut self, id: u128) {
        match self {
            Ids::One(a) if *a == id => *self = Ids::Empty,
            Ids::Many(v) => v.retain(|x| *x != id),
            _ => {}
        }
    }

    fn sort_by_key<K: Ord>(&mut self, f: impl FnMut(&u128) -> K) {
        if let Ids::Many(v) = self {
            v.sort_by_key(f);
        }
    }

    fn heap_capacity(&self) -> usize {
        match self {
            Ids::Many(v) => v.capacity(),
            _ => 0,
        }
    }
}

/// Buffers of [`Timeline::best_candidate`].
#[derive(Default)]
struct Scratch {
    /// The date values a mention looks up.
    vals: Vec<Val>,
    /// Candidates judged so far for this mention.
    judged: Vec<u128>,
}

/// Maps looked up several times per mention. Their keys are xxh3 hashes
/// (incident, article and story ids) or short bucket strings, so SipHash's
/// flood resistance buys nothing and its cost showed in profiles. Never
/// iterated in an order that reaches the output.
type FastMap<K, V> = crate::fasthash::FastMap<K, V>;

/// Newest same-story incidents examined for a mention that has a place.
const STORY_CANDIDATES_LOCATED: usize = 16;

/// Candidate bucket: (country, date value, sub-event type or "" for
/// generic), as the xxh3-128 of the date value seeded with the xxh3-64 of
/// country and type. A number rather than the joined string: a mention
/// looks up dozens of buckets, and building a `String` for each was the
/// largest cost of the merge step; the seed is computed once per type
/// looked up, and a date value alone takes xxh3's short-input path. (Two
/// keys colliding is as likely as two incident ids colliding: never, in
/// practice.) Never persisted: the buckets are rebuilt on restore.
type BucketKey = u128;

fn bucket_seed(country: &str, kind: &str) -> u64 {
    let n = country.len() + kind.len() + 1;
    let mut stack = [0u8; 64];
    let mut heap = Vec::new();
    let buf: &mut [u8] = if n <= stack.len() {
        &mut stack[..n]
    } else {
        heap.resize(n, 0);
        &mut heap
    };
    buf[..country.len()].copy_from_slice(country.as_bytes());
    buf[country.len()] = 0x1f;
    buf[country.len() + 1..].copy_from_slice(kind.as_bytes());
    xxhash_rust::xxh3::xxh3_64(buf)
}

fn bucket_in(seed: u64, date: &[u8]) -> BucketKey {
    xxhash_rust::xxh3::xxh3_128_with_seed(date, seed)
}

fn bucket(country: &str, date: &[u8], kind: &str) -> BucketKey {
    bucket_in(bucket_seed(country, kind), date)
}

/// Whether counting article `a` adds a story to the incident (checked
/// before [`Incident::add_article`]).
fn new_story(inc: &Incident, a: &ArticleInfo) -> bool {
    a.story.as_deref().map(id_of).is_some_and(|s| inc.stories.binary_search(&s).is_err())
}

/// The day an undated incident ages from: the window clock at its last
/// report (older states: its last ingest day).
fn undated_day(inc: &Incident) -> i32 {
    inc.window_day.or_else(|| day_of(&inc.last_seen)).unwrap_or(0)
}

/// Day number of the `YYYY-MM-DD` prefix of a date or timestamp.
fn day_of(s: &str) -> Option<i32> {
    s.get(..10)?.parse::<jiff::civil::Date>().ok().map(merge::day_number)
}

fn date_of_day(d: i32) -> String {
    let date = jiff::civil::date(1970, 1, 1).checked_add(jiff::Span::new().days(d as i64)).ok();
    date.map(|d| d.to_string()).unwrap_or_default()
}

/// The days a date may mean: its own span, or for a date that is only the
/// article's publication date, that day and `slack` days before it.
pub fn range_of(d: &mention::MentionDate, slack: u32) -> Option<(i32, i32)> {
    let (start, end) = merge::date_range(d.value.as_deref()?)?;
    if is_window(d) {
        return Some((end - slack as i32, end));
    }
    Some((start, end))
}

/// Whether a date is a publication window (see [`range_of`]).
pub fn is_window(d: &mention::MentionDate) -> bool {
    d.basis.as_deref() == Some("publication") && d.value.as_deref().is_some_and(|v| v.len() == 10)
}

/// A short date value ("2024-01-04", "2024-W01", "2024-01", "2024") held
/// on the stack: candidate look-ups build many per mention.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Val {
    n: u8,
    b: [u8; 23],
}

impl Val {
    fn new(s: &str) -> Val {
        let mut v = Val { n: 0, b: [0; 23] };
        // Every value built here is at most 13 bytes ("-009999-12-31").
        let n = s.len().min(v.b.len());
        v.b[..n].copy_from_slice(&s.as_bytes()[..n]);
        v.n = n as u8;
        v
    }

    fn fmt(args: std::fmt::Arguments<'_>) -> Val {
        use std::io::Write;
        let mut v = Val { n: 0, b: [0; 23] };
        let mut cur = std::io::Cursor::new(&mut v.b[..]);
        let _ = cur.write_fmt(args);
        v.n = cur.position() as u8;
        v
    }

    fn bytes(&self) -> &[u8] {
        &self.b[..self.n as usize]
    }
}

/// Date values besides `v` itself whose incidents may hold a mention dated
/// `v` (spanning the days `range`): the days of the range, the coarser
/// periods containing them, and the following `slack` days, whose incidents
/// may be dated by publication only. Appended to `out`, sorted, deduplicated.
fn lookup_values(v: &str, range: (i32, i32), slack: u32, out: &mut Vec<Val>) {
    out.clear();
    coarser(v, out);
    if range.1 - range.0 <= 7 && v.len() == 10 {
        for d in range.0..=range.1 + slack as i32 {
            day_values(d, out);
        }
    }
    out.sort_unstable();
    out.dedup();
}

/// Week, month and year containing a day; the year of a month or week.
fn coarser(v: &str, out: &mut Vec<Val>) {
    if let Some(year) = v.get(..4) {
        if v.len() == 10 {
            if let Ok(d) = v.parse::<jiff::civil::Date>() {
                let w = d.iso_week_date();
                out.push(Val::fmt(format_args!("{:04}-W{:02}", w.year(), w.week())));
            }
            if let Some(month) = v.get(..7) {
                out.push(Val::new(month));
            }
        }
        if v.len() > 4 {
            out.push(Val::new(year));
        }
    }
}

/// `date_of_day(d)` and `coarser` of it, without formatting through jiff
/// for the years every real date has.
fn day_values(d: i32, out: &mut Vec<Val>) {
    let (y, m, dd) = civil_from_days(d);
    if !(1..=9998).contains(&y) {
        let s = date_of_day(d);
        out.push(Val::new(&s));
        coarser(&s, out);
        return;
    }
    let mut v = Val { n: 10, b: [0; 23] };
    put_digits(&mut v.b[0..4], y as u32);
    v.b[4] = b'-';
    put_digits(&mut v.b[5..7], m);
    v.b[7] = b'-';
    put_digits(&mut v.b[8..10], dd);
    out.push(v);
    // ISO week: the one holding this week's Thursday, in that Thursday's year.
    let weekday = (d + 3).rem_euclid(7); // Monday = 0; 1970-01-01 was a Thursday.
    let thursday = d - weekday + 3;
    let (wy, _, _) = civil_from_days(thursday);
    let week = (thursday - days_from_civil(wy, 1, 1)) / 7 + 1;
    let mut w = Val { n: 8, b: [0; 23] };
    put_digits(&mut w.b[0..4], wy as u32);
    w.b[4..6].copy_from_slice(b"-W");
    put_digits(&mut w.b[6..8], week as u32);
    out.push(w);
    let mut month = v;
    month.n = 7;
    out.push(month);
    let mut year = v;
    year.n = 4;
    out.push(year);
}

fn put_digits(buf: &mut [u8], mut n: u32) {
    for b in buf.iter_mut().rev() {
        *b = b'0' + (n % 10) as u8;
        n /= 10;
    }
}

/// (year, month, day) of a day number (days since 1970-01-01), proleptic
/// Gregorian (H. Hinnant's `civil_from_days`).
fn civil_from_days(z: i32) -> (i32, u32, u32) {
    let z = z as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y as i32, m, d)
}

/// Day number of a civil date (inverse of [`civil_from_days`]).
fn days_from_civil(y: i32, m: u32, d: u32) -> i32 {
    let y = y as i64 - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 } as i64;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe - 719_468) as i32
}

impl Timeline {
    pub fn new(cfg: TimelineConfig) -> Timeline {
        Timeline {
            cfg,
            incidents: Default::default(),
            buckets: Default::default(),
            bucket_expiry: BTreeMap::new(),
            types_seen: BTreeSet::new(),
            by_story: Default::default(),
            by_article: Default::default(),
            closing: BTreeSet::new(),
            closing_undated: BTreeSet::new(),
            head: Head::default(),
            touched: Vec::new(),
            events_new: Default::default(),
            touched_set: Default::default(),
            changes: Changes::default(),
            head_dirty: false,
            scratch: Scratch::default(),
            row_buf: Vec::new(),
            idle_days: IDLE_DAYS,
            tally: Tally::default(),
        }
    }

    /// Rebuild from ledger rows (as produced in [`Changes::rows`]).
    /// Unreadable rows are counted and skipped.
    pub fn restore<'a>(cfg: TimelineConfig, rows: impl IntoIterator<Item = (u128, &'a [u8])>) -> (Timeline, usize) {
        let mut t = Timeline::new(cfg);
        let mut bad = 0;
        for (id, blob) in rows {
            if id == 0 {
                let head = match blob.first() {
                    Some(b'{') => serde_json::from_slice(blob).ok(),
                    _ => row::decode_head(blob),
                };
                match head {
                    Some(h) => t.head = h,
                    None => bad += 1,
                }
                continue;
            }
            // Rows written before the binary layout are JSON objects.
            let inc = match blob.first() {
                Some(b'{') => serde_json::from_slice::<Incident>(blob).ok(),
                _ => row::decode(blob),
            };
            match inc {
                Some(mut inc) => {
                    inc.normalize_restored();
                    t.insert(inc)
                }
                None => bad += 1,
            }
        }
        // Lists are kept in creation order (newest last) so that candidate
        // limits and duplicate fan-out behave as before the restart.
        let slack = t.cfg.publication_slack_days;
        let seq = |id: &u128| t.incidents.get(id).map_or(0, |s| s.inc.get(slack).seq);
        for v in t.buckets.values_mut().chain(t.by_story.values_mut()) {
            v.sort_by_key(seq);
        }
        for v in t.by_article.values_mut() {
            v.sort_by_key(seq);
        }
        t.encode_idle();
        (t, bad)
    }

    pub fn config(&self) -> &TimelineConfig {
        &self.cfg
    }

    pub fn open_incidents(&self) -> usize {
        self.incidents.len()
    }

    /// An open incident's state (decoded if it is idle).
    pub fn incident(&self, id: u128) -> Option<std::borrow::Cow<'_, Incident>> {
        self.incidents.get(&id).map(|s| s.inc.get(self.cfg.publication_slack_days))
    }

    /// Open incidents held encoded ([`Held::Idle`]).
    pub fn idle_incidents(&self) -> usize {
        self.incidents.values().filter(|s| s.inc.is_idle()).count()
    }

    /// Encode the incidents without a report for [`IDLE_DAYS`] window days.
    /// Run when the window clock moves to a new day (and after a restore):
    /// a walk over the open incidents, once per day of input.
    fn encode_idle(&mut self) {
        let Some(today) = self.head.clock.day else { return };
        let touched = &self.touched_set;
        for (id, slot) in self.incidents.iter_mut() {
            let Held::Live(inc) = &slot.inc else { continue };
            if undated_day(inc) >= today - self.idle_days || touched.contains(id) {
                continue;
            }
            self.row_buf.clear();
            let mut syms = Vec::new();
            row::encode_idle(inc, &mut self.row_buf, &mut syms);
            slot.inc = Held::Idle { row: self.row_buf.as_slice().into(), syms: syms.into() };
        }
    }

    /// Approximate heap bytes held (for the memory gauge and benchmarks):
    /// the incidents' own allocations, the indexes, and the shared strings
    /// ([`mention::Sym`], counted once for all timelines of the process).
    pub fn memory_bytes(&self) -> usize {
        self.memory().total()
    }

    /// [`Timeline::memory_bytes`] by part.
    pub fn memory(&self) -> Memory {
        use std::mem::size_of;
        // glibc's per-allocation overhead and rounding, roughly.
        let alloc = |n: usize| if n == 0 { 0 } else { n.div_ceil(16) * 16 + 16 };
        let mut m = Memory::default();
        for s in self.incidents.values() {
            // The table entry (key and slot).
            let entry = size_of::<(u128, Slot)>();
            match &s.inc {
                Held::Idle { row, syms } => {
                    m.idle += 1;
                    m.idle_bytes += entry + alloc(row.len()) + alloc(syms.len() * size_of::<mention::Sym>());
                }
                Held::Live(i) => {
                    m.live_bytes += entry
                        + alloc(size_of::<Incident>())
                        + alloc(i.events.capacity() * 16)
                        + alloc(i.articles.capacity() * 16)
                        + alloc(i.sources.capacity() * 16)
                        + alloc(i.stories.capacity() * 16)
                        + alloc(i.merge.capacity() * size_of::<incident::MergeNote>())
                        + alloc(i.actors.capacity() * size_of::<mention::Actor>())
                        + alloc(i.fatalities.claims.capacity() * size_of::<incident::Claim>())
                        + alloc(i.injured.claims.capacity() * size_of::<incident::Claim>())
                        + i.fatalities.earlier.as_ref().map_or(0, |_| alloc(size_of::<incident::Earlier>()))
                        + i.injured.earlier.as_ref().map_or(0, |_| alloc(size_of::<incident::Earlier>()))
                        + i.headline.as_ref().map_or(0, |h| alloc(h.len()))
                }
            }
        }
        m.open = self.incidents.len();
        m.by_article = self.by_article.values().map(|v| alloc(v.heap_capacity() * 16) + 48).sum::<usize>();
        m.buckets = self.buckets.values().map(|v| alloc(v.capacity() * 16) + 48).sum::<usize>();
        m.by_story = self.by_story.values().map(|v| alloc(v.capacity() * 16) + 48).sum::<usize>();
        m.closing = (self.closing.len() + self.closing_undated.len()) * 40
            + self.events_new.values().map(|v| alloc(v.capacity() * 16) + 48).sum::<usize>();
        m.strings = mention::interned().1;
        m
    }

    /// (country, date value, sub-event type; "" for a generic incident,
    /// which any type may join).
    fn bucket_key(inc: &Incident) -> Option<BucketKey> {
        let country = inc.location.as_ref()?.country.as_deref().unwrap_or_default();
        let kind = if inc.generic { "" } else { inc.sub_event_type.as_str() };
        Some(bucket(country, inc.date.value.as_deref()?.as_bytes(), kind))
    }

    fn insert(&mut self, mut inc: Incident) {
        inc.range = range_of(&inc.date, self.cfg.publication_slack_days);
        let id = inc.id;
        self.index(&inc);
        for a in &inc.articles {
            self.by_article.entry(*a).or_default().push(id);
        }
        for s in &inc.stories {
            self.by_story.entry(*s).or_default().push(id);
        }
        self.incidents.insert(id, Slot::new(Box::new(inc)));
    }

    /// Bucket and closing-order entries for an incident's current date and place.
    fn index(&mut self, inc: &Incident) {
        match range_of(&inc.date, self.cfg.publication_slack_days) {
            Some((_, end)) => {
                self.closing.insert((end, inc.id));
                if let Some(k) = Self::bucket_key(inc) {
                    let kind = if inc.generic { "" } else { inc.sub_event_type.as_str() };
                    if !self.types_seen.contains(kind) {
                        self.types_seen.insert(kind.to_string());
                    }
                    let v = self.buckets.entry(k).or_default();
                    if v.is_empty() {
                        self.bucket_expiry.entry(end).or_default().push(k);
                    }
                    v.push(inc.id);
                }
            }
            None => {
                self.closing_undated.insert((undated_day(inc), inc.id));
            }
        }
    }

    fn unindex(&mut self, inc: &Incident) {
        match range_of(&inc.date, self.cfg.publication_slack_days) {
            Some((_, end)) => {
                self.closing.remove(&(end, inc.id));
            }
            None => {
                self.closing_undated.remove(&(undated_day(inc), inc.id));
            }
        }
    }

    /// The first day still inside the window for dated incidents.
    fn cutoff(&self) -> Option<i32> {
        self.head.newest_published.map(|d| d - self.cfg.window_days as i32)
    }

    /// Feed one committed article with its event mentions (none for a
    /// duplicate). Revisions go to the pending [`Changes`].
    pub fn apply(&mut self, a: &ArticleInfo, mentions: &[Mention]) {
        let ingest = day_of(&a.ingested_at);
        let published = a.published.as_deref().and_then(day_of);
        if let Some(i) = ingest {
            let before = self.head.clock;
            self.head.clock.tick(i, published, self.cfg.future_slack_days as i32);
            self.head_dirty |= self.head.clock != before;
            if self.head.clock.day != before.day {
                self.encode_idle();
            }
        }
        if let Some(p) = published {
            let plausible = ingest.is_none_or(|i| p <= i + self.cfg.future_slack_days as i32);
            if plausible && self.head.newest_published.is_none_or(|n| p > n) {
                self.head.newest_published = Some(p);
                self.head_dirty = true;
            }
        }
        let aid = id_of(&a.id);
        let slack = self.cfg.publication_slack_days;
        if let Some(of) = a.duplicate_of.as_deref() {
            let targets = self.by_article.get(&id_of(of)).map(|v| v.as_slice().to_vec()).unwrap_or_default();
            for t in targets {
                if let Some(inc) = self.incidents.get_mut(&t).map(|s| s.inc.live(slack)) {
                    let was_undated_day = undated_day(inc);
                    let story_new = new_story(inc, a);
                    if let Some(dropped) = inc.add_article(a) {
                        inc.window_day = self.head.clock.day;
                        let note = incident::MergeNote {
                            event: None,
                            article: aid,
                            rule: incident::Rule::Duplicate,
                            why: None,
                            score: None,
                        };
                        inc.note(note);
                        self.after_change(t, was_undated_day, aid, a, (dropped, story_new));
                    }
                }
            }
        }
        for m in mentions {
            self.mention(a, m);
        }
        self.close_expired();
    }

    fn mention(&mut self, a: &ArticleInfo, m: &Mention) {
        if m.aggregate || matches!(m.modality.as_str(), "threatened" | "planned") {
            self.tally.skipped += 1;
            return;
        }
        let range = range_of(&m.date, self.cfg.publication_slack_days);
        let story = a.story.as_deref().map(id_of);
        let mut scratch = std::mem::take(&mut self.scratch);
        let best = self.best_candidate(m, range, story, &mut scratch);
        self.scratch = scratch;
        let late = match (range, self.cutoff()) {
            (Some((_, end)), Some(cut)) => end < cut,
            _ => false,
        };
        if let Some((key, why, score)) = best {
            self.join(key, a, m, range, why, score);
            return;
        }
        if m.historical {
            self.tally.historical += 1;
            self.head.historical += 1;
            self.context("historical", a, m);
            return;
        }
        if late {
            self.tally.late += 1;
            self.head.late += 1;
            self.context("late", a, m);
            return;
        }
        if m.modality == "denied" {
            self.tally.skipped += 1;
            return;
        }
        self.open(a, m);
    }

    fn context(&mut self, reason: &str, a: &ArticleInfo, m: &Mention) {
        if self.cfg.context_refs == 0 {
            return;
        }
        if self.head.context.len() >= self.cfg.context_refs as usize {
            self.head.context.pop_front();
        }
        let sentence = clip(&m.sentence.text, 300);
        self.head.context.push_back(ContextRef {
            reason: reason.into(),
            event: m.id.clone(),
            article: a.id.clone(),
            sub_event_type: m.sub_event_type.to_string(),
            date: m.date.clone(),
            place: m.location.as_ref().map(|l| l.name.to_string()),
            sentence,
        });
        self.head_dirty = true;
    }

    /// The best incident for a mention: the highest score, then the newest.
    /// Candidates are judged as their lists are read, unsorted: an id met
    /// again (a stale bucket entry, a same-story incident also found by
    /// date) is skipped if it was judged already, and judging one twice
    /// could not change the best anyway.
    fn best_candidate(
        &self,
        m: &Mention,
        range: Option<(i32, i32)>,
        story: Option<u128>,
        scratch: &mut Scratch,
    ) -> Option<(u128, merge::Why, u32)> {
        let Scratch { vals, judged } = scratch;
        judged.clear();
        let ms = merge::Side {
            sub_event_type: &m.sub_event_type,
            generic: m.generic,
            date: range,
            date_window: range.is_some() && is_window(&m.date),
            location: m.location.as_ref(),
            actors: &m.actors,
        };
        let mb = merge::Brief::of(&ms);
        let slack = self.cfg.publication_slack_days;
        let mut best: Option<(u128, merge::Why, u32, u64)> = None;
        let mut consider = |id: u128| {
            let Some(slot) = self.incidents.get(&id) else { return };
            // Most candidates fail here, without a look at the incident or
            // at the list of judged ones (a few per mention).
            if !merge::may_join(&slot.brief, &mb) || judged.contains(&id) {
                return;
            }
            judged.push(id);
            let inc = slot.inc.get(slack);
            let same_story = story.is_some_and(|s| inc.stories.binary_search(&s).is_ok());
            if let Some((why, score)) = merge::judge(&side(&inc), &ms, same_story, self.cfg.near_km) {
                if best.as_ref().is_none_or(|b| (score, inc.seq) > (b.2, b.3)) {
                    best = Some((id, why, score, inc.seq));
                }
            }
        };
        let max = self.cfg.max_candidates as usize;
        if let (Some(v), Some(loc), Some(r)) = (m.date.value.as_deref(), m.location.as_ref(), range) {
            let country = loc.country.as_deref().unwrap_or_default();
            lookup_values(v, r, self.cfg.publication_slack_days, vals);
            // A day's own value is usually among the looked-up ones.
            let own = (!vals.iter().any(|x| x.bytes() == v.as_bytes())).then_some(v.as_bytes());
            // Its own type and generic incidents; a generic mention may join any type.
            let mut look = |kind: &str| {
                let seed = bucket_seed(country, kind);
                for dv in own.into_iter().chain(vals.iter().map(Val::bytes)) {
                    if let Some(b) = self.buckets.get(&bucket_in(seed, dv)) {
                        b.iter().rev().take(max).for_each(|id| consider(*id));
                    }
                }
            };
            if m.generic {
                self.types_seen.iter().for_each(|k| look(k));
            } else {
                look(&m.sub_event_type);
                look("");
            }
        }
        // Same-story incidents: all a mention without a place can join; a
        // located mention finds located incidents through its buckets and
        // needs the story only for the few incidents still without a place,
        // so a big story's long list is not walked for it.
        if let Some(s) = story.and_then(|s| self.by_story.get(&s)) {
            let take = if m.location.is_some() { max.min(STORY_CANDIDATES_LOCATED) } else { max };
            s.iter().rev().take(take).for_each(|id| consider(*id));
        }
        best.map(|(id, why, score, _)| (id, why, score))
    }

    fn open(&mut self, a: &ArticleInfo, m: &Mention) {
        let id = xxhash_rust::xxh3::xxh3_128(m.id.as_bytes()).max(1);
        if self.incidents.contains_key(&id) {
            // The same event fed twice (cannot happen through the commit
            // stage; guard against double counting anyway).
            return;
        }
        let seq = self.head.next_seq;
        self.head.next_seq += 1;
        self.head_dirty = true;
        let aid = id_of(&a.id);
        let mut inc = Incident {
            id,
            rev: 0,
            seq,
            event_type: m.event_type.clone(),
            sub_event_type: m.sub_event_type.clone(),
            generic: m.generic,
            date: m.date.clone(),
            location: m.location.clone(),
            actors: Vec::new(),
            fatalities: Figures::default(),
            injured: Figures::default(),
            articles: Vec::new(),
            articles_total: 0,
            sources: Vec::new(),
            stories: Vec::new(),
            events: vec![id_of(&m.id)],
            events_total: 1,
            first_seen: mention::Sym::new(&a.ingested_at),
            last_seen: mention::Sym::new(&a.ingested_at),
            window_day: self.head.clock.day,
            headline: None,
            merge: Vec::new(),
            merges: 0,
            modality: incident::Modalities::default(),
            range: None,
        };
        inc.add_article(a);
        // The sentence that opened it says more about this incident than the
        // article's title, which may be about something else.
        inc.headline = Some(clip(&m.sentence.text, 200).into_boxed_str());
        inc.add_actors(&m.actors);
        inc.fatalities.claim(a, &m.fatalities);
        inc.injured.claim(a, &m.injured);
        inc.modality.count(&m.modality);
        inc.note(incident::MergeNote {
            event: Some(id_of(&m.id)),
            article: aid,
            rule: incident::Rule::Opened,
            why: None,
            score: None,
        });
        self.tally.opened += 1;
        self.events_new.entry(id).or_default().push(id_of(&m.id));
        self.insert(inc);
        self.touch(id);
    }

    fn join(
        &mut self,
        key: u128,
        a: &ArticleInfo,
        m: &Mention,
        range: Option<(i32, i32)>,
        why: merge::Why,
        score: u32,
    ) {
        let Some(slot) = self.incidents.remove(&key) else { return };
        let mut inc = slot.inc.into_live(self.cfg.publication_slack_days);
        self.unindex(&inc);
        let old_bucket = Self::bucket_key(&inc);
        if inc.generic && !m.generic {
            inc.event_type = m.event_type.clone();
            inc.sub_event_type = m.sub_event_type.clone();
            inc.generic = false;
        }
        let cur = range_of(&inc.date, self.cfg.publication_slack_days);
        if let (Some(c), Some(r)) = (cur, range) {
            if r.1 - r.0 < c.1 - c.0 {
                inc.date = m.date.clone();
                inc.range = range;
            }
        }
        if let Some(l) = &m.location {
            // A town named like its province ("Erbil") may mean either: a
            // place of the same rank inside that province is more telling.
            let ambiguous = |x: &Location| x.precision == "town" && x.admin1.as_deref() == Some(x.name.as_str());
            let better = |x: &Location| {
                l.rank() < x.rank() || l.rank() == x.rank() && ambiguous(x) && !ambiguous(l) && l.admin1 == x.admin1
            };
            if inc.location.as_ref().is_none_or(better) {
                inc.location = Some(l.clone());
            }
        }
        let aid = id_of(&a.id);
        let story_new = new_story(&inc, a);
        let new_article = inc.add_article(a);
        inc.window_day = self.head.clock.day;
        inc.add_actors(&m.actors);
        inc.fatalities.claim(a, &m.fatalities);
        inc.injured.claim(a, &m.injured);
        // Each event is fed once (the commit stage sees every article once).
        inc.add_event(id_of(&m.id));
        self.events_new.entry(key).or_default().push(id_of(&m.id));
        inc.modality.count(&m.modality);
        inc.note(incident::MergeNote {
            event: Some(id_of(&m.id)),
            article: aid,
            rule: incident::Rule::Merged,
            why: Some(why),
            score: Some(score),
        });
        self.tally.merged += 1;
        // Re-index under the (possibly refined) date and place; the stale
        // bucket entry is skipped when read.
        self.index_moved(&inc, old_bucket);
        if let Some(dropped) = new_article {
            self.link_article(key, aid, a, (dropped, story_new));
        }
        self.incidents.insert(key, Slot::new(inc));
        self.touch(key);
    }

    fn index_moved(&mut self, inc: &Incident, old_bucket: Option<BucketKey>) {
        let new_bucket = Self::bucket_key(inc);
        if new_bucket == old_bucket {
            match range_of(&inc.date, self.cfg.publication_slack_days) {
                Some((_, end)) => self.closing.insert((end, inc.id)),
                None => self.closing_undated.insert((undated_day(inc), inc.id)),
            };
        } else {
            self.index(inc);
        }
    }

    /// After a duplicate joined: keep the undated closing order current.
    fn after_change(&mut self, id: u128, old_day: i32, aid: u128, a: &ArticleInfo, added: (Option<u128>, bool)) {
        if let Some(inc) = self.incidents.get(&id).map(|s| s.inc.get(self.cfg.publication_slack_days)) {
            if inc.date.value.is_none() {
                self.closing_undated.remove(&(old_day, id));
                self.closing_undated.insert((undated_day(&inc), id));
            }
        }
        self.link_article(id, aid, a, added);
        self.touch(id);
    }

    /// Index a newly counted article of incident `id` (duplicate fan-out,
    /// story candidates); unlink the article that left its kept list.
    /// `added`: that article, and whether the article's story was new to the
    /// incident ([`new_story`]; an incident is listed under exactly the
    /// stories it holds, so only a new one needs an entry, and a big
    /// story's list is not scanned for it).
    fn link_article(&mut self, id: u128, aid: u128, a: &ArticleInfo, added: (Option<u128>, bool)) {
        let (dropped, story_new) = added;
        if let Some(old) = dropped {
            self.unlink_article(id, old);
        }
        self.by_article.entry(aid).or_default().push(id);
        if let Some(s) = a.story.as_deref().map(id_of).filter(|_| story_new) {
            debug_assert!(self.by_story.get(&s).is_none_or(|v| !v.contains(&id)));
            self.by_story.entry(s).or_default().push(id);
        }
    }

    fn unlink_article(&mut self, id: u128, article: u128) {
        if let Some(v) = self.by_article.get_mut(&article) {
            v.remove(id);
            if v.is_empty() {
                self.by_article.remove(&article);
            }
        }
    }

    fn touch(&mut self, id: u128) {
        if self.touched_set.insert(id) {
            self.touched.push(id);
        }
    }

    fn emit_touched(&mut self) {
        self.touched_set.clear();
        let slack = self.cfg.publication_slack_days;
        for id in std::mem::take(&mut self.touched) {
            let Some(inc) = self.incidents.get_mut(&id).map(|s| s.inc.live(slack)) else { continue };
            inc.rev += 1;
            let new = self.events_new.remove(&id).unwrap_or_default();
            write_revision(&mut self.changes.lines, &inc.record("open", &new));
            inc.shrink();
            // Encoded into a reused buffer, then copied out at its exact size.
            self.row_buf.clear();
            row::encode(inc, &mut self.row_buf);
            self.changes.rows.push((id, Some(self.row_buf.clone())));
        }
    }

    /// Close incidents that left the window: a final revision, then forget them.
    fn close_expired(&mut self) {
        let mut expired = Vec::new();
        if let Some(cut) = self.cutoff() {
            while let Some(&(end, id)) = self.closing.first() {
                if end >= cut {
                    break;
                }
                self.closing.pop_first();
                expired.push(id);
            }
            while let Some((&end, _)) = self.bucket_expiry.first_key_value() {
                if end >= cut {
                    break;
                }
                let (_, keys) = self.bucket_expiry.pop_first().expect("non-empty");
                for k in keys {
                    self.buckets.remove(&k);
                }
            }
        }
        if let Some(now) = self.head.clock.day {
            let cut = now - self.cfg.window_days as i32;
            while let Some(&(day, id)) = self.closing_undated.first() {
                if day >= cut {
                    break;
                }
                self.closing_undated.pop_first();
                expired.push(id);
            }
        }
        for id in expired {
            let Some(slot) = self.incidents.remove(&id) else { continue };
            let mut inc = slot.inc.into_live(self.cfg.publication_slack_days);
            inc.rev += 1;
            let new = self.events_new.remove(&id).unwrap_or_default();
            write_revision(&mut self.changes.lines, &inc.record("closed", &new));
            self.changes.rows.push((id, None));
            self.tally.closed += 1;
            for a in &inc.articles {
                self.unlink_article(id, *a);
            }
            for s in &inc.stories {
                if let Some(v) = self.by_story.get_mut(s) {
                    v.retain(|x| *x != id);
                    if v.is_empty() {
                        self.by_story.remove(s);
                    }
                }
            }
        }
    }

    /// Everything changed since the last call: one revision per changed
    /// incident (all its changes since the last call in one revision, which
    /// keeps a busy incident from writing its growing record once per
    /// article), closing revisions, and the ledger rows.
    pub fn take_changes(&mut self) -> Changes {
        self.emit_touched();
        if self.head_dirty {
            self.row_buf.clear();
            row::encode_head(&self.head, &mut self.row_buf);
            self.changes.rows.push((0, Some(self.row_buf.clone())));
            self.head_dirty = false;
        }
        std::mem::take(&mut self.changes)
    }

    /// Open incidents in view order: dated ones by date, then undated ones
    /// by first report. Idle incidents are ordered by what their rows say,
    /// without decoding them ([`row::skim`]).
    fn in_view_order(&self) -> Vec<&Slot> {
        // (slot, date range, seq, first_seen)
        type Key<'a> = (&'a Slot, Option<(i32, i32)>, u64, &'a str);
        let mut rows: Vec<Key<'_>> = self
            .incidents
            .values()
            .map(|s| match &s.inc {
                Held::Live(i) => (s, i.date.value.as_deref().and_then(merge::date_range), i.seq, i.first_seen.as_str()),
                Held::Idle { row, syms } => {
                    let k = row::skim(row, Some(syms)).expect("an idle incident's own form reads back");
                    (s, k.date_value.and_then(merge::date_range), k.seq, k.first_seen)
                }
            })
            .collect();
        rows.sort_by(|a, b| match (a.1, b.1) {
            (Some(x), Some(y)) => (x, a.2).cmp(&(y, b.2)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => (a.3, a.2).cmp(&(b.3, b.2)),
        });
        rows.into_iter().map(|r| r.0).collect()
    }

    /// The current view for `timeline.json`, as it reads back from the file.
    pub fn view(&self, generated_at: &str) -> TimelineFile {
        let mut buf = Vec::new();
        self.write_view(&mut buf, generated_at).expect("timeline view serializes");
        serde_json::from_slice(&buf).expect("timeline view reads back")
    }

    /// Write the view as [`TimelineFile`] JSON (pretty), one row at a
    /// time: the file can be tens of MB, and building it in memory first
    /// would double the peak.
    pub fn write_view<W: std::io::Write>(&self, w: W, generated_at: &str) -> serde_json::Result<()> {
        /// Serializes as [`TimelineFile`] (same fields, same order).
        #[derive(Serialize)]
        struct Out<'a> {
            kind: &'static str,
            v: u32,
            generated_at: &'a str,
            window_days: u32,
            newest_published: Option<String>,
            cutoff: Option<String>,
            open: usize,
            late: u64,
            historical: u64,
            incidents: Rows<'a>,
            context: &'a VecDeque<ContextRef>,
        }
        /// An idle incident is decoded for its row only, one at a time.
        struct Rows<'a>(Vec<&'a Slot>, u32);
        struct One<'a>(&'a Slot, u32);
        impl Serialize for Rows<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_seq(self.0.iter().map(|slot| One(slot, self.1)))
            }
        }
        impl Serialize for One<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                RowRef::of(&self.0.inc.get(self.1)).serialize(s)
            }
        }
        let rows = self.in_view_order();
        let out = Out {
            kind: "timeline",
            v: crate::sink::records::SCHEMA_VERSION,
            generated_at,
            window_days: self.cfg.window_days,
            newest_published: self.head.newest_published.map(date_of_day),
            cutoff: self.cutoff().map(date_of_day),
            open: rows.len(),
            late: self.head.late,
            historical: self.head.historical,
            incidents: Rows(rows, self.cfg.publication_slack_days),
            context: &self.head.context,
        };
        serde_json::to_writer_pretty(w, &out)
    }
}

/// At most `n` bytes of `s` (on a character boundary), with an ellipsis if cut.
fn clip(s: &str, n: usize) -> String {
    if s.len() <= n {
        return s.to_string();
    }
    let cut = (0..=n).rev().find(|&i| s.is_char_boundary(i)).unwrap_or(0);
    format!("{}…", &s[..cut])
}

/// One `incidents.ndjson` line ([`IncidentRecord::write_json`]).
fn write_revision(buf: &mut Vec<u8>, rec: &IncidentRecord<'_>) {
    rec.write_json(buf);
    buf.push(b'\n');
}

/// `timeline.json`: the open incidents, dated ones by date, then undated.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TimelineFile {
    pub kind: String,
    pub v: u32,
    pub generated_at: String,
    pub window_days: u32,
    pub newest_published: Option<String>,
    /// Incidents dated before this day have been closed.
    pub cutoff: Option<String>,
    pub open: usize,
    /// Reports of incidents already outside the window (not opened).
    pub late: u64,
    /// Historical references seen (never opened as incidents).
    pub historical: u64,
    pub incidents: Vec<Row>,
    /// The latest historical references and late reports.
    pub context: Vec<ContextRef>,
}

/// Casualty summary in `timeline.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Summary {
    pub best: Option<u32>,
    pub min: Option<u32>,
    pub max: Option<u32>,
    pub qualifier: String,
}

/// One open incident in `timeline.json` (its latest revision, condensed).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Row {
    pub id: String,
    pub rev: u32,
    pub date: mention::MentionDate,
    pub event_type: String,
    pub sub_event_type: String,
    pub location: Option<Location>,
    pub actors: Vec<mention::Actor>,
    pub fatalities: Summary,
    pub injured: Summary,
    pub articles: usize,
    pub sources: usize,
    pub events: usize,
    pub first_seen: String,
    pub last_seen: String,
    pub headline: Option<String>,
}

/// Serializes as [`Row`] (same fields, same order), borrowing from the
/// incident: the view is written for every open incident, and copying each
/// one's strings, place and actors first was most of its cost.
#[derive(Serialize)]
struct RowRef<'a> {
    id: incident::HexId,
    rev: u32,
    date: &'a mention::MentionDate,
    event_type: &'a str,
    sub_event_type: &'a str,
    location: Option<&'a Location>,
    actors: &'a [mention::Actor],
    fatalities: SummaryRef<'a>,
    injured: SummaryRef<'a>,
    articles: usize,
    sources: usize,
    events: usize,
    first_seen: &'a str,
    last_seen: &'a str,
    headline: Option<&'a str>,
}

/// Serializes as [`Summary`].
#[derive(Serialize)]
struct SummaryRef<'a> {
    best: Option<u32>,
    min: Option<u32>,
    max: Option<u32>,
    qualifier: &'a str,
}

impl<'a> RowRef<'a> {
    fn of(i: &'a Incident) -> RowRef<'a> {
        let sum = |f: &'a Figures| {
            let v = f.view();
            SummaryRef { best: v.best, min: v.min, max: v.max, qualifier: v.qualifier }
        };
        RowRef {
            id: incident::HexId(i.id),
            rev: i.rev,
            date: &i.date,
            event_type: &i.event_type,
            sub_event_type: &i.sub_event_type,
            location: i.location.as_ref(),
            actors: &i.actors,
            fatalities: sum(&i.fatalities),
            injured: sum(&i.injured),
            articles: i.articles_total as usize,
            sources: i.sources.len(),
            events: i.events_total as usize,
            first_seen: &i.first_seen,
            last_seen: &i.last_seen,
            headline: i.headline.as_deref(),
        }
    }
}

impl Row {
    #[cfg(test)]
    fn of(i: &Incident) -> Row {
        let sum = |f: &Figures| {
            let v = f.view();
            Summary { best: v.best, min: v.min, max: v.max, qualifier: v.qualifier.to_string() }
        };
        Row {
            id: crate::sink::records::hex128(i.id),
            rev: i.rev,
            date: i.date.clone(),
            event_type: i.event_type.to_string(),
            sub_event_type: i.sub_event_type.to_string(),
            location: i.location.clone(),
            actors: i.actors.clone(),
            fatalities: sum(&i.fatalities),
            injured: sum(&i.injured),
            articles: i.articles_total as usize,
            sources: i.sources.len(),
            events: i.events_total as usize,
            first_seen: i.first_seen.to_string(),
            last_seen: i.last_seen.to_string(),
            headline: i.headline.as_deref().map(String::from),
        }
    }
}

#[cfg(test)]
mod tests;
