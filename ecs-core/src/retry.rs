//! When to retry and how long to wait (protocol.md section 4): exponential
//! backoff with equal jitter, the service's `x-acs-retry-after` first,
//! bounded by attempts and by time; a retry budget shared by a client and
//! its `with_region` clones ([`budget`]); and, opt in, a client-side rate
//! limiter that backs off when the service throttles ([`adaptive`]).

pub mod adaptive;
pub mod budget;

pub use adaptive::AdaptiveRate;
pub use budget::RetryBudget;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How a client retries. The budget and the adaptive rate are the
/// client's (set with `ClientBuilder::retry_policy`); a per-call policy
/// (`CallOptions::retry`) changes attempts and backoff only.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts in all, the first included; 1 disables retries.
    pub max_attempts: u32,
    /// Backoff base for transport errors and 5xx.
    pub base_delay: Duration,
    /// Backoff base for throttling (ECS throttles per minute).
    pub throttle_base_delay: Duration,
    /// No backoff is longer (the service's `x-acs-retry-after` may be).
    pub max_delay: Duration,
    /// No retry starts once this much time has passed since the first attempt.
    pub max_elapsed: Duration,
    /// The token bucket that bounds retries across calls; `None` lets
    /// every call retry up to `max_attempts` whatever the others do.
    pub budget: Option<RetryBudget>,
    /// Client-side rate limiting after throttling; `None` (the default)
    /// sends as fast as the caller asks.
    pub adaptive: Option<AdaptiveRate>,
}

impl Default for RetryPolicy {
    /// Three retries with the legacy Python core's timings, under the
    /// default retry budget.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(100),
            throttle_base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(20),
            max_elapsed: Duration::from_secs(60),
            budget: Some(RetryBudget::default()),
            adaptive: None,
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

    /// The default policy plus a client-side rate limiter that slows the
    /// client down when the service throttles and speeds it up again when
    /// it stops (the AWS SDKs' "adaptive" mode).
    pub fn adaptive() -> Self {
        RetryPolicy::default().with_adaptive_rate(AdaptiveRate::default())
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

    /// The retry budget; `None` removes it.
    pub fn with_budget(mut self, budget: Option<RetryBudget>) -> Self {
        self.budget = budget;
        self
    }

    /// Turns on client-side rate limiting with these settings.
    pub fn with_adaptive_rate(mut self, rate: AdaptiveRate) -> Self {
        self.adaptive = Some(rate);
        self
    }

    /// The backoff before retry number `retry` (0 for the first retry):
    /// `d/2 + rand[0, d/2]` with `d = min(max_delay, base * 2^retry)`.
    pub fn backoff(&self, retry: u32, throttled: bool) -> Duration {
        let base = if throttled {
            self.throttle_base_delay
        } else {
            self.base_delay
        };
        equal_jitter(
            base.saturating_mul(1u32 << retry.min(20))
                .min(self.max_delay),
        )
    }
}

/// `d/2 + rand[0, d/2]` (equal jitter): at least half the wait, the rest
/// spread so that callers that failed together do not retry together.
pub(crate) fn equal_jitter(d: Duration) -> Duration {
    let half = d / 2;
    half + half.mul_f64(fastrand::f64())
}

/// What a client and its `with_region` clones share: the retry budget and
/// one rate limiter per region.
#[derive(Debug)]
pub(crate) struct RetryShared {
    pub budget: Option<budget::RetryTokens>,
    adaptive: Option<AdaptiveRate>,
    limiters: Mutex<HashMap<String, Arc<adaptive::RateLimiter>>>,
}

impl RetryShared {
    pub fn new(policy: &RetryPolicy) -> Self {
        RetryShared {
            budget: policy.budget.map(budget::RetryTokens::new),
            adaptive: policy.adaptive.clone(),
            limiters: Mutex::new(HashMap::new()),
        }
    }

    /// The rate limiter for `region` (ECS throttles per region), when the
    /// policy is adaptive.
    pub fn limiter(&self, region: &str) -> Option<Arc<adaptive::RateLimiter>> {
        let config = self.adaptive.as_ref()?;
        let mut limiters = self.limiters.lock().unwrap_or_else(|p| p.into_inner());
        let limiter = limiters
            .entry(region.to_string())
            .or_insert_with(|| Arc::new(adaptive::RateLimiter::new(config.clone())));
        Some(limiter.clone())
    }
}

/// What a client's retry machinery looks like right now, for metrics.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct RetryStats {
    /// Tokens left in the retry budget (`None`: no budget).
    pub budget_tokens: Option<u32>,
    /// The adaptive limiter's current send rate, requests per second
    /// (`None`: not adaptive, or not throttled yet).
    pub send_rate: Option<f64>,
}

#[cfg(test)]
mod tests;
