use std::ops::Deref;

/// The ECS client: [`ecs_core::Client`] plus one method per operation.
#[derive(Debug, Clone)]
pub struct Client {
    inner: ecs_core::Client,
}

impl Client {
    pub fn from_core(inner: ecs_core::Client) -> Client {
        Client { inner }
    }

    pub fn core(&self) -> &ecs_core::Client {
        &self.inner
    }
}

impl Deref for Client {
    type Target = ecs_core::Client;

    fn deref(&self) -> &ecs_core::Client {
        &self.inner
    }
}
