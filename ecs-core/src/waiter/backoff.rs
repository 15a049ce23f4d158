//! The pauses between a waiter's polls: jittered exponential backoff from
//! `min_delay` up to `max_delay`, fitted into the time left.

use std::time::Duration;

#[derive(Debug, Clone, Copy)]
pub(crate) struct Backoff {
    pub min: Duration,
    pub max: Duration,
}

impl Backoff {
    /// The pause after poll `poll` (1-based): uniform in
    /// `[min, min(max, min * 2^(poll-1))]`, so polls spread out as the wait
    /// goes on and many waiters do not poll in step.
    pub fn delay(&self, poll: u32) -> Duration {
        let doubled = self
            .min
            .saturating_mul(1u32 << poll.saturating_sub(1).min(20));
        let upper = doubled.min(self.max).max(self.min);
        let (lo, hi) = (self.min.as_nanos() as u64, upper.as_nanos() as u64);
        Duration::from_nanos(fastrand::u64(lo..=hi))
    }

    /// `delay` fitted into `budget`, the time left for pausing before the
    /// last useful poll must start: never longer than the budget, and
    /// stretched to the budget when it would leave less than `min` after it
    /// (one last poll as late as possible beats a hurried extra one).
    pub fn fit(&self, delay: Duration, budget: Duration) -> Duration {
        if budget.saturating_sub(delay) < self.min {
            budget
        } else {
            delay
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    fn backoff() -> Backoff {
        Backoff {
            min: 10 * MS,
            max: 200 * MS,
        }
    }

    #[test]
    fn first_pause_is_the_minimum() {
        for _ in 0..20 {
            assert_eq!(backoff().delay(1), 10 * MS);
        }
    }

    #[test]
    fn pauses_grow_exponentially_within_min_and_the_doubled_bound() {
        for poll in 2..6 {
            let upper = 10 * MS * (1 << (poll - 1));
            for _ in 0..50 {
                let d = backoff().delay(poll);
                assert!(d >= 10 * MS && d <= upper, "poll {poll}: {d:?}");
            }
        }
    }

    #[test]
    fn pauses_never_exceed_max_delay() {
        for poll in [6, 10, 40, u32::MAX] {
            for _ in 0..50 {
                assert!(backoff().delay(poll) <= 200 * MS);
            }
        }
    }

    #[test]
    fn pauses_are_jittered() {
        let seen: std::collections::HashSet<_> = (0..30).map(|_| backoff().delay(5)).collect();
        assert!(seen.len() > 1);
    }

    #[test]
    fn max_below_min_pauses_the_minimum() {
        let b = Backoff {
            min: 50 * MS,
            max: 10 * MS,
        };
        assert_eq!(b.delay(4), 50 * MS);
    }

    #[test]
    fn a_pause_that_fits_is_kept() {
        assert_eq!(backoff().fit(40 * MS, 100 * MS), 40 * MS);
    }

    #[test]
    fn a_pause_is_cut_to_the_budget() {
        assert_eq!(backoff().fit(150 * MS, 100 * MS), 100 * MS);
    }

    #[test]
    fn a_pause_leaving_less_than_min_is_stretched_to_the_budget() {
        assert_eq!(backoff().fit(95 * MS, 100 * MS), 100 * MS);
    }
}
