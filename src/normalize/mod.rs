//! The **normalize** stage: turns a [`RawArticle`] from the split stage into a
//! cleaned, dated, attributed [`Article`].
//!
//! Core types:
//!
//! * [`NormalizeConfig`] — the `[normalize]` configuration (typography
//!   folding, language detection, dateline window, boilerplate rules).
//! * [`BoilerplateRule`] — a named regex that removes whole boilerplate lines;
//!   [`default_boilerplate_rules`] lists the built-in ones.
//! * [`Normalizer`] — the compiled configuration; [`Normalizer::normalize`]
//!   runs the pipeline on one article. It is pure (no I/O, no clock) and
//!   cheap to share across threads.
//! * [`ParsedDate`] / [`parse_date`] — date parsing shared with other stages.
//!
//! The pipeline, in order:
//!
//! 1. **Clean** characters (`fold.rs`): line endings to LF, control and
//!    zero-width characters dropped, Unicode NFC; every line trimmed.
//! 2. **Classify lines**: boilerplate rules (`boilerplate.rs`), "Updated" lines
//!    anywhere, datelines in the first `dateline_max_lines` lines
//!    (`dates.rs`). Removed lines are kept in `Article::removed`.
//! 3. **Paragraphs**: hard-wrapped lines within blank-line separated blocks
//!    are joined; text without blank lines keeps one paragraph per line.
//!    Paragraphs are joined with a blank line. Typography stays as written.
//! 4. **Publication date**: given date, else dateline, else "Updated" line,
//!    else the bundle's file name, else unknown. Never invented.
//! 5. **Language** (`lang.rs`): the given tag normalised to ISO 639-1, else
//!    whatlang detection above a confidence threshold.
//! 6. **Sentences** (`sentences.rs`) as code point spans, and the persisted
//!    **content hash** over the folded, lower-cased, whitespace-collapsed text.

mod boilerplate;
mod dates;
mod fold;
mod lang;
mod sentences;

use serde::{Deserialize, Serialize};

use crate::model::{Article, DateBasis, LangBasis, Published, RawArticle, RawDate, RejectReason, Removed};

pub use boilerplate::{default_boilerplate_rules, BoilerplateRule};
pub use dates::{parse_date, ParsedDate};
pub use fold::{content_hash, fold_char, fold_for_matching};
pub use lang::{detect_language, normalize_lang_code};
pub use sentences::sentence_spans;

use boilerplate::RuleSet;
use dates::{DateMatch, Dateline};

/// Configuration of the normalize stage (`[normalize]` in the config file).
/// Every field is optional in the file; missing fields take the defaults.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct NormalizeConfig {
    /// Fold typographic variants (curly quotes, dashes, non-breaking and
    /// other special spaces) to plain ASCII before matching boilerplate rules
    /// and computing the content hash. The stored text always keeps its
    /// typography. Default `true`. Changing it changes every article's
    /// `content_hash`.
    pub fold_typography: bool,
    /// Detect the language of articles whose bundle does not give one.
    /// Default `true`.
    pub detect_language: bool,
    /// Minimum detector confidence (0.0–1.0) for a detected language to be
    /// recorded; below it the language is left unknown. Default `0.5`.
    pub min_language_confidence: f64,
    /// How many leading non-blank lines may hold a dateline (`AFP , Friday 5
    /// Jan 2024`). `0` disables dateline detection. Default `6`.
    pub dateline_max_lines: usize,
    /// Boilerplate rules, applied in order (the first match names the
    /// removal). Setting this list in a config file **replaces** the
    /// defaults; copy them from the reference to extend them.
    pub boilerplate: Vec<BoilerplateRule>,
}

impl Default for NormalizeConfig {
    fn default() -> Self {
        NormalizeConfig {
            fold_typography: true,
            detect_language: true,
            min_language_confidence: 0.5,
            dateline_max_lines: 6,
            boilerplate: default_boilerplate_rules(),
        }
    }
}

/// An invalid [`NormalizeConfig`].
#[derive(Debug, thiserror::Error)]
pub enum NormalizeConfigError {
    #[error("boilerplate rule {name:?}: invalid pattern: {source}")]
    BadPattern {
        name: String,
        #[source]
        source: regex::Error,
    },
    #[error("boilerplate rules: the combined rule set cannot be compiled: {source}")]
    RuleSet {
        #[source]
        source: regex::Error,
    },
    #[error("boilerplate rule #{index} has an empty name")]
    EmptyRuleName { index: usize },
    #[error("boilerplate rule {name:?} is defined more than once")]
    DuplicateRuleName { name: String },
    #[error("boilerplate rule name {name:?} is reserved (used for datelines and \"Updated\" lines)")]
    ReservedRuleName { name: String },
    #[error("min_language_confidence must be between 0.0 and 1.0, got {value}")]
    BadConfidence { value: f64 },
}

/// The reason recorded when nothing is left of an article.
const EMPTY_REASON: &str = "article has no text after cleaning";

/// A compiled [`NormalizeConfig`]. Build once, share (it is `Send + Sync`),
/// call [`Normalizer::normalize`] per article.
#[derive(Debug, Clone)]
pub struct Normalizer {
    fold_typography: bool,
    detect_language: bool,
    min_language_confidence: f64,
    dateline_max_lines: usize,
    rules: RuleSet,
}

/// Dates found while classifying lines.
#[derive(Default)]
struct FoundDates {
    dateline: Option<(ParsedDate, String)>,
    updated: Option<(ParsedDate, String)>,
}

impl Normalizer {
    /// Validates and compiles `cfg`.
    pub fn new(cfg: &NormalizeConfig) -> Result<Normalizer, NormalizeConfigError> {
        let c = cfg.min_language_confidence;
        if !(0.0..=1.0).contains(&c) {
            return Err(NormalizeConfigError::BadConfidence { value: c });
        }
        Ok(Normalizer {
            fold_typography: cfg.fold_typography,
            detect_language: cfg.detect_language,
            min_language_confidence: c,
            dateline_max_lines: cfg.dateline_max_lines,
            rules: RuleSet::new(&cfg.boilerplate)?,
        })
    }

    /// Cleans, dates and attributes one article.
    ///
    /// `rel_path` is the bundle's path relative to the inbox (for file-name
    /// dates). Fails with [`RejectReason::Empty`] when nothing is left after
    /// cleaning. Never panics.
    pub fn normalize(&self, raw: RawArticle, rel_path: &str) -> Result<Article, RejectReason> {
        let RawArticle {
            index,
            byte_start,
            byte_end,
            line,
            text: raw_text,
            title,
            date,
            outlet,
            url,
            lang,
            record_offset,
            record_id,
        } = raw;

        let cleaned = fold::clean_text(&raw_text);
        let mut removed = Vec::new();
        let mut found = FoundDates::default();
        let text = self.clean_body(&cleaned, &mut removed, &mut found);
        drop(cleaned);
        drop(raw_text);
        if text.is_empty() {
            return Err(RejectReason::Empty(EMPTY_REASON.to_string()));
        }

        let title = fold::clean_field(title);
        let outlet = fold::clean_field(outlet);
        let url = fold::clean_field(url);
        let published = choose_published(date, found, rel_path);

        let (lang, lang_basis) = match lang.as_deref().and_then(normalize_lang_code) {
            Some(code) => (Some(code), LangBasis::Given),
            None if self.detect_language => {
                match detect_language(title.as_deref(), &text, self.min_language_confidence) {
                    Some(code) => (Some(code), LangBasis::Detected),
                    None => (None, LangBasis::Unknown),
                }
            }
            None => (None, LangBasis::Unknown),
        };

        let sentences = sentence_spans(&text);
        let content_hash = fold::content_hash_with(&text, self.fold_typography);
        Ok(Article {
            index,
            byte_start,
            byte_end,
            line,
            text,
            content_hash,
            title,
            outlet,
            url,
            lang,
            lang_basis,
            published,
            sentences,
            removed,
            record_offset,
            record_id,
        })
    }

    /// The name of the first boilerplate rule matching `line` (trimmed).
    fn boilerplate_rule<'s>(&'s self, line: &str, buf: &mut String) -> Option<&'s str> {
        // Folding only changes '`' and non-ASCII chars: most lines are
        // matched as they are, without the copy.
        if self.fold_typography && line.bytes().any(|b| !b.is_ascii() || b == b'`') {
            fold::fold_into(line, buf);
            self.rules.first_match(buf)
        } else {
            self.rules.first_match(line)
        }
    }

    /// Steps 2 and 3: classifies lines, then builds paragraphs.
    fn clean_body(&self, cleaned: &str, removed: &mut Vec<Removed>, found: &mut FoundDates) -> String {
        let mut fold_buf = String::new();
        // Kept lines in order; `None` marks a blank line (a block boundary).
        let mut kept: Vec<Option<&str>> = Vec::new();
        let mut non_blank_seen = 0usize;
        let mut body_seen = false;
        let mut first_non_blank = None;
        let mut last_non_blank = 0;
        let mut blank_inside = false;
        // The rule that removed the previous line, if it was removed by one:
        // a wrapped boilerplate line's lower-case continuation goes with it.
        let mut previous_rule: Option<&str> = None;

        for (i, raw_line) in cleaned.split('\n').enumerate() {
            let line = raw_line.trim();
            if line.is_empty() {
                kept.push(None);
                previous_rule = None;
                continue;
            }
            // Blank lines between the first and last non-blank line decide
            // the paragraph mode (leading/trailing blanks do not count).
            if first_non_blank.is_none() {
                first_non_blank = Some(i);
            } else if last_non_blank + 1 < i {
                blank_inside = true;
            }
            last_non_blank = i;
            non_blank_seen += 1;

            let rule = self
                .boilerplate_rule(line, &mut fold_buf)
                .or_else(|| previous_rule.filter(|_| line.chars().next().is_some_and(char::is_lowercase)));
            previous_rule = rule;
            if let Some(rule) = rule {
                removed.push(removed_line(rule, line));
                continue;
            }
            if let Some(m) = dates::updated_line(line) {
                found.updated.get_or_insert_with(|| found_date(line, m));
                removed.push(removed_line("updated", line));
                continue;
            }
            if non_blank_seen <= self.dateline_max_lines {
                match dates::dateline(line) {
                    Some(Dateline::Whole(m)) => {
                        found.dateline.get_or_insert_with(|| found_date(line, m));
                        removed.push(removed_line("dateline", line));
                        continue;
                    }
                    // A prefix is only a dateline on the lead paragraph.
                    Some(Dateline::Prefix { date, body_start }) if !body_seen && found.dateline.is_none() => {
                        found.dateline = Some(found_date(line, date));
                        removed.push(removed_line("dateline", line[..body_start].trim()));
                        kept.push(Some(line[body_start..].trim()));
                        body_seen = true;
                        continue;
                    }
                    _ => {}
                }
            }
            body_seen = true;
            kept.push(Some(line));
        }

        let mut text = String::with_capacity(cleaned.len());
        let mut push_paragraph = |para: &str, joined: bool, removed: &mut Vec<Removed>| {
            // A boilerplate line that was hard-wrapped is only recognisable
            // once joined.
            if joined {
                if let Some(rule) = self.boilerplate_rule(para, &mut fold_buf) {
                    removed.push(removed_line(rule, para));
                    return;
                }
            }
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str(para);
        };

        if !blank_inside {
            for line in kept.iter().flatten() {
                push_paragraph(line, false, removed);
            }
            return text;
        }
        let mut block: Vec<&str> = Vec::new();
        let mut para = String::new();
        for entry in kept.iter().chain(std::iter::once(&None)) {
            if let Some(line) = entry {
                block.push(line);
                continue;
            }
            if block.is_empty() {
                continue;
            }
            let wrapped = block_is_wrapped(&block);
            let mut lines_in_para = 0;
            for (j, line) in block.iter().enumerate() {
                let join =
                    j > 0 && wrapped && !is_bullet(line) && block[j - 1].chars().count() >= MIN_WRAPPED_LINE_CHARS;
                if !join && lines_in_para > 0 {
                    push_paragraph(&para, lines_in_para > 1, removed);
                    para.clear();
                    lines_in_para = 0;
                }
                if lines_in_para > 0 {
                    para.push(' ');
                }
                para.push_str(line);
                lines_in_para += 1;
            }
            if lines_in_para > 0 {
                push_paragraph(&para, lines_in_para > 1, removed);
                para.clear();
            }
            block.clear();
        }
        text
    }
}

/// Shortest line that can be a hard-wrapped (not paragraph-final) line:
/// wrapped text breaks near its column width, typically 60–80.
const MIN_WRAPPED_LINE_CHARS: usize = 40;

fn is_bullet(line: &str) -> bool {
    let mut chars = line.chars();
    match chars.next() {
        Some('•' | '·' | '▪' | '►' | '◦') => true,
        Some('-' | '*' | '\u{2013}' | '\u{2014}') => chars.next().is_some_and(char::is_whitespace),
        _ => false,
    }
}

/// Whether the line ends like a sentence (ignoring closing quotes/brackets).
fn ends_sentence(line: &str) -> bool {
    line.chars()
        .rev()
        .find(|c| !matches!(c, '"' | '\'' | '”' | '’' | '»' | ')' | ']'))
        .is_some_and(|c| matches!(c, '.' | '!' | '?' | '…' | ':' | ';'))
}

/// A block looks hard-wrapped when a line break falls mid-sentence (the line
/// does not end like a sentence, or the next starts in lower case) and the
/// lines before the last are long, as wrapping at a fixed width makes them.
fn block_is_wrapped(block: &[&str]) -> bool {
    if block.len() < 2 {
        return false;
    }
    block.windows(2).any(|pair| {
        !is_bullet(pair[1])
            && pair[0].chars().count() >= MIN_WRAPPED_LINE_CHARS
            && (!ends_sentence(pair[0]) || pair[1].chars().next().is_some_and(char::is_lowercase))
    })
}

fn removed_line(rule: &str, text: &str) -> Removed {
    Removed { rule: rule.to_string(), text: text.to_string() }
}

fn found_date(line: &str, m: DateMatch) -> (ParsedDate, String) {
    (m.parsed, line[m.start..m.end].to_string())
}

fn published(parsed: &ParsedDate, basis: DateBasis, text: String) -> Published {
    Published {
        date: Some(parsed.date_string()),
        time: parsed.time_string(),
        offset: parsed.offset_string(),
        basis,
        text: Some(text),
    }
}

/// Step 4: the first available of given date, dateline, "Updated" line,
/// file name. A given date that does not parse falls through (it is not
/// recorded as the source of another basis).
fn choose_published(given: Option<RawDate>, found: FoundDates, rel_path: &str) -> Published {
    if let Some(raw) = given {
        let text = raw.text.trim();
        if let Some(parsed) = parse_date(text) {
            // `Unknown` would contradict a known date; the split stage only
            // produces Header or Json.
            let basis = match raw.basis {
                DateBasis::Unknown => DateBasis::Header,
                b => b,
            };
            return published(&parsed, basis, text.to_string());
        }
    }
    if let Some((parsed, text)) = found.dateline {
        return published(&parsed, DateBasis::Dateline, text);
    }
    if let Some((parsed, text)) = found.updated {
        return published(&parsed, DateBasis::Updated, text);
    }
    if let Some((parsed, text)) = dates::date_from_path(rel_path) {
        return published(&parsed, DateBasis::Filename, text);
    }
    Published::unknown()
}

/// Test helper for the modules downstream of normalize: `text` as one JSON-lines article dated
/// `date` (`YYYY-MM-DD`, or none), normalized with the default settings.
#[cfg(test)]
pub(crate) fn normalized_for_test(text: &str, date: Option<&str>) -> crate::model::Article {
    use crate::model::{DateBasis, RawArticle, RawDate};
    let raw = RawArticle {
        index: 0,
        byte_start: 0,
        byte_end: 0,
        line: None,
        text: text.into(),
        title: None,
        date: date.map(|d| RawDate { text: d.into(), basis: DateBasis::Json }),
        outlet: None,
        url: None,
        lang: Some("en".into()),
        record_offset: None,
        record_id: None,
    };
    Normalizer::new(&NormalizeConfig::default()).unwrap().normalize(raw, "t.jsonl").unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Built once: compiling the rule set is the slow part in debug builds.
    static DEFAULT: std::sync::LazyLock<Normalizer> =
        std::sync::LazyLock::new(|| Normalizer::new(&NormalizeConfig::default()).expect("default config is valid"));

    fn normalizer() -> &'static Normalizer {
        &DEFAULT
    }

    fn raw(text: &str) -> RawArticle {
        RawArticle { text: text.to_string(), ..RawArticle::default() }
    }

    fn header(text: &str) -> Option<RawDate> {
        Some(RawDate { text: text.to_string(), basis: DateBasis::Header })
    }

    fn sentence_texts(a: &Article) -> Vec<String> {
        let chars: Vec<char> = a.text.chars().collect();
        a.sentences.iter().map(|&(s, e)| chars[s as usize..e as usize].iter().collect()).collect()
    }

    fn rules_of(a: &Article) -> Vec<&str> {
        a.removed.iter().map(|r| r.rule.as_str()).collect()
    }

    const BODY1: &str = "Militia fighters attacked a checkpoint near the river on Friday, officials said.";
    const BODY2: &str = "The defence ministry said two soldiers were wounded. Col. Roe said the convoy withdrew.";

    #[test]
    fn full_pipeline() {
        let text = format!(
            "\r\nReuters , Friday 5 Jan 2024\r\n\r\n{BODY1}\r\n\r\nSoldiers at a checkpoint in a town. AP\r\n\r\n\
             \u{2022} Also read: Ceasefire talks stall\r\n\r\n{BODY2}\r\n\r\nShort link:\r\n"
        );
        let mut r = raw(&text);
        r.title = Some("  Checkpoint\u{00A0}attacked \n near river ".into());
        r.outlet = Some(" Example News ".into());
        r.url = Some("".into());
        r.index = 3;
        r.byte_start = 10;
        r.byte_end = 99;
        let a = normalizer().normalize(r, "inbox/bundle.txt").unwrap();
        assert_eq!(a.text, format!("{BODY1}\n\n{BODY2}"));
        assert_eq!(a.title.as_deref(), Some("Checkpoint attacked near river"));
        assert_eq!(a.outlet.as_deref(), Some("Example News"));
        assert_eq!(a.url, None);
        assert_eq!((a.index, a.byte_start, a.byte_end), (3, 10, 99));
        assert_eq!(
            a.published,
            Published {
                date: Some("2024-01-05".into()),
                time: None,
                offset: None,
                basis: DateBasis::Dateline,
                text: Some("Friday 5 Jan 2024".into()),
            }
        );
        assert_eq!(rules_of(&a), ["dateline", "photo-credit", "related-links", "short-link"]);
        assert_eq!(a.removed[0].text, "Reuters , Friday 5 Jan 2024");
        assert_eq!(a.removed[2].text, "\u{2022} Also read: Ceasefire talks stall");
        assert_eq!(
            sentence_texts(&a),
            [BODY1, "The defence ministry said two soldiers were wounded.", "Col. Roe said the convoy withdrew."]
        );
        assert_eq!(a.lang.as_deref(), Some("en"));
        assert_eq!(a.lang_basis, LangBasis::Detected);
        assert_eq!(a.content_hash, content_hash(&a.text));
    }

    #[test]
    fn empty_after_cleaning_is_rejected() {
        let n = normalizer();
        for text in ["", "  \n\n \t ", "\u{200B}\u{FEFF}", "Leave a Reply\n\nShort link:", "Friday 5 Jan 2024"] {
            let err = n.normalize(raw(text), "x.txt").unwrap_err();
            assert_eq!(err, RejectReason::Empty("article has no text after cleaning".into()));
            assert_eq!(err.code(), "empty");
        }
    }

    #[test]
    fn keeps_body_sentences_that_mention_credits_and_read_more() {
        let text = "Officials told AP the attack was repelled.\n\n\
                    Readers can read more about the conflict in our explainer.\n\n\
                    Read more about the talks in the report published on Friday.\n\n\
                    The base was hit, AFP reported.";
        let a = normalizer().normalize(raw(text), "x.txt").unwrap();
        assert_eq!(a.text, text);
        assert!(a.removed.is_empty());
    }

    #[test]
    fn date_preference_order() {
        let n = normalizer();
        let dateline = "Published: 5 January 2024";
        let updated = "Updated: January 06, 2024, 6:48 AM";
        let text = format!("{dateline}\n\n{BODY1}\n\n{updated}");

        // a. A given date wins; the metadata lines are still removed.
        let mut r = raw(&text);
        r.date = Some(RawDate { text: " 2024-01-04T10:00:00+03:00 ".into(), basis: DateBasis::Json });
        let a = n.normalize(r, "2024-01-01.txt").unwrap();
        assert_eq!(a.published.date.as_deref(), Some("2024-01-04"));
        assert_eq!(a.published.time.as_deref(), Some("10:00:00"));
        assert_eq!(a.published.offset.as_deref(), Some("+03:00"));
        assert_eq!(a.published.basis, DateBasis::Json);
        assert_eq!(a.published.text.as_deref(), Some("2024-01-04T10:00:00+03:00"));
        assert_eq!(a.text, BODY1);
        assert_eq!(rules_of(&a), ["dateline", "updated"]);

        // b. An unparsable given date falls through to the dateline.
        let mut r = raw(&text);
        r.date = header("sometime last week");
        let a = n.normalize(r, "2024-01-01.txt").unwrap();
        assert_eq!(a.published.date.as_deref(), Some("2024-01-05"));
        assert_eq!(a.published.basis, DateBasis::Dateline);

        // c. Updated line.
        let a = n.normalize(raw(&format!("{BODY1}\n\n{updated}")), "2024-01-01.txt").unwrap();
        assert_eq!(a.published.date.as_deref(), Some("2024-01-06"));
        assert_eq!(a.published.time.as_deref(), Some("06:48:00"));
        assert_eq!(a.published.basis, DateBasis::Updated);
        assert_eq!(a.published.text.as_deref(), Some("January 06, 2024, 6:48 AM"));
        assert_eq!(a.text, BODY1);

        // d. File name.
        let a = n.normalize(raw(BODY1), "feeds/news_20240102.txt").unwrap();
        assert_eq!(a.published.date.as_deref(), Some("2024-01-02"));
        assert_eq!(a.published.basis, DateBasis::Filename);
        assert_eq!(a.published.text.as_deref(), Some("20240102"));

        // e. Nothing: unknown, never invented.
        let a = n.normalize(raw(BODY1), "feeds/news.txt").unwrap();
        assert_eq!(a.published, Published::unknown());
    }

    #[test]
    fn dateline_only_in_leading_lines() {
        let cfg = NormalizeConfig { dateline_max_lines: 2, ..NormalizeConfig::default() };
        let n = Normalizer::new(&cfg).unwrap();
        let late = format!("{BODY1}\n\n{BODY1}\n\nFriday 5 Jan 2024");
        let a = n.normalize(raw(&late), "x.txt").unwrap();
        assert_eq!(a.published, Published::unknown());
        assert!(a.text.ends_with("Friday 5 Jan 2024"));
        // A body sentence with a date is not a dateline.
        let body = "Militants attacked the base on 5 January 2024, officials said.";
        let a = normalizer().normalize(raw(body), "x.txt").unwrap();
        assert_eq!(a.published, Published::unknown());
        assert_eq!(a.text, body);
    }

    #[test]
    fn dateline_prefix_keeps_body() {
        let text = format!("BAGHDAD, Jan 5, 2024 (Reuters) - {BODY1}\n\n{BODY2}");
        let a = normalizer().normalize(raw(&text), "x.txt").unwrap();
        assert_eq!(a.text, format!("{BODY1}\n\n{BODY2}"));
        assert_eq!(a.published.basis, DateBasis::Dateline);
        assert_eq!(a.published.date.as_deref(), Some("2024-01-05"));
        assert_eq!(a.removed[0].text, "BAGHDAD, Jan 5, 2024 (Reuters) -");
    }

    #[test]
    fn hard_wrapped_paragraphs_are_joined() {
        let text = "Militia fighters attacked a checkpoint near the river\n\
                    on Friday, officials said, adding that two soldiers\n\
                    were wounded.\n\n\
                    Key points:\n\
                    \u{2022} The convoy withdrew to the base before nightfall\n\
                    \u{2022} Talks resume next week in the capital city\n\n\
                    Short line one.\n\
                    Short line two.";
        let a = normalizer().normalize(raw(text), "x.txt").unwrap();
        assert_eq!(
            a.text,
            "Militia fighters attacked a checkpoint near the river on Friday, officials said, adding that two soldiers were wounded.\n\n\
             Key points:\n\n\
             \u{2022} The convoy withdrew to the base before nightfall\n\n\
             \u{2022} Talks resume next week in the capital city\n\n\
             Short line one.\n\n\
             Short line two."
        );
    }

    #[test]
    fn without_blank_lines_each_line_is_a_paragraph() {
        let text = "Militia fighters attacked a checkpoint near the river on\nFriday, officials said.\n\u{2022} Read more: Other story";
        let a = normalizer().normalize(raw(text), "x.txt").unwrap();
        assert_eq!(a.text, "Militia fighters attacked a checkpoint near the river on\n\nFriday, officials said.");
        assert_eq!(rules_of(&a), ["related-links"]);
    }

    #[test]
    fn continuation_of_removed_line_goes_with_it() {
        let text = format!("{BODY1}\n\nYour email address will not be published. Required fields\nare marked *");
        let a = normalizer().normalize(raw(&text), "x.txt").unwrap();
        assert_eq!(a.text, BODY1);
        assert_eq!(rules_of(&a), ["comment-form", "comment-form"]);
        // Only a lower-case continuation in the same block.
        let text = format!("Short link:\n{BODY1}\n\nLeave a Reply\n\nmore text here.");
        let a = normalizer().normalize(raw(&text), "x.txt").unwrap();
        assert_eq!(a.text, format!("{BODY1}\n\nmore text here."));
    }

    #[test]
    fn wrapped_boilerplate_is_removed_after_joining() {
        let text =
            format!("{BODY1}\n\nExample Media Group and its partners and affiliates 2024. All rights\nreserved.");
        let a = normalizer().normalize(raw(&text), "x.txt").unwrap();
        assert_eq!(a.text, BODY1);
        assert_eq!(rules_of(&a), ["copyright"]);
    }

    #[test]
    fn text_cleaning() {
        let text = "  A\u{0007}rmed\u{200B} men\u{00A0}came \u{201C}at dawn\u{201D}.  \r\n\r\n  Cafe\u{0301} closed.  ";
        let a = normalizer().normalize(raw(text), "x.txt").unwrap();
        // Typography as written, NFC, controls and zero-width chars gone.
        assert_eq!(a.text, "Armed men\u{00A0}came \u{201C}at dawn\u{201D}.\n\nCaf\u{00E9} closed.");
        assert_eq!(a.content_hash, content_hash("armed men came \"at dawn\". café closed."));
        let cfg = NormalizeConfig { fold_typography: false, ..NormalizeConfig::default() };
        let b = Normalizer::new(&cfg).unwrap().normalize(raw(text), "x.txt").unwrap();
        assert_eq!(b.text, a.text);
        assert_ne!(b.content_hash, a.content_hash);
    }

    #[test]
    fn language_given_detected_or_unknown() {
        let n = normalizer();
        let mut r = raw(BODY1);
        r.lang = Some("EN-us".into());
        let a = n.normalize(r, "x.txt").unwrap();
        assert_eq!((a.lang.as_deref(), a.lang_basis), (Some("en"), LangBasis::Given));

        let mut r = raw("Le gouvernement a annoncé vendredi que la commission se réunirait la semaine prochaine.");
        r.lang = Some("und".into());
        let a = n.normalize(r, "x.txt").unwrap();
        assert_eq!((a.lang.as_deref(), a.lang_basis), (Some("fr"), LangBasis::Detected));

        let a = n.normalize(raw("ok"), "x.txt").unwrap();
        assert_eq!((a.lang, a.lang_basis), (None, LangBasis::Unknown));

        let cfg = NormalizeConfig { detect_language: false, ..NormalizeConfig::default() };
        let a = Normalizer::new(&cfg).unwrap().normalize(raw(BODY1), "x.txt").unwrap();
        assert_eq!((a.lang, a.lang_basis), (None, LangBasis::Unknown));
    }

    #[test]
    fn config_from_json() {
        let cfg: NormalizeConfig = serde_json::from_str("{}").unwrap();
        assert_eq!(cfg, NormalizeConfig::default());
        let cfg: NormalizeConfig = serde_json::from_str(
            r#"{"dateline_max_lines": 3, "boilerplate": [{"name": "promo", "pattern": "(?i)^promo:.*$"}]}"#,
        )
        .unwrap();
        assert_eq!(cfg.dateline_max_lines, 3);
        assert!(cfg.fold_typography);
        assert_eq!(cfg.boilerplate.len(), 1);
        assert!(cfg.boilerplate[0].enabled);
        let n = Normalizer::new(&cfg).unwrap();
        // The list replaced the defaults: "Short link:" stays now.
        let a = n.normalize(raw(&format!("{BODY1}\n\nPROMO: buy now\n\nShort link:")), "x.txt").unwrap();
        assert_eq!(a.text, format!("{BODY1}\n\nShort link:"));
        assert_eq!(rules_of(&a), ["promo"]);

        assert!(serde_json::from_str::<NormalizeConfig>(r#"{"fold": true}"#).is_err());
        assert!(serde_json::from_str::<NormalizeConfig>(
            r#"{"boilerplate": [{"name": "a", "pattern": "x", "extra": 1}]}"#
        )
        .is_err());
        // Round trip.
        let json = serde_json::to_string(&NormalizeConfig::default()).unwrap();
        let back: NormalizeConfig = serde_json::from_str(&json).unwrap();
        assert_eq!(back, NormalizeConfig::default());
    }

    #[test]
    fn config_errors() {
        let mut cfg = NormalizeConfig { min_language_confidence: 1.5, ..NormalizeConfig::default() };
        assert!(matches!(Normalizer::new(&cfg), Err(NormalizeConfigError::BadConfidence { .. })));
        cfg.min_language_confidence = f64::NAN;
        assert!(matches!(Normalizer::new(&cfg), Err(NormalizeConfigError::BadConfidence { .. })));
        let mut cfg = NormalizeConfig::default();
        cfg.boilerplate.push(BoilerplateRule {
            name: "bad".into(),
            pattern: "[".into(),
            enabled: true,
            max_chars: None,
        });
        let err = Normalizer::new(&cfg).unwrap_err();
        assert!(err.to_string().starts_with("boilerplate rule \"bad\": invalid pattern: "), "{err}");
        assert!(std::error::Error::source(&err).is_some());
    }

    #[test]
    fn normalizer_is_send_sync() {
        fn check<T: Send + Sync>() {}
        check::<Normalizer>();
    }

    proptest! {
        #[test]
        fn normalize_never_panics(
            text in any::<String>(),
            date in proptest::option::of(any::<String>()),
            lang in proptest::option::of(any::<String>()),
            path in any::<String>(),
        ) {
            let mut r = raw(&text);
            r.date = date.map(|t| RawDate { text: t, basis: DateBasis::Header });
            r.lang = lang;
            if let Ok(a) = normalizer().normalize(r, &path) {
                prop_assert!(!a.text.is_empty());
                let n = a.text.chars().count() as u32;
                prop_assert!(a.sentences.iter().all(|&(s, e)| s < e && e <= n));
                prop_assert_eq!(a.published.date.is_none(), a.published.basis == DateBasis::Unknown);
            }
        }

        #[test]
        fn normalize_never_panics_on_articleish_text(
            text in "((Photo|Updated|Published|Read more|AFP|Jan|5|2024|U\\.S\\.|[a-z]{1,6}|\u{2022}|[.,:|()\u{201C}\u{201D}\u{2014}-]| |\n|\r\n){0,80})",
        ) {
            let _ = normalizer().normalize(raw(&text), "2024/01/05/x.txt");
        }
    }
}
