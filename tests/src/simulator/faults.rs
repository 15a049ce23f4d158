//! Faults and scenarios: one-shot faults a test injects for the next
//! request ([`Fault`]), and standing ones set by flags, the builder or the
//! admin endpoint at run time ([`FaultSettings`]): a throttling rate, an
//! error rate, added latency, regions that are down, instance types out of
//! stock.

use super::{error_reply, Reply};
use crate::sync::{exclusive, lock, shared};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, VecDeque};
use std::sync::{Mutex, RwLock};
use std::time::Duration;

/// A fault the next request gets instead of (or on top of) its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// HTTP 429 `Throttling.User`.
    Throttling,
    /// HTTP 503 `ServiceUnavailable`.
    ServiceUnavailable,
    /// The connection is reset (TCP RST) without an answer.
    ConnectionReset,
    /// The real answer, after a delay.
    Slow(Duration),
    /// A proxy's HTML error page (HTTP 502).
    NotJson,
}

/// Standing faults, applied to every ECS call. Its JSON form is what
/// `GET /_simulator/faults` shows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FaultSettings {
    /// The share of calls (0 to 1) answered `Throttling.User` (HTTP 429).
    pub throttle_rate: f64,
    /// The share of calls (0 to 1) answered `InternalError` (HTTP 500).
    pub error_rate: f64,
    /// Added before every answer.
    #[serde(rename = "latency_ms", with = "millis")]
    pub latency: Duration,
    /// Calls whose `RegionId` is one of these answer `ServiceUnavailable` (HTTP 503).
    pub regions_down: BTreeSet<String>,
    /// Instance types `RunInstances`/`CreateInstance` cannot get.
    pub out_of_stock: BTreeSet<String>,
}

/// A change to [`FaultSettings`]: the fields given replace the current
/// ones, the others stay (the body of `POST /_simulator/faults`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FaultPatch {
    pub throttle_rate: Option<f64>,
    pub error_rate: Option<f64>,
    pub latency_ms: Option<u64>,
    pub regions_down: Option<BTreeSet<String>>,
    pub out_of_stock: Option<BTreeSet<String>>,
}

impl FaultSettings {
    /// Rates outside 0..=1 are refused, naming the field.
    pub fn validate(&self) -> Result<(), String> {
        for (name, rate) in [
            ("throttle_rate", self.throttle_rate),
            ("error_rate", self.error_rate),
        ] {
            if !(0.0..=1.0).contains(&rate) {
                return Err(format!("{name} must be between 0 and 1, got {rate}"));
            }
        }
        Ok(())
    }

    /// These settings with `patch` applied.
    pub fn patched(&self, patch: FaultPatch) -> FaultSettings {
        FaultSettings {
            throttle_rate: patch.throttle_rate.unwrap_or(self.throttle_rate),
            error_rate: patch.error_rate.unwrap_or(self.error_rate),
            latency: patch.latency_ms.map_or(self.latency, Duration::from_millis),
            regions_down: patch
                .regions_down
                .unwrap_or_else(|| self.regions_down.clone()),
            out_of_stock: patch
                .out_of_stock
                .unwrap_or_else(|| self.out_of_stock.clone()),
        }
    }
}

mod millis {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::time::Duration;

    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        u64::deserialize(d).map(Duration::from_millis)
    }
}

/// The faults of one simulator, shared by every connection. Locks are held
/// only to read or swap a value, never across an await.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    settings: RwLock<FaultSettings>,
    injected: Mutex<VecDeque<Fault>>,
}

impl Faults {
    pub fn settings(&self) -> FaultSettings {
        shared(&self.settings).clone()
    }

    /// Replaces the settings; returns the previous ones.
    pub fn replace(&self, settings: FaultSettings) -> FaultSettings {
        let mut current = exclusive(&self.settings);
        std::mem::replace(&mut current, settings)
    }

    pub fn inject(&self, fault: Fault) {
        lock(&self.injected).push_back(fault);
    }

    /// The fault injected for this request, if any.
    pub fn next_injected(&self) -> Option<Fault> {
        lock(&self.injected).pop_front()
    }

    /// The answer a standing fault gives a call to `region` instead of
    /// the real one, if one hits.
    pub fn verdict(&self, region: Option<&str>) -> Option<Reply> {
        let settings = shared(&self.settings);
        if region.is_some_and(|r| settings.regions_down.contains(r)) {
            Some(service_unavailable())
        } else if hits(settings.throttle_rate) {
            Some(throttled())
        } else if hits(settings.error_rate) {
            Some(internal_error())
        } else {
            None
        }
    }

    /// Added before every ECS answer.
    pub fn latency(&self) -> Duration {
        shared(&self.settings).latency
    }
}

fn hits(rate: f64) -> bool {
    rate > 0.0 && fastrand::f64() < rate
}

/// What newer gateways answer a throttled account.
pub(crate) fn throttled() -> Reply {
    error_reply(
        429,
        "Throttling.User",
        "Request was denied due to user flow control.",
    )
}

pub(crate) fn service_unavailable() -> Reply {
    error_reply(
        503,
        "ServiceUnavailable",
        "The request has failed due to a temporary failure of the server.",
    )
}

pub(crate) fn internal_error() -> Reply {
    error_reply(
        500,
        "InternalError",
        "The request processing has failed due to some unknown error.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Faults {
        fn new(settings: FaultSettings) -> Faults {
            let faults = Faults::default();
            faults.replace(settings);
            faults
        }
    }

    #[test]
    fn a_patch_changes_only_the_fields_it_names() {
        let before = FaultSettings {
            throttle_rate: 0.5,
            regions_down: ["cn-beijing".to_string()].into(),
            ..FaultSettings::default()
        };
        let patch: FaultPatch = serde_json::from_str(r#"{"latency_ms": 250}"#).unwrap();
        let after = before.patched(patch);
        assert_eq!(after.latency, Duration::from_millis(250));
        assert_eq!(after.throttle_rate, 0.5);
        assert_eq!(after.regions_down, before.regions_down);
    }

    #[test]
    fn an_unknown_field_is_refused_by_name() {
        let err = serde_json::from_str::<FaultPatch>(r#"{"throttle": 1}"#).unwrap_err();
        assert!(err.to_string().contains("throttle"), "{err}");
    }

    #[test]
    fn a_rate_over_one_is_refused() {
        let settings = FaultSettings {
            error_rate: 1.5,
            ..FaultSettings::default()
        };
        assert_eq!(
            settings.validate().unwrap_err(),
            "error_rate must be between 0 and 1, got 1.5"
        );
    }

    #[test]
    fn a_region_down_answers_service_unavailable_for_that_region_only() {
        let faults = Faults::new(FaultSettings {
            regions_down: ["cn-beijing".to_string()].into(),
            ..FaultSettings::default()
        });
        let down = faults.verdict(Some("cn-beijing")).unwrap();
        assert_eq!(
            (down.status, down.code()),
            (503, Some("ServiceUnavailable"))
        );
        assert_eq!(faults.verdict(Some("cn-hangzhou")), None);
        assert_eq!(faults.verdict(None), None);
    }

    #[test]
    fn a_throttle_rate_of_one_throttles_every_call_and_zero_none() {
        let faults = Faults::new(FaultSettings {
            throttle_rate: 1.0,
            ..FaultSettings::default()
        });
        for _ in 0..100 {
            let reply = faults.verdict(None).unwrap();
            assert_eq!((reply.status, reply.code()), (429, Some("Throttling.User")));
        }
        faults.replace(FaultSettings::default());
        assert!((0..100).all(|_| faults.verdict(None).is_none()));
    }

    #[test]
    fn an_error_rate_hits_about_that_share_of_calls() {
        let faults = Faults::new(FaultSettings {
            error_rate: 0.3,
            ..FaultSettings::default()
        });
        let hit = (0..10_000)
            .filter(|_| faults.verdict(None).is_some())
            .count();
        assert!((2_600..=3_400).contains(&hit), "{hit} of 10000");
    }

    #[test]
    fn injected_faults_come_out_in_order_once() {
        let faults = Faults::default();
        faults.inject(Fault::Throttling);
        faults.inject(Fault::ConnectionReset);
        assert_eq!(faults.next_injected(), Some(Fault::Throttling));
        assert_eq!(faults.next_injected(), Some(Fault::ConnectionReset));
        assert_eq!(faults.next_injected(), None);
    }
}
