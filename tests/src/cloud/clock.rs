//! Time in the simulated cloud: a [`Clock`] (the system's, or a manual one
//! tests move by hand), the service's timestamp formats, and the
//! [`Timeline`] every lifecycle is kept as. A timeline stores when each
//! status begins, so the current status is computed from the clock when it
//! is read: nothing runs in the background, and a state reloaded after a
//! restart carries on where it was.

use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch.
pub type Millis = u64;

/// Where the cloud reads the time. The default is the system clock; a
/// manual clock stands still until [`Clock::advance`] moves it, which makes
/// lifecycle tests exact.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    manual: Option<Arc<AtomicU64>>,
}

impl Clock {
    /// The system clock.
    pub fn system() -> Clock {
        Clock::default()
    }

    /// A manual clock reading `start` until advanced. Clones share the time.
    pub fn manual(start: SystemTime) -> Clock {
        Clock {
            manual: Some(Arc::new(AtomicU64::new(millis_of(start)))),
        }
    }

    /// Moves a manual clock forward by `by`; the system clock cannot be
    /// moved, so this does nothing to it.
    pub fn advance(&self, by: Duration) {
        if let Some(now) = &self.manual {
            now.fetch_add(by.as_millis() as u64, Ordering::SeqCst);
        }
    }

    pub fn is_manual(&self) -> bool {
        self.manual.is_some()
    }

    /// The current time in milliseconds since the epoch.
    pub fn now(&self) -> Millis {
        match &self.manual {
            Some(now) => now.load(Ordering::SeqCst),
            None => millis_of(SystemTime::now()),
        }
    }
}

fn millis_of(t: SystemTime) -> Millis {
    t.duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// A status that changes over time: each step names the status and when it
/// begins. The last step is where the lifecycle settles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Timeline {
    steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Step {
    at: Millis,
    status: String,
}

impl Timeline {
    /// `status` from `now` on.
    pub fn settled(now: Millis, status: &str) -> Timeline {
        Timeline::path(now, Duration::ZERO, &[status])
    }

    /// `statuses[0]` from `now`, each next one `step` later.
    pub fn path(now: Millis, step: Duration, statuses: &[&str]) -> Timeline {
        let step = step.as_millis() as u64;
        Timeline {
            steps: statuses
                .iter()
                .enumerate()
                .map(|(i, s)| Step {
                    at: now + step * i as u64,
                    status: (*s).to_string(),
                })
                .collect(),
        }
    }

    /// The status at `now`.
    pub fn status(&self, now: Millis) -> &str {
        self.steps
            .iter()
            .rev()
            .find(|s| s.at <= now)
            .or(self.steps.first())
            .map_or("", |s| s.status.as_str())
    }

    /// Whether the last step has begun.
    pub fn is_settled(&self, now: Millis) -> bool {
        self.steps.last().is_none_or(|s| s.at <= now)
    }

    /// When the lifecycle began.
    pub fn began(&self) -> Millis {
        self.steps.first().map_or(0, |s| s.at)
    }

    /// When it settles (or settled).
    pub fn settles(&self) -> Millis {
        self.steps.last().map_or(0, |s| s.at)
    }

    /// How far along the lifecycle is, 0 to 100.
    pub fn progress(&self, now: Millis) -> u64 {
        let (begin, end) = (self.began(), self.settles());
        if now >= end {
            100
        } else {
            (now.saturating_sub(begin) * 100 / (end - begin).max(1)).min(99)
        }
    }

    /// Whole seconds until it settles.
    pub fn remaining_secs(&self, now: Millis) -> u64 {
        self.settles().saturating_sub(now).div_ceil(1000)
    }
}

/// `2021-06-07T06:08:54Z`, the form most resources report times in.
pub fn iso_seconds(ms: Millis) -> String {
    let (date, secs) = civil(ms);
    format!(
        "{date}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// `2017-12-10T04:04Z`, the form instances report times in.
pub fn iso_minutes(ms: Millis) -> String {
    let (date, secs) = civil(ms);
    format!("{date}T{:02}:{:02}Z", secs / 3600, secs % 3600 / 60)
}

/// Parses `yyyy-MM-ddTHH:mm:ssZ` or `yyyy-MM-ddTHH:mmZ` (UTC).
pub fn parse_iso(text: &str) -> Option<Millis> {
    let (date, time) = text.strip_suffix('Z')?.split_once('T')?;
    let mut ymd = date.split('-').map(|p| p.parse::<u32>().ok());
    let (y, m, d) = (ymd.next()??, ymd.next()??, ymd.next()??);
    let mut hms = time.split(':').map(|p| p.parse::<u32>().ok());
    let (h, mi) = (hms.next()??, hms.next()??);
    let s = hms.next().unwrap_or(Some(0))?;
    let valid = date.len() == 10
        && ymd.next().is_none()
        && hms.next().is_none()
        && (1..=12).contains(&m)
        && (1..=days_in_month(y, m)).contains(&d)
        && h < 24
        && mi < 60
        && s < 60;
    if !valid || y < 1970 {
        return None;
    }
    let days = days_before_year(y) + days_before_month(y, m) + u64::from(d - 1);
    Some(((days * 86_400) + u64::from(h * 3600 + mi * 60 + s)) * 1000)
}

/// `ms` plus `months` calendar months, the day clamped to the month's end.
pub fn add_months(ms: Millis, months: u32) -> Millis {
    let (y, m, d, secs) = split(ms);
    let total = y * 12 + (m - 1) + months;
    let (ny, nm) = (total / 12, total % 12 + 1);
    let nd = d.min(days_in_month(ny, nm));
    let days = days_before_year(ny) + days_before_month(ny, nm) + u64::from(nd - 1);
    (days * 86_400 + secs) * 1000 + ms % 1000
}

fn civil(ms: Millis) -> (String, u64) {
    let (y, m, d, secs) = split(ms);
    (format!("{y:04}-{m:02}-{d:02}"), secs)
}

/// (year, month, day, seconds into the day).
fn split(ms: Millis) -> (u32, u32, u32, u64) {
    let secs = ms / 1000;
    let mut days = secs / 86_400;
    let mut year = 1970;
    while days >= year_days(year) {
        days -= year_days(year);
        year += 1;
    }
    let mut month = 1;
    while days >= u64::from(days_in_month(year, month)) {
        days -= u64::from(days_in_month(year, month));
        month += 1;
    }
    (year, month, days as u32 + 1, secs % 86_400)
}

fn is_leap(y: u32) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

fn year_days(y: u32) -> u64 {
    if is_leap(y) {
        366
    } else {
        365
    }
}

fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn days_before_year(y: u32) -> u64 {
    (1970..y).map(year_days).sum()
}

fn days_before_month(y: u32, m: u32) -> u64 {
    (1..m).map(|mm| u64::from(days_in_month(y, mm))).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Millis = 1_456_231_584_000; // 2016-02-23T12:46:24Z

    #[test]
    fn formats_and_parses_the_service_timestamps() {
        assert_eq!(iso_seconds(T), "2016-02-23T12:46:24Z");
        assert_eq!(iso_minutes(T), "2016-02-23T12:46Z");
        assert_eq!(parse_iso("2016-02-23T12:46:24Z"), Some(T));
        assert_eq!(parse_iso("2016-02-23T12:46Z"), Some(T - 24_000));
        assert_eq!(parse_iso("2016-02-30T12:46Z"), None);
        assert_eq!(parse_iso("2016-02-23 12:46Z"), None);
    }

    #[test]
    fn adds_calendar_months_clamping_the_day() {
        let jan31 = parse_iso("2023-01-31T10:00:00Z").unwrap();
        assert_eq!(iso_seconds(add_months(jan31, 1)), "2023-02-28T10:00:00Z");
        assert_eq!(iso_seconds(add_months(jan31, 13)), "2024-02-29T10:00:00Z");
    }

    #[test]
    fn a_timeline_moves_through_its_steps_with_the_clock() {
        let t = Timeline::path(
            1000,
            Duration::from_secs(1),
            &["Pending", "Starting", "Running"],
        );
        assert_eq!(t.status(1000), "Pending");
        assert_eq!(t.status(1999), "Pending");
        assert_eq!(t.status(2000), "Starting");
        assert_eq!(t.status(3000), "Running");
        assert!(!t.is_settled(2999));
        assert!(t.is_settled(3000));
        assert_eq!(t.progress(2000), 50);
        assert_eq!(t.remaining_secs(2001), 1);
    }

    #[test]
    fn a_zero_step_timeline_is_settled_at_once() {
        let t = Timeline::path(5, Duration::ZERO, &["Pending", "Running"]);
        assert_eq!(t.status(5), "Running");
        assert_eq!(t.progress(5), 100);
    }
}
