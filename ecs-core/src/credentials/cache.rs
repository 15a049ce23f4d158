//! Caching with refresh before expiry, single-flight: callers that find the
//! credentials expired (or absent) while a refresh is under way wait for
//! that refresh and share its outcome, success or failure. Credentials that
//! are only due for refresh stay in use: one caller refreshes while the
//! others go on, and after a failed refresh the next try waits a while.
//! The client takes the cached credentials without copying them
//! ([`CachingProvider::fresh`]).

use super::{BoxFuture, Credentials, ProvideCredentials};
use crate::Error;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};
use tokio::sync::watch;

/// Refresh this long before `Expiration` (protocol.md section 6).
pub const DEFAULT_REFRESH_WINDOW: Duration = Duration::from_secs(180);

/// After a failed refresh of credentials still valid, wait this long
/// before trying again.
const FAILED_REFRESH_PAUSE: Duration = Duration::from_secs(10);

/// What one refresh gave, as the callers that waited for it see it.
type Outcome = Option<Result<Arc<Credentials>, Arc<Error>>>;

#[derive(Debug)]
pub struct CachingProvider {
    inner: Arc<dyn ProvideCredentials>,
    window: Duration,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    cached: Option<Arc<Credentials>>,
    /// The refresh under way, if any: its outcome appears here.
    flight: Option<watch::Receiver<Outcome>>,
    /// No refresh of valid credentials before this, after one failed.
    pause_until: Option<Instant>,
}

/// How a caller takes part in a refresh.
enum Join {
    Lead(watch::Sender<Outcome>),
    Wait(watch::Receiver<Outcome>),
}

/// Ends the flight if its leader goes away before finishing (its future
/// dropped), so that a waiting caller takes over.
struct Leading<'a> {
    cache: &'a CachingProvider,
    finished: bool,
}

impl Drop for Leading<'_> {
    fn drop(&mut self) {
        if !self.finished {
            self.cache.state().flight = None;
        }
    }
}

impl CachingProvider {
    pub fn new(inner: Arc<dyn ProvideCredentials>) -> Self {
        CachingProvider {
            inner,
            window: DEFAULT_REFRESH_WINDOW,
            state: Mutex::new(State::default()),
        }
    }

    /// How long before expiry to fetch new credentials.
    pub fn with_refresh_window(mut self, window: Duration) -> Self {
        self.window = window;
        self
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The cached credentials if they are not due for refresh: what nearly
    /// every call signs with, without a future or a copy.
    pub(crate) fn fresh(&self) -> Option<Arc<Credentials>> {
        let state = self.state();
        let c = state.cached.as_ref()?;
        (!c.expires_within(self.window)).then(|| c.clone())
    }

    /// Credentials to sign with: the cached ones, or refreshed ones.
    pub(crate) async fn get(&self) -> Result<Arc<Credentials>, Error> {
        loop {
            let mut flight = match self.join() {
                Ok(c) => return Ok(c),
                Err(Join::Lead(done)) => return self.refresh(done).await,
                Err(Join::Wait(flight)) => flight,
            };
            // A leader that went away leaves no outcome: loop and lead.
            let outcome = match flight.wait_for(Option::is_some).await {
                Ok(outcome) => outcome.clone(),
                Err(_) => None,
            };
            match outcome {
                Some(Ok(c)) => return Ok(c),
                Some(Err(e)) => return Err(shared(&e)),
                None => {}
            }
        }
    }

    /// Fresh cached credentials, else the refresh to wait for or to lead.
    fn join(&self) -> Result<Arc<Credentials>, Join> {
        let mut state = self.state();
        if let Some(c) = &state.cached {
            let valid = c.expiration.is_none_or(|x| x > SystemTime::now());
            let busy =
                state.flight.is_some() || state.pause_until.is_some_and(|t| Instant::now() < t);
            if !c.expires_within(self.window) || (valid && busy) {
                return Ok(c.clone());
            }
        }
        match &state.flight {
            Some(flight) => Err(Join::Wait(flight.clone())),
            None => {
                let (done, flight) = watch::channel(None);
                state.flight = Some(flight);
                Err(Join::Lead(done))
            }
        }
    }

    /// Leads one refresh and publishes its outcome to the callers waiting.
    async fn refresh(&self, done: watch::Sender<Outcome>) -> Result<Arc<Credentials>, Error> {
        let mut leading = Leading {
            cache: self,
            finished: false,
        };
        let fetched = self.inner.provide().await.map(Arc::new);
        let failed = fetched.is_err();
        let result = match fetched {
            Ok(c) => Ok(c),
            Err(e) => match self.unexpired() {
                Some(c) => {
                    tracing::warn!(error = %e, "credential refresh failed; using the cached ones until they expire");
                    Ok(c)
                }
                None => Err(e),
            },
        };
        let published = match &result {
            Ok(c) => Ok(c.clone()),
            Err(e) => Err(Arc::new(shared(e))),
        };
        {
            let mut state = self.state();
            match &result {
                Ok(_) if failed => state.pause_until = Some(Instant::now() + FAILED_REFRESH_PAUSE),
                Ok(c) => {
                    state.cached = Some(c.clone());
                    state.pause_until = None;
                }
                Err(_) => {}
            }
            state.flight = None;
            leading.finished = true;
        }
        done.send_replace(Some(published));
        result
    }

    /// The cached credentials if they have not expired yet (only due for
    /// refresh).
    fn unexpired(&self) -> Option<Arc<Credentials>> {
        self.state()
            .cached
            .clone()
            .filter(|c| c.expiration.is_some_and(|x| x > SystemTime::now()))
    }
}

/// A copy of `e` for another caller (errors are not `Clone`).
fn shared(e: &Error) -> Error {
    match e {
        Error::Credentials {
            provider, message, ..
        } => Error::credentials(provider, message),
        Error::Config { message } => Error::config(message),
        other => Error::credentials("refresh", other.to_string()),
    }
}

impl ProvideCredentials for CachingProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
        Box::pin(async { self.get().await.map(Arc::unwrap_or_clone) })
    }
}
