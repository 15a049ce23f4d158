//! The retry budget: a token bucket shared by a client and its
//! `with_region` clones, in the manner of the AWS SDKs' standard mode. A
//! retry takes tokens (a timeout more), a success puts some back; when the
//! bucket is empty, failures are returned without retrying, so a throttle
//! storm or an outage is not multiplied by the retries of every call.

use std::sync::atomic::{AtomicU32, Ordering};

/// The bucket's size and prices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryBudget {
    /// Tokens when full (and at start).
    pub capacity: u32,
    /// Taken by a retry after an error answer or a connection failure.
    pub retry_cost: u32,
    /// Taken by a retry after a timeout (a sick endpoint costs more).
    pub timeout_cost: u32,
    /// Put back by a call that succeeds at once; one that succeeds after
    /// retrying puts back what its last retry took.
    pub success_refund: u32,
}

impl Default for RetryBudget {
    /// 500 tokens, 5 a retry, 10 a retry after a timeout, 1 back a success:
    /// a storm of failures gets 100 retries, not 3 per call.
    fn default() -> Self {
        RetryBudget {
            capacity: 500,
            retry_cost: 5,
            timeout_cost: 10,
            success_refund: 1,
        }
    }
}

impl RetryBudget {
    pub fn with_capacity(mut self, capacity: u32) -> Self {
        self.capacity = capacity;
        self
    }

    pub fn with_costs(mut self, retry: u32, timeout: u32) -> Self {
        self.retry_cost = retry;
        self.timeout_cost = timeout;
        self
    }

    pub fn with_success_refund(mut self, refund: u32) -> Self {
        self.success_refund = refund;
        self
    }
}

/// The live bucket.
#[derive(Debug)]
pub(crate) struct RetryTokens {
    available: AtomicU32,
    config: RetryBudget,
}

impl RetryTokens {
    pub fn new(config: RetryBudget) -> Self {
        RetryTokens {
            available: AtomicU32::new(config.capacity),
            config,
        }
    }

    pub fn available(&self) -> u32 {
        self.available.load(Ordering::Relaxed)
    }

    /// Takes the price of one retry; `None` when the bucket cannot pay.
    pub fn acquire(&self, after_timeout: bool) -> Option<u32> {
        let cost = if after_timeout {
            self.config.timeout_cost
        } else {
            self.config.retry_cost
        };
        self.available
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| {
                n.checked_sub(cost)
            })
            .ok()
            .map(|_| cost)
    }

    /// Records a success: back come the tokens the call's last retry took,
    /// or the success refund if it did not retry.
    pub fn succeeded(&self, last_retry_cost: u32) {
        let refund = if last_retry_cost > 0 {
            last_retry_cost
        } else {
            self.config.success_refund
        };
        let cap = self.config.capacity;
        // The common case (a full bucket) costs one load and no write.
        if refund == 0 || self.available.load(Ordering::Relaxed) >= cap {
            return;
        }
        let _ = self
            .available
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| {
                (n < cap).then(|| n.saturating_add(refund).min(cap))
            });
    }
}
