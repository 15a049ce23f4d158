//! PLACEHOLDER: the public surface generated code relies on. To be replaced
//! by the real client (config, signing, transport, retries).

use crate::{Error, Operation};

#[derive(Debug, Clone, Default)]
pub struct Client {}

impl Client {
    /// Sends one typed request and decodes its typed response.
    pub async fn call<O: Operation>(&self, request: &O) -> Result<O::Output, Error> {
        let _ = request;
        unimplemented!("placeholder")
    }
}
