//! The rolling windows' clock ([`WindowClock`]): what "today" means for the
//! near-duplicate window and for undated incidents.
//!
//! It is the newest plausible publication day seen, moved on by every
//! ingest day that passes. A backfill of last year's news (every article
//! ingested the same day) slides its windows through last year instead of
//! holding all of it; an undated feed still ages out day by day; a typo date
//! far in the future moves nothing. It never goes back, so anything stamped
//! with it is stored in window order. Pure: the caller supplies the days.

use serde::{Deserialize, Serialize};

/// A publication date more than this many days after the ingest day is a
/// typo or a time-zone slip and does not move the near-duplicate window
/// (the timeline has its own `future_slack_days`).
pub const FUTURE_SLACK_DAYS: i32 = 2;

/// Days are counted from 1970-01-01 (UTC).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowClock {
    /// The current day; None before the first article.
    pub day: Option<i32>,
    /// The ingest day when the clock last moved.
    pub ingest_day: Option<i32>,
}

impl WindowClock {
    /// A clock restored at `day` (the newest stamp in stored state).
    pub fn at(day: Option<i32>) -> WindowClock {
        WindowClock { day, ingest_day: None }
    }

    /// Move the clock for an article ingested on `ingest_day`, published on
    /// `published` if known (ignored if more than `future_slack_days` after
    /// the ingest day); returns the article's day on the clock.
    pub fn tick(&mut self, ingest_day: i32, published: Option<i32>, future_slack_days: i32) -> i32 {
        let published = published.filter(|p| *p <= ingest_day + future_slack_days);
        let elapsed = self.ingest_day.map_or(0, |d| (ingest_day - d).max(0));
        self.ingest_day = Some(self.ingest_day.map_or(ingest_day, |d| d.max(ingest_day)));
        let day = match self.day {
            None => published.unwrap_or(ingest_day),
            Some(c) => (c + elapsed).max(published.unwrap_or(i32::MIN)),
        };
        self.day = Some(day);
        day
    }
}

#[cfg(test)]
mod tests {
    use super::{WindowClock, FUTURE_SLACK_DAYS};

    fn run(steps: &[(i32, Option<i32>)]) -> Vec<i32> {
        let mut c = WindowClock::default();
        steps.iter().map(|&(ingest, published)| c.tick(ingest, published, FUTURE_SLACK_DAYS)).collect()
    }

    #[test]
    fn a_backfill_slides_with_publication_dates() {
        // A year-old backfill ingested on one day: the clock follows the publication days.
        let days = run(&[(1000, Some(600)), (1000, Some(610)), (1000, None), (1000, Some(605)), (1000, Some(640))]);
        assert_eq!(days, [600, 610, 610, 610, 640]);
    }

    #[test]
    fn undated_feeds_age_with_ingest_days_and_nothing_goes_back() {
        assert_eq!(run(&[(500, None), (500, None), (503, None), (510, None)]), [500, 500, 503, 510]);
        // Typo dates in the future do not move it; elapsed ingest days still do.
        assert_eq!(run(&[(500, Some(500)), (500, Some(900)), (502, None), (502, Some(450))]), [500, 500, 502, 502]);
        // Restored after a restart: elapsed days count from the first article after it.
        let mut c = WindowClock::at(Some(700));
        let mut tick = |i, p| c.tick(i, p, FUTURE_SLACK_DAYS);
        assert_eq!((tick(2000, None), tick(2001, None), tick(2001, Some(650))), (700, 701, 701));
    }
}
