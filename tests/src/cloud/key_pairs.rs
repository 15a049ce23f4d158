//! SSH key pairs: made by the service (the private key is shown once) or
//! imported, attached to and detached from Linux instances.

use super::args::Args;
use super::clock::{iso_minutes, Millis};
use super::errors::ApiError;
use super::ids;
use super::paging::{self, Limits};
use super::state::Region;
use super::tags::{self, Tags};
use super::Env;
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha1::{Digest, Sha1};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct KeyPair {
    pub name: String,
    pub id: String,
    pub fingerprint: String,
    pub public_key: String,
    pub created: Millis,
    pub tags: Tags,
    #[serde(default)]
    pub resource_group: String,
}

/// Colon-separated hex of the key's digest, as the console shows it.
fn fingerprint(public_key: &str) -> String {
    Sha1::digest(public_key.as_bytes())[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

fn name_ok(name: &str) -> bool {
    let len = name.chars().count();
    (2..=128).contains(&len)
        && name.starts_with(|c: char| c.is_alphabetic())
        && !name.starts_with("http://")
        && !name.starts_with("https://")
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || ":_.-".contains(c))
}

fn add(
    region: &mut Region,
    args: &Args,
    env: &Env,
    public_key: String,
) -> Result<KeyPair, ApiError> {
    let name = args.string_or("KeyPairName", "");
    if !name_ok(&name) {
        return Err(ApiError::invalid(
            "InvalidKeyPairName.Malformed",
            format!("`{name}` is not a key pair name: 2 to 128 characters, starting with a letter; letters, digits, `:`, `_`, `.`, `-`."),
        ));
    }
    if region.key_pairs.contains_key(&name) {
        return Err(ApiError::invalid(
            "KeyPair.AlreadyExist",
            format!("A key pair named `{name}` exists already."),
        ));
    }
    let pair = KeyPair {
        id: ids::resource("ssh-", env.region.code),
        fingerprint: fingerprint(&public_key),
        public_key,
        name: name.clone(),
        created: env.now,
        tags: tags::from_args(args, "Tag")?,
        resource_group: args.string_or("ResourceGroupId", ""),
    };
    region.key_pairs.insert(name, pair.clone());
    Ok(pair)
}

pub fn create(region: &mut Region, args: &Args, env: &Env) -> Result<Value, ApiError> {
    let secret: Vec<u8> = (0..6)
        .flat_map(|_| uuid::Uuid::new_v4().into_bytes())
        .collect();
    let b64 = base64::engine::general_purpose::STANDARD;
    let public_key = format!(
        "ssh-rsa {} imported-by-ecs-simulator",
        b64.encode(Sha1::digest(&secret))
    );
    let pair = add(region, args, env, public_key)?;
    let private = format!(
        "-----BEGIN RSA PRIVATE KEY-----\n{}\n-----END RSA PRIVATE KEY-----\n",
        b64.encode(&secret)
    );
    Ok(json!({
        "KeyPairName": pair.name,
        "KeyPairId": pair.id,
        "KeyPairFingerPrint": pair.fingerprint,
        "PrivateKeyBody": private,
    }))
}

pub fn import(region: &mut Region, args: &Args, env: &Env) -> Result<Value, ApiError> {
    let body = args.string_or("PublicKeyBody", "");
    let pair = add(region, args, env, body)?;
    Ok(json!({"KeyPairName": pair.name, "KeyPairFingerPrint": pair.fingerprint}))
}

pub fn delete(region: &mut Region, args: &Args, _env: &Env) -> Result<Value, ApiError> {
    let names = args.json_list("KeyPairNames").unwrap_or_default();
    if let Some((name, instance)) = names.iter().find_map(|n| {
        region
            .instances
            .values()
            .find(|i| i.key_pair.as_deref() == Some(n))
            .map(|i| (n, &i.id))
    }) {
        return Err(ApiError::invalid(
            "InvalidParameter.KeypairAlreadyAttachedInstance",
            format!("The key pair `{name}` is attached to `{instance}`; detach it first."),
        ));
    }
    // Names that do not exist are skipped, as the service does.
    for name in &names {
        region.key_pairs.remove(name);
    }
    Ok(json!({}))
}

pub fn describe(region: &Region, args: &Args, _env: &Env) -> Result<Value, ApiError> {
    let name = args.str("KeyPairName");
    let print = args.str("KeyPairFingerPrint");
    let tag_filter = tags::Filter::from_args(args);
    let include_key = args.flag("IncludePublicKey");
    let list: Vec<&KeyPair> = region
        .key_pairs
        .values()
        .filter(|k| name.is_none_or(|n| wildcard(n, &k.name)))
        .filter(|k| print.is_none_or(|p| k.fingerprint == p))
        .filter(|k| tag_filter.matches(&k.tags))
        .collect();
    let page = paging::page(args, Limits::new(10, 50), list, |k| {
        paging::by_creation(k.created, &k.name)
    })?;
    let pairs: Vec<Value> = page
        .items
        .iter()
        .map(|k| {
            json!({
                "KeyPairName": k.name,
                "KeyPairFingerPrint": k.fingerprint,
                "CreationTime": iso_minutes(k.created),
                "ResourceGroupId": k.resource_group,
                "PublicKey": if include_key { k.public_key.as_str() } else { "" },
                "Tags": tags::render(&k.tags),
            })
        })
        .collect();
    Ok(super::join([
        page.counts(),
        json!({
            "KeyPairs": {"KeyPair": pairs},
        }),
    ]))
}

/// `*` matches any run of characters, as the name filters of the API do.
pub fn wildcard(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || !text[first.len()..].ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}

/// Attaches or detaches `KeyPairName` on the instances of `InstanceIds`,
/// one result per instance.
fn on_instances(
    region: &mut Region,
    args: &Args,
    env: &Env,
    attach: bool,
) -> Result<Value, ApiError> {
    let name = args.string_or("KeyPairName", "");
    region.key_pair(&name)?;
    let ids = args.json_list("InstanceIds").unwrap_or_default();
    if ids.len() > 50 {
        return Err(ApiError::new(
            403,
            "InstanceKeyPairLimitExceeded",
            "At most 50 instances per call.",
        ));
    }
    let mut results = Vec::new();
    let mut failed = 0;
    for id in &ids {
        let outcome = match region.instances.get_mut(id) {
            None => Err((
                "InvalidInstanceId.NotFound",
                format!("The instance `{id}` does not exist."),
            )),
            Some(i) if i.os_type == "windows" => Err((
                "DependencyViolation.WindowsInstance",
                "Windows instances do not take SSH key pairs.".to_string(),
            )),
            Some(i) if attach => {
                i.key_pair = Some(name.clone());
                Ok(i.lifecycle.status(env.now) == "Running")
            }
            Some(i) => {
                if i.key_pair.as_deref() == Some(name.as_str()) {
                    i.key_pair = None;
                }
                Ok(false)
            }
        };
        let result = match outcome {
            Ok(_) => {
                json!({"InstanceId": id, "Success": "true", "Code": "200", "Message": "successful"})
            }
            Err((code, message)) => {
                failed += 1;
                json!({"InstanceId": id, "Success": "false", "Code": code, "Message": message})
            }
        };
        results.push(result);
    }
    Ok(json!({
        "KeyPairName": name,
        "TotalCount": ids.len().to_string(),
        "FailCount": failed.to_string(),
        "Results": {"Result": results},
    }))
}

pub fn attach(region: &mut Region, args: &Args, env: &Env) -> Result<Value, ApiError> {
    on_instances(region, args, env, true)
}

pub fn detach(region: &mut Region, args: &Args, env: &Env) -> Result<Value, ApiError> {
    on_instances(region, args, env, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_any_run_of_characters() {
        assert!(wildcard("web-*", "web-01"));
        assert!(wildcard("*-01", "web-01"));
        assert!(wildcard("w*b*1", "web-01"));
        assert!(!wildcard("web-*", "db-01"));
        assert!(wildcard("exact", "exact"));
        assert!(!wildcard("exact", "exactly"));
    }

    #[test]
    fn fingerprints_are_sixteen_colon_separated_bytes() {
        let f = fingerprint("ssh-rsa AAAA");
        assert_eq!(f.split(':').count(), 16);
        assert_ne!(f, fingerprint("ssh-rsa AAAB"));
    }
}
