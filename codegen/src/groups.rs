//! Cargo features: one per metadata directory group, named in English here.

use crate::naming;
use ecs_rs_metadata::Directory;

/// Directory id -> feature name. A group missing here still works: it gets
/// `group-{id}`.
pub const FEATURE_NAMES: &[(u64, &str)] = &[
    (86036, "instances"),
    (86076, "dedicated-hosts"),
    (86213, "launch-templates"),
    (178259, "diagnostics"),
    (86228, "capacity-reservations"),
    (86247, "auto-provisioning-groups"),
    (86099, "block-storage"),
    (86239, "reserved-instances"),
    (86119, "storage-capacity-units"),
    (86358, "images"),
    (86363, "image-builder"),
    (86254, "snapshots"),
    (86410, "prefix-lists"),
    (86278, "security-groups"),
    (86294, "deployment-sets"),
    (86301, "key-pairs"),
    (86129, "network"),
    (86145, "network-interfaces"),
    (86308, "system-events"),
    (86315, "monitoring"),
    (86326, "cloud-assistant"),
    (86093, "hpc-clusters"),
    (86344, "tags"),
    (86352, "regions"),
    (86384, "pricing"),
    (86123, "storage-sets"),
    (178292, "tasks"),
    (178261, "deprecated"),
];

/// The feature of operations that no directory lists.
pub const UNGROUPED: &str = "ungrouped";

pub fn feature_for(directory: &Directory) -> String {
    FEATURE_NAMES
        .iter()
        .find(|(id, _)| *id == directory.id)
        .map(|(_, name)| name.to_string())
        .unwrap_or_else(|| naming::feature_name(&format!("group {}", directory.id)))
}
