//! Instances: creating them (`RunInstances` with `Amount`/`MinAmount`,
//! `CreateInstance`), their lifecycle (`Pending -> Starting -> Running`,
//! `Stopping -> Stopped`), changing them, releasing them, and the three
//! Describe calls. A new instance gets its system and data disks, its
//! primary network interface (and any secondary ones) and an address from
//! its vSwitch; releasing it returns what goes with it.

use super::args::Args;
use super::clock::{add_months, iso_minutes, parse_iso, Millis, Timeline};
use super::disks::{self, DiskSpec, NEVER};
use super::errors::ApiError;
use super::ids;
use super::images;
use super::instance_types;
use super::key_pairs::wildcard;
use super::network_interfaces::{self, Eni, EniSpec};
use super::paging::{self, Limits};
use super::regions;
use super::state::Region;
use super::tags::{self, Tags};
use super::Env;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Instance {
    pub id: String,
    pub name: String,
    pub description: String,
    pub host_name: String,
    pub zone: String,
    pub instance_type: String,
    pub image_id: String,
    pub os_type: String,
    pub os_name: String,
    pub vpc_id: String,
    pub vswitch_id: String,
    /// The primary interface's address.
    pub private_ip: String,
    pub public_ip: String,
    pub security_groups: Vec<String>,
    pub key_pair: Option<String>,
    /// `PostPaid` or `PrePaid`.
    pub charge: String,
    pub expires: Millis,
    pub auto_renew: bool,
    pub renew_duration: i64,
    pub renew_unit: String,
    pub renewal_status: String,
    pub spot_strategy: String,
    pub spot_price_limit: f64,
    pub spot_duration: i64,
    pub spot_interruption: String,
    pub internet_charge: String,
    pub bandwidth_out: i64,
    pub bandwidth_in: i64,
    pub created: Millis,
    pub started: Millis,
    /// `Pending`, `Starting`, `Running`, `Stopping`, `Stopped`.
    pub lifecycle: Timeline,
    pub stopped_mode: String,
    pub auto_release: Option<Millis>,
    pub deletion_protection: bool,
    pub tags: Tags,
    pub serial: String,
    pub user_data: String,
    pub resource_group: String,
    pub credit_specification: String,
    pub hibernation: bool,
    pub http_endpoint: String,
    pub http_tokens: String,
    pub deployment_set: String,
}

const RUNNING: &[&str] = &["Pending", "Starting", "Running"];

impl Instance {
    pub fn status<'a>(&'a self, env: &Env) -> &'a str {
        self.lifecycle.status(env.now)
    }

    /// `IncorrectInstanceStatus` unless the instance is Running or Stopped
    /// (what operations on a settled instance need).
    pub fn settled(&self, env: &Env) -> Result<(), ApiError> {
        match self.status(env) {
            "Running" | "Stopped" => Ok(()),
            _ => Err(incorrect(self, env, "Running or Stopped")),
        }
    }
}

fn incorrect(i: &Instance, env: &Env, needs: &str) -> ApiError {
    ApiError::status(
        "IncorrectInstanceStatus",
        "instance",
        &i.id,
        i.status(env),
        needs,
    )
}

fn hourly_price(instance_type: &str) -> f64 {
    let spec = instance_types::parse(instance_type);
    spec.map_or(0.0, |s| {
        s.cpu as f64 * 0.06 + s.memory as f64 / 1024.0 * 0.009
    })
}

fn rounded(price: f64) -> f64 {
    (price * 1000.0).round() / 1000.0
}

/// `Period` in `PeriodUnit` (Week, Month or Year) after `from`.
fn after_period(from: Millis, period: i64, unit: &str) -> Millis {
    let period = period.max(1) as u32;
    match unit {
        "Week" | "week" => from + u64::from(period) * 7 * 86_400_000,
        "Year" | "year" => add_months(from, 12 * period),
        _ => add_months(from, period),
    }
}

/// The validated plan of one `RunInstances` or `CreateInstance` call.
struct Plan {
    zone: String,
    vswitch_id: String,
    vpc_id: String,
    security_groups: Vec<String>,
    instance_type: String,
    image: images::Image,
    system_disk: (DiskSpec, i64),
    data_disks: Vec<(DiskSpec, i64)>,
    primary_ip: Option<String>,
    secondary_enis: Vec<Secondary>,
    charge: String,
    expires: Millis,
    auto_renew: bool,
    renew_duration: i64,
    spot_strategy: String,
    spot_price_limit: f64,
    key_pair: Option<String>,
    tags: Tags,
}

enum Secondary {
    New(Box<EniSpec>),
    Existing(String),
}

fn plan(region: &mut Region, args: &Args, env: &Env) -> Result<Plan, ApiError> {
    let nics = args.items("NetworkInterface");
    let primary_nic = nics.iter().find(|n| {
        n.str("InstanceType")
            .is_none_or(|t| t.eq_ignore_ascii_case("Primary"))
            && n.str("NetworkInterfaceId").is_none()
    });
    // Where: the vSwitch named (at the top or on the primary interface),
    // else the zone's default vSwitch.
    let vswitch_arg = args
        .string("VSwitchId")
        .or_else(|| primary_nic.and_then(|n| n.string("VSwitchId")));
    let zone_arg = args.string("ZoneId");
    let spot = args.string_or("SpotStrategy", "NoSpot");
    if spot != "NoSpot" && vswitch_arg.is_none() && zone_arg.is_none() {
        return Err(ApiError::invalid(
            "InvalidSpotParam.EmptyZoneID",
            "A spot instance needs ZoneId or VSwitchId.",
        ));
    }
    let vswitch_id = match (&vswitch_arg, &zone_arg) {
        (Some(v), _) => v.clone(),
        (None, Some(zone)) => {
            regions::zone_in(env.region, zone)?;
            region.default_vswitch(zone, env)
        }
        (None, None) => region.default_vswitch(&env.region.first_zone(), env),
    };
    let vsw = region.usable_vswitch(&vswitch_id, env)?;
    let (zone, vpc_id) = (vsw.zone.clone(), vsw.vpc_id.clone());
    if let Some(z) = zone_arg.filter(|z| *z != zone) {
        return Err(ApiError::invalid(
            "InvalidParameter",
            format!("The vSwitch `{vswitch_id}` is in {zone}, not in the ZoneId given, {z}."),
        ));
    }

    let mut security_groups: Vec<String> = args
        .list("SecurityGroupIds")
        .iter()
        .map(|s| s.to_string())
        .collect();
    security_groups.extend(args.string("SecurityGroupId"));
    if security_groups.is_empty() {
        if let Some(n) = primary_nic {
            security_groups.extend(n.list("SecurityGroupIds").iter().map(|s| s.to_string()));
            security_groups.extend(n.string("SecurityGroupId"));
        }
    }
    security_groups.dedup();
    if security_groups.is_empty() {
        if region.vpcs.get(&vpc_id).is_some_and(|v| v.is_default) {
            security_groups.push(region.default_security_group(env));
        } else {
            return Err(ApiError::missing("SecurityGroupId"));
        }
    }
    let group_vpc = region.groups_of_one_vpc(&security_groups)?;
    if group_vpc != vpc_id {
        return Err(ApiError::invalid(
            "InvalidParameter.Mismatch",
            format!("The security groups are in VPC `{group_vpc}` and the vSwitch `{vswitch_id}` in `{vpc_id}`."),
        ));
    }

    let image_id = args
        .string("ImageId")
        .ok_or_else(|| ApiError::missing("ImageId"))?;
    let image = region.usable_image(&image_id, env)?;
    let instance_type = args
        .string("InstanceType")
        .ok_or_else(|| ApiError::missing("InstanceType"))?;
    instance_types::known(&instance_type)?;
    if env.out_of_stock(&instance_type) {
        return Err(no_stock(&instance_type, &zone));
    }

    let charge = args.string_or("InstanceChargeType", "PostPaid");
    if charge == "PrePaid" && spot != "NoSpot" {
        return Err(ApiError::invalid(
            "InvalidSpotPrepaid",
            "A spot instance is pay-as-you-go; drop InstanceChargeType=PrePaid or SpotStrategy.",
        ));
    }
    let spot_price_limit = args.num("SpotPriceLimit").unwrap_or(0.0);
    if spot == "SpotWithPriceLimit" && spot_price_limit <= 0.0 {
        return Err(ApiError::invalid(
            "InvalidSpotPriceLimit",
            "SpotWithPriceLimit needs a SpotPriceLimit above 0.",
        ));
    }
    let expires = if charge == "PrePaid" {
        let period = args.int("Period").ok_or_else(|| {
            ApiError::invalid(
                "MissingParamter",
                "A subscription (PrePaid) instance needs Period.",
            )
        })?;
        after_period(env.now, period, &args.string_or("PeriodUnit", "Month"))
    } else {
        NEVER
    };

    let key_pair = args.string("KeyPairName");
    if let Some(k) = &key_pair {
        region.key_pair(k)?;
        if image.os_type == "windows" {
            return Err(ApiError::new(
                403,
                "DependencyViolation.WindowsInstance",
                "A Windows instance logs in with a password, not an SSH key pair.",
            ));
        }
    }

    let system = args.object("SystemDisk");
    let system_spec = DiskSpec {
        zone: zone.clone(),
        name: system.string_or("DiskName", ""),
        description: system.string_or("Description", ""),
        category: system.string_or("Category", "cloud_efficiency"),
        performance_level: system.string_or("PerformanceLevel", ""),
        size: Some(system.int("Size").unwrap_or(image.size.max(40))),
        image_id: image.id.clone(),
        kind: "system".into(),
        delete_with_instance: true,
        charge: charge.clone(),
        expires,
        ..DiskSpec::default()
    };
    if system_spec.size.unwrap_or(0) < image.size {
        return Err(ApiError::new(
            404,
            "InvalidSystemDiskSize.LessThanImageSize",
            format!(
                "The system disk must be at least the image's {} GiB.",
                image.size
            ),
        ));
    }
    let system_size = region.disk_size(&system_spec, env)?;
    let data_items = args.items("DataDisk");
    if data_items.len() > disks::MAX_DATA_DISKS {
        return Err(ApiError::invalid(
            "InstanceDiskNumber.LimitExceed",
            format!("At most {} data disks.", disks::MAX_DATA_DISKS),
        ));
    }
    let mut data_disks = Vec::new();
    for d in &data_items {
        let spec = DiskSpec {
            charge: charge.clone(),
            expires,
            ..DiskSpec::data_disk(d, &zone)
        };
        let size = region.disk_size(&spec, env)?;
        data_disks.push((spec, size));
    }

    let mut secondary_enis = Vec::new();
    for n in nics.iter().filter(|n| {
        n.str("InstanceType")
            .is_some_and(|t| t.eq_ignore_ascii_case("Secondary"))
            || n.str("NetworkInterfaceId").is_some()
    }) {
        if let Some(existing) = n.string("NetworkInterfaceId") {
            let eni = region.eni(&existing)?;
            if eni.instance.is_some() || eni.lifecycle.status(env.now) != "Available" {
                return Err(ApiError::status(
                    "InvalidOperation.InvalidEniState",
                    "network interface",
                    &existing,
                    eni.lifecycle.status(env.now),
                    "Available",
                ));
            }
            if eni.zone != zone || eni.vpc_id != vpc_id {
                return Err(ApiError::new(
                    403,
                    "InvalidOperation.AvailabilityZoneMismatch",
                    format!(
                        "The network interface `{existing}` is in {}, the instance in {zone}.",
                        eni.zone
                    ),
                ));
            }
            secondary_enis.push(Secondary::Existing(existing));
            continue;
        }
        let mut groups: Vec<String> = n
            .list("SecurityGroupIds")
            .iter()
            .map(|s| s.to_string())
            .collect();
        groups.extend(n.string("SecurityGroupId"));
        if groups.is_empty() {
            groups = security_groups.clone();
        }
        secondary_enis.push(Secondary::New(Box::new(EniSpec {
            vswitch_id: n.string("VSwitchId").unwrap_or_else(|| vswitch_id.clone()),
            security_groups: groups,
            primary_ip: n
                .string("PrimaryIpAddress")
                .filter(|ip| !network_interfaces::masked(ip)),
            ipv6: n
                .list("Ipv6Address")
                .iter()
                .map(|s| s.to_string())
                .collect(),
            ipv6_count: n.int("Ipv6AddressCount").unwrap_or(0).max(0) as usize,
            name: n.string_or("NetworkInterfaceName", ""),
            description: n.string_or("Description", ""),
            kind: "Secondary".into(),
            delete_on_release: n.bool("DeleteOnRelease").unwrap_or(true),
            queue_number: n.int("QueueNumber").unwrap_or(1),
            traffic_mode: n.string_or("NetworkInterfaceTrafficMode", "Standard"),
            ..EniSpec::default()
        })));
    }
    let primary_ip = args
        .string("PrivateIpAddress")
        .or_else(|| primary_nic.and_then(|n| n.string("PrimaryIpAddress")))
        .filter(|ip| !network_interfaces::masked(ip));

    Ok(Plan {
        zone,
        vswitch_id,
        vpc_id,
        security_groups,
        instance_type,
        image,
        system_disk: (system_spec, system_size),
        data_disks,
        primary_ip,
        secondary_enis,
        charge,
        expires,
        auto_renew: args.flag("AutoRenew"),
        renew_duration: args.int("AutoRenewPeriod").unwrap_or(1),
        spot_strategy: spot,
        spot_price_limit,
        key_pair,
        tags: tags::from_args(args, "Tag")?,
    })
}

fn no_stock(instance_type: &str, zone: &str) -> ApiError {
    ApiError::new(
        403,
        "OperationDenied.NoStock",
        format!("{instance_type} is sold out in {zone}."),
    )
}

/// Makes one instance of `plan`; `nth` of `count` numbers its names.
fn launch(
    region: &mut Region,
    plan: &Plan,
    args: &Args,
    env: &Env,
    nth: usize,
    count: usize,
    lifecycle: &[&str],
) -> Result<String, ApiError> {
    let id = ids::resource("i-", env.region.code);
    let suffix = if count > 1 && args.flag("UniqueSuffix") {
        format!("{:03}", nth + 1)
    } else {
        String::new()
    };
    let name = args
        .string("InstanceName")
        .map_or_else(|| id.clone(), |n| format!("{n}{suffix}"));
    let host_names = args.list("HostNames");
    let host_name = host_names
        .get(nth)
        .map(|h| h.to_string())
        .or_else(|| args.string("HostName").map(|h| format!("{h}{suffix}")))
        .unwrap_or_else(|| format!("iZ{}Z", &id[2..]));

    let system = region.create_disk(plan.system_disk.0.clone(), plan.system_disk.1, env);
    let mut disk_ids = vec![system];
    for (spec, size) in &plan.data_disks {
        disk_ids.push(region.create_disk(spec.clone(), *size, env));
    }
    let primary = region.create_eni(
        EniSpec {
            vswitch_id: plan.vswitch_id.clone(),
            security_groups: plan.security_groups.clone(),
            primary_ip: plan.primary_ip.clone().filter(|_| count == 1),
            kind: "Primary".into(),
            delete_on_release: true,
            queue_number: 1,
            traffic_mode: "Standard".into(),
            ..EniSpec::default()
        },
        env,
    )?;
    let mut eni_ids = vec![primary.clone()];
    for secondary in &plan.secondary_enis {
        eni_ids.push(match secondary {
            Secondary::New(spec) => region.create_eni((**spec).clone(), env)?,
            Secondary::Existing(id) => id.clone(),
        });
    }
    let in_use = |status: &str| Timeline::settled(env.now, status);
    for disk in &disk_ids {
        region.plug_disk(disk, &id, in_use("In_use"), env.now);
    }
    for eni in &eni_ids {
        region.plug_eni(eni, &id, in_use("InUse"));
    }
    let private_ip = region.enis[&primary].primary_ip.clone();
    let bandwidth_out = args.int("InternetMaxBandwidthOut").unwrap_or(0);
    let public_ip = if bandwidth_out > 0 {
        let b = uuid::Uuid::new_v4().into_bytes();
        format!("47.{}.{}.{}", 90 + b[0] % 30, b[1], b[2].max(1))
    } else {
        String::new()
    };
    let spot = plan.spot_strategy != "NoSpot";
    let instance = Instance {
        id: id.clone(),
        name,
        description: args.string_or("Description", ""),
        host_name,
        zone: plan.zone.clone(),
        instance_type: plan.instance_type.clone(),
        image_id: plan.image.id.clone(),
        os_type: plan.image.os_type.clone(),
        os_name: plan.image.os_name.clone(),
        vpc_id: plan.vpc_id.clone(),
        vswitch_id: plan.vswitch_id.clone(),
        private_ip,
        public_ip,
        security_groups: plan.security_groups.clone(),
        key_pair: plan.key_pair.clone(),
        charge: plan.charge.clone(),
        expires: plan.expires,
        auto_renew: plan.auto_renew,
        renew_duration: plan.renew_duration,
        renew_unit: "Month".into(),
        renewal_status: if plan.auto_renew {
            "AutoRenewal"
        } else {
            "Normal"
        }
        .into(),
        spot_strategy: plan.spot_strategy.clone(),
        spot_price_limit: plan.spot_price_limit,
        spot_duration: if spot {
            args.int("SpotDuration").unwrap_or(1)
        } else {
            0
        },
        spot_interruption: if spot {
            args.string_or("SpotInterruptionBehavior", "Terminate")
        } else {
            String::new()
        },
        internet_charge: args.string_or("InternetChargeType", "PayByTraffic"),
        bandwidth_out,
        bandwidth_in: args
            .int("InternetMaxBandwidthIn")
            .unwrap_or(if bandwidth_out > 0 { 100 } else { 0 }),
        created: env.now,
        started: env.now,
        lifecycle: env.timeline(lifecycle),
        stopped_mode: "Not-applicable".into(),
        auto_release: match args.str("AutoReleaseTime") {
            Some(t) => Some(release_time(t, env)?),
            None => None,
        },
        deletion_protection: args.flag("DeletionProtection"),
        tags: plan.tags.clone(),
        serial: ids::serial(),
        user_data: args.string_or("UserData", ""),
        resource_group: args.string_or("ResourceGroupId", ""),
        credit_specification: args.string_or("CreditSpecification", ""),
        hibernation: args.object("HibernationOptions").flag("Configured"),
        http_endpoint: args.string_or("HttpEndpoint", "enabled"),
        http_tokens: args.string_or("HttpTokens", "optional"),
        deployment_set: args.string_or("DeploymentSetId", ""),
    };
    region.instances.insert(id.clone(), instance);
    Ok(id)
}

/// How many more pay-as-you-go instances the region's quota allows.
fn quota_left(region: &Region, env: &Env) -> usize {
    let living = region
        .instances
        .values()
        .filter(|i| i.charge == "PostPaid")
        .count();
    env.settings.instance_quota.saturating_sub(living)
}

pub fn run_instances(region: &mut Region, args: &Args, env: &Env) -> Result<Value, ApiError> {
    let amount = args.int("Amount").unwrap_or(1).max(1) as usize;
    let min_amount = args.int("MinAmount").map_or(amount, |m| m.max(1) as usize);
    if min_amount > amount {
        return Err(ApiError::invalid(
            "InvalidMinAmount.Malformed",
            format!("MinAmount ({min_amount}) is more than Amount ({amount})."),
        ));
    }
    let plan = plan(region, args, env)?;
    let available = if plan.charge == "PostPaid" {
        quota_left(region, env)
    } else {
        amount
    };
    if available < min_amount {
        return Err(ApiError::invalid(
            "QuotaExceed.AfterpayInstance",
            format!("{} more pay-as-you-go instances are allowed in {} (quota {}); {min_amount} were asked for.", available, env.region.id, env.settings.instance_quota),
        ));
    }
    let count = amount.min(available);
    if count > 1 && plan.primary_ip.is_some() {
        return Err(ApiError::invalid(
            "InvalidPrimaryIpAddress.SizeInvalid",
            "A fixed PrivateIpAddress creates one instance only.",
        ));
    }
    let mut ids = Vec::with_capacity(count);
    for nth in 0..count {
        ids.push(launch(region, &plan, args, env, nth, count, RUNNING)?);
    }
    let price = rounded(hourly_price(&plan.instance_type) * count as f64);
    Ok(json!({
        "InstanceIdSets": {"InstanceIdSet": ids},
        "TradePrice": price,
        "OrderId": order_of(&plan.charge),
    }))
}

pub fn create_instance(region: &mut Region, args: &Args, env: &Env) -> Result<Value, ApiError> {
    let plan = plan(region, args, env)?;
    if plan.charge == "PostPaid" && quota_left(region, env) == 0 {
        return Err(ApiError::invalid(
            "QuotaExceed.AfterpayInstance",
            format!(
                "The region's quota of {} pay-as-you-go instances is used up.",
                env.settings.instance_quota
            ),
        ));
    }
    let id = launch(region, &plan, args, env, 0, 1, &["Pending", "Stopped"])?;
    let price = rounded(hourly_price(&plan.instance_type));
    Ok(json!({"InstanceId": id, "TradePrice": price, "OrderId": order_of(&plan.charge)}))
}

/// A subscription's order number; pay-as-you-go creates no order.
fn order_of(charge: &str) -> String {
    if charge == "PrePaid" {
        ids::order_id()
    } else {
        String::new()
    }
}

/// `AutoReleaseTime`: half an hour to three years ahead, seconds dropped.
fn release_time(text: &str, env: &Env) -> Result<Millis, ApiError> {
    let at = parse_iso(text).ok_or_else(|| {
        ApiError::invalid(
            "InvalidAutoReleaseTime.Malformed",
            format!("`{text}` is not a time in the form yyyy-MM-ddTHH:mm:ssZ (UTC)."),
        )
    })?;
    let at = at - at % 60_000;
    let (earliest, latest) = (env.now + 30 * 60_000, add_months(env.now, 36));
    if at < earliest || at > latest {
        return Err(ApiError::invalid(
            "InvalidAutoReleaseTime.Malformed",
            format!("{text} is not between half an hour and three years from now."),
        ));
    }
    Ok(at)
}

/// One instance's part of a Start/Stop/Reboot call: the check, then the change.
#[derive(Clone, Copy)]
pub(crate) enum Power {
    Start,
    Stop,
    Reboot,
}

impl Power {
    fn needs(self) -> &'static str {
        match self {
            Power::Start => "Stopped",
            Power::Stop | Power::Reboot => "Running",
        }
    }

    fn check(self, i: &Instance, env: &Env) -> Result<(), ApiError> {
        if i.status(env) != self.needs() {
            return Err(incorrect(i, env, self.needs()));
        }
        if matches!(self, Power::Start)
            && i.stopped_mode == "StopCharging"
            && env.out_of_stock(&i.instance_type)
        {
            return Err(no_stock(&i.instance_type, &i.zone));
        }
        Ok(())
    }

    fn apply(self, i: &mut Instance, args: &Args, env: &Env) {
        match self {
            Power::Start => {
                i.lifecycle = env.timeline(&["Starting", "Running"]);
                i.started = env.now;
                i.stopped_mode = "Not-applicable".into();
            }
            Power::Stop => {
                i.lifecycle = env.timeline(&["Stopping", "Stopped"]);
                i.stopped_mode = args.string_or("StoppedMode", "KeepCharging");
            }
            Power::Reboot => {
                i.lifecycle = env.timeline(&["Stopping", "Starting", "Running"]);
                i.started = env.now + 2 * env.step.as_millis() as u64;
            }
        }
    }
}

/// `StartInstance`, `StopInstance`, `RebootInstance`.
pub(crate) fn power_one(
    region: &mut Region,
    args: &Args,
    env: &Env,
    power: Power,
) -> Result<Value, ApiError> {
    let id = args.string_or("InstanceId", "");
    let i = region.instance_mut(&id)?;
    power.check(i, env)?;
    power.apply(i, args, env);
    Ok(json!({}))
}

/// `StartInstances`, `StopInstances`, `RebootInstances`: `AllTogether`
/// (the default) changes all or none; `SuccessFirst` changes those it can
/// and reports each.
pub(crate) fn power_many(
    region: &mut Region,
    args: &Args,
    env: &Env,
    power: Power,
) -> Result<Value, ApiError> {
    let ids = args.list("InstanceId");
    let all_together = args.string_or("BatchOptimization", "AllTogether") == "AllTogether";
    let outcomes: Vec<Result<(), ApiError>> = ids
        .iter()
        .map(|id| {
            let i = region.instance(id)?;
            power.check(i, env)
        })
        .collect();
    if all_together {
        if let Some(Err(e)) = outcomes.iter().find(|o| o.is_err()) {
            return Err(e.clone());
        }
    }
    let mut responses = Vec::new();
    for (id, outcome) in ids.iter().zip(outcomes) {
        let response = match outcome {
            Ok(()) => {
                let i = region.instances.get_mut(*id).expect("checked above");
                let previous = i.status(env).to_string();
                power.apply(i, args, env);
                json!({"InstanceId": id, "Code": "200", "Message": "success", "PreviousStatus": previous, "CurrentStatus": i.status(env)})
            }
            Err(e) => {
                let status = region
                    .instances
                    .get(*id)
                    .map_or(String::new(), |i| i.status(env).to_string());
                json!({"InstanceId": id, "Code": e.code, "Message": e.detail, "PreviousStatus": status, "CurrentStatus": status})
            }
        };
        responses.push(response);
    }
    Ok(json!({"InstanceResponses": {"InstanceResponse": responses}}))
}

/// Whether `i` may be released by a Delete call with these `args`.
fn check_delete(i: &Instance, args: &Args, env: &Env) -> Result<(), ApiError> {
    if i.deletion_protection {
        return Err(ApiError::new(
            403,
            "InvalidOperation.DeletionProtection",
            format!("The instance `{}` has deletion protection on.", i.id),
        ));
    }
    if i.charge == "PrePaid" && i.expires > env.now && !args.flag("TerminateSubscription") {
        return Err(ApiError::new(403, "ChargeTypeViolation", format!("The subscription instance `{}` runs until {}; set TerminateSubscription=true to release it early.", i.id, iso_minutes(i.expires))));
    }
    match i.status(env) {
        "Stopped" => Ok(()),
        "Pending" => Err(ApiError::new(
            403,
            "IncorrectInstanceStatus.Initializing",
            format!("The instance `{}` is still being created.", i.id),
        )),
        _ if args.flag("Force") => Ok(()),
        _ => Err(incorrect(i, env, "Stopped (or set Force=true)")),
    }
}

pub fn delete_instance(region: &mut Region, args: &Args, env: &Env) -> Result<Value, ApiError> {
    let id = args.string_or("InstanceId", "");
    check_delete(region.instance(&id)?, args, env)?;
    region.release_instance(&id, env.now);
    Ok(json!({}))
}

pub fn delete_instances(region: &mut Region, args: &Args, env: &Env) -> Result<Value, ApiError> {
    let ids = args.list("InstanceId");
    for id in &ids {
        check_delete(region.instance(id)?, args, env)?;
    }
    for id in &ids {
        region.release_instance(id, env.now);
    }
    Ok(json!({}))
}

impl Region {
    /// Releases an instance with what goes with it: its system disk, data
    /// disks and interfaces set to go with it; the others are detached.
    pub fn release_instance(&mut self, id: &str, now: Millis) {
        self.instances.remove(id);
        self.release_disks_of(id, now);
        self.release_enis_of(id, now);
    }
}

pub fn modify_attribute(region: &mut Region, args: &Args, _env: &Env) -> Result<Value, ApiError> {
    let id = args.string_or("InstanceId", "");
    let groups: Vec<String> = args
        .list("SecurityGroupIds")
        .iter()
        .map(|s| s.to_string())
        .collect();
    if !groups.is_empty() {
        let mut unique = groups.clone();
        unique.sort();
        unique.dedup();
        if unique.len() != groups.len() {
            return Err(ApiError::new(
                404,
                "InvalidParameter.SecurityGroupIdRepeated",
                "A security group is given twice.",
            ));
        }
        let vpc = region.groups_of_one_vpc(&groups)?;
        let instance_vpc = &region.instance(&id)?.vpc_id;
        if vpc != *instance_vpc {
            return Err(ApiError::invalid(
                "InvalidSecurityGroupVpc.NotBelongToOneVpc",
                format!("The security groups are not in the instance's VPC `{instance_vpc}`."),
            ));
        }
    }
    let i = region.instance_mut(&id)?;
    if let Some(protect) = args.bool("DeletionProtection") {
        if i.charge == "PrePaid" || i.spot_strategy != "NoSpot" {
            return Err(ApiError::new(
                403,
                "InvalidChargeType.ValueNotSupported",
                "Deletion protection is for pay-as-you-go instances that are not spot instances.",
            ));
        }
        i.deletion_protection = protect;
    }
    if let Some(v) = args.string("InstanceName") {
        i.name = v;
    }
    if let Some(v) = args.string("Description") {
        i.description = v;
    }
    if let Some(v) = args.string("HostName") {
        i.host_name = v;
    }
    if let Some(v) = args.string("UserData") {
        i.user_data = v;
    }
    if let Some(v) = args.string("CreditSpecification") {
        i.credit_specification = v;
    }
    if !groups.is_empty() {
        i.security_groups = groups;
    }
    Ok(json!({}))
}

/// The instance a call names, refused with `refused(id)` unless it is
/// charged `charge` (`PostPaid` or `PrePaid`).
fn charged<'r>(
    region: &'r mut Region,
    args: &Args,
    charge: &str,
    refused: impl FnOnce(&str) -> ApiError,
) -> Result<&'r mut Instance, ApiError> {
    let id = args.string_or("InstanceId", "");
    let i = region.instance_mut(&id)?;
    if i.charge != charge {
        return Err(refused(&id));
    }
    Ok(i)
}

pub fn modify_spec(region: &mut Region, args: &Args, env: &Env) -> Result<Value, ApiError> {
    let i = charged(region, args, "PostPaid", |id| {
        let why = format!(
            "`{id}` is a subscription instance; change its type with ModifyPrepayInstanceSpec."
        );
        ApiError::new(403, "ChargeTypeViolation", why)
    })?;
    if let Some(new_type) = args.string("InstanceType") {
        instance_types::known(&new_type)?;
        if i.status(env) != "Stopped" {
            return Err(incorrect(
                i,
                env,
                "Stopped (a pay-as-you-go instance changes type when stopped)",
            ));
        }
        if env.out_of_stock(&new_type) {
            return Err(no_stock(&new_type, &i.zone));
        }
        i.instance_type = new_type;
    }
    if let Some(out) = args.int("InternetMaxBandwidthOut") {
        i.bandwidth_out = out;
    }
    if let Some(inbound) = args.int("InternetMaxBandwidthIn") {
        i.bandwidth_in = inbound;
    }
    Ok(json!({}))
}

pub fn modify_prepay_spec(region: &mut Region, args: &Args, env: &Env) -> Result<Value, ApiError> {
    let i = charged(region, args, "PrePaid", |id| {
        let why = format!("`{id}` is pay-as-you-go; change its type with ModifyInstanceSpec.");
        ApiError::invalid("InvalidBillingMethod.ValueNotSupported", why)
    })?;
    let new_type = args.string_or("InstanceType", "");
    instance_types::known(&new_type)?;
    i.settled(env)?;
    if env.out_of_stock(&new_type) {
        return Err(no_stock(&new_type, &i.zone));
    }
    i.instance_type = new_type;
    Ok(json!({"OrderId": ids::order_id()}))
}

pub fn renew(region: &mut Region, args: &Args, env: &Env) -> Result<Value, ApiError> {
    let i = charged(region, args, "PrePaid", |id| {
        let why = format!("`{id}` is pay-as-you-go; only subscription instances are renewed.");
        ApiError::new(403, "ChargeTypeViolation", why)
    })?;
    let period = args
        .int("Period")
        .ok_or_else(|| ApiError::invalid("MissingParamter", "Give the Period to renew for."))?;
    i.expires = after_period(
        i.expires.max(env.now),
        period,
        &args.string_or("PeriodUnit", "Month"),
    );
    let (id, expires) = (i.id.clone(), i.expires);
    for d in region
        .disks
        .values_mut()
        .filter(|d| d.instance.as_deref() == Some(id.as_str()) && d.charge == "PrePaid")
    {
        d.expires = expires;
    }
    Ok(json!({"OrderId": ids::order_id()}))
}

pub fn modify_auto_release_time(
    region: &mut Region,
    args: &Args,
    env: &Env,
) -> Result<Value, ApiError> {
    let id = args.string_or("InstanceId", "");
    let i = region.instance_mut(&id)?;
    if i.charge != "PostPaid" {
        return Err(ApiError::new(
            403,
            "ChargeTypeViolation",
            format!("`{id}` is a subscription instance; it is released when it expires."),
        ));
    }
    i.auto_release = match args.str("AutoReleaseTime") {
        Some(t) => Some(release_time(t, env)?),
        None => None,
    };
    Ok(json!({}))
}

pub fn modify_charge_type(region: &mut Region, args: &Args, env: &Env) -> Result<Value, ApiError> {
    let ids = args.json_list("InstanceIds").unwrap_or_default();
    let target = args.string_or("InstanceChargeType", "PrePaid");
    let expires = if target == "PrePaid" {
        after_period(
            env.now,
            args.int("Period").unwrap_or(1),
            &args.string_or("PeriodUnit", "Month"),
        )
    } else {
        NEVER
    };
    for id in &ids {
        let i = region.instance(id)?;
        if !matches!(i.status(env), "Running" | "Stopped") {
            return Err(ApiError::invalid(
                "InvalidStatus.ValueNotSupported",
                format!(
                    "The instance `{id}` is {}; it must be Running or Stopped.",
                    i.status(env)
                ),
            ));
        }
        if i.charge == target {
            return Err(ApiError::invalid(
                "InvalidInstanceChargeType.ValueNotSupported",
                format!("The instance `{id}` is {target} already."),
            ));
        }
        if target == "PrePaid" && i.spot_strategy != "NoSpot" {
            return Err(ApiError::invalid(
                "InvalidSpotStrategy",
                format!("The spot instance `{id}` cannot become a subscription."),
            ));
        }
        if target == "PrePaid" && i.auto_release.is_some() {
            return Err(ApiError::invalid(
                "ReleaseTimeHaveBeenSet",
                format!("The instance `{id}` has an auto-release time; cancel it first."),
            ));
        }
    }
    let mut fees = Vec::new();
    for id in &ids {
        let i = region.instances.get_mut(id).expect("checked above");
        i.charge = target.clone();
        i.expires = expires;
        i.deletion_protection &= target == "PostPaid";
        let fee = if target == "PrePaid" {
            hourly_price(&i.instance_type) * 720.0
        } else {
            0.0
        };
        fees.push(json!({"InstanceId": id, "Currency": "CNY", "Fee": format!("{:.2}", fee)}));
        let with_disks = args.flag("IncludeDataDisks");
        for d in region
            .disks
            .values_mut()
            .filter(|d| d.instance.as_deref() == Some(id) && (d.kind == "system" || with_disks))
        {
            d.charge = target.clone();
            d.expires = expires;
        }
    }
    Ok(json!({
        "OrderId": order_of(&target),
        "FeeOfInstances": {"FeeOfInstance": if args.flag("IsDetailFee") { fees } else { Vec::new() }},
    }))
}

/// `InstanceId`: one id or a comma-separated list.
fn ids_of(args: &Args) -> Vec<String> {
    args.comma_list("InstanceId").unwrap_or_default()
}

pub fn modify_auto_renew(region: &mut Region, args: &Args, _env: &Env) -> Result<Value, ApiError> {
    let ids = ids_of(args);
    for id in &ids {
        let i = region.instance(id)?;
        if i.charge != "PrePaid" {
            return Err(ApiError::new(
                403,
                "ChargeTypeViolation",
                format!("`{id}` is pay-as-you-go; auto-renewal is for subscription instances."),
            ));
        }
    }
    for id in &ids {
        let i = region.instances.get_mut(id).expect("checked above");
        if let Some(status) = args.string("RenewalStatus") {
            i.auto_renew = status == "AutoRenewal";
            i.renewal_status = status;
        } else if let Some(on) = args.bool("AutoRenew") {
            i.auto_renew = on;
            i.renewal_status = if on { "AutoRenewal" } else { "Normal" }.into();
        }
        if let Some(duration) = args.int("Duration") {
            i.renew_duration = duration;
        }
        if let Some(unit) = args.string("PeriodUnit") {
            i.renew_unit = unit;
        }
    }
    Ok(json!({}))
}

pub fn describe_auto_renew(region: &Region, args: &Args, _env: &Env) -> Result<Value, ApiError> {
    let ids = ids_of(args);
    let status = args.str("RenewalStatus");
    if ids.is_empty() && status.is_none() {
        return Err(ApiError::new(
            403,
            "InvalidParameter.RenewalStatusInstanceId",
            "Give InstanceId or RenewalStatus.",
        ));
    }
    let list: Vec<&Instance> = region
        .instances
        .values()
        .filter(|i| i.charge == "PrePaid")
        .filter(|i| ids.is_empty() || ids.contains(&i.id))
        .filter(|i| status.is_none_or(|s| i.renewal_status == s))
        .collect();
    let page = paging::page(args, Limits::new(10, 100), list, |i| {
        paging::by_creation(i.created, &i.id)
    })?;
    let attributes: Vec<Value> = page
        .items
        .iter()
        .map(|i| {
            json!({
                "InstanceId": i.id,
                "AutoRenewEnabled": i.auto_renew,
                "Duration": i.renew_duration,
                "PeriodUnit": i.renew_unit,
                "RenewalStatus": i.renewal_status,
            })
        })
        .collect();
    Ok(super::join([
        page.counts(),
        json!({
            "InstanceRenewAttributes": {"InstanceRenewAttribute": attributes},
        }),
    ]))
}

pub fn describe_instances(region: &Region, args: &Args, env: &Env) -> Result<Value, ApiError> {
    let ids = args.json_list("InstanceIds");
    let private_ips = args.json_list("PrivateIpAddresses");
    let public_ips = args.json_list("PublicIpAddresses");
    let tag_filter = tags::Filter::from_args(args);
    let field = |name: &str| args.str(name);
    let created_after = filter_time(args, "CreationStartTime");
    let created_before = filter_time(args, "CreationEndTime");
    let list: Vec<&Instance> = region
        .instances
        .values()
        .filter(|i| ids.as_ref().is_none_or(|ids| ids.contains(&i.id)))
        .filter(|i| {
            private_ips
                .as_ref()
                .is_none_or(|ips| ips.contains(&i.private_ip))
        })
        .filter(|i| {
            public_ips
                .as_ref()
                .is_none_or(|ips| ips.contains(&i.public_ip))
        })
        .filter(|i| field("ZoneId").is_none_or(|v| i.zone == v))
        .filter(|i| field("VpcId").is_none_or(|v| i.vpc_id == v))
        .filter(|i| field("VSwitchId").is_none_or(|v| i.vswitch_id == v))
        .filter(|i| {
            field("SecurityGroupId").is_none_or(|v| i.security_groups.iter().any(|g| g == v))
        })
        .filter(|i| field("InstanceName").is_none_or(|v| wildcard(v, &i.name)))
        .filter(|i| field("Status").is_none_or(|v| i.status(env) == v))
        .filter(|i| field("InstanceType").is_none_or(|v| i.instance_type == v))
        .filter(|i| {
            field("InstanceTypeFamily").is_none_or(|v| {
                instance_types::parse(&i.instance_type).is_some_and(|s| s.family == v)
            })
        })
        .filter(|i| field("InstanceChargeType").is_none_or(|v| i.charge == v))
        .filter(|i| field("InternetChargeType").is_none_or(|v| i.internet_charge == v))
        .filter(|i| field("ImageId").is_none_or(|v| i.image_id == v))
        .filter(|i| field("KeyPairName").is_none_or(|v| i.key_pair.as_deref() == Some(v)))
        .filter(|i| field("ResourceGroupId").is_none_or(|v| i.resource_group == v))
        .filter(|_| field("InstanceNetworkType").is_none_or(|v| v == "vpc"))
        .filter(|i| created_after.is_none_or(|t| i.created >= t))
        .filter(|i| created_before.is_none_or(|t| i.created <= t))
        .filter(|i| tag_filter.matches(&i.tags))
        .collect();
    let limits = Limits {
        min_results: 10,
        ..Limits::new(10, 100)
    };
    let page = paging::page(args, limits, list, |i| {
        paging::by_creation(i.created, &i.id)
    })?;
    // Each instance's interfaces, found in one pass over the region's.
    let mut nics: HashMap<&str, Vec<&Eni>> = HashMap::new();
    for eni in region.enis.values() {
        if let Some(on) = &eni.instance {
            nics.entry(on.as_str()).or_default().push(eni);
        }
    }
    for list in nics.values_mut() {
        list.sort_by_key(|e| e.device_index);
    }
    let instances: Vec<Value> = page
        .items
        .iter()
        .map(|i| render(i, nics.get(i.id.as_str()).map_or(&[], Vec::as_slice), env))
        .collect();
    Ok(super::join([
        page.counts_and_token(),
        json!({
            "Instances": {"Instance": instances},
        }),
    ]))
}

/// The time of a `Filter.N.Key`/`Filter.N.Value` pair with key `key`.
fn filter_time(args: &Args, key: &str) -> Option<Millis> {
    (1..=4).find_map(|n| {
        (args.str(&format!("Filter.{n}.Key")) == Some(key))
            .then(|| args.str(&format!("Filter.{n}.Value")).and_then(parse_iso))
            .flatten()
    })
}

/// What `DescribeInstances` and `DescribeInstanceAttribute` both say of
/// an instance, in the same form.
fn shared_fields(i: &Instance, env: &Env) -> Value {
    let spec = instance_types::parse(&i.instance_type);
    let public: Vec<&str> = Some(i.public_ip.as_str())
        .filter(|p| !p.is_empty())
        .into_iter()
        .collect();
    json!({
        "InstanceId": i.id,
        "InstanceName": i.name,
        "Description": i.description,
        "HostName": i.host_name,
        "RegionId": env.region.id,
        "ZoneId": i.zone,
        "Status": i.status(env),
        "InstanceType": i.instance_type,
        "Cpu": spec.as_ref().map_or(0, |s| s.cpu),
        "Memory": spec.as_ref().map_or(0, |s| s.memory),
        "ImageId": i.image_id,
        "InstanceNetworkType": "vpc",
        "InstanceChargeType": i.charge,
        "InternetChargeType": i.internet_charge,
        "InternetMaxBandwidthOut": i.bandwidth_out,
        "InternetMaxBandwidthIn": i.bandwidth_in,
        "CreationTime": iso_minutes(i.created),
        "ExpiredTime": iso_minutes(i.expires),
        "StoppedMode": i.stopped_mode,
        "SerialNumber": i.serial,
        "CreditSpecification": i.credit_specification,
        "ClusterId": "",
        "VlanId": "",
        "SecurityGroupIds": {"SecurityGroupId": i.security_groups},
        "PublicIpAddress": {"IpAddress": public},
        "InnerIpAddress": {"IpAddress": []},
        "VpcAttributes": {
            "VpcId": i.vpc_id,
            "VSwitchId": i.vswitch_id,
            "NatIpAddress": "",
            "PrivateIpAddress": {"IpAddress": [i.private_ip]},
        },
        "OperationLocks": {"LockReason": []},
    })
}

fn render(i: &Instance, nics: &[&Eni], env: &Env) -> Value {
    let spec = instance_types::parse(&i.instance_type);
    let enis: Vec<Value> = nics
        .iter()
        .map(|e| network_interfaces::render_for_instance(e))
        .collect();
    let identity = json!({
        "InstanceTypeFamily": spec.as_ref().map_or(String::new(), |s| s.family.clone()),
        "OSType": i.os_type,
        "OSName": i.os_name,
        "OSNameEn": i.os_name,
        "StartTime": iso_minutes(i.started),
        "AutoReleaseTime": i.auto_release.map(iso_minutes).unwrap_or_default(),
    });
    let billing = json!({
        "SaleCycle": if i.charge == "PrePaid" { "Month" } else { "" },
        "SpotStrategy": i.spot_strategy,
        "SpotPriceLimit": i.spot_price_limit,
        "SpotDuration": i.spot_duration,
        "SpotInterruptionBehavior": i.spot_interruption,
        "DeletionProtection": i.deletion_protection,
        "KeyPairName": i.key_pair.clone().unwrap_or_default(),
        "ResourceGroupId": i.resource_group,
        "IoOptimized": true,
        "DeviceAvailable": true,
        "Recyclable": false,
        "LocalStorageCapacity": 0,
        "LocalStorageAmount": 0,
        "GPUAmount": 0,
        "GPUSpec": "",
        "DeploymentSetId": i.deployment_set,
        "DeploymentSetGroupNo": 0,
        "HpcClusterId": "",
        "ISP": "",
    });
    let network = json!({
        "RdmaIpAddress": {"IpAddress": []},
        "EipAddress": {"AllocationId": "", "IpAddress": "", "Bandwidth": 0, "InternetChargeType": "", "IsSupportUnassociate": false},
        "NetworkInterfaces": {"NetworkInterface": enis},
    });
    let options = json!({
        "Tags": tags::render(&i.tags),
        "HibernationOptions": {"Configured": i.hibernation},
        "MetadataOptions": {"HttpEndpoint": i.http_endpoint, "HttpTokens": i.http_tokens, "HttpPutResponseHopLimit": 1},
        "CpuOptions": {"CoreCount": spec.as_ref().map_or(0, |s| s.cpu / 2), "ThreadsPerCore": 2, "Numa": "", "TopologyType": ""},
        "DedicatedHostAttribute": {"DedicatedHostId": "", "DedicatedHostName": "", "DedicatedHostClusterId": ""},
        "DedicatedInstanceAttribute": {"Affinity": "default", "Tenancy": "default"},
        "EcsCapacityReservationAttr": {"CapacityReservationId": "", "CapacityReservationPreference": ""},
        "ImageOptions": {"LoginAsNonRoot": false},
    });
    super::join([shared_fields(i, env), identity, billing, network, options])
}

pub fn describe_status(region: &Region, args: &Args, env: &Env) -> Result<Value, ApiError> {
    let ids = args.list("InstanceId");
    let zone = args.str("ZoneId");
    let list: Vec<&Instance> = region
        .instances
        .values()
        .filter(|i| ids.is_empty() || ids.contains(&i.id.as_str()))
        .filter(|i| zone.is_none_or(|z| i.zone == z))
        .collect();
    let page = paging::page(args, Limits::new(10, 50), list, |i| {
        paging::by_creation(i.created, &i.id)
    })?;
    let statuses: Vec<Value> = page
        .items
        .iter()
        .map(|i| json!({"InstanceId": i.id, "Status": i.status(env)}))
        .collect();
    Ok(super::join([
        page.counts(),
        json!({
            "InstanceStatuses": {"InstanceStatus": statuses},
        }),
    ]))
}

pub fn describe_attribute(region: &Region, args: &Args, env: &Env) -> Result<Value, ApiError> {
    let i = region.instance(&args.string_or("InstanceId", ""))?;
    let own = json!({
        "IoOptimized": "true",
        "EnableJumboFrame": false,
        "EipAddress": {"AllocationId": "", "IpAddress": "", "Bandwidth": 0, "InternetChargeType": ""},
        "DedicatedHostAttribute": {"DedicatedHostId": "", "DedicatedHostName": ""},
    });
    Ok(super::join([shared_fields(i, env), own]))
}
