//! Security groups and their rules, and instances joining and leaving
//! them. Each region has a `default` group in its default VPC, made on
//! first use, for instances created without one.

use super::args::Args;
use super::clock::{iso_seconds, Millis};
use super::errors::ApiError;
use super::ids;
use super::paging::{self, Limits};
use super::state::{get, Region};
use super::tags::{self, Tags};
use super::Env;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// Rules one group may hold (`AuthorizationLimitExceed` beyond).
const MAX_RULES: usize = 200;
/// Groups one instance may be in.
const MAX_GROUPS_PER_INSTANCE: usize = 5;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct SecurityGroup {
    pub id: String,
    pub name: String,
    pub description: String,
    pub vpc_id: String,
    /// `normal` or `enterprise`.
    pub kind: String,
    pub created: Millis,
    pub tags: Tags,
    pub rules: Vec<Rule>,
    #[serde(default)]
    pub resource_group: String,
}

/// One permission. Fields hold the wire values (`TCP`, `22/22`, `Accept`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Rule {
    pub id: String,
    /// `ingress` or `egress`.
    pub direction: String,
    pub protocol: String,
    pub port_range: String,
    pub source_port_range: String,
    pub source_cidr: String,
    pub dest_cidr: String,
    pub ipv6_source_cidr: String,
    pub ipv6_dest_cidr: String,
    pub source_group: String,
    pub dest_group: String,
    pub source_prefix_list: String,
    pub dest_prefix_list: String,
    pub policy: String,
    pub priority: String,
    pub nic_type: String,
    pub description: String,
    pub created: Millis,
}

impl Rule {
    /// Two rules that allow the same traffic are one rule.
    fn same_traffic(&self, other: &Rule) -> bool {
        let key = |r: &'_ Rule| {
            [
                &r.direction,
                &r.protocol,
                &r.port_range,
                &r.source_port_range,
                &r.source_cidr,
                &r.dest_cidr,
                &r.ipv6_source_cidr,
                &r.ipv6_dest_cidr,
                &r.source_group,
                &r.dest_group,
                &r.source_prefix_list,
                &r.dest_prefix_list,
                &r.policy,
                &r.priority,
                &r.nic_type,
            ]
            .map(String::clone)
        };
        key(self) == key(other)
    }
}

impl Region {
    /// The `default` group of the default VPC, made if missing.
    pub fn default_security_group(&mut self, env: &Env) -> String {
        let vpc = self.default_vpc(env);
        if let Some(sg) = self
            .security_groups
            .values()
            .find(|g| g.vpc_id == vpc && g.name == "default")
        {
            return sg.id.clone();
        }
        let sg = new_group(
            env,
            "default",
            "System created security group.",
            &vpc,
            "normal",
            Tags::new(),
        );
        let id = sg.id.clone();
        self.security_groups.insert(id.clone(), sg);
        id
    }

    /// Checks that `ids` are groups of one VPC, which is returned.
    pub fn groups_of_one_vpc(&self, ids: &[String]) -> Result<String, ApiError> {
        let mut vpc: Option<&str> = None;
        for id in ids {
            let sg = self.group(id)?;
            match vpc {
                Some(v) if v != sg.vpc_id => {
                    return Err(ApiError::new(
                        404,
                        "InvalidSecurityGroupVpc.NotBelongToOneVpc",
                        format!(
                            "The security groups {} are in different VPCs.",
                            ids.join(", ")
                        ),
                    ))
                }
                _ => vpc = Some(&sg.vpc_id),
            }
        }
        Ok(vpc.unwrap_or_default().to_string())
    }
}

fn new_group(
    env: &Env,
    name: &str,
    description: &str,
    vpc: &str,
    kind: &str,
    tags: Tags,
) -> SecurityGroup {
    SecurityGroup {
        id: ids::resource("sg-", env.region.code),
        name: name.to_string(),
        description: description.to_string(),
        vpc_id: vpc.to_string(),
        kind: kind.to_string(),
        created: env.now,
        tags,
        rules: Vec::new(),
        resource_group: String::new(),
    }
}

pub fn create(region: &mut Region, args: &Args, env: &Env) -> Result<Value, ApiError> {
    let tags = tags::from_args(args, "Tag")?;
    let vpc = match args.str("VpcId") {
        Some(id) => get(&region.vpcs, id, "InvalidVpcId.NotFound", "VPC")?
            .id
            .clone(),
        None => region.default_vpc(env),
    };
    let mut sg = new_group(
        env,
        &args.string_or("SecurityGroupName", ""),
        &args.string_or("Description", ""),
        &vpc,
        &args.string_or("SecurityGroupType", "normal"),
        tags,
    );
    sg.resource_group = args.string_or("ResourceGroupId", "");
    let body = json!({"SecurityGroupId": sg.id});
    region.security_groups.insert(sg.id.clone(), sg);
    Ok(body)
}

pub fn delete(region: &mut Region, args: &Args, _env: &Env) -> Result<Value, ApiError> {
    let id = args.string_or("SecurityGroupId", "");
    get(
        &region.security_groups,
        &id,
        "InvalidSecurityGroup.NotFound",
        "security group",
    )?;
    let instances = region
        .instances
        .values()
        .map(|i| ("instance", &i.id, &i.security_groups));
    let enis = region
        .enis
        .values()
        .map(|e| ("network interface", &e.id, &e.security_groups));
    if let Some((what, holder, _)) = instances.chain(enis).find(|(_, _, g)| g.contains(&id)) {
        return Err(ApiError::new(
            403,
            "DependencyViolation",
            format!("The security group `{id}` still holds {what} `{holder}`."),
        ));
    }
    region.security_groups.remove(&id);
    Ok(json!({}))
}

fn members(region: &Region, id: &str) -> usize {
    region
        .instances
        .values()
        .filter(|i| i.security_groups.iter().any(|g| g == id))
        .count()
}

pub fn describe(region: &Region, args: &Args, env: &Env) -> Result<Value, ApiError> {
    let ids = args.json_list("SecurityGroupIds");
    let one = args.str("SecurityGroupId");
    let vpc = args.str("VpcId");
    let name = args.str("SecurityGroupName");
    let fuzzy = args.flag("FuzzyQuery");
    let kind = args.str("SecurityGroupType");
    let tag_filter = tags::Filter::from_args(args);
    let list: Vec<&SecurityGroup> = region
        .security_groups
        .values()
        .filter(|g| ids.as_ref().is_none_or(|ids| ids.contains(&g.id)))
        .filter(|g| one.is_none_or(|id| g.id == id))
        .filter(|g| vpc.is_none_or(|v| g.vpc_id == v))
        .filter(|g| {
            name.is_none_or(|n| {
                if fuzzy {
                    g.name.contains(n)
                } else {
                    g.name == n
                }
            })
        })
        .filter(|g| kind.is_none_or(|k| g.kind == k))
        .filter(|g| tag_filter.matches(&g.tags))
        .collect();
    let page = paging::page(args, Limits::new(10, 100), list, |g| {
        paging::by_creation(g.created, &g.id)
    })?;
    let groups: Vec<Value> = page
        .items
        .iter()
        .map(|g| {
            let count = members(region, &g.id);
            json!({
                "SecurityGroupId": g.id,
                "SecurityGroupName": g.name,
                "Description": g.description,
                "SecurityGroupType": g.kind,
                "VpcId": g.vpc_id,
                "CreationTime": iso_seconds(g.created),
                "EcsCount": count,
                "AvailableInstanceAmount": 2000usize.saturating_sub(count),
                "ResourceGroupId": g.resource_group,
                "ServiceManaged": false,
                "ServiceID": 0,
                "Tags": tags::render(&g.tags),
            })
        })
        .collect();
    Ok(super::join([
        page.counts_and_token(),
        json!({"RegionId": env.region.id, "SecurityGroups": {"SecurityGroup": groups}}),
    ]))
}

pub fn describe_attribute(region: &Region, args: &Args, env: &Env) -> Result<Value, ApiError> {
    let id = args.string_or("SecurityGroupId", "");
    let sg = region.group(&id)?;
    let direction = args.string_or("Direction", "all");
    let nic = args.str("NicType");
    // Rules are listed in the order they were added.
    let rules: Vec<(usize, &Rule)> = sg
        .rules
        .iter()
        .enumerate()
        .filter(|(_, r)| direction == "all" || r.direction == direction)
        .filter(|(_, r)| nic.is_none_or(|n| r.nic_type == n))
        .collect();
    let page = paging::page(args, Limits::new(100, 1000), rules, |(n, r)| {
        paging::by_creation(r.created, &format!("{n:06}"))
    })?;
    let name_of = |gid: &str| {
        region
            .security_groups
            .get(gid)
            .map_or(String::new(), |g| g.name.clone())
    };
    let owner = |gid: &str| {
        if gid.is_empty() {
            String::new()
        } else {
            super::ACCOUNT_ID.to_string()
        }
    };
    let permissions: Vec<Value> = page
        .items
        .iter()
        .map(|(_, r)| {
            json!({
                "SecurityGroupRuleId": r.id,
                "Direction": r.direction,
                "IpProtocol": r.protocol,
                "PortRange": r.port_range,
                "SourcePortRange": r.source_port_range,
                "SourceCidrIp": r.source_cidr,
                "DestCidrIp": r.dest_cidr,
                "Ipv6SourceCidrIp": r.ipv6_source_cidr,
                "Ipv6DestCidrIp": r.ipv6_dest_cidr,
                "SourceGroupId": r.source_group,
                "SourceGroupName": name_of(&r.source_group),
                "SourceGroupOwnerAccount": owner(&r.source_group),
                "DestGroupId": r.dest_group,
                "DestGroupName": name_of(&r.dest_group),
                "DestGroupOwnerAccount": owner(&r.dest_group),
                "SourcePrefixListId": r.source_prefix_list,
                "SourcePrefixListName": "",
                "DestPrefixListId": r.dest_prefix_list,
                "DestPrefixListName": "",
                "Policy": r.policy,
                "Priority": r.priority,
                "NicType": r.nic_type,
                "Description": r.description,
                "CreateTime": iso_seconds(r.created),
            })
        })
        .collect();
    Ok(json!({
        "RegionId": env.region.id,
        "SecurityGroupId": sg.id,
        "SecurityGroupName": sg.name,
        "Description": sg.description,
        "VpcId": sg.vpc_id,
        "InnerAccessPolicy": if sg.kind == "enterprise" { "Drop" } else { "Accept" },
        "NextToken": page.next_token,
        "Permissions": {"Permission": permissions},
    }))
}

/// What a rule matches: the fields that make one, at the top level of a
/// legacy call or in each `Permissions.N`.
pub(crate) const RULE_MATCH: [&str; 6] = [
    "IpProtocol",
    "PortRange",
    "SourceCidrIp",
    "DestCidrIp",
    "SourceGroupId",
    "DestGroupId",
];

/// What a rule does besides what it matches.
pub(crate) const RULE_EXTRA: [&str; 3] = ["Policy", "Priority", "Description"];

/// The rules a call describes: its `Permissions.N` items, or the legacy
/// top-level fields; not both.
fn rules_of(args: &Args, direction: &str, env: &Env) -> Result<Vec<Rule>, ApiError> {
    let items = args.items("Permissions");
    let legacy = RULE_MATCH.iter().any(|n| args.str(n).is_some());
    if !items.is_empty() && legacy {
        return Err(ApiError::invalid(
            "InvalidParam.Permissions",
            "Give the rules either as Permissions.N or as top-level fields, not both.",
        ));
    }
    let sources = if items.is_empty() {
        vec![args.clone()]
    } else {
        items
    };
    let rules: Vec<Rule> = sources
        .iter()
        .map(|a| rule(a, direction, env))
        .collect::<Result<_, _>>()?;
    for (i, r) in rules.iter().enumerate() {
        if rules[..i].iter().any(|o| o.same_traffic(r)) {
            return Err(ApiError::invalid(
                "InvalidParam.DuplicatePermissions",
                "Two of the given permissions are the same rule.",
            ));
        }
    }
    Ok(rules)
}

fn rule(a: &Args, direction: &str, env: &Env) -> Result<Rule, ApiError> {
    let protocol = a.string_or("IpProtocol", "ALL").to_ascii_uppercase();
    let any_port = matches!(protocol.as_str(), "ICMP" | "ICMPV6" | "GRE" | "ALL");
    // Protocols without ports cover them all, whatever range is given.
    let port_range = if any_port {
        "-1/-1".to_string()
    } else {
        a.string_or("PortRange", "")
    };
    let ports_ok = any_port
        || match port_range.split_once('/') {
            Some((from, to)) => match (from.parse::<u16>(), to.parse::<u16>()) {
                (Ok(f), Ok(t)) => f >= 1 && f <= t,
                _ => false,
            },
            None => false,
        };
    if !["TCP", "UDP", "ICMP", "ICMPV6", "GRE", "ALL"].contains(&protocol.as_str()) || !ports_ok {
        return Err(ApiError::invalid(
            "OperationDenied",
            format!("IpProtocol `{protocol}` with PortRange `{port_range}` is not a rule: TCP and UDP take from/to ports (22/22), the others -1/-1."),
        ));
    }
    Ok(Rule {
        id: ids::resource("sgr-", env.region.code),
        direction: direction.to_string(),
        protocol,
        port_range,
        source_port_range: a.string_or("SourcePortRange", ""),
        source_cidr: a.string_or("SourceCidrIp", ""),
        dest_cidr: a.string_or("DestCidrIp", ""),
        ipv6_source_cidr: a.string_or("Ipv6SourceCidrIp", ""),
        ipv6_dest_cidr: a.string_or("Ipv6DestCidrIp", ""),
        source_group: a.string_or("SourceGroupId", ""),
        dest_group: a.string_or("DestGroupId", ""),
        source_prefix_list: a.string_or("SourcePrefixListId", ""),
        dest_prefix_list: a.string_or("DestPrefixListId", ""),
        policy: match a
            .string_or("Policy", "accept")
            .to_ascii_lowercase()
            .as_str()
        {
            "drop" => "Drop".into(),
            _ => "Accept".into(),
        },
        priority: a.string_or("Priority", "1"),
        nic_type: a.string_or("NicType", "intranet"),
        description: a.string_or("Description", ""),
        created: env.now,
    })
}

/// `AuthorizeSecurityGroup` (`direction` `ingress`) and
/// `AuthorizeSecurityGroupEgress` (`egress`).
pub(crate) fn authorize(
    region: &mut Region,
    args: &Args,
    env: &Env,
    direction: &str,
) -> Result<Value, ApiError> {
    let id = args.string_or("SecurityGroupId", "");
    let new = rules_of(args, direction, env)?;
    let (peer_code, peer_what) = if direction == "ingress" {
        ("InvalidSourceGroupId.NotFound", "source security group")
    } else {
        ("InvalidDestGroupId.NotFound", "destination security group")
    };
    for r in &new {
        let peer = if direction == "ingress" {
            &r.source_group
        } else {
            &r.dest_group
        };
        if !peer.is_empty() {
            get(&region.security_groups, peer, peer_code, peer_what)?;
        }
    }
    let sg = region.group_mut(&id)?;
    // Authorizing a rule the group already has changes nothing, as the service does.
    let fresh: Vec<Rule> = new
        .into_iter()
        .filter(|r| !sg.rules.iter().any(|o| o.same_traffic(r)))
        .collect();
    if sg.rules.len() + fresh.len() > MAX_RULES {
        return Err(ApiError::new(
            403,
            "AuthorizationLimitExceed",
            format!("The security group `{id}` would hold more than {MAX_RULES} rules."),
        ));
    }
    sg.rules.extend(fresh);
    Ok(json!({}))
}

/// `RevokeSecurityGroup` (`direction` `ingress`) and
/// `RevokeSecurityGroupEgress` (`egress`).
pub(crate) fn revoke(
    region: &mut Region,
    args: &Args,
    env: &Env,
    direction: &str,
) -> Result<Value, ApiError> {
    let id = args.string_or("SecurityGroupId", "");
    let sg = region.group_mut(&id)?;
    let by_id = args.list("SecurityGroupRuleId");
    if !by_id.is_empty() {
        if let Some(missing) = by_id.iter().find(|rid| {
            !sg.rules
                .iter()
                .any(|r| r.id == **rid && r.direction == direction)
        }) {
            return Err(ApiError::not_found(
                "InvalidSecurityGroupRuleId.NotFound",
                "security group rule",
                missing,
            ));
        }
        sg.rules.retain(|r| !by_id.contains(&r.id.as_str()));
        return Ok(json!({}));
    }
    let gone = rules_of(args, direction, env)?;
    if let Some(r) = gone
        .iter()
        .find(|g| !sg.rules.iter().any(|r| r.same_traffic(g)))
    {
        return Err(ApiError::invalid(
            "InvalidSecurityGroupRule.RuleNotExist",
            format!(
                "The security group `{id}` has no {direction} rule for {} {}.",
                r.protocol, r.port_range
            ),
        ));
    }
    sg.rules.retain(|r| !gone.iter().any(|g| g.same_traffic(r)));
    Ok(json!({}))
}

/// The groups of the instance or network interface a Join/Leave call names.
fn membership<'r>(
    region: &'r mut Region,
    args: &Args,
) -> Result<(&'r mut Vec<String>, String), ApiError> {
    match (args.str("InstanceId"), args.str("NetworkInterfaceId")) {
        (Some(id), _) => {
            let i = region.instance_mut(id)?;
            Ok((&mut i.security_groups, i.vpc_id.clone()))
        }
        (None, Some(id)) => {
            let e = region.eni_mut(id)?;
            Ok((&mut e.security_groups, e.vpc_id.clone()))
        }
        (None, None) => Err(ApiError::missing("InstanceId")),
    }
}

pub fn join(region: &mut Region, args: &Args, _env: &Env) -> Result<Value, ApiError> {
    let sg_id = args.string_or("SecurityGroupId", "");
    let sg_vpc = region.group(&sg_id)?.vpc_id.clone();
    let (groups, vpc) = membership(region, args)?;
    if groups.contains(&sg_id) {
        return Err(ApiError::new(
            403,
            "InvalidInstanceId.AlreadyExists",
            format!("It is already in the security group `{sg_id}`."),
        ));
    }
    if vpc != sg_vpc {
        return Err(ApiError::invalid(
            "InvalidInstanceId.Mismatch",
            format!("The security group `{sg_id}` is in VPC `{sg_vpc}`, not in `{vpc}`."),
        ));
    }
    if groups.len() >= MAX_GROUPS_PER_INSTANCE {
        return Err(ApiError::invalid(
            "InstanceSecurityGroupLimitExceeded",
            format!("It is already in {MAX_GROUPS_PER_INSTANCE} security groups."),
        ));
    }
    groups.push(sg_id);
    Ok(json!({}))
}

pub fn leave(region: &mut Region, args: &Args, _env: &Env) -> Result<Value, ApiError> {
    let sg_id = args.string_or("SecurityGroupId", "");
    region.group(&sg_id)?;
    let (groups, _) = membership(region, args)?;
    if !groups.contains(&sg_id) {
        return Err(ApiError::invalid(
            "InvalidSecurityGroupAssociation.NotFound",
            format!("It is not in the security group `{sg_id}`"),
        ));
    }
    groups.retain(|g| *g != sg_id);
    Ok(json!({}))
}
