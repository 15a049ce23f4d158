//! Cloud Assistant: commands, invocations and their per-instance results.
//! An invocation runs `Running` for one transition, then `Success` or
//! `Failed` by the script's exit code; its output is what [`script`]
//! computes for the instance, served Base64-encoded unless the caller asks
//! for plain text, as the service does.

use super::args::Args;
use super::clock::{iso_minutes, iso_seconds, Millis, Timeline};
use super::errors::ApiError;
use super::ids;
use super::paging::{self, Limits};
use super::script::{self, Machine};
use super::state::Region;
use super::tags::{self, Tags};
use super::Env;
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// Instances one invocation may target.
const MAX_TARGETS: usize = 100;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Command {
    pub id: String,
    pub name: String,
    pub description: String,
    /// `RunShellScript`, `RunBatScript` or `RunPowerShellScript`.
    pub kind: String,
    /// The script, decoded.
    pub content: String,
    pub working_dir: String,
    pub timeout: i64,
    pub enable_parameter: bool,
    pub parameter_names: Vec<String>,
    pub created: Millis,
    pub tags: Tags,
    pub invoke_times: u64,
    /// Listed by DescribeCommands (RunCommand keeps its command only when
    /// asked to).
    pub kept: bool,
    #[serde(default)]
    pub resource_group: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Invocation {
    pub id: String,
    pub command_id: String,
    pub command_name: String,
    pub command_type: String,
    pub command_content: String,
    pub command_description: String,
    pub parameters: String,
    pub username: String,
    pub working_dir: String,
    pub timeout: i64,
    pub created: Millis,
    pub tags: Tags,
    pub termination_mode: String,
    pub targets: Vec<Target>,
}

/// One instance's run of an invocation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Target {
    pub instance_id: String,
    pub output: String,
    pub exit_code: i64,
    /// Set when the run could not start (`InstanceNotRunning`).
    pub error_code: String,
    pub error_info: String,
    /// `Running`, then `Success`, `Failed` or `Stopped`.
    pub lifecycle: Timeline,
}

impl Target {
    fn status(&self, now: Millis) -> &str {
        self.lifecycle.status(now)
    }

    fn finished(&self, now: Millis) -> bool {
        self.lifecycle.is_settled(now)
    }

    /// The legacy per-instance status: `Running`, `Finished`, `Failed`, `Stopped`.
    fn legacy(&self, now: Millis) -> &str {
        match self.status(now) {
            "Success" => "Finished",
            other => other,
        }
    }
}

impl Invocation {
    /// The whole invocation's status from its instances'.
    fn status(&self, now: Millis) -> &'static str {
        let statuses: Vec<&str> = self.targets.iter().map(|t| t.status(now)).collect();
        let all = |s: &str| statuses.iter().all(|x| *x == s);
        if statuses.contains(&"Running") {
            "Running"
        } else if all("Success") {
            "Success"
        } else if all("Stopped") {
            "Stopped"
        } else if all("Failed") {
            "Failed"
        } else {
            "PartialFailed"
        }
    }

    /// The legacy `InvokeStatus`.
    fn legacy_status(&self, now: Millis) -> &'static str {
        match self.status(now) {
            "Success" => "Finished",
            "PartialFailed" => "PartialFinished",
            other => other,
        }
    }
}

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

/// `{{name}}` placeholders of a script, in order, once each.
fn placeholders(content: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut rest = content;
    while let Some(start) = rest.find("{{") {
        let Some(end) = rest[start..].find("}}") else {
            break;
        };
        let name = rest[start + 2..start + end].trim().to_string();
        if !name.is_empty() && !name.starts_with("ACS::") && !names.contains(&name) {
            names.push(name);
        }
        rest = &rest[start + end + 2..];
    }
    names
}

/// The command's content, decoded from Base64 unless `PlainText`.
fn content_of(args: &Args, default_encoding: &str) -> Result<String, ApiError> {
    let raw = args.string_or("CommandContent", "");
    let encoding = args.string_or("ContentEncoding", default_encoding);
    if encoding.eq_ignore_ascii_case("PlainText") {
        return Ok(raw);
    }
    b64()
        .decode(raw.trim())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or_else(|| ApiError::invalid("CmdContent.DecodeError", "CommandContent is not Base64 text; set ContentEncoding=PlainText to send the script as is."))
}

fn new_command(args: &Args, env: &Env, content: String, kept: bool) -> Result<Command, ApiError> {
    let kind = args.string_or("Type", "");
    if !["RunShellScript", "RunBatScript", "RunPowerShellScript"].contains(&kind.as_str()) {
        return Err(ApiError::new(404, "InvalidCmdType.NotFound", format!("`{kind}` is not a command type; use RunShellScript, RunBatScript or RunPowerShellScript.")));
    }
    let enable_parameter = args.flag("EnableParameter");
    Ok(Command {
        id: ids::hex("c-"),
        name: args.string_or("Name", ""),
        description: args.string_or("Description", ""),
        working_dir: args.string_or("WorkingDir", ""),
        timeout: args.int("Timeout").unwrap_or(60),
        parameter_names: if enable_parameter {
            placeholders(&content)
        } else {
            Vec::new()
        },
        enable_parameter,
        kind,
        content,
        created: env.now,
        tags: tags::from_args(args, "Tag")?,
        invoke_times: 0,
        kept,
        resource_group: args.string_or("ResourceGroupId", ""),
    })
}

pub fn create_command(region: &mut Region, args: &Args, env: &Env) -> Result<Value, ApiError> {
    let content = content_of(args, "Base64")?;
    let command = new_command(args, env, content, true)?;
    let id = command.id.clone();
    region.commands.insert(id.clone(), command);
    Ok(json!({"CommandId": id}))
}

fn visible<'r>(region: &'r Region, id: &str) -> Result<&'r Command, ApiError> {
    region
        .commands
        .get(id)
        .filter(|c| c.kept)
        .ok_or_else(|| ApiError::not_found("InvalidCmdId.NotFound", "command", id))
}

pub fn delete_command(region: &mut Region, args: &Args, env: &Env) -> Result<Value, ApiError> {
    let id = args.string_or("CommandId", "");
    visible(region, &id)?;
    if region
        .invocations
        .values()
        .any(|i| i.command_id == id && i.status(env.now) == "Running")
    {
        return Err(ApiError::new(
            403,
            "InvalidStatus.CmdIdInUse",
            format!("An invocation of `{id}` is still running."),
        ));
    }
    region.commands.remove(&id);
    Ok(json!({}))
}

/// The script as sent back: Base64 unless `ContentEncoding=PlainText`.
fn encoded(args: &Args, text: &str) -> String {
    if args
        .str("ContentEncoding")
        .is_some_and(|e| e.eq_ignore_ascii_case("PlainText"))
    {
        text.to_string()
    } else {
        b64().encode(text)
    }
}

pub fn describe_commands(region: &Region, args: &Args, _env: &Env) -> Result<Value, ApiError> {
    let tag_filter = tags::Filter::from_args(args);
    let field = |name: &str| args.str(name);
    // Public commands (`Provider`) are not simulated: none match.
    let public = field("Provider").is_some();
    let list: Vec<&Command> = region
        .commands
        .values()
        .filter(|c| c.kept && !public)
        .filter(|c| field("CommandId").is_none_or(|v| c.id == v))
        .filter(|c| field("Name").is_none_or(|v| c.name == v))
        .filter(|c| field("Type").is_none_or(|v| c.kind == v))
        .filter(|c| field("Description").is_none_or(|v| c.description == v))
        .filter(|c| tag_filter.matches(&c.tags))
        .collect();
    let page = paging::page(args, Limits::new(10, 50), list, |c| {
        paging::by_creation(c.created, &c.id)
    })?;
    let commands: Vec<Value> = page
        .items
        .iter()
        .map(|c| {
            json!({
                "CommandId": c.id,
                "Name": c.name,
                "Description": c.description,
                "Type": c.kind,
                "CommandContent": encoded(args, &c.content),
                "WorkingDir": c.working_dir,
                "Timeout": c.timeout,
                "EnableParameter": c.enable_parameter,
                "ParameterNames": {"ParameterName": c.parameter_names},
                "ParameterDefinitions": {"ParameterDefinition": []},
                "InvokeTimes": c.invoke_times,
                "CreationTime": iso_minutes(c.created),
                "Version": 1,
                "Latest": true,
                "Provider": "",
                "Category": "",
                "ResourceGroupId": c.resource_group,
                "Tags": tags::render(&c.tags),
            })
        })
        .collect();
    Ok(super::join([
        page.counts_and_token(),
        json!({
            "Commands": {"Command": commands},
        }),
    ]))
}

/// Starts `command` on `InstanceId.N`; returns the invocation's id.
fn invoke(
    region: &mut Region,
    command_id: &str,
    args: &Args,
    env: &Env,
) -> Result<String, ApiError> {
    let instances = args.list("InstanceId");
    if instances.is_empty() {
        return Err(ApiError::invalid(
            "MissingParam.InstanceId",
            "Give the instances to run on as InstanceId.N.",
        ));
    }
    if instances.len() > MAX_TARGETS {
        return Err(ApiError::new(
            403,
            "InstanceIds.ExceedLimit",
            format!(
                "{} instances; at most {MAX_TARGETS} per invocation.",
                instances.len()
            ),
        ));
    }
    for id in &instances {
        if !region.instances.contains_key(*id) {
            return Err(ApiError::new(
                404,
                "InvalidInstance.NotFound",
                format!("The instance `{id}` does not exist."),
            ));
        }
    }
    let command = region
        .commands
        .get(command_id)
        .cloned()
        .ok_or_else(|| ApiError::not_found("InvalidCmdId.NotFound", "command", command_id))?;
    let parameters: serde_json::Map<String, Value> = match args.str("Parameters") {
        Some(text) => serde_json::from_str(text).map_err(|_| {
            ApiError::invalid(
                "InvalidParameter.Parameters",
                "Parameters must be a JSON object of names to values.",
            )
        })?,
        None => serde_json::Map::new(),
    };
    if !parameters.is_empty() && !command.enable_parameter {
        return Err(ApiError::invalid(
            "Parameter.Disabled",
            format!("The command `{command_id}` was created without EnableParameter."),
        ));
    }
    if let Some(missing) = command
        .parameter_names
        .iter()
        .find(|n| !parameters.contains_key(*n))
    {
        return Err(ApiError::invalid(
            "Parameter.MissingValue",
            format!("The command needs a value for the parameter `{missing}`."),
        ));
    }
    let invoke_id = ids::hex("t-");
    let username = args.string_or(
        "Username",
        if command.kind == "RunShellScript" {
            "root"
        } else {
            "system"
        },
    );
    let working_dir = Some(command.working_dir.clone())
        .filter(|w| !w.is_empty())
        .unwrap_or_else(|| {
            if username == "root" {
                "/root".into()
            } else {
                format!("/home/{username}")
            }
        });
    let mut targets = Vec::new();
    for id in &instances {
        let instance = &region.instances[*id];
        let mut content = command.content.clone();
        if command.enable_parameter {
            for (name, value) in &parameters {
                let value = value
                    .as_str()
                    .map_or_else(|| value.to_string(), str::to_string);
                content = content.replace(&format!("{{{{{name}}}}}"), &value);
            }
            for (name, value) in [
                ("ACS::RegionId", env.region.id),
                ("ACS::InstanceId", id),
                ("ACS::InstanceName", instance.name.as_str()),
                ("ACS::InvokeId", invoke_id.as_str()),
                ("ACS::CommandId", command_id),
            ] {
                content = content.replace(&format!("{{{{{name}}}}}"), value);
            }
        }
        let machine = Machine {
            host_name: &instance.host_name,
            user: &username,
            working_dir: &working_dir,
        };
        let target = if instance.lifecycle.status(env.now) != "Running" {
            Target {
                instance_id: id.to_string(),
                output: String::new(),
                exit_code: 0,
                error_code: "InstanceNotRunning".into(),
                error_info: format!(
                    "the instance is {} when the task was created",
                    instance.lifecycle.status(env.now)
                ),
                lifecycle: Timeline::settled(env.now, "Failed"),
            }
        } else {
            let ran = if command.kind == "RunShellScript" {
                script::run_shell(&content, &machine)
            } else {
                script::run_windows(&content, &machine)
            };
            let end = if ran.exit_code == 0 {
                "Success"
            } else {
                "Failed"
            };
            Target {
                instance_id: id.to_string(),
                output: ran.output,
                exit_code: ran.exit_code,
                error_code: String::new(),
                error_info: String::new(),
                lifecycle: env.timeline(&["Running", end]),
            }
        };
        targets.push(target);
    }
    if let Some(c) = region.commands.get_mut(command_id) {
        c.invoke_times += 1;
    }
    let invocation = Invocation {
        id: invoke_id.clone(),
        command_id: command_id.to_string(),
        command_name: command.name,
        command_type: command.kind,
        command_content: command.content,
        command_description: command.description,
        parameters: Value::Object(parameters).to_string(),
        username,
        working_dir,
        timeout: args.int("Timeout").unwrap_or(command.timeout),
        created: env.now,
        tags: tags::from_args(args, "Tag")?,
        termination_mode: args.string_or("TerminationMode", "Process"),
        targets,
    };
    region.invocations.insert(invoke_id.clone(), invocation);
    Ok(invoke_id)
}

pub fn invoke_command(region: &mut Region, args: &Args, env: &Env) -> Result<Value, ApiError> {
    let command_id = args.string_or("CommandId", "");
    visible(region, &command_id)?;
    let id = invoke(region, &command_id, args, env)?;
    Ok(json!({"InvokeId": id}))
}

pub fn run_command(region: &mut Region, args: &Args, env: &Env) -> Result<Value, ApiError> {
    let content = content_of(args, "PlainText")?;
    let command = new_command(args, env, content, args.flag("KeepCommand"))?;
    let command_id = command.id.clone();
    region.commands.insert(command_id.clone(), command);
    let invoke_id = invoke(region, &command_id, args, env)?;
    Ok(json!({"CommandId": command_id, "InvokeId": invoke_id}))
}

pub fn stop_invocation(region: &mut Region, args: &Args, env: &Env) -> Result<Value, ApiError> {
    let id = args.string_or("InvokeId", "");
    let instances = args.list("InstanceId");
    let invocation = region
        .invocations
        .get_mut(&id)
        .ok_or_else(|| ApiError::not_found("InvalidInvokeId.NotFound", "invocation", &id))?;
    for t in invocation
        .targets
        .iter_mut()
        .filter(|t| instances.is_empty() || instances.contains(&t.instance_id.as_str()))
        .filter(|t| !t.finished(env.now))
    {
        t.lifecycle = Timeline::settled(env.now, "Stopped");
        t.output.clear();
        t.exit_code = -1;
    }
    Ok(json!({}))
}

/// What a finished run shows; nothing while it runs.
fn output_of(t: &Target, args: &Args, now: Millis) -> String {
    if t.finished(now) {
        encoded(args, &t.output)
    } else {
        String::new()
    }
}

fn finish_time(t: &Target, now: Millis) -> String {
    if t.finished(now) {
        iso_seconds(t.lifecycle.settles())
    } else {
        String::new()
    }
}

pub fn describe_invocations(region: &Region, args: &Args, env: &Env) -> Result<Value, ApiError> {
    let now = env.now;
    let field = |name: &str| args.str(name);
    let tag_filter = tags::Filter::from_args(args);
    let include_output = args.flag("IncludeOutput");
    let list: Vec<&Invocation> = region
        .invocations
        .values()
        .filter(|i| field("InvokeId").is_none_or(|v| i.id == v))
        .filter(|i| field("CommandId").is_none_or(|v| i.command_id == v))
        .filter(|i| field("CommandName").is_none_or(|v| i.command_name == v))
        .filter(|i| field("CommandType").is_none_or(|v| i.command_type == v))
        .filter(|i| {
            field("InvokeStatus").is_none_or(|v| i.legacy_status(now) == v || i.status(now) == v)
        })
        .filter(|i| {
            field("InstanceId").is_none_or(|v| i.targets.iter().any(|t| t.instance_id == v))
        })
        // Every invocation here runs once, none on a schedule.
        .filter(|_| field("RepeatMode").is_none_or(|v| v == "Once") && !args.flag("Timed"))
        .filter(|i| tag_filter.matches(&i.tags))
        .collect();
    let page = paging::page(args, Limits::new(10, 50), list, |i| {
        paging::by_creation(i.created, &i.id)
    })?;
    let invocations: Vec<Value> = page
        .items
        .iter()
        .map(|i| {
            let targets: Vec<Value> = i
                .targets
                .iter()
                .map(|t| {
                    json!({
                        "InstanceId": t.instance_id,
                        "InvocationStatus": t.status(now),
                        "InstanceInvokeStatus": t.legacy(now),
                        "Output": if include_output { output_of(t, args, now) } else { String::new() },
                        "ExitCode": t.exit_code,
                        "ErrorCode": t.error_code,
                        "ErrorInfo": t.error_info,
                        "Dropped": 0,
                        "Repeats": 1,
                        "Timed": false,
                        "CreationTime": iso_seconds(i.created),
                        "StartTime": iso_seconds(i.created),
                        "UpdateTime": iso_seconds(t.lifecycle.settles().min(now)),
                        "FinishTime": finish_time(t, now),
                        "StopTime": if t.status(now) == "Stopped" { iso_seconds(t.lifecycle.began()) } else { String::new() },
                    })
                })
                .collect();
            json!({
                "InvokeId": i.id,
                "CommandId": i.command_id,
                "CommandName": i.command_name,
                "CommandType": i.command_type,
                "CommandDescription": i.command_description,
                "CommandContent": encoded(args, &i.command_content),
                "Parameters": i.parameters,
                "InvocationStatus": i.status(now),
                "InvokeStatus": i.legacy_status(now),
                "RepeatMode": "Once",
                "Frequency": "",
                "Timed": false,
                "Username": i.username,
                "WorkingDir": i.working_dir,
                "Timeout": i.timeout,
                "CreationTime": iso_seconds(i.created),
                "ContainerId": "",
                "ContainerName": "",
                "TerminationMode": i.termination_mode,
                "InvokeInstances": {"InvokeInstance": targets},
                "Tags": tags::render(&i.tags),
            })
        })
        .collect();
    Ok(super::join([
        page.counts_and_token(),
        json!({
            "Invocations": {"Invocation": invocations},
        }),
    ]))
}

pub fn describe_invocation_results(
    region: &Region,
    args: &Args,
    env: &Env,
) -> Result<Value, ApiError> {
    let now = env.now;
    let field = |name: &str| args.str(name);
    let tag_filter = tags::Filter::from_args(args);
    let mut rows: Vec<(&Invocation, &Target)> = Vec::new();
    for i in region.invocations.values() {
        if field("InvokeId").is_some_and(|v| i.id != v)
            || field("CommandId").is_some_and(|v| i.command_id != v)
            || !tag_filter.matches(&i.tags)
        {
            continue;
        }
        for t in &i.targets {
            let record = t.legacy(now);
            if field("InstanceId").is_some_and(|v| t.instance_id != v)
                || field("InvokeRecordStatus").is_some_and(|v| v != record && v != t.status(now))
            {
                continue;
            }
            rows.push((i, t));
        }
    }
    let page = paging::page(args, Limits::new(10, 50), rows, |(i, t)| {
        format!(
            "{}/{}",
            paging::by_creation(i.created, &i.id),
            t.instance_id
        )
    })?;
    let results: Vec<Value> = page
        .items
        .iter()
        .map(|(i, t)| {
            json!({
                "InvokeId": i.id,
                "CommandId": i.command_id,
                "InstanceId": t.instance_id,
                "InvocationStatus": t.status(now),
                "InvokeRecordStatus": t.legacy(now),
                "Output": output_of(t, args, now),
                "ExitCode": t.exit_code,
                "ErrorCode": t.error_code,
                "ErrorInfo": t.error_info,
                "Dropped": 0,
                "Repeats": 1,
                "Username": i.username,
                "StartTime": iso_seconds(i.created),
                "FinishedTime": finish_time(t, now),
                "StopTime": if t.status(now) == "Stopped" { iso_seconds(t.lifecycle.began()) } else { String::new() },
                "ContainerId": "",
                "ContainerName": "",
                "TerminationMode": i.termination_mode,
                "Tags": tags::render(&i.tags),
            })
        })
        .collect();
    let invocation = super::join([
        page.counts_and_token(),
        json!({"InvocationResults": {"InvocationResult": results}}),
    ]);
    Ok(json!({ "Invocation": invocation }))
}
