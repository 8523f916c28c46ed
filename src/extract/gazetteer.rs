//! Gazetteer and toponym resolver: finds place names in article text and picks the place each one means.
//!
//! Pure logic: no I/O. The caller reads `config/gazetteer.tsv` and hands its text to
//! [`Gazetteer::from_tsv`]. The file is produced by `eval/geo/build_gazetteer.py` from GeoNames
//! data (CC BY 4.0, see `config/GAZETTEER-ATTRIBUTION.md`) plus the hand-curated
//! `config/gazetteer_sites.tsv` (air bases, border crossings, camps, seas...).
//!
//! Core types:
//! * [`Gazetteer`] — the places ([`Place`]) and a hash index over every name variant and its word prefixes.
//! * [`Toponym`] — a span of text that names one or more candidate places ([`Gazetteer::find`]).
//! * [`Resolved`] — the place chosen for a toponym, with coordinates, precision and a score in
//!   `[0, 1]` ([`Gazetteer::resolve`]).
//!
//! Matching works on a *folded* copy of the text (ASCII lower case, Latin diacritics removed,
//! hyphens and runs of spaces turned into one space, apostrophes dropped, Arabic article forms
//! `al-`/`ash-`/`ar-`/`el-`… turned into `al `), with a byte map back to the original, so
//! "al-Harir", "Al Harir" and "Ḩarir" all hit the same name and the spans returned point into the
//! original text. All offsets are **byte** offsets into the text given, always on `char` boundaries.
//! Matches must sit on word boundaries ("Iraq" is not found in "Iraqis", "Basra" not in "Basrawi"),
//! must be capitalised as a name in the text, and abbreviations ("US", "UK", "DRC") must match case.
//!
//! Resolution scores every candidate with a prior (kind of place, population, capital, whether the
//! name is the place's main name) plus evidence from the rest of the document: other toponyms'
//! countries and first-level admin areas, places within 100 km, "Town, State" qualifiers and the
//! caller's country hint. Names that are also ordinary English words ("Reading", "Mobile") need such
//! evidence or a locative preposition ("in", "near") to count at all. Nationality adjectives
//! ("Iraqi") resolve to their country with `demonym: true` and a low score: they say whose forces, not
//! where something happened.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use serde::Serialize;

/// Why a gazetteer text could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum GazetteerError {
    /// The text has no header line naming the columns.
    #[error("gazetteer has no header line")]
    MissingHeader,
    /// The header lacks a column this module needs.
    #[error("gazetteer header lacks the column `{0}`")]
    MissingColumn(&'static str),
    /// A data line is malformed.
    #[error("gazetteer line {line}: {reason}")]
    BadRow {
        /// 1-based line number in the text.
        line: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// The text has a header but no places.
    #[error("gazetteer has no places")]
    Empty,
    /// The name index could not be built (too many or too long names).
    #[error("cannot build the name matcher: {0}")]
    Matcher(String),
}

/// What a place is. The same scale, from fine to coarse, is used for [`Precision`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PlaceKind {
    /// A military base, air base, border crossing, camp, airport, facility or neighbourhood.
    Site,
    /// A populated place.
    Town,
    /// A second-level administrative area (district).
    Admin2,
    /// A first-level administrative area (governorate, province, state).
    Admin1,
    /// A country.
    Country,
    /// A continent, sea or wider region (Darfur, Donbas, the Red Sea).
    Region,
}

/// How precise a place's coordinates are: a site's own point, a town's, an admin area's centre...
/// Curated sites whose exact location is not certain carry their nearest town's point and `Town`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// The point is the site itself (to within a few km).
    Site,
    /// The point is a town's.
    Town,
    /// The point is the centre of a district.
    Admin2,
    /// The point is the centre of a first-level admin area.
    Admin1,
    /// The point is a country's reference point.
    Country,
    /// The point is the rough centre of a wide region or sea.
    Region,
}

impl PlaceKind {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "site" => Self::Site,
            "town" => Self::Town,
            "admin2" => Self::Admin2,
            "admin1" => Self::Admin1,
            "country" => Self::Country,
            "region" => Self::Region,
            _ => return None,
        })
    }
}

impl Precision {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "site" => Self::Site,
            "town" => Self::Town,
            "admin2" => Self::Admin2,
            "admin1" => Self::Admin1,
            "country" => Self::Country,
            "region" => Self::Region,
            _ => return None,
        })
    }
}

/// One place of the gazetteer.
#[derive(Clone, Debug, Serialize)]
pub struct Place {
    /// GeoNames id; `None` for curated sites.
    pub geonameid: Option<u64>,
    /// Canonical (English where known) name.
    pub name: String,
    /// What the place is.
    pub kind: PlaceKind,
    /// How precise `lat`/`lon` are.
    pub precision: Precision,
    /// GeoNames-style feature code (`PCLI`, `ADM1`, `PPLC`, `PPL`...) or the curated site type.
    pub feature: String,
    /// ISO 3166-1 alpha-2 code; empty for seas and continents.
    pub country: String,
    /// First-level admin area name; empty for countries and regions.
    pub admin1: String,
    /// Latitude, WGS84 degrees.
    pub lat: f64,
    /// Longitude, WGS84 degrees.
    pub lon: f64,
    /// Population (0 when unknown or not a populated place).
    pub population: u64,
}

/// A span of text naming one or more candidate places, as found by [`Gazetteer::find`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Toponym {
    /// Byte offset of the first byte of the name in the text.
    pub start: usize,
    /// Byte offset just past the name.
    pub end: usize,
    /// The name as written.
    pub text: String,
    /// Indices of the candidate places ([`Gazetteer::place`]), in gazetteer order.
    pub candidates: Vec<u32>,
    /// Per-candidate facts about the name that matched (main name, weak word, demonym...).
    #[serde(skip)]
    flags: Vec<u8>,
}

/// The place chosen for a toponym by [`Gazetteer::resolve`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Resolved {
    /// Byte offset of the name in the text.
    pub start: usize,
    /// Byte offset just past the name.
    pub end: usize,
    /// The name as written.
    pub text: String,
    /// Canonical name of the place.
    pub name: String,
    /// ISO 3166-1 alpha-2 code (empty for seas and continents).
    pub country: String,
    /// First-level admin area (empty for countries and regions).
    pub admin1: String,
    /// Latitude of the place's point.
    pub lat: f64,
    /// Longitude of the place's point.
    pub lon: f64,
    /// How precise the point is.
    pub precision: Precision,
    /// What the place is.
    pub kind: PlaceKind,
    /// GeoNames id, `None` for curated sites.
    pub geonameid: Option<u64>,
    /// Confidence in `[0, 1]`: how clearly this candidate beat the others and how sure we are the
    /// span is a place at all. Demonyms score at most 0.3.
    pub score: f64,
    /// True when the text is a nationality adjective ("Iraqi") mapped to its country.
    pub demonym: bool,
    /// True when the name is followed by another capitalised word and so is probably part of a
    /// longer proper name ("Badr Organization", "Kurdistan Workers' Party", "Washington Post"):
    /// mentioned, but not where something happened.
    pub embedded: bool,
    /// Index of the place ([`Gazetteer::place`]).
    pub place: u32,
}

/// Sizes of a loaded gazetteer, for logs and the evaluation report.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct GazetteerStats {
    /// Places loaded.
    pub places: usize,
    /// Distinct folded names in the index (variants included).
    pub names: usize,
    /// Heap bytes held by the name index.
    pub matcher_bytes: usize,
}

// Facts about one (name, place) pair, kept per name.
const PRIMARY: u8 = 1; // the place's canonical name
const WEAK: u8 = 2; // also an ordinary English word: needs context
const DEMONYM: u8 = 4; // nationality adjective, maps to the country
const STRIPPED: u8 = 8; // article removed ("Ar Ramadi" -> "Ramadi"): a little less sure
const ABBREV: u8 = 16; // all-caps abbreviation: the text must match case exactly
const SUFFIXED: u8 = 32; // "X province", "X governorate": explicitly the admin area

#[derive(Clone, Copy, Debug)]
struct Cand {
    place: u32,
    flags: u8,
}

/// The gazetteer: places plus a matcher over all their names. Cheap to share (`&self` methods only).
pub struct Gazetteer {
    places: Vec<Place>,
    // Candidates per name (pattern) id.
    entries: Vec<Vec<Cand>>,
    // Exact spellings of abbreviation patterns ("US", "U.S."), by pattern id.
    exact: HashMap<u32, Vec<Box<str>>>,
    matcher: NameIndex,
    // Folded first words of names written with a lower-case initial ("occupied West Bank"), and a
    // quick filter over them: bit `len` of `lower_first_len[first byte]`. Words of up to 15 bytes
    // are packed into integers ([`pack_word`]): common words like "the" pass the filter, and
    // comparing integers costs less than a `memcmp` per step of a binary search.
    lower_first: Vec<u128>,
    lower_first_long: Vec<Vec<u8>>,
    lower_first_len: [u32; 256],
    // Per place: a number for its country code and one for its (country, admin1) pair, so that
    // resolution tallies compare integers rather than strings. `country_ids` numbers the codes.
    area_ids: Vec<(u32, u32)>,
    country_ids: HashMap<String, u32>,
}

impl std::fmt::Debug for Gazetteer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gazetteer").field("stats", &self.stats()).finish()
    }
}

// Columns the loader needs; others (feature, weak_names, demonyms, source...) are optional.
const REQUIRED: [&str; 10] =
    ["geonameid", "name", "kind", "precision", "country", "admin1", "lat", "lon", "population", "alt_names"];

// Countries whose place names carry the Arabic article: there "Ar Ramadi" is also plain "Ramadi".
const ARTICLE_COUNTRIES: [&str; 24] = [
    "IQ", "SY", "YE", "SA", "JO", "LB", "PS", "IL", "EG", "LY", "TN", "DZ", "MA", "SD", "SO", "TD", "MR", "KW", "QA",
    "BH", "AE", "OM", "EH", "DJ",
];

// Words after a name that make it explicitly the admin area ("Idlib province" is not Idlib city).
// Checked at match time rather than stored as patterns: that keeps the index small.
const ADMIN1_SUFFIXES: [&[u8]; 6] = [b" province", b" governorate", b" region", b" state", b" oblast", b" prefecture"];
const ADMIN2_SUFFIXES: [&[u8]; 2] = [b" district", b" county"];

// Capitalised words that are place names somewhere but almost never mean a place in news text,
// even after "in". Names that are also ordinary English words but do name real places ("Reading",
// "Mobile", "Nice", "Bath") are not here: the data lists them in `weak_names` and they need context.
#[rustfmt::skip]
const STOP_WORDS: &[&str] = &[
    "Academy", "Agence", "Allah", "April", "Arab", "Arabs", "Army", "Associated", "August", "Best", "Bill", "Capital",
    "Center", "Central", "Centre", "Chase", "Christ", "Christian", "Christians", "Christmas", "Church", "Coast",
    "College", "Commerce", "Congress", "December", "East", "Easter", "Eastern", "Eid", "Enterprise", "Express",
    "February", "Federal", "Freedom", "Friday", "God", "Grant", "Guardian", "Gulf", "Hamas", "Hospital", "Houthi",
    "Houthis", "Human", "Image", "Independence", "Industry", "Institute", "Internet", "Islam", "January", "Jew",
    "Jews", "July", "June", "Justice", "Kurd", "Kurds", "Liberty", "March", "Marine", "Marines", "Mark", "May",
    "Media", "Mirror", "Mission", "Monday", "Mosque", "Muslim", "Muslims", "National", "Navy", "North", "Northeast",
    "Northern", "Northwest", "November", "October", "Of", "Opportunity", "Page", "Parliament", "Photo", "Police",
    "Post", "Press", "Progress", "Ramadan", "Republic", "Reuters", "Said", "Saturday", "School", "Senate", "September",
    "Shia", "Shiite", "South", "Southeast", "Southern", "Southwest", "Star", "Sun", "Sunday", "Sunni", "Taliban",
    "Thursday", "Times", "Tuesday", "Union", "Unity", "University", "Victory", "Video", "Wednesday", "West", "Western",
    "White House", "Will",
];

// Words before a name that make it a person's name ("President Lincoln", "Gen. Jackson").
#[rustfmt::skip]
const TITLES: &[&str] = &[
    "Adm", "Admiral", "Agent", "Ambassador", "Ayatollah", "Bishop", "Brig", "Capt", "Captain", "Cardinal",
    "Chancellor", "Chief", "Coach", "Col", "Colonel", "Commander", "Cpl", "Dame", "Detective", "Dir", "Dr", "Emir",
    "Father", "Gen", "General", "Gov", "Governor", "Imam", "Judge", "Justice", "King", "Lady", "Lieutenant", "Lord",
    "Lt", "Maj", "Major", "Mayor", "Minister", "Miss", "Mr", "Mrs", "Ms", "Mullah", "Officer", "Pope", "Premier",
    "President", "Prince", "Princess", "Prof", "Professor", "Pvt", "Queen", "Rabbi", "Rep", "Rev", "Secretary", "Sen",
    "Senator", "Sergeant", "Sgt", "Shaikh", "Sheik", "Sheikh", "Sir", "Spokesman", "Spokesperson", "Spokeswoman",
    "Sultan", "Vice",
];

// Given names: "Michael Jordan", "Lewis Hamilton", "Andrew Jackson" are people. Also used to spot
// "Jordan Peterson"-like names when a given name that is also a place is followed by a surname.
#[rustfmt::skip]
const FIRST_NAMES: &[&str] = &[
    "Aaron", "Abdul", "Abdullah", "Adam", "Adrian", "Ahmad", "Ahmed", "Alan", "Albert", "Alex", "Alexander", "Ali",
    "Alice", "Amanda", "Amy", "Andrew", "Angela", "Ann", "Anna", "Anne", "Anthony", "Antonio", "Ashley", "Barbara",
    "Barry", "Ben", "Benjamin", "Bernie", "Betty", "Bill", "Bob", "Boris", "Brad", "Brandon", "Brian", "Bruce", "Carl",
    "Carlos", "Carol", "Catherine", "Charles", "Charlie", "Chris", "Christian", "Christopher", "Claire", "Craig",
    "Dan", "Daniel", "Dave", "David", "Dean", "Deborah", "Dennis", "Derek", "Dmitry", "Donald", "Donna", "Doug",
    "Douglas", "Ed", "Edward", "Elizabeth", "Emily", "Emma", "Emmanuel", "Eric", "Frank", "Fred", "Gary", "Gavin",
    "George", "Glen", "Gordon", "Graham", "Greg", "Hamid", "Hamza", "Harvey", "Hassan", "Helen", "Henry", "Hillary",
    "Howard", "Hussein", "Ian", "Ibrahim", "Jack", "Jacob", "Jamal", "James", "Jane", "Janet", "Jason", "Jeff",
    "Jeffrey", "Jennifer", "Jeremy", "Jerome", "Jerry", "Jessica", "Jim", "Jimmy", "Joe", "John", "Johnny", "Jon",
    "Jonathan", "Joseph", "Joshua", "Juan", "Julia", "Julie", "Justin", "Karen", "Karim", "Kate", "Kathleen", "Keith",
    "Kelly", "Kenneth", "Kevin", "Khaled", "Khalid", "Kim", "Larry", "Laura", "Leo", "Leon", "Lewis", "Linda", "Lisa",
    "Louis", "Mahmoud", "Majid", "Marcus", "Margaret", "Maria", "Marie", "Mark", "Martin", "Mary", "Matt", "Matthew",
    "Melissa", "Michael", "Michelle", "Mike", "Mohamed", "Mohammad", "Mohammed", "Muhammad", "Mustafa", "Nancy",
    "Nasser", "Neil", "Nelson", "Nicholas", "Nick", "Nicola", "Nigel", "Olena", "Oliver", "Omar", "Oscar", "Owen",
    "Pamela", "Patricia", "Patrick", "Paul", "Peter", "Phil", "Philip", "Rachel", "Ralph", "Rashid", "Ray", "Raymond",
    "Rebecca", "Richard", "Rick", "Rob", "Robert", "Roger", "Ron", "Ronald", "Ross", "Roy", "Russell", "Ruth", "Ryan",
    "Saddam", "Saeed", "Salah", "Sam", "Samuel", "Sandra", "Sarah", "Scott", "Sean", "Sergei", "Sergey", "Shane",
    "Sharon", "Simon", "Stanley", "Stephanie", "Stephen", "Steve", "Steven", "Stuart", "Susan", "Tariq", "Terry",
    "Thomas", "Tim", "Timothy", "Todd", "Tom", "Tony", "Trevor", "Troy", "Victor", "Vincent", "Vladimir", "Volodymyr",
    "Walid", "Walter", "Wayne", "Wesley", "William", "Xi", "Yasser", "Yousef", "Yusuf", "Zachary", "Ziad",
];

// Words after a given name that keep it a place ("Jordan Valley", "Victoria Street").
#[rustfmt::skip]
const PLACE_WORDS: &[&str] = &[
    "Airport", "Avenue", "Base", "Bay", "Border", "Bridge", "Camp", "City", "County", "Crossing", "District",
    "Governorate", "Harbor", "Harbour", "Island", "Islands", "Lake", "Mountain", "Mountains", "Park", "Province",
    "Region", "River", "Road", "Square", "State", "Station", "Street", "Valley",
];

// Words before a name that make it a place even when it is also an English word ("in Reading").
#[rustfmt::skip]
const LOCATIVES: &[&str] = &[
    "At", "From", "In", "Near", "Outside", "across", "around", "at", "between", "from", "in", "inside", "into", "near",
    "of", "outside", "over", "through", "to", "toward", "towards", "via",
];

// The word lists as sets of packed words ([`pack_word`]): membership is a binary search over
// integers, without a string comparison (`memcmp`) per step; these run for every toponym.
// Every listed word is shorter than 16 bytes (a test checks), so a longer word is in no list.
struct WordSet(Vec<u128>);

impl WordSet {
    fn new(list: &[&str]) -> WordSet {
        let mut v: Vec<u128> = list.iter().filter_map(|w| pack_word(w.as_bytes())).collect();
        v.sort_unstable();
        WordSet(v)
    }

    fn contains(&self, w: &str) -> bool {
        pack_word(w.as_bytes()).is_some_and(|p| self.0.binary_search(&p).is_ok())
    }
}

static STOP_SET: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(STOP_WORDS));
static TITLE_SET: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(TITLES));
static FIRST_NAME_SET: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(FIRST_NAMES));
static NOT_GIVEN_SET: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(NOT_GIVEN_NAMES));
static PLACE_SET: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(PLACE_WORDS));
static LOCATIVE_SET: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(LOCATIVES));

// Arabic article forms as written in transliterated names ("al-", "ash-", "ar-", "el-", "ez-"...).
fn is_article(w: &[u8]) -> bool {
    matches!(
        w,
        b"al"
            | b"el"
            | b"ar"
            | b"as"
            | b"ash"
            | b"at"
            | b"ath"
            | b"ad"
            | b"adh"
            | b"an"
            | b"az"
            | b"ed"
            | b"es"
            | b"er"
            | b"et"
            | b"ez"
            | b"en"
    )
}

impl Gazetteer {
    /// Parses the gazetteer TSV (`config/gazetteer.tsv`) and builds the matcher.
    ///
    /// Lines starting with `#` and blank lines are skipped; the first other line is the header.
    /// Required columns: `geonameid name kind precision country admin1 lat lon population alt_names`;
    /// optional: `feature weak_names demonyms` (others are ignored). Multi-valued cells use `|`.
    pub fn from_tsv(text: &str) -> Result<Gazetteer, GazetteerError> {
        let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'));
        let (_, header) = lines.next().ok_or(GazetteerError::MissingHeader)?;
        let cols: Vec<&str> = header.split('\t').map(str::trim).collect();
        let col = |name: &'static str| cols.iter().position(|c| *c == name);
        let mut idx = [0usize; REQUIRED.len()];
        for (i, name) in REQUIRED.iter().enumerate() {
            idx[i] = col(name).ok_or(GazetteerError::MissingColumn(name))?;
        }
        let [c_id, c_name, c_kind, c_prec, c_cc, c_a1, c_lat, c_lon, c_pop, c_alt] = idx;
        let (c_feat, c_weak, c_dem) = (col("feature"), col("weak_names"), col("demonyms"));

        let mut b = NamesBuilder::default();
        let mut places = Vec::new();
        for (n, line) in lines {
            let line_no = n + 1;
            let bad = |reason: String| GazetteerError::BadRow { line: line_no, reason };
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() < cols.len() {
                return Err(bad(format!("{} columns, header has {}", f.len(), cols.len())));
            }
            let get = |i: Option<usize>| i.map_or("", |i| f[i].trim());
            let name = f[c_name].trim();
            if name.is_empty() {
                return Err(bad("empty name".into()));
            }
            let kind = PlaceKind::parse(f[c_kind].trim()).ok_or_else(|| bad(format!("bad kind {:?}", f[c_kind])))?;
            let precision =
                Precision::parse(f[c_prec].trim()).ok_or_else(|| bad(format!("bad precision {:?}", f[c_prec])))?;
            let num = |i: usize, what: &str| -> Result<f64, GazetteerError> {
                f[i].trim().parse::<f64>().map_err(|_| bad(format!("bad {what} {:?}", f[i])))
            };
            let (lat, lon) = (num(c_lat, "lat")?, num(c_lon, "lon")?);
            if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
                return Err(bad(format!("coordinates out of range: {lat}, {lon}")));
            }
            let geonameid = match f[c_id].trim() {
                "" | "0" => None,
                s => Some(s.parse::<u64>().map_err(|_| bad(format!("bad geonameid {s:?}")))?),
            };
            let population = match f[c_pop].trim() {
                "" => 0,
                s => s.parse::<u64>().map_err(|_| bad(format!("bad population {s:?}")))?,
            };
            let place = Place {
                geonameid,
                name: name.to_string(),
                kind,
                precision,
                feature: get(c_feat).to_string(),
                country: f[c_cc].trim().to_string(),
                admin1: f[c_a1].trim().to_string(),
                lat,
                lon,
                population,
            };
            let id = u32::try_from(places.len()).map_err(|_| bad("too many places".into()))?;
            let weak: Vec<Vec<u8>> = split_multi(get(c_weak)).map(fold_name).collect();
            b.add_place(id, &place, split_multi(f[c_alt].trim()), &weak, split_multi(get(c_dem)));
            places.push(place);
        }
        if places.is_empty() {
            return Err(GazetteerError::Empty);
        }
        let mut matcher = b.names;
        matcher.add_prefixes().map_err(GazetteerError::Matcher)?;
        // Sorted: `find` looks words up by binary search.
        let mut lower_first: Vec<Vec<u8>> = b.lower_first.into_iter().collect();
        lower_first.sort_unstable();
        lower_first.dedup();
        let mut lower_first_len = [0u32; 256];
        for w in lower_first.iter().filter(|w| !w.is_empty() && w.len() < 32) {
            lower_first_len[w[0] as usize] |= 1 << w.len();
        }
        let lower_first_long: Vec<Vec<u8>> = lower_first.iter().filter(|w| pack_word(w).is_none()).cloned().collect();
        let mut lower_first: Vec<u128> = lower_first.iter().filter_map(|w| pack_word(w)).collect();
        lower_first.sort_unstable();
        let mut country_ids: HashMap<String, u32> = HashMap::new();
        let mut admin1_ids: HashMap<(&str, &str), u32> = HashMap::new();
        let mut area_ids = Vec::with_capacity(places.len());
        for p in &places {
            let n = country_ids.len() as u32;
            let c = *country_ids.entry(p.country.clone()).or_insert(n);
            let n = admin1_ids.len() as u32;
            let a = *admin1_ids.entry((p.country.as_str(), p.admin1.as_str())).or_insert(n);
            area_ids.push((c, a));
        }
        Ok(Gazetteer {
            places,
            entries: b.entries,
            exact: b.exact,
            matcher,
            lower_first,
            lower_first_long,
            lower_first_len,
            area_ids,
            country_ids,
        })
    }

    /// The place with this index (from [`Toponym::candidates`] or [`Resolved::place`]).
    pub fn place(&self, idx: u32) -> &Place {
        &self.places[idx as usize]
    }

    /// All places, in file order.
    pub fn places(&self) -> &[Place] {
        &self.places
    }

    /// Counts for logs and reports.
    pub fn stats(&self) -> GazetteerStats {
        GazetteerStats {
            places: self.places.len(),
            names: self.entries.len(),
            matcher_bytes: self.matcher.memory_usage(),
        }
    }

    // `w` is the first word of a name written with a lower-case initial.
    fn is_lower_first(&self, w: &[u8]) -> bool {
        match pack_word(w) {
            Some(p) => self.lower_first.binary_search(&p).is_ok(),
            None => self.lower_first_long.binary_search_by(|f| f.as_slice().cmp(w)).is_ok(),
        }
    }

    /// Finds every toponym in `text`: leftmost-longest, non-overlapping, word-boundary-checked
    /// matches of any name variant that are written as names (capitalised, abbreviations in the
    /// right case) and not part of a person's name ("Michael Jordan", "President Lincoln").
    pub fn find(&self, text: &str) -> Vec<Toponym> {
        let (bytes, map) = FOLD_SCRATCH.with(|s| std::mem::take(&mut *s.borrow_mut()));
        let folded = Folded::with_buffers(text, bytes, map);
        let out = self.find_in(text, &folded);
        // Keep the buffers for the next article unless an unusually long text made them big.
        if folded.bytes.capacity() <= 1 << 22 {
            FOLD_SCRATCH.with(|s| *s.borrow_mut() = (folded.bytes, folded.map));
        }
        out
    }

    fn find_in(&self, text: &str, folded: &Folded) -> Vec<Toponym> {
        let hay = folded.bytes.as_slice();
        let mut out: Vec<Toponym> = Vec::with_capacity(32);
        // Folded offset just past the last accepted toponym: matches never overlap.
        let mut taken = 0;
        let mut ends = Vec::new();
        // Word by word: `i` is always at a word start or a non-word byte.
        let mut i = 0;
        while i < hay.len() {
            if !is_word(hay[i]) {
                i += 1;
                continue;
            }
            let word_end = hay[i..].iter().position(|&b| !is_word(b)).map_or(hay.len(), |n| i + n);
            if i < taken {
                i = word_end;
                continue;
            }
            // Names are written with a capital, so a lower-case word can only start one when it is
            // an article ("al-Anbar") or the first word of a name written that way ("occupied West
            // Bank"). This skips most words of running text before touching the index.
            let first = text.as_bytes()[folded.orig(i)];
            let lower = if first < 0x80 {
                first.is_ascii_lowercase()
            } else {
                text[folded.orig(i)..].starts_with(|c: char| c.is_lowercase())
            };
            if lower {
                let w = &hay[i..word_end];
                let maybe = w.len() < 32 && self.lower_first_len[w[0] as usize] & (1 << w.len()) != 0;
                if w != b"al" && !(maybe && self.is_lower_first(w)) {
                    i = word_end;
                    continue;
                }
            }
            // Longest name starting at this word that ends on a word boundary and is written as a
            // name; if the longest one fails, try the next shorter one ("New Yorkers" -> "New").
            self.matcher.names_at(hay, i, &mut ends);
            let floor = out.last().map_or(0, |t| t.end);
            for &(fe, pid) in ends.iter().rev() {
                if let Some((t, end)) = self.toponym_at(text, folded, i, fe, pid, floor) {
                    taken = end;
                    out.push(t);
                    break;
                }
            }
            i = word_end;
        }
        // People: a title or given name before, or a given name followed by a surname. Once a name
        // is seen as a person's, later bare mentions of it are that person too ("... Jackson said").
        let mut people: Vec<String> = Vec::new();
        let mut keep = vec![true; out.len()];
        for (i, t) in out.iter().enumerate() {
            let prev_is_place = i > 0 && out[i - 1].end + 1 == t.start;
            // Only smallish towns can be surnames here: nobody is called "London" often enough.
            let only_towns = t.candidates.iter().all(|&c| {
                let p = &self.places[c as usize];
                matches!(p.kind, PlaceKind::Town | PlaceKind::Admin2) && p.population < 200_000 && p.feature != "PPLC"
            });
            // "Muqtada al-Sadr", "Hadi al-Amiri": an article-prefixed name right after a given name
            // is an Arabic surname whatever the size of the namesake place (Sadr City).
            let arabic_surname =
                t.text.get(..3).is_some_and(|a| a.eq_ignore_ascii_case("al-") || a.eq_ignore_ascii_case("el-"));
            let town_like = t.candidates.iter().all(|&c| self.places[c as usize].kind != PlaceKind::Country);
            let surname = (only_towns || (arabic_surname && town_like)) && !prev_is_place && surname_context(text, t);
            if person_context(text, t) || surname {
                keep[i] = false;
                people.push(t.text.clone());
            }
        }
        let mut k = keep.into_iter();
        out.retain(|_| k.next().unwrap_or(true));
        if !people.is_empty() {
            out.retain(|t| !people.contains(&t.text));
        }
        out
    }

    // The toponym for a name match at folded `fs..fe`, with its candidates filtered by how the
    // text writes it, and the folded offset where it ends. `floor`: original offset the span may
    // not start before (the end of the previous toponym).
    fn toponym_at(
        &self,
        text: &str,
        folded: &Folded,
        fs: usize,
        fe: usize,
        pid: u32,
        floor: usize,
    ) -> Option<(Toponym, usize)> {
        let hay = folded.bytes.as_slice();
        let (mut start, mut end) = (folded.orig(fs), folded.orig(fe));
        // Take a written article into the span: "al-Harir" rather than "Harir".
        if fs >= 3 && &hay[fs - 3..fs] == b"al " && (fs == 3 || !is_word(hay[fs - 4])) {
            let s = folded.orig(fs - 3);
            let art = text[s..start].to_ascii_lowercase();
            if s >= floor && (art.starts_with("al") || art.starts_with("el")) {
                start = s;
            }
        }
        let entry = &self.entries[pid as usize];
        // "Idlib province", "Plateau State", "Sinjar district": take the suffix into the span and
        // mark the admin candidates as explicitly meant.
        let rest = &hay[fe..];
        let suffix = |list: &[&'static [u8]], kind: PlaceKind| -> Option<usize> {
            let s = list.iter().find(|s| rest.starts_with(s) && rest.get(s.len()).is_none_or(|&b| !is_word(b)))?;
            entry.iter().any(|c| self.places[c.place as usize].kind == kind).then_some(s.len())
        };
        let mut fend = fe;
        let mut explicit = None;
        if let Some(n) = suffix(&ADMIN1_SUFFIXES, PlaceKind::Admin1) {
            (fend, explicit) = (fe + n, Some(PlaceKind::Admin1));
        } else if let Some(n) = suffix(&ADMIN2_SUFFIXES, PlaceKind::Admin2) {
            (fend, explicit) = (fe + n, Some(PlaceKind::Admin2));
        }
        if explicit.is_some() {
            end = folded.orig(fend);
        }
        let span = &text[start..end];
        let letters = span.chars().filter(|c| c.is_alphabetic()).count();
        let shouting = (2..=4).contains(&letters) && !span.chars().any(char::is_lowercase);
        let as_name = capitalised(span);
        let stop = STOP_SET.contains(span);
        // A short all-capitals word is an acronym ("WA", "NGO", "OAS") unless the name is one too
        // ("US", "DRC") or the words around are in capitals (a headline or dateline).
        let acronym = shouting && !caps_context(text, start, end);
        let exact = || self.exact.get(&pid).is_some_and(|v| v.iter().any(|e| **e == *span));
        // "Latin American", "African American": a nationality word after a capitalised word is
        // part of another name.
        let compound = entry.iter().any(|c| c.flags & DEMONYM != 0)
            && text[..start].strip_suffix(' ').is_some_and(|b| {
                let w = last_word(b);
                w.starts_with(|c: char| c.is_uppercase()) && !NOT_GIVEN_SET.contains(w) && !title_case_line(text, start)
            });
        let mut candidates = Vec::with_capacity(entry.len());
        let mut flags = Vec::with_capacity(entry.len());
        for c in entry {
            let place = &self.places[c.place as usize];
            let ok = if c.flags & ABBREV != 0 { exact() } else { as_name && !acronym };
            if !ok || (stop && place.kind != PlaceKind::Country) || (compound && c.flags & DEMONYM != 0) {
                continue;
            }
            candidates.push(c.place);
            flags.push(if explicit == Some(place.kind) { (c.flags | SUFFIXED) & !WEAK } else { c.flags });
        }
        if candidates.is_empty() {
            return None;
        }
        Some((Toponym { start, end, text: span.to_string(), candidates, flags }, fend))
    }

    /// Picks a place for each toponym, using the whole document as context. `country_hint` (ISO
    /// alpha-2) favours places in that country, e.g. the outlet's country or the article's dateline.
    /// Toponyms judged not to be places (a weak word with no context) are left out.
    pub fn resolve(&self, mentions: &[Toponym], text: &str, country_hint: Option<&str>) -> Vec<Resolved> {
        self.resolve_where(mentions, text, country_hint, |_| true)
    }

    /// [`resolve`](Self::resolve), keeping only the results `keep` accepts. `keep` sees each
    /// result before its strings are filled in (`text`, `name`, `country` and `admin1` are
    /// empty then): copying them for places the caller drops cost more than choosing them.
    pub fn resolve_where(
        &self,
        mentions: &[Toponym],
        text: &str,
        country_hint: Option<&str>,
        keep: impl Fn(&Resolved) -> bool,
    ) -> Vec<Resolved> {
        let n = mentions.len();
        // Per-mention, per-candidate prior; fixed across iterations.
        let priors: Vec<Vec<f64>> = mentions.iter().map(|m| self.mention_priors(m)).collect();
        let facts: Vec<MentionFacts> = (0..n).map(|i| mention_facts(text, mentions, i)).collect();
        let groups = text_groups(mentions);
        let hint = country_hint.map(str::to_ascii_uppercase);
        let mut top: Vec<usize> = priors.iter().map(|p| argmax(p)).collect();
        let mut scores: Vec<Vec<f64>> = priors.clone();
        for _ in 0..3 {
            let ctx = self.context(mentions, &top, hint.as_deref(), &groups);
            for i in 0..n {
                for (k, &p) in mentions[i].candidates.iter().enumerate() {
                    scores[i][k] = priors[i][k] + self.evidence(mentions, &ctx, &facts, &groups, i, p).bonus;
                }
            }
            let next: Vec<usize> = scores.iter().map(|s| argmax(s)).collect();
            if next == top {
                break;
            }
            top = next;
        }
        let ctx = self.context(mentions, &top, hint.as_deref(), &groups);
        let mut out = Vec::with_capacity(n);
        for (i, m) in mentions.iter().enumerate() {
            let k = top[i];
            let (pid, flags) = (m.candidates[k], m.flags[k]);
            let place = &self.places[pid as usize];
            let f = &facts[i];
            let ev = self.evidence(mentions, &ctx, &facts, &groups, i, pid);
            // Local evidence: the text itself says "in X", "X, State", or names X's admin area or a
            // place next to it. Country-level evidence is weaker: a US article does not make every
            // capitalised "Green" or "Nelson" a US town.
            let local = f.locative_before || ev.qualified || ev.admin1 || ev.near;
            let capital = place.feature == "PPLC";
            let town = matches!(place.kind, PlaceKind::Town | PlaceKind::Admin2);
            let needs_local = flags & WEAK != 0 || (f.speech_after && town && !capital && place.population < 1_000_000);
            // Villages (and places of unknown size) need at least their country in the document.
            let small = town && !capital && place.population < 10_000;
            let needs_context = needs_local || small;
            if needs_local && !local {
                continue;
            }
            if small && !(local || (ev.country > 0.0 && !f.sentence_start)) {
                continue;
            }
            let best = scores[i][k];
            let second =
                scores[i].iter().enumerate().filter(|&(j, _)| j != k).map(|(_, &s)| s).fold(f64::MIN, f64::max);
            let margin = if second == f64::MIN { 3.0 } else { best - second };
            let mut score = 0.5 + 0.45 * (1.0 - (-margin.max(0.0)).exp());
            if needs_context {
                score *= 0.8;
            }
            if f.capital_after {
                score *= 0.7;
            }
            let demonym = flags & DEMONYM != 0;
            if demonym {
                score = score.min(1.0) * 0.3;
            }
            let mut r = Resolved {
                start: m.start,
                end: m.end,
                text: String::new(),
                name: String::new(),
                country: String::new(),
                admin1: String::new(),
                lat: place.lat,
                lon: place.lon,
                precision: place.precision,
                kind: place.kind,
                geonameid: place.geonameid,
                score: (score * 1000.0).round() / 1000.0,
                demonym,
                embedded: f.capital_after,
                place: pid,
            };
            if !keep(&r) {
                continue;
            }
            r.text.clone_from(&m.text);
            r.name.clone_from(&place.name);
            r.country.clone_from(&place.country);
            r.admin1.clone_from(&place.admin1);
            out.push(r);
        }
        out
    }

    /// [`find`](Self::find) then [`resolve`](Self::resolve).
    pub fn geoparse(&self, text: &str, country_hint: Option<&str>) -> Vec<Resolved> {
        self.resolve(&self.find(text), text, country_hint)
    }

    /// [`find`](Self::find) then [`resolve_where`](Self::resolve_where).
    pub fn geoparse_where(
        &self,
        text: &str,
        country_hint: Option<&str>,
        keep: impl Fn(&Resolved) -> bool,
    ) -> Vec<Resolved> {
        self.resolve_where(&self.find(text), text, country_hint, keep)
    }

    // Priors of a mention's candidates. "Kirkuk", "Hodeidah", "Jenin" name both a town and the
    // admin area around it: unless the text says "province" or "district", the town is meant, and
    // it is the more precise answer anyway.
    fn mention_priors(&self, m: &Toponym) -> Vec<f64> {
        let mut priors: Vec<f64> = m.candidates.iter().zip(&m.flags).map(|(&p, &f)| self.prior(p, f)).collect();
        for (k, (&a, &fa)) in m.candidates.iter().zip(&m.flags).enumerate() {
            let area = &self.places[a as usize];
            if fa & SUFFIXED != 0 || !matches!(area.kind, PlaceKind::Admin1 | PlaceKind::Admin2) {
                continue;
            }
            let has_town = m.candidates.iter().any(|&t| {
                let t = &self.places[t as usize];
                t.kind == PlaceKind::Town
                    && t.country == area.country
                    && match area.kind {
                        PlaceKind::Admin1 => t.admin1 == area.name,
                        _ => haversine_km(t.lat, t.lon, area.lat, area.lon) < 60.0,
                    }
            });
            if has_town {
                priors[k] -= 1.5;
            }
        }
        // "Mexico" is the country, not Mexico City under an alternate name; "Kuwait" likewise.
        let country_named = m
            .candidates
            .iter()
            .zip(&m.flags)
            .any(|(&c, &f)| self.places[c as usize].kind == PlaceKind::Country && f & DEMONYM == 0);
        if country_named {
            for (k, (&c, &f)) in m.candidates.iter().zip(&m.flags).enumerate() {
                if self.places[c as usize].kind == PlaceKind::Town && f & PRIMARY == 0 {
                    priors[k] -= 2.0;
                }
            }
        }
        priors
    }

    // Score of a candidate before context: what kind of place, how big, how the name matched.
    fn prior(&self, pid: u32, flags: u8) -> f64 {
        let p = &self.places[pid as usize];
        let mut s = match p.kind {
            // Population breaks ties between countries sharing a name or demonym ("American").
            PlaceKind::Country => 7.5 + 0.05 * (p.population as f64 + 10.0).log10(),
            PlaceKind::Region => 6.5,
            PlaceKind::Site => 6.5,
            // Below a big same-named city ("Baghdad", "Kirkuk"), above a small one.
            PlaceKind::Admin1 => 5.5 + 0.1 * (p.population as f64 + 10.0).log10(),
            PlaceKind::Admin2 => 4.5,
            // log10 of population; many towns in conflict zones have 0 (unknown) in GeoNames.
            PlaceKind::Town => (p.population.max(2_000) as f64).log10() + if p.feature == "PPLC" { 1.0 } else { 0.0 },
        };
        // An old or foreign name of a big city should not beat the current name of a smaller one
        // ("Salisbury" is Harare's colonial name).
        s += if flags & PRIMARY != 0 { 0.5 } else { -0.5 };
        if flags & STRIPPED != 0 {
            s -= 1.0;
        }
        if flags & SUFFIXED != 0 {
            s += 1.0;
        }
        if flags & WEAK != 0 {
            s -= 0.5;
        }
        s
    }

    // Countries and admin areas the document talks about, from the current choice per mention.
    fn context<'a>(
        &'a self,
        mentions: &[Toponym],
        top: &[usize],
        hint: Option<&'a str>,
        groups: &[usize],
    ) -> Context<'a> {
        let mut ctx = Context::default();
        if let Some(h) = hint {
            // A code no place has still takes its slot (it can never be looked up).
            *ctx.countries.at(self.country_ids.get(h).copied().unwrap_or(u32::MAX)) += 2.0;
        }
        for (i, m) in mentions.iter().enumerate() {
            let pid = m.candidates[top[i]] as usize;
            let p = &self.places[pid];
            let (wc, wa) = weights(p, m.flags[top[i]]);
            if !p.country.is_empty() {
                let (cc, a1) = self.area_ids[pid];
                *ctx.countries.at(cc) += wc;
                *ctx.countries_by_group.at((groups[i], cc)) += wc;
                if !p.admin1.is_empty() && wa > 0.0 {
                    *ctx.admin1.at(a1) += wa;
                    *ctx.admin1_by_group.at((groups[i], a1)) += wa;
                }
            }
            if matches!(p.kind, PlaceKind::Town | PlaceKind::Site | PlaceKind::Admin2) {
                ctx.specific.push((groups[i], p));
            }
        }
        ctx
    }

    // Weight of `p`'s country in the document, not counting mentions written like mention `i`
    // (same group): a place never supports itself, and ten mentions of "Bank" are no evidence for
    // a town called Bank.
    fn country_support(&self, ctx: &Context, group: usize, pid: u32) -> f64 {
        if self.places[pid as usize].country.is_empty() {
            return 0.0;
        }
        let cc = self.area_ids[pid as usize].0;
        let own = ctx.countries_by_group.get(&(group, cc)).unwrap_or(0.0);
        (ctx.countries.get(&cc).unwrap_or(0.0) - own).max(0.0)
    }

    // Context evidence for candidate `pid` of mention `i`, not counting mention `i` itself.
    fn evidence(
        &self,
        ms: &[Toponym],
        ctx: &Context,
        facts: &[MentionFacts],
        groups: &[usize],
        i: usize,
        pid: u32,
    ) -> Evidence {
        let p = &self.places[pid as usize];
        let g = groups[i];
        let mut ev = Evidence::default();
        let mut bonus = 0.0;
        let wc = self.country_support(ctx, g, pid);
        ev.country = wc;
        if wc > 0.0 {
            bonus += 1.0 + 0.5 * wc.min(3.0);
        }
        if !p.admin1.is_empty() && !matches!(p.kind, PlaceKind::Admin1 | PlaceKind::Country) {
            let a1 = self.area_ids[pid as usize].1;
            let own = ctx.admin1_by_group.get(&(g, a1)).unwrap_or(0.0);
            if ctx.admin1.get(&a1).unwrap_or(0.0) - own > 0.0 {
                bonus += 1.5;
                ev.admin1 = true;
            }
        }
        if matches!(p.kind, PlaceKind::Town | PlaceKind::Site | PlaceKind::Admin2) {
            // Another place of the document within 100 km (about 0.9 degrees of latitude).
            let near = ctx.specific.iter().any(|&(h, q)| {
                h != g
                    && (q.lat - p.lat).abs() < 1.0
                    && q.text_differs(p)
                    && haversine_km(p.lat, p.lon, q.lat, q.lon) < 100.0
            });
            if near {
                bonus += 0.75;
                ev.near = true;
            }
        }
        if let Some(j) = facts[i].qualified_by {
            // "Mobile, Alabama": the qualifier names this candidate's admin area or country.
            let fits = ms[j].candidates.iter().any(|&q| {
                let q = &self.places[q as usize];
                (q.kind == PlaceKind::Country && q.country == p.country)
                    || (q.kind == PlaceKind::Admin1 && q.country == p.country && q.name == p.admin1)
            });
            if fits {
                bonus += 4.0;
                ev.qualified = true;
            }
        }
        if facts[i].capital_after && p.kind == PlaceKind::Town {
            bonus -= 1.0;
        }
        ev.bonus = bonus;
        ev
    }
}

impl Place {
    // Two different places (not the same point under two names).
    fn text_differs(&self, other: &Place) -> bool {
        self.name != other.name || self.country != other.country
    }
}

// How much a chosen place tells about the document's country and admin area.
fn weights(p: &Place, flags: u8) -> (f64, f64) {
    let wc = match p.kind {
        _ if flags & DEMONYM != 0 => 0.5,
        PlaceKind::Country => 2.0,
        PlaceKind::Region => 0.0,
        _ => 1.0,
    };
    let wa = match p.kind {
        PlaceKind::Admin1 => 1.0,
        PlaceKind::Country | PlaceKind::Region => 0.0,
        _ => 0.5,
    };
    (wc, wa)
}

// What the rest of the document says for one candidate.
#[derive(Default)]
struct Evidence {
    bonus: f64,      // total added to the prior
    country: f64,    // weight of the candidate's country among the other mentions
    admin1: bool,    // its admin area is mentioned
    near: bool,      // another place within 100 km is mentioned
    qualified: bool, // "X, <its state or country>"
}

// Countries and admin areas the document talks about, in total and per written form.
// "Group": mentions written alike (case-insensitively) share one, see `text_groups`.
#[derive(Default)]
// Countries and (country, admin1) pairs are numbered (`Gazetteer::area_ids`).
struct Context<'a> {
    countries: Tally<u32>,
    countries_by_group: Tally<(usize, u32)>,
    admin1: Tally<u32>,
    admin1_by_group: Tally<(usize, u32)>,
    // Chosen towns, sites and districts, for the "near another place" evidence.
    specific: Vec<(usize, &'a Place)>,
}

// Weights per key, rebuilt several times per document (once per resolution round). A document
// names a handful of countries and admin areas, so a list searched in order costs less than
// hashing each key (hashing was a visible share of `resolve`). Weights add up in mention order,
// as they did in a map, so every sum is the same float.
struct Tally<K>(Vec<(K, f64)>);

impl<K> Default for Tally<K> {
    fn default() -> Self {
        Tally(Vec::new())
    }
}

impl<K: PartialEq> Tally<K> {
    // The weight of `k`, added at 0 if new.
    fn at(&mut self, k: K) -> &mut f64 {
        let i = match self.0.iter().position(|(x, _)| *x == k) {
            Some(i) => i,
            None => {
                self.0.push((k, 0.0));
                self.0.len() - 1
            }
        };
        &mut self.0[i].1
    }

    fn get(&self, k: &K) -> Option<f64> {
        self.0.iter().find(|(x, _)| x == k).map(|&(_, w)| w)
    }
}

// For each mention, the index of the first mention written the same way (ignoring case).
fn text_groups(ms: &[Toponym]) -> Vec<usize> {
    (0..ms.len()).map(|i| (0..=i).find(|&j| ms[j].text.eq_ignore_ascii_case(&ms[i].text)).unwrap_or(i)).collect()
}

// Facts about a mention's surroundings in the text.
#[derive(Default)]
struct MentionFacts {
    locative_before: bool,       // "in Reading", "near Mobile"
    sentence_start: bool,        // first word of a sentence: capitalisation says nothing
    capital_after: bool,         // followed by a capitalised word: maybe part of a bigger name
    speech_after: bool,          // "Jackson said": a person or an institution
    qualified_by: Option<usize>, // "Mobile, Alabama": index of the qualifying mention
}

fn mention_facts(text: &str, ms: &[Toponym], i: usize) -> MentionFacts {
    let m = &ms[i];
    let before = text[..m.start].trim_end_matches([' ', '\t']);
    let prev_word = last_word(before);
    let sentence_start = before.is_empty()
        || before.ends_with(['.', '!', '?', '\n', ':', '"', '\u{201c}', '\'', '\u{2018}', '(', '-', '\u{2014}']);
    let after = &text[m.end..];
    let next_word = first_word(after.strip_prefix(' ').unwrap_or("\u{0}"));
    let capital_after = next_word.chars().next().is_some_and(char::is_uppercase)
        && !PLACE_SET.contains(next_word)
        && ms.get(i + 1).is_none_or(|n| n.start != m.end + 1)
        && !title_case_line(text, m.start);
    let speech_after = matches!(next_word, "said" | "says" | "told" | "added" | "announced" | "wrote");
    let qualified_by = ms.get(i + 1).filter(|n| {
        let gap = &text[m.end..n.start];
        gap.trim() == "," && !gap.contains('\n')
    });
    MentionFacts {
        locative_before: LOCATIVE_SET.contains(prev_word),
        sentence_start,
        capital_after,
        speech_after,
        qualified_by: qualified_by.map(|_| i + 1),
    }
}

// Is the toponym part of a person's name?
fn person_context(text: &str, t: &Toponym) -> bool {
    let before = &text[..t.start];
    let stripped = before.trim_end_matches(' ');
    if stripped.len() + 1 >= before.len() && stripped.len() < before.len() {
        // exactly one space before the name
        let word = last_word(stripped);
        let bare = word.trim_end_matches('.');
        // Every title and given name starts with an ASCII capital (a test checks the lists): most
        // words before a place ("in", "near") need no search.
        let capital = word.as_bytes().first().is_some_and(u8::is_ascii_uppercase);
        if capital && (TITLE_SET.contains(bare) || (FIRST_NAME_SET.contains(word) && !STOP_SET.contains(word))) {
            return true;
        }
    }
    if FIRST_NAME_SET.contains(&t.text) {
        if let Some(rest) = text[t.end..].strip_prefix(' ') {
            let next = first_word(rest);
            if next.chars().next().is_some_and(char::is_uppercase) && !PLACE_SET.contains(next) {
                return true;
            }
        }
    }
    false
}

// Capitalised words before a name that do not make it a surname ("In Mosul", "Eastern Ghouta").
#[rustfmt::skip]
const NOT_GIVEN_NAMES: &[&str] = &[
    "A", "About", "Across", "After", "Against", "All", "Along", "Also", "Although", "Amid", "An", "And", "Another",
    "April", "Are", "Army", "Around", "As", "At", "August", "Authorities", "Back", "Because", "Before", "Beneath",
    "Besieged", "Between", "Beyond", "Both", "Breaking", "But", "By", "Can", "Central", "Coastal", "Could", "December",
    "Despite", "Did", "Do", "Does", "Downtown", "During", "Each", "East", "Eastern", "Elsewhere", "Embattled",
    "Entire", "Even", "Every", "February", "Fighters", "For", "Forces", "Friday", "From", "Government", "Greater",
    "Had", "Has", "Have", "Her", "Here", "His", "How", "However", "If", "In", "Including", "Indeed", "Inner", "Inside",
    "Into", "Is", "Its", "January", "July", "June", "Just", "Last", "Like", "Lower", "Many", "March", "May",
    "Meanwhile", "Metro", "Metropolitan", "Might", "Military", "Militia", "Monday", "Moreover", "Most", "Must", "Near",
    "Nearby", "Neighboring", "Neighbouring", "New", "Next", "No", "North", "Northeast", "Northeastern", "Northern",
    "Northwest", "Northwestern", "Not", "November", "Now", "Occupied", "October", "Of", "Officials", "Old", "On",
    "Once", "Only", "Opposite", "Or", "Other", "Our", "Outer", "Outside", "Over", "People", "Per", "Perhaps", "Photo",
    "Police", "Protesters", "Read", "Rebel", "Reporters", "Residents", "Rural", "Saturday", "See", "September",
    "Several", "Should", "Since", "So", "Some", "Sources", "South", "Southeast", "Southeastern", "Southern",
    "Southwest", "Southwestern", "Still", "Such", "Sunday", "Than", "That", "The", "Their", "Then", "There", "These",
    "This", "Those", "Though", "Through", "Throughout", "Thursday", "Thus", "To", "Today", "Toward", "Towards",
    "Troops", "Tuesday", "Under", "Unless", "Until", "Update", "Upon", "Upper", "Via", "Video", "Visit", "Was",
    "Wednesday", "Welcome", "Were", "West", "Western", "What", "When", "Where", "Whether", "Which", "While", "Who",
    "Whole", "Whose", "Why", "Will", "With", "Within", "Witnesses", "Would", "Yes", "Yesterday", "Yet",
];

// "Jennifer Villanueva", "Barack Obama": a name right after a capitalised word that is neither a
// function word nor a place, outside a title-case line, is most likely a surname.
fn surname_context(text: &str, t: &Toponym) -> bool {
    let before = &text[..t.start];
    let Some(stripped) = before.strip_suffix([' ', '-']) else { return false };
    if stripped.ends_with([' ', '-']) {
        return false;
    }
    let word = last_word(stripped);
    let capital = word.chars().next().is_some_and(char::is_uppercase);
    let lower_rest = word.chars().skip(1).all(|c| c.is_lowercase());
    if !capital || !lower_rest || word.chars().count() < 2 || NOT_GIVEN_SET.contains(word) {
        return false;
    }
    !title_case_line(text, t.start)
}

// Most words of the line start with a capital: a headline, where capitals say nothing.
fn title_case_line(text: &str, at: usize) -> bool {
    // A headline is short: a line longer than 300 bytes around `at` is running text, and looking
    // no further keeps this O(1) per call on long paragraphs.
    const REACH: usize = 300;
    let b = text.as_bytes();
    let lo = at.saturating_sub(REACH);
    let start = match b[lo..at].iter().rposition(|&c| c == b'\n') {
        Some(i) => lo + i + 1,
        None if lo == 0 => 0,
        None => return false,
    };
    let hi = (at + REACH).min(b.len());
    let end = match b[at..hi].iter().position(|&c| c == b'\n') {
        Some(i) => at + i,
        None if hi == b.len() => b.len(),
        None => return false,
    };
    let (words, caps) = count_long_words(&text[start..end]);
    words >= 3 && caps * 10 >= words * 7
}

// Whitespace-separated words of at least four chars in `s`, and how many start with a capital:
// what `split_whitespace` would give, counted byte by byte without collecting the words (this
// runs over a whole line for many toponyms).
fn count_long_words(s: &str) -> (usize, usize) {
    let b = s.as_bytes();
    let (mut words, mut caps) = (0, 0);
    // Chars in the current word (0: between words) and whether its first char is a capital.
    let (mut chars, mut upper) = (0usize, false);
    let mut p = 0;
    while p < b.len() {
        let c = b[p];
        let (space, len, cap) = if c < 0x80 {
            (c == b' ' || (b'\t'..=b'\r').contains(&c), 1, c.is_ascii_uppercase())
        } else {
            let ch = s[p..].chars().next().unwrap_or(' ');
            (ch.is_whitespace(), ch.len_utf8(), ch.is_uppercase())
        };
        if space {
            if chars >= 4 {
                words += 1;
                caps += usize::from(upper);
            }
            chars = 0;
        } else {
            if chars == 0 {
                upper = cap;
            }
            chars += 1;
        }
        p += len;
    }
    if chars >= 4 {
        words += 1;
        caps += usize::from(upper);
    }
    (words, caps)
}

// The words around a span are in capitals too: a headline or dateline ("BAGHDAD (Reuters)").
fn caps_context(text: &str, start: usize, end: usize) -> bool {
    let prev = last_word(text[..start].trim_end());
    let next = first_word(text[end..].trim_start());
    let loud = |w: &str| w.chars().filter(|c| c.is_alphabetic()).count() >= 3 && !w.chars().any(char::is_lowercase);
    loud(prev) || loud(next)
}

fn last_word(s: &str) -> &str {
    let start = s.rfind(|c: char| !(c.is_alphanumeric() || c == '.' || c == '\'')).map_or(0, |i| {
        // `i` is the byte index of a char that is not part of the word; skip that char.
        i + s[i..].chars().next().map_or(1, char::len_utf8)
    });
    &s[start..]
}

fn first_word(s: &str) -> &str {
    let end = s.find(|c: char| !c.is_alphanumeric()).unwrap_or(s.len());
    &s[..end]
}

fn argmax(v: &[f64]) -> usize {
    let mut best = 0;
    for (i, &x) in v.iter().enumerate() {
        if x > v[best] {
            best = i;
        }
    }
    best
}

/// Great-circle distance in km (haversine, mean Earth radius).
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0088 * a.sqrt().min(1.0).asin()
}

fn split_multi(s: &str) -> impl Iterator<Item = &str> {
    s.split('|').map(str::trim).filter(|x| !x.is_empty())
}

// Collects the name patterns and what each one means.
#[derive(Default)]
struct NamesBuilder {
    names: NameIndex,
    entries: Vec<Vec<Cand>>,
    exact: HashMap<u32, Vec<Box<str>>>,
    lower_first: HashSet<Vec<u8>>,
}

impl NamesBuilder {
    fn add_place<'a>(
        &mut self,
        id: u32,
        place: &Place,
        alts: impl Iterator<Item = &'a str>,
        weak: &[Vec<u8>],
        demonyms: impl Iterator<Item = &'a str>,
    ) {
        let article_country = ARTICLE_COUNTRIES.contains(&place.country.as_str());
        let names = std::iter::once((place.name.as_str(), PRIMARY)).chain(alts.map(|a| (a, 0)));
        for (name, base) in names {
            let f = fold_name(name);
            if f.len() < 2 {
                continue;
            }
            let mut flags = base;
            if weak.contains(&f) {
                flags |= WEAK;
            }
            if is_abbreviation(name) {
                flags |= ABBREV;
            }
            let pid = self.add(&f, id, flags);
            if name.starts_with(|c: char| c.is_lowercase()) {
                self.lower_first.insert(f.split(|&b| b == b' ').next().unwrap_or(&f).to_vec());
            }
            if flags & ABBREV != 0 {
                let v = self.exact.entry(pid).or_default();
                if !v.iter().any(|e| **e == *name) {
                    v.push(name.into());
                }
            }
            // "Ar Ramadi" is written "Ramadi" in English news.
            if article_country && f.starts_with(b"al ") && f.len() >= 7 && !weak.iter().any(|w| w[..] == f[3..]) {
                self.add(&f[3..], id, (flags & !PRIMARY) | STRIPPED);
            }
        }
        for d in demonyms {
            let f = fold_name(d);
            if f.len() >= 3 {
                self.add(&f, id, DEMONYM);
            }
        }
    }

    fn add(&mut self, folded: &[u8], place: u32, flags: u8) -> u32 {
        let next = self.entries.len() as u32;
        let pid = self.names.insert(folded, next);
        if pid == next {
            self.entries.push(Vec::new());
        }
        let e = &mut self.entries[pid as usize];
        match e.iter_mut().find(|c| c.place == place) {
            // Same place under two spellings that fold alike: keep the most favourable facts.
            Some(c) => {
                let either = (c.flags | flags) & (PRIMARY | SUFFIXED | ABBREV);
                let both = c.flags & flags & (WEAK | STRIPPED | DEMONYM);
                c.flags = either | both;
            }
            None => e.push(Cand { place, flags }),
        }
        pid
    }
}

// "US", "U.S.", "DRC", "ZNPP": no lower-case letter and at least two capitals.
fn is_abbreviation(name: &str) -> bool {
    !name.chars().any(char::is_lowercase)
        && name.chars().filter(char::is_ascii_uppercase).count() >= 2
        && name.len() <= 8
}

// Written as a name: the first letter (after an article) is a capital, and for several words at
// least one word starts with a capital ("occupied West Bank", "Harir air base").
fn capitalised(span: &str) -> bool {
    let mut words = span.split([' ', '-']).filter(|w| !w.is_empty()).peekable();
    let first = words.peek().copied().unwrap_or("");
    // Lower-cased on the stack: this runs for every name match.
    let mut buf = [0u8; 3];
    let is_article = buf.get_mut(..first.len()).is_some_and(|b| {
        b.copy_from_slice(first.as_bytes());
        b.make_ascii_lowercase();
        is_article(b)
    });
    let skip = usize::from(is_article && span.len() > first.len() + 1);
    // Some word of the name (after a leading article) starts with a capital.
    words.skip(skip).any(|w| w.chars().find(|c| c.is_alphabetic()).is_some_and(char::is_uppercase))
}

// A word of up to 15 bytes as one integer (bytes, then the length in the top byte), so that
// equal integers mean equal words.
fn pack_word(w: &[u8]) -> Option<u128> {
    let mut b = [0u8; 16];
    b.get_mut(..w.len()).filter(|_| w.len() < 16)?.copy_from_slice(w);
    b[15] = w.len() as u8;
    Some(u128::from_le_bytes(b))
}

fn is_word(b: u8) -> bool {
    IS_WORD[b as usize]
}

// A table rather than range tests: `find` asks this of nearly every byte of the text.
static IS_WORD: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = (b as u8).is_ascii_alphanumeric() || b >= 0x80;
        b += 1;
    }
    t
};

// Every folded name (with its pattern id) and every prefix of a name that ends before a non-word
// byte ("new" and "new york" for "new york city"), in one open-addressing hash table. `find` looks
// up the text from a word start to each following word boundary, longer and longer, and stops at
// the first key that is neither: no longer name can start there. Builds in a few milliseconds
// (an Aho-Corasick automaton over the 100k names took ~0.3 s of start-up), and only whole-word
// lookups are ever needed.
#[derive(Default)]
struct NameIndex {
    // Key bytes, back to back.
    arena: Vec<u8>,
    // Per key: start in `arena`, length, pattern id (`PREFIX_ONLY` for a prefix that is no name).
    keys: Vec<(u32, u32, u32)>,
    // Open addressing (linear probing): (index into `keys` + 1, hash tag); 0 = empty. Power-of-two
    // length. The tag spares a key comparison on almost every probe that is not a hit.
    slots: Vec<(u32, u32)>,
}

const PREFIX_ONLY: u32 = u32::MAX;

// FNV-1a, one byte at a time: `names_at` extends the hash of "new" to that of "new york" instead
// of hashing each longer prefix from scratch. `slot` mixes the result before using it.
const HASH_SEED: u64 = 0xcbf2_9ce4_8422_2325;

fn hash_step(h: u64, b: u8) -> u64 {
    (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
}

impl NameIndex {
    fn hash(key: &[u8]) -> u64 {
        key.iter().fold(HASH_SEED, |h, &b| hash_step(h, b))
    }

    fn key(&self, k: usize) -> &[u8] {
        let (s, n, _) = self.keys[k];
        &self.arena[s as usize..(s + n) as usize]
    }

    // Slot holding `key`, or the empty slot where it would go.
    #[cfg(test)]
    fn slot(&self, key: &[u8]) -> usize {
        self.slot_hashed(key, Self::hash(key))
    }

    // `slot` for a key whose [`hash`](Self::hash) is `h`.
    fn slot_hashed(&self, key: &[u8], h: u64) -> usize {
        let mask = self.slots.len() - 1;
        let m = h.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let tag = m as u32;
        let mut i = (m >> 32) as usize & mask;
        loop {
            match self.slots[i] {
                (0, _) => return i,
                (k, t) if t == tag && self.key(k as usize - 1) == key => return i,
                _ => i = (i + 1) & mask,
            }
        }
    }

    // The tag stored with a key of hash `h`.
    fn tag(h: u64) -> u32 {
        h.wrapping_mul(0x9E37_79B9_7F4A_7C15) as u32
    }

    // Fills slot `i` with key number `k` (of hash `h`).
    fn fill(&mut self, i: usize, k: usize, h: u64) {
        self.slots[i] = (k as u32 + 1, Self::tag(h));
    }

    fn grow_if_needed(&mut self) {
        // Load at most 1/2: short probe sequences for the misses `find` mostly makes.
        if (self.keys.len() + 1) * 2 <= self.slots.len() {
            return;
        }
        let n = (self.slots.len() * 2).max(1024);
        self.slots = vec![(0, 0); n];
        for k in 0..self.keys.len() {
            let h = Self::hash(self.key(k));
            let i = self.slot_hashed(self.key(k), h);
            self.fill(i, k, h);
        }
    }

    // Adds `key` as a name with id `pid` unless it is one already; returns its id.
    fn insert(&mut self, key: &[u8], pid: u32) -> u32 {
        self.grow_if_needed();
        let h = Self::hash(key);
        let i = self.slot_hashed(key, h);
        match self.slots[i].0 {
            0 => {
                self.fill(i, self.keys.len(), h);
                self.keys.push((self.arena.len() as u32, key.len() as u32, pid));
                self.arena.extend_from_slice(key);
                pid
            }
            k => {
                let e = &mut self.keys[k as usize - 1].2;
                if *e == PREFIX_ONLY {
                    *e = pid;
                }
                *e
            }
        }
    }

    // Adds the word-boundary prefixes of every name (once all names are in).
    fn add_prefixes(&mut self) -> Result<(), String> {
        if self.arena.len() > u32::MAX as usize / 2 {
            return Err("names too long".into());
        }
        for k in 0..self.keys.len() {
            let (s, n, _) = self.keys[k];
            for j in 1..n {
                let at = (s + j) as usize;
                if is_word(self.arena[at]) {
                    continue;
                }
                self.grow_if_needed();
                let h = Self::hash(&self.arena[s as usize..at]);
                let i = self.slot_hashed(&self.arena[s as usize..at], h);
                if self.slots[i].0 == 0 {
                    // The prefix's bytes are those of the name: share them.
                    self.fill(i, self.keys.len(), h);
                    self.keys.push((s, j, PREFIX_ONLY));
                }
            }
        }
        Ok(())
    }

    // Names written at `hay[i..]` that end on a word boundary: (folded end, pattern id), shortest
    // first, into `out`.
    fn names_at(&self, hay: &[u8], i: usize, out: &mut Vec<(usize, u32)>) {
        out.clear();
        if self.slots.is_empty() {
            return;
        }
        let mut h = HASH_SEED;
        for e in i + 1..=hay.len() {
            h = hash_step(h, hay[e - 1]);
            if e < hay.len() && is_word(hay[e]) {
                continue;
            }
            match self.slots[self.slot_hashed(&hay[i..e], h)].0 {
                0 => return,
                k => match self.keys[k as usize - 1].2 {
                    PREFIX_ONLY => {}
                    pid => out.push((e, pid)),
                },
            }
        }
    }

    fn memory_usage(&self) -> usize {
        self.arena.capacity() + self.keys.capacity() * 12 + self.slots.capacity() * 8
    }
}

/// Folds a name the way [`Gazetteer::find`] folds text, for building patterns.
fn fold_name(name: &str) -> Vec<u8> {
    let mut f = Folded::new(name).bytes;
    while f.last() == Some(&b' ') {
        f.pop();
    }
    if f.first() == Some(&b' ') {
        f.remove(0);
    }
    f
}

// The text in matching form, with a map from each folded byte to the original byte offset.
struct Folded {
    bytes: Vec<u8>,
    // map[i] = offset in the original of the char that produced folded byte i; map[len] = text.len()
    map: Vec<u32>,
}

impl Folded {
    fn new(text: &str) -> Folded {
        Folded::with_buffers(text, Vec::new(), Vec::new())
    }

    // `new`, reusing the allocations of `bytes` and `map` (their contents are ignored): a large
    // allocation per article costs more in malloc than the folding itself.
    fn with_buffers(text: &str, bytes: Vec<u8>, map: Vec<u32>) -> Folded {
        let mut f = Folded::fold_chars(text, bytes, map);
        f.normalise_articles(text);
        f
    }

    // The folding without the article rewrite.
    fn fold_chars(text: &str, mut bytes: Vec<u8>, mut map: Vec<u32>) -> Folded {
        let src = text.as_bytes();
        let n = src.len();
        // Written by index into the buffers (this runs over every byte of every article, and
        // indexed stores keep the ASCII loop short). Invariant: `bytes.len() - k >= n - i`, i.e.
        // room for one output byte per input byte left; the slow path restores it if a fold
        // writes more than it reads. What the buffers hold is overwritten before it is read, so
        // they are only grown, not cleared (zeroing them per article was a visible cost).
        if bytes.len() < n {
            bytes.resize(n, 0);
        }
        if map.len() < n + 1 {
            map.resize(n + 1, 0);
        }
        let mut k = 0;
        let mut i = 0;
        while i < n {
            let b = src[i];
            match ASCII_CLASS[b as usize] {
                PLAIN => {
                    // A run of plain ASCII, with single spaces between (after a plain byte a
                    // space always folds to itself): one byte out per byte in, at the same
                    // offsets, written a slice at a time.
                    let mut j = i + 1;
                    while j < n {
                        let c = src[j];
                        if ASCII_CLASS[c as usize] == PLAIN || c == b' ' && ASCII_CLASS[src[j - 1] as usize] == PLAIN {
                            j += 1;
                        } else {
                            break;
                        }
                    }
                    let r = j - i;
                    // Arithmetic lower-casing rather than a table look-up: it vectorizes.
                    for (d, s) in bytes[k..k + r].iter_mut().zip(&src[i..j]) {
                        *d = s.to_ascii_lowercase();
                    }
                    for (m, o) in map[k..k + r].iter_mut().zip(i as u32..) {
                        *m = o;
                    }
                    k += r;
                    i = j;
                    continue;
                }
                SPACE => {
                    if k == 0 || bytes[k - 1] != b' ' {
                        bytes[k] = b' ';
                        map[k] = i as u32;
                        k += 1;
                    }
                    i += 1;
                    continue;
                }
                _ => {}
            }
            let at = i as u32;
            let put = |f: u8, bytes: &mut Vec<u8>, map: &mut Vec<u32>, k: &mut usize| {
                if *k == bytes.len() {
                    bytes.push(0);
                    map.push(0);
                }
                bytes[*k] = f;
                map[*k] = at;
                *k += 1;
            };
            let c = if b < 0x80 { b as char } else { text[i..].chars().next().unwrap_or('\u{fffd}') };
            let next = i + c.len_utf8();
            let space = |k: usize, bytes: &Vec<u8>| k == 0 || bytes[k - 1] != b' ';
            if is_apostrophe(c) {
                // "Iraq's": keep a word break before a possessive s; "Ma'rib" -> "marib".
                let s_next = matches!(src.get(next), Some(b's' | b'S'));
                // `next` is an ASCII 's' here, so `next + 1` is a char boundary.
                if s_next && text[next + 1..].chars().next().is_none_or(|c| !c.is_alphanumeric()) && space(k, &bytes) {
                    put(b' ', &mut bytes, &mut map, &mut k);
                }
            } else if c == '-' || c == '_' || c == '/' || c.is_whitespace() || is_dash(c) {
                if space(k, &bytes) {
                    put(b' ', &mut bytes, &mut map, &mut k);
                }
            } else if b < 0x80 {
                put(b, &mut bytes, &mut map, &mut k);
            } else if let Some(s) = fold_latin(c) {
                for f in s.bytes() {
                    put(f, &mut bytes, &mut map, &mut k);
                }
            } else if c.is_alphanumeric() {
                // Every byte maps to the char's start, so no offset ever lands inside a char.
                for &f in &src[i..next] {
                    put(f, &mut bytes, &mut map, &mut k);
                }
            } else if space(k, &bytes) {
                put(b' ', &mut bytes, &mut map, &mut k);
            }
            i = next;
            if bytes.len() - k < n - i {
                bytes.resize(k + n - i, 0);
                map.resize(k + n - i + 1, 0);
            }
        }
        bytes.truncate(k);
        map.truncate(k);
        map.push(text.len() as u32);
        Folded { bytes, map }
    }

    fn orig(&self, folded: usize) -> usize {
        self.map[folded] as usize
    }

    // Folded spans `(start, end)` of the article words `normalise_articles` rewrites to "al".
    fn article_hits(&self, text: &str) -> Vec<(usize, usize)> {
        let b = &self.bytes;
        let mut hits: Vec<(usize, usize)> = Vec::new();
        // Articles are two or three letters followed by a space: look back from each space
        // rather than walking every word (this runs over every article's full text). Spaces are
        // found eight bytes at a time (they are too frequent for `memchr` to pay), and every
        // article form is a word of two or three letters starting with 'a' or 'e', which rules
        // out most spaces at once.
        for j in SpaceIter::new(b) {
            if j + 1 >= b.len() || !is_word(b[j + 1]) {
                continue;
            }
            let starts = |n: usize| j >= n && matches!(b[j - n], b'a' | b'e') && (j == n || !is_word(b[j - n - 1]));
            if !starts(2) && !starts(3) {
                continue;
            }
            for n in [2, 3] {
                let Some(i) = j.checked_sub(n) else { continue };
                let word = &b[i..j];
                if !is_article(word) || (i > 0 && is_word(b[i - 1])) {
                    continue;
                }
                let orig_start = self.map[i] as usize;
                let orig_sep = self.map[j] as usize;
                let hyphen = text[orig_sep..].starts_with('-');
                let upper = text[orig_start..].starts_with(|c: char| c.is_ascii_uppercase());
                let al_el = word == b"al" || word == b"el";
                if (hyphen || upper || al_el) && word != b"al" {
                    hits.push((i, j));
                }
                break;
            }
        }
        hits
    }

    // "ash-Shaddadah", "Ar Raqqah", "Deir ez-Zor", "al-Anbar" -> "al ...". A capitalised article
    // or one joined by a hyphen is an article; lower-case English "as", "at", "an" are not.
    fn normalise_articles(&mut self, text: &str) {
        let hits = self.article_hits(text);
        if hits.is_empty() {
            return;
        }
        // In place: each hit shrinks or keeps its length, so the write position never passes
        // the read position.
        let (mut w, mut last) = (0, 0);
        for (s, e) in hits {
            self.bytes.copy_within(last..s, w);
            self.map.copy_within(last..s, w);
            w += s - last;
            let (m0, m1) = (self.map[s], self.map[s + 1]);
            self.bytes[w] = b'a';
            self.bytes[w + 1] = b'l';
            self.map[w] = m0;
            self.map[w + 1] = m1;
            w += 2;
            last = e;
        }
        let len = self.bytes.len();
        self.bytes.copy_within(last..len, w);
        self.map.copy_within(last..len + 1, w);
        self.bytes.truncate(w + len - last);
        self.map.truncate(w + len - last + 1);
    }
}

// Positions of the spaces in a byte string, ascending, found a word (8 bytes) at a time.
struct SpaceIter<'a> {
    b: &'a [u8],
    // Start of the current word of 8 bytes.
    base: usize,
    // One bit (the top one of the byte) per space in the current word not yet returned.
    mask: u64,
}

impl<'a> SpaceIter<'a> {
    fn new(b: &'a [u8]) -> Self {
        SpaceIter { b, base: 0, mask: Self::spaces_at(b, 0) }
    }

    // The space bits of the 8 bytes at `base` (fewer at the end).
    fn spaces_at(b: &[u8], base: usize) -> u64 {
        const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
        let w = match b.get(base..base + 8) {
            Some(w) => w.try_into().unwrap_or([0; 8]),
            None => {
                // The tail, padded with bytes that are not spaces.
                let mut w = [b'x'; 8];
                let rest = &b[base.min(b.len())..];
                w[..rest.len()].copy_from_slice(rest);
                w
            }
        };
        // Exact zero-byte test (no carries between bytes): 0x80 where `x` has a zero byte.
        let x = u64::from_le_bytes(w) ^ 0x2020_2020_2020_2020;
        !(((x & LOW7) + LOW7) | x | LOW7)
    }
}

impl Iterator for SpaceIter<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        while self.mask == 0 {
            self.base += 8;
            if self.base >= self.b.len() {
                return None;
            }
            self.mask = Self::spaces_at(self.b, self.base);
        }
        let j = self.base + (self.mask.trailing_zeros() / 8) as usize;
        self.mask &= self.mask - 1;
        Some(j)
    }
}

thread_local! {
    // `Gazetteer::find`'s folding buffers, reused from one article to the next on each thread.
    static FOLD_SCRATCH: std::cell::RefCell<(Vec<u8>, Vec<u32>)> = const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
}

// How `Folded::new` treats each byte: ASCII that folds to itself (lower-cased), ASCII that
// becomes a word break (whitespace and the separators `-`, `_`, `/`), or anything else
// (apostrophes, non-ASCII), which takes the general path.
const PLAIN: u8 = 0;
const SPACE: u8 = 1;
const OTHER: u8 = 2;
static ASCII_CLASS: [u8; 256] = {
    let mut t = [OTHER; 256];
    let mut b = 0;
    while b < 0x80 {
        t[b] = match b as u8 {
            b'\'' | b'`' => OTHER,
            b'-' | b'_' | b'/' | b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r' => SPACE,
            _ => PLAIN,
        };
        b += 1;
    }
    t
};

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201b}' | '`' | '\u{b4}' | '\u{2032}' | '\u{2bb}'..='\u{2bf}')
}

fn is_dash(c: char) -> bool {
    matches!(c, '\u{2010}'..='\u{2015}' | '\u{2212}')
}

// ASCII letters for Latin letters with diacritics (Latin-1, Extended-A, common Extended-B and
// Extended Additional), so "Ḩalab", "Arbīl" and "Şalāḩ" match "Halab", "Arbil", "Salah".
fn fold_latin(c: char) -> Option<&'static str> {
    #[rustfmt::skip]
    const LATIN1: [&str; 64] = [
        "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i", "d", "n", "o", "o", "o", "o",
        "o", "", "o", "u", "u", "u", "u", "y", "th", "ss", "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e",
        "i", "i", "i", "i", "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "y",
    ];
    // One letter per code point U+0100..=U+017F; '#' is "ij", '%' is "oe".
    const EXT_A: &[u8; 128] =
        b"aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii##jjkkkllllllllllnnnnnnnnnoooooo%%rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";
    const EXT_ADD: &[(u32, u32, &str)] = &[
        (0x1E00, 0x1E01, "a"),
        (0x1E02, 0x1E07, "b"),
        (0x1E08, 0x1E09, "c"),
        (0x1E0A, 0x1E13, "d"),
        (0x1E14, 0x1E1D, "e"),
        (0x1E1E, 0x1E1F, "f"),
        (0x1E20, 0x1E21, "g"),
        (0x1E22, 0x1E2B, "h"),
        (0x1E2C, 0x1E2F, "i"),
        (0x1E30, 0x1E35, "k"),
        (0x1E36, 0x1E3D, "l"),
        (0x1E3E, 0x1E43, "m"),
        (0x1E44, 0x1E4B, "n"),
        (0x1E4C, 0x1E53, "o"),
        (0x1E54, 0x1E57, "p"),
        (0x1E58, 0x1E5F, "r"),
        (0x1E60, 0x1E69, "s"),
        (0x1E6A, 0x1E71, "t"),
        (0x1E72, 0x1E7B, "u"),
        (0x1E7C, 0x1E7F, "v"),
        (0x1E80, 0x1E89, "w"),
        (0x1E8A, 0x1E8D, "x"),
        (0x1E8E, 0x1E8F, "y"),
        (0x1E90, 0x1E95, "z"),
        (0x1E96, 0x1E96, "h"),
        (0x1E97, 0x1E97, "t"),
        (0x1E98, 0x1E98, "w"),
        (0x1E99, 0x1E99, "y"),
        (0x1E9A, 0x1E9A, "a"),
        (0x1E9B, 0x1E9B, "s"),
        (0x1E9E, 0x1E9E, "ss"),
        (0x1EA0, 0x1EB7, "a"),
        (0x1EB8, 0x1EC7, "e"),
        (0x1EC8, 0x1ECB, "i"),
        (0x1ECC, 0x1EE3, "o"),
        (0x1EE4, 0x1EF1, "u"),
        (0x1EF2, 0x1EF9, "y"),
    ];
    #[rustfmt::skip]
    const LETTERS: [&str; 26] = [
        "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v",
        "w", "x", "y", "z",
    ];
    let cp = c as u32;
    let s = match cp {
        0xC0..=0xFF => LATIN1[(cp - 0xC0) as usize],
        0x100..=0x17F => match EXT_A[(cp - 0x100) as usize] {
            b'#' => "ij",
            b'%' => "oe",
            b => LETTERS[(b - b'a') as usize],
        },
        0x1CD | 0x1CE | 0x1DE | 0x1DF => "a",
        0x1CF | 0x1D0 => "i",
        0x1D1 | 0x1D2 | 0x1A0 | 0x1A1 => "o",
        0x1D3..=0x1DC | 0x1AF | 0x1B0 => "u",
        0x1E6 | 0x1E7 | 0x1F4 | 0x1F5 => "g",
        0x218 | 0x219 => "s",
        0x21A | 0x21B => "t",
        0x18F | 0x1DD | 0x259 => "e",
        0x192 => "f",
        0x1E00..=0x1EFF => EXT_ADD.iter().find(|(a, b, _)| (*a..=*b).contains(&cp)).map_or("", |t| t.2),
        _ => "",
    };
    (!s.is_empty()).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    // A small synthetic gazetteer: enough places to exercise ambiguity, articles and weak names.
    // (The second "Harir" in Syria is invented for the test: bigger than the Iraqi one, so only
    // context can pick the Iraqi town.)
    const FIXTURE: &str = "\
# test fixture
geonameid\tname\tkind\tprecision\tfeature\tcountry\tadmin1\tlat\tlon\tpopulation\talt_names\tweak_names\tdemonyms
99237\tIraq\tcountry\tcountry\tPCLI\tIQ\t\t33.0\t44.0\t38433600\tRepublic of Iraq\t\tIraqi
163843\tSyria\tcountry\tcountry\tPCLI\tSY\t\t35.0\t38.0\t17000000\t\t\tSyrian
6252001\tUnited States\tcountry\tcountry\tPCLI\tUS\t\t39.83\t-98.58\t327167434\tU.S.|US|USA|America\t\tAmerican
2635167\tUnited Kingdom\tcountry\tcountry\tPCLI\tGB\t\t54.0\t-2.0\t66488991\tUK|Britain\t\tBritish
248816\tJordan\tcountry\tcountry\tPCLI\tJO\t\t31.0\t36.0\t10000000\t\t\tJordanian
95445\tErbil\tadmin1\tadmin1\tADM1\tIQ\tErbil\t36.4\t44.2\t2323470\tArbil|Irbil|Hewler|Erbil Governorate\t\t
99592\tAnbar\tadmin1\tadmin1\tADM1\tIQ\tAnbar\t33.76\t42.04\t632674\tAl Anbar|Al-Anbar Governorate\t\t
4829764\tAlabama\tadmin1\tadmin1\tADM1\tUS\tAlabama\t32.75\t-86.75\t4800000\t\t\t
95446\tErbil\ttown\ttown\tPPLA\tIQ\tErbil\t36.19117\t44.00943\t1612700\tArbil|Irbil|Hewler|Hawler\t\t
900001\tHarir\ttown\ttown\tPPL\tIQ\tErbil\t36.55111\t44.35258\t32171\t\t\t
900002\tHarir\ttown\ttown\tPPL\tSY\tAleppo\t36.2\t37.1\t90000\t\t\t
98182\tBaghdad\ttown\ttown\tPPLC\tIQ\tBaghdad\t33.34058\t44.40088\t7216000\t\t\t
99532\tBasrah\ttown\ttown\tPPL\tIQ\tBasra\t30.50852\t47.7804\t1326564\tBasra\t\t
388349\tAr Ramadi\ttown\ttown\tPPL\tIQ\tAnbar\t33.42056\t43.30778\t223500\t\t\t
2639577\tReading\ttown\ttown\tPPL\tGB\tEngland\t51.45625\t-0.97113\t244070\t\tReading\t
4076598\tMobile\ttown\ttown\tPPL\tUS\tAlabama\t30.69436\t-88.04305\t190000\t\tMobile\t
2988507\tParis\ttown\ttown\tPPLC\tFR\tIle-de-France\t48.85341\t2.3488\t2138551\t\t\t
4717560\tParis\ttown\ttown\tPPL\tUS\tTexas\t33.66094\t-95.55551\t25171\t\t\t
\tal-Harir Air Base\tsite\ttown\tair base\tIQ\tErbil\t36.55111\t44.35258\t0\tHarir air base|Harir airbase\t\t
98410\tKirkuk\tadmin1\tadmin1\tADM1\tIQ\tKirkuk\t35.40702\t44.0225\t1052788\t\t\t
94787\tKirkuk\ttown\ttown\tPPLA\tIQ\tKirkuk\t35.46806\t44.39222\t1031000\t\t\t
3996063\tMexico\tcountry\tcountry\tPCLI\tMX\t\t23.0\t-102.0\t126190788\t\t\tMexican
3530597\tMexico City\ttown\ttown\tPPLC\tMX\tMexico City\t19.42847\t-99.12766\t12294193\tMexico\t\t
\tRed Sea\tregion\tregion\tsea\t\t\t20.0\t38.5\t0\t\t\t
";

    fn gaz() -> Gazetteer {
        Gazetteer::from_tsv(FIXTURE).expect("fixture loads")
    }

    // `capitalised` as it was before it stopped collecting the words (the reference).
    fn capitalised_ref(span: &str) -> bool {
        let mut words = span.split([' ', '-']).filter(|w| !w.is_empty()).peekable();
        let first = words.peek().copied().unwrap_or("");
        let is_article = first.len() <= 3 && is_article(first.to_ascii_lowercase().as_bytes());
        let body: Vec<&str> =
            if is_article && span.len() > first.len() + 1 { words.skip(1).collect() } else { words.collect() };
        let starts_upper = |w: &&str| w.chars().find(|c| c.is_alphabetic()).is_some_and(char::is_uppercase);
        match body.as_slice() {
            [] => false,
            [one] => starts_upper(one),
            many => many.iter().any(starts_upper),
        }
    }

    #[test]
    fn capitalised_matches_the_reference() {
        for s in ["al-Anbar", "al-anbar", "Al", "al", "", "-", "occupied West Bank", "El Paso", "ÉL paso", "Ar Raqqah"]
        {
            assert_eq!(capitalised(s), capitalised_ref(s), "{s:?}");
        }
    }

    #[test]
    fn resolve_where_keeps_what_resolve_gives() {
        let g = gaz();
        let text = "Clashes in Harir, in Erbil province, and in Baghdad; Iraqi officials in Anbar said.";
        let all = g.geoparse(text, None);
        assert!(all.len() >= 3, "{all:?}");
        assert_eq!(g.geoparse_where(text, None, |_| true), all);
        let towns = g.geoparse_where(text, None, |r| r.kind == PlaceKind::Town && r.text.is_empty());
        let want: Vec<_> = all.iter().filter(|r| r.kind == PlaceKind::Town).cloned().collect();
        assert!(!want.is_empty());
        assert_eq!(towns, want);
    }

    // The article scan as it was before spaces were found eight bytes at a time (the reference).
    fn article_hits_ref(f: &Folded, text: &str) -> Vec<(usize, usize)> {
        let b = &f.bytes;
        let mut hits = Vec::new();
        for j in memchr::memchr_iter(b' ', b) {
            if j + 1 >= b.len() || !is_word(b[j + 1]) {
                continue;
            }
            for n in [2, 3] {
                let Some(i) = j.checked_sub(n) else { continue };
                let word = &b[i..j];
                if !is_article(word) || (i > 0 && is_word(b[i - 1])) {
                    continue;
                }
                let hyphen = text[f.orig(j)..].starts_with('-');
                let upper = text[f.orig(i)..].starts_with(|c: char| c.is_ascii_uppercase());
                let al_el = word == b"al" || word == b"el";
                if (hyphen || upper || al_el) && word != b"al" {
                    hits.push((i, j));
                }
                break;
            }
        }
        hits
    }

    // `names_at` as it was before the hash was carried from one prefix to the next.
    fn names_at_ref(ix: &NameIndex, hay: &[u8], i: usize) -> Vec<(usize, u32)> {
        let mut out = Vec::new();
        for e in i + 1..=hay.len() {
            if e < hay.len() && is_word(hay[e]) {
                continue;
            }
            match ix.slots[ix.slot(&hay[i..e])].0 {
                0 => break,
                k => match ix.keys[k as usize - 1].2 {
                    PREFIX_ONLY => {}
                    pid => out.push((e, pid)),
                },
            }
        }
        out
    }

    // `count_long_words` as `title_case_line` counted before (the reference).
    fn count_long_words_ref(s: &str) -> (usize, usize) {
        let words: Vec<&str> = s.split_whitespace().filter(|w| w.chars().count() >= 4).collect();
        let caps = words.iter().filter(|w| w.chars().next().is_some_and(char::is_uppercase)).count();
        (words.len(), caps)
    }

    #[test]
    fn lower_first_words_short_and_long() {
        let header = FIXTURE.lines().nth(1).unwrap();
        let rows = "1\toccupied West Bank\tregion\tregion\t\tPS\t\t32\t35.3\t0\t\t\t\n\
                    2\tverylongfirstwordofaname Hill\ttown\ttown\tPPL\tUS\t\t40\t-80\t5000\t\t\t\n";
        let g = Gazetteer::from_tsv(&format!("{header}\n{rows}")).unwrap();
        assert!(g.is_lower_first(b"occupied") && g.is_lower_first(b"verylongfirstwordofaname"));
        assert!(!g.is_lower_first(b"the") && !g.is_lower_first(b"verylongfirstwordofanam"));
        assert_eq!(g.geoparse("Settlers in the occupied West Bank.", None)[0].text, "occupied West Bank");
    }

    proptest! {
        #[test]
        fn article_hits_match_the_reference(text in "[aAlLeEsShHrRtTdDzZn \\-’é.]{0,60}") {
            let f = Folded::fold_chars(&text, Vec::new(), Vec::new());
            prop_assert_eq!(f.article_hits(&text), article_hits_ref(&f, &text));
        }

        #[test]
        fn space_iter_finds_every_space(b in proptest::collection::vec(prop_oneof![Just(b' '), any::<u8>()], 0..70)) {
            let want: Vec<usize> = memchr::memchr_iter(b' ', &b).collect();
            prop_assert_eq!(SpaceIter::new(&b).collect::<Vec<_>>(), want);
        }

        #[test]
        fn names_at_matches_the_reference(text in "[A-Za-z ,.'’-]{0,12}(Iraq|Erbil|Harir air base|Mexico City|Red Sea|al-Anbar|U\\.S\\.)?[A-Za-z ,.-]{0,12}") {
            let g = gaz();
            let f = Folded::new(&text);
            let mut out = Vec::new();
            for i in 0..f.bytes.len() {
                g.matcher.names_at(&f.bytes, i, &mut out);
                prop_assert_eq!(&out, &names_at_ref(&g.matcher, &f.bytes, i));
            }
        }

        #[test]
        fn pack_word_is_one_to_one(a in "[a-c\\x00]{0,17}", b in "[a-c\\x00]{0,17}") {
            let (pa, pb) = (pack_word(a.as_bytes()), pack_word(b.as_bytes()));
            prop_assert_eq!(pa.is_some(), a.len() < 16);
            if pa.is_some() && pb.is_some() {
                prop_assert_eq!(pa == pb, a == b);
            }
        }

        #[test]
        fn count_long_words_matches_the_reference(s in "[ aAbÉé\u{a0}\u{2003}\u{85}\t\n\u{1c}\u{b}]{0,60}") {
            prop_assert_eq!(count_long_words(&s), count_long_words_ref(&s));
        }

        #[test]
        fn count_long_words_matches_the_reference_on_any_text(s in "(?s).{0,80}") {
            prop_assert_eq!(count_long_words(&s), count_long_words_ref(&s));
        }
    }

    proptest! {
        #[test]
        fn capitalised_matches_the_reference_on_noise(s in "[aAlLeErR\u{c9}x -]{0,12}") {
            prop_assert_eq!(capitalised(&s), capitalised_ref(&s));
        }
    }

    fn names(g: &Gazetteer, text: &str) -> Vec<(String, String, String)> {
        g.geoparse(text, None).into_iter().map(|r| (r.text, r.name, r.country)).collect()
    }

    #[test]
    fn titles_and_given_names_start_with_an_ascii_capital() {
        for w in TITLES.iter().chain(FIRST_NAMES) {
            assert!(w.as_bytes().first().is_some_and(u8::is_ascii_uppercase), "{w}");
        }
    }

    #[test]
    fn tally_adds_per_key_in_order() {
        let mut t: Tally<(usize, &str)> = Tally::default();
        *t.at((0, "IQ")) += 1.0;
        *t.at((1, "IQ")) += 0.5;
        *t.at((0, "IQ")) += 2.0;
        *t.at((0, "SY")) += 0.1;
        assert_eq!((t.get(&(0, "IQ")), t.get(&(1, "IQ")), t.get(&(0, "SY"))), (Some(3.0), Some(0.5), Some(0.1)));
        assert_eq!((t.get(&(1, "SY")), t.0.len()), (None, 3));
    }

    #[test]
    fn loads_fixture() {
        let g = gaz();
        assert_eq!(g.places().len(), 24);
        assert!(g.stats().names > 19);
        let site = g.places().iter().find(|p| p.kind == PlaceKind::Site).unwrap();
        assert_eq!(site.geonameid, None);
        assert_eq!(site.precision, Precision::Town);
    }

    #[test]
    fn rejects_bad_input() {
        assert!(matches!(Gazetteer::from_tsv("# only a comment\n"), Err(GazetteerError::MissingHeader)));
        assert!(matches!(Gazetteer::from_tsv("name\tkind\n"), Err(GazetteerError::MissingColumn("geonameid"))));
        let header = FIXTURE.lines().nth(1).unwrap();
        assert!(matches!(Gazetteer::from_tsv(&format!("{header}\n")), Err(GazetteerError::Empty)));
        let bad_lat = format!("{header}\n1\tX\ttown\ttown\tPPL\tIQ\t\tnorth\t44\t0\t\t\t\n");
        assert!(matches!(Gazetteer::from_tsv(&bad_lat), Err(GazetteerError::BadRow { line: 2, .. })));
        let bad_kind = format!("{header}\n1\tX\tvillage\ttown\tPPL\tIQ\t\t1\t44\t0\t\t\t\n");
        assert!(matches!(Gazetteer::from_tsv(&bad_kind), Err(GazetteerError::BadRow { .. })));
    }

    #[test]
    fn word_boundaries() {
        let g = gaz();
        assert!(names(&g, "Iraqis protested in the streets.").is_empty());
        assert_eq!(names(&g, "Iraq's government said")[0].1, "Iraq");
        assert!(names(&g, "a Basrawi merchant").is_empty());
        let r = names(&g, "Fighting in Basra, Iraq.");
        assert_eq!(r[0], ("Basra".into(), "Basrah".into(), "IQ".into()));
        // "Parisian" is not Paris; "ErbilX" is not Erbil.
        assert!(names(&g, "A Parisian cafe near ErbilX.").is_empty());
    }

    #[test]
    fn article_and_hyphen_variants() {
        let g = gaz();
        for text in ["clashes in al-Anbar province", "clashes in Al Anbar", "clashes in Anbar", "clashes in al Anbar"] {
            let r = g.geoparse(text, None);
            assert_eq!(r.len(), 1, "{text}");
            assert_eq!((r[0].name.as_str(), r[0].kind), ("Anbar", PlaceKind::Admin1), "{text}");
        }
        for text in ["in Ramadi on Friday", "in al-Ramadi on Friday", "in Ar Ramadi on Friday", "in ar-Ramadi today"] {
            let r = g.geoparse(text, None);
            assert_eq!(r.len(), 1, "{text}");
            assert_eq!(r[0].name, "Ar Ramadi", "{text}");
        }
        let r = g.geoparse("near the al-Harir air base", None);
        assert_eq!(r[0].text, "al-Harir air base");
        assert_eq!(r[0].kind, PlaceKind::Site);
        // Diacritics fold: GeoNames-style spelling in the text.
        assert_eq!(names(&g, "from Arbīl")[0].1, "Erbil");
    }

    #[test]
    fn context_resolves_ambiguity() {
        let g = gaz();
        // Alone, the bigger (Syrian) Harir wins on population.
        let alone = g.geoparse("Shelling was reported in Harir.", None);
        assert_eq!(alone[0].country, "SY");
        // With Erbil and Iraq in the document, Harir is the Iraqi town in Erbil governorate.
        let text = "A drone hit a base near Harir. Officials in Erbil said the attack, the third in Iraq this week, caused no casualties.";
        let r = g.geoparse(text, None);
        let harir = r.iter().find(|r| r.text == "Harir").unwrap();
        assert_eq!((harir.country.as_str(), harir.admin1.as_str()), ("IQ", "Erbil"));
        // The caller's hint works the same way.
        assert_eq!(g.geoparse("Shelling was reported in Harir.", Some("IQ"))[0].country, "IQ");
        // A hint is weak evidence: a national capital still beats a small namesake ("Paris", Texas).
        assert_eq!(g.geoparse("Talks in Paris ended.", None)[0].country, "FR");
        assert_eq!(g.geoparse("Talks in Paris ended.", Some("US"))[0].country, "FR");
        // Erbil the city beats Erbil the governorate; "Erbil governorate" is the governorate.
        assert_eq!(g.geoparse("in Erbil", None)[0].kind, PlaceKind::Town);
        assert_eq!(g.geoparse("in Erbil Governorate", None)[0].kind, PlaceKind::Admin1);
        assert_eq!(g.geoparse("in Erbil province", None)[0].kind, PlaceKind::Admin1);
    }

    #[test]
    fn specific_and_canonical_readings_win() {
        let g = gaz();
        // A town and the province named after it: the town, unless the text says "province".
        let r = g.geoparse("Clashes in Kirkuk left two dead.", None);
        assert_eq!((r[0].kind, r[0].lat), (PlaceKind::Town, 35.46806));
        assert_eq!(g.geoparse("Clashes in Kirkuk province.", None)[0].kind, PlaceKind::Admin1);
        // "Mexico" is the country even though it is also an alternate name of its capital, and
        // even in a text full of Mexican places.
        let r = g.geoparse("Mexico City police said drugs reached Mexico from the south.", None);
        assert_eq!(r.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["Mexico City", "Mexico"]);
        // A nationality word inside a longer name is not a place.
        assert!(g.geoparse("Latin American leaders met.", None).is_empty());
        assert_eq!(g.geoparse("Ships in the Red Sea were hit.", None)[0].kind, PlaceKind::Region);
    }

    #[test]
    fn weak_words_need_context() {
        let g = gaz();
        assert!(names(&g, "Reading the report, officials said nothing.").is_empty());
        assert!(names(&g, "Mobile phones were seized.").is_empty());
        assert_eq!(names(&g, "A protest in Reading drew hundreds.")[0].1, "Reading");
        let r = g.geoparse("The storm hit Mobile, Alabama overnight.", None);
        assert_eq!(r[0].name, "Mobile");
        assert_eq!(r[1].name, "Alabama");
        // Months and stop-words are never places, lower-case names are never matched.
        assert!(names(&g, "In May the iraq border reopened").is_empty());
    }

    #[test]
    fn abbreviations_need_exact_case() {
        let g = gaz();
        assert_eq!(names(&g, "US forces withdrew")[0].1, "United States");
        assert_eq!(names(&g, "U.S. forces withdrew")[0].1, "United States");
        assert!(names(&g, "Let us go. Us too.").is_empty());
        assert_eq!(names(&g, "Troops from the UK arrived")[0].1, "United Kingdom");
    }

    #[test]
    fn demonyms_map_to_country_with_low_score() {
        let g = gaz();
        let r = g.geoparse("Iraqi police found a missile.", None);
        assert_eq!(r.len(), 1);
        assert!(r[0].demonym);
        assert_eq!((r[0].name.as_str(), r[0].kind), ("Iraq", PlaceKind::Country));
        assert!(r[0].score <= 0.3);
    }

    #[test]
    fn people_are_not_places() {
        let g = gaz();
        assert!(names(&g, "Michael Jordan scored. Later Jordan said he was tired.").is_empty());
        assert!(names(&g, "President Jordan spoke.").is_empty());
        assert_eq!(names(&g, "Refugees crossed into Jordan.")[0].1, "Jordan");
        // Arabic surnames built on place names, after a given name.
        assert!(names(&g, "The cleric Muqtada al-Anbar spoke.").is_empty());
        // Part of a longer proper name: kept, but flagged.
        let r = g.geoparse("The Baghdad Post reported clashes in Baghdad.", None);
        assert_eq!(r.iter().map(|r| r.embedded).collect::<Vec<_>>(), [true, false]);
    }

    #[test]
    fn offsets_point_into_original_text() {
        let g = gaz();
        let text = "Über “Ḩarir” — and al‑Anbar’s towns; U.S.-led.";
        for r in g.geoparse(text, None) {
            assert_eq!(&text[r.start..r.end], r.text);
        }
        let t = g.find(text);
        assert!(t.iter().any(|t| t.text == "U.S."), "{t:?}");
    }

    #[test]
    fn word_lists_are_sorted_for_binary_search() {
        for list in [STOP_WORDS, TITLES, FIRST_NAMES, NOT_GIVEN_NAMES, PLACE_WORDS, LOCATIVES] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{:?}", list.windows(2).find(|w| w[0] >= w[1]));
        }
    }

    #[test]
    fn word_sets_hold_exactly_their_lists() {
        let sets: [(&[&str], &WordSet); 6] = [
            (STOP_WORDS, &STOP_SET),
            (TITLES, &TITLE_SET),
            (FIRST_NAMES, &FIRST_NAME_SET),
            (NOT_GIVEN_NAMES, &NOT_GIVEN_SET),
            (PLACE_WORDS, &PLACE_SET),
            (LOCATIVES, &LOCATIVE_SET),
        ];
        let all: Vec<&str> = sets.iter().flat_map(|(l, _)| l.iter().copied()).collect();
        for (list, set) in sets {
            assert_eq!(set.0.len(), list.len(), "a listed word is 16 bytes or longer");
            for w in all.iter().chain(&["", "Sa", "Saidx", "in ", "Bagh", "Northeasterner", "Spokespersonsxyz"]) {
                assert_eq!(set.contains(w), list.binary_search(w).is_ok(), "{w:?}");
            }
        }
    }

    #[test]
    fn latin_fold_table_is_complete() {
        for cp in 0x100u32..=0x17F {
            let c = char::from_u32(cp).unwrap();
            let f = fold_latin(c).unwrap();
            assert!(f.bytes().all(|b| b.is_ascii_lowercase()), "{c} -> {f}");
        }
        assert_eq!(fold_latin('Ḩ'), Some("h"));
        assert_eq!(fold_latin('ş'), Some("s"));
        assert_eq!(fold_latin('ā'), Some("a"));
        assert_eq!(fold_name("Dayr az-Zawr"), b"dayr al zawr".to_vec());
        assert_eq!(fold_name("Deir ez-Zor"), b"deir al zor".to_vec());
        assert_eq!(fold_name("Ma’rib"), b"marib".to_vec());
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

        #[test]
        fn never_panics_and_spans_are_char_boundaries(text in "[ -~ÄÖüßḨḩāīō’‘“”—\u{0627}-\u{064a}\n]{0,200}") {
            let g = gaz();
            let found = g.find(&text);
            for t in &found {
                prop_assert!(t.start < t.end && t.end <= text.len());
                prop_assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
                prop_assert_eq!(&text[t.start..t.end], t.text.as_str());
            }
            for w in found.windows(2) {
                prop_assert!(w[0].end <= w[1].start);
            }
            for r in g.resolve(&found, &text, Some("IQ")) {
                prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
                prop_assert!((0.0..=1.0).contains(&r.score));
            }
        }

        #[test]
        fn never_panics_on_arbitrary_unicode(text in "(?s).{0,160}", hint in proptest::option::of("[A-Z]{2}")) {
            let g = gaz();
            let found = g.find(&text);
            for r in g.resolve(&found, &text, hint.as_deref()) {
                prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end) && r.start < r.end);
                prop_assert_eq!(&text[r.start..r.end], r.text.as_str());
            }
        }

        #[test]
        fn names_embedded_in_noise_are_found(prefix in "[a-z ,.]{0,20}", suffix in "[ ,.;]{1,3}[a-z ]{0,20}") {
            let g = gaz();
            let text = format!("{prefix} in Baghdad{suffix}");
            let r = g.geoparse(&text, None);
            prop_assert!(r.iter().any(|r| r.name == "Baghdad"), "{:?}", r);
        }
    }
}
