//! The whole state: regions, each holding its resources by id, and the
//! `ClientToken`s already answered. Everything here is plain data that
//! serializes as it is, so saving and reloading keep it whole.

use super::args::Args;
use super::clock::Millis;
use super::commands::{Command, Invocation};
use super::disks::Disk;
use super::errors::ApiError;
use super::idempotency::Answered;
use super::images::Image;
use super::instances::Instance;
use super::key_pairs::KeyPair;
use super::network_interfaces::Eni;
use super::security_groups::SecurityGroup;
use super::snapshots::Snapshot;
use super::vpcs::{VSwitch, Vpc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::borrow::Cow;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
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

    /// The region of the resource a call without `RegionId` names (the
    /// operations addressed by a resource id alone), else the first region
    /// in use, else cn-hangzhou.
    pub fn locate(&self, args: &Args) -> String {
        let found = self.regions.iter().find(|(_, r)| {
            let has = |name: &str, ids: &dyn Fn(&str) -> bool| args.str(name).is_some_and(ids);
            has("InstanceId", &|id| r.instances.contains_key(id))
                || has("DiskId", &|id| r.disks.contains_key(id))
                || has("SnapshotId", &|id| r.snapshots.contains_key(id))
                || has("SecurityGroupId", &|id| r.security_groups.contains_key(id))
                || has("NetworkInterfaceId", &|id| r.enis.contains_key(id))
                || has("VSwitchId", &|id| r.vswitches.contains_key(id))
                || has("VpcId", &|id| r.vpcs.contains_key(id))
                || has("ImageId", &|id| r.images.contains_key(id))
        });
        found
            .or_else(|| self.regions.iter().next())
            .map_or_else(|| "cn-hangzhou".to_string(), |(id, _)| id.clone())
    }

    /// Whether anything falls due with time ([`World::settle`]).
    pub fn has_due(&self, now: Millis) -> bool {
        self.regions
            .values()
            .flat_map(|r| r.instances.values())
            .any(|i| is_due(i, now))
    }

    /// Carries out what falls due with time: instances past their
    /// auto-release time are released. The changes made.
    pub fn settle(&mut self, now: Millis) -> Vec<Change> {
        let mut changes = Vec::new();
        for (region_id, region) in self.regions.iter_mut() {
            let due = region.due(now);
            if due.is_empty() {
                continue;
            }
            let before = region.clone();
            for id in due {
                region.release_instance(&id, now);
            }
            before.diff_into(region, region_id, &mut changes);
        }
        changes
    }

    /// What turns `self` into `after`.
    pub fn diff(&self, after: &World) -> Vec<Change> {
        let mut changes = Vec::new();
        let empty = Region::default();
        for (id, region) in &after.regions {
            self.regions
                .get(id)
                .unwrap_or(&empty)
                .diff_into(region, id, &mut changes);
        }
        for (key, answered) in &after.tokens {
            if !self.tokens.contains_key(key) {
                changes.push(Change::token(key, answered));
            }
        }
        changes
    }

    /// Applies one journalled change.
    pub fn apply(&mut self, change: Change) -> Result<(), String> {
        match change {
            Change::Put {
                region,
                kind,
                id,
                value,
            } => self.region(&region).put(&kind, id, Some(value)),
            Change::Remove { region, kind, id } => self.region(&region).put(&kind, id, None),
            Change::Defaults { region, value } => {
                self.region(&region).defaults =
                    serde_json::from_value(value).map_err(|e| e.to_string())?;
                Ok(())
            }
            Change::Token { key, value } => {
                self.tokens.insert(
                    key,
                    serde_json::from_value(value).map_err(|e| e.to_string())?,
                );
                Ok(())
            }
        }
    }
}

/// One resource's change, as the journal keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op")]
pub(crate) enum Change {
    /// The resource `id` of `kind` (`instances`, `disks`, ...) is now `value`.
    Put {
        region: String,
        kind: String,
        id: String,
        value: Value,
    },
    Remove {
        region: String,
        kind: String,
        id: String,
    },
    /// A region's call defaults.
    Defaults { region: String, value: Value },
    /// A `ClientToken` answered.
    Token { key: String, value: Value },
}

impl Change {
    pub fn token(key: &str, answered: &Answered) -> Change {
        Change::Token {
            key: key.to_string(),
            value: serde_json::to_value(answered).unwrap_or_default(),
        }
    }
}

fn diff_map<T: PartialEq + Serialize>(
    region: &str,
    kind: &str,
    before: &BTreeMap<String, T>,
    after: &BTreeMap<String, T>,
    out: &mut Vec<Change>,
) {
    for (id, value) in after {
        if before.get(id) != Some(value) {
            out.push(Change::Put {
                region: region.to_string(),
                kind: kind.to_string(),
                id: id.clone(),
                value: serde_json::to_value(value).unwrap_or_default(),
            });
        }
    }
    for id in before.keys().filter(|id| !after.contains_key(*id)) {
        out.push(Change::Remove {
            region: region.to_string(),
            kind: kind.to_string(),
            id: id.clone(),
        });
    }
}

fn put<T: DeserializeOwned>(
    map: &mut BTreeMap<String, T>,
    id: String,
    value: Option<Value>,
) -> Result<(), String> {
    match value {
        Some(v) => {
            map.insert(id, serde_json::from_value(v).map_err(|e| e.to_string())?);
        }
        None => {
            map.remove(&id);
        }
    }
    Ok(())
}

/// The resource maps of a region, named once for diffing and replaying.
macro_rules! resource_maps {
    ($($field:ident),* $(,)?) => {
        impl Region {
            /// Appends what turns `self` into `after` to `out`.
            pub fn diff_into(&self, after: &Region, region: &str, out: &mut Vec<Change>) {
                $(diff_map(region, stringify!($field), &self.$field, &after.$field, out);)*
                if self.defaults != after.defaults {
                    out.push(Change::Defaults {
                        region: region.to_string(),
                        value: serde_json::to_value(&after.defaults).unwrap_or_default(),
                    });
                }
            }

            /// Sets (or with `None` removes) one resource.
            fn put(&mut self, kind: &str, id: String, value: Option<Value>) -> Result<(), String> {
                match kind {
                    $(stringify!($field) => put(&mut self.$field, id, value),)*
                    _ => Err(format!("`{kind}` is not a kind of resource")),
                }
            }
        }
    };
}

resource_maps!(
    instances,
    disks,
    snapshots,
    images,
    security_groups,
    key_pairs,
    enis,
    vpcs,
    vswitches,
    commands,
    invocations,
);

/// One region's resources.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Region {
    /// Parameters a call takes when it leaves them out, by action (set by a
    /// seed: `{"RunInstances": {"ImageId": ".."}}`).
    #[serde(default)]
    pub defaults: Defaults,
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

impl Region {
    /// Instances past their auto-release time.
    fn due(&self, now: Millis) -> Vec<String> {
        self.instances
            .values()
            .filter(|i| is_due(i, now))
            .map(|i| i.id.clone())
            .collect()
    }
}

/// Whether `instance` is past its auto-release time.
fn is_due(instance: &Instance, now: Millis) -> bool {
    instance.auto_release.is_some_and(|t| t <= now)
}

/// Parameters by action, then by name.
pub(crate) type Defaults = BTreeMap<String, BTreeMap<String, String>>;

impl Region {
    /// `params` with the region's defaults for `action` added where the
    /// call leaves them out; borrowed when the action has none (most calls).
    pub fn with_defaults<'p>(
        &self,
        action: &str,
        params: &'p [(String, String)],
    ) -> Cow<'p, [(String, String)]> {
        let Some(defaults) = self.defaults.get(action) else {
            return Cow::Borrowed(params);
        };
        let mut all = params.to_vec();
        for (name, value) in defaults {
            if !params.iter().any(|(k, _)| k == name) {
                all.push((name.clone(), value.clone()));
            }
        }
        Cow::Owned(all)
    }
}

/// `Region::instance(id)` and friends: one resource by id, or the
/// service's not-found error naming it.
macro_rules! lookups {
    ($($get:ident, $get_mut:ident, $field:ident: $ty:ty, $code:literal, $what:literal;)*) => {
        impl Region {
            $(
                pub fn $get(&self, id: &str) -> Result<&$ty, ApiError> {
                    get(&self.$field, id, $code, $what)
                }

                #[allow(dead_code)]
                pub fn $get_mut(&mut self, id: &str) -> Result<&mut $ty, ApiError> {
                    get_mut(&mut self.$field, id, $code, $what)
                }
            )*
        }
    };
}

lookups! {
    instance, instance_mut, instances: Instance, "InvalidInstanceId.NotFound", "instance";
    disk, disk_mut, disks: Disk, "InvalidDiskId.NotFound", "disk";
    snapshot, snapshot_mut, snapshots: Snapshot, "InvalidSnapshotId.NotFound", "snapshot";
    eni, eni_mut, enis: Eni, "InvalidEniId.NotFound", "network interface";
    group, group_mut, security_groups: SecurityGroup, "InvalidSecurityGroupId.NotFound", "security group";
    vswitch, vswitch_mut, vswitches: VSwitch, "InvalidVSwitchId.NotFound", "vSwitch";
    key_pair, key_pair_mut, key_pairs: KeyPair, "InvalidKeyPairName.NotFound", "key pair";
}

/// Looks `id` up in `map`, or fails with `code` (e.g.
/// `InvalidInstanceId.NotFound`) naming the `what` and the id.
pub(crate) fn get<'m, T>(
    map: &'m BTreeMap<String, T>,
    id: &str,
    code: &'static str,
    what: &str,
) -> Result<&'m T, ApiError> {
    map.get(id)
        .ok_or_else(|| ApiError::not_found(code, what, id))
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
