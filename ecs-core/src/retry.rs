//! When and how long to wait before retrying (protocol.md section 4):
//! exponential backoff with equal jitter, `x-acs-retry-after` first, bounded
//! by attempts and by total time.

use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included; 1 disables retries.
    pub max_attempts: u32,
    /// Backoff base for transport errors and 5xx.
    pub base_delay: Duration,
    /// Backoff base for throttling (ECS throttles per minute).
    pub throttle_base_delay: Duration,
    /// No single wait is longer.
    pub max_delay: Duration,
    /// No retry starts once this much time has passed since the first attempt.
    pub max_elapsed: Duration,
}

impl Default for RetryPolicy {
    /// Three retries, the legacy Python core's timings.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(100),
            throttle_base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(20),
            max_elapsed: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// One attempt only.
    pub fn disabled() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    pub fn with_max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }

    /// Sets both backoff bases (ordinary and throttling) to `base`.
    pub fn with_base_delay(mut self, base: Duration) -> Self {
        self.base_delay = base;
        self.throttle_base_delay = base;
        self
    }

    pub fn with_max_delay(mut self, max: Duration) -> Self {
        self.max_delay = max;
        self
    }

    pub fn with_max_elapsed(mut self, max: Duration) -> Self {
        self.max_elapsed = max;
        self
    }

    /// The wait before retry number `retry` (0 for the first retry): the
    /// server's `retry_after` if given, else `d/2 + rand[0, d/2]` with
    /// `d = min(max_delay, base * 2^retry)`; never above `max_delay`.
    pub fn delay(&self, retry: u32, throttled: bool, retry_after: Option<Duration>) -> Duration {
        if let Some(after) = retry_after {
            return after.min(self.max_delay);
        }
        let base = if throttled {
            self.throttle_base_delay
        } else {
            self.base_delay
        };
        let d = base
            .saturating_mul(1u32 << retry.min(20))
            .min(self.max_delay);
        let half = d / 2;
        let jitter = half.mul_f64(fastrand::f64());
        half + jitter
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn backoff_doubles_with_equal_jitter() {
        let p = RetryPolicy::default();
        for retry in 0..4 {
            let d = 100 * MS * (1 << retry);
            for _ in 0..50 {
                let got = p.delay(retry, false, None);
                assert!(
                    got >= d / 2 && got <= d,
                    "retry {retry}: {got:?} outside [{:?}, {d:?}]",
                    d / 2
                );
            }
        }
    }

    #[test]
    fn throttling_uses_the_longer_base() {
        let p = RetryPolicy::default();
        for _ in 0..50 {
            let got = p.delay(0, true, None);
            assert!(got >= 250 * MS && got <= 500 * MS, "{got:?}");
        }
    }

    #[test]
    fn delay_is_capped_by_max_delay() {
        let p = RetryPolicy::default().with_max_delay(300 * MS);
        for _ in 0..50 {
            assert!(p.delay(10, true, None) <= 300 * MS);
        }
    }

    #[test]
    fn server_retry_after_wins_over_backoff() {
        let p = RetryPolicy::default();
        assert_eq!(p.delay(3, true, Some(42 * MS)), 42 * MS);
    }

    #[test]
    fn server_retry_after_is_capped_too() {
        let p = RetryPolicy::default().with_max_delay(10 * MS);
        assert_eq!(p.delay(0, false, Some(Duration::from_secs(60))), 10 * MS);
    }

    #[test]
    fn jitter_varies_the_delay() {
        let p = RetryPolicy::default();
        let delays: std::collections::HashSet<_> =
            (0..20).map(|_| p.delay(2, false, None)).collect();
        assert!(delays.len() > 1);
    }

    #[test]
    fn disabled_policy_allows_one_attempt() {
        assert_eq!(RetryPolicy::disabled().max_attempts, 1);
        assert_eq!(RetryPolicy::default().with_max_attempts(0).max_attempts, 1);
    }
}
