//! Who sent a request and whether its signature holds, recomputed from the
//! request as received: the RPC HMAC-SHA1 signature over the query and form
//! parameters (`v1`) or `ACS3-HMAC-SHA256` in the `Authorization` header
//! (`v3`). Written from the protocol, sharing no code with ecs-core's
//! signer, so the client is never checked by its own code.

mod v1;
mod v3;

pub use v1::{rpc_signature, rpc_string_to_sign};
pub use v3::{v3_canonical_request, v3_signature, V3_ALGORITHM};

use super::errors::{Refusal, Rejection};
use super::RecordedRequest;
use std::collections::HashMap;
use std::fmt;

/// The key pairs the simulator accepts. `Debug` shows the key ids only.
#[derive(Clone, Default)]
pub struct AccessKeys {
    keys: HashMap<String, Secret>,
}

#[derive(Clone)]
struct Secret {
    secret: String,
    security_token: Option<String>,
}

impl AccessKeys {
    pub fn new() -> AccessKeys {
        AccessKeys::default()
    }

    /// Accepts requests signed with `secret` under `id`.
    pub fn insert(&mut self, id: impl Into<String>, secret: impl Into<String>) {
        let secret = Secret {
            secret: secret.into(),
            security_token: None,
        };
        self.keys.insert(id.into(), secret);
    }

    /// Accepts STS credentials: requests under `id` must carry `token`.
    pub fn insert_sts(
        &mut self,
        id: impl Into<String>,
        secret: impl Into<String>,
        token: impl Into<String>,
    ) {
        let secret = Secret {
            secret: secret.into(),
            security_token: Some(token.into()),
        };
        self.keys.insert(id.into(), secret);
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The secret for `id`, once the request's security token (if any)
    /// matches the one the key was issued with.
    fn secret(&self, id: &str, token: Option<&str>) -> Result<&str, Refusal> {
        let key = self.keys.get(id).ok_or(Refusal::AccessKeyNotFound)?;
        if key.security_token.as_deref() != token.filter(|t| !t.is_empty()) {
            return Err(Refusal::SecurityTokenMismatch);
        }
        Ok(&key.secret)
    }
}

impl fmt::Debug for AccessKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut ids: Vec<&String> = self.keys.keys().collect();
        ids.sort();
        f.debug_struct("AccessKeys")
            .field("ids", &ids)
            .finish_non_exhaustive()
    }
}

/// The body format the caller asked for (`Format`, RPC only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Xml,
}

/// A request whose signature holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub action: String,
    pub nonce: String,
    pub format: Format,
}

/// Why a request was refused before its operation was looked at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Denied {
    /// A common parameter or header is missing.
    Missing(Rejection),
    Refused(Refusal),
}

impl From<Refusal> for Denied {
    fn from(r: Refusal) -> Self {
        Denied::Refused(r)
    }
}

impl Denied {
    pub fn reply(&self) -> super::Reply {
        match self {
            Denied::Missing(r) => r.reply(),
            Denied::Refused(r) => r.reply(),
        }
    }
}

/// Checks the signature of `request`, whose decoded query and form
/// parameters are `params`: `ACS3-HMAC-SHA256` when an `Authorization`
/// header carries it, else the RPC signature.
pub fn verify(
    request: &RecordedRequest,
    params: &[(String, String)],
    keys: &AccessKeys,
) -> Result<Verified, Denied> {
    match request.header("authorization") {
        Some(authorization) => v3::verify(request, authorization, keys),
        None => v1::verify(&request.method, params, keys),
    }
}

/// The API version this simulator serves.
pub const API_VERSION: &str = "2014-05-26";

fn missing(name: &str) -> Denied {
    Denied::Missing(Rejection::Missing(name.to_string()))
}

fn check_version(version: &str) -> Result<(), Denied> {
    if version == API_VERSION {
        Ok(())
    } else {
        Err(Refusal::InvalidVersion.into())
    }
}

/// `YYYY-MM-DDThh:mm:ssZ`, the only form either signature takes.
fn check_timestamp(t: &str) -> Result<(), Denied> {
    let b = t.as_bytes();
    let well_formed = b.len() == 20
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            19 => *c == b'Z',
            _ => c.is_ascii_digit(),
        });
    if well_formed {
        Ok(())
    } else {
        Err(Refusal::InvalidTimestamp.into())
    }
}

/// Equal-time comparison, so the check does not leak how much matched.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests;
