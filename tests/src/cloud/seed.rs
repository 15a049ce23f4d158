//! Seed documents (see [`Cloud::seed`](super::Cloud::seed) for the form):
//! each resource is made through the same code as the API call that makes
//! it, so it is whole (an instance has its disks, interface and address),
//! settled at once, and given the id the document names, if it names one.
//! Unknown keys are refused, so a typo does not pass unnoticed.

use super::args::Args;
use super::clock::Millis;
use super::images;
use super::state::{Region, World};
use super::{
    commands, disks, instances, key_pairs, network_interfaces, regions, security_groups, vpcs,
};
use super::{Env, Settings};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

/// Applies `doc` to `world`; on error `world` may be half changed (the
/// caller applies it to a copy).
pub(crate) fn apply(world: &mut World, doc: &Value, now: Millis) -> Result<(), String> {
    let top = object(doc, "the seed")?;
    known_keys(top, &["Regions"], "the seed")?;
    let settings = Settings {
        transition: Duration::ZERO,
        instance_quota: usize::MAX,
        ..Settings::default()
    };
    let stock = BTreeSet::new();
    for (n, region_doc) in list(top, "Regions", "the seed")?.iter().enumerate() {
        let at = format!("Regions[{n}]");
        let r = object(region_doc, &at)?;
        known_keys(
            r,
            &[
                "RegionId",
                "Defaults",
                "VSwitches",
                "SecurityGroups",
                "KeyPairs",
                "Images",
                "Instances",
                "Disks",
                "Snapshots",
                "NetworkInterfaces",
                "Commands",
                "Invocations",
            ],
            &at,
        )?;
        let region_id = text(r, "RegionId", &at)?.ok_or(format!("{at}.RegionId is required"))?;
        let info =
            regions::known(&region_id).map_err(|e| format!("{at}.RegionId: {}", e.detail))?;
        let env = Env {
            now,
            step: Duration::ZERO,
            region: info,
            settings: &settings,
            out_of_stock: &stock,
            action: "Seed",
            catalog: None,
        };
        let mut seeder = Seeder {
            region: world.region(&region_id),
            env,
            region_id: region_id.clone(),
        };
        seeder.all(r, &at)?;
    }
    Ok(())
}

struct Seeder<'w, 'e> {
    region: &'w mut Region,
    env: Env<'e>,
    region_id: String,
}

/// One API call's parameters, built up.
#[derive(Default)]
struct Params(Vec<(String, String)>);

impl Params {
    fn set(&mut self, name: &str, value: impl Into<String>) -> &mut Self {
        self.0.push((name.to_string(), value.into()));
        self
    }

    fn opt(&mut self, name: &str, value: Option<String>) -> &mut Self {
        if let Some(v) = value {
            self.set(name, v);
        }
        self
    }

    /// `Tag.N.Key`/`Tag.N.Value` from the entry's `Tags` object.
    fn tags(&mut self, e: &Map<String, Value>, at: &str) -> Result<&mut Self, String> {
        for (i, (k, v)) in tags_of(e, at)?.into_iter().enumerate() {
            self.set(&format!("Tag.{}.Key", i + 1), k)
                .set(&format!("Tag.{}.Value", i + 1), v);
        }
        Ok(self)
    }
}

/// The entry's `Tags`: an object of keys to string values.
fn tags_of(e: &Map<String, Value>, at: &str) -> Result<super::tags::Tags, String> {
    let Some(tags) = e.get("Tags") else {
        return Ok(Default::default());
    };
    object(tags, &format!("{at}.Tags"))?
        .iter()
        .map(|(k, v)| match v {
            Value::String(s) => Ok((k.clone(), s.clone())),
            _ => Err(format!("{at}.Tags.{k} must be a string")),
        })
        .collect()
}

impl Seeder<'_, '_> {
    fn all(&mut self, r: &Map<String, Value>, at: &str) -> Result<(), String> {
        if let Some(d) = r.get("Defaults") {
            let at = format!("{at}.Defaults");
            for (action, params) in object(d, &at)? {
                let at = format!("{at}.{action}");
                if !super::modeled_actions().any(|a| a == action) {
                    return Err(format!(
                        "{at}: `{action}` is not an action the simulated cloud answers"
                    ));
                }
                let mut defaults = BTreeMap::new();
                for (name, value) in object(params, &at)? {
                    let value = match value {
                        Value::String(s) => s.clone(),
                        Value::Number(_) | Value::Bool(_) => value.to_string(),
                        _ => {
                            return Err(format!("{at}.{name} must be a string, number or boolean"))
                        }
                    };
                    defaults.insert(name.clone(), value);
                }
                self.region.defaults.insert(action.clone(), defaults);
            }
        }
        type Step<'a, 'b> =
            fn(&mut Seeder<'a, 'b>, &Map<String, Value>, &str) -> Result<(), String>;
        let steps: [(&str, Step); 10] = [
            ("VSwitches", Seeder::vswitch),
            ("SecurityGroups", Seeder::security_group),
            ("KeyPairs", Seeder::key_pair),
            ("Images", Seeder::image),
            ("Instances", Seeder::instance),
            ("Disks", Seeder::disk),
            ("Snapshots", Seeder::snapshot),
            ("NetworkInterfaces", Seeder::network_interface),
            ("Commands", Seeder::command),
            ("Invocations", Seeder::invocation),
        ];
        for (key, step) in steps {
            for (n, entry) in optional_list(r, key, at)?.iter().enumerate() {
                let at = format!("{at}.{key}[{n}]");
                step(self, object(entry, &at)?, &at)?;
            }
        }
        Ok(())
    }

    /// Runs one handler as the API would, with the region's defaults.
    fn call(
        &mut self,
        action: &str,
        handler: impl FnOnce(&mut Region, &Args, &Env) -> Result<Value, super::ApiError>,
        params: &Params,
        at: &str,
    ) -> Result<Value, String> {
        let mut pairs = self.region.with_defaults(action, &params.0).into_owned();
        pairs.push(("RegionId".into(), self.region_id.clone()));
        handler(self.region, &Args::new(&pairs), &self.env)
            .map_err(|e| format!("{at}: {} ({})", e.detail, e.code))
    }

    fn vswitch(&mut self, e: &Map<String, Value>, at: &str) -> Result<(), String> {
        known_keys(
            e,
            &["VSwitchId", "VpcId", "ZoneId", "CidrBlock", "VSwitchName"],
            at,
        )?;
        let zone = text(e, "ZoneId", at)?.unwrap_or_else(|| self.env.region.first_zone());
        let vpc = match text(e, "VpcId", at)? {
            Some(id) if self.region.vpcs.contains_key(&id) => id,
            Some(id) => {
                let made = self.call(
                    "CreateVpc",
                    vpcs::create_vpc,
                    Params::default().set("CidrBlock", "10.0.0.0/8"),
                    at,
                )?;
                rename(
                    &mut self.region.vpcs,
                    str_of(&made, "VpcId"),
                    &id,
                    |v, id| v.id = id.into(),
                    at,
                )?;
                id
            }
            None => self.region.default_vpc(&self.env),
        };
        let cidr = match text(e, "CidrBlock", at)? {
            Some(c) => c,
            None => self
                .region
                .free_block(&vpc)
                .ok_or(format!("{at}: the VPC `{vpc}` has no free /24 left"))?,
        };
        let made = self.call(
            "CreateVSwitch",
            vpcs::create_vswitch,
            Params::default()
                .set("VpcId", vpc)
                .set("ZoneId", zone)
                .set("CidrBlock", cidr)
                .opt("VSwitchName", text(e, "VSwitchName", at)?),
            at,
        )?;
        rename_to(
            &mut self.region.vswitches,
            str_of(&made, "VSwitchId"),
            text(e, "VSwitchId", at)?,
            |v, id| v.id = id.into(),
            at,
        )?;
        Ok(())
    }

    fn security_group(&mut self, e: &Map<String, Value>, at: &str) -> Result<(), String> {
        known_keys(
            e,
            &[
                "SecurityGroupId",
                "VpcId",
                "SecurityGroupName",
                "Description",
                "Tags",
                "Permissions",
            ],
            at,
        )?;
        let made = self.call(
            "CreateSecurityGroup",
            security_groups::create,
            Params::default()
                .opt("VpcId", text(e, "VpcId", at)?)
                .opt("SecurityGroupName", text(e, "SecurityGroupName", at)?)
                .opt("Description", text(e, "Description", at)?)
                .tags(e, at)?,
            at,
        )?;
        let id = rename_to(
            &mut self.region.security_groups,
            str_of(&made, "SecurityGroupId"),
            text(e, "SecurityGroupId", at)?,
            |g, id| g.id = id.into(),
            at,
        )?;
        for (n, rule) in optional_list(e, "Permissions", at)?.iter().enumerate() {
            let at = format!("{at}.Permissions[{n}]");
            let rule = object(rule, &at)?;
            let fields = security_groups::RULE_MATCH
                .iter()
                .chain(&security_groups::RULE_EXTRA);
            let mut allowed = vec!["SecurityGroupRuleId", "Direction"];
            allowed.extend(fields.clone());
            known_keys(rule, &allowed, &at)?;
            let mut p = Params::default();
            p.set("SecurityGroupId", id.clone());
            for field in fields {
                p.opt(field, text(rule, field, &at)?);
            }
            let egress = text(rule, "Direction", &at)?.as_deref() == Some("egress");
            let (action, direction) = if egress {
                ("AuthorizeSecurityGroupEgress", "egress")
            } else {
                ("AuthorizeSecurityGroup", "ingress")
            };
            let handler =
                |r: &mut Region, a: &Args, e: &Env| security_groups::authorize(r, a, e, direction);
            let before = self
                .region
                .security_groups
                .get(&id)
                .map_or(0, |g| g.rules.len());
            self.call(action, handler, &p, &at)?;
            let group = self.region.security_groups.get_mut(&id);
            let Some(added) = group
                .filter(|g| g.rules.len() > before)
                .and_then(|g| g.rules.last_mut())
            else {
                return Err(format!("{at}: the same rule as an earlier one"));
            };
            if let Some(want) = text(rule, "SecurityGroupRuleId", &at)? {
                added.id = want;
            }
        }
        Ok(())
    }

    fn key_pair(&mut self, e: &Map<String, Value>, at: &str) -> Result<(), String> {
        known_keys(e, &["KeyPairName", "PublicKeyBody", "Tags"], at)?;
        let name = text(e, "KeyPairName", at)?.ok_or(format!("{at}.KeyPairName is required"))?;
        let mut p = Params::default();
        p.set("KeyPairName", name).tags(e, at)?;
        match text(e, "PublicKeyBody", at)? {
            Some(body) => self.call(
                "ImportKeyPair",
                key_pairs::import,
                p.set("PublicKeyBody", body),
                at,
            )?,
            None => self.call("CreateKeyPair", key_pairs::create, &p, at)?,
        };
        Ok(())
    }

    fn image(&mut self, e: &Map<String, Value>, at: &str) -> Result<(), String> {
        known_keys(
            e,
            &[
                "ImageId",
                "ImageName",
                "ImageFamily",
                "Description",
                "Size",
                "Tags",
            ],
            at,
        )?;
        let id = text(e, "ImageId", at)?
            .unwrap_or_else(|| super::ids::resource("m-", self.env.region.code));
        if self.region.images.contains_key(&id) {
            return Err(format!("{at}.ImageId: `{id}` exists already"));
        }
        let mut image = images::seeded(
            &id,
            &text(e, "ImageName", at)?.unwrap_or_default(),
            &text(e, "ImageFamily", at)?.unwrap_or_default(),
            &text(e, "Description", at)?.unwrap_or_default(),
            number(e, "Size", at)?.unwrap_or(40),
            self.env.now,
        );
        image.tags = tags_of(e, at)?;
        self.region.images.insert(id, image);
        Ok(())
    }

    fn instance(&mut self, e: &Map<String, Value>, at: &str) -> Result<(), String> {
        known_keys(
            e,
            &[
                "InstanceId",
                "Count",
                "ZoneId",
                "VSwitchId",
                "InstanceType",
                "ImageId",
                "SecurityGroupId",
                "SecurityGroupIds",
                "InstanceName",
                "HostName",
                "Status",
                "InstanceChargeType",
                "Period",
                "KeyPairName",
                "Tags",
                "DataDisks",
                "SpotStrategy",
                "SpotPriceLimit",
                "InternetMaxBandwidthOut",
            ],
            at,
        )?;
        let count = number(e, "Count", at)?.unwrap_or(1);
        let wanted = text(e, "InstanceId", at)?;
        if wanted.is_some() && count != 1 {
            return Err(format!(
                "{at}: InstanceId names one instance; drop Count or make it 1"
            ));
        }
        let mut p = Params::default();
        p.set("Amount", count.to_string())
            .set("UniqueSuffix", "true")
            .opt("ZoneId", text(e, "ZoneId", at)?)
            .opt("VSwitchId", text(e, "VSwitchId", at)?)
            .opt("InstanceType", text(e, "InstanceType", at)?)
            .opt("ImageId", text(e, "ImageId", at)?)
            .opt("SecurityGroupId", text(e, "SecurityGroupId", at)?)
            .opt("InstanceName", text(e, "InstanceName", at)?)
            .opt("HostName", text(e, "HostName", at)?)
            .opt("InstanceChargeType", text(e, "InstanceChargeType", at)?)
            .opt("Period", number(e, "Period", at)?.map(|n| n.to_string()))
            .opt("KeyPairName", text(e, "KeyPairName", at)?)
            .opt("SpotStrategy", text(e, "SpotStrategy", at)?)
            .opt(
                "SpotPriceLimit",
                e.get("SpotPriceLimit").map(|v| v.to_string()),
            )
            .opt(
                "InternetMaxBandwidthOut",
                number(e, "InternetMaxBandwidthOut", at)?.map(|n| n.to_string()),
            );
        for (i, g) in strings(e, "SecurityGroupIds", at)?.iter().enumerate() {
            p.set(&format!("SecurityGroupIds.{}", i + 1), g.clone());
        }
        p.tags(e, at)?;
        let disks_doc = optional_list(e, "DataDisks", at)?;
        let mut disk_ids = Vec::new();
        for (i, d) in disks_doc.iter().enumerate() {
            let dat = format!("{at}.DataDisks[{i}]");
            let d = object(d, &dat)?;
            known_keys(
                d,
                &["DiskId", "Size", "Category", "DeleteWithInstance"],
                &dat,
            )?;
            p.set(
                &format!("DataDisk.{}.Size", i + 1),
                number(d, "Size", &dat)?.unwrap_or(40).to_string(),
            )
            .set(
                &format!("DataDisk.{}.Category", i + 1),
                text(d, "Category", &dat)?.unwrap_or("cloud_essd".into()),
            )
            .opt(
                &format!("DataDisk.{}.DeleteWithInstance", i + 1),
                d.get("DeleteWithInstance").map(|v| v.to_string()),
            );
            disk_ids.push(text(d, "DiskId", &dat)?);
        }
        let made = self.call("RunInstances", instances::run_instances, &p, at)?;
        let ids: Vec<String> = made["InstanceIdSets"]["InstanceIdSet"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        let status = text(e, "Status", at)?.unwrap_or_else(|| "Running".into());
        for id in ids {
            let id = match &wanted {
                Some(new) => {
                    self.region
                        .rename_instance(&id, new)
                        .map_err(|e| format!("{at}.InstanceId: {e}"))?;
                    new.clone()
                }
                None => id,
            };
            let mut data: Vec<String> = self
                .region
                .disks_of(&id)
                .iter()
                .filter(|d| d.kind == "data")
                .map(|d| (d.device.clone(), d.id.clone()))
                .collect::<BTreeMap<_, _>>()
                .into_values()
                .collect();
            for (made, want) in data.drain(..).zip(&disk_ids) {
                if let Some(want) = want {
                    rename(
                        &mut self.region.disks,
                        &made,
                        want,
                        |d, id| d.id = id.into(),
                        at,
                    )?;
                }
            }
            match status.as_str() {
                "Running" => {}
                "Stopped" => {
                    self.call(
                        "StopInstance",
                        |r, a, e| instances::power_one(r, a, e, instances::Power::Stop),
                        Params::default().set("InstanceId", id),
                        at,
                    )?;
                }
                other => {
                    return Err(format!(
                        "{at}.Status: `{other}`; a seeded instance is Running or Stopped"
                    ))
                }
            }
        }
        Ok(())
    }

    fn disk(&mut self, e: &Map<String, Value>, at: &str) -> Result<(), String> {
        known_keys(
            e,
            &[
                "DiskId",
                "ZoneId",
                "Size",
                "DiskCategory",
                "SnapshotId",
                "InstanceId",
                "DiskName",
                "Tags",
            ],
            at,
        )?;
        let made = self.call(
            "CreateDisk",
            disks::create_disk,
            Params::default()
                .set(
                    "ZoneId",
                    text(e, "ZoneId", at)?.unwrap_or_else(|| self.env.region.first_zone()),
                )
                .set("Size", number(e, "Size", at)?.unwrap_or(40).to_string())
                .set(
                    "DiskCategory",
                    text(e, "DiskCategory", at)?.unwrap_or("cloud_essd".into()),
                )
                .opt("SnapshotId", text(e, "SnapshotId", at)?)
                .opt("DiskName", text(e, "DiskName", at)?)
                .tags(e, at)?,
            at,
        )?;
        let id = rename_to(
            &mut self.region.disks,
            str_of(&made, "DiskId"),
            text(e, "DiskId", at)?,
            |d, id| d.id = id.into(),
            at,
        )?;
        if let Some(instance) = text(e, "InstanceId", at)? {
            self.call(
                "AttachDisk",
                disks::attach_disk,
                Params::default()
                    .set("DiskId", id)
                    .set("InstanceId", instance),
                at,
            )?;
        }
        Ok(())
    }

    fn snapshot(&mut self, e: &Map<String, Value>, at: &str) -> Result<(), String> {
        known_keys(e, &["SnapshotId", "DiskId", "SnapshotName", "Tags"], at)?;
        let disk = text(e, "DiskId", at)?.ok_or(format!("{at}.DiskId is required"))?;
        if !self.region.disks.contains_key(&disk) {
            return Err(format!("{at}.DiskId: no disk `{disk}` is seeded"));
        }
        let made = self.region.snapshot_disk(
            &disk,
            &text(e, "SnapshotName", at)?.unwrap_or_default(),
            &self.env,
        );
        if let Some(s) = self.region.snapshots.get_mut(&made) {
            s.tags = tags_of(e, at)?;
        }
        rename_to(
            &mut self.region.snapshots,
            &made,
            text(e, "SnapshotId", at)?,
            |s, id| s.id = id.into(),
            at,
        )?;
        Ok(())
    }

    fn network_interface(&mut self, e: &Map<String, Value>, at: &str) -> Result<(), String> {
        known_keys(
            e,
            &[
                "NetworkInterfaceId",
                "VSwitchId",
                "ZoneId",
                "SecurityGroupId",
                "InstanceId",
                "NetworkInterfaceName",
                "Tags",
            ],
            at,
        )?;
        let vswitch = match text(e, "VSwitchId", at)? {
            Some(v) => v,
            None => {
                let zone = text(e, "ZoneId", at)?.unwrap_or_else(|| self.env.region.first_zone());
                self.region.default_vswitch(&zone, &self.env)
            }
        };
        let group = match text(e, "SecurityGroupId", at)? {
            Some(g) => g,
            None => {
                let vpc = self
                    .region
                    .vswitches
                    .get(&vswitch)
                    .map(|v| v.vpc_id.clone())
                    .unwrap_or_default();
                match self
                    .region
                    .security_groups
                    .values()
                    .find(|g| g.vpc_id == vpc)
                {
                    Some(g) => g.id.clone(),
                    None => self.region.default_security_group(&self.env),
                }
            }
        };
        let made = self.call(
            "CreateNetworkInterface",
            network_interfaces::create,
            Params::default()
                .set("VSwitchId", vswitch)
                .set("SecurityGroupId", group)
                .opt("NetworkInterfaceName", text(e, "NetworkInterfaceName", at)?)
                .tags(e, at)?,
            at,
        )?;
        let id = rename_to(
            &mut self.region.enis,
            str_of(&made, "NetworkInterfaceId"),
            text(e, "NetworkInterfaceId", at)?,
            |n, id| n.id = id.into(),
            at,
        )?;
        if let Some(instance) = text(e, "InstanceId", at)? {
            self.call(
                "AttachNetworkInterface",
                network_interfaces::attach,
                Params::default()
                    .set("NetworkInterfaceId", id)
                    .set("InstanceId", instance),
                at,
            )?;
        }
        Ok(())
    }

    fn command(&mut self, e: &Map<String, Value>, at: &str) -> Result<(), String> {
        known_keys(
            e,
            &[
                "CommandId",
                "Name",
                "Type",
                "CommandContent",
                "Description",
                "EnableParameter",
                "Tags",
            ],
            at,
        )?;
        let made = self.call(
            "CreateCommand",
            commands::create_command,
            Params::default()
                .set("Name", text(e, "Name", at)?.unwrap_or("seeded".into()))
                .set(
                    "Type",
                    text(e, "Type", at)?.unwrap_or("RunShellScript".into()),
                )
                .set(
                    "CommandContent",
                    text(e, "CommandContent", at)?.unwrap_or_default(),
                )
                .set("ContentEncoding", "PlainText")
                .opt("Description", text(e, "Description", at)?)
                .opt(
                    "EnableParameter",
                    e.get("EnableParameter").map(|v| v.to_string()),
                )
                .tags(e, at)?,
            at,
        )?;
        rename_to(
            &mut self.region.commands,
            str_of(&made, "CommandId"),
            text(e, "CommandId", at)?,
            |c, id| c.id = id.into(),
            at,
        )?;
        Ok(())
    }

    fn invocation(&mut self, e: &Map<String, Value>, at: &str) -> Result<(), String> {
        known_keys(e, &["InvokeId", "CommandId", "InstanceIds", "Tags"], at)?;
        let command = text(e, "CommandId", at)?.ok_or(format!("{at}.CommandId is required"))?;
        let mut p = Params::default();
        p.set("CommandId", command);
        for (i, id) in strings(e, "InstanceIds", at)?.iter().enumerate() {
            p.set(&format!("InstanceId.{}", i + 1), id.clone());
        }
        p.tags(e, at)?;
        let made = self.call("InvokeCommand", commands::invoke_command, &p, at)?;
        rename_to(
            &mut self.region.invocations,
            str_of(&made, "InvokeId"),
            text(e, "InvokeId", at)?,
            |i, id| i.id = id.into(),
            at,
        )?;
        Ok(())
    }
}

impl Region {
    /// Gives a new instance another id, its disks and interfaces following.
    pub fn rename_instance(&mut self, old: &str, new: &str) -> Result<(), String> {
        rename(&mut self.instances, old, new, |i, id| i.id = id.into(), "")?;
        for d in self
            .disks
            .values_mut()
            .filter(|d| d.instance.as_deref() == Some(old))
        {
            d.instance = Some(new.to_string());
        }
        for n in self
            .enis
            .values_mut()
            .filter(|n| n.instance.as_deref() == Some(old))
        {
            n.instance = Some(new.to_string());
        }
        Ok(())
    }
}

/// Moves `map[old]` to `map[new]`, `set` updating the id inside.
fn rename<T>(
    map: &mut BTreeMap<String, T>,
    old: &str,
    new: &str,
    set: fn(&mut T, &str),
    at: &str,
) -> Result<(), String> {
    if old == new {
        return Ok(());
    }
    if map.contains_key(new) {
        return Err(format!("{at}: the id `{new}` is taken"));
    }
    let mut item = map
        .remove(old)
        .ok_or(format!("{at}: nothing was made to name `{new}`"))?;
    set(&mut item, new);
    map.insert(new.to_string(), item);
    Ok(())
}

/// [`rename`] when the document names an id; the id the resource ends
/// up with.
fn rename_to<T>(
    map: &mut BTreeMap<String, T>,
    made: &str,
    wanted: Option<String>,
    set: fn(&mut T, &str),
    at: &str,
) -> Result<String, String> {
    match wanted {
        Some(id) => rename(map, made, &id, set, at).map(|()| id),
        None => Ok(made.to_string()),
    }
}

fn str_of<'v>(v: &'v Value, key: &str) -> &'v str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn object<'v>(v: &'v Value, at: &str) -> Result<&'v Map<String, Value>, String> {
    v.as_object().ok_or(format!("{at} must be a JSON object"))
}

fn list<'v>(m: &'v Map<String, Value>, key: &str, at: &str) -> Result<&'v Vec<Value>, String> {
    m.get(key)
        .ok_or(format!("{at}.{key} is required"))?
        .as_array()
        .ok_or(format!("{at}.{key} must be a JSON list"))
}

fn optional_list(m: &Map<String, Value>, key: &str, at: &str) -> Result<Vec<Value>, String> {
    match m.get(key) {
        None => Ok(Vec::new()),
        Some(_) => list(m, key, at).cloned(),
    }
}

fn text(m: &Map<String, Value>, key: &str, at: &str) -> Result<Option<String>, String> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format!("{at}.{key} must be a string")),
    }
}

fn number(m: &Map<String, Value>, key: &str, at: &str) -> Result<Option<i64>, String> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_i64()
            .map(Some)
            .ok_or(format!("{at}.{key} must be a whole number")),
    }
}

fn strings(m: &Map<String, Value>, key: &str, at: &str) -> Result<Vec<String>, String> {
    optional_list(m, key, at)?
        .iter()
        .map(|v| {
            v.as_str()
                .map(String::from)
                .ok_or(format!("{at}.{key} must list strings"))
        })
        .collect()
}

fn known_keys(m: &Map<String, Value>, allowed: &[&str], at: &str) -> Result<(), String> {
    match m.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(format!(
            "{at}.{k} is not a seed field; the fields here are {}",
            allowed.join(", ")
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn seeds_instances_with_their_disks_under_the_ids_asked_for() {
        let mut world = World::default();
        let doc = json!({"Regions": [{
            "RegionId": "cn-hangzhou",
            "Defaults": {"RunInstances": {"ImageId": "aliyun_3_x64_20G_alibase_20240819.vhd", "InstanceType": "ecs.g7.large"}},
            "Instances": [
                {"Count": 3, "ZoneId": "cn-hangzhou-h", "Tags": {"team": "web"}},
                {"InstanceId": "i-db", "Status": "Stopped", "DataDisks": [{"DiskId": "d-data", "Size": 100}]}
            ],
            "Snapshots": [{"SnapshotId": "s-daily", "DiskId": "d-data"}],
        }]});
        apply(&mut world, &doc, 1_000).unwrap();
        let region = &world.regions["cn-hangzhou"];
        assert_eq!(region.instances.len(), 4);
        let db = &region.instances["i-db"];
        assert_eq!(db.lifecycle.status(1_000), "Stopped");
        assert_eq!(region.disks["d-data"].instance.as_deref(), Some("i-db"));
        assert_eq!(region.disks["d-data"].size, 100);
        assert_eq!(region.snapshots["s-daily"].disk_id, "d-data");
        let web = region
            .instances
            .values()
            .filter(|i| i.tags.get("team").map(String::as_str) == Some("web"))
            .count();
        assert_eq!(web, 3);
    }

    #[test]
    fn a_typo_is_refused_with_where_it_is() {
        let mut world = World::default();
        let doc = json!({"Regions": [{"RegionId": "cn-hangzhou", "Instances": [{"Cuont": 2}]}]});
        let err = apply(&mut world, &doc, 0).unwrap_err();
        assert!(
            err.starts_with("Regions[0].Instances[0].Cuont is not a seed field"),
            "{err}"
        );
    }

    #[test]
    fn an_instance_without_an_image_or_type_says_which_is_missing() {
        let mut world = World::default();
        let doc = json!({"Regions": [{"RegionId": "cn-hangzhou", "Instances": [{}]}]});
        let err = apply(&mut world, &doc, 0).unwrap_err();
        assert!(err.contains("ImageId"), "{err}");
    }
}
