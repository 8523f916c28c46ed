//! Boilerplate line removal: named, configurable regex rules.
//!
//! Each rule's pattern is matched against a whole line (or joined paragraph)
//! after trimming and, when `fold_typography` is on, typographic folding, so
//! patterns can be written with plain `'`, `"` and `-`. All enabled rules
//! are compiled into one [`RegexSet`], so a line is scanned once whatever the
//! number of rules. A config file that sets `boilerplate` replaces the whole
//! default list (copy the defaults to extend them).
//!
//! The default patterns are case-insensitive and anchored to the whole line
//! (`^…$`): a rule removes a line that *is* boilerplate, never a body
//! sentence that merely mentions "AP" or says "read more about".

use regex::{RegexBuilder, RegexSet, RegexSetBuilder};
use serde::{Deserialize, Serialize};

use super::NormalizeConfigError;

/// One boilerplate rule.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BoilerplateRule {
    /// Stable name recorded in `removed[].rule` of every line it removes.
    pub name: String,
    /// Regex (Rust `regex` syntax) matched against the folded, trimmed line;
    /// anchor it with `^…$` to match whole lines and add `(?i)` for
    /// case-insensitivity.
    pub pattern: String,
    /// Set to `false` to keep a rule in the list without applying it.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Apply the rule only to lines of at most this many characters
    /// (captions and credits are short; a long paragraph is body text).
    /// Cheaper than a bounded repetition such as `.{0,300}` in the pattern,
    /// which multiplies the regex automaton's states.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_chars: Option<u32>,
}

fn yes() -> bool {
    true
}

/// Names the normalizer itself records in `removed`; rules may not use them.
pub(crate) const RESERVED_RULE_NAMES: &[&str] = &["dateline", "updated"];

/// An optional leading bullet (`•`, `-`, `*`, `>`, `·`, `▪`, `►`).
const BULLET: &str = r"(?:[•·▪►*>-]\s*)?";

/// Longest line the caption rule removes: 300 characters of caption and the
/// longest credit ("(Jane Roe / AFP via Getty Images / File)").
pub const CAPTION_MAX_CHARS: u32 = 340;

/// Photo/agency credits that end a caption line.
const CREDIT: &str = r"(?:AP(?: Photo)?|AFP(?: via Getty Images)?|Reuters|Getty Images|EPA(?:-EFE)?|EFE|Xinhua|Anadolu(?: Agency)?|AA|Shutterstock|Sputnik|TASS|IRNA|Bloomberg|NurPhoto|SOPA Images|dpa|UPI|ANSA|Alamy|WANA|SANA|Handout|File)";

/// The built-in rules. Names are stable: they appear in output records.
pub fn default_boilerplate_rules() -> Vec<BoilerplateRule> {
    let rule = |name: &str, pattern: String| BoilerplateRule {
        name: name.to_string(),
        pattern,
        enabled: true,
        max_chars: None,
    };
    vec![
        rule(
            "related-links",
            // A label alone, or a label with a colon (or `»`, folded to `"`,
            // or `>>`) and a link title. "Read more about X." in a sentence has neither.
            format!(
                r#"(?i)^{BULLET}(?:also read|read also|read more|see also|related|related (?:articles?|stories|news|content|coverage|reading|posts?|topics?)|more on (?:this|the topic|this story|this topic|this subject)|recommended(?: articles| stories| reading)?|you (?:may|might) also (?:like|be interested in))\s*(?:(?::|"|>>|\|).*|\.\.\.)?$"#
            ),
        ),
        rule(
            "comment-form",
            r"(?i)^(?:leave a (?:reply|comment)(?:\s*cancel reply)?|cancel reply|your email address will not be published.*|required fields are marked\s*\*?|post (?:a )?comment|add (?:a )?comment|save my name,? email,? and website.*|notify me of (?:follow-up comments|new posts).*|comments?(?:\s*\(\d+\))?|\d+\s+comments?|view comments|show comments)\s*:?$".to_string(),
        ),
        rule(
            "subscribe",
            format!(
                r"(?i)^{BULLET}(?:subscribe(?-u:\b).*|sign up (?:for|to) (?:our|the|my) .*(?:newsletters?|briefings?|alerts)(?-u:\b).*|get the latest .*in your inbox.*|follow us on (?:[^.!?]*)[.!]?|join (?:us|our channel) on (?:telegram|whatsapp|twitter|x|facebook|instagram)(?-u:\b).*)$"
            ),
        ),
        rule(
            "short-link",
            r"(?i)^(?:short ?(?:link|url)|permalink)\s*:.*$".to_string(),
        ),
        rule(
            "machine-translation",
            r"(?i)^(?:powered by (?:automated|machine|automatic) translation|this (?:article|story|text|page|content) (?:was|has been|is|was being) (?:automatically |machine[- ])translated(?-u:\b).*|(?:automatically |machine[- ])?translated (?:by|with|using) [^.!?]*[.]?|machine translation(?-u:\b).*)$".to_string(),
        ),
        BoilerplateRule {
            // Labelled credits; parenthesised "(Photo by …)"; file photos;
            // and captions ending with an agency credit after `.`, `|`, `/`,
            // ` - ` or inside parentheses. `max_chars` keeps a long body
            // paragraph that happens to end in ". AFP" (a caption is a line
            // or two: 300 characters and the credit).
            max_chars: Some(CAPTION_MAX_CHARS),
            ..rule(
                "photo-credit",
                format!(
                    r"(?i)^(?:(?:photo|photograph|picture|image|pic|illustration|graphic|video)s?(?: credit)?\s*:.*|\(\s*(?:photo|photograph|picture|image)s? (?:by|courtesy(?: of)?|credit)[^)]*\)\.?|(?:photo|photograph|picture|image)s? (?:by|courtesy of|credit)\s*:?\s*[^!?]*[^.!?\s]|\(?file (?:photo|picture|image|footage)(?-u:\b).*|.*(?:[.|]\s*|\s+-\s+|\s*/\s*|\(\s*(?:[^()]*/\s*)?){CREDIT}(?:\s*/\s*(?:File|Getty Images))?\s*\)?)$"
                ),
            )
        },
        rule(
            "share-bar",
            r"(?i)^(?:share (?:this|the) (?:article|story|page|post)(?:\s+(?:on|via))?\s*:?|share (?:on|via) (?:facebook|twitter|x|whatsapp|telegram|linkedin|reddit|email)(?-u:\b).*|click to (?:share|print|email)(?-u:\b).*|share(?: via)?\s*:?|(?:share|tweet|email|print|facebook|twitter|whatsapp|telegram|linkedin|copy link)(?:\s*[|/·•,]?\s*(?:share|tweet|email|print|facebook|twitter|x|whatsapp|telegram|linkedin|reddit|copy link)){2,})$".to_string(),
        ),
        rule(
            "copyright",
            r"(?i)^(?:(?:©|\(c\)).*|copyright\s*(?:©|\(c\))?\s*(?:(?:19|20)\d{2}|by)(?-u:\b).*|.*all rights reserved\.?)$".to_string(),
        ),
    ]
}

/// The enabled rules compiled into one set.
#[derive(Debug, Clone)]
pub(crate) struct RuleSet {
    set: RegexSet,
    /// Rule names, index-aligned with `set`.
    names: Vec<String>,
    /// Each rule's `max_chars`, index-aligned with `set`.
    max_chars: Vec<Option<u32>>,
    /// The rules are exactly the built-in ones, so [`defaults_may_match`]
    /// may turn lines away before the regex set runs.
    defaults: bool,
}

impl RuleSet {
    /// Validates every rule (enabled or not, so a typo is reported when the
    /// config is loaded rather than when the rule is switched on) and
    /// compiles the enabled ones.
    pub(crate) fn new(rules: &[BoilerplateRule]) -> Result<RuleSet, NormalizeConfigError> {
        let mut names: Vec<String> = Vec::with_capacity(rules.len());
        let mut max_chars = Vec::with_capacity(rules.len());
        let mut patterns = Vec::with_capacity(rules.len());
        for (i, rule) in rules.iter().enumerate() {
            if rule.name.trim().is_empty() {
                return Err(NormalizeConfigError::EmptyRuleName { index: i });
            }
            if RESERVED_RULE_NAMES.contains(&rule.name.as_str()) {
                return Err(NormalizeConfigError::ReservedRuleName { name: rule.name.clone() });
            }
            if rules[..i].iter().any(|r| r.name == rule.name) {
                return Err(NormalizeConfigError::DuplicateRuleName { name: rule.name.clone() });
            }
            // Compiled alone to name the culprit; the set is built below.
            RegexBuilder::new(&rule.pattern)
                .build()
                .map_err(|source| NormalizeConfigError::BadPattern { name: rule.name.clone(), source })?;
            if rule.enabled {
                names.push(rule.name.clone());
                max_chars.push(rule.max_chars);
                patterns.push(rule.pattern.as_str());
            }
        }
        let set = RegexSetBuilder::new(patterns).build().map_err(|source| NormalizeConfigError::RuleSet { source })?;
        let defaults = rules == default_boilerplate_rules().as_slice();
        Ok(RuleSet { set, names, max_chars, defaults })
    }

    /// The name of the first enabled rule (in list order) matching `line`.
    pub(crate) fn first_match(&self, line: &str) -> Option<&str> {
        // `is_match` can stop at the first match; most lines match nothing,
        // so the full `matches` scan only runs for boilerplate lines.
        if (self.defaults && !defaults_may_match(line)) || !self.set.is_match(line) {
            return None;
        }
        let mut chars = None;
        let index = self.set.matches(line).into_iter().find(|&i| match self.max_chars[i] {
            None => true,
            Some(max) => *chars.get_or_insert_with(|| line.chars().count()) <= max as usize,
        })?;
        self.names.get(index).map(String::as_str)
    }
}

/// Lower-cased words one of the built-in rules' lines starts with (after an
/// optional bullet), cut before their first space: the `^` alternatives of
/// every default pattern begin with one of these, a digit (`12 comments`),
/// `(` or `©`.
#[cfg(test)]
const DEFAULT_STARTS: &[&str] = &[
    "also",
    "read",
    "see",
    "related",
    "more",
    "recommended",
    "you", // related-links
    "leave",
    "cancel",
    "your",
    "required",
    "post",
    "add",
    "save",
    "notify",
    "comment",
    "view",
    "show", // comment-form
    "subscribe",
    "sign",
    "get",
    "follow",
    "join", // subscribe
    "short",
    "permalink", // short-link
    "powered",
    "this",
    "automatically",
    "machine",
    "translated", // machine-translation
    "photo",
    "pic",
    "image",
    "illustration",
    "graphic",
    "video",
    "file", // photo-credit
    "share",
    "click",
    "tweet",
    "email",
    "print",
    "facebook",
    "twitter",
    "whatsapp",
    "telegram",
    "linkedin",
    "copy",
];

/// Lower-cased last words of the lines the built-in rules' `.*…$`
/// alternatives match: the agency credits that end a caption (each
/// [`CREDIT`] alternative and "/ File", "/ Getty Images") and "all rights
/// reserved".
const DEFAULT_ENDS: &[&str] = &[
    "ap",
    "photo",
    "afp",
    "images",
    "reuters",
    "epa",
    "efe",
    "xinhua",
    "anadolu",
    "agency",
    "aa",
    "shutterstock",
    "sputnik",
    "tass",
    "irna",
    "bloomberg",
    "nurphoto",
    "dpa",
    "upi",
    "ansa",
    "alamy",
    "wana",
    "sana",
    "handout",
    "file",
    "reserved",
];

/// False only when no built-in rule can match `line`: it neither starts
/// like one (see [`starts_by_initial`]) nor ends like one ([`DEFAULT_ENDS`]).
/// Only ASCII is compared; whenever a non-ASCII char is where a word is
/// looked at, the answer is "maybe" (under `(?i)`, `ſ` matches `s` and the
/// Kelvin sign `k`; `\d` and `\s` are Unicode). Most body lines are turned
/// away after a few bytes at each end instead of a regex scan of the line.
fn defaults_may_match(line: &str) -> bool {
    may_start_like_default(line)
        || line
            .strip_prefix(['•', '·', '▪', '►', '*', '>', '-'])
            .is_some_and(|rest| may_start_like_default(rest.trim_start()))
        || may_end_like_default(line)
}

fn may_start_like_default(s: &str) -> bool {
    let b = s.as_bytes();
    let Some(&first) = b.first() else { return false };
    if !first.is_ascii() || first.is_ascii_digit() || first == b'(' {
        return true; // also `©` (non-ASCII)
    }
    let word_len = b.iter().position(|c| !c.is_ascii_alphabetic()).unwrap_or(b.len());
    if b.get(word_len).is_some_and(|c| !c.is_ascii()) {
        return true; // the word may go on in non-ASCII letters
    }
    // The longest start word has 13 letters: comparing the first 16 is exact.
    let mut lower = [0u8; 16];
    let n = word_len.min(16);
    for (l, c) in lower.iter_mut().zip(&b[..n]) {
        *l = c.to_ascii_lowercase();
    }
    let word = &lower[..n];
    let Some(&initial) = word.first() else { return false };
    // Only the start words with the same initial are compared.
    starts_by_initial(initial).iter().any(|w| word.starts_with(w.as_bytes()))
}

/// The lower-cased words a built-in rule's line starts with (after an
/// optional bullet), cut before their first space, by initial; the
/// ungrouped list is `DEFAULT_STARTS` in the tests.
fn starts_by_initial(initial: u8) -> &'static [&'static str] {
    match initial {
        b'a' => &["also", "add", "automatically"],
        b'c' => &["cancel", "comment", "click", "copy"],
        b'e' => &["email"],
        b'f' => &["follow", "file", "facebook"],
        b'g' => &["get", "graphic"],
        b'i' => &["image", "illustration"],
        b'j' => &["join"],
        b'l' => &["leave", "linkedin"],
        b'm' => &["more", "machine"],
        b'n' => &["notify"],
        b'p' => &["post", "permalink", "powered", "photo", "pic", "print"],
        b'r' => &["read", "related", "recommended", "required"],
        b's' => &["see", "save", "show", "subscribe", "sign", "short", "share"],
        b't' => &["this", "translated", "tweet", "twitter", "telegram"],
        b'v' => &["view", "video"],
        b'w' => &["whatsapp"],
        b'y' => &["you", "your"],
        _ => &[],
    }
}

fn may_end_like_default(s: &str) -> bool {
    let s = s.trim_end_matches(|c: char| c.is_whitespace() || c == ')' || c == '.');
    let start =
        s.rfind(|c: char| !c.is_alphabetic()).map_or(0, |i| i + s[i..].chars().next().map_or(1, char::len_utf8));
    let word = &s[start..];
    if !word.is_ascii() {
        return true;
    }
    // The longest end word has 12 letters.
    if word.len() > 12 {
        return false;
    }
    let mut lower = [0u8; 12];
    for (l, c) in lower.iter_mut().zip(word.as_bytes()) {
        *l = c.to_ascii_lowercase();
    }
    let word = &lower[..word.len()];
    // Compared against the words of the same length only.
    DEFAULT_ENDS.iter().any(|w| w.len() == word.len() && w.as_bytes() == word)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::fold::fold_for_matching;

    fn rules() -> RuleSet {
        RuleSet::new(&default_boilerplate_rules()).expect("default rules compile")
    }

    fn check(set: &RuleSet, line: &str) -> Option<String> {
        set.first_match(&fold_for_matching(line.trim())).map(str::to_string)
    }

    #[test]
    fn removes_boilerplate_lines() {
        let set = rules();
        let cases = [
            ("• Also read: Troops leave the base", "related-links"),
            ("- Read more: what the talks mean", "related-links"),
            ("Read also: A new offensive", "related-links"),
            ("See also: Timeline", "related-links"),
            ("Related: Ceasefire collapses", "related-links"),
            ("Related articles", "related-links"),
            ("RELATED STORIES", "related-links"),
            ("More on this story", "related-links"),
            ("> Read more »", "related-links"),
            ("Leave a Reply", "comment-form"),
            ("Leave a comment", "comment-form"),
            ("Your email address will not be published.", "comment-form"),
            ("Your email address will not be published. Required fields are marked *", "comment-form"),
            ("Required fields are marked *", "comment-form"),
            ("Post Comment", "comment-form"),
            ("Save my name, email, and website in this browser for the next time I comment.", "comment-form"),
            ("Comments", "comment-form"),
            ("Comments (12)", "comment-form"),
            ("Subscribe to our newsletter", "subscribe"),
            ("SUBSCRIBE", "subscribe"),
            ("Sign up for our daily newsletter to get the news", "subscribe"),
            ("Get the latest headlines in your inbox every morning", "subscribe"),
            ("Follow us on Twitter and Telegram", "subscribe"),
            ("Short link:", "short-link"),
            ("Short URL: https://example.org/x1", "short-link"),
            ("Permalink: https://example.org/a", "short-link"),
            ("Powered by automated translation", "machine-translation"),
            ("This article was automatically translated from Arabic.", "machine-translation"),
            ("Translated by Jane Roe", "machine-translation"),
            ("Photo: Jane Roe/Reuters", "photo-credit"),
            ("(Photo by Jane Roe/AFP)", "photo-credit"),
            ("Image: Handout", "photo-credit"),
            ("File photo", "photo-credit"),
            ("FILE PHOTO: A soldier stands guard", "photo-credit"),
            ("Soldiers stand guard at a checkpoint in a city. AP", "photo-credit"),
            ("Soldiers stand guard at a checkpoint. AFP", "photo-credit"),
            ("Soldiers stand guard at a checkpoint. Reuters", "photo-credit"),
            ("A recruit at a base in a town, Iraq. Getty Images", "photo-credit"),
            ("A damaged building in a city. EPA", "photo-credit"),
            ("Smoke rises over a city. AFP via Getty Images", "photo-credit"),
            ("Smoke rises over a city. Jane Roe / AFP", "photo-credit"),
            ("Smoke rises over a city (AFP)", "photo-credit"),
            ("Smoke rises over a city (Jane Roe - Anadolu Agency)", "photo-credit"),
            ("Smoke rises over a city. Xinhua", "photo-credit"),
            ("A checkpoint on a road. Shutterstock", "photo-credit"),
            ("A checkpoint on a road. File", "photo-credit"),
            ("A checkpoint on a road. Reuters/File", "photo-credit"),
            ("Share this article", "share-bar"),
            ("Share on Facebook", "share-bar"),
            ("Share on X", "share-bar"),
            ("Share on WhatsApp", "share-bar"),
            ("Click to share on Twitter (Opens in new window)", "share-bar"),
            ("Facebook Twitter WhatsApp Email", "share-bar"),
            ("© 2024 Example News", "copyright"),
            ("Copyright 2024 Example Media. All rights reserved.", "copyright"),
            ("Example Media Ltd. All rights reserved", "copyright"),
        ];
        for (line, want) in cases {
            assert_eq!(check(&set, line).as_deref(), Some(want), "line {line:?}");
            assert!(defaults_may_match(&fold_for_matching(line.trim())), "prefilter turned away {line:?}");
        }
    }

    #[test]
    fn prefilter_is_on_for_the_defaults_only() {
        assert!(rules().defaults);
        let mut changed = default_boilerplate_rules();
        changed[0].enabled = false;
        assert!(!RuleSet::new(&changed).expect("valid").defaults);
        let mut extra = default_boilerplate_rules();
        extra.push(BoilerplateRule {
            name: "x".into(),
            pattern: "(?i)^breaking$".into(),
            enabled: true,
            max_chars: None,
        });
        let set = RuleSet::new(&extra).expect("valid");
        assert!(!set.defaults);
        assert_eq!(set.first_match("Breaking"), Some("x"));
    }

    #[test]
    fn prefilter_word_lists_fit_its_buffers() {
        assert!(DEFAULT_STARTS
            .iter()
            .all(|w| !w.is_empty() && w.len() <= 16 && w.bytes().all(|b| b.is_ascii_lowercase())));
        assert!(DEFAULT_ENDS
            .iter()
            .all(|w| !w.is_empty() && w.len() <= 12 && w.bytes().all(|b| b.is_ascii_lowercase())));
    }

    #[test]
    fn start_words_grouped_by_initial_are_the_list() {
        let mut grouped: Vec<&str> = (b'a'..=b'z').flat_map(|c| starts_by_initial(c).iter().copied()).collect();
        for w in &grouped {
            assert!(starts_by_initial(w.as_bytes()[0]).contains(w), "{w} under the wrong initial");
        }
        let mut list = DEFAULT_STARTS.to_vec();
        grouped.sort_unstable();
        list.sort_unstable();
        assert_eq!(grouped, list);
    }

    #[test]
    fn prefilter_turns_away_body_lines() {
        for line in [
            "Militia fighters attacked a checkpoint near the river on Friday, officials said.",
            "The agency, AP, said three people were killed.",
            "Officials told AP the attack was repelled before dawn.",
        ] {
            assert!(!defaults_may_match(line), "{line:?}");
        }
    }

    proptest::proptest! {
        /// The prefilter never turns away a line the built-in rules match:
        /// lines assembled from the rules' words, credits, bullets,
        /// punctuation and chars that match ASCII letters under `(?i)`.
        #[test]
        fn prefilter_never_hides_a_match(
            s in "([•*>\\-] ?)?((Also|also|READ|Read more|See also|Related|related stories|More on this|Recommended|You may also like|Leave a reply|Comments|12 comments|comment|View comments|Subscribe|Sign up for our daily newsletters|Get the latest news in your inbox|Follow us on X|Join us on Telegram|Short link|Permalink|Powered by machine translation|This article was automatically translated|Machine translation|Translated by DeepL|Photo|Photos: AP|Picture by|Image courtesy of|\\(Photo by|\\(file photo|File photo|Share this article|Share on Facebook|Click to print|Tweet Email Print|Facebook Twitter WhatsApp|Copy link|©|\\(c\\)|Copyright 2024|ſubscribe|Clic\u{212A}|\u{0661}\u{0662} comments|Ünïcödé|The|A|[a-z]{1,8}|[0-9]{1,3}| |\u{00A0}|[.,:;|/()\\-]|»|\"|\\.\\.\\.)){1,8}( ?(\\.|\\||/| - |\\()? ?(AP|AP Photo|AFP|AFP via Getty Images|Reuters|EPA-EFE|Xinhua|Anadolu Agency|AA|TASS|SOPA Images|dpa|Handout|File|ſputnik|TAſS|All rights reserved|all rights reserved\\.|x)( / (File|Getty Images))? ?\\)?)?"
        ) {
            static SET: std::sync::LazyLock<RuleSet> = std::sync::LazyLock::new(rules);
            let set = &*SET;
            for line in [s.trim().to_string(), fold_for_matching(s.trim())] {
                if set.set.is_match(&line) {
                    proptest::prop_assert!(defaults_may_match(&line), "{:?}", line);
                }
            }
        }
    }

    #[test]
    fn keeps_body_text() {
        let set = rules();
        let cases = [
            "Officials told AP the attack was repelled before dawn.",
            "The agency, AP, said three people were killed.",
            "Readers can read more about the conflict in our explainer.",
            "Read more about the background of the talks in the report released on Friday.",
            "Related-party transactions were reviewed by the committee.",
            "Subscribers to the service complained about outages.",
            "Photos by residents showed heavy damage to the market.",
            "The minister said the talks were productive, according to Reuters.",
            "He told Reuters the convoy had left the city.",
            "Comments by the minister drew criticism from the opposition.",
            "Copyright law was not discussed at the summit.",
            "The image of the city has changed.",
            "Share prices fell sharply on Monday.",
            "Following the attack, the militia vowed revenge.",
            "The file was sent to the prosecutor.",
            "He said: \u{201C}We will not leave.\u{201D} AFP reported the remarks.",
            "The U.S. and Iraq agreed on a timeline, an official told AFP on Friday.",
            "",
        ];
        for line in cases {
            assert_eq!(check(&set, line), None, "line {line:?}");
        }
    }

    #[test]
    fn caption_rule_limits_length() {
        let set = rules();
        let long = format!("{} in the city. AP", "word ".repeat(80));
        assert_eq!(check(&set, &long), None);
    }

    #[test]
    fn max_chars_skips_long_lines_for_that_rule_only() {
        let rules = vec![
            BoilerplateRule { name: "short".into(), pattern: "AFP$".into(), enabled: true, max_chars: Some(12) },
            BoilerplateRule { name: "any".into(), pattern: "^x.*AFP$".into(), enabled: true, max_chars: None },
        ];
        let set = RuleSet::new(&rules).unwrap();
        assert_eq!(set.first_match("A city. AFP"), Some("short"));
        // Too long for "short": the next matching rule applies, else none.
        assert_eq!(set.first_match("A big city. AFP"), None);
        assert_eq!(set.first_match("x long line. AFP"), Some("any"));
        // Characters, not bytes.
        assert_eq!(set.first_match("Ünïcödé. AFP"), Some("short"));
    }

    #[test]
    fn rule_validation() {
        let bad = vec![BoilerplateRule {
            name: "broken".into(),
            pattern: "(unclosed".into(),
            enabled: false,
            max_chars: None,
        }];
        let err = RuleSet::new(&bad).unwrap_err();
        assert!(err.to_string().starts_with("boilerplate rule \"broken\": invalid pattern"));

        let dup = vec![
            BoilerplateRule { name: "a".into(), pattern: "^x$".into(), enabled: true, max_chars: None },
            BoilerplateRule { name: "a".into(), pattern: "^y$".into(), enabled: true, max_chars: None },
        ];
        assert!(matches!(RuleSet::new(&dup), Err(NormalizeConfigError::DuplicateRuleName { .. })));
        let reserved =
            vec![BoilerplateRule { name: "dateline".into(), pattern: "^x$".into(), enabled: true, max_chars: None }];
        assert!(matches!(RuleSet::new(&reserved), Err(NormalizeConfigError::ReservedRuleName { .. })));
    }

    #[test]
    fn disabled_rules_do_not_apply_and_order_wins() {
        let rules = vec![
            BoilerplateRule { name: "off".into(), pattern: "^x".into(), enabled: false, max_chars: None },
            BoilerplateRule { name: "first".into(), pattern: "^xy".into(), enabled: true, max_chars: None },
            BoilerplateRule { name: "second".into(), pattern: "y$".into(), enabled: true, max_chars: None },
        ];
        let set = RuleSet::new(&rules).unwrap();
        assert_eq!(set.first_match("xy"), Some("first"));
        assert_eq!(set.first_match("zy"), Some("second"));
        assert_eq!(set.first_match("xz"), None);
        // An empty list is valid and matches nothing.
        assert_eq!(RuleSet::new(&[]).unwrap().first_match("anything"), None);
    }

    #[test]
    fn rules_deserialize_with_default_enabled() {
        // Checked through the serde derive: `enabled` defaults to true.
        let rule = BoilerplateRule { name: "n".into(), pattern: "p".into(), enabled: yes(), max_chars: None };
        assert!(rule.enabled);
    }
}
