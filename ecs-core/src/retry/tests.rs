use super::budget::RetryTokens;
use super::*;

const MS: Duration = Duration::from_millis(1);

#[test]
fn backoff_doubles_with_equal_jitter() {
    let p = RetryPolicy::default();
    for retry in 0..4 {
        let d = 100 * MS * (1 << retry);
        for _ in 0..50 {
            let got = p.backoff(retry, false);
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
        let got = p.backoff(0, true);
        assert!(got >= 250 * MS && got <= 500 * MS, "{got:?}");
    }
}

#[test]
fn backoff_is_capped_by_max_delay() {
    let p = RetryPolicy::default().with_max_delay(300 * MS);
    for _ in 0..50 {
        assert!(p.backoff(10, true) <= 300 * MS);
    }
}

#[test]
fn jitter_varies_the_backoff() {
    let p = RetryPolicy::default();
    let delays: std::collections::HashSet<_> = (0..20).map(|_| p.backoff(2, false)).collect();
    assert!(delays.len() > 1);
}

#[test]
fn disabled_policy_allows_one_attempt() {
    assert_eq!(RetryPolicy::disabled().max_attempts, 1);
    assert_eq!(RetryPolicy::default().with_max_attempts(0).max_attempts, 1);
}

#[test]
fn the_default_policy_has_a_budget_and_no_rate_limiter() {
    let p = RetryPolicy::default();
    assert_eq!(p.budget, Some(RetryBudget::default()));
    assert_eq!(p.adaptive, None);
    assert_eq!(
        RetryPolicy::adaptive().adaptive,
        Some(AdaptiveRate::default())
    );
}

#[test]
fn a_retry_costs_tokens_and_a_timeout_costs_more() {
    let tokens = RetryTokens::new(RetryBudget::default().with_capacity(20));
    assert_eq!(tokens.acquire(false), Some(5));
    assert_eq!(tokens.acquire(true), Some(10));
    assert_eq!(tokens.available(), 5);
    assert_eq!(tokens.acquire(true), None);
    assert_eq!(tokens.acquire(false), Some(5));
    assert_eq!(tokens.acquire(false), None);
}

#[test]
fn an_empty_budget_allows_exactly_capacity_over_cost_retries() {
    let tokens = RetryTokens::new(RetryBudget::default());
    let retries = std::iter::from_fn(|| tokens.acquire(false)).count();
    assert_eq!(retries, 100);
}

#[test]
fn successes_refund_up_to_the_capacity() {
    let tokens = RetryTokens::new(RetryBudget::default().with_capacity(12));
    tokens.acquire(true);
    tokens.succeeded(0);
    assert_eq!(tokens.available(), 3);
    tokens.succeeded(5);
    assert_eq!(tokens.available(), 8);
    for _ in 0..10 {
        tokens.succeeded(5);
    }
    assert_eq!(tokens.available(), 12);
}

#[test]
fn with_region_clones_share_one_limiter_per_region() {
    let shared = RetryShared::new(&RetryPolicy::adaptive());
    let a = shared.limiter("cn-hangzhou").unwrap();
    let b = shared.limiter("cn-hangzhou").unwrap();
    let c = shared.limiter("cn-beijing").unwrap();
    assert!(Arc::ptr_eq(&a, &b));
    assert!(!Arc::ptr_eq(&a, &c));
    assert!(RetryShared::new(&RetryPolicy::default())
        .limiter("cn-hangzhou")
        .is_none());
}
