//! Every operation end to end: a typed request built through the generated
//! API (see `codegen/src/cases.rs`), sent by the real client over HTTP to the
//! simulator, which verifies the signature, validates the parameters
//! against the metadata and answers from its state (or, for operations the
//! state does not model, from the metadata's example); the typed response
//! must hold every field of the body the simulator served.
//!
//! Each case runs against a simulator of its own, seeded with the resources
//! its request names (see [`fixtures`]): a case that stops an instance finds
//! it running, one that detaches a disk finds it attached, so every case is
//! answered with a success.

#[rustfmt::skip]
#[path = "e2e/cases.rs"]
mod cases;

use ecs_core::Operation;
use ecs_simulator::cloud::{Cloud, Settings};
use ecs_simulator::simulator::{Catalog, Simulator};
use serde_json::Value;
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

pub struct Harness {
    catalog: &'static Catalog,
    /// Cases the state answered (the others the metadata's example).
    by_state: AtomicUsize,
}

impl Harness {
    fn new() -> Harness {
        Harness {
            catalog: Catalog::pinned().unwrap_or_else(|e| panic!("{e}")),
            by_state: AtomicUsize::new(0),
        }
    }

    /// Sends `request` to a simulator seeded for it; the decoded response,
    /// serialized back, must contain the body served field for field.
    pub async fn check<O>(&self, request: O) -> Result<(), String>
    where
        O: Operation + Sync,
        O::Output: serde::Serialize,
    {
        let name = O::INFO.name;
        let params = ecs_core::query::to_params(&request).map_err(|e| e.to_string())?;
        let cloud = Arc::new(Cloud::with_settings(Settings {
            transition: Duration::ZERO,
            ..Settings::default()
        }));
        cloud
            .seed(&fixtures::seed(name, &params))
            .map_err(|e| format!("the fixture does not seed: {e}"))?;
        let sim = Simulator::start_with_cloud(cloud.clone()).await;
        let response = sim
            .client()
            .call(&request)
            .await
            .map_err(|e| format!("call failed: {e}"))?;
        let decoded = serde_json::to_value(&response).map_err(|e| e.to_string())?;
        let served = match cloud.last_answer() {
            Some((action, reply)) if action == name => {
                self.by_state.fetch_add(1, Ordering::Relaxed);
                reply.body
            }
            _ => self
                .catalog
                .example_body(name)
                .ok_or("the simulator has no body for this operation")?,
        };
        // A few operations spell it `requestId`, as Tea's readers accept.
        let request_id = ["RequestId", "requestId"]
            .iter()
            .find_map(|k| decoded.get(*k).and_then(Value::as_str));
        if request_id.is_none_or(str::is_empty) {
            return Err("the decoded response has no RequestId".into());
        }
        if sim.requests().len() != 1 {
            return Err(format!("{} requests for one call", sim.requests().len()));
        }
        let mut missing = Vec::new();
        contains(&served, &decoded, String::new(), &mut missing);
        missing.retain(|m| !m.starts_with("RequestId") && !m.starts_with("requestId"));
        if missing.is_empty() {
            Ok(())
        } else {
            Err(format!("lost in decoding: {}", missing.join("; ")))
        }
    }
}

/// The resources each case's request names, seeded in the state it needs:
/// what is started is stopped, what is detached is attached, a
/// subscription is renewed. Calls whose examples leave out a parameter the
/// service needs get it from the region's call defaults.
mod fixtures {
    use serde_json::{json, Map, Value};

    /// The region's first zone, where calls that name none land.
    const ZONE: &str = "cn-hangzhou-b";

    fn tags() -> Value {
        json!({"TestKey": "TestValue", "env": "prod"})
    }

    #[derive(Default)]
    struct Fleet {
        defaults: Map<String, Value>,
        instances: Vec<Value>,
        disks: Vec<Value>,
        snapshots: Vec<Value>,
        images: Vec<Value>,
        groups: Vec<Value>,
        key_pairs: Vec<Value>,
        enis: Vec<Value>,
        vswitches: Vec<Value>,
        commands: Vec<Value>,
        invocations: Vec<Value>,
    }

    /// Adds `entry` to `list` unless an entry with the same `key` is there.
    fn add(list: &mut Vec<Value>, key: &str, entry: Value) {
        if !list.iter().any(|e| e[key] == entry[key]) {
            list.push(entry);
        }
    }

    impl Fleet {
        fn instance(&mut self, id: &str, status: &str, charge: &str) {
            add(
                &mut self.instances,
                "InstanceId",
                json!({"InstanceId": id, "ZoneId": ZONE, "Status": status,
                       "InstanceChargeType": charge, "Period": 1, "Tags": tags()}),
            );
        }

        fn running(&mut self, id: &str) {
            self.instance(id, "Running", "PostPaid");
        }

        fn disk(&mut self, id: &str) {
            add(
                &mut self.disks,
                "DiskId",
                json!({"DiskId": id, "ZoneId": ZONE, "Size": 40, "Tags": tags()}),
            );
        }

        fn snapshot(&mut self, id: &str) {
            let disk = format!("d-of-{id}");
            self.disk(&disk);
            add(
                &mut self.snapshots,
                "SnapshotId",
                json!({"SnapshotId": id, "DiskId": disk, "Tags": tags()}),
            );
        }

        fn group(&mut self, id: &str) {
            add(
                &mut self.groups,
                "SecurityGroupId",
                json!({"SecurityGroupId": id, "Tags": tags()}),
            );
        }

        fn eni(&mut self, id: &str, attached_to: Option<&str>) {
            add(
                &mut self.enis,
                "NetworkInterfaceId",
                json!({"NetworkInterfaceId": id, "ZoneId": ZONE, "InstanceId": attached_to, "Tags": tags()}),
            );
        }

        fn command(&mut self, id: &str) {
            add(
                &mut self.commands,
                "CommandId",
                json!({"CommandId": id, "Name": "fixture", "CommandContent": "echo fixture", "Tags": tags()}),
            );
        }

        fn invocation(&mut self, id: &str, instances: &[String]) {
            let command = format!("c-of-{id}");
            self.command(&command);
            for i in instances {
                self.running(i);
            }
            add(
                &mut self.invocations,
                "InvokeId",
                json!({"InvokeId": id, "CommandId": command, "InstanceIds": instances, "Tags": tags()}),
            );
        }

        /// One of every resource, tagged, so a Describe call lists something.
        fn background(&mut self) {
            self.running("i-background");
            self.disk("d-background");
            self.snapshot("s-background");
            add(
                &mut self.images,
                "ImageId",
                json!({"ImageId": "m-background", "ImageName": "background", "Tags": tags()}),
            );
            add(
                &mut self.key_pairs,
                "KeyPairName",
                json!({"KeyPairName": "background", "Tags": tags()}),
            );
            self.eni("eni-background", None);
            self.invocation("t-background", &["i-background".to_string()]);
        }

        fn into_seed(self, region: &str) -> Value {
            json!({"Regions": [{
                "RegionId": region,
                "Defaults": self.defaults,
                "VSwitches": self.vswitches,
                "SecurityGroups": self.groups,
                "KeyPairs": self.key_pairs,
                "Images": self.images,
                "Instances": self.instances,
                "Disks": self.disks,
                "Snapshots": self.snapshots,
                "NetworkInterfaces": self.enis,
                "Commands": self.commands,
                "Invocations": self.invocations,
            }]})
        }
    }

    /// The seed for the case of `action` whose request is `params`.
    pub fn seed(action: &str, params: &[(String, String)]) -> Value {
        let one = |name: &str| {
            params
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        // `Name.N` and `Name.N.Field` values, e.g. all `NetworkInterface.N.VSwitchId`.
        let all = |prefix: &str, field: &str| -> Vec<String> {
            params
                .iter()
                .filter(|(k, _)| {
                    k.strip_prefix(prefix)
                        .and_then(|rest| rest.strip_prefix('.'))
                        .is_some_and(|rest| match rest.split_once('.') {
                            Some((n, f)) => n.parse::<u32>().is_ok() && f == field,
                            None => field.is_empty() && rest.parse::<u32>().is_ok(),
                        })
                })
                .map(|(_, v)| v.clone())
                .collect()
        };
        let json_list = |name: &str| -> Vec<String> {
            one(name)
                .and_then(|v| serde_json::from_str(&v).ok())
                .unwrap_or_default()
        };
        let instance_ids = || {
            let mut ids = all("InstanceId", "");
            ids.extend(one("InstanceId"));
            ids.extend(json_list("InstanceIds"));
            ids
        };

        let mut f = Fleet {
            defaults: serde_json::from_value(json!({
            "RunInstances": {"ImageId": "aliyun_3_x64_20G_alibase_20240819.vhd", "InstanceType": "ecs.g7.large"},
            "CreateInstance": {"ImageId": "aliyun_3_x64_20G_alibase_20240819.vhd"},
            "CreateDisk": {"ZoneId": ZONE, "Size": "40"},
            "RenewInstance": {"Period": "1"},
            "DescribeInstanceAutoRenewAttribute": {"RenewalStatus": "Normal"},
            "JoinSecurityGroup": {"InstanceId": "i-joining"},
            "LeaveSecurityGroup": {"InstanceId": "i-leaving"},
        }))
        .unwrap(),
            ..Fleet::default()
        };
        match action {
            "StartInstance" | "StartInstances" | "DeleteInstance" | "DeleteInstances"
            | "ModifyInstanceSpec" => {
                for id in instance_ids() {
                    f.instance(&id, "Stopped", "PostPaid");
                }
            }
            "ModifyPrepayInstanceSpec" | "RenewInstance" | "DescribeInstanceAutoRenewAttribute" => {
                for id in instance_ids() {
                    f.instance(&id, "Running", "PrePaid");
                }
                f.instance("i-subscription", "Running", "PrePaid");
            }
            "ModifyInstanceAutoRenewAttribute" => {
                for id in one("InstanceId").unwrap_or_default().split(',') {
                    f.instance(id, "Running", "PrePaid");
                }
            }
            "AttachDisk" => {
                instance_ids().iter().for_each(|i| f.running(i));
                one("DiskId").iter().for_each(|d| f.disk(d));
            }
            "DetachDisk" | "CreateSnapshot" => {
                let disk = one("DiskId").unwrap_or_default();
                let instance = one("InstanceId").unwrap_or_else(|| format!("i-with-{disk}"));
                add(
                    &mut f.instances,
                    "InstanceId",
                    json!({"InstanceId": instance, "ZoneId": ZONE, "DataDisks": [{"DiskId": disk}], "Tags": tags()}),
                );
            }
            "AttachNetworkInterface" | "DetachNetworkInterface" => {
                let instance = one("InstanceId").unwrap_or_default();
                f.running(&instance);
                let attached = (action == "DetachNetworkInterface").then_some(instance.as_str());
                f.eni(&one("NetworkInterfaceId").unwrap_or_default(), attached);
            }
            "AuthorizeSecurityGroup"
            | "AuthorizeSecurityGroupEgress"
            | "DeleteSecurityGroup"
            | "JoinSecurityGroup" => {
                one("SecurityGroupId").iter().for_each(|g| f.group(g));
                for peer in all("Permissions", "SourceGroupId")
                    .into_iter()
                    .chain(all("Permissions", "DestGroupId"))
                {
                    f.group(&peer);
                }
                f.running("i-joining");
            }
            "LeaveSecurityGroup" => {
                let group = one("SecurityGroupId").unwrap_or_default();
                f.group(&group);
                f.group("sg-stays");
                add(
                    &mut f.instances,
                    "InstanceId",
                    json!({"InstanceId": "i-leaving", "ZoneId": ZONE, "SecurityGroupIds": [group, "sg-stays"]}),
                );
            }
            "RevokeSecurityGroup"
            | "RevokeSecurityGroupEgress"
            | "DescribeSecurityGroupAttribute" => {
                let egress = action == "RevokeSecurityGroupEgress";
                let rules: Vec<Value> = all("SecurityGroupRuleId", "")
                    .into_iter()
                    .chain(std::iter::once("sgr-fixture".to_string()))
                    .enumerate()
                    .map(|(n, id)| {
                        json!({"SecurityGroupRuleId": id, "Direction": if egress { "egress" } else { "ingress" },
                               "IpProtocol": "TCP", "PortRange": format!("{}/{}", 22 + n, 22 + n),
                               "SourceCidrIp": "10.0.0.0/8", "DestCidrIp": "10.0.0.0/8"})
                    })
                    .collect();
                let id = one("SecurityGroupId").unwrap_or_default();
                add(
                    &mut f.groups,
                    "SecurityGroupId",
                    json!({"SecurityGroupId": id, "Permissions": rules}),
                );
            }
            "RunInstances" | "CreateInstance" => {
                for g in all("SecurityGroupIds", "")
                    .into_iter()
                    .chain(one("SecurityGroupId"))
                    .chain(all("NetworkInterface", "SecurityGroupId"))
                {
                    f.group(&g);
                }
                for v in one("VSwitchId")
                    .into_iter()
                    .chain(all("NetworkInterface", "VSwitchId"))
                {
                    add(
                        &mut f.vswitches,
                        "VSwitchId",
                        json!({"VSwitchId": v, "ZoneId": ZONE}),
                    );
                }
                for e in all("NetworkInterface", "NetworkInterfaceId") {
                    f.eni(&e, None);
                }
                for s in all("DataDisk", "SnapshotId") {
                    f.snapshot(&s);
                }
            }
            "CreateImage" => {
                for s in all("DiskDeviceMapping", "SnapshotId")
                    .into_iter()
                    .chain(one("SnapshotId"))
                {
                    f.snapshot(&s);
                }
                one("InstanceId").iter().for_each(|i| f.running(i));
            }
            "CreateNetworkInterface" => {
                if let Some(v) = one("VSwitchId") {
                    add(
                        &mut f.vswitches,
                        "VSwitchId",
                        json!({"VSwitchId": v, "ZoneId": ZONE}),
                    );
                }
                for g in all("SecurityGroupIds", "")
                    .into_iter()
                    .chain(one("SecurityGroupId"))
                {
                    f.group(&g);
                }
            }
            "DeleteDisk" | "ResizeDisk" | "ModifyDiskAttribute" => {
                for d in one("DiskId").into_iter().chain(all("DiskIds", "")) {
                    f.disk(&d);
                }
            }
            "DeleteSnapshot" => one("SnapshotId").iter().for_each(|s| f.snapshot(s)),
            "CopyImage" | "DeleteImage" => {
                if let Some(i) = one("ImageId") {
                    add(&mut f.images, "ImageId", json!({"ImageId": i}));
                }
            }
            "DeleteNetworkInterface" => one("NetworkInterfaceId")
                .iter()
                .for_each(|e| f.eni(e, None)),
            "DeleteKeyPairs" | "AttachKeyPair" | "DetachKeyPair" => {
                for k in json_list("KeyPairNames")
                    .into_iter()
                    .chain(one("KeyPairName"))
                {
                    add(&mut f.key_pairs, "KeyPairName", json!({"KeyPairName": k}));
                }
                instance_ids().iter().for_each(|i| f.running(i));
            }
            "ModifyInstanceAttribute" => {
                instance_ids().iter().for_each(|i| f.running(i));
                all("SecurityGroupIds", "").iter().for_each(|g| f.group(g));
            }
            "TagResources" | "UntagResources" | "ListTagResources" => {
                all("ResourceId", "").iter().for_each(|i| f.running(i));
            }
            "InvokeCommand" => {
                one("CommandId").iter().for_each(|c| f.command(c));
                instance_ids().iter().for_each(|i| f.running(i));
            }
            "StopInvocation" => {
                let instances = instance_ids();
                f.invocation(&one("InvokeId").unwrap_or_default(), &instances);
            }
            "DeleteCommand" => one("CommandId").iter().for_each(|c| f.command(c)),
            _ => instance_ids().iter().for_each(|i| f.running(i)),
        }
        if action.starts_with("Describe") || action.starts_with("List") {
            f.background();
        }
        let region = one("RegionId").unwrap_or_else(|| "cn-hangzhou".to_string());
        f.into_seed(&region)
    }
}

/// Whether `got` holds every field of `want` with an equal value; a number
/// or boolean may come back from text that spelled it (`"1"` -> `1`).
fn contains(want: &Value, got: &Value, path: String, missing: &mut Vec<String>) {
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => {
            for (k, wv) in w {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                match g.get(k) {
                    Some(gv) => contains(wv, gv, p, missing),
                    None if is_blank(wv) => {}
                    None => missing.push(format!("{p} absent")),
                }
            }
        }
        (Value::Array(w), Value::Array(g)) if w.len() == g.len() => {
            for (i, (wv, gv)) in w.iter().zip(g).enumerate() {
                contains(wv, gv, format!("{path}[{i}]"), missing);
            }
        }
        (w, g) if same_scalar(w, g) => {}
        (w, g) => missing.push(format!("{path}: sent {w}, decoded {g}")),
    }
}

fn is_blank(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Object(m) => m.values().all(is_blank),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

fn same_scalar(want: &Value, got: &Value) -> bool {
    if want == got {
        return true;
    }
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    match (text(want), text(got), got) {
        (Some(w), Some(g), Value::Number(_)) => match (w.parse::<f64>(), g.parse::<f64>()) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        },
        (Some(w), Some(g), Value::Bool(_)) => w.eq_ignore_ascii_case(&g),
        (Some(w), Some(g), Value::String(_)) => w == g,
        _ => false,
    }
}

#[tokio::test]
async fn every_operation_passes_end_to_end() {
    let h = Harness::new();
    let mut failures = Vec::new();
    for op in ecs_api::OPERATIONS.iter() {
        if let Err(e) = cases::run(&h, op.name).await {
            failures.push(format!("{}: {e}", op.name));
        }
    }
    let total = ecs_api::OPERATIONS.len();
    let passed = total - failures.len();
    let by_state = h.by_state.load(Ordering::Relaxed);
    // Written past the test harness's capture, so the count shows in CI logs.
    let _ = writeln!(
        std::io::stderr(),
        "end to end: {passed} of {total} operations passed ({by_state} answered by the simulated state)"
    );
    assert!(
        failures.is_empty(),
        "end to end: {passed} of {total} passed; failures:\n{}",
        failures.join("\n")
    );
    let modeled = ecs_simulator::cloud::modeled_actions().count();
    assert_eq!(
        by_state, modeled,
        "every action the state models answered by it"
    );
}

#[test]
fn scalars_compare_by_value_across_spellings() {
    assert!(same_scalar(&Value::from("1"), &Value::from(1)));
    assert!(same_scalar(&Value::from("0.50"), &Value::from(0.5)));
    assert!(same_scalar(&Value::from("True"), &Value::from(true)));
    assert!(!same_scalar(&Value::from("2"), &Value::from(1)));
    assert!(!same_scalar(&Value::from("x"), &Value::from(false)));
}

#[test]
fn a_dropped_field_is_reported_with_its_path() {
    let want = serde_json::json!({"A": {"B": [{"C": 1, "D": "x"}]}, "E": ""});
    let got = serde_json::json!({"A": {"B": [{"C": "1"}]}});
    let mut missing = Vec::new();
    contains(&want, &got, String::new(), &mut missing);
    assert_eq!(missing, ["A.B[0].D absent"]);
}

mod simulator_over_http {
    use ecs_api::describe_instances::DescribeInstancesRequest;
    use ecs_api::run_instances::RunInstancesRequest;
    use ecs_simulator::simulator::{Fault, Simulator};
    use std::time::Duration;

    #[tokio::test]
    async fn a_valid_dry_run_is_reported_as_passed() {
        let sim = Simulator::start().await;
        let request = RunInstancesRequest {
            dry_run: Some(true),
            image_id: Some("aliyun_3_x64_20G_alibase_20240819.vhd".into()),
            instance_type: Some("ecs.g7.large".into()),
            ..RunInstancesRequest::new()
        };
        let err = sim.client().run_instances(request).await.unwrap_err();
        assert!(err.is_dry_run_passed(), "{err}");
    }

    #[tokio::test]
    async fn a_wrong_secret_fails_the_signature_check_with_both_strings_to_sign() {
        let sim = Simulator::start().await;
        let client: ecs_api::Client = sim
            .builder()
            .credentials(ecs_core::Credentials::new(
                ecs_simulator::simulator::ACCESS_KEY_ID,
                "not-the-secret",
            ))
            .build()
            .unwrap()
            .into();
        let err = client
            .describe_instances(DescribeInstancesRequest::new())
            .await
            .unwrap_err();
        assert_eq!(err.code(), Some("SignatureDoesNotMatch"), "{err}");
        assert!(!err.to_string().contains("not-the-secret"), "{err}");
    }

    #[tokio::test]
    async fn injected_faults_are_retried_through_to_the_answer() {
        let sim = Simulator::start().await;
        sim.inject(Fault::Throttling);
        sim.inject(Fault::ServiceUnavailable);
        sim.inject(Fault::ConnectionReset);
        let response = sim
            .client()
            .describe_regions(ecs_api::describe_regions::DescribeRegionsRequest::new())
            .await
            .unwrap();
        assert!(!response.regions.is_empty());
        assert_eq!(sim.requests().len(), 4);
    }

    #[tokio::test]
    async fn a_non_json_answer_is_a_clear_error() {
        let sim = Simulator::start().await;
        sim.inject(Fault::NotJson);
        let client: ecs_api::Client = sim
            .builder()
            .retry_policy(ecs_core::RetryPolicy::disabled())
            .build()
            .unwrap()
            .into();
        let err = client
            .describe_instances(DescribeInstancesRequest::new())
            .await
            .unwrap_err();
        assert_eq!(err.status(), Some(502), "{err}");
        assert!(err.to_string().contains("502"), "{err}");
    }

    #[tokio::test]
    async fn a_slow_answer_trips_the_per_call_timeout() {
        let sim = Simulator::start().await;
        sim.inject(Fault::Slow(Duration::from_secs(3)));
        let client: ecs_api::Client = sim
            .builder()
            .read_timeout(Duration::from_millis(200))
            .retry_policy(ecs_core::RetryPolicy::disabled())
            .build()
            .unwrap()
            .into();
        let err = client
            .describe_instances(DescribeInstancesRequest::new())
            .await
            .unwrap_err();
        assert!(err.is_timeout(), "{err}");
    }

    #[tokio::test]
    async fn a_reused_nonce_is_refused_like_the_service_does() {
        let sim = Simulator::start().await;
        let client = sim.client();
        client
            .describe_instances(DescribeInstancesRequest::new())
            .await
            .unwrap();
        let first = sim.requests()[0].clone();
        let replay = reqwest_free_replay(&sim.url(), first.raw_query()).await;
        assert!(replay.contains("SignatureNonceUsed"), "{replay}");
    }

    /// Sends a raw POST with the given query over a plain TCP socket.
    async fn reqwest_free_replay(url: &str, query: &str) -> String {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let addr = url.trim_start_matches("http://");
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        let head = format!(
            "POST /?{query} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        let mut out = String::new();
        stream.read_to_string(&mut out).await.unwrap();
        out
    }
}
