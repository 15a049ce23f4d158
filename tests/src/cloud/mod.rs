//! The simulator's state: the resources a fleet touches (instances, disks,
//! snapshots, images, security groups, key pairs, network interfaces,
//! VPCs, tags, Cloud Assistant), kept per region and zone, with lifecycles
//! that take time. Pure and HTTP-free: the gateway ([`crate::simulator`])
//! checks the envelope and validates parameters against the metadata, then
//! asks [`Cloud::handle`]; actions the state does not model answer `None`
//! and fall back to the metadata's example.
//!
//! One module per resource family, as moto does it; what they share lives
//! once: [`args`] (reading wire parameters), [`paging`], [`tags`],
//! [`idempotency`] (`ClientToken`), [`ids`], [`clock`] (lifecycles computed
//! from timestamps), [`errors`] (codes and messages from the metadata),
//! [`persist`] (atomic saves), [`seed`] (a fleet to start from).

mod args;
mod clock;
mod commands;
mod disks;
mod errors;
mod idempotency;
mod ids;
mod images;
mod instance_types;
mod instances;
mod key_pairs;
mod network_interfaces;
mod paging;
mod persist;
mod regions;
mod script;
mod security_groups;
mod seed;
mod snapshots;
mod state;
mod tags;
mod vpcs;

pub use clock::Clock;
pub use errors::ApiError;

use crate::simulator::{request_id, Reply};
use args::Args;
use regions::RegionInfo;
use serde_json::Value;
use state::{Change, Region, World};
use std::collections::BTreeSet;
use std::sync::Mutex;
use std::time::Duration;

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

/// How the cloud behaves: lifecycle timing, its clock and its quota.
#[derive(Debug, Clone)]
pub struct Settings {
    /// How long each lifecycle step takes (`Pending -> Starting`,
    /// `Starting -> Running`, `Stopping -> Stopped`, a snapshot's or an
    /// image's creation, a command's run); zero makes every transition
    /// immediate. Default: one second.
    pub transition: Duration,
    /// Where the time comes from; [`Clock::manual`] lets a test move it.
    pub clock: Clock,
    /// Living pay-as-you-go instances allowed per region
    /// (`QuotaExceed.AfterpayInstance` beyond). Default: 1000.
    pub instance_quota: usize,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            transition: Duration::from_secs(1),
            clock: Clock::system(),
            instance_quota: 1000,
        }
    }
}

/// Why the state could not be loaded, saved or seeded.
#[derive(Debug)]
pub struct CloudError {
    pub message: String,
}

impl CloudError {
    fn new(message: impl Into<String>) -> CloudError {
        CloudError {
            message: message.into(),
        }
    }
}

impl std::fmt::Display for CloudError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CloudError {}

/// The simulated cloud. Cheap to share behind an `Arc`; every method takes
/// `&self` and is safe to call from many tasks at once: each call sees and
/// changes the state under one lock, so concurrent callers never see half
/// of another's change.
#[derive(Debug)]
pub struct Cloud {
    settings: Settings,
    state: Mutex<Inner>,
    store: Option<persist::Store>,
}

#[derive(Debug, Default)]
struct Inner {
    world: World,
    /// The newest change's number; the store skips saves a newer one covers.
    version: u64,
    /// Changes made but not yet written (only with a store).
    pending: Vec<persist::Record>,
    out_of_stock: BTreeSet<String>,
    last_answer: Option<(String, Reply)>,
}

impl Default for Cloud {
    fn default() -> Cloud {
        Cloud::with_settings(Settings::default())
    }
}

impl Cloud {
    /// An empty cloud with the default settings.
    pub fn new() -> Cloud {
        Cloud::default()
    }

    /// An empty cloud with `settings`.
    pub fn with_settings(settings: Settings) -> Cloud {
        Cloud {
            settings,
            state: Mutex::new(Inner::default()),
            store: None,
        }
    }

    /// A cloud kept in `path`: loaded if the file exists, saved atomically
    /// (a temporary file, fsync, rename) after every change, before the
    /// change is answered.
    pub fn open(path: &std::path::Path, settings: Settings) -> Result<Cloud, CloudError> {
        let (store, world, version) = persist::Store::open(path)?;
        let cloud = Cloud {
            settings,
            state: Mutex::new(Inner {
                world,
                version,
                ..Inner::default()
            }),
            store: Some(store),
        };
        Ok(cloud)
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Adds the resources a seed document describes (a fleet across regions
    /// and zones); see [`seed`](self::seed) for its form. Nothing is added
    /// if any part of it is wrong.
    pub fn seed(&self, fleet: &Value) -> Result<(), CloudError> {
        let now = self.settings.clock.now();
        let mut inner = crate::server::lock(&self.state);
        let mut world = inner.world.clone();
        seed::apply(&mut world, fleet, now).map_err(CloudError::new)?;
        let changes = inner.world.diff(&world);
        inner.world = world;
        self.commit(inner, changes)
    }

    /// Marks an instance type as out of stock (`RunInstances` fails with the
    /// service's stock error) or back in stock.
    pub fn set_out_of_stock(&self, instance_type: &str, out_of_stock: bool) {
        let mut inner = crate::server::lock(&self.state);
        if out_of_stock {
            inner.out_of_stock.insert(instance_type.to_string());
        } else {
            inner.out_of_stock.remove(instance_type);
        }
    }

    /// The action and reply of the last call the state answered (under
    /// concurrent calls, whichever finished last): what was served, to
    /// compare with what a client decoded.
    pub fn last_answer(&self) -> Option<(String, Reply)> {
        crate::server::lock(&self.state).last_answer.clone()
    }

    /// The answer to `call` if the state models its action; `None` lets the
    /// gateway answer from the metadata.
    pub fn handle(&self, call: &Call<'_>) -> Option<Reply> {
        let route = route(call.action)?;
        let args = Args::new(call.params);
        let now = self.settings.clock.now();
        let mut inner = crate::server::lock(&self.state);
        let mut changes = inner.world.settle(now);
        let (outcome, made) = run(&mut inner, &self.settings, now, route, call.action, &args);
        changes.extend(made);
        let reply = match outcome {
            Ok(body) => success(body),
            Err(e) => e.reply(call.action),
        };
        inner.last_answer = Some((call.action.to_string(), reply.clone()));
        if let Err(e) = self.commit(inner, changes) {
            return Some(ApiError::new(500, "InternalError", e.message).reply(call.action));
        }
        Some(reply)
    }

    /// Records `changes` (if any) as the next version and, with a store,
    /// makes them durable before returning. Saves are grouped: the writer
    /// takes every change pending when its turn comes, so callers whose
    /// changes it took do not write again.
    fn commit(
        &self,
        mut inner: std::sync::MutexGuard<'_, Inner>,
        changes: Vec<Change>,
    ) -> Result<(), CloudError> {
        if changes.is_empty() {
            return Ok(());
        }
        inner.version += 1;
        let version = inner.version;
        let Some(store) = &self.store else {
            return Ok(());
        };
        inner.pending.push(persist::Record {
            seq: version,
            changes,
        });
        drop(inner);
        store.save(version, |whole| {
            let mut inner = crate::server::lock(&self.state);
            persist::Pending {
                seq: inner.version,
                records: std::mem::take(&mut inner.pending),
                world: whole.then(|| inner.world.clone()),
            }
        })
    }
}

/// What a handler sees besides the state: the time, the region, the rules.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Env<'a> {
    pub now: clock::Millis,
    pub step: Duration,
    pub region: &'static RegionInfo,
    pub settings: &'a Settings,
    out_of_stock: &'a BTreeSet<String>,
    pub action: &'a str,
}

impl Env<'_> {
    pub fn out_of_stock(&self, instance_type: &str) -> bool {
        self.out_of_stock.contains(instance_type)
    }

    /// `statuses` from now, one transition apart.
    pub fn timeline(&self, statuses: &[&str]) -> clock::Timeline {
        clock::Timeline::path(self.now, self.step, statuses)
    }
}

type Outcome = Result<Value, ApiError>;
type RegionHandler = fn(&mut Region, &Args, &Env) -> Outcome;
type WorldHandler = fn(&mut World, &Args, &Env) -> Outcome;

#[derive(Clone, Copy)]
enum Handler {
    /// Works within the call's region.
    Region(RegionHandler),
    /// Works across regions (CopyImage, DescribeRegions).
    World(WorldHandler),
}

#[derive(Clone, Copy)]
struct Route {
    action: &'static str,
    handler: Handler,
    /// Changes the state on success (saved, `ClientToken` honoured).
    writes: bool,
}

/// Runs one call; returns its outcome and the changes it made (none when
/// it failed: a change that fails leaves the state as it was).
fn run(
    inner: &mut Inner,
    settings: &Settings,
    now: clock::Millis,
    route: Route,
    action: &str,
    args: &Args,
) -> (Outcome, Vec<Change>) {
    let region_id = match args.str("RegionId") {
        Some(id) => id.to_string(),
        None => inner.world.locate(args),
    };
    let region_id = region_id.as_str();
    let info = match regions::known(region_id) {
        Ok(info) => info,
        Err(e) => return (Err(e), Vec::new()),
    };
    let env = Env {
        now,
        step: settings.transition,
        region: info,
        settings,
        out_of_stock: &inner.out_of_stock,
        action,
    };
    let mut changes = Vec::new();
    let mut call = |world: &mut World| match route.handler {
        Handler::Region(h) if !route.writes => h(world.region(region_id), args, &env),
        Handler::World(h) if !route.writes => h(world, args, &env),
        Handler::Region(h) => {
            let before = world.region(region_id).clone();
            let outcome = h(world.region(region_id), args, &env);
            match &outcome {
                Ok(_) => before.diff_into(world.region(region_id), region_id, &mut changes),
                Err(_) => *world.region(region_id) = before,
            }
            outcome
        }
        Handler::World(h) => {
            let before = world.clone();
            let outcome = h(world, args, &env);
            match &outcome {
                Ok(_) => changes = before.diff(world),
                Err(_) => *world = before,
            }
            outcome
        }
    };
    let outcome = match args.str("ClientToken").filter(|_| route.writes) {
        Some(token) => {
            let key = idempotency::key(region_id, action, token);
            let known = inner.world.tokens.contains_key(&key);
            let outcome = idempotency::once(&mut inner.world, action, region_id, token, args, call);
            if let (false, Some(answered)) = (known, inner.world.tokens.get(&key)) {
                changes.push(Change::token(&key, answered));
            }
            outcome
        }
        None => call(&mut inner.world),
    };
    (outcome, changes)
}

/// One JSON object from several (large bodies are written in parts, as
/// `json!` nests only so deep).
pub(crate) fn join(parts: impl IntoIterator<Item = Value>) -> Value {
    let mut out = serde_json::Map::new();
    for part in parts {
        if let Value::Object(map) = part {
            out.extend(map);
        }
    }
    Value::Object(out)
}

fn success(body: Value) -> Reply {
    let mut map = match body {
        Value::Object(map) => map,
        _ => serde_json::Map::new(),
    };
    map.insert("RequestId".into(), Value::String(request_id()));
    Reply {
        status: 200,
        body: Value::Object(map),
    }
}

fn route(action: &str) -> Option<Route> {
    ROUTES.iter().find(|r| r.action == action).copied()
}

/// Every action the state answers (the others fall back to the metadata).
pub fn modeled_actions() -> impl Iterator<Item = &'static str> {
    ROUTES.iter().map(|r| r.action)
}

const fn read(action: &'static str, handler: Handler) -> Route {
    Route {
        action,
        handler,
        writes: false,
    }
}

const fn write(action: &'static str, handler: Handler) -> Route {
    Route {
        action,
        handler,
        writes: true,
    }
}

use Handler::{Region as R, World as W};

/// The actions the state answers.
const ROUTES: &[Route] = &[
    read("DescribeRegions", W(regions::describe_regions)),
    read("DescribeZones", R(regions::describe_zones)),
    write("RunInstances", R(instances::run_instances)),
    write("CreateInstance", R(instances::create_instance)),
    write("StartInstance", R(instances::start_instance)),
    write("StartInstances", R(instances::start_instances)),
    write("StopInstance", R(instances::stop_instance)),
    write("StopInstances", R(instances::stop_instances)),
    write("RebootInstance", R(instances::reboot_instance)),
    write("RebootInstances", R(instances::reboot_instances)),
    write("DeleteInstance", R(instances::delete_instance)),
    write("DeleteInstances", R(instances::delete_instances)),
    write("ModifyInstanceAttribute", R(instances::modify_attribute)),
    write("ModifyInstanceSpec", R(instances::modify_spec)),
    write("ModifyPrepayInstanceSpec", R(instances::modify_prepay_spec)),
    write("RenewInstance", R(instances::renew)),
    write(
        "ModifyInstanceAutoReleaseTime",
        R(instances::modify_auto_release_time),
    ),
    write("ModifyInstanceChargeType", R(instances::modify_charge_type)),
    write(
        "ModifyInstanceAutoRenewAttribute",
        R(instances::modify_auto_renew),
    ),
    read(
        "DescribeInstanceAutoRenewAttribute",
        R(instances::describe_auto_renew),
    ),
    read("DescribeInstances", R(instances::describe_instances)),
    read("DescribeInstanceStatus", R(instances::describe_status)),
    read(
        "DescribeInstanceAttribute",
        R(instances::describe_attribute),
    ),
    write("CreateDisk", R(disks::create_disk)),
    write("AttachDisk", R(disks::attach_disk)),
    write("DetachDisk", R(disks::detach_disk)),
    write("ResizeDisk", R(disks::resize_disk)),
    write("DeleteDisk", R(disks::delete_disk)),
    write("ModifyDiskAttribute", R(disks::modify_attribute)),
    read("DescribeDisks", R(disks::describe_disks)),
    write("CreateSnapshot", R(snapshots::create_snapshot)),
    write("DeleteSnapshot", R(snapshots::delete_snapshot)),
    read("DescribeSnapshots", R(snapshots::describe_snapshots)),
    write("CreateImage", R(images::create_image)),
    write("CopyImage", W(images::copy_image)),
    write("DeleteImage", R(images::delete_image)),
    read("DescribeImages", R(images::describe_images)),
    write("CreateSecurityGroup", R(security_groups::create)),
    write("DeleteSecurityGroup", R(security_groups::delete)),
    read("DescribeSecurityGroups", R(security_groups::describe)),
    read(
        "DescribeSecurityGroupAttribute",
        R(security_groups::describe_attribute),
    ),
    write(
        "AuthorizeSecurityGroup",
        R(security_groups::authorize_ingress),
    ),
    write(
        "AuthorizeSecurityGroupEgress",
        R(security_groups::authorize_egress),
    ),
    write("RevokeSecurityGroup", R(security_groups::revoke_ingress)),
    write(
        "RevokeSecurityGroupEgress",
        R(security_groups::revoke_egress),
    ),
    write("JoinSecurityGroup", R(security_groups::join)),
    write("LeaveSecurityGroup", R(security_groups::leave)),
    write("CreateKeyPair", R(key_pairs::create)),
    write("ImportKeyPair", R(key_pairs::import)),
    write("DeleteKeyPairs", R(key_pairs::delete)),
    read("DescribeKeyPairs", R(key_pairs::describe)),
    write("AttachKeyPair", R(key_pairs::attach)),
    write("DetachKeyPair", R(key_pairs::detach)),
    write("CreateNetworkInterface", R(network_interfaces::create)),
    write("DeleteNetworkInterface", R(network_interfaces::delete)),
    read("DescribeNetworkInterfaces", R(network_interfaces::describe)),
    write("AttachNetworkInterface", R(network_interfaces::attach)),
    write("DetachNetworkInterface", R(network_interfaces::detach)),
    write("CreateVpc", R(vpcs::create_vpc)),
    write("DeleteVpc", R(vpcs::delete_vpc)),
    read("DescribeVpcs", R(vpcs::describe_vpcs)),
    write("CreateVSwitch", R(vpcs::create_vswitch)),
    write("DeleteVSwitch", R(vpcs::delete_vswitch)),
    read("DescribeVSwitches", R(vpcs::describe_vswitches)),
    write("TagResources", R(tags::tag_resources)),
    write("UntagResources", R(tags::untag_resources)),
    read("ListTagResources", R(tags::list_tag_resources)),
    write("CreateCommand", R(commands::create_command)),
    write("DeleteCommand", R(commands::delete_command)),
    read("DescribeCommands", R(commands::describe_commands)),
    write("InvokeCommand", R(commands::invoke_command)),
    write("RunCommand", R(commands::run_command)),
    write("StopInvocation", R(commands::stop_invocation)),
    read("DescribeInvocations", R(commands::describe_invocations)),
    read(
        "DescribeInvocationResults",
        R(commands::describe_invocation_results),
    ),
];
