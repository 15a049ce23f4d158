//! Generated waiters against the stateful simulator over HTTP, through the
//! typed client: each sees its resource's real lifecycle (the simulator's
//! clock moves one step after each describe call it answers, as time would
//! pass between polls) and returns, times out naming what is pending, or
//! stops at once on a failure state.

mod stepping;
#[path = "cloud_support/mod.rs"]
mod support;

use base64::Engine;
use ecs_api::attach_disk::AttachDiskRequest;
use ecs_api::attach_network_interface::AttachNetworkInterfaceRequest;
use ecs_api::create_disk::CreateDiskRequest;
use ecs_api::create_image::CreateImageRequest;
use ecs_api::create_snapshot::CreateSnapshotRequest;
use ecs_api::delete_instance::DeleteInstanceRequest;
use ecs_api::detach_network_interface::DetachNetworkInterfaceRequest;
use ecs_api::ecs_core::waiter::{LastSeen, WaitError};
use ecs_api::run_command::RunCommandRequest;
use ecs_api::stop_instance::StopInstanceRequest;
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use stepping::{step_after_each, Answers};
use support::{hangzhou, run, Lab, STEP};

/// Quick polls: the simulator's clock, not the wall clock, paces the
/// lifecycles.
const QUICK: Duration = Duration::from_millis(20);

async fn lab() -> Lab {
    Lab::seeded(hangzhou(json!({
        "SecurityGroups": [{"SecurityGroupId": "sg-web"}],
        "Instances": [
            {"InstanceId": "i-web-1", "ZoneId": "cn-hangzhou-h", "SecurityGroupId": "sg-web"},
            {"InstanceId": "i-web-2", "ZoneId": "cn-hangzhou-h", "SecurityGroupId": "sg-web"},
        ],
    })))
    .await
}

/// Moves the lab's clock one step after each `action` answer.
fn stepping(lab: &Lab, action: &'static str) -> Answers {
    step_after_each(&lab.sim, lab.clock.clone(), action, STEP)
}

/// The values at `list[].field` of each answer.
async fn states(lab: &Lab, answers: &Answers, list: &[&str], field: &str) -> Vec<Vec<String>> {
    answers
        .bodies(&lab.sim)
        .await
        .iter()
        .map(|body| {
            let mut node: &Value = body;
            for key in list {
                node = &node[key];
            }
            node.as_array()
                .into_iter()
                .flatten()
                .map(|item| item[field].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .collect()
}

async fn new_instances(lab: &Lab, amount: i32) -> Vec<String> {
    lab.client
        .run_instances(run(amount))
        .await
        .expect("RunInstances")
        .instance_id_sets
}

fn calls(lab: &Lab, action: &str) -> usize {
    lab.sim
        .requests()
        .iter()
        .filter(|r| r.param("Action").as_deref() == Some(action))
        .count()
}

#[tokio::test]
async fn instances_running_sees_pending_then_running_and_returns_the_instances() {
    let lab = lab().await;
    let ids = new_instances(&lab, 2).await;
    let answers = stepping(&lab, "DescribeInstances");
    let instances = lab
        .client
        .wait_until_instances_running(&ids)
        .min_delay(QUICK)
        .max_delay(QUICK)
        .timeout(Duration::from_secs(30))
        .await
        .expect("the instances come up");

    let seen = states(&lab, &answers, &["Instances", "Instance"], "Status").await;
    assert_eq!(
        seen,
        [
            ["Pending", "Pending"],
            ["Starting", "Starting"],
            ["Running", "Running"]
        ]
    );
    let got: Vec<(String, String)> = instances
        .iter()
        .map(|i| (i.instance_id.clone().unwrap(), i.status.clone().unwrap()))
        .collect();
    assert_eq!(
        got,
        ids.iter()
            .map(|id| (id.clone(), "Running".to_string()))
            .collect::<Vec<_>>()
    );
    let polls = lab.sim.requests();
    let sent: Vec<String> =
        serde_json::from_str(&polls.last().unwrap().param("InstanceIds").unwrap()).unwrap();
    assert!(sent.iter().all(|id| ids.contains(id)));
}

#[tokio::test]
async fn a_short_timeout_returns_the_timeout_error_naming_the_ids_still_pending() {
    let lab = lab().await;
    let new = new_instances(&lab, 1).await;
    // The clock stands still: the new instance stays Pending.
    let started = Instant::now();
    let err = lab
        .client
        .wait_until_instances_running(["i-web-1", new[0].as_str()])
        .min_delay(QUICK)
        .max_delay(QUICK)
        .timeout(Duration::from_millis(300))
        .await
        .expect_err("never Running");
    assert!(started.elapsed() < Duration::from_secs(5));

    let WaitError::TimedOut {
        waiter, ids, polls, ..
    } = &err
    else {
        panic!("a timeout: {err}")
    };
    assert_eq!(*waiter, "instances_running");
    assert!(*polls >= 2, "{polls}");
    let pending: Vec<(&str, &LastSeen)> = err
        .pending()
        .map(|s| (s.id.as_str(), &s.last_seen))
        .collect();
    assert_eq!(
        pending,
        [(new[0].as_str(), &LastSeen::State("Pending".into()))]
    );
    assert!(ids.iter().any(|s| s.id == "i-web-1" && s.done));
    let text = err.to_string();
    assert!(
        text.contains(&format!("1 of 2 not done: {} (Pending)", new[0])),
        "{text}"
    );
}

#[tokio::test]
async fn a_failure_state_ends_the_wait_at_once() {
    let lab = lab().await;
    lab.client
        .stop_instance(StopInstanceRequest::new("i-web-1"))
        .await
        .expect("StopInstance");
    let started = Instant::now();
    let err = lab
        .client
        .wait_until_instances_running(["i-web-1", "i-web-2"])
        .timeout(Duration::from_secs(600))
        .await
        .expect_err("Stopping is a failure state");
    assert!(started.elapsed() < Duration::from_secs(5));
    let WaitError::Failed { waiter, id, state } = &err else {
        panic!("a failure: {err}")
    };
    assert_eq!(
        (*waiter, id.as_str(), state.as_str()),
        ("instances_running", "i-web-1", "Stopping")
    );
    assert_eq!(calls(&lab, "DescribeInstances"), 1, "one poll");
    assert_eq!(
        err.to_string(),
        "instances_running: i-web-1 reached failure state `Stopping`"
    );
}

#[tokio::test]
async fn two_hundred_fifty_ids_are_polled_in_calls_of_at_most_100() {
    let lab = Lab::seeded(hangzhou(
        json!({"Instances": [{"Count": 250, "ZoneId": "cn-hangzhou-h"}]}),
    ))
    .await;
    let ids: Vec<String> = lab
        .client
        .describe_instances_paginator(Default::default())
        .page_size(100)
        .collect_items()
        .await
        .unwrap()
        .into_iter()
        .map(|i| i.instance_id.unwrap())
        .collect();
    let before = lab.sim.requests().len();
    let done = lab
        .client
        .wait_until_instances_running(&ids)
        .await
        .expect("all Running");
    assert_eq!(done.len(), 250);
    let batches: Vec<usize> = lab.sim.requests()[before..]
        .iter()
        .map(|r| {
            serde_json::from_str::<Vec<String>>(&r.param("InstanceIds").unwrap())
                .unwrap()
                .len()
        })
        .collect();
    assert_eq!(batches, [100, 100, 50]);
}

#[tokio::test]
async fn instances_stopped_then_deleted_follow_a_release() {
    let lab = lab().await;
    let answers = stepping(&lab, "DescribeInstances");
    lab.client
        .stop_instance(StopInstanceRequest::new("i-web-1"))
        .await
        .unwrap();
    let stopped = lab
        .client
        .wait_until_instances_stopped(["i-web-1"])
        .min_delay(QUICK)
        .max_delay(QUICK)
        .await
        .expect("Stopped");
    assert_eq!(stopped[0].status.as_deref(), Some("Stopped"));
    assert_eq!(
        states(&lab, &answers, &["Instances", "Instance"], "Status").await,
        [["Stopping"], ["Stopped"]]
    );

    lab.client
        .delete_instance(DeleteInstanceRequest::new("i-web-1"))
        .await
        .expect("DeleteInstance");
    let gone = lab
        .client
        .wait_until_instances_deleted(["i-web-1"])
        .min_delay(QUICK)
        .await
        .expect("gone");
    assert!(gone.is_empty(), "a deleted instance has no item");
}

#[tokio::test]
async fn disks_available_then_in_use_follow_creation_and_attachment() {
    let lab = lab().await;
    let answers = stepping(&lab, "DescribeDisks");
    let disk = lab
        .client
        .create_disk(CreateDiskRequest {
            zone_id: Some("cn-hangzhou-h".into()),
            size: Some(40),
            disk_category: Some("cloud_essd".into()),
            ..CreateDiskRequest::new()
        })
        .await
        .unwrap()
        .disk_id
        .unwrap();
    let available = lab
        .client
        .wait_until_disks_available([disk.as_str()])
        .min_delay(QUICK)
        .await
        .expect("Available");
    assert_eq!(available[0].status.as_deref(), Some("Available"));
    assert_eq!(
        states(&lab, &answers, &["Disks", "Disk"], "Status").await,
        [["Creating"], ["Available"]]
    );
    lab.client
        .attach_disk(AttachDiskRequest::new("i-web-1", disk.as_str()))
        .await
        .unwrap();
    let in_use = lab
        .client
        .wait_until_disks_in_use([disk.as_str()])
        .min_delay(QUICK)
        .await
        .expect("In_use");
    assert_eq!(in_use[0].instance_id.as_deref(), Some("i-web-1"));
    assert_eq!(
        states(&lab, &answers, &["Disks", "Disk"], "Status").await,
        [["Creating"], ["Available"], ["Attaching"], ["In_use"]]
    );
}

#[tokio::test]
async fn snapshots_accomplished_and_images_available_follow_their_creation() {
    let lab = lab().await;
    let system_disk = lab.system_disk("i-web-1").await;
    let snapshots = stepping(&lab, "DescribeSnapshots");
    let snapshot = lab
        .client
        .create_snapshot(CreateSnapshotRequest::new(system_disk.as_str()))
        .await
        .unwrap()
        .snapshot_id
        .unwrap();
    let done = lab
        .client
        .wait_until_snapshots_accomplished([snapshot.as_str()])
        .min_delay(QUICK)
        .await
        .expect("accomplished");
    assert_eq!(done[0].status.as_deref(), Some("accomplished"));
    assert_eq!(
        states(&lab, &snapshots, &["Snapshots", "Snapshot"], "Status").await,
        [["progressing"], ["accomplished"]]
    );

    let images = stepping(&lab, "DescribeImages");
    let image = lab
        .client
        .create_image(CreateImageRequest {
            instance_id: Some("i-web-1".into()),
            image_name: Some("golden".into()),
            ..CreateImageRequest::new()
        })
        .await
        .unwrap()
        .image_id
        .unwrap();
    let ready = lab
        .client
        .wait_until_images_available([image.as_str()])
        .min_delay(QUICK)
        .await
        .expect("Available");
    assert_eq!(ready[0].image_name.as_deref(), Some("golden"));
    // DescribeImages lists only Available images unless asked: the waiter
    // asks for every state, so it sees Creating too.
    assert_eq!(
        states(&lab, &images, &["Images", "Image"], "Status").await,
        [["Creating"], ["Available"]]
    );
    let poll = lab.sim.requests().last().unwrap().clone();
    assert_eq!(poll.param("ImageId").as_deref(), Some(image.as_str()));
    assert!(poll.param("Status").unwrap().contains("Creating"));
}

#[tokio::test]
async fn invocation_finished_returns_each_instances_result_with_its_output() {
    let lab = lab().await;
    let answers = stepping(&lab, "DescribeInvocationResults");
    let invoke_id = lab
        .client
        .run_command(RunCommandRequest {
            instance_id: vec!["i-web-1".into(), "i-web-2".into()],
            ..RunCommandRequest::new("RunShellScript", "echo hello from $(hostname); exit 3")
        })
        .await
        .unwrap()
        .invoke_id
        .unwrap();
    let results = lab
        .client
        .wait_until_invocation_finished(invoke_id.as_str(), Vec::<String>::new())
        .min_delay(QUICK)
        .await
        .expect("finished");
    let got: Vec<(String, String, Option<i64>)> = results
        .iter()
        .map(|r| {
            (
                r.instance_id.clone().unwrap(),
                r.invocation_status.clone().unwrap(),
                r.exit_code,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("i-web-1".to_string(), "Failed".to_string(), Some(3)),
            ("i-web-2".to_string(), "Failed".to_string(), Some(3)),
        ]
    );
    let output = base64::engine::general_purpose::STANDARD
        .decode(results[0].output.as_deref().unwrap())
        .unwrap();
    assert!(String::from_utf8_lossy(&output).starts_with("hello from"));
    let seen = states(
        &lab,
        &answers,
        &["Invocation", "InvocationResults", "InvocationResult"],
        "InvocationStatus",
    )
    .await;
    assert_eq!(seen, [["Running", "Running"], ["Failed", "Failed"]]);
    let poll = lab.sim.requests().last().unwrap().clone();
    assert_eq!(poll.param("InvokeId").as_deref(), Some(invoke_id.as_str()));
}

#[tokio::test]
async fn network_interfaces_available_follows_a_detachment() {
    let lab = Lab::seeded(hangzhou(json!({
        "VSwitches": [{"VSwitchId": "vsw-web", "ZoneId": "cn-hangzhou-h", "CidrBlock": "172.20.1.0/24"}],
        "SecurityGroups": [{"SecurityGroupId": "sg-web"}],
        "Instances": [{"InstanceId": "i-web-1", "VSwitchId": "vsw-web", "SecurityGroupIds": ["sg-web"]}],
        "NetworkInterfaces": [{"NetworkInterfaceId": "eni-spare", "VSwitchId": "vsw-web"}],
    })))
    .await;
    let eni = "eni-spare";
    lab.client
        .attach_network_interface(AttachNetworkInterfaceRequest::new(eni, "i-web-1"))
        .await
        .unwrap();
    lab.step();
    let answers = stepping(&lab, "DescribeNetworkInterfaces");
    lab.client
        .detach_network_interface(DetachNetworkInterfaceRequest::new(eni, "i-web-1"))
        .await
        .unwrap();
    let available = lab
        .client
        .wait_until_network_interfaces_available([eni])
        .min_delay(QUICK)
        .await
        .expect("Available");
    assert_eq!(available[0].instance_id.as_deref().unwrap_or(""), "");
    assert_eq!(
        states(
            &lab,
            &answers,
            &["NetworkInterfaceSets", "NetworkInterfaceSet"],
            "Status"
        )
        .await,
        [["Detaching"], ["Available"]]
    );
    let poll = lab.sim.requests().last().unwrap().clone();
    assert_eq!(poll.param("NetworkInterfaceId.1").as_deref(), Some(eni));
}
