//! `ClientToken`, once for every operation that changes the state: the
//! first call with a token is carried out and its answer kept; the same
//! token again returns that answer and changes nothing; the same token
//! with other parameters is refused with the operation's mismatch code.
//! Answers are kept with the state, so a retry after a restart is still
//! recognised.

use super::args::Args;
use super::errors::ApiError;
use super::state::World;
use super::Env;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha1::{Digest, Sha1};

/// A call answered under a token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Answered {
    /// The call's parameters, hashed.
    fingerprint: String,
    /// The success body, without its `RequestId`.
    body: Value,
}

/// Runs `call` once per (region, action, token).
pub(crate) fn once(
    world: &mut World,
    env: &Env,
    region: &str,
    token: &str,
    args: &Args,
    call: impl FnOnce(&mut World) -> Result<Value, ApiError>,
) -> Result<Value, ApiError> {
    if token.len() > 64 || !token.is_ascii() {
        return Err(ApiError::invalid(
            "InvalidClientToken.ValueNotSupported",
            format!("The ClientToken `{token}` is not valid: at most 64 ASCII characters."),
        ));
    }
    let action = env.action;
    let key = key(region, action, token);
    let fingerprint = fingerprint(args);
    if let Some(answered) = world.tokens.get(&key) {
        if answered.fingerprint == fingerprint {
            return Ok(answered.body.clone());
        }
        let code = if env.documents("IdempotenceParamNotMatch") {
            "IdempotenceParamNotMatch"
        } else {
            "IdempotentParameterMismatch"
        };
        return Err(ApiError::new(
            400,
            code,
            format!("The ClientToken `{token}` was used by an earlier {action} call with other parameters."),
        ));
    }
    let body = call(world)?;
    world.tokens.insert(
        key,
        Answered {
            fingerprint,
            body: body.clone(),
        },
    );
    Ok(body)
}

/// Where a token's answer is kept.
pub(crate) fn key(region: &str, action: &str, token: &str) -> String {
    format!("{region}/{action}/{token}")
}

/// The parameters, order aside; `ClientToken` itself is left out, and so
/// is `DryRun`: a dry run of the call a token answered is the same call.
fn fingerprint(args: &Args) -> String {
    let mut pairs: Vec<&(&str, &str)> = args
        .pairs()
        .iter()
        .filter(|(k, _)| !matches!(*k, "ClientToken" | "DryRun"))
        .collect();
    pairs.sort();
    let mut hash = Sha1::new();
    for (k, v) in pairs {
        hash.update(k.as_bytes());
        hash.update([0]);
        hash.update(v.as_bytes());
        hash.update([0]);
    }
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}
