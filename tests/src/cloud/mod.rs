//! The simulator's state: the resources a fleet touches (instances, disks,
//! snapshots, images, security groups, key pairs, network interfaces, tags,
//! Cloud Assistant), kept per region and zone, with lifecycles that take
//! time. Pure and HTTP-free: the gateway ([`crate::simulator`]) checks the
//! envelope and validates parameters against the metadata, then asks
//! [`Cloud::handle`]; actions the state does not model answer `None` and
//! fall back to the metadata's example.

use crate::simulator::Reply;

/// One validated call, as the gateway hands it over.
#[derive(Debug, Clone, Copy)]
pub struct Call<'a> {
    /// The RPC `Action`, e.g. `RunInstances`.
    pub action: &'a str,
    /// The operation's own parameters in wire form (`Tag.1.Key`), decoded,
    /// common parameters removed, already valid for the operation's metadata.
    pub params: &'a [(String, String)],
}

impl Call<'_> {
    /// One parameter's value.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The simulated cloud. Cheap to share behind an `Arc`; every method takes
/// `&self` and is safe to call from many tasks at once.
#[derive(Debug, Default)]
pub struct Cloud {}

impl Cloud {
    /// An empty cloud with the default settings.
    pub fn new() -> Cloud {
        Cloud::default()
    }

    /// The answer to `call` if the state models its action; `None` lets the
    /// gateway answer from the metadata.
    pub fn handle(&self, call: &Call<'_>) -> Option<Reply> {
        let _ = call;
        None
    }
}
