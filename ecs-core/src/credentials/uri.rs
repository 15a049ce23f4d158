//! Credentials served by a URI (`ALIBABA_CLOUD_CREDENTIALS_URI`), in the
//! metadata service's JSON shape.

use super::{fetch_text, http_client, parse_document, BoxFuture, Credentials, ProvideCredentials};
use crate::Error;
use std::time::Duration;

const NAME: &str = "credentials_uri";

#[derive(Debug, Clone)]
pub struct UriProvider {
    uri: String,
    http: reqwest::Client,
}

impl UriProvider {
    pub fn new(uri: impl Into<String>) -> Self {
        UriProvider {
            uri: uri.into(),
            http: http_client(Duration::from_secs(5)),
        }
    }

    async fn fetch(&self) -> Result<Credentials, Error> {
        let body = fetch_text(NAME, "the credentials URI", self.http.get(&self.uri)).await?;
        parse_document(NAME, &body, false)
    }
}

impl ProvideCredentials for UriProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
        Box::pin(self.fetch())
    }
}
