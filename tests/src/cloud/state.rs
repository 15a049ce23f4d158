//! The whole state: regions, each holding its resources by id, and the
//! `ClientToken`s already answered. Everything here is plain data that
//! serializes as it is, so saving and reloading keep it whole.

use super::clock::Millis;
use super::commands::{Command, Invocation};
use super::disks::Disk;
use super::errors::ApiError;
use super::idempotency::Answered;
use super::images::Image;
use super::instances::{Instance, LaunchDefaults};
use super::key_pairs::KeyPair;
use super::network_interfaces::Eni;
use super::security_groups::SecurityGroup;
use super::snapshots::Snapshot;
use super::vpcs::{VSwitch, Vpc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct World {
    #[serde(default)]
    pub regions: BTreeMap<String, Region>,
    /// `ClientToken` answers, keyed by region, action and token.
    #[serde(default)]
    pub tokens: BTreeMap<String, Answered>,
}

impl World {
    /// The region's state, empty until something is created in it.
    pub fn region(&mut self, id: &str) -> &mut Region {
        self.regions.entry(id.to_string()).or_default()
    }

    /// Carries out what falls due with time: instances past their
    /// auto-release time are released. Whether anything changed.
    pub fn settle(&mut self, now: Millis) -> bool {
        let mut changed = false;
        for region in self.regions.values_mut() {
            let due: Vec<String> = region
                .instances
                .values()
                .filter(|i| i.auto_release.is_some_and(|t| t <= now))
                .map(|i| i.id.clone())
                .collect();
            for id in due {
                region.release_instance(&id, now);
                changed = true;
            }
        }
        changed
    }
}

/// One region's resources.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Region {
    /// What RunInstances takes when a call leaves ImageId or InstanceType out.
    #[serde(default)]
    pub defaults: LaunchDefaults,
    #[serde(default)]
    pub instances: BTreeMap<String, Instance>,
    #[serde(default)]
    pub disks: BTreeMap<String, Disk>,
    #[serde(default)]
    pub snapshots: BTreeMap<String, Snapshot>,
    /// Custom images; the public catalog is not stored.
    #[serde(default)]
    pub images: BTreeMap<String, Image>,
    #[serde(default)]
    pub security_groups: BTreeMap<String, SecurityGroup>,
    /// Keyed by name, as the API addresses key pairs.
    #[serde(default)]
    pub key_pairs: BTreeMap<String, KeyPair>,
    #[serde(default)]
    pub enis: BTreeMap<String, Eni>,
    #[serde(default)]
    pub vpcs: BTreeMap<String, Vpc>,
    #[serde(default)]
    pub vswitches: BTreeMap<String, VSwitch>,
    #[serde(default)]
    pub commands: BTreeMap<String, Command>,
    #[serde(default)]
    pub invocations: BTreeMap<String, Invocation>,
}

/// Looks `id` up in `map`, or fails with `code` (e.g.
/// `InvalidInstanceId.NotFound`) naming the `what` and the id.
pub(crate) fn get<'m, T>(
    map: &'m BTreeMap<String, T>,
    id: &str,
    code: &'static str,
    what: &str,
) -> Result<&'m T, ApiError> {
    map.get(id).ok_or_else(|| ApiError::not_found(code, what, id))
}

/// [`get`], mutably.
pub(crate) fn get_mut<'m, T>(
    map: &'m mut BTreeMap<String, T>,
    id: &str,
    code: &'static str,
    what: &str,
) -> Result<&'m mut T, ApiError> {
    map.get_mut(id)
        .ok_or_else(|| ApiError::not_found(code, what, id))
}
