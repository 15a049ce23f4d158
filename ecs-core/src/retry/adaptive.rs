//! Adaptive mode: a client-side rate limiter in the manner of the AWS SDKs'
//! adaptive retry mode. Idle until the service first throttles; then every
//! attempt takes a token from a bucket refilled at a send rate that drops
//! by `beta` at each throttle and climbs back along a cubic curve (TCP
//! CUBIC's) while answers come back unthrottled, so a fleet of tasks backs
//! off together instead of hammering a throttled API.

use std::sync::Mutex;
use std::time::{Duration, Instant};
use tokio::sync::Notify;

/// The limiter's settings.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct AdaptiveRate {
    /// Never limit below this many requests per second.
    pub min_rate: f64,
    /// The send rate is multiplied by this at each throttle (0 < beta < 1).
    pub beta: f64,
    /// How fast the rate climbs back after a throttle (CUBIC's C): the
    /// rate is back where it was throttled after
    /// `cbrt(rate * (1 - beta) / scale)` seconds.
    pub scale: f64,
    /// Window over which the client's own send rate is measured.
    pub measure_window: Duration,
    /// Weight of the newest window in the measured rate (0..=1).
    pub smoothing: f64,
}

impl Default for AdaptiveRate {
    /// The AWS SDKs' constants: 0.5 requests/s floor, beta 0.7, C 0.4,
    /// half-second windows smoothed 0.8.
    fn default() -> Self {
        AdaptiveRate {
            min_rate: 0.5,
            beta: 0.7,
            scale: 0.4,
            measure_window: Duration::from_millis(500),
            smoothing: 0.8,
        }
    }
}

impl AdaptiveRate {
    pub fn with_min_rate(mut self, requests_per_second: f64) -> Self {
        self.min_rate = requests_per_second;
        self
    }

    pub fn with_beta(mut self, beta: f64) -> Self {
        self.beta = beta;
        self
    }

    /// A larger scale recovers sooner (tests use a large one).
    pub fn with_scale(mut self, scale: f64) -> Self {
        self.scale = scale;
        self
    }

    pub fn with_measure_window(mut self, window: Duration) -> Self {
        self.measure_window = window;
        self
    }

    /// Settings outside their ranges, named, for the builder.
    pub(crate) fn problem(&self) -> Option<String> {
        let bad = |name: &str, v: f64, ok: bool| (!ok).then(|| format!("{name} {v}"));
        bad("min_rate", self.min_rate, self.min_rate > 0.0)
            .or_else(|| bad("beta", self.beta, self.beta > 0.0 && self.beta < 1.0))
            .or_else(|| bad("scale", self.scale, self.scale > 0.0))
            .or_else(|| {
                bad(
                    "smoothing",
                    self.smoothing,
                    self.smoothing > 0.0 && self.smoothing <= 1.0,
                )
            })
            .or_else(|| {
                self.measure_window
                    .is_zero()
                    .then(|| "measure_window 0".to_string())
            })
    }
}

/// One region's limiter.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    origin: Instant,
    state: Mutex<State>,
    /// Wakes waiting senders when the rate rises, so a recovery is not
    /// held back by waits computed at the old rate.
    rate_rose: Notify,
}

#[derive(Debug)]
struct State {
    config: AdaptiveRate,
    /// Limiting only starts at the first throttle.
    enabled: bool,
    /// Requests per second the bucket refills at.
    fill_rate: f64,
    tokens: f64,
    last_refill: f64,
    /// Smoothed answers per second (0 until the first window closes).
    measured: f64,
    window_start: f64,
    window_count: u32,
    /// The rate at the last throttle, and when it was.
    last_max_rate: f64,
    last_throttle: f64,
}

impl RateLimiter {
    pub fn new(config: AdaptiveRate) -> Self {
        RateLimiter {
            origin: Instant::now(),
            state: Mutex::new(State::new(config)),
            rate_rose: Notify::new(),
        }
    }

    fn now(&self) -> f64 {
        self.origin.elapsed().as_secs_f64()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Waits for a send slot (at once while not limiting).
    pub async fn acquire(&self) {
        loop {
            // Registered before looking, so a rise in between is not missed.
            let rose = self.rate_rose.notified();
            let now = self.now();
            let Some(wait) = self.lock().try_acquire(now) else {
                return;
            };
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_secs_f64(wait)) => {}
                _ = rose => {}
            }
        }
    }

    /// Records an answer (or a failed attempt), throttled or not.
    pub fn record(&self, throttled: bool) {
        let now = self.now();
        let rose = self.lock().record(now, throttled);
        if rose {
            self.rate_rose.notify_waiters();
        }
    }

    /// The current send rate, once limiting has started.
    pub fn rate(&self) -> Option<f64> {
        let state = self.lock();
        state.enabled.then_some(state.fill_rate)
    }
}

impl State {
    fn new(config: AdaptiveRate) -> Self {
        State {
            fill_rate: config.min_rate,
            config,
            enabled: false,
            tokens: 0.0,
            last_refill: 0.0,
            measured: 0.0,
            window_start: 0.0,
            window_count: 0,
            last_max_rate: 0.0,
            last_throttle: 0.0,
        }
    }

    fn refill(&mut self, now: f64) {
        let capacity = self.fill_rate.max(1.0);
        let elapsed = (now - self.last_refill).max(0.0);
        self.tokens = (self.tokens + elapsed * self.fill_rate).min(capacity);
        self.last_refill = now;
    }

    /// Takes a token (`None`), or says how many seconds until one is due.
    fn try_acquire(&mut self, now: f64) -> Option<f64> {
        if !self.enabled {
            return None;
        }
        self.refill(now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            None
        } else {
            Some((1.0 - self.tokens) / self.fill_rate)
        }
    }

    /// The client's recent answers per second.
    fn send_rate(&mut self, now: f64) -> f64 {
        self.window_count += 1;
        let span = now - self.window_start;
        let window = self.config.measure_window.as_secs_f64();
        if span >= window {
            let rate = f64::from(self.window_count) / span;
            let s = self.config.smoothing;
            self.measured = if self.measured == 0.0 {
                rate
            } else {
                rate * s + self.measured * (1.0 - s)
            };
            self.window_start = now;
            self.window_count = 0;
        }
        if self.measured > 0.0 {
            self.measured
        } else {
            // Before the first window closes: the rate so far.
            f64::from(self.window_count) / span.max(window / 10.0)
        }
    }

    /// Adjusts the rate to an answer; whether it rose noticeably.
    fn record(&mut self, now: f64, throttled: bool) -> bool {
        let measured = self.send_rate(now);
        let new_rate = if throttled {
            let rate = if self.enabled {
                measured.min(self.fill_rate)
            } else {
                measured
            };
            self.last_max_rate = rate;
            self.last_throttle = now;
            if !self.enabled {
                self.enabled = true;
                self.tokens = 0.0;
                self.last_refill = now;
            }
            rate * self.config.beta
        } else if self.enabled {
            self.cubic(now)
        } else {
            return false;
        };
        self.refill(now);
        let old = self.fill_rate;
        self.fill_rate = new_rate.min(2.0 * measured).max(self.config.min_rate);
        self.fill_rate > old * 1.05
    }

    /// The rate `now - last_throttle` seconds into the recovery.
    fn cubic(&self, now: f64) -> f64 {
        let c = &self.config;
        let k = (self.last_max_rate * (1.0 - c.beta) / c.scale).cbrt();
        c.scale * (now - self.last_throttle - k).powi(3) + self.last_max_rate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter() -> State {
        State::new(AdaptiveRate::default().with_measure_window(Duration::from_secs(1)))
    }

    /// Ten answers per second for `secs` seconds from `from`, throttled or not.
    fn answers(s: &mut State, from: f64, secs: u32, throttled: bool) -> f64 {
        let mut t = from;
        for _ in 0..secs * 10 {
            t += 0.1;
            s.record(t, throttled);
        }
        t
    }

    #[test]
    fn nothing_is_limited_before_the_first_throttle() {
        let mut s = limiter();
        let t = answers(&mut s, 0.0, 3, false);
        assert!(!s.enabled);
        assert_eq!(s.try_acquire(t), None);
    }

    #[test]
    fn a_throttle_cuts_the_rate_to_beta_times_the_measured_rate() {
        let mut s = limiter();
        let t = answers(&mut s, 0.0, 3, false);
        s.record(t + 0.1, true);
        assert!(s.enabled);
        assert!((s.fill_rate - 7.0).abs() < 0.5, "{}", s.fill_rate);
    }

    #[test]
    fn repeated_throttles_keep_cutting_down_to_the_floor() {
        let mut s = limiter();
        let t = answers(&mut s, 0.0, 1, false);
        let mut last = f64::MAX;
        for i in 0..40 {
            s.record(t + f64::from(i) * 0.01, true);
            assert!(s.fill_rate <= last);
            last = s.fill_rate;
        }
        assert_eq!(s.fill_rate, 0.5);
    }

    #[test]
    fn sends_are_spaced_at_the_fill_rate() {
        let mut s = limiter();
        let t = answers(&mut s, 0.0, 3, false);
        s.record(t, true);
        let gap = 1.0 / s.fill_rate;
        let wait = s.try_acquire(t).expect("the bucket starts empty");
        assert!((wait - gap).abs() < 1e-9, "{wait} vs {gap}");
        let next = t + gap * (1.0 + 1e-9);
        assert_eq!(s.try_acquire(next), None);
        let wait = s.try_acquire(next).expect("one token per gap");
        assert!((wait - gap).abs() < 1e-9, "{wait} vs {gap}");
    }

    #[test]
    fn the_rate_recovers_past_its_old_maximum_when_throttling_stops() {
        let mut s = limiter();
        let t = answers(&mut s, 0.0, 3, false);
        s.record(t, true);
        let max = s.last_max_rate;
        let k = (max * 0.3 / 0.4).cbrt();
        let t = answers(&mut s, t, (k.ceil() as u32) + 2, false);
        assert!(s.fill_rate > max, "{} <= {max} at {t}", s.fill_rate);
    }

    #[test]
    fn a_larger_scale_recovers_sooner() {
        let run = |scale: f64| {
            let mut s = State::new(
                AdaptiveRate::default()
                    .with_scale(scale)
                    .with_measure_window(Duration::from_secs(1)),
            );
            let t = answers(&mut s, 0.0, 3, false);
            s.record(t, true);
            answers(&mut s, t, 1, false);
            s.fill_rate
        };
        assert!(run(100.0) > run(0.4));
    }

    #[test]
    fn out_of_range_settings_are_named() {
        assert_eq!(AdaptiveRate::default().problem(), None);
        let p = AdaptiveRate::default().with_beta(1.5).problem().unwrap();
        assert!(p.contains("beta"), "{p}");
    }
}
