#!/usr/bin/env python3
"""Deterministic news-corpus generator for sitrep benchmarks (stdlib only).

Writes an inbox of news *bundles* in every format sitrep reads, with
news-like articles: realistic lengths (log-normal around ~3 KB), titles,
datelines ("BAGHDAD, Jan 5 (Reuters) -", "AFP , Friday 5 Jan 2024"),
"Updated:" stamps, boilerplate lines (related links, share bars, photo
credits, copyright...), relative dates ("on Tuesday", "two days ago"),
casualty phrases ("killed at least 12 people"), quotes, hard-wrapped text,
and duplicates: exact copies in other bundles and edited wire copies (a
sentence dropped, UK/US spellings, a new title, truncated to two thirds).

Text source (--text):
  synth  template sentences filled with per-story places, actors, people,
         numbers and days (no external data; the default);
  real   sentences of the real news in ../shared/dev (ECB+ and MEANTIME),
         re-mixed per topic and replicated to any size (the corpus text is
         read at run time and never copied into the repository);
  mix    half and half.

Output is a pure function of the arguments (same --seed, same bytes), and
independent of --jobs: the corpus is made in chunks of CHUNK files, each with
its own RNG stream (duplicates and wire copies refer to articles of the same
chunk). A manifest (JSON: articles, bytes, formats, arguments) is written
next to OUT_DIR, never inside it (sitrep would read it as a bundle).

Examples:
  gen_corpus.py corpus/inbox --total 10000                  # ~10k articles, all formats
  gen_corpus.py corpus/inbox --total 1000000 --jobs 2       # ~3 GB
  gen_corpus.py corpus/inbox --total 2000 --layout txt1     # one article per .txt (the Python peer)
  gen_corpus.py corpus/inbox --total 5000 --text real       # ECB+/MEANTIME text replicated
  gen_corpus.py corpus/inbox --files 200 --articles 100     # the old interface: FILES x ARTICLES
  gen_corpus.py corpus/inbox --total 20000 --formats txt=1,jsonl=1

Formats (--formats NAME=WEIGHT,...; weights are shares of *articles*):
  txt      multi-article .txt (header blocks, "date" prefixes, datelines; "=====" or form feed)
  jsonl    .jsonl feeds (field names vary per feed: text/body/maintext, date/published/epoch...)
  json     .json arrays
  html     one saved web page per .html file (nav, aside, footer, meta tags)
  warc     .warc.gz, one gzip member per record (response + request/metadata records)
  txtgz    .txt.gz
  jsonlgz  .jsonl.gz
"""
import argparse
import datetime as dt
import glob
import gzip
import io
import json
import math
import os
import random
import re
import sys
import xml.etree.ElementTree as ET

CHUNK = 200  # files per RNG chunk (fixed: changing it changes the corpus)
DEFAULT_FORMATS = "txt=30,jsonl=30,json=8,txtgz=8,jsonlgz=10,warc=9,html=5"
MEAN_PER_BUNDLE = {"txt": 50, "jsonl": 100, "json": 40, "txtgz": 50, "jsonlgz": 100, "warc": 40, "html": 1}

# --------------------------------------------------------------------------- vocabulary
PLACES = [  # (city, country, region)
    ("Mosul", "Iraq", "Nineveh"), ("Kirkuk", "Iraq", "Kirkuk"), ("Basra", "Iraq", "Basra"),
    ("Erbil", "Iraq", "Kurdistan"), ("Tikrit", "Iraq", "Salahuddin"), ("Ramadi", "Iraq", "Anbar"),
    ("Fallujah", "Iraq", "Anbar"), ("Samarra", "Iraq", "Salahuddin"), ("Baghdad", "Iraq", "Baghdad"),
    ("Aleppo", "Syria", "Aleppo"), ("Idlib", "Syria", "Idlib"), ("Homs", "Syria", "Homs"),
    ("Deir ez-Zor", "Syria", "Deir ez-Zor"), ("Raqqa", "Syria", "Raqqa"), ("Daraa", "Syria", "Daraa"),
    ("Sanaa", "Yemen", "Sanaa"), ("Aden", "Yemen", "Aden"), ("Marib", "Yemen", "Marib"),
    ("Taiz", "Yemen", "Taiz"), ("Hodeidah", "Yemen", "Hodeidah"), ("Kabul", "Afghanistan", "Kabul"),
    ("Kandahar", "Afghanistan", "Kandahar"), ("Jalalabad", "Afghanistan", "Nangarhar"),
    ("Herat", "Afghanistan", "Herat"), ("Mogadishu", "Somalia", "Banadir"), ("Kismayo", "Somalia", "Jubaland"),
    ("Baidoa", "Somalia", "Bay"), ("Gao", "Mali", "Gao"), ("Timbuktu", "Mali", "Timbuktu"),
    ("Mopti", "Mali", "Mopti"), ("Maiduguri", "Nigeria", "Borno"), ("Kaduna", "Nigeria", "Kaduna"),
    ("Zamfara", "Nigeria", "Zamfara"), ("Goma", "Democratic Republic of the Congo", "North Kivu"),
    ("Bunia", "Democratic Republic of the Congo", "Ituri"), ("Beni", "Democratic Republic of the Congo", "North Kivu"),
    ("Khartoum", "Sudan", "Khartoum"), ("El Fasher", "Sudan", "North Darfur"), ("Nyala", "Sudan", "South Darfur"),
    ("Tripoli", "Libya", "Tripoli"), ("Benghazi", "Libya", "Cyrenaica"), ("Sirte", "Libya", "Sirte"),
    ("Kharkiv", "Ukraine", "Kharkiv"), ("Kherson", "Ukraine", "Kherson"), ("Zaporizhzhia", "Ukraine", "Zaporizhzhia"),
    ("Donetsk", "Ukraine", "Donetsk"), ("Odesa", "Ukraine", "Odesa"), ("Peshawar", "Pakistan", "Khyber Pakhtunkhwa"),
    ("Quetta", "Pakistan", "Balochistan"), ("Karachi", "Pakistan", "Sindh"), ("Rakhine", "Myanmar", "Rakhine"),
    ("Mandalay", "Myanmar", "Mandalay"), ("Port-au-Prince", "Haiti", "Ouest"), ("Culiacan", "Mexico", "Sinaloa"),
    ("Ouagadougou", "Burkina Faso", "Centre"), ("Djibo", "Burkina Faso", "Sahel"), ("Niamey", "Niger", "Niamey"),
    ("Tillaberi", "Niger", "Tillaberi"), ("Bamenda", "Cameroon", "Northwest"), ("Cabo Delgado", "Mozambique", "Cabo Delgado"),
]
FORCES = ["security forces", "the army", "police", "government troops", "border guards", "special forces",
          "the national guard", "counter-terrorism units", "paramilitary police", "the air force",
          "coalition forces", "peacekeepers", "the interior ministry", "civil defence teams"]
ARMED = ["militants", "gunmen", "insurgents", "a local militia", "rebel fighters", "jihadists", "armed men",
         "a rebel faction", "tribal fighters", "bandits", "suspected militants", "an armed group",
         "fighters loyal to the former governor", "unidentified attackers"]
CIVIL = ["protesters", "students", "farmers", "traders", "residents", "displaced families", "workers",
         "teachers", "journalists", "opposition supporters", "villagers", "pilgrims"]
ATTACKS = [("attacked", "an attack"), ("ambushed", "an ambush"), ("shelled", "shelling"), ("raided", "a raid"),
           ("bombed", "a bombing"), ("stormed", "an assault"), ("fired on", "gunfire"), ("struck", "a strike")]
WEAPONS = ["a roadside bomb", "a car bomb", "mortar rounds", "a drone", "rockets", "artillery", "a suicide bomber",
           "an improvised explosive device", "heavy machine guns", "an air strike", "a landmine", "grenades"]
TARGETS = ["a checkpoint", "a police station", "a military base", "a market", "a convoy", "a village",
           "a mosque", "a school", "a hospital", "a bus station", "an army post", "a camp for displaced people",
           "a bridge", "a power station", "a border crossing", "the airport road"]
VICTIMS = ["people", "civilians", "soldiers", "police officers", "fighters", "children", "members of the security forces",
           "villagers", "militants", "aid workers"]
SAYS = ["said", "told reporters", "said in a statement", "told the news agency", "said on Tuesday",
        "wrote on social media", "told local television", "said by telephone"]
ROLES = ["a police spokesman", "the provincial governor", "a military spokesman", "a local official",
         "a hospital director", "an army officer", "a witness", "a resident", "the health ministry",
         "a spokesman for the group", "a security source", "the mayor", "a United Nations official"]
FIRST = ["Ahmed", "Mohammed", "Fatima", "Ali", "Hassan", "Omar", "Aisha", "Yusuf", "Ibrahim", "Khalid", "Maryam",
         "John", "Maria", "Olena", "Dmytro", "Amina", "Abdullahi", "Grace", "Samuel", "Haruna", "Nadia", "Karim",
         "Layla", "Tariq", "Salim", "Joseph", "Pierre", "Ana", "Luis", "Aung", "Hamid", "Zainab", "Musa", "Idris"]
LAST = ["al-Hashimi", "Hussein", "Abdi", "Mahamat", "Kovalenko", "Shevchenko", "Bello", "Okafor", "Haidari",
        "Rahimi", "Diallo", "Traore", "Keita", "Mensah", "Ibrahim", "Osman", "Yousef", "Nasser", "Karimi",
        "al-Amin", "Mugisha", "Kabila", "Ndiaye", "Sow", "Garcia", "Lopez", "Htun", "Khan", "Baloch", "Yusufzai"]
OUTLETS = [("Reuters", "reuters.example"), ("AFP", "afp.example"), ("AP", "apnews.example"),
           ("The Daily Monitor", "monitor.example"), ("Kurdistan 24", "k24.example"), ("Al Mada", "almada.example"),
           ("The National Herald", "herald.example"), ("Sahel Times", "saheltimes.example"),
           ("Kyiv Post", "kyivpost.example"), ("Dawn Wire", "dawnwire.example"), ("Radio Dabanga", "dabanga.example"),
           ("Garowe Online", "garowe.example"), ("Premium Times", "premium.example"), ("The Frontier Post", "frontier.example")]
WIRES = ["Reuters", "AFP", "AP", "Xinhua", "Anadolu", "dpa"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
MON3 = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
NUMWORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
            "twelve", "dozens of", "scores of"]
RELATIVE = ["on {wday}", "late on {wday}", "early on {wday}", "on {wday} night", "yesterday", "last week",
            "two days ago", "earlier this month", "overnight", "on {mon3}. {mday}", "on {month} {mday}",
            "three days earlier", "last month", "in {month} last year", "this morning", "on the same day"]
BACKGROUND = [
    "The area has seen repeated fighting since {year}, when {armed} seized several villages nearby.",
    "{country} has struggled to contain violence in {region} for more than a decade.",
    "No group immediately claimed responsibility, but {armed} have carried out similar attacks in the region.",
    "The United Nations says more than {big} people have been displaced in {region} this year alone.",
    "Humanitarian agencies have warned that access to {city} remains limited because of insecurity.",
    "Talks between the government and {armed} stalled in {month} after a ceasefire collapsed.",
    "Rights groups have accused both sides of abuses against civilians, charges they deny.",
    "The road between {city} and {city2} has been closed to traffic for weeks.",
    "Prices of fuel and food in {city} have doubled since the start of the year, traders said.",
    "Local elections are due in {month}, and officials fear that the violence could delay the vote.",
    "The government has announced a curfew in parts of {region} from 8 p.m. to 6 a.m.",
    "Aid convoys resumed {rel} after a pause of several days, according to the World Food Programme.",
    "Schools in the district were closed as a precaution, the education ministry said.",
    "Analysts say the group has exploited local grievances over land and water to recruit young men.",
    "Mobile phone networks in {region} were cut for several hours, residents said.",
    "The health ministry said hospitals in {city} were running short of blood and medicine.",
    "A previous attack on {target} in {city2} in {month} killed {n2} people.",
    "Parliament is expected to debate an extension of the state of emergency next week.",
]
EVENT = [
    "{Armed} {attack} {target} near {city} {rel}, killing at least {n} {victims}, {role} {says}.",
    "At least {n} {victims} were killed and {m} wounded when {weapon} hit {target} in {city} {rel}.",
    "{Forces} {attack} positions held by {armed} outside {city} {rel}, {role} {says}.",
    "{Weapon} exploded near {target} in central {city} {rel}, leaving {n} dead and {m} injured.",
    "{Forces} said they had killed {n} {armed2} and arrested {m} others in an operation in {region}.",
    "The death toll from {attack_n} on {target} in {city} has risen to {n}, {role} {says}.",
    "{Nw} {victims} were wounded in the clashes, which lasted several hours, according to witnesses.",
    "{Forces} arrested {m} suspects in connection with the attack {rel}.",
    "Hundreds of {civil} marched through {city} {rel} to protest against the killings.",
    "Police fired tear gas to disperse {civil} who had blocked the main road in {city}.",
    "No casualties were reported in the second attack, which targeted {target} in {city2}.",
    "{Armed} abducted {n} {civil} from {target} near {city} {rel}, {role} {says}.",
    "{Weapon} struck {target} in {city} {rel}, killing {nw} {victims}.",
    "Fighting between {forces} and {armed} in {region} has killed more than {big} people since {month}.",
    "{Forces} said they shot down {nw} drones launched towards {city} {rel}.",
]
QUOTES = [
    "\"We heard a huge explosion and then gunfire for about an hour,\" {person}, a resident of {city}, {says}.",
    "\"The situation is under control and the perpetrators will be brought to justice,\" {role} {says}.",
    "\"We have received {n} bodies and dozens of wounded, some in critical condition,\" {person}, {role}, {says}.",
    "\"Nobody has come to help us. We are afraid to leave our homes,\" {person} {says}.",
    "\"This is a cowardly act that targets innocent people,\" {person}, {role}, {says}.",
    "{Person}, {role}, {says} the attackers had arrived on motorcycles and fled towards the border.",
]
# Generic news sentences: subject + verb phrase + object + clause (~1.5M combinations).
SUBJ = ["The government", "The ministry of defence", "Local authorities", "The provincial council", "Opposition leaders",
        "Aid agencies", "The European Union", "Regional leaders", "The central bank", "Tribal elders", "The World Health Organization",
        "Neighbouring countries", "The prime minister", "The president's office", "Community leaders", "The electoral commission",
        "The finance ministry", "Human rights monitors", "The African Union", "Military commanders", "Religious leaders",
        "The committee", "Witnesses", "Diplomats", "Lawmakers", "The chamber of commerce", "Hospital staff", "Teachers' unions",
        "Farmers' associations", "Investigators"]
VERBP = ["called for an independent investigation into", "announced new measures to deal with", "warned of the risks of",
         "held emergency talks on", "promised compensation for", "criticised the handling of", "pledged $20 million for",
         "set up a committee to examine", "urged restraint over", "postponed a decision on", "demanded an explanation for",
         "expressed concern about", "rejected accusations over", "opened an inquiry into", "renewed calls to end",
         "discussed plans to rebuild", "appealed for funds to address", "reported progress on", "questioned the figures on",
         "blamed the opposition for", "described as unacceptable", "agreed to share information on", "launched a campaign against",
         "sent a delegation to assess", "published a report on", "asked donors to support", "condemned", "welcomed", "monitored",
         "downplayed"]
OBJ = ["the security situation", "the humanitarian crisis", "rising food prices", "the displacement of civilians",
       "the shortage of medicine", "the recruitment of child soldiers", "attacks on health workers", "the closure of schools",
       "the water crisis", "the arrest of journalists", "the collapse of the ceasefire", "border controls",
       "the return of refugees", "damage to roads and bridges", "the cost of reconstruction", "fuel shortages",
       "the disputed election results", "the treatment of detainees", "cross-border smuggling", "power cuts",
       "the kidnapping of traders", "illegal checkpoints", "land disputes between communities", "the budget deficit",
       "the fate of missing persons", "the spread of cholera", "the protection of aid convoys", "unpaid salaries",
       "curfew violations", "the weapons amnesty", "the peace process", "the reopening of the airport", "the wheat harvest",
       "mine clearance", "the new constitution", "the national dialogue", "mass graves found last year", "the census",
       "rising unemployment", "corruption in the police"]
CLAUSE = ["", "", "", " amid rising tensions in the region", " despite a ceasefire agreed last month",
          " after weeks of pressure from donors", " ahead of a summit next month", " for the second time this year",
          " in a statement released late in the evening", " during a visit to the capital", " without giving details",
          " as the rainy season approaches", " following a meeting with community leaders", " in a televised address",
          " under pressure from the United Nations", " at a news conference", " in response to questions from reporters",
          " according to a copy of the document seen by reporters", " in the wake of the violence",
          " before parliament went into recess", " as negotiations continued behind closed doors",
          " while thousands remain in temporary shelters", " but gave no timetable", " on the sidelines of the talks"]
# A small English grammar for varied filler (so that unrelated articles share few word 3-grams).
ADJ = ("new old local regional national foreign senior former armed civilian military political economic "
       "humanitarian urgent serious violent peaceful northern southern eastern western central rural urban "
       "remote nearby main key major minor strong weak public private official unofficial independent joint "
       "temporary permanent early late recent previous annual monthly weekly daily heavy light large small "
       "long short rapid slow open closed fragile stable disputed controversial secret formal informal "
       "medical legal financial agricultural industrial coastal mountainous border tribal provincial municipal "
       "emergency preliminary final partial full modest sharp steady growing falling").split()
NOUN = ("agreement aid airport ally army attack authority bank border bridge budget camp campaign candidate "
        "ceasefire checkpoint city clinic coalition commander committee community company conflict convoy council "
        "court crisis crop curfew dam deal debt delegation district doctor donor drought economy election embassy "
        "envoy factory family farm fighter flood force fuel governor group harvest highway hospital household "
        "inquiry investor journalist judge land law leader market minister mission money neighbourhood network "
        "office officer official operation party patrol peace pipeline plan police policy port power president "
        "price prison project province rally reform refugee region report road rule school security settlement "
        "shelter soldier spokesman station strike student summit supply talks tax teacher tension town trade "
        "transport treaty tribe troop truce union university valley village visit vote wage war water wheat "
        "witness worker youth").split()
VERB = ("approved blocked built closed condemned criticised cut delayed denied discussed doubled ended expanded "
        "faced feared halted handed improved increased launched limited lost moved negotiated opened ordered "
        "paid planned postponed promised protected raised reached rebuilt reduced rejected released reopened "
        "repaired reported restored reviewed seized signed stopped supported suspended threatened visited warned "
        "welcomed").split()
PREP = ("in near outside around across along beyond inside within throughout").split()
GRAMMAR = [
    "The {a1} {n1} {v1} the {a2} {n2} {p1} {place} {when}.",
    "{Name}, a {a1} {n1} {p1} {place}, said the {n2} had {v1} the {a2} {n3}.",
    "Officials said the {a1} {n1} and the {n2} of the {a2} {n3} were {v1} {when}.",
    "A {a1} {n1} {v1} a {a2} {n2} {p1} the {a3} {n3}, {role} {says}.",
    "The {n1} {v1} its {a1} {n2} after the {a2} {n3} {v2} the {n4}.",
    "In {place}, the {a1} {n1} {v1} {num} {n2}s and {v2} the {a2} {n3}.",
    "{Name} {v1} the {a1} {n1} {when}, saying the {n2} could not wait for the {a2} {n3}.",
    "Residents of the {a1} {n1} said the {n2} {v1} the {n3} {p1} the {a2} {n4}.",
]
WHEN = ["last week", "on Monday", "this year", "in recent months", "earlier", "since the spring", "last year",
        "at the weekend", "two years ago", "in the past month", "overnight", "on Thursday", "this month"]
BOILER = [
    ("related", ["Also read: {title}", "Read more: {title}", "Related: {title}", "READ MORE", "See also: {title}"]),
    ("short", ["Short link: https://{domain}/s/{tok}", "Permalink: https://{domain}/p/{tok}"]),
    ("share", ["Share this article", "Share on Facebook", "Facebook Twitter WhatsApp Email", "Share via:"]),
    ("photo", ["Photo: A damaged vehicle at the site of the attack in {city}. Reuters",
               "Security forces at a checkpoint near {city}. AFP via Getty Images",
               "(Photo by staff photographer / AFP)", "File photo: Smoke rises over {city}. AP"]),
    ("subscribe", ["Subscribe to our newsletter", "Follow us on Telegram", "Sign up for our daily briefings"]),
    ("copyright", ["© {year} {outlet}. All rights reserved.", "Copyright {year} {outlet}"]),
    ("comments", ["Leave a Reply", "Comments (0)", "Your email address will not be published."]),
    ("mt", ["This article was automatically translated from Arabic.", "Powered by automated translation"]),
]
SPELL = [("defense", "defence"), ("neighbor", "neighbour"), ("center", "centre"), ("organization", "organisation"),
         ("percent", "per cent"), ("toward", "towards"), ("said", "stated"), ("people", "persons"),
         ("killed", "left dead"), ("wounded", "injured"), ("attack", "assault"), ("police", "authorities")]
NAV = ["Home", "World", "Middle East", "Africa", "Europe", "Politics", "Business", "Opinion", "Sport", "Video"]


# --------------------------------------------------------------------------- real text
NO_SPACE_BEFORE = {".", ",", ";", ":", "!", "?", ")", "]", "}", "%", "'s", "n't", "'re", "'ve", "'ll", "'d", "'m", "''"}
NO_SPACE_AFTER = {"(", "[", "{", "$", "``", "#"}


def _detok(tokens):
    out = []
    for t in tokens:
        if out and t not in NO_SPACE_BEFORE and out[-1] not in NO_SPACE_AFTER:
            out.append(" ")
        out.append(t)
    return "".join(out).replace("``", '"').replace("''", '"')


def load_real(root):
    """{topic: [sentence, ...]} from ECB+ (per topic) and MEANTIME (per corpus), sorted for determinism."""
    topics = {}
    for path in sorted(glob.glob(os.path.join(root, "ecbplus_dev", "ECB+", "*", "*.xml"))):
        m = re.match(r"(\d+)_\d+(ecbplus|ecb)\.xml$", os.path.basename(path))
        if not m:
            continue
        sents = {}
        for tok in ET.parse(path).getroot().iter("token"):
            sents.setdefault(int(tok.get("sentence")), []).append(tok.text or "")
        order = sorted(sents)
        if m.group(2) == "ecbplus" and order and order[0] == 0:
            order = order[1:]  # the page URL
        topics.setdefault("ecb" + m.group(1), []).extend(_detok(sents[i]) for i in order if sents[i])
    for path in sorted(glob.glob(os.path.join(root, "meantime_en", "intra_cross-doc_annotation", "*", "*.xml"))):
        sents = {}
        for tok in ET.parse(path).getroot().iter("token"):
            sents.setdefault(int(tok.get("sentence")), []).append(tok.text or "")
        order = sorted(sents)[2:]  # title, dateline
        topics.setdefault("mt-" + os.path.basename(os.path.dirname(path)), []).extend(
            _detok(sents[i]) for i in order if sents[i])
    # Keep real sentences only (drop fragments and very long tables).
    out = {}
    for k, v in sorted(topics.items()):
        v = [s for s in v if 30 <= len(s) <= 600]
        if len(v) >= 20:
            out[k] = v
    return out


# --------------------------------------------------------------------------- articles
class Gen:
    def __init__(self, r, text_mode, real, base_day, per_day):
        self.r = r
        self.text_mode = text_mode
        self.real = real
        self.real_keys = sorted(real) if real else []
        self.base_day = base_day
        self.per_day = per_day
        self.serial = 0

    def person(self):
        r = self.r
        return f"{r.choice(FIRST)} {r.choice(LAST)}"

    def story(self, pos):
        r = self.r
        city, country, region = r.choice(PLACES)
        city2 = r.choice(PLACES)[0]
        day = self.base_day + dt.timedelta(days=pos // self.per_day)
        att = r.choice(ATTACKS)
        return {
            "city": city, "country": country, "region": region, "city2": city2, "day": day,
            "armed": r.choice(ARMED), "forces": r.choice(FORCES), "civil": r.choice(CIVIL),
            "target": r.choice(TARGETS), "weapon": r.choice(WEAPONS), "attack": att[0], "attack_n": att[1],
            "victims": r.choice(VICTIMS), "n": r.choice([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 15, 17, 20, 23, 25,
                                                         30, 35, 40, 50, 70, 100]) + r.randrange(3),
            "m": r.randrange(1, 60), "person": self.person(), "role": r.choice(ROLES),
        }

    def fill(self, tpl, s):
        r = self.r
        day = s["day"] - dt.timedelta(days=r.randrange(0, 4))
        rel = r.choice(RELATIVE).format(wday=DAYS[day.weekday()], mon3=MON3[day.month - 1], mday=day.day,
                                        month=MONTHS[day.month - 1])
        v = dict(s)
        v.update(rel=rel, says=r.choice(SAYS), year=r.randrange(2003, 2024), big=f"{r.randrange(2, 900) * 1000:,}",
                 month=MONTHS[r.randrange(12)], n2=r.randrange(2, 90), nw=r.choice(NUMWORDS[1:]),
                 armed2=r.choice(ARMED).replace("a ", "").replace("an ", ""))
        if r.random() < 0.3:
            v["person"] = self.person()
        if r.random() < 0.3:
            v["role"] = r.choice(ROLES)
        t = tpl.format(**v, Armed=v["armed"].capitalize(), Forces=v["forces"].capitalize(),
                       Weapon=v["weapon"].capitalize(), Nw=v["nw"].capitalize(), Person=v["person"])
        return t[0].upper() + t[1:]

    def synth_sentences(self, s, n):
        """Event, quote and background sentences (each template at most once), and generic ones."""
        r = self.r
        lead = r.randrange(6)
        out = [self.fill(EVENT[lead], s)]
        ev = [t for i, t in enumerate(EVENT) if i != lead]
        qu = list(QUOTES)
        bg = list(BACKGROUND)
        while len(out) < n:
            x = r.random()
            pool = ev if x < 0.3 and ev else qu if x < 0.4 and qu else bg if x < 0.6 and bg else None
            if pool is None and r.random() < 0.7:
                out.append(self.grammar(s))
            elif pool is None:
                out.append(f"{r.choice(SUBJ)} {r.choice(VERBP)} {r.choice(OBJ)}{r.choice(CLAUSE)}, {r.choice(ROLES)} "
                           f"{r.choice(SAYS)}." if r.random() < 0.3 else
                           f"{r.choice(SUBJ)} {r.choice(VERBP)} {r.choice(OBJ)}{r.choice(CLAUSE)}.")
            else:
                out.append(self.fill(pool.pop(r.randrange(len(pool))), s))
        return out

    def grammar(self, s):
        r = self.r
        c = r.choice
        t = c(GRAMMAR).format(a1=c(ADJ), a2=c(ADJ), a3=c(ADJ), n1=c(NOUN), n2=c(NOUN), n3=c(NOUN), n4=c(NOUN),
                              v1=c(VERB), v2=c(VERB), p1=c(PREP), place=c((s["city"], s["region"], s["city2"])),
                              when=c(WHEN), Name=self.person(), role=c(ROLES), says=c(SAYS), num=r.randrange(2, 400))
        return t[0].upper() + t[1:]

    def real_sentences(self, n):
        r = self.r
        pool = self.real[r.choice(self.real_keys)]
        start = r.randrange(len(pool))
        # A run of real sentences from one topic with others of the topic spliced in.
        out = []
        i = start
        while len(out) < n:
            if r.random() < 0.35:
                out.append(pool[r.randrange(len(pool))])
            else:
                out.append(pool[i % len(pool)])
                i += 1 + (r.random() < 0.3)
        return out

    def article(self, pos):
        """One original article: dict(title, paras, day, outlet, domain, url, dateline, updated, lang)."""
        r = self.r
        self.serial += 1
        s = self.story(pos)
        # ~3 KB mean: log-normal number of ~140-char sentences, clamped.
        n = max(3, min(150, int(math.exp(r.gauss(3.3, 0.45)))))
        mode = self.text_mode if self.text_mode != "mix" else ("real" if r.random() < 0.5 else "synth")
        if mode == "real":
            sents = self.real_sentences(n)
            title = sents[0][:90].rsplit(" ", 1)[0].rstrip(",;:") if len(sents[0]) > 90 else sents[0].rstrip(".")
        else:
            sents = self.synth_sentences(s, n)
            title = r.choice([
                f"{s['n']} killed in {s['attack_n']} on {s['target']} near {s['city']}",
                f"{s['forces'].capitalize()} and {s['armed']} clash in {s['region']}",
                f"{s['country']}: {s['attack_n']} in {s['city']} leaves {s['n']} dead",
                f"{s['civil'].capitalize()} protest in {s['city']} after deadly {s['attack_n'].split()[-1]}",
                f"Death toll rises in {s['city']} {s['attack_n'].split()[-1]}",
            ])
        paras, i = [], 0
        while i < len(sents):
            k = r.choice((1, 1, 2, 2, 3))
            paras.append(" ".join(sents[i:i + k]))
            i += k
        outlet, domain = r.choice(OUTLETS)
        boiler = []
        for _ in range(r.choice((0, 0, 1, 2, 3, 4))):
            kind, opts = r.choice(BOILER)
            boiler.append((kind, r.choice(opts).format(title=self.related_title(), domain=domain,
                                                        tok=f"{r.getrandbits(32):08x}", city=s["city"],
                                                        year=s["day"].year, outlet=outlet)))
        return {
            "title": title[:1].upper() + title[1:], "paras": paras, "day": s["day"], "city": s["city"],
            "outlet": outlet, "domain": domain,
            "url": f"https://{domain}/{s['day']:%Y/%m/%d}/{self.serial:x}-{r.getrandbits(24):06x}",
            "dateline": r.choice(("wire", "wire", "agency", "none", "none")), "wire": r.choice(WIRES),
            "updated": r.random() < 0.15, "boiler": boiler, "hour": r.randrange(24), "minute": r.randrange(60),
        }

    def related_title(self):
        r = self.r
        c = r.choice(PLACES)
        return f"{r.choice(('Clashes', 'Curfew', 'Aid', 'Talks', 'Strike', 'Protests'))} in {c[0]}: what we know"

    def wire_copy(self, a):
        """An edited copy: another outlet, a sentence dropped, spellings, truncation, a new title."""
        r = self.r
        c = dict(a)
        paras = list(a["paras"])
        if len(paras) > 3 and r.random() < 0.6:
            del paras[r.randrange(1, len(paras))]
        if r.random() < 0.3:
            paras = paras[:max(2, len(paras) * 2 // 3)]
        pairs = r.sample(SPELL, 3)
        out = []
        for p in paras:
            for x, y in pairs:
                p = p.replace(x, y)
            out.append(p)
        c["paras"] = out
        c["outlet"], c["domain"] = r.choice(OUTLETS)
        c["url"] = f"https://{c['domain']}/news/{r.getrandbits(40):010x}"
        if r.random() < 0.5:
            c["title"] = a["title"] + r.choice((" - update", ": officials", " (corrected)", ", sources say"))
        c["boiler"] = [b for b in a["boiler"] if r.random() < 0.5]
        c["dateline"] = r.choice(("wire", "agency", "none"))
        return c


# --------------------------------------------------------------------------- rendering
def date_iso(a):
    return f"{a['day']:%Y-%m-%d}"


def body_text(a, r, wrap=False):
    """The article body as a newsroom would write it: dateline, paragraphs, boilerplate lines."""
    paras = list(a["paras"])
    d = a["day"]
    if a["dateline"] == "wire":
        paras[0] = f"{a['city'].upper()}, {MON3[d.month - 1]} {d.day} ({a['wire']}) - {paras[0]}"
    elif a["dateline"] == "agency":
        paras.insert(0, f"{a['wire']} , {DAYS[d.weekday()]} {d.day} {MON3[d.month - 1]} {d.year}")
    if a["updated"]:
        h = a["hour"] % 12 or 12
        paras.insert(1 if a["dateline"] == "agency" else 0,
                     f"Updated: {MONTHS[d.month - 1]} {d.day:02}, {d.year}, {h}:{a['minute']:02} "
                     f"{'AM' if a['hour'] < 12 else 'PM'}")
    for kind, line in a["boiler"]:
        if kind in ("copyright", "comments", "subscribe", "share"):
            paras.append(line)
        else:
            paras.insert(r.randrange(1, len(paras) + 1), line)
    if wrap:
        paras = [wrap72(p) for p in paras]
    return "\n\n".join(paras)


def wrap72(p):
    if len(p) <= 72:
        return p
    lines, cur = [], 0
    words = p.split(" ")
    line = []
    for w in words:
        if cur + len(w) > 72 and line:
            lines.append(" ".join(line))
            line, cur = [], 0
        line.append(w)
        cur += len(w) + 1
    lines.append(" ".join(line))
    return "\n".join(lines)


def render_txt(arts, r):
    style = r.randrange(4)
    sep = "\f" if r.random() < 0.2 else "\n=====\n"
    wrap = r.random() < 0.2
    chunks = []
    for a in arts:
        body = body_text(a, r, wrap)
        if style == 0:
            head = f"Title: {a['title']}\nDate: {date_iso(a)}\nSource: {a['outlet']}\nURL: {a['url']}\n\n"
            chunks.append(head + body + "\n")
        elif style == 1:
            chunks.append(f"{a['title']}\n\ndate {date_iso(a)} {body}\n")
        elif style == 2:
            chunks.append(f"{a['title']}\n\n{body}\n")
        else:
            chunks.append(f"Headline: {a['title']}\nPublished: {a['day']:%d %B %Y}\n\n{body}\n")
    return sep.join(chunks)


def one_txt(a, r):
    """One article per file, as the Python peer reads it: title line, blank line, body."""
    return f"{a['title']}\n\n{body_text(a, r)}\n"


JSON_STYLES = [
    lambda a, t: {"title": a["title"], "text": t, "date": date_iso(a), "source": a["outlet"], "url": a["url"]},
    lambda a, t: {"headline": a["title"], "body": t, "published": f"{a['day']:%a, %d %b %Y} {a['hour']:02}:{a['minute']:02}:00 +0000",
                  "outlet": a["outlet"], "link": a["url"], "lang": "en"},
    lambda a, t: {"title": a["title"], "maintext": t, "date_publish": f"{date_iso(a)} {a['hour']:02}:{a['minute']:02}:00",
                  "source_domain": a["domain"], "url": a["url"], "language": "en"},
    lambda a, t: {"headline": a["title"], "content": t, "published_at": int(dt.datetime(a["day"].year, a["day"].month, a["day"].day, a["hour"], tzinfo=dt.timezone.utc).timestamp()),
                  "publisher": {"name": a["outlet"], "domain": a["domain"]}, "url": a["url"]},
]


def render_jsonl(arts, r):
    st = r.choice(JSON_STYLES)
    return "".join(json.dumps(st(a, body_text(a, r)), ensure_ascii=r.random() < 0.3) + "\n" for a in arts)


def render_json(arts, r):
    st = r.choice(JSON_STYLES)
    return json.dumps([st(a, body_text(a, r)) for a in arts], indent=1 if r.random() < 0.5 else None) + "\n"


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_html(a, r):
    d = a["day"]
    iso = f"{date_iso(a)}T{a['hour']:02}:{a['minute']:02}:00Z"
    nav = "".join(f'<li><a href="/{n.lower()}">{n}</a></li>' for n in NAV)
    paras = []
    for p in body_text(a, r).split("\n\n"):
        paras.append(f"<p>{esc(p)}</p>")
    most = "".join(f'<li><a href="/x/{i}">{esc(wrel)}</a></li>'
                   for i, wrel in enumerate(f"{c[0]} latest: {w}" for c, w in
                                            zip(r.sample(PLACES, 5), ("talks resume", "curfew lifted", "aid arrives",
                                                                      "clashes", "vote delayed"))))
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
        f"<title>{esc(a['title'])} | {esc(a['outlet'])}</title>\n"
        f'<meta property="og:title" content="{esc(a["title"])}">\n'
        f'<meta property="og:site_name" content="{esc(a["outlet"])}">\n'
        f'<meta property="article:published_time" content="{iso}">\n'
        f'<link rel="canonical" href="{a["url"]}">\n'
        f'<script>window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments)}}</script>\n'
        f'<style>body{{font-family:sans-serif}} .ad{{display:block}}</style></head>\n<body>\n'
        f'<header><div class="logo">{esc(a["outlet"])}</div><nav><ul>{nav}</ul></nav>'
        f'<div class="cookie-banner">We use cookies to improve your experience. <button>Accept</button></div></header>\n'
        f'<main><article><h1>{esc(a["title"])}</h1>\n'
        f'<div class="byline">By {esc(a["outlet"])} staff | <time datetime="{iso}">{d.day} {MONTHS[d.month - 1]} {d.year}</time></div>\n'
        f'<div class="share">Share: Facebook Twitter WhatsApp</div>\n'
        + "\n".join(paras) +
        f'\n<div class="ad">Advertisement</div></article>\n'
        f'<aside class="most-read"><h2>Most read</h2><ol>{most}</ol></aside></main>\n'
        f'<footer><p>&copy; {d.year} {esc(a["outlet"])}. All rights reserved.</p><a href="/privacy">Privacy</a></footer>\n'
        f"</body></html>\n"
    )


def warc_member(rec):
    return gzip.compress(rec, compresslevel=1, mtime=0)


def render_warc(arts, r, name):
    out = io.BytesIO()
    info = (b"software: gen_corpus.py\r\nformat: WARC File Format 1.0\r\n")
    out.write(warc_member(b"WARC/1.0\r\nWARC-Type: warcinfo\r\nWARC-Date: 2024-01-01T00:00:00Z\r\n"
                          b"WARC-Record-ID: <urn:uuid:" + name.encode() + b"-info>\r\n"
                          b"Content-Type: application/warc-fields\r\nContent-Length: "
                          + str(len(info)).encode() + b"\r\n\r\n" + info + b"\r\n\r\n"))
    for i, a in enumerate(arts):
        page = render_html(a, r).encode()
        http = (f"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {len(page)}\r\n\r\n"
                ).encode() + page
        date = f"{date_iso(a)}T{a['hour']:02}:{a['minute']:02}:30Z"
        if r.random() < 0.3:
            req = f"GET /{i} HTTP/1.1\r\nHost: {a['domain']}\r\n\r\n".encode()
            out.write(warc_member(
                (f"WARC/1.0\r\nWARC-Type: request\r\nWARC-Target-URI: {a['url']}\r\nWARC-Date: {date}\r\n"
                 f"WARC-Record-ID: <urn:uuid:{name}-{i}-q>\r\nContent-Type: application/http; msgtype=request\r\n"
                 f"Content-Length: {len(req)}\r\n\r\n").encode() + req + b"\r\n\r\n"))
        out.write(warc_member(
            (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {a['url']}\r\nWARC-Date: {date}\r\n"
             f"WARC-Record-ID: <urn:uuid:{name}-{i}>\r\nContent-Type: application/http; msgtype=response\r\n"
             f"Content-Length: {len(http)}\r\n\r\n").encode() + http + b"\r\n\r\n"))
    return out.getvalue()


EXT = {"txt": ".txt", "jsonl": ".jsonl", "json": ".json", "html": ".html", "warc": ".warc.gz",
       "txtgz": ".txt.gz", "jsonlgz": ".jsonl.gz", "txt1": ".txt"}


def write_bundle(path, fmt, arts, r, name):
    """Writes one bundle; returns (bytes on disk, uncompressed bytes)."""
    if fmt in ("txt", "txtgz"):
        data = render_txt(arts, r).encode()
    elif fmt in ("jsonl", "jsonlgz"):
        data = render_jsonl(arts, r).encode()
    elif fmt == "json":
        data = render_json(arts, r).encode()
    elif fmt == "html":
        data = render_html(arts[0], r).encode()
    elif fmt == "txt1":
        data = one_txt(arts[0], r).encode()
    elif fmt == "warc":
        data = render_warc(arts, r, name)
        with open(path, "wb") as fh:
            fh.write(data)
        return len(data), None
    raw = len(data)
    if fmt.endswith("gz"):
        data = gzip.compress(data, compresslevel=1, mtime=0)
    with open(path, "wb") as fh:
        fh.write(data)
    return len(data), raw


# --------------------------------------------------------------------------- plan & chunks
def parse_formats(spec):
    out = []
    for part in spec.split(","):
        name, _, w = part.partition("=")
        name = name.strip()
        if name not in EXT or name == "txt1":
            raise SystemExit(f"unknown format {name!r} (known: {', '.join(k for k in EXT if k != 'txt1')})")
        out.append((name, float(w or 1)))
    return out


def plan(a):
    """[(file_no, fmt, n_articles)] for the whole corpus, from the arguments alone."""
    r = random.Random(f"plan:{a.seed}")
    files = []
    if a.layout == "txt1":
        return [(i, "txt1", 1) for i in range(a.total)]
    if a.files is not None:  # old interface: FILES x ARTICLES, rotating formats
        fmts = ["jsonl", "txt", "jsonlgz"]  # the original rotation
        if a.formats != DEFAULT_FORMATS:
            fmts = [f for f, _ in parse_formats(a.formats) if f != "html"] or fmts
        return [(i, fmts[i % len(fmts)], a.articles) for i in range(a.files)]
    fmts = parse_formats(a.formats)
    wsum = sum(w for _, w in fmts)
    # Articles per bundle format, then bundles of random size around the mean.
    per = a.per_file
    for name, w in fmts:
        want = int(round(a.total * w / wsum))
        mean = 1 if name == "html" else (per or MEAN_PER_BUNDLE[name])
        while want > 0:
            n = 1 if mean == 1 else max(1, min(want, int(r.expovariate(1 / mean)) + 1, mean * 4))
            files.append((name, min(n, want)))
            want -= n
    r.shuffle(files)
    return [(i, f, n) for i, (f, n) in enumerate(files)]


def gen_chunk(args):
    a, chunk_no, items, first_pos = args
    r = random.Random(f"chunk:{a.seed}:{chunk_no}")
    real = REAL if a.text != "synth" else None
    g = Gen(r, a.text, real, dt.date.fromisoformat(a.start_date), a.per_day)
    pos = first_pos
    recent = []
    total_disk = total_raw = arts_n = 0
    by_fmt = {}
    for file_no, fmt, n in items:
        arts = []
        for _ in range(n):
            x = r.random()
            if recent and x < a.dup_rate:
                arts.append(r.choice(recent))  # exact copy (same text, another bundle)
            elif recent and x < a.dup_rate + a.wire_rate:
                arts.append(g.wire_copy(r.choice(recent)))
            else:
                art = g.article(pos)
                arts.append(art)
                recent.append(art)
                if len(recent) > 500:
                    recent.pop(r.randrange(len(recent)))
            pos += 1
        name = f"{a.prefix}{file_no:07d}"
        sub = os.path.join(a.out, f"d{file_no // a.dir_files:04d}") if a.dir_files else a.out
        os.makedirs(sub, exist_ok=True)
        disk, raw = write_bundle(os.path.join(sub, name + EXT[fmt]), fmt, arts, r, name)
        total_disk += disk
        total_raw += raw if raw is not None else disk
        arts_n += n
        f = by_fmt.setdefault(fmt, [0, 0, 0])
        f[0] += 1
        f[1] += n
        f[2] += disk
    return total_disk, total_raw, arts_n, by_fmt


REAL = None


def _init_real(root):
    global REAL
    REAL = load_real(root)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", help="inbox folder to write (created)")
    ap.add_argument("--total", type=int, help="number of articles (default 10000)")
    ap.add_argument("--files", type=int, help="old interface: number of bundles (with --articles)")
    ap.add_argument("--articles", type=int, default=50, help="old interface: articles per bundle")
    ap.add_argument("--per-file", type=int, help="mean articles per multi-article bundle (default per format)")
    ap.add_argument("--formats", default=DEFAULT_FORMATS, help=f"NAME=WEIGHT,... (default {DEFAULT_FORMATS})")
    ap.add_argument("--layout", choices=("bundles", "txt1"), default="bundles",
                    help="txt1: one article per .txt file (the Python peer's input)")
    ap.add_argument("--text", choices=("synth", "real", "mix"), default="synth")
    ap.add_argument("--real-dir", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "dev"))
    ap.add_argument("--dup-rate", type=float, default=0.03, help="exact copies (default 0.03)")
    ap.add_argument("--wire-rate", type=float, default=0.10, help="edited wire copies (default 0.10)")
    ap.add_argument("--start-date", default="2024-01-01")
    ap.add_argument("--per-day", type=int, default=3000, help="articles per publication day (default 3000)")
    ap.add_argument("--dir-files", type=int, default=0, help="put at most N files per sub-folder (0: flat)")
    ap.add_argument("--prefix", default="b", help="file name prefix (use another for a second, disjoint batch)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--jobs", type=int, default=1, help="worker processes (output does not depend on it)")
    ap.add_argument("--manifest", help="manifest path (default OUT.manifest.json next to OUT)")
    a = ap.parse_args()
    if a.total is None:
        a.total = 10000 if a.files is None else a.files * a.articles
    a.out = os.path.abspath(a.out)
    # The prefix keeps RNG streams of two batches with the same seed apart.
    if a.prefix != "b":
        a.seed = a.seed * 1_000_003 + sum(map(ord, a.prefix))
    if a.text != "synth":
        _init_real(a.real_dir)
        if not REAL:
            raise SystemExit(f"--text {a.text}: no ECB+/MEANTIME text under {a.real_dir}")
    os.makedirs(a.out, exist_ok=True)
    items = plan(a)
    chunks, pos = [], 0
    for c in range(0, len(items), CHUNK):
        part = items[c:c + CHUNK]
        chunks.append((a, c // CHUNK, part, pos))
        pos += sum(n for _, _, n in part)
    if a.jobs > 1:
        import multiprocessing as mp
        with mp.get_context("fork").Pool(a.jobs) as pool:
            results = pool.map(gen_chunk, chunks, chunksize=1)
    else:
        results = [gen_chunk(c) for c in chunks]
    disk = sum(x[0] for x in results)
    raw = sum(x[1] for x in results)
    n = sum(x[2] for x in results)
    fm = {}
    for x in results:
        for k, v in x[3].items():
            t = fm.setdefault(k, [0, 0, 0])
            for i in range(3):
                t[i] += v[i]
    man = {"out": a.out, "articles": n, "files": len(items), "bytes": disk, "uncompressed_bytes": raw,
           "formats": {k: {"files": v[0], "articles": v[1], "bytes": v[2]} for k, v in sorted(fm.items())},
           "args": {k: v for k, v in vars(a).items() if k not in ("out", "manifest", "jobs")}}
    path = a.manifest or a.out.rstrip("/") + ".manifest.json"
    with open(path, "w") as fh:
        json.dump(man, fh, indent=1)
    print(f"{n} articles in {len(items)} files, {disk / 1e6:.1f} MB on disk ({raw / 1e6:.1f} MB uncompressed) "
          f"-> {a.out} (manifest {path})", file=sys.stderr)


if __name__ == "__main__":
    main()
