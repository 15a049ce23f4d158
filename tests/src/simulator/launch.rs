//! Starting a simulator ([`SimulatorBuilder`]) and what you get back
//! ([`Simulator`]): its URL, its credentials, a ready client, its faults,
//! its state and the requests it received.

use super::auth::AccessKeys;
use super::faults::{Fault, FaultSettings};
use super::gateway::Gateway;
use super::http::Server;
use super::metadata::{MetadataError, MetadataSource};
use super::{Catalog, RecordedRequest};
use crate::cloud::{Cloud, CloudError, Settings};
use serde_json::Value;
use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// The key pair the simulator accepts unless told otherwise.
pub const ACCESS_KEY_ID: &str = "ecs-simulator-key";
pub const ACCESS_KEY_SECRET: &str = "ecs-simulator-secret";

/// The region [`Simulator::client`] calls.
pub const DEFAULT_REGION: &str = "cn-hangzhou";

/// A running simulator on 127.0.0.1 (or the address it was given). It
/// stops, closing its connections, when dropped.
///
/// ```no_run
/// # async fn demo() {
/// let sim = ecs_simulator::Simulator::start().await;
/// let client = sim.client(); // an ecs_api::Client for sim.url(), signed with sim.credentials()
/// # }
/// ```
pub struct Simulator {
    server: Server,
    gateway: Arc<Gateway>,
    access_key: (String, String),
}

impl Simulator {
    /// A simulator on a free port of 127.0.0.1 with an empty cloud whose
    /// lifecycle steps take one second each
    /// ([`DEFAULT_TRANSITION`](crate::cloud::DEFAULT_TRANSITION)): a new
    /// instance is `Running` two seconds after `RunInstances`. For
    /// immediate transitions, `Simulator::configure().transition(Duration::ZERO)`;
    /// for exact ones, a cloud on a manual [`Clock`](crate::cloud::Clock)
    /// ([`Simulator::start_with_cloud`]).
    ///
    /// # Panics
    /// When it cannot start (no metadata, no port): this is a test fixture,
    /// and the message says what to do. [`Simulator::configure`] returns
    /// the error instead.
    pub async fn start() -> Simulator {
        Simulator::configure()
            .start()
            .await
            .unwrap_or_else(|e| panic!("ecs-simulator: {e}"))
    }

    /// Like [`Simulator::start`], serving the given cloud (with its own
    /// settings and, from [`Cloud::open`], its own state file).
    pub async fn start_with_cloud(cloud: Arc<Cloud>) -> Simulator {
        Simulator::configure()
            .cloud(cloud)
            .start()
            .await
            .unwrap_or_else(|e| panic!("ecs-simulator: {e}"))
    }

    /// A builder for everything else: address, metadata, state file, seed,
    /// lifecycle settings, faults, keys.
    pub fn configure() -> SimulatorBuilder {
        SimulatorBuilder::default()
    }

    /// `http://127.0.0.1:{port}`.
    pub fn url(&self) -> String {
        format!("http://{}", self.server.addr())
    }

    pub fn addr(&self) -> SocketAddr {
        self.server.addr()
    }

    /// The key pair requests are signed with.
    pub fn credentials(&self) -> ecs_core::Credentials {
        ecs_core::Credentials::new(&self.access_key.0, &self.access_key.1)
    }

    /// The environment that points an SDK or the CLI at this simulator
    /// (`ALIBABA_CLOUD_ECS_ENDPOINT`, region, key pair).
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("ALIBABA_CLOUD_ECS_ENDPOINT", self.url()),
            ("ALIBABA_CLOUD_REGION_ID", DEFAULT_REGION.to_string()),
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", self.access_key.0.clone()),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", self.access_key.1.clone()),
        ]
    }

    /// A client for this simulator: its key pair, region `cn-hangzhou`,
    /// quick retries.
    pub fn client(&self) -> ecs_api::Client {
        self.builder().build().expect("simulator client").into()
    }

    /// The builder behind [`Simulator::client`], to adjust.
    pub fn builder(&self) -> ecs_core::ClientBuilder {
        ecs_api::Client::builder()
            .endpoint(self.url())
            .region(DEFAULT_REGION)
            .credentials(self.credentials())
            .retry_policy(
                ecs_core::RetryPolicy::default()
                    .with_base_delay(Duration::from_millis(5))
                    .with_max_delay(Duration::from_millis(50)),
            )
    }

    pub fn catalog(&self) -> &'static Catalog {
        self.gateway.catalog
    }

    /// The simulated cloud's state behind this server.
    pub fn cloud(&self) -> &Arc<Cloud> {
        &self.gateway.cloud
    }

    /// The next request gets `fault` (faults queue up, one per request).
    pub fn inject(&self, fault: Fault) {
        self.gateway.faults.inject(fault);
    }

    /// The standing faults.
    pub fn faults(&self) -> FaultSettings {
        self.gateway.faults.settings()
    }

    /// Replaces the standing faults; a rate outside 0..=1 is refused.
    pub fn set_faults(&self, settings: FaultSettings) -> Result<(), String> {
        self.gateway.set_faults(settings).map(drop)
    }

    /// Every ECS request received, in arrival order (admin calls aside).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.gateway.requests()
    }
}

impl fmt::Debug for Simulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Simulator")
            .field("url", &self.url())
            .field("access_key_id", &self.access_key.0)
            .finish_non_exhaustive()
    }
}

/// Where a seed comes from.
#[derive(Debug, Clone)]
enum Seed {
    File(PathBuf),
    Document(Value),
}

/// Configures and starts a [`Simulator`].
#[derive(Clone)]
pub struct SimulatorBuilder {
    addr: String,
    metadata: MetadataSource,
    settings: Option<Settings>,
    state_file: Option<PathBuf>,
    seeds: Vec<Seed>,
    cloud: Option<Arc<Cloud>>,
    faults: FaultSettings,
    access_key: (String, String),
    keys: AccessKeys,
    record_requests: bool,
    admin: bool,
}

impl Default for SimulatorBuilder {
    fn default() -> Self {
        SimulatorBuilder {
            addr: "127.0.0.1:0".into(),
            metadata: MetadataSource::default(),
            settings: None,
            state_file: None,
            seeds: Vec::new(),
            cloud: None,
            faults: FaultSettings::default(),
            access_key: (ACCESS_KEY_ID.into(), ACCESS_KEY_SECRET.into()),
            keys: AccessKeys::new(),
            record_requests: true,
            admin: true,
        }
    }
}

impl fmt::Debug for SimulatorBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SimulatorBuilder")
            .field("addr", &self.addr)
            .field("metadata", &self.metadata)
            .field("state_file", &self.state_file)
            .field("seeds", &self.seeds.len())
            .field("cloud", &self.cloud.is_some())
            .field("faults", &self.faults)
            .field("access_key_id", &self.access_key.0)
            .field("keys", &self.keys)
            .finish_non_exhaustive()
    }
}

impl SimulatorBuilder {
    /// Where to listen, e.g. `127.0.0.1:8080` (`127.0.0.1:0`, a free port, by default).
    pub fn addr(mut self, addr: impl Into<String>) -> Self {
        self.addr = addr.into();
        self
    }

    /// Serve this `api-docs.json` instead of looking for the pinned one.
    pub fn metadata(mut self, path: impl Into<PathBuf>) -> Self {
        self.metadata.path = Some(path.into());
        self
    }

    /// How the metadata is found, in full (cache directory, pin, ...).
    pub fn metadata_source(mut self, source: MetadataSource) -> Self {
        self.metadata = source;
        self
    }

    /// Lifecycle timing, clock and quota for the cloud the simulator
    /// creates ([`Settings::default`] unless given).
    pub fn settings(mut self, settings: Settings) -> Self {
        self.settings = Some(settings);
        self
    }

    /// How long each lifecycle step takes (`Pending -> Starting ->
    /// Running`, `Stopping -> Stopped`, ...): one second
    /// ([`DEFAULT_TRANSITION`](crate::cloud::DEFAULT_TRANSITION)) unless
    /// given; zero makes every transition immediate.
    pub fn transition(mut self, step: Duration) -> Self {
        self.settings
            .get_or_insert_with(Settings::default)
            .transition = step;
        self
    }

    /// Keep the cloud in `path`: loaded if it exists, saved atomically
    /// after every change. Seeds go only into a new state: a file that
    /// already holds one was seeded when it was made.
    pub fn state_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.state_file = Some(path.into());
        self
    }

    /// Start from the fleet a seed document describes (with a state file,
    /// only when the file holds no state yet).
    pub fn seed(mut self, fleet: Value) -> Self {
        self.seeds.push(Seed::Document(fleet));
        self
    }

    /// Start from the fleet of a seed file (JSON), as [`SimulatorBuilder::seed`].
    pub fn seed_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.seeds.push(Seed::File(path.into()));
        self
    }

    /// Serve this cloud (shared with the caller) instead of a new one.
    pub fn cloud(mut self, cloud: Arc<Cloud>) -> Self {
        self.cloud = Some(cloud);
        self
    }

    /// Standing faults from the start.
    pub fn faults(mut self, faults: FaultSettings) -> Self {
        self.faults = faults;
        self
    }

    /// The key pair to accept (and [`Simulator::client`] to sign with)
    /// instead of [`ACCESS_KEY_ID`] / [`ACCESS_KEY_SECRET`].
    pub fn access_key(mut self, id: impl Into<String>, secret: impl Into<String>) -> Self {
        self.access_key = (id.into(), secret.into());
        self
    }

    /// Also accept STS credentials: `id` and `secret` with `token`.
    pub fn sts_access_key(
        mut self,
        id: impl Into<String>,
        secret: impl Into<String>,
        token: impl Into<String>,
    ) -> Self {
        self.keys.insert_sts(id, secret, token);
        self
    }

    /// Whether [`Simulator::requests`] keeps every request (on by default;
    /// off for long-running servers).
    pub fn record_requests(mut self, record: bool) -> Self {
        self.record_requests = record;
        self
    }

    /// Whether the `/_simulator/` admin endpoints answer (on by default).
    pub fn admin(mut self, enabled: bool) -> Self {
        self.admin = enabled;
        self
    }

    pub async fn start(self) -> Result<Simulator, SimulatorError> {
        let catalog = self
            .metadata
            .catalog()
            .await
            .map_err(SimulatorError::Metadata)?;
        let (cloud, state_file, settings, seeds) =
            (self.cloud, self.state_file, self.settings, self.seeds);
        // Opening and seeding a state file write to disk: off the runtime.
        let cloud = tokio::task::spawn_blocking(move || {
            let fleets = read_seeds(seeds)?;
            let kept = state_file.is_some();
            let cloud = make_cloud(cloud, state_file, settings)?;
            cloud.use_catalog(catalog);
            // A state file that holds a state was seeded when it was
            // made: seeding it again on every restart would double the fleet.
            if !kept || cloud.is_new() {
                for (fleet, from) in fleets {
                    cloud
                        .seed(&fleet)
                        .map_err(|e| SimulatorError::Seed(format!("{from}: {e}")))?;
                }
            }
            Ok::<_, SimulatorError>(cloud)
        })
        .await
        .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))?;
        let mut keys = self.keys;
        keys.insert(self.access_key.0.clone(), self.access_key.1.clone());
        let mut gateway = Gateway::new(catalog, cloud, keys, self.record_requests);
        gateway.admin = self.admin;
        gateway
            .set_faults(self.faults)
            .map_err(SimulatorError::Config)?;
        let listener = tokio::net::TcpListener::bind(&self.addr)
            .await
            .map_err(|source| SimulatorError::Bind {
                addr: self.addr.clone(),
                source,
            })?;
        let gateway = Arc::new(gateway);
        let server =
            Server::serve(listener, gateway.clone()).map_err(|source| SimulatorError::Bind {
                addr: self.addr.clone(),
                source,
            })?;
        Ok(Simulator {
            server,
            gateway,
            access_key: self.access_key,
        })
    }
}

/// The cloud to serve: the one passed in, one kept in a state file, or a new one.
fn make_cloud(
    cloud: Option<Arc<Cloud>>,
    state_file: Option<PathBuf>,
    settings: Option<Settings>,
) -> Result<Arc<Cloud>, SimulatorError> {
    let refused = |why: &str| Err(SimulatorError::Config(why.into()));
    match (cloud, state_file) {
        (Some(_), Some(_)) => {
            refused("a cloud passed in keeps its own state; give a state file or a cloud, not both")
        }
        (Some(_), None) if settings.is_some() => {
            refused("a cloud passed in keeps its own settings; give settings or a cloud, not both")
        }
        (Some(cloud), None) => Ok(cloud),
        (None, Some(path)) => match Cloud::open(&path, settings.unwrap_or_default()) {
            Ok(cloud) => Ok(Arc::new(cloud)),
            Err(source) => Err(SimulatorError::State { path, source }),
        },
        (None, None) => Ok(Arc::new(Cloud::with_settings(settings.unwrap_or_default()))),
    }
}

/// Each seed's fleet and where it came from.
fn read_seeds(seeds: Vec<Seed>) -> Result<Vec<(Value, String)>, SimulatorError> {
    seeds
        .into_iter()
        .map(|seed| match seed {
            Seed::Document(fleet) => Ok((fleet, "the seed document".to_string())),
            Seed::File(path) => Ok((read_seed(&path)?, path.display().to_string())),
        })
        .collect()
}

fn read_seed(path: &std::path::Path) -> Result<Value, SimulatorError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| SimulatorError::Seed(format!("cannot read {}: {e}", path.display())))?;
    serde_json::from_str(&text)
        .map_err(|e| SimulatorError::Seed(format!("{} is not JSON: {e}", path.display())))
}

/// Why a simulator could not start.
#[derive(Debug)]
#[non_exhaustive]
pub enum SimulatorError {
    Metadata(MetadataError),
    Bind {
        addr: String,
        source: std::io::Error,
    },
    State {
        path: PathBuf,
        source: CloudError,
    },
    Seed(String),
    Config(String),
}

impl fmt::Display for SimulatorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimulatorError::Metadata(e) => e.fmt(f),
            SimulatorError::Bind { addr, source } => write!(f, "cannot listen on {addr}: {source}"),
            SimulatorError::State { path, source } => {
                write!(f, "cannot use the state file {}: {source}", path.display())
            }
            SimulatorError::Seed(why) => write!(f, "cannot seed the cloud from {why}"),
            SimulatorError::Config(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for SimulatorError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SimulatorError::Metadata(e) => Some(e),
            SimulatorError::Bind { source, .. } => Some(source),
            SimulatorError::State { source, .. } => Some(source),
            _ => None,
        }
    }
}
