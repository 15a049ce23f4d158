//! Caching with refresh before expiry, single-flight: concurrent callers
//! that find the credentials stale wait for one refresh.

use super::{BoxFuture, Credentials, ProvideCredentials};
use crate::Error;
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

/// Refresh this long before `Expiration` (protocol.md section 6).
pub const DEFAULT_REFRESH_WINDOW: Duration = Duration::from_secs(180);

#[derive(Debug)]
pub struct CachingProvider {
    inner: Arc<dyn ProvideCredentials>,
    window: Duration,
    cached: RwLock<Option<Credentials>>,
    refresh: tokio::sync::Mutex<()>,
}

impl CachingProvider {
    pub fn new(inner: Arc<dyn ProvideCredentials>) -> Self {
        CachingProvider {
            inner,
            window: DEFAULT_REFRESH_WINDOW,
            cached: RwLock::new(None),
            refresh: tokio::sync::Mutex::new(()),
        }
    }

    /// How long before expiry to fetch new credentials.
    pub fn with_refresh_window(mut self, window: Duration) -> Self {
        self.window = window;
        self
    }

    fn fresh(&self) -> Option<Credentials> {
        let cached = self.cached.read().unwrap_or_else(|p| p.into_inner());
        cached
            .as_ref()
            .filter(|c| !c.expires_within(self.window))
            .cloned()
    }

    async fn get(&self) -> Result<Credentials, Error> {
        if let Some(c) = self.fresh() {
            return Ok(c);
        }
        let _one_at_a_time = self.refresh.lock().await;
        // Another caller may have refreshed while we waited.
        if let Some(c) = self.fresh() {
            return Ok(c);
        }
        match self.inner.provide().await {
            Ok(c) => {
                *self.cached.write().unwrap_or_else(|p| p.into_inner()) = Some(c.clone());
                Ok(c)
            }
            Err(e) => {
                // Still valid, only due for refresh: keep using it.
                let cached = self
                    .cached
                    .read()
                    .unwrap_or_else(|p| p.into_inner())
                    .clone();
                match cached.filter(|c| c.expiration.is_some_and(|x| x > SystemTime::now())) {
                    Some(c) => {
                        tracing::warn!(error = %e, "credential refresh failed; using the cached ones until they expire");
                        Ok(c)
                    }
                    None => Err(e),
                }
            }
        }
    }
}

impl ProvideCredentials for CachingProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
        Box::pin(self.get())
    }
}
