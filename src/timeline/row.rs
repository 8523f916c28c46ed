//! The ledger row of an open incident: its [`Incident`] state in a compact
//! binary form. Every touched incident's state is rewritten at each commit,
//! and writing it as JSON (and redb storing the longer text) was a large
//! part of the commit thread's timeline cost.
//!
//! The timeline's head (window position, counters and the context refs,
//! id 0) is rewritten whenever it changes, up to once per commit, in the
//! same form ([`encode_head`]).
//!
//! A row starts with a version byte ([`V1`]); rows written by earlier
//! versions are JSON objects, which start with `{`, and still load.
//! Layout: fields in declaration order; integers as LEB128 varints
//! (`i32` zigzagged), ids as 16 little-endian bytes, floats as their bits,
//! strings and lists as a varint length and their items, options as a
//! 0/1 byte and the value. Decoding is exact: a state reads back equal.

use super::incident::{Claim, Earlier, Figures, Incident, MergeNote, Modalities, Rule};
use super::mention::{Actor, Location, MentionDate, Sym};
use super::merge::Why;
use super::{ContextRef, Head};

/// Version byte of the current row layout.
pub const V1: u8 = 1;

/// Version byte of an idle incident's in-memory form ([`encode_idle`]);
/// never persisted, so never taken for a ledger row.
pub(super) const V_IDLE: u8 = 0xF1;

/// Append the row of `inc` to `out`.
pub fn encode(inc: &Incident, out: &mut Vec<u8>) {
    encode_with(inc, &mut W(out, None), V1);
}

/// An idle incident's in-memory form: the row layout, but each shared
/// string ([`Sym`]: types, places, actors, dates, ingest times) as an index
/// into `syms`, which holds each of them once. The text stays with the
/// interner (other incidents and mentions hold the same strings), and
/// decoding takes a reference count instead of an interner look-up.
pub(super) fn encode_idle(inc: &Incident, out: &mut Vec<u8>, syms: &mut Vec<Sym>) {
    encode_with(inc, &mut W(out, Some(syms)), V_IDLE);
}

fn encode_with(inc: &Incident, w: &mut W<'_>, version: u8) {
    w.0.push(version);
    w.id(inc.id);
    w.uint(inc.rev.into());
    w.uint(inc.seq);
    w.sym(&inc.event_type);
    w.sym(&inc.sub_event_type);
    w.bool(inc.generic);
    w.date(&inc.date);
    w.opt(inc.location.as_ref(), |w, l| {
        w.sym(&l.text);
        w.sym(&l.name);
        w.opt(l.country.as_ref(), W::sym);
        w.opt(l.admin1.as_ref(), W::sym);
        w.opt(l.lat, |w, v| w.0.extend_from_slice(&v.to_bits().to_le_bytes()));
        w.opt(l.lon, |w, v| w.0.extend_from_slice(&v.to_bits().to_le_bytes()));
        w.sym(&l.precision);
    });
    w.uint(inc.actors.len() as u64);
    for a in &inc.actors {
        w.opt(a.name.as_ref(), W::sym);
        w.opt(a.text.as_ref(), W::sym);
        w.sym(&a.role);
        w.sym(&a.kind);
    }
    w.figures(&inc.fatalities);
    w.figures(&inc.injured);
    w.ids(&inc.articles);
    w.uint(inc.articles_total);
    w.ids(&inc.sources);
    w.ids(&inc.stories);
    w.ids(&inc.events);
    w.uint(inc.events_total);
    w.sym(&inc.first_seen);
    w.sym(&inc.last_seen);
    w.opt(inc.window_day, W::int);
    w.opt(inc.headline.as_deref(), |w, v| w.str(v));
    w.uint(inc.merge.len() as u64);
    for n in &inc.merge {
        w.opt(n.event, |w, v| w.id_in(v, &inc.events));
        w.id_in(n.article, &inc.articles);
        w.0.push(match n.rule {
            Rule::Opened => 0,
            Rule::Merged => 1,
            Rule::Duplicate => 2,
        });
        w.opt(n.why, |w, v| w.0.extend_from_slice(&v.to_bytes()));
        w.opt(n.score, |w, v| w.uint(v.into()));
    }
    w.uint(inc.merges);
    w.uint(inc.modality.asserted.into());
    w.uint(inc.modality.claimed.into());
    w.uint(inc.modality.denied.into());
}

/// Read a row written by [`encode`] (`None` when it is not one, or is cut
/// short or malformed). `range` is left for the timeline to derive.
pub fn decode(row: &[u8]) -> Option<Incident> {
    decode_with(row, None)
}

/// Read the form written by [`encode_idle`] with its `syms`.
pub(super) fn decode_idle(row: &[u8], syms: &[Sym]) -> Option<Incident> {
    decode_with(row, Some(syms))
}

/// The reader of a row ([`V1`], no table) or of an idle form ([`V_IDLE`]).
fn reader<'a>(row: &'a [u8], syms: Option<&'a [Sym]>) -> Option<R<'a>> {
    let (&v, rest) = row.split_first()?;
    (v == if syms.is_some() { V_IDLE } else { V1 }).then_some(R(rest, syms))
}

fn decode_with(row: &[u8], syms: Option<&[Sym]>) -> Option<Incident> {
    let r = &mut reader(row, syms)?;
    let mut inc = Incident {
        id: r.id()?,
        rev: r.u32()?,
        seq: r.uint()?,
        event_type: r.sym()?,
        sub_event_type: r.sym()?,
        generic: r.bool()?,
        date: r.date()?,
        location: r.opt(|r| {
            Some(Location {
                text: r.sym()?,
                name: r.sym()?,
                country: r.opt(R::sym)?,
                admin1: r.opt(R::sym)?,
                lat: r.opt(R::f64)?,
                lon: r.opt(R::f64)?,
                precision: r.sym()?,
            })
        })?,
        actors: r
            .list(|r| Some(Actor { name: r.opt(R::sym)?, text: r.opt(R::sym)?, role: r.sym()?, kind: r.sym()? }))?,
        fatalities: r.figures()?,
        injured: r.figures()?,
        articles: r.list(R::id)?,
        articles_total: r.uint()?,
        sources: r.list(R::id)?,
        stories: r.list(R::id)?,
        events: r.list(R::id)?,
        events_total: r.uint()?,
        first_seen: r.sym()?,
        last_seen: r.sym()?,
        window_day: r.opt(R::int)?,
        headline: r.opt(|r| r.str().map(Box::from))?,
        merge: Vec::new(),
        merges: 0,
        modality: Modalities::default(),
        range: None,
    };
    inc.merge = r.list(|r| {
        Some(MergeNote {
            event: r.opt(|r| r.id_in(&inc.events))?,
            article: r.id_in(&inc.articles)?,
            rule: match r.byte()? {
                0 => Rule::Opened,
                1 => Rule::Merged,
                2 => Rule::Duplicate,
                _ => return None,
            },
            why: r.opt(|r| Why::from_bytes(r.take(4)?.try_into().ok()?))?,
            score: r.opt(R::u32)?,
        })
    })?;
    inc.merges = r.uint()?;
    inc.modality = Modalities { asserted: r.u32()?, claimed: r.u32()?, denied: r.u32()? };
    r.0.is_empty().then_some(inc)
}

/// What the view orders incidents by ([`super::Timeline::write_view`]),
/// read from a row without decoding the rest of it.
pub(super) struct Skim<'a> {
    pub seq: u64,
    pub date_value: Option<&'a str>,
    pub first_seen: &'a str,
}

/// Walk a row written by [`encode`] (or an idle form with its `syms`) up
/// to `first_seen`, borrowing its text.
pub(super) fn skim<'a>(row: &'a [u8], syms: Option<&'a [Sym]>) -> Option<Skim<'a>> {
    let r = &mut reader(row, syms)?;
    r.take(16)?;
    r.uint()?;
    let seq = r.uint()?;
    r.sym_str()?;
    r.sym_str()?;
    r.bool()?;
    let date_value = r.opt(R::sym_str)?;
    r.sym_str()?;
    r.opt(R::sym_str)?;
    r.opt(|r| {
        r.sym_str()?;
        r.sym_str()?;
        r.opt(R::sym_str)?;
        r.opt(R::sym_str)?;
        r.opt(|r| r.take(8))?;
        r.opt(|r| r.take(8))?;
        r.sym_str()
    })?;
    for _ in 0..r.uint()? {
        r.opt(R::sym_str)?;
        r.opt(R::sym_str)?;
        r.sym_str()?;
        r.sym_str()?;
    }
    r.skip_figures()?;
    r.skip_figures()?;
    r.skip_ids()?;
    r.uint()?;
    r.skip_ids()?;
    r.skip_ids()?;
    r.skip_ids()?;
    r.uint()?;
    Some(Skim { seq, date_value, first_seen: r.sym_str()? })
}

/// Append the head's row to `out`.
pub(super) fn encode_head(h: &Head, out: &mut Vec<u8>) {
    let w = &mut W(out, None);
    w.0.push(V1);
    w.opt(h.newest_published, W::int);
    w.opt(h.clock.day, W::int);
    w.opt(h.clock.ingest_day, W::int);
    w.uint(h.next_seq);
    w.uint(h.late);
    w.uint(h.historical);
    w.uint(h.context.len() as u64);
    for c in &h.context {
        w.str(&c.reason);
        w.str(&c.event);
        w.str(&c.article);
        w.str(&c.sub_event_type);
        w.date(&c.date);
        w.opt(c.place.as_deref(), W::str);
        w.str(&c.sentence);
    }
}

/// Read a head row written by [`encode_head`].
pub(super) fn decode_head(row: &[u8]) -> Option<Head> {
    let r = &mut reader(row, None)?;
    let h = Head {
        newest_published: r.opt(R::int)?,
        clock: crate::clock::WindowClock { day: r.opt(R::int)?, ingest_day: r.opt(R::int)? },
        next_seq: r.uint()?,
        late: r.uint()?,
        historical: r.uint()?,
        context: r
            .list(|r| {
                Some(ContextRef {
                    reason: r.str()?.into(),
                    event: r.str()?.into(),
                    article: r.str()?.into(),
                    sub_event_type: r.str()?.into(),
                    date: r.date()?,
                    place: r.opt(|r| r.str().map(String::from))?,
                    sentence: r.str()?.into(),
                })
            })?
            .into(),
    };
    r.0.is_empty().then_some(h)
}

/// Where a row is written; with a table, [`Sym`]s go to it ([`encode_idle`]).
struct W<'a>(&'a mut Vec<u8>, Option<&'a mut Vec<Sym>>);

impl W<'_> {
    fn sym(&mut self, s: &Sym) {
        match &mut self.1 {
            None => self.str(s),
            Some(t) => {
                // A few distinct strings per incident: a scan is cheapest.
                let i = t.iter().position(|x| x == s).unwrap_or_else(|| {
                    t.push(s.clone());
                    t.len() - 1
                });
                self.uint(i as u64)
            }
        }
    }

    fn uint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.0.push(v as u8 | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }

    fn id(&mut self, v: u128) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }

    /// An id that is usually in `list` (a merge note's article or event):
    /// in the idle form, its position there (1-based), else 0 and the id.
    fn id_in(&mut self, v: u128, list: &[u128]) {
        if self.1.is_none() {
            return self.id(v);
        }
        match list.iter().position(|x| *x == v) {
            Some(i) => self.uint(i as u64 + 1),
            None => {
                self.uint(0);
                self.id(v)
            }
        }
    }

    /// Zigzagged: small negative days stay short.
    fn int(&mut self, v: i32) {
        self.uint(u64::from(((v << 1) ^ (v >> 31)) as u32));
    }

    fn date(&mut self, d: &MentionDate) {
        self.opt(d.value.as_ref(), W::sym);
        self.sym(&d.precision);
        self.opt(d.basis.as_ref(), W::sym);
    }

    fn bool(&mut self, b: bool) {
        self.0.push(b as u8);
    }

    fn str(&mut self, s: &str) {
        self.uint(s.len() as u64);
        self.0.extend_from_slice(s.as_bytes());
    }

    fn opt<T>(&mut self, v: Option<T>, f: impl FnOnce(&mut Self, T)) {
        match v {
            None => self.0.push(0),
            Some(v) => {
                self.0.push(1);
                f(self, v)
            }
        }
    }

    fn ids(&mut self, v: &[u128]) {
        self.uint(v.len() as u64);
        for x in v {
            self.id(*x);
        }
    }

    fn claim(&mut self, c: &Claim) {
        self.id(c.article);
        self.uint(c.value.into());
        self.opt(c.min, |w, v| w.uint(v.into()));
        self.opt(c.max, |w, v| w.uint(v.into()));
        self.sym(&c.qualifier);
        self.opt(c.published.as_ref(), W::sym);
        self.sym(&c.seen);
    }

    fn figures(&mut self, f: &Figures) {
        self.uint(f.claims.len() as u64);
        for c in &f.claims {
            self.claim(c);
        }
        self.opt(f.earlier.as_deref(), |w, e| {
            w.uint(e.count);
            w.uint(e.min.into());
            w.uint(e.max.into());
            w.claim(&e.best);
        });
    }
}

/// A row being read; with a table, [`Sym`]s come from it ([`decode_idle`]).
struct R<'a>(&'a [u8], Option<&'a [Sym]>);

impl<'a> R<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        Some(a)
    }

    fn byte(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }

    fn uint(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f).checked_shl(shift)?;
            if b < 0x80 {
                return Some(v);
            }
        }
        None
    }

    fn u32(&mut self) -> Option<u32> {
        self.uint()?.try_into().ok()
    }

    fn int(&mut self) -> Option<i32> {
        let z = self.u32()?;
        Some((z >> 1) as i32 ^ -((z & 1) as i32))
    }

    fn date(&mut self) -> Option<MentionDate> {
        Some(MentionDate { value: self.opt(R::sym)?, precision: self.sym()?, basis: self.opt(R::sym)? })
    }

    fn id(&mut self) -> Option<u128> {
        Some(u128::from_le_bytes(self.take(16)?.try_into().ok()?))
    }

    /// Read what [`W::id_in`] wrote.
    fn id_in(&mut self, list: &[u128]) -> Option<u128> {
        if self.1.is_none() {
            return self.id();
        }
        match usize::try_from(self.uint()?).ok()? {
            0 => self.id(),
            i => list.get(i - 1).copied(),
        }
    }

    fn f64(&mut self) -> Option<f64> {
        Some(f64::from_bits(u64::from_le_bytes(self.take(8)?.try_into().ok()?)))
    }

    fn bool(&mut self) -> Option<bool> {
        match self.byte()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }

    fn str(&mut self) -> Option<&'a str> {
        let n = usize::try_from(self.uint()?).ok()?;
        std::str::from_utf8(self.take(n)?).ok()
    }

    fn sym(&mut self) -> Option<Sym> {
        match self.1 {
            None => self.str().map(Sym::new),
            Some(t) => t.get(usize::try_from(self.uint()?).ok()?).cloned(),
        }
    }

    /// A [`Sym`]'s text, borrowed.
    fn sym_str(&mut self) -> Option<&'a str> {
        match self.1 {
            None => self.str(),
            Some(t) => t.get(usize::try_from(self.uint()?).ok()?).map(Sym::as_str),
        }
    }

    fn opt<T>(&mut self, f: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        match self.byte()? {
            0 => Some(None),
            1 => f(self).map(Some),
            _ => None,
        }
    }

    fn list<T>(&mut self, mut f: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        let n = usize::try_from(self.uint()?).ok()?;
        // Every item takes at least a byte: a corrupt length cannot
        // reserve more than the row holds.
        if n > self.0.len() {
            return None;
        }
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            v.push(f(self)?);
        }
        Some(v)
    }

    fn claim(&mut self) -> Option<Claim> {
        Some(Claim {
            article: self.id()?,
            value: self.u32()?,
            min: self.opt(R::u32)?,
            max: self.opt(R::u32)?,
            qualifier: self.sym()?,
            published: self.opt(R::sym)?,
            seen: self.sym()?,
        })
    }

    fn skip_ids(&mut self) -> Option<()> {
        let n = usize::try_from(self.uint()?).ok()?;
        self.take(n.checked_mul(16)?).map(drop)
    }

    fn skip_claim(&mut self) -> Option<()> {
        self.take(16)?;
        self.uint()?;
        self.opt(R::uint)?;
        self.opt(R::uint)?;
        self.sym_str()?;
        self.opt(R::sym_str)?;
        self.sym_str().map(drop)
    }

    fn skip_figures(&mut self) -> Option<()> {
        for _ in 0..self.uint()? {
            self.skip_claim()?;
        }
        self.opt(|r| {
            r.uint()?;
            r.uint()?;
            r.uint()?;
            r.skip_claim()
        })
        .map(drop)
    }

    fn figures(&mut self) -> Option<Figures> {
        Some(Figures {
            claims: self.list(R::claim)?,
            earlier: self.opt(|r| {
                Some(Box::new(Earlier { count: r.uint()?, min: r.u32()?, max: r.u32()?, best: r.claim()? }))
            })?,
        })
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use proptest::prelude::*;

    /// SplitMix64, to draw an incident's shape from one seed.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
        fn coin(&mut self) -> bool {
            self.next() & 1 == 1
        }
        fn opt<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> Option<T> {
            self.coin().then(|| f(self))
        }
        /// Any width of number: small, large, at the varint boundaries.
        fn num(&mut self) -> u64 {
            match self.below(4) {
                0 => self.below(128),
                1 => 127 + self.below(3),
                2 => self.next(),
                _ => u64::MAX - self.below(2),
            }
        }
        fn u32(&mut self) -> u32 {
            self.num() as u32
        }
        fn id(&mut self) -> u128 {
            (u128::from(self.next()) << 64) | u128::from(self.next())
        }
        fn ids(&mut self) -> Vec<u128> {
            (0..self.below(12)).map(|_| self.id()).collect()
        }
        fn text(&mut self, pool: &[String]) -> String {
            pool[self.below(pool.len() as u64) as usize].clone()
        }
        fn sym(&mut self, pool: &[String]) -> Sym {
            Sym::new(&self.text(pool))
        }
        fn f64(&mut self) -> f64 {
            match self.below(4) {
                0 => -0.0,
                1 => f64::from_bits(self.next()),
                _ => (self.below(36_000) as f64 - 18_000.0) / 100.0,
            }
        }
        fn claim(&mut self, pool: &[String]) -> Claim {
            Claim {
                article: self.id(),
                value: self.u32(),
                min: self.opt(Rng::u32),
                max: self.opt(Rng::u32),
                qualifier: self.sym(pool),
                published: self.opt(|r| r.sym(pool)),
                seen: self.sym(pool),
            }
        }
        fn figures(&mut self, pool: &[String]) -> Figures {
            Figures {
                claims: (0..self.below(9)).map(|_| self.claim(pool)).collect(),
                earlier: self
                    .opt(|r| Box::new(Earlier { count: r.num(), min: r.u32(), max: r.u32(), best: r.claim(pool) })),
            }
        }
    }

    /// An incident of any shape, its text drawn from `pool`.
    pub(in crate::timeline) fn incident(seed: u64, pool: &[String]) -> Incident {
        let r = &mut Rng(seed);
        Incident {
            id: r.id(),
            rev: r.u32(),
            seq: r.num(),
            event_type: r.sym(pool),
            sub_event_type: r.sym(pool),
            generic: r.coin(),
            date: MentionDate { value: r.opt(|r| r.sym(pool)), precision: r.sym(pool), basis: r.opt(|r| r.sym(pool)) },
            location: r.opt(|r| Location {
                text: r.sym(pool),
                name: r.sym(pool),
                country: r.opt(|r| r.sym(pool)),
                admin1: r.opt(|r| r.sym(pool)),
                lat: r.opt(Rng::f64),
                lon: r.opt(Rng::f64),
                precision: r.sym(pool),
            }),
            actors: (0..r.below(5))
                .map(|_| Actor {
                    name: r.opt(|r| r.sym(pool)),
                    text: r.opt(|r| r.sym(pool)),
                    role: r.sym(pool),
                    kind: r.sym(pool),
                })
                .collect(),
            fatalities: r.figures(pool),
            injured: r.figures(pool),
            articles: r.ids(),
            articles_total: r.num(),
            sources: r.ids(),
            stories: r.ids(),
            events: r.ids(),
            events_total: r.num(),
            first_seen: r.sym(pool),
            last_seen: r.sym(pool),
            window_day: r.opt(|r| r.next() as i32),
            headline: r.opt(|r| r.text(pool).into_boxed_str()),
            merge: (0..r.below(5))
                .map(|_| MergeNote {
                    event: r.opt(Rng::id),
                    article: r.id(),
                    rule: [Rule::Opened, Rule::Merged, Rule::Duplicate][r.below(3) as usize],
                    why: r.opt(|r| Why::new(&r.text(pool), "near", "covers", "shared")),
                    score: r.opt(Rng::u32),
                })
                .collect(),
            merges: r.num(),
            modality: Modalities { asserted: r.u32(), claimed: r.u32(), denied: r.u32() },
            range: None,
        }
    }

    /// The coordinates' bits (NaN included), and the rest with them cleared.
    fn split(i: &Incident) -> ((Option<u64>, Option<u64>), Incident) {
        let l = i.location.as_ref();
        let bits = (l.and_then(|l| l.lat).map(f64::to_bits), l.and_then(|l| l.lon).map(f64::to_bits));
        let mut rest = i.clone();
        if let Some(l) = rest.location.as_mut() {
            (l.lat, l.lon) = (None, None);
        }
        (bits, rest)
    }

    proptest! {
        #[test]
        fn rows_read_back_exactly(seed in any::<u64>(), words in prop::collection::vec(any::<String>(), 1..6)) {
            let mut pool = words;
            pool.extend(["", "same", "Kherson", "a \"quoted\"\n\\line", "ça, 東京"].map(String::from));
            let mut inc = incident(seed, &pool);
            // Most merge notes name a kept article and event (the idle form
            // refers to those by position).
            for k in 0..inc.merge.len() {
                if (seed >> k) & 1 == 1 {
                    let (a, e) = (inc.articles.get(k).copied(), inc.events.last().copied());
                    inc.merge[k].article = a.unwrap_or(inc.merge[k].article);
                    inc.merge[k].event = inc.merge[k].event.and(e);
                }
            }
            let mut row = vec![0xAA];
            encode(&inc, &mut row);
            prop_assert_eq!(row[1], V1);
            let back = decode(&row[1..]).expect("reads back");
            prop_assert_eq!(split(&back), split(&inc));
            // The view's order keys, read without decoding, are the state's.
            let k = skim(&row[1..], None).expect("skims");
            prop_assert_eq!((k.seq, k.date_value, k.first_seen), (inc.seq, inc.date.value.as_deref(), inc.first_seen.as_str()));
            // Cut short anywhere, or with a byte more, it is refused rather than misread.
            let cut = 1 + (seed as usize % (row.len() - 1));
            prop_assert!(decode(&row[1..cut]).is_none());
            row.push(0);
            prop_assert!(decode(&row[1..]).is_none());
            // The idle form too, and it is never taken for a row (nor the reverse).
            let (mut idle, mut syms) = (Vec::new(), Vec::new());
            encode_idle(&inc, &mut idle, &mut syms);
            let back = decode_idle(&idle, &syms).expect("reads back");
            prop_assert_eq!(split(&back), split(&inc));
            let k = skim(&idle, Some(&syms)).expect("skims");
            prop_assert_eq!((k.seq, k.date_value, k.first_seen), (inc.seq, inc.date.value.as_deref(), inc.first_seen.as_str()));
            prop_assert!(decode(&idle).is_none() && decode_idle(&row[1..row.len() - 1], &syms).is_none());
            prop_assert!(decode_idle(&idle[..cut.min(idle.len() - 1)], &syms).is_none());
            // Each shared string once.
            prop_assert!(syms.iter().enumerate().all(|(i, s)| !syms[..i].contains(s)));
        }
    }

    proptest! {
        #[test]
        fn head_rows_read_back_exactly(seed in any::<u64>(), words in prop::collection::vec(any::<String>(), 1..6)) {
            let r = &mut Rng(seed);
            let mut pool = words;
            pool.push("a \"quoted\"\n\\line".into());
            let int = |r: &mut Rng| r.next() as i32;
            let head = Head {
                newest_published: r.opt(int),
                clock: crate::clock::WindowClock { day: r.opt(int), ingest_day: r.opt(int) },
                next_seq: r.num(),
                late: r.num(),
                historical: r.num(),
                context: (0..r.below(6))
                    .map(|_| ContextRef {
                        reason: r.text(&pool),
                        event: r.text(&pool),
                        article: r.text(&pool),
                        sub_event_type: r.text(&pool),
                        date: MentionDate { value: r.opt(|r| r.sym(&pool)), precision: r.sym(&pool), basis: r.opt(|r| r.sym(&pool)) },
                        place: r.opt(|r| r.text(&pool)),
                        sentence: r.text(&pool),
                    })
                    .collect(),
            };
            let mut row = Vec::new();
            encode_head(&head, &mut row);
            prop_assert_eq!(decode_head(&row), Some(head));
            prop_assert!(decode_head(&row[..row.len() - 1]).is_none());
        }
    }

    #[test]
    fn json_rows_are_not_taken_for_binary_ones() {
        assert!(decode_head(b"{}").is_none());
        assert_eq!(decode(b"{\"id\":\"01\"}"), None);
        assert_eq!(decode(&[]), None);
        assert_eq!(decode(&[V1 + 1, 0, 0]), None);
    }
}
