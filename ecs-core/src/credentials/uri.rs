//! Credentials served by a URI (`ALIBABA_CLOUD_CREDENTIALS_URI`, or a CLI
//! profile in `CredentialsURI` mode), in the metadata service's JSON shape.

use super::http::{Deadline, FetchPolicy, Fetcher};
use super::{parse_document, BoxFuture, Credentials, ProvideCredentials};
use crate::Error;
use std::fmt;

const NAME: &str = "credentials_uri";

#[derive(Clone)]
pub struct UriProvider {
    uri: String,
    fetcher: Fetcher,
}

// The URI may carry a token in its query: show the rest only.
impl fmt::Debug for UriProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = self.uri.split(['?', '#']).next().unwrap_or("");
        f.debug_struct("UriProvider")
            .field("uri", &shown)
            .field("fetch", &self.fetcher)
            .finish()
    }
}

impl UriProvider {
    pub fn new(uri: impl Into<String>) -> Self {
        UriProvider {
            uri: uri.into(),
            fetcher: Fetcher::new(FetchPolicy::remote()),
        }
    }

    /// Attempts and time limits ([`FetchPolicy::remote`] by default).
    pub fn with_fetch_policy(mut self, policy: FetchPolicy) -> Self {
        self.fetcher = Fetcher::new(policy);
        self
    }

    async fn fetch(&self) -> Result<Credentials, Error> {
        let what = "the credentials URI";
        let deadline = Deadline::start(self.fetcher.policy());
        let body = self
            .fetcher
            .send(
                NAME,
                what,
                &deadline,
                |http| http.get(&self.uri),
                |answer| answer.text(NAME, what),
            )
            .await?;
        parse_document(NAME, &body, false)
    }
}

impl ProvideCredentials for UriProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
        Box::pin(self.fetch())
    }
}
