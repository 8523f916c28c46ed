//! `sitrep timeline`: render a [`TimelineFile`] for a terminal (aligned
//! table), a report (Markdown) or a script (JSON). Pure: text in, text out.

use super::{Row, Summary, TimelineFile};

/// Output format of `sitrep timeline`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for a terminal.
    Table,
    /// A Markdown table.
    Markdown,
    /// The (filtered) timeline as JSON.
    Json,
}

/// Keep incidents dated on or after `since` (`YYYY-MM-DD`); undated ones are
/// kept when they were first seen on or after it.
pub fn filter_since(t: &mut TimelineFile, since: &str) {
    let keep = |r: &Row| match r.date.value.as_deref().and_then(super::merge::date_range) {
        Some((_, end)) => {
            since.parse::<jiff::civil::Date>().map(|d| end >= super::merge::day_number(d)).unwrap_or(true)
        }
        None => r.first_seen.as_str() >= since,
    };
    t.incidents.retain(keep);
    t.open = t.incidents.len();
}

fn killed(s: &Summary) -> String {
    let hedge = |q: &str| match q {
        "at_least" => "≥",
        "about" => "~",
        "at_most" => "≤",
        _ => "",
    };
    match (s.best, s.min, s.max) {
        (None, _, _) => "?".into(),
        (Some(b), Some(lo), Some(hi)) if lo != hi => format!("{}{b} ({lo}–{hi})", hedge(&s.qualifier)),
        (Some(b), _, _) => format!("{}{b}", hedge(&s.qualifier)),
    }
}

fn place(r: &Row) -> String {
    match &r.location {
        Some(l) => match &l.country {
            Some(c) if l.precision != "country" => format!("{}, {c}", l.name),
            _ => l.name.to_string(),
        },
        None => "?".into(),
    }
}

fn actors(r: &Row) -> String {
    let mut names: Vec<&str> = Vec::new();
    for role in ["actor1", "actor2"] {
        for a in r.actors.iter().filter(|a| a.role == role) {
            let n = a.name.as_deref().unwrap_or("unknown");
            if !names.contains(&n) {
                names.push(n);
            }
        }
    }
    if names.is_empty() {
        "?".into()
    } else {
        names.join("; ")
    }
}

fn cells(r: &Row) -> [String; 7] {
    [
        r.date.value.as_deref().unwrap_or("undated").to_string(),
        r.sub_event_type.clone(),
        place(r),
        actors(r),
        killed(&r.fatalities),
        format!("{}/{}", r.sources, r.articles),
        r.headline.clone().unwrap_or_default(),
    ]
}

const HEAD: [&str; 7] = ["date", "type", "place", "actors", "killed", "sources/articles", "headline"];

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut o: String = s.chars().take(n.saturating_sub(1)).collect();
        o.push('…');
        o
    }
}

/// Render in `format`.
pub fn render(t: &TimelineFile, format: Format) -> String {
    match format {
        Format::Json => serde_json::to_string_pretty(t).expect("timeline serializes") + "\n",
        Format::Markdown => {
            let mut o = format!(
                "{} open incidents (window {} days, newest publication {})\n\n| {} |\n|{}\n",
                t.open,
                t.window_days,
                t.newest_published.as_deref().unwrap_or("none"),
                HEAD.join(" | "),
                "---|".repeat(HEAD.len())
            );
            for r in &t.incidents {
                let c = cells(r).map(|c| c.replace('|', "\\|"));
                o.push_str(&format!("| {} |\n", c.join(" | ")));
            }
            o
        }
        Format::Table => {
            let limits = [10, 34, 28, 40, 12, 16, 60];
            let rows: Vec<[String; 7]> = t
                .incidents
                .iter()
                .map(|r| cells(r).iter().zip(limits).map(|(c, n)| clip(c, n)).collect::<Vec<_>>())
                .map(|v| v.try_into().expect("seven cells"))
                .collect();
            let mut w: Vec<usize> = HEAD.iter().map(|h| h.chars().count()).collect();
            for r in &rows {
                for (i, c) in r.iter().enumerate() {
                    w[i] = w[i].max(c.chars().count());
                }
            }
            let line = |c: &[String]| {
                let mut s = String::new();
                for (i, x) in c.iter().enumerate() {
                    if i + 1 == c.len() {
                        s.push_str(x);
                    } else {
                        s.push_str(x);
                        s.push_str(&" ".repeat(w[i] - x.chars().count() + 2));
                    }
                }
                s.trim_end().to_string() + "\n"
            };
            let mut o = line(&HEAD.map(String::from));
            for r in &rows {
                o.push_str(&line(r));
            }
            o.push_str(&format!(
                "{} open incidents; window {} days back from {}; {} historical references, {} late reports not opened\n",
                t.open,
                t.window_days,
                t.newest_published.as_deref().unwrap_or("(no dated article yet)"),
                t.historical,
                t.late
            ));
            o
        }
    }
}
