//! A fleet's whole life through the typed client over HTTP: 250 instances
//! created across two zones in batches with `ClientToken` (a retried batch
//! creates nothing twice), listed with both paging styles, watched until
//! `Running`, half of them stopped and changed to another type, all of them
//! tagged, a Cloud Assistant command run on the running half and its output
//! read, all of them deleted, none left. Run once straight through, and once
//! with the simulator dropped and restarted on the same state file between
//! every step: nothing may be lost.

use base64::Engine;
use ecs_api::describe_instances::{DescribeInstancesRequest, Instance, Tag as TagFilter};
use ecs_api::run_instances::RunInstancesRequest;
use ecs_api::tag_resources::{Tag, TagResourcesRequest};
use ecs_simulator::cloud::{Clock, Cloud, Settings};
use ecs_simulator::simulator::Simulator;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

const STEP: Duration = Duration::from_secs(2);
const ZONES: [&str; 2] = ["cn-hangzhou-h", "cn-hangzhou-i"];
const BATCHES: [i32; 3] = [50, 50, 25];

/// The simulator under test, kept in a state file.
struct Fleet {
    sim: Option<Simulator>,
    client: ecs_api::Client,
    clock: Clock,
    path: PathBuf,
    restarts: bool,
    restarted: usize,
}

impl Fleet {
    async fn open(path: PathBuf, restarts: bool) -> Fleet {
        let clock = Clock::manual(SystemTime::UNIX_EPOCH + Duration::from_secs(1_750_000_000));
        let (sim, client) = Fleet::serve(&path, &clock).await;
        Fleet {
            sim: Some(sim),
            client,
            clock,
            path,
            restarts,
            restarted: 0,
        }
    }

    async fn serve(path: &std::path::Path, clock: &Clock) -> (Simulator, ecs_api::Client) {
        let settings = Settings {
            transition: STEP,
            clock: clock.clone(),
            ..Settings::default()
        };
        let cloud = Cloud::open(path, settings).expect("the state file opens");
        let sim = Simulator::start_with_cloud(Arc::new(cloud)).await;
        let client = sim.client();
        (sim, client)
    }

    /// Between steps: in the restarting run, drop the simulator and start
    /// a new one on the same state file.
    async fn checkpoint(&mut self) {
        if !self.restarts {
            return;
        }
        drop(self.sim.take());
        let (sim, client) = Fleet::serve(&self.path, &self.clock).await;
        self.sim = Some(sim);
        self.client = client;
        self.restarted += 1;
    }

    /// Every instance, paged with `NextToken`.
    async fn list_by_token(&self, filter: DescribeInstancesRequest) -> Vec<Instance> {
        let mut all = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let page = self
                .client
                .describe_instances(DescribeInstancesRequest {
                    max_results: Some(100),
                    next_token: token.clone(),
                    ..filter.clone()
                })
                .await
                .expect("DescribeInstances");
            all.extend(page.instances);
            token = page.next_token.filter(|t| !t.is_empty());
            if token.is_none() {
                return all;
            }
        }
    }

    /// Every instance, paged with `PageNumber`; checks `TotalCount`.
    async fn list_by_page(&self) -> Vec<Instance> {
        let mut all = Vec::new();
        for number in 1.. {
            let page = self
                .client
                .describe_instances(DescribeInstancesRequest {
                    page_number: Some(number),
                    page_size: Some(100),
                    ..DescribeInstancesRequest::new()
                })
                .await
                .expect("DescribeInstances");
            let total = page.total_count.unwrap_or_default() as usize;
            all.extend(page.instances);
            if all.len() >= total {
                assert_eq!(all.len(), total, "TotalCount matches what the pages hold");
                return all;
            }
        }
        unreachable!()
    }

    async fn statuses(&self) -> BTreeMap<String, String> {
        self.list_by_token(DescribeInstancesRequest::new())
            .await
            .into_iter()
            .map(|i| {
                (
                    i.instance_id.unwrap_or_default(),
                    i.status.unwrap_or_default(),
                )
            })
            .collect()
    }

    /// Polls until every instance of `ids` is `want`, moving the clock half
    /// a step between polls; returns the statuses seen on the way.
    async fn watch(&self, ids: &[String], want: &str) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        for _ in 0..20 {
            let now = self.statuses().await;
            let of_ids: Vec<&String> = ids.iter().map(|id| &now[id]).collect();
            seen.extend(of_ids.iter().map(|s| s.to_string()));
            if of_ids.iter().all(|s| *s == want) {
                return seen;
            }
            self.clock.advance(STEP / 2);
        }
        panic!("not all {want} after 20 polls: {seen:?}");
    }
}

fn run(zone: &str, amount: i32, token: &str) -> RunInstancesRequest {
    RunInstancesRequest {
        image_id: Some("aliyun_3_x64_20G_alibase_20240819.vhd".into()),
        instance_type: Some("ecs.g7.large".into()),
        zone_id: Some(zone.into()),
        amount: Some(amount),
        instance_name: Some("fleet-".into()),
        unique_suffix: Some(true),
        client_token: Some(token.into()),
        ..RunInstancesRequest::new()
    }
}

fn ids_of(instances: &[Instance]) -> Vec<String> {
    instances
        .iter()
        .map(|i| i.instance_id.clone().unwrap_or_default())
        .collect()
}

fn sorted(mut ids: Vec<String>) -> Vec<String> {
    ids.sort();
    ids
}

async fn workflow(restarts: bool) {
    let dir = tempfile::tempdir().unwrap();
    let mut fleet = Fleet::open(dir.path().join("ecs-state.json"), restarts).await;

    // Create 250 across two zones in batches, each with its own ClientToken.
    let mut created = Vec::new();
    let mut first_batch = Vec::new();
    for zone in ZONES {
        for (n, amount) in BATCHES.iter().enumerate() {
            let token = format!("fleet-{zone}-{n}");
            let ids = fleet
                .client
                .run_instances(run(zone, *amount, &token))
                .await
                .expect("RunInstances")
                .instance_id_sets;
            assert_eq!(ids.len(), *amount as usize);
            if first_batch.is_empty() {
                first_batch = ids.clone();
            }
            created.extend(ids);
        }
    }
    assert_eq!(created.len(), 250);
    fleet.checkpoint().await;

    // A retried batch (a lost answer, say) returns the same instances.
    let retried = fleet
        .client
        .run_instances(run(ZONES[0], BATCHES[0], &format!("fleet-{}-0", ZONES[0])))
        .await
        .expect("the retried RunInstances")
        .instance_id_sets;
    assert_eq!(retried, first_batch);
    fleet.checkpoint().await;

    // Both paging styles list the 250, each once.
    let by_token = ids_of(&fleet.list_by_token(DescribeInstancesRequest::new()).await);
    let by_page = ids_of(&fleet.list_by_page().await);
    let unique: BTreeSet<&String> = by_token.iter().collect();
    assert_eq!(unique.len(), 250, "250 unique ids");
    assert_eq!(by_token.len(), 250, "no id twice");
    assert_eq!(by_token, by_page, "both styles, the same order");
    assert_eq!(sorted(by_token), sorted(created.clone()));
    for zone in ZONES {
        let in_zone = fleet
            .list_by_token(DescribeInstancesRequest {
                zone_id: Some(zone.into()),
                ..DescribeInstancesRequest::new()
            })
            .await;
        assert_eq!(in_zone.len(), 125, "{zone}");
    }
    fleet.checkpoint().await;

    // Watch them come up.
    let seen = fleet.watch(&created, "Running").await;
    assert_eq!(
        seen,
        ["Pending", "Running", "Starting"].map(String::from).into(),
        "Pending -> Starting -> Running"
    );
    fleet.checkpoint().await;

    // Stop half.
    let (stopping, running) = created.split_at(125);
    for chunk in stopping.chunks(100) {
        let response = fleet
            .client
            .stop_instances(ecs_api::stop_instances::StopInstancesRequest::new(
                chunk.to_vec(),
            ))
            .await
            .expect("StopInstances");
        assert_eq!(response.instance_responses.len(), chunk.len());
    }
    fleet.checkpoint().await;
    let seen = fleet.watch(stopping, "Stopped").await;
    assert!(seen.contains("Stopping"), "{seen:?}");
    let now = fleet.statuses().await;
    assert!(running.iter().all(|id| now[id] == "Running"));
    fleet.checkpoint().await;

    // Change the stopped half's type, 25 calls at a time.
    for chunk in stopping.chunks(25) {
        let mut calls = tokio::task::JoinSet::new();
        for id in chunk {
            let client = fleet.client.clone();
            let request = ecs_api::modify_instance_spec::ModifyInstanceSpecRequest {
                instance_type: Some("ecs.g7.xlarge".into()),
                ..ecs_api::modify_instance_spec::ModifyInstanceSpecRequest::new(id.clone())
            };
            calls.spawn(async move { client.modify_instance_spec(request).await });
        }
        while let Some(done) = calls.join_next().await {
            done.unwrap().expect("ModifyInstanceSpec");
        }
    }
    fleet.checkpoint().await;
    let resized = fleet
        .list_by_token(DescribeInstancesRequest {
            instance_type: Some("ecs.g7.xlarge".into()),
            ..DescribeInstancesRequest::new()
        })
        .await;
    assert_eq!(sorted(ids_of(&resized)), sorted(stopping.to_vec()));
    assert!(resized
        .iter()
        .all(|i| i.cpu == Some(4) && i.memory == Some(16384)));
    fleet.checkpoint().await;

    // Tag all of them, and the stopped half once more.
    let tag = |key: &str, value: &str| Tag {
        key: Some(key.into()),
        value: Some(value.into()),
    };
    for chunk in created.chunks(50) {
        fleet
            .client
            .tag_resources(TagResourcesRequest::new(
                "instance",
                chunk.to_vec(),
                vec![tag("fleet", "blue")],
            ))
            .await
            .expect("TagResources");
    }
    for chunk in stopping.chunks(50) {
        fleet
            .client
            .tag_resources(TagResourcesRequest::new(
                "instance",
                chunk.to_vec(),
                vec![tag("role", "batch")],
            ))
            .await
            .expect("TagResources");
    }
    fleet.checkpoint().await;
    let tagged = |key: &str, value: &str| DescribeInstancesRequest {
        tag: vec![TagFilter {
            key: Some(key.into()),
            value: Some(value.into()),
            ..TagFilter::new()
        }],
        ..DescribeInstancesRequest::new()
    };
    assert_eq!(
        fleet.list_by_token(tagged("fleet", "blue")).await.len(),
        250
    );
    assert_eq!(
        sorted(ids_of(&fleet.list_by_token(tagged("role", "batch")).await)),
        sorted(stopping.to_vec())
    );
    let mut pairs = 0;
    let mut token: Option<String> = None;
    loop {
        let page = fleet
            .client
            .list_tag_resources(ecs_api::list_tag_resources::ListTagResourcesRequest {
                next_token: token.clone(),
                ..ecs_api::list_tag_resources::ListTagResourcesRequest::new("instance")
            })
            .await
            .expect("ListTagResources");
        pairs += page.tag_resources.len();
        token = page.next_token.filter(|t| !t.is_empty());
        if token.is_none() {
            break;
        }
    }
    assert_eq!(pairs, 375, "250 fleet tags and 125 role tags");
    fleet.checkpoint().await;

    // A Cloud Assistant command on the running half, and its output.
    let script = "#!/bin/bash\necho \"fleet check on $(hostname)\"\nhostname\necho ok";
    let mut invocations = Vec::new();
    for chunk in running.chunks(100) {
        let response = fleet
            .client
            .run_command(ecs_api::run_command::RunCommandRequest {
                instance_id: chunk.to_vec(),
                ..ecs_api::run_command::RunCommandRequest::new("RunShellScript", script)
            })
            .await
            .expect("RunCommand");
        invocations.push(response.invoke_id.expect("an InvokeId"));
    }
    fleet.checkpoint().await;
    let host_names: BTreeMap<String, String> = fleet
        .list_by_token(DescribeInstancesRequest::new())
        .await
        .into_iter()
        .map(|i| {
            (
                i.instance_id.unwrap_or_default(),
                i.host_name.unwrap_or_default(),
            )
        })
        .collect();
    let mut outputs = BTreeMap::new();
    for _ in 0..10 {
        outputs.clear();
        let mut done = 0;
        for invoke in &invocations {
            let mut token: Option<String> = None;
            loop {
                let page = fleet
                    .client
                    .describe_invocation_results(
                        ecs_api::describe_invocation_results::DescribeInvocationResultsRequest {
                            invoke_id: Some(invoke.clone()),
                            max_results: Some(50),
                            next_token: token.clone(),
                            ..Default::default()
                        },
                    )
                    .await
                    .expect("DescribeInvocationResults")
                    .invocation
                    .expect("an Invocation");
                for result in page.invocation_results {
                    if result.invocation_status.as_deref() == Some("Success") {
                        done += 1;
                    }
                    outputs.insert(
                        result.instance_id.unwrap_or_default(),
                        result.output.unwrap_or_default(),
                    );
                }
                token = page.next_token.filter(|t| !t.is_empty());
                if token.is_none() {
                    break;
                }
            }
        }
        if done == running.len() {
            break;
        }
        fleet.clock.advance(STEP / 2);
    }
    assert_eq!(outputs.len(), 125);
    for id in running {
        let output = base64::engine::general_purpose::STANDARD
            .decode(&outputs[id])
            .expect("Base64 output");
        let host = &host_names[id];
        assert_eq!(
            String::from_utf8(output).unwrap(),
            format!("fleet check on {host}\n{host}\nok\n"),
            "{id}"
        );
    }
    fleet.checkpoint().await;

    // Delete them all, running or not.
    for chunk in created.chunks(100) {
        fleet
            .client
            .delete_instances(ecs_api::delete_instances::DeleteInstancesRequest {
                force: Some(true),
                ..ecs_api::delete_instances::DeleteInstancesRequest::new(chunk.to_vec())
            })
            .await
            .expect("DeleteInstances");
    }
    fleet.checkpoint().await;

    // None left, nor their disks or interfaces.
    let left = fleet
        .client
        .describe_instances(DescribeInstancesRequest::new())
        .await
        .unwrap();
    assert_eq!((left.total_count, left.instances.len()), (Some(0), 0));
    let disks = fleet
        .client
        .describe_disks(Default::default())
        .await
        .unwrap();
    assert_eq!(disks.total_count, Some(0));
    let enis = fleet
        .client
        .describe_network_interfaces(Default::default())
        .await
        .unwrap();
    assert_eq!(enis.total_count, Some(0));
    if restarts {
        assert_eq!(fleet.restarted, 13, "a restart between every step");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_fleet_of_250_lives_through_create_list_run_stop_resize_tag_command_and_delete() {
    workflow(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_fleet_workflow_loses_nothing_across_a_restart_between_every_step() {
    workflow(true).await;
}
