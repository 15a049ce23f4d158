//! Endpoint resolution (protocol.md section 5): explicit override, then the
//! API's region table (public network only), then its regional template
//! (for ECS `ecs{network}.{region}.aliyuncs.com`). Table and template come
//! from the generated crate's [`ApiInfo`].

use crate::{ApiInfo, Error};
use std::fmt;
use std::str::FromStr;

/// Which network the client reaches ECS through.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Network {
    #[default]
    Public,
    /// The VPC endpoint `ecs-vpc.{region}.aliyuncs.com`.
    Vpc,
}

impl FromStr for Network {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        match s.trim().to_ascii_lowercase().as_str() {
            "" | "public" => Ok(Network::Public),
            "vpc" => Ok(Network::Vpc),
            other => Err(Error::config(format!(
                "network `{other}` is not `public` or `vpc`"
            ))),
        }
    }
}

/// Where requests go: scheme and `host[:port]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    scheme: &'static str,
    authority: String,
}

impl Endpoint {
    /// Parses `host`, `host:port` or `http(s)://host[:port][/]`; no scheme
    /// means HTTPS.
    pub fn parse(s: &str) -> Result<Self, Error> {
        let bad = |why: &str| Error::config(format!("endpoint `{s}` {why}"));
        let trimmed = s.trim();
        let (scheme, rest) = match trimmed.split_once("://") {
            Some((scheme, rest)) => match scheme.to_ascii_lowercase().as_str() {
                "https" => ("https", rest),
                "http" => ("http", rest),
                _ => return Err(bad("has a scheme other than http or https")),
            },
            None => ("https", trimmed),
        };
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        if authority.is_empty() {
            return Err(bad("has no host"));
        }
        if authority.contains(['/', '?', '#', '@']) || authority.contains(char::is_whitespace) {
            return Err(bad(
                "must be a host with an optional port, without path, query or user",
            ));
        }
        let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
            let (addr, after) = v6
                .split_once(']')
                .ok_or_else(|| bad("has an unclosed `[`"))?;
            let port = match after {
                "" => None,
                p => Some(
                    p.strip_prefix(':')
                        .ok_or_else(|| bad("has text after `]`"))?,
                ),
            };
            if addr.parse::<std::net::Ipv6Addr>().is_err() {
                return Err(bad("has an invalid IPv6 address"));
            }
            ("", port)
        } else {
            match authority.split_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (authority, None),
            }
        };
        if let Some(p) = port {
            if p.parse::<u16>().map_or(true, |p| p == 0) {
                return Err(bad("has an invalid port"));
            }
        }
        let label_ok = |l: &str| {
            !l.is_empty()
                && l.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        };
        if !authority.starts_with('[') && !host.split('.').all(label_ok) {
            return Err(bad("has an invalid host name"));
        }
        Ok(Endpoint {
            scheme,
            authority: authority.to_ascii_lowercase(),
        })
    }

    pub fn scheme(&self) -> &str {
        self.scheme
    }

    /// `host[:port]`, as sent in the `Host` header.
    pub fn authority(&self) -> &str {
        &self.authority
    }

    /// `host:port`, the port explicit (443 or 80 by default), for messages
    /// about connections.
    pub fn host_port(&self) -> String {
        if self.authority.ends_with(']') || !self.authority.contains(':') {
            let port = if self.scheme == "https" { 443 } else { 80 };
            format!("{}:{port}", self.authority)
        } else {
            self.authority.clone()
        }
    }

    /// The request URL for a query string.
    pub fn url(&self, query: &str) -> String {
        format!("{}://{}/?{query}", self.scheme, self.authority)
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}", self.scheme, self.authority)
    }
}

/// Region ids are `[a-zA-Z0-9_-]+` (the legacy core's rule).
pub fn validate_region(region: &str) -> Result<(), Error> {
    if region.is_empty() {
        return Err(Error::config("the region id is empty"));
    }
    if !region
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(Error::config(format!(
            "region id `{region}` may only contain letters, digits, `-` and `_`"
        )));
    }
    Ok(())
}

/// The region of `table` closest to `region` by edit distance, if it is
/// close enough to be a typo (at most 2 edits, and fewer than half the
/// name).
pub fn closest_region<'t>(region: &str, table: &[(&'t str, &str)]) -> Option<&'t str> {
    let limit = 2.min(region.len() / 2);
    table
        .iter()
        .map(|(r, _)| (edit_distance(region, r), *r))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, r)| r)
}

/// Levenshtein distance over bytes (region ids are ASCII).
fn edit_distance(a: &str, b: &str) -> usize {
    let b = b.as_bytes();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.bytes().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitute = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

/// How a client finds its endpoint, kept to find it again for another
/// region ([`Client::with_region`](crate::Client::with_region)).
#[derive(Debug, Clone)]
pub(crate) struct Routing {
    /// An explicit endpoint: used whatever the region.
    pub override_endpoint: Option<String>,
    pub network: Network,
    /// The API's table and template; none for a client built without one.
    pub api: Option<&'static ApiInfo>,
}

impl Routing {
    /// The endpoint for `region` (section 5 order).
    pub fn resolve(&self, region: Option<&str>) -> Result<Endpoint, Error> {
        if let Some(e) = &self.override_endpoint {
            return Endpoint::parse(e);
        }
        let region = region.ok_or_else(|| {
            Error::config(
                "no region and no endpoint: set ClientBuilder::region (or ALIBABA_CLOUD_REGION_ID), \
                 e.g. `cn-hangzhou`, or ClientBuilder::endpoint (or ALIBABA_CLOUD_ECS_ENDPOINT)",
            )
        })?;
        validate_region(region)?;
        let api = self.api.ok_or_else(|| {
            Error::config(format!(
                "no endpoint for region `{region}`: the client was built without an API \
                 (ClientBuilder::api, which `ecs_api::Client::builder()` sets); \
                 set ClientBuilder::endpoint (or ALIBABA_CLOUD_ECS_ENDPOINT)"
            ))
        })?;
        if self.network == Network::Public {
            if let Some((_, host)) = api.endpoints.iter().find(|(r, _)| *r == region) {
                return Endpoint::parse(host);
            }
        }
        let network = match self.network {
            Network::Public => "",
            Network::Vpc => "-vpc",
        };
        let template = api.endpoint_template;
        if !template.contains("{region}") {
            return Err(Error::config(format!(
                "the API's endpoint template `{template}` has no `{{region}}`"
            )));
        }
        Endpoint::parse(
            &template
                .replace("{network}", network)
                .replace("{region}", region),
        )
    }

    /// The API's region table (empty without an API).
    pub fn table(&self) -> &'static [(&'static str, &'static str)] {
        self.api.map_or(&[], |api| api.endpoints)
    }

    /// Whether `region`'s endpoint came from the template because the
    /// region is missing from a non-empty endpoint table.
    pub fn is_unlisted(&self, region: &str) -> bool {
        let table = self.table();
        self.override_endpoint.is_none()
            && !table.is_empty()
            && !table.iter().any(|(r, _)| *r == region)
    }
}

#[cfg(test)]
mod tests;
