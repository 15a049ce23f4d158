use serde::de::DeserializeOwned;
use serde::Serialize;

/// Whether and how an operation takes `RegionId`; the client fills it from
/// its configured region when the request leaves it unset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionParam {
    None,
    Optional,
    Required,
}

/// Static facts about one API operation, generated from the metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationInfo {
    /// The RPC `Action`, e.g. `DescribeInstances`.
    pub name: &'static str,
    /// The API version, e.g. `2014-05-26`.
    pub version: &'static str,
    /// The Cargo feature (metadata directory group) the operation belongs to.
    pub group: &'static str,
    pub deprecated: bool,
    /// Reads only (`Describe*`, `List*`, ...): safe to retry.
    pub read_only: bool,
    /// Takes a `ClientToken` for idempotent retries.
    pub client_token: bool,
    pub region_id: RegionParam,
    /// Whether the operation's group is compiled into this build.
    pub enabled: bool,
}

/// A typed request for one operation; generated for every operation.
pub trait Operation: Serialize {
    type Output: DeserializeOwned;
    const INFO: OperationInfo;
}
