//! The merge rule: may an event mention join an incident? Each field has its
//! own small rule (type, place, date, actors); a mention joins only if all
//! four pass, and the verdict names the rule that passed for each field, so
//! every merge can be explained in the incident record ([`Why`]).
//!
//! Pure functions over [`Mention`]/[`Location`] values; no state.

use serde::{Deserialize, Serialize};

use super::mention::{Actor, Location};

/// Days since 1970-01-01 of a civil date.
pub fn day_number(d: jiff::civil::Date) -> i32 {
    let epoch = jiff::civil::date(1970, 1, 1);
    (d - epoch).get_days()
}

/// The first and last day (days since 1970-01-01) a TIMEX3 date value
/// covers: `2024-01-04`, `2024-W01`, `2024-01`, `2024-SU`, `2024-Q1`,
/// `2024-H1`, `2024`. `None` for anything else (decades, durations).
pub fn date_range(value: &str) -> Option<(i32, i32)> {
    use jiff::civil::{date, Date};
    let year: i16 = value.get(..4)?.parse().ok()?;
    let rest = &value[4..];
    let span = |a: Date, b: Date| Some((day_number(a), day_number(b)));
    let month_end = |y: i16, m: i8| date(y, m, 1).last_of_month();
    if rest.is_empty() {
        return span(date(year, 1, 1), date(year, 12, 31));
    }
    let rest = rest.strip_prefix('-')?;
    if rest.len() == 5 && rest.as_bytes()[2] == b'-' {
        let d: Date = value.parse().ok()?;
        return span(d, d);
    }
    if let Some(w) = rest.strip_prefix('W').filter(|w| w.bytes().all(|b| b.is_ascii_digit())) {
        let w: i8 = w.parse().ok()?;
        let monday = jiff::civil::ISOWeekDate::new(year, w, jiff::civil::Weekday::Monday).ok()?.date();
        return span(monday, monday.checked_add(jiff::Span::new().days(6)).ok()?);
    }
    if let Ok(m) = rest.parse::<i8>() {
        if (1..=12).contains(&m) {
            return span(date(year, m, 1), month_end(year, m));
        }
        return None;
    }
    let (a, b) = match rest {
        "SP" => ((year, 3), (year, 5)),
        "SU" => ((year, 6), (year, 8)),
        "FA" => ((year, 9), (year, 11)),
        "WI" => ((year, 12), (year + 1, 2)),
        "Q1" => ((year, 1), (year, 3)),
        "Q2" => ((year, 4), (year, 6)),
        "Q3" => ((year, 7), (year, 9)),
        "Q4" => ((year, 10), (year, 12)),
        "H1" => ((year, 1), (year, 6)),
        "H2" => ((year, 7), (year, 12)),
        _ => return None,
    };
    span(date(a.0, a.1, 1), month_end(b.0, b.1))
}

/// Which rule let each field merge. Serialized into the incident's `merge`
/// as four words of a fixed vocabulary, held as one byte each (every open
/// incident keeps up to four notes); reading one back maps it onto that
/// vocabulary.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Why([u8; 4]);

impl Why {
    /// `kind`: same | generic (a generic "attack" joined a specific type, or
    /// the reverse). `place`: same | inside (one place contains the other) |
    /// near (within the configured distance) | story (a place is unknown;
    /// same story cluster). `date`: same | covered (the mention's date lies
    /// inside the incident's coarser date) | covers (the reverse) | overlaps
    /// (a date known only from a publication day, which spans that day and
    /// the days before it, shares a day with the other) | undated (both
    /// undated, same story). `actors`: shared (a named actor in common) |
    /// compatible (no conflicting perpetrator). Words outside the vocabulary
    /// read as "?".
    pub fn new(kind: &str, place: &str, date: &str, actors: &str) -> Why {
        Why([kind, place, date, actors].map(word))
    }

    pub fn kind(&self) -> &'static str {
        VOCAB[self.0[0] as usize]
    }

    pub fn place(&self) -> &'static str {
        VOCAB[self.0[1] as usize]
    }

    pub fn date(&self) -> &'static str {
        VOCAB[self.0[2] as usize]
    }

    pub fn actors(&self) -> &'static str {
        VOCAB[self.0[3] as usize]
    }

    /// The four words' indexes (a ledger row's form, [`super::row`]).
    pub(super) fn to_bytes(self) -> [u8; 4] {
        self.0
    }

    /// Back from [`Why::to_bytes`]; `None` for an index outside the vocabulary.
    pub(super) fn from_bytes(b: [u8; 4]) -> Option<Why> {
        b.iter().all(|&x| usize::from(x) < VOCAB.len()).then_some(Why(b))
    }
}

impl std::fmt::Debug for Why {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Why")
            .field("kind", &self.kind())
            .field("place", &self.place())
            .field("date", &self.date())
            .field("actors", &self.actors())
            .finish()
    }
}

/// How a [`Why`] is written (and was, when it held the words themselves).
#[derive(Serialize, Deserialize)]
struct RawWhy<S> {
    #[serde(rename = "type")]
    kind: S,
    place: S,
    date: S,
    actors: S,
}

impl Serialize for Why {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        RawWhy { kind: self.kind(), place: self.place(), date: self.date(), actors: self.actors() }.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Why {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Why, D::Error> {
        let r = RawWhy::<String>::deserialize(d)?;
        Ok(Why::new(&r.kind, &r.place, &r.date, &r.actors))
    }
}

/// Every word a [`Why`] or a merge note's rule can hold; the last stands
/// for any other.
const VOCAB: &[&str] = &[
    "same",
    "generic",
    "inside",
    "near",
    "story",
    "covered",
    "covers",
    "overlaps",
    "undated",
    "shared",
    "compatible",
    "?",
];

fn word(s: &str) -> u8 {
    VOCAB.iter().position(|v| *v == s).unwrap_or(VOCAB.len() - 1) as u8
}

/// What the rules see of an incident or a mention.
pub struct Side<'a> {
    pub sub_event_type: &'a str,
    pub generic: bool,
    pub date: Option<(i32, i32)>,
    /// `date` is a publication window (the sentence gave no date): any day of
    /// it may be the day, so a date that shares a day with it is compatible.
    pub date_window: bool,
    pub location: Option<&'a Location>,
    pub actors: &'a [Actor],
}

/// What [`may_join`] reads of a [`Side`]: a few bytes, kept next to every
/// open incident's id. Text is held as [`text_hash`]es, so the check is
/// exact one way only: different hashes mean different text, equal hashes
/// leave the verdict to [`judge`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Brief {
    pub date: Option<(i32, i32)>,
    pub kind: u32,
    /// [`text_hash`] of the place's country (`None` hashes as ""); 0 without a place.
    pub country: u32,
    pub located: bool,
    pub generic: bool,
    pub date_window: bool,
}

impl Brief {
    pub fn of(s: &Side<'_>) -> Brief {
        Brief {
            date: s.date,
            kind: text_hash(s.sub_event_type),
            country: s.location.map_or(0, |l| text_hash(l.country.as_deref().unwrap_or_default())),
            located: s.location.is_some(),
            generic: s.generic,
            date_window: s.date_window,
        }
    }
}

/// A 32-bit hash of a short text for [`Brief`]; never persisted.
pub fn text_hash(s: &str) -> u32 {
    xxhash_rust::xxh3::xxh3_64(s.as_bytes()) as u32
}

/// False only when [`judge`] rejects the pair whatever the rest of the two
/// sides and the story: the types or the dates are incompatible, or the
/// places are in different countries. Lets the candidate loop skip most
/// candidates without reading the incident.
pub fn may_join(inc: &Brief, m: &Brief) -> bool {
    let kind = inc.kind == m.kind || inc.generic || m.generic;
    // With `same_story` true the date rule is at its most permissive.
    kind && date_rule(inc.date, m.date, inc.date_window || m.date_window, true).is_some()
        && !(inc.located && m.located && inc.country != m.country)
}

/// The verdict with a score used to pick the best of several compatible incidents.
pub fn judge(inc: &Side<'_>, m: &Side<'_>, same_story: bool, near_km: f64) -> Option<(Why, u32)> {
    let kind = type_rule(inc, m)?;
    let date = date_rule(inc.date, m.date, inc.date_window || m.date_window, same_story)?;
    let place = place_rule(inc.location, m.location, same_story, near_km)?;
    let actors = actor_rule(inc.actors, m.actors)?;
    let mut score = match place {
        "same" => 3,
        "inside" | "near" => 2,
        _ => 1,
    };
    if same_story {
        score += 2;
    }
    if kind == "same" {
        score += 1;
    }
    if actors == "shared" {
        score += 1;
    }
    if date == "same" {
        score += 1;
    }
    let why = Why::new(kind, place, date, actors);
    Some((why, score))
}

fn type_rule(inc: &Side<'_>, m: &Side<'_>) -> Option<&'static str> {
    if inc.sub_event_type == m.sub_event_type {
        Some("same")
    } else if inc.generic || m.generic {
        Some("generic")
    } else {
        None
    }
}

fn date_rule(inc: Option<(i32, i32)>, m: Option<(i32, i32)>, window: bool, same_story: bool) -> Option<&'static str> {
    match (inc, m) {
        (Some(a), Some(b)) if a == b => Some("same"),
        (Some(a), Some(b)) if a.0 <= b.0 && b.1 <= a.1 => Some("covered"),
        (Some(a), Some(b)) if b.0 <= a.0 && a.1 <= b.1 => Some("covers"),
        // Two reports published a day apart, neither dating the event: their
        // windows overlap without either containing the other.
        (Some(a), Some(b)) if window && a.0 <= b.1 && b.0 <= a.1 => Some("overlaps"),
        (None, None) if same_story => Some("undated"),
        _ => None,
    }
}

/// Great-circle distance in km.
pub fn haversine_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1, la2, lo2) = (a.0.to_radians(), a.1.to_radians(), b.0.to_radians(), b.1.to_radians());
    let h = ((la2 - la1) / 2.0).sin().powi(2) + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

fn place_rule(a: Option<&Location>, b: Option<&Location>, same_story: bool, near_km: f64) -> Option<&'static str> {
    let (a, b) = match (a, b) {
        (Some(a), Some(b)) => (a, b),
        _ => return same_story.then_some("story"),
    };
    if a.country != b.country {
        return None;
    }
    if a.name == b.name {
        return Some("same");
    }
    let (coarse, fine) = if a.rank() >= b.rank() { (a, b) } else { (b, a) };
    let inside = match coarse.precision.as_str() {
        "country" => true,
        // A governorate, or a town that shares its governorate's name and so
        // often stands for it in news copy ("a base in Irbil" for Erbil province).
        "admin1" | "admin2" => fine.admin1.as_deref() == Some(coarse.name.as_str()) || fine.admin1 == coarse.admin1,
        _ => false,
    };
    let named_for_province = |t: &Location, o: &Location| {
        t.precision == "town" && t.admin1.as_deref() == Some(t.name.as_str()) && o.admin1 == t.admin1
    };
    if inside || named_for_province(a, b) || named_for_province(b, a) {
        return Some("inside");
    }
    if let (Some(la), Some(oa), Some(lb), Some(ob)) = (a.lat, a.lon, b.lat, b.lon) {
        if fine.rank() <= 1 && coarse.rank() <= 1 && haversine_km((la, oa), (lb, ob)) <= near_km {
            return Some("near");
        }
    }
    None
}

/// Conflicting perpetrators block a merge: both name an actor1, and no name
/// of either side appears anywhere on the other. Actor roles are heuristic,
/// so anything short of that passes.
fn actor_rule(inc: &[Actor], m: &[Actor]) -> Option<&'static str> {
    fn named(xs: &[Actor]) -> Vec<&str> {
        xs.iter().filter_map(|a| a.name.as_deref()).collect()
    }
    if inc.is_empty() || m.is_empty() {
        return Some("compatible");
    }
    let (iall, mall) = (named(inc), named(m));
    if iall.iter().any(|n| mall.contains(n)) {
        return Some("shared");
    }
    let perpetrator = |xs: &[Actor]| xs.iter().any(|a| a.role == "actor1" && a.name.is_some());
    if perpetrator(inc) && perpetrator(m) {
        return None;
    }
    Some("compatible")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loc(name: &str, precision: &str, admin1: Option<&str>, ll: Option<(f64, f64)>) -> Location {
        Location {
            text: name.into(),
            name: name.into(),
            country: Some("IQ".into()),
            admin1: admin1.map(Into::into),
            lat: ll.map(|x| x.0),
            lon: ll.map(|x| x.1),
            precision: precision.into(),
        }
    }

    #[test]
    fn date_ranges() {
        let d = |s: &str| day_number(s.parse().unwrap());
        assert_eq!(date_range("2024-01-04"), Some((d("2024-01-04"), d("2024-01-04"))));
        assert_eq!(date_range("2024-01"), Some((d("2024-01-01"), d("2024-01-31"))));
        assert_eq!(date_range("2024-W01"), Some((d("2024-01-01"), d("2024-01-07"))));
        assert_eq!(date_range("2024-WI"), Some((d("2024-12-01"), d("2025-02-28"))));
        assert_eq!(date_range("2024"), Some((d("2024-01-01"), d("2024-12-31"))));
        assert_eq!(date_range("P3M"), None);
        assert_eq!(date_range("2024-13"), None);
    }

    #[test]
    fn dates_join_within_their_precision() {
        let day = date_range("2024-01-04");
        assert_eq!(date_rule(date_range("2024-01"), day, false, false), Some("covered"));
        assert_eq!(date_rule(day, date_range("2024-01"), false, false), Some("covers"));
        assert_eq!(date_rule(day, date_range("2024-01-05"), false, true), None);
        assert_eq!(date_rule(day, None, false, true), None, "undated never joins dated");
        assert_eq!(date_rule(None, None, false, false), None);
        assert_eq!(date_rule(None, None, false, true), Some("undated"));
    }

    #[test]
    fn publication_windows_join_when_they_share_a_day() {
        let d = |s: &str| day_number(s.parse().unwrap());
        // Published 01-06 and 01-07, no date in either sentence: 01-03..06 and 01-04..07.
        let (a, b) = (Some((d("2024-01-03"), d("2024-01-06"))), Some((d("2024-01-04"), d("2024-01-07"))));
        assert_eq!(date_rule(a, b, true, false), Some("overlaps"));
        assert_eq!(date_rule(a, b, false, false), None, "two real date ranges must nest");
        let c = Some((d("2024-01-07"), d("2024-01-10")));
        assert_eq!(date_rule(a, c, true, false), None, "no day in common");
        // Two consecutive ISO weeks never share a day.
        assert_eq!(date_rule(date_range("2024-W01"), date_range("2024-W02"), true, false), None);
    }

    #[test]
    fn places_inside_and_near() {
        let base = loc("al-Harir Air Base", "site", Some("Erbil"), Some((36.55, 44.35)));
        let erbil_town = loc("Erbil", "town", Some("Erbil"), Some((36.19, 44.01)));
        let prov = loc("Erbil", "admin1", Some("Erbil"), None);
        let iraq = loc("Iraq", "country", None, None);
        let baghdad = loc("Baghdad", "town", Some("Baghdad"), Some((33.34, 44.40)));
        let kadhimiya = loc("Kadhimiya", "town", Some("Baghdad"), Some((33.38, 44.34)));
        assert_eq!(place_rule(Some(&base), Some(&prov), false, 25.0), Some("inside"));
        assert_eq!(place_rule(Some(&base), Some(&erbil_town), false, 25.0), Some("inside"));
        assert_eq!(place_rule(Some(&iraq), Some(&baghdad), false, 25.0), Some("inside"));
        assert_eq!(place_rule(Some(&base), Some(&baghdad), true, 25.0), None);
        assert_eq!(place_rule(Some(&kadhimiya), Some(&baghdad), false, 25.0), Some("inside"));
        let mosul = loc("Mosul", "town", Some("Nineveh"), Some((36.34, 43.13)));
        let qayyarah = loc("Qayyarah", "town", Some("Nineveh"), Some((35.85, 43.21)));
        assert_eq!(place_rule(Some(&mosul), Some(&qayyarah), false, 25.0), None, "two towns 55 km apart");
        assert_eq!(place_rule(None, Some(&mosul), true, 25.0), Some("story"));
        assert_eq!(place_rule(None, Some(&mosul), false, 25.0), None);
    }

    #[test]
    fn may_join_rejects_only_what_judge_rejects() {
        let mut syria = loc("Idlib", "town", Some("Idlib"), Some((35.93, 36.63)));
        syria.country = Some("SY".into());
        let places = [
            None,
            Some(loc("Erbil", "town", Some("Erbil"), Some((36.19, 44.01)))),
            Some(loc("Iraq", "country", None, None)),
            Some(syria),
        ];
        let d = |s: &str| date_range(s);
        let dates = [None, d("2024-01-04"), d("2024-01-05"), d("2024-01"), d("2024-02")];
        let types = [("Armed clash", false), ("Attack", true), ("Air/drone strike", false)];
        fn side<'a>(
            t: (&'a str, bool),
            date: Option<(i32, i32)>,
            window: bool,
            place: &'a Option<Location>,
        ) -> Side<'a> {
            Side { sub_event_type: t.0, generic: t.1, date, date_window: window, location: place.as_ref(), actors: &[] }
        }
        let (mut kept, mut skipped) = (0, 0);
        for ta in types {
            for tb in types {
                for da in dates {
                    for db in dates {
                        for (pa, pb) in places.iter().flat_map(|a| places.iter().map(move |b| (a, b))) {
                            for window in [false, true] {
                                let (a, b) = (side(ta, da, window, pa), side(tb, db, false, pb));
                                let judged = [false, true].map(|st| judge(&a, &b, st, 25.0).is_some());
                                if may_join(&Brief::of(&a), &Brief::of(&b)) {
                                    kept += 1;
                                } else {
                                    skipped += 1;
                                    assert_eq!(judged, [false, false], "{ta:?} {tb:?} {da:?} {db:?} {pa:?} {pb:?}");
                                }
                            }
                        }
                    }
                }
            }
        }
        assert!(kept > 0 && skipped > kept, "{kept} kept, {skipped} skipped");
    }

    #[test]
    fn a_why_is_written_as_its_words_and_reads_back() {
        let w = Why::new("generic", "near", "overlaps", "shared");
        let text = serde_json::to_string(&w).unwrap();
        assert_eq!(text, r#"{"type":"generic","place":"near","date":"overlaps","actors":"shared"}"#);
        assert_eq!(serde_json::from_str::<Why>(&text).unwrap(), w);
        let newer: Why =
            serde_json::from_str(r#"{"type":"same","place":"orbit","date":"same","actors":"compatible"}"#).unwrap();
        assert_eq!((newer.kind(), newer.place(), newer.actors()), ("same", "?", "compatible"));
        assert_eq!(std::mem::size_of::<Option<Why>>(), 5);
    }

    #[test]
    fn conflicting_perpetrators_do_not_merge() {
        let a = |n: &str, r: &str| Actor { name: Some(n.into()), text: None, role: r.into(), kind: "x".into() };
        assert_eq!(actor_rule(&[a("ISIS", "actor1")], &[a("Army", "actor1")]), None);
        assert_eq!(actor_rule(&[a("ISIS", "actor1")], &[a("ISIS", "claimant")]), Some("shared"));
        assert_eq!(actor_rule(&[a("ISIS", "actor1")], &[a("Army", "actor2")]), Some("compatible"));
        assert_eq!(actor_rule(&[], &[]), Some("compatible"));
    }
}
