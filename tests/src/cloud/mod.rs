//! The simulator's state: the resources a fleet touches (instances, disks,
//! snapshots, images, security groups, key pairs, network interfaces,
//! VPCs, tags, Cloud Assistant), kept per region and zone, with lifecycles
//! that take time. Pure and HTTP-free: the gateway ([`crate::simulator`])
//! checks the envelope and validates parameters against the metadata, then
//! asks [`Cloud::handle`]; actions the state does not model
//! ([`modeled_actions`] lists those it does) answer `None` and fall back to
//! the metadata's example.
//!
//! ```no_run
//! # async fn demo() {
//! use ecs_simulator::cloud::{Clock, Cloud, Settings};
//! use ecs_simulator::simulator::Simulator;
//! use std::{sync::Arc, time::{Duration, SystemTime}};
//!
//! // Lifecycles take one step of a clock the test moves itself.
//! let clock = Clock::manual(SystemTime::now());
//! let settings = Settings { transition: Duration::from_secs(1), clock: clock.clone(), ..Settings::default() };
//! let sim = Simulator::start_with_cloud(Arc::new(Cloud::with_settings(settings))).await;
//! // ... RunInstances through sim.client(): the instances are Pending ...
//! clock.advance(Duration::from_secs(2));
//! // ... and now Running.
//! # }
//! ```
//!
//! One module per resource family, as moto does it; what they share lives
//! once: `args` (reading wire parameters), `paging`, `tags`, `idempotency`
//! (`ClientToken`), `ids`, `clock` (lifecycles computed from timestamps),
//! `errors` (codes and messages from the metadata), `persist` (the state
//! file and its journal), `seed` (a fleet to start from).

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

use crate::simulator::{dry_run_passed, is_dry_run, request_id, Catalog, Reply};
use crate::sync::{exclusive, lock, shared};
use args::Args;
use instances::Power;
use regions::RegionInfo;
use serde_json::Value;
use state::{Change, Region, World};
use std::borrow::Cow;
use std::collections::BTreeSet;
use std::sync::{Mutex, OnceLock, RwLock, RwLockWriteGuard};
use std::time::Duration;

/// The simulated account's id, where responses name an owner.
pub(crate) const ACCOUNT_ID: u64 = 1_234_567_890_123_456;

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

/// How long each lifecycle step takes unless told otherwise: short enough
/// for tests and demos, long enough that `Pending` and `Stopping` are seen.
pub const DEFAULT_TRANSITION: Duration = Duration::from_secs(1);

/// How the cloud behaves: lifecycle timing, its clock and its quota.
#[derive(Debug, Clone)]
pub struct Settings {
    /// How long each lifecycle step takes (`Pending -> Starting`,
    /// `Starting -> Running`, `Stopping -> Stopped`, a snapshot's or an
    /// image's creation, a command's run); zero makes every transition
    /// immediate. Default: [`DEFAULT_TRANSITION`], one second.
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
            transition: DEFAULT_TRANSITION,
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
/// `&self` and is safe to call from many tasks at once: a change holds the
/// state alone and reads share it, so no caller sees half of another's
/// change.
#[derive(Debug)]
pub struct Cloud {
    settings: Settings,
    state: RwLock<Inner>,
    store: Option<persist::Store>,
    last_answer: Mutex<Option<(String, Reply)>>,
    /// Where the documented error statuses and messages come from.
    catalog: OnceLock<Option<&'static Catalog>>,
}

#[derive(Debug, Default)]
struct Inner {
    world: World,
    /// The newest change's number; the store skips saves a newer one covers.
    version: u64,
    /// Changes made but not yet written (only with a store).
    pending: Vec<persist::Record>,
    out_of_stock: BTreeSet<String>,
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
            state: RwLock::new(Inner::default()),
            store: None,
            last_answer: Mutex::new(None),
            catalog: OnceLock::new(),
        }
    }

    /// A cloud kept in `path`: loaded if the file exists, saved atomically
    /// (a temporary file, fsync, rename) after every change, before the
    /// change is answered.
    pub fn open(path: &std::path::Path, settings: Settings) -> Result<Cloud, CloudError> {
        let (store, world, version) = persist::Store::open(path)?;
        let cloud = Cloud {
            settings,
            state: RwLock::new(Inner {
                world,
                version,
                ..Inner::default()
            }),
            store: Some(store),
            last_answer: Mutex::new(None),
            catalog: OnceLock::new(),
        };
        Ok(cloud)
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Whether changes are written to a state file before they are
    /// answered ([`Cloud::open`]): the calls that change it block on disk.
    pub fn is_persistent(&self) -> bool {
        self.store.is_some()
    }

    /// Answers errors with the statuses and messages `catalog` documents.
    /// A simulator calls this with the metadata it serves; a cloud used on
    /// its own reads the pinned metadata ([`Catalog::pinned`]) instead, or
    /// keeps its own wording when there is none. The first catalog a cloud
    /// answers with stays.
    pub fn use_catalog(&self, catalog: &'static Catalog) {
        let _ = self.catalog.set(Some(catalog));
    }

    /// Whether nothing has changed the cloud yet (a state file opened
    /// empty or missing counts as new).
    pub(crate) fn is_new(&self) -> bool {
        shared(&self.state).version == 0
    }

    fn catalog(&self) -> Option<&'static Catalog> {
        *self.catalog.get_or_init(|| Catalog::pinned().ok())
    }

    /// Adds the resources a seed document describes: a fleet across regions
    /// and zones, settled at once (instances `Running` unless `Status` says
    /// `Stopped`, snapshots and images done), each under the id the document
    /// names, if it names one. Every key is optional except `RegionId`, a
    /// key pair's name, a snapshot's `DiskId`, and an invocation's
    /// `CommandId` and `InstanceIds`; every resource takes `Tags`. `Defaults`
    /// gives, per action, parameters a call takes when it leaves them out,
    /// in the seed and in every later call to the region. Nothing is added
    /// if any part is wrong, and the error says where.
    ///
    /// ```
    /// let cloud = ecs_simulator::cloud::Cloud::new();
    /// cloud.seed(&serde_json::json!({"Regions": [{
    ///     "RegionId": "cn-hangzhou",
    ///     "Defaults": {"RunInstances": {"ImageId": "aliyun_3_x64_20G_alibase_20240819.vhd",
    ///                                   "InstanceType": "ecs.g7.large"}},
    ///     "VSwitches": [{"VSwitchId": "vsw-web", "ZoneId": "cn-hangzhou-h", "CidrBlock": "172.20.1.0/24"}],
    ///     "SecurityGroups": [{"SecurityGroupId": "sg-web", "SecurityGroupName": "web",
    ///         "Permissions": [{"IpProtocol": "TCP", "PortRange": "22/22", "SourceCidrIp": "10.0.0.0/8"}]}],
    ///     "KeyPairs": [{"KeyPairName": "ops"}],
    ///     "Images": [{"ImageId": "m-golden", "ImageName": "golden"}],
    ///     "Instances": [
    ///         {"Count": 10, "ZoneId": "cn-hangzhou-h", "Tags": {"team": "web"}},
    ///         {"InstanceId": "i-db", "VSwitchId": "vsw-web", "SecurityGroupIds": ["sg-web"],
    ///          "KeyPairName": "ops", "DataDisks": [{"DiskId": "d-data", "Size": 100}]}],
    ///     "Disks": [{"DiskId": "d-spare", "ZoneId": "cn-hangzhou-h", "Size": 40}],
    ///     "Snapshots": [{"SnapshotId": "s-daily", "DiskId": "d-data"}],
    ///     "NetworkInterfaces": [{"NetworkInterfaceId": "eni-spare", "VSwitchId": "vsw-web"}],
    ///     "Commands": [{"CommandId": "c-uptime", "Name": "uptime", "CommandContent": "echo up"}],
    ///     "Invocations": [{"InvokeId": "t-uptime", "CommandId": "c-uptime", "InstanceIds": ["i-db"]}],
    /// }]})).unwrap();
    ///
    /// let typo = cloud.seed(&serde_json::json!({"Regions": [{"RegionId": "cn-hangzhou",
    ///     "Instances": [{"Cuont": 2}]}]}));
    /// assert!(typo.unwrap_err().to_string().starts_with("Regions[0].Instances[0].Cuont is not a seed field"));
    /// ```
    pub fn seed(&self, fleet: &Value) -> Result<(), CloudError> {
        let now = self.settings.clock.now();
        let mut inner = exclusive(&self.state);
        let mut world = inner.world.clone();
        seed::apply(&mut world, fleet, now).map_err(CloudError::new)?;
        let changes = inner.world.diff(&world);
        inner.world = world;
        self.commit(inner, changes)
    }

    /// Marks an instance type as out of stock (`RunInstances` fails with the
    /// service's stock error) or back in stock.
    pub fn set_out_of_stock(&self, instance_type: &str, out_of_stock: bool) {
        let mut inner = exclusive(&self.state);
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
        lock(&self.last_answer).clone()
    }

    /// The answer to `call` if the state models its action; `None` lets the
    /// gateway answer from the metadata.
    pub fn handle(&self, call: &Call<'_>) -> Option<Reply> {
        let route = route(call.action)?;
        let rules = Rules {
            settings: &self.settings,
            now: self.settings.clock.now(),
            catalog: self.catalog(),
        };
        let reply = if is_dry_run(call.params) {
            match self.dry_run(&rules, route, call) {
                Ok(_) => dry_run_passed(),
                Err(e) => e.reply(call.action, rules.catalog),
            }
        } else {
            self.carry_out(&rules, route, call)
        };
        *lock(&self.last_answer) = Some((call.action.to_string(), reply.clone()));
        Some(reply)
    }

    /// The call for real: a change holds the state alone and is saved
    /// before it is answered; a read shares the state.
    fn carry_out(&self, rules: &Rules, route: Route, call: &Call) -> Reply {
        let outcome = if route.writes() || shared(&self.state).world.has_due(rules.now) {
            let mut inner = exclusive(&self.state);
            let mut changes = inner.world.settle(rules.now);
            // A read that waited for due changes runs as any read does.
            let (outcome, made) = if route.writes() {
                run_write(&mut inner, rules, route, call)
            } else {
                (run_read(&inner, rules, route, call), Vec::new())
            };
            changes.extend(made);
            self.commit(inner, changes).map(|()| outcome)
        } else {
            Ok(run_read(&shared(&self.state), rules, route, call))
        };
        match outcome {
            Ok(Ok(body)) => success(body),
            Ok(Err(e)) => e.reply(call.action, rules.catalog),
            Err(e) => {
                ApiError::new(500, "InternalError", e.message).reply(call.action, rules.catalog)
            }
        }
    }

    /// A dry run, as the service makes one: every check against the state
    /// as it is (ids, statuses, stock, quotas, tokens), nothing kept.
    fn dry_run(&self, rules: &Rules, route: Route, call: &Call) -> Outcome {
        let inner = shared(&self.state);
        if !route.writes() {
            return run_read(&inner, rules, route, call);
        }
        let mut scratch = Inner {
            world: inner.world.clone(),
            out_of_stock: inner.out_of_stock.clone(),
            ..Inner::default()
        };
        drop(inner);
        scratch.world.settle(rules.now);
        run_write(&mut scratch, rules, route, call).0
    }

    /// Records `changes` (if any) as the next version and, with a store,
    /// makes them durable before returning. Saves are grouped: the writer
    /// takes every change pending when its turn comes, so callers whose
    /// changes it took do not write again.
    fn commit(
        &self,
        mut inner: RwLockWriteGuard<'_, Inner>,
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
            let mut inner = exclusive(&self.state);
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
    /// The metadata whose documented error codes the answers follow.
    pub catalog: Option<&'static Catalog>,
}

impl Env<'_> {
    pub fn out_of_stock(&self, instance_type: &str) -> bool {
        self.out_of_stock.contains(instance_type)
    }

    /// Whether this call's operation documents the error `code` (to pick
    /// between the spellings the API uses for one rule).
    pub fn documents(&self, code: &str) -> bool {
        self.catalog
            .is_some_and(|c| c.documents_error(self.action, code))
    }

    /// `statuses` from now, one transition apart.
    pub fn timeline(&self, statuses: &[&str]) -> clock::Timeline {
        clock::Timeline::path(self.now, self.step, statuses)
    }
}

type Outcome = Result<Value, ApiError>;

#[derive(Clone, Copy)]
enum Handler {
    /// Reads the call's region.
    Read(fn(&Region, &Args, &Env) -> Outcome),
    /// Changes the call's region.
    Write(fn(&mut Region, &Args, &Env) -> Outcome),
    /// Reads across regions (DescribeRegions).
    ReadAll(fn(&World, &Args, &Env) -> Outcome),
    /// Changes across regions (CopyImage).
    WriteAll(fn(&mut World, &Args, &Env) -> Outcome),
}

#[derive(Clone, Copy)]
struct Route {
    action: &'static str,
    handler: Handler,
}

impl Route {
    /// Changes the state on success (saved, `ClientToken` honoured).
    fn writes(&self) -> bool {
        matches!(self.handler, Handler::Write(_) | Handler::WriteAll(_))
    }
}

/// What every call of one moment shares: the settings, the time, the
/// metadata errors are answered from.
struct Rules<'a> {
    settings: &'a Settings,
    now: clock::Millis,
    catalog: Option<&'static Catalog>,
}

/// Where a call goes: its region (from `RegionId`, else from the resource
/// it names), its parameters with the region's defaults, and what its
/// handler sees.
struct Routed<'a> {
    region_id: String,
    params: Cow<'a, [(String, String)]>,
    env: Env<'a>,
}

fn env<'a>(
    world: &World,
    out_of_stock: &'a BTreeSet<String>,
    rules: &Rules<'a>,
    call: &Call<'a>,
) -> Result<Routed<'a>, ApiError> {
    let region_id = match call.param("RegionId").filter(|r| !r.is_empty()) {
        Some(id) => id.to_string(),
        None => world.locate(&Args::new(call.params)),
    };
    let env = Env {
        now: rules.now,
        step: rules.settings.transition,
        region: regions::known(&region_id)?,
        settings: rules.settings,
        out_of_stock,
        action: call.action,
        catalog: rules.catalog,
    };
    let params = match world.regions.get(&region_id) {
        Some(region) => region.with_defaults(call.action, call.params),
        None => Cow::Borrowed(call.params),
    };
    Ok(Routed {
        region_id,
        params,
        env,
    })
}

fn run_read(inner: &Inner, rules: &Rules, route: Route, call: &Call) -> Outcome {
    let Routed {
        region_id,
        params,
        env,
    } = env(&inner.world, &inner.out_of_stock, rules, call)?;
    let args = Args::new(&params);
    let empty = Region::default();
    match route.handler {
        Handler::Read(h) => h(
            inner.world.regions.get(&region_id).unwrap_or(&empty),
            &args,
            &env,
        ),
        Handler::ReadAll(h) => h(&inner.world, &args, &env),
        Handler::Write(_) | Handler::WriteAll(_) => unreachable!("a change takes the write lock"),
    }
}

/// Runs a change under the write lock; returns its outcome and the changes it
/// made (none when it failed: a change that fails leaves the state as it
/// was).
fn run_write(
    inner: &mut Inner,
    rules: &Rules,
    route: Route,
    call: &Call,
) -> (Outcome, Vec<Change>) {
    let Routed {
        region_id,
        params,
        env,
    } = match env(&inner.world, &inner.out_of_stock, rules, call) {
        Ok(found) => found,
        Err(e) => return (Err(e), Vec::new()),
    };
    let (region_id, args, action) = (region_id.as_str(), Args::new(&params), call.action);
    let mut changes = Vec::new();
    let mut run = |world: &mut World| match route.handler {
        Handler::Read(_) | Handler::ReadAll(_) => unreachable!("a read runs through run_read"),
        Handler::Write(h) => {
            let diff = |before: &Region, after: &Region| {
                let mut made = Vec::new();
                before.diff_into(after, region_id, &mut made);
                made
            };
            transact(
                world.region(region_id),
                |r| h(r, &args, &env),
                diff,
                &mut changes,
            )
        }
        Handler::WriteAll(h) => transact(world, |w| h(w, &args, &env), World::diff, &mut changes),
    };
    let outcome = match args.str("ClientToken").filter(|_| route.writes()) {
        Some(token) => {
            let key = idempotency::key(region_id, action, token);
            let known = inner.world.tokens.contains_key(&key);
            let outcome = idempotency::once(&mut inner.world, &env, region_id, token, &args, run);
            if let (false, Some(answered)) = (known, inner.world.tokens.get(&key)) {
                changes.push(Change::token(&key, answered));
            }
            outcome
        }
        None => run(&mut inner.world),
    };
    (outcome, changes)
}

/// Runs `change` on `state`: on success appends the changes it made, on
/// failure puts `state` back as it was.
fn transact<S: Clone>(
    state: &mut S,
    change: impl FnOnce(&mut S) -> Outcome,
    diff: impl FnOnce(&S, &S) -> Vec<Change>,
    changes: &mut Vec<Change>,
) -> Outcome {
    let before = state.clone();
    let outcome = change(state);
    match &outcome {
        Ok(_) => changes.extend(diff(&before, state)),
        Err(_) => *state = before,
    }
    outcome
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

/// `Kind Action => handler;` a line: the action's name is written once.
macro_rules! routes {
    ($($kind:ident $action:ident => $handler:expr;)*) => {
        &[$(Route { action: stringify!($action), handler: Handler::$kind($handler) },)*]
    };
}

/// The actions the state answers.
#[rustfmt::skip]
const ROUTES: &[Route] = routes! {
    ReadAll DescribeRegions => regions::describe_regions;
    Read DescribeZones => regions::describe_zones;
    Write RunInstances => instances::run_instances;
    Write CreateInstance => instances::create_instance;
    Write StartInstance => |r, a, e| instances::power_one(r, a, e, Power::Start);
    Write StartInstances => |r, a, e| instances::power_many(r, a, e, Power::Start);
    Write StopInstance => |r, a, e| instances::power_one(r, a, e, Power::Stop);
    Write StopInstances => |r, a, e| instances::power_many(r, a, e, Power::Stop);
    Write RebootInstance => |r, a, e| instances::power_one(r, a, e, Power::Reboot);
    Write RebootInstances => |r, a, e| instances::power_many(r, a, e, Power::Reboot);
    Write DeleteInstance => instances::delete_instance;
    Write DeleteInstances => instances::delete_instances;
    Write ModifyInstanceAttribute => instances::modify_attribute;
    Write ModifyInstanceSpec => instances::modify_spec;
    Write ModifyPrepayInstanceSpec => instances::modify_prepay_spec;
    Write RenewInstance => instances::renew;
    Write ModifyInstanceAutoReleaseTime => instances::modify_auto_release_time;
    Write ModifyInstanceChargeType => instances::modify_charge_type;
    Write ModifyInstanceAutoRenewAttribute => instances::modify_auto_renew;
    Read DescribeInstanceAutoRenewAttribute => instances::describe_auto_renew;
    Read DescribeInstances => instances::describe_instances;
    Read DescribeInstanceStatus => instances::describe_status;
    Read DescribeInstanceAttribute => instances::describe_attribute;
    Write CreateDisk => disks::create_disk;
    Write AttachDisk => disks::attach_disk;
    Write DetachDisk => disks::detach_disk;
    Write ResizeDisk => disks::resize_disk;
    Write DeleteDisk => disks::delete_disk;
    Write ModifyDiskAttribute => disks::modify_attribute;
    Read DescribeDisks => disks::describe_disks;
    Write CreateSnapshot => snapshots::create_snapshot;
    Write DeleteSnapshot => snapshots::delete_snapshot;
    Read DescribeSnapshots => snapshots::describe_snapshots;
    Write CreateImage => images::create_image;
    WriteAll CopyImage => images::copy_image;
    Write DeleteImage => images::delete_image;
    Read DescribeImages => images::describe_images;
    Write CreateSecurityGroup => security_groups::create;
    Write DeleteSecurityGroup => security_groups::delete;
    Read DescribeSecurityGroups => security_groups::describe;
    Read DescribeSecurityGroupAttribute => security_groups::describe_attribute;
    Write AuthorizeSecurityGroup => |r, a, e| security_groups::authorize(r, a, e, "ingress");
    Write AuthorizeSecurityGroupEgress => |r, a, e| security_groups::authorize(r, a, e, "egress");
    Write RevokeSecurityGroup => |r, a, e| security_groups::revoke(r, a, e, "ingress");
    Write RevokeSecurityGroupEgress => |r, a, e| security_groups::revoke(r, a, e, "egress");
    Write JoinSecurityGroup => security_groups::join;
    Write LeaveSecurityGroup => security_groups::leave;
    Write CreateKeyPair => key_pairs::create;
    Write ImportKeyPair => key_pairs::import;
    Write DeleteKeyPairs => key_pairs::delete;
    Read DescribeKeyPairs => key_pairs::describe;
    Write AttachKeyPair => key_pairs::attach;
    Write DetachKeyPair => key_pairs::detach;
    Write CreateNetworkInterface => network_interfaces::create;
    Write DeleteNetworkInterface => network_interfaces::delete;
    Read DescribeNetworkInterfaces => network_interfaces::describe;
    Write AttachNetworkInterface => network_interfaces::attach;
    Write DetachNetworkInterface => network_interfaces::detach;
    Read DescribeVpcs => vpcs::describe_vpcs;
    Read DescribeVSwitches => vpcs::describe_vswitches;
    Write TagResources => tags::tag_resources;
    Write UntagResources => tags::untag_resources;
    Read ListTagResources => tags::list_tag_resources;
    Write CreateCommand => commands::create_command;
    Write DeleteCommand => commands::delete_command;
    Read DescribeCommands => commands::describe_commands;
    Write InvokeCommand => commands::invoke_command;
    Write RunCommand => commands::run_command;
    Write StopInvocation => commands::stop_invocation;
    Read DescribeInvocations => commands::describe_invocations;
    Read DescribeInvocationResults => commands::describe_invocation_results;
};
