//! Tags, once for every resource: the rules a tag must follow, the
//! `Tag.N.Key`/`Tag.N.Value` filter of the Describe calls, the
//! `{"Tag":[{"TagKey","TagValue"}]}` form responses carry, and
//! `TagResources`, `UntagResources`, `ListTagResources`.

use super::args::Args;
use super::errors::ApiError;
use super::paging::{self, Limits};
use super::state::Region;
use super::Env;
use serde_json::{json, Value};
use std::collections::BTreeMap;

pub type Tags = BTreeMap<String, String>;

/// Tags one resource may carry.
pub const MAX_PER_RESOURCE: usize = 20;

/// Checks new tags: keys present, unique and not reserved, lengths within
/// the service's limits.
pub fn check(new: &[(String, String)]) -> Result<(), ApiError> {
    let mut seen = std::collections::BTreeSet::new();
    for (key, value) in new {
        let reserved = ["aliyun", "acs:"].iter().any(|p| key.starts_with(p));
        if key.is_empty()
            || key.chars().count() > 128
            || reserved
            || key.contains("http://")
            || key.contains("https://")
        {
            return Err(ApiError::invalid(
                "InvalidTagKey.Malformed",
                format!("The tag key `{key}` is not valid: 1 to 128 characters, not starting with `aliyun` or `acs:`, without `http://` or `https://`."),
            ));
        }
        if value.chars().count() > 128 || value.contains("http://") || value.contains("https://") {
            return Err(ApiError::invalid(
                "InvalidTagValue.Malformed",
                format!("The value of tag `{key}` is not valid: at most 128 characters, without `http://` or `https://`."),
            ));
        }
        if !seen.insert(key) {
            return Err(ApiError::invalid(
                "Duplicate.TagKey",
                format!("The tag key `{key}` is given twice."),
            ));
        }
    }
    Ok(())
}

/// `tags` with `new` added (a key given again takes the new value), or
/// the quota error when the resource would carry too many.
pub fn merged(tags: &Tags, new: &[(String, String)], id: &str) -> Result<Tags, ApiError> {
    let mut out = tags.clone();
    out.extend(new.iter().cloned());
    if out.len() > MAX_PER_RESOURCE {
        return Err(ApiError::new(
            403,
            "QuotaExceed.Tags",
            format!(
                "`{id}` would carry {} tags; at most {MAX_PER_RESOURCE} are allowed.",
                out.len()
            ),
        ));
    }
    Ok(out)
}

/// Tags for a new resource (`Tag.N` of a Create call).
pub fn from_args(args: &Args, name: &str) -> Result<Tags, ApiError> {
    let new = args.tags(name);
    check(&new)?;
    merged(&Tags::new(), &new, "the new resource")
}

/// A `Tag.N` filter of a Describe call: each key must be present, with the
/// value when one is given.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    wanted: Vec<(String, String)>,
}

impl Filter {
    pub fn from_args(args: &Args) -> Filter {
        Filter {
            wanted: args.tags("Tag"),
        }
    }

    pub fn matches(&self, tags: &Tags) -> bool {
        self.wanted
            .iter()
            .all(|(k, v)| tags.get(k).is_some_and(|have| v.is_empty() || have == v))
    }
}

/// `{"Tag":[{"TagKey":..,"TagValue":..}]}`.
pub fn render(tags: &Tags) -> Value {
    let list: Vec<Value> = tags
        .iter()
        .map(|(k, v)| json!({"TagKey": k, "TagValue": v}))
        .collect();
    json!({ "Tag": list })
}

/// The resource types `TagResources` and friends address, with the
/// resources of each in a region.
fn tags_mut<'r>(region: &'r mut Region, kind: &str, id: &str) -> Option<&'r mut Tags> {
    match kind {
        "instance" => region.instances.get_mut(id).map(|r| &mut r.tags),
        "disk" | "volume" => region.disks.get_mut(id).map(|r| &mut r.tags),
        "snapshot" => region.snapshots.get_mut(id).map(|r| &mut r.tags),
        "image" => region.images.get_mut(id).map(|r| &mut r.tags),
        "securitygroup" => region.security_groups.get_mut(id).map(|r| &mut r.tags),
        "keypair" => region.key_pairs.get_mut(id).map(|r| &mut r.tags),
        "eni" => region.enis.get_mut(id).map(|r| &mut r.tags),
        _ => None,
    }
}

/// Every resource of `kind`: (order key, id, tags).
fn all_of<'r>(region: &'r Region, kind: &str) -> Vec<(String, &'r str, &'r Tags)> {
    fn each<'r, T>(
        map: &'r BTreeMap<String, T>,
        part: impl Fn(&'r T) -> (u64, &'r Tags),
    ) -> Vec<(String, &'r str, &'r Tags)> {
        map.iter()
            .map(|(id, r)| {
                let (created, tags) = part(r);
                (paging::by_creation(created, id), id.as_str(), tags)
            })
            .collect()
    }
    match kind {
        "instance" => each(&region.instances, |r| (r.created, &r.tags)),
        "disk" | "volume" => each(&region.disks, |r| (r.created, &r.tags)),
        "snapshot" => each(&region.snapshots, |r| (r.created, &r.tags)),
        "image" => each(&region.images, |r| (r.created, &r.tags)),
        "securitygroup" => each(&region.security_groups, |r| (r.created, &r.tags)),
        "keypair" => each(&region.key_pairs, |r| (r.created, &r.tags)),
        "eni" => each(&region.enis, |r| (r.created, &r.tags)),
        _ => Vec::new(),
    }
}

const KINDS: &str = "instance, disk, volume, snapshot, image, securitygroup, keypair, eni";

fn kind_of(args: &Args) -> Result<String, ApiError> {
    let kind = args.string_or("ResourceType", "").to_ascii_lowercase();
    if KINDS.split(", ").any(|k| k == kind) {
        Ok(kind)
    } else {
        Err(ApiError::new(
            404,
            "InvalidResourceType.NotFound",
            format!(
                "The resource type `{kind}` is not one the simulator tags; use one of: {KINDS}."
            ),
        ))
    }
}

/// Every id of `ResourceId.N` must be a resource of `kind`.
fn check_ids(region: &mut Region, kind: &str, ids: &[&str]) -> Result<(), ApiError> {
    match ids.iter().find(|id| tags_mut(region, kind, id).is_none()) {
        Some(id) => Err(ApiError::new(
            404,
            "InvalidResourceId.NotFound",
            format!("There is no {kind} `{id}` in this region."),
        )),
        None => Ok(()),
    }
}

pub fn tag_resources(region: &mut Region, args: &Args, _env: &Env) -> Result<Value, ApiError> {
    let kind = kind_of(args)?;
    let ids = args.list("ResourceId");
    let new = args.tags("Tag");
    check(&new)?;
    check_ids(region, &kind, &ids)?;
    let mut updated = Vec::new();
    for id in &ids {
        let tags = tags_mut(region, &kind, id)
            .map(|t| t.clone())
            .unwrap_or_default();
        updated.push(merged(&tags, &new, id).map_err(|mut e| {
            e.code = "OperationDenied.QuotaExceed";
            e.status = 400;
            e
        })?);
    }
    for (id, tags) in ids.iter().zip(updated) {
        if let Some(t) = tags_mut(region, &kind, id) {
            *t = tags;
        }
    }
    Ok(json!({}))
}

pub fn untag_resources(region: &mut Region, args: &Args, _env: &Env) -> Result<Value, ApiError> {
    let kind = kind_of(args)?;
    let ids = args.list("ResourceId");
    check_ids(region, &kind, &ids)?;
    let keys = args.list("TagKey");
    let all = args.flag("All");
    for id in &ids {
        if let Some(tags) = tags_mut(region, &kind, id) {
            if all && keys.is_empty() {
                tags.clear();
            } else {
                tags.retain(|k, _| !keys.contains(&k.as_str()));
            }
        }
    }
    Ok(json!({}))
}

pub fn list_tag_resources(region: &Region, args: &Args, _env: &Env) -> Result<Value, ApiError> {
    let kind = kind_of(args)?;
    let ids = args.list("ResourceId");
    let exact = Filter::from_args(args);
    let tag_filters: Vec<(String, Vec<String>)> = args
        .items("TagFilter")
        .iter()
        .filter_map(|f| {
            Some((
                f.string("TagKey")?,
                f.list("TagValues").iter().map(|v| v.to_string()).collect(),
            ))
        })
        .collect();
    let mut pairs = Vec::new();
    for (key, id, tags) in all_of(region, &kind) {
        let wanted = (ids.is_empty() || ids.contains(&id))
            && exact.matches(tags)
            && tag_filters.iter().all(|(k, values)| {
                tags.get(k)
                    .is_some_and(|v| values.is_empty() || values.contains(v))
            });
        if !wanted {
            continue;
        }
        for (k, v) in tags {
            pairs.push((format!("{key}/{k}"), id.to_string(), k.clone(), v.clone()));
        }
    }
    let page = paging::page(args, Limits::tokens(50), pairs, |p| p.0.clone())?;
    let list: Vec<Value> = page
        .items
        .iter()
        .map(|(_, id, k, v)| json!({"ResourceType": kind, "ResourceId": id, "TagKey": k, "TagValue": v}))
        .collect();
    Ok(json!({
        "NextToken": page.next_token,
        "TagResources": {"TagResource": list},
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn refuses_reserved_duplicate_and_overlong_keys() {
        assert_eq!(
            check(&tags(&[("aliyun-x", "v")])).unwrap_err().code,
            "InvalidTagKey.Malformed"
        );
        assert_eq!(
            check(&tags(&[("k", "v"), ("k", "w")])).unwrap_err().code,
            "Duplicate.TagKey"
        );
        let long = "x".repeat(129);
        assert_eq!(
            check(&tags(&[("k", &long)])).unwrap_err().code,
            "InvalidTagValue.Malformed"
        );
        assert!(check(&tags(&[("team", "sdk"), ("env", "")])).is_ok());
    }

    #[test]
    fn a_filter_needs_every_key_and_the_value_when_given() {
        let have: Tags = tags(&[("team", "sdk"), ("env", "prod")])
            .into_iter()
            .collect();
        let f = |list: &[(&str, &str)]| Filter { wanted: tags(list) }.matches(&have);
        assert!(f(&[("team", "sdk")]));
        assert!(f(&[("team", ""), ("env", "prod")]));
        assert!(!f(&[("team", "ops")]));
        assert!(!f(&[("owner", "")]));
    }

    #[test]
    fn more_than_twenty_tags_on_a_resource_are_refused() {
        let many: Vec<(String, String)> = (0..21).map(|i| (format!("k{i}"), "v".into())).collect();
        assert_eq!(
            merged(&Tags::new(), &many, "i-1").unwrap_err().code,
            "QuotaExceed.Tags"
        );
    }
}
