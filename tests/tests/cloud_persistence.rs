//! Nothing lost: a cloud kept in a state file comes back whole after a
//! restart, and a crash mid-write never leaves a file that cannot be read.

use ecs_simulator::cloud::{Call, Cloud, Settings};
use serde_json::Value;
use std::path::Path;
use std::time::Duration;

fn settings() -> Settings {
    Settings {
        transition: Duration::ZERO,
        ..Settings::default()
    }
}

fn open(path: &Path) -> Cloud {
    Cloud::open(path, settings()).expect("the state file opens")
}

fn call(cloud: &Cloud, action: &str, params: &[(&str, &str)]) -> Value {
    let mut owned: Vec<(String, String)> = params
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    owned.push(("RegionId".into(), "cn-hangzhou".into()));
    let reply = cloud
        .handle(&Call {
            action,
            params: &owned,
        })
        .expect("modeled");
    assert!(reply.is_success(), "{action}: {:#}", reply.body);
    reply.body
}

fn launch(cloud: &Cloud, amount: usize, extra: &[(&str, &str)]) -> Vec<String> {
    let amount = amount.to_string();
    let mut params = vec![
        ("ImageId", "aliyun_3_x64_20G_alibase_20240819.vhd"),
        ("InstanceType", "ecs.g7.large"),
        ("Amount", amount.as_str()),
    ];
    params.extend_from_slice(extra);
    let body = call(cloud, "RunInstances", &params);
    body["InstanceIdSets"]["InstanceIdSet"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

/// Every instance, disk, interface and group, as the API lists them.
fn inventory(cloud: &Cloud) -> Vec<Value> {
    let list = |action: &str, pointer: &str| {
        let body = call(cloud, action, &[("MaxResults", "100")]);
        let mut items = body.pointer(pointer).cloned().unwrap_or_default();
        for item in items.as_array_mut().into_iter().flatten() {
            // The moment of the listing, not part of what was kept.
            item.as_object_mut().map(|o| o.remove("RequestId"));
        }
        items
    };
    vec![
        list("DescribeInstances", "/Instances/Instance"),
        list("DescribeDisks", "/Disks/Disk"),
        list(
            "DescribeNetworkInterfaces",
            "/NetworkInterfaceSets/NetworkInterfaceSet",
        ),
        list("DescribeSecurityGroups", "/SecurityGroups/SecurityGroup"),
        list("DescribeSnapshots", "/Snapshots/Snapshot"),
    ]
}

#[test]
fn a_state_file_comes_back_whole_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let before = {
        let cloud = open(&path);
        let ids = launch(&cloud, 3, &[("Tag.1.Key", "team"), ("Tag.1.Value", "sdk")]);
        call(&cloud, "StopInstance", &[("InstanceId", &ids[0])]);
        let disk = call(
            &cloud,
            "CreateDisk",
            &[("ZoneId", "cn-hangzhou-b"), ("Size", "40")],
        );
        let disk = disk["DiskId"].as_str().unwrap().to_string();
        call(
            &cloud,
            "AttachDisk",
            &[("DiskId", &disk), ("InstanceId", &ids[1])],
        );
        call(&cloud, "CreateSnapshot", &[("DiskId", &disk)]);
        call(
            &cloud,
            "DeleteInstance",
            &[("InstanceId", &ids[2]), ("Force", "true")],
        );
        inventory(&cloud)
    };
    let cloud = open(&path);
    assert_eq!(inventory(&cloud), before);
    assert_eq!(before[0].as_array().unwrap().len(), 2);
}

#[test]
fn a_client_token_answered_before_a_restart_is_still_answered_after_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let first = launch(&open(&path), 2, &[("ClientToken", "batch-7")]);
    let cloud = open(&path);
    assert_eq!(launch(&cloud, 2, &[("ClientToken", "batch-7")]), first);
    assert_eq!(inventory(&cloud)[0].as_array().unwrap().len(), 2);
}

#[test]
fn a_seeded_fleet_is_kept_in_the_state_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    open(&path)
        .seed(&serde_json::json!({"Regions": [{"RegionId": "cn-hangzhou", "Instances": [
            {"InstanceId": "i-kept", "ImageId": "aliyun_3_x64_20G_alibase_20240819.vhd", "InstanceType": "ecs.g7.large"}
        ]}]}))
        .unwrap();
    let listed = call(&open(&path), "DescribeInstances", &[]);
    assert_eq!(listed["Instances"]["Instance"][0]["InstanceId"], "i-kept");
}

#[test]
fn a_truncated_temporary_file_left_by_a_crash_does_not_break_loading() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let before = {
        let cloud = open(&path);
        launch(&cloud, 2, &[]);
        inventory(&cloud)
    };
    // What a crash halfway through writing the next state leaves behind.
    let whole = std::fs::read(&path).unwrap();
    let stray = dir.path().join("state.json.tmp-424242");
    std::fs::write(&stray, &whole[..whole.len() / 2]).unwrap();
    let cloud = open(&path);
    assert_eq!(inventory(&cloud), before);
    assert!(!stray.exists(), "the stray temporary file is removed");
}

#[test]
fn a_torn_journal_line_loses_only_the_change_that_was_being_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let before = {
        let cloud = open(&path);
        launch(&cloud, 1, &[]);
        launch(&cloud, 1, &[]);
        inventory(&cloud)
    };
    let journal = dir.path().join("state.json.journal");
    assert!(
        std::fs::metadata(&journal).unwrap().len() > 0,
        "changes go to the journal"
    );
    // A crash in the middle of appending the next change.
    let mut text = std::fs::read_to_string(&journal).unwrap();
    text.push_str("{\"seq\":99,\"changes\":[{\"op\":\"Put\",\"region\":\"cn-hang");
    std::fs::write(&journal, text).unwrap();
    let cloud = open(&path);
    assert_eq!(inventory(&cloud), before);
    // And the next change is kept after it.
    launch(&cloud, 1, &[]);
    drop(cloud);
    assert_eq!(inventory(&open(&path))[0].as_array().unwrap().len(), 3);
}

#[test]
fn the_state_file_is_always_whole_while_changes_are_saved_and_folded_in() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let cloud = open(&path);
    let first = std::fs::read(&path).unwrap();
    let done = std::sync::atomic::AtomicBool::new(false);
    let user_data = "A".repeat(16 * 1024);
    std::thread::scope(|scope| {
        let reader = scope.spawn(|| {
            let mut reads = 0;
            while !done.load(std::sync::atomic::Ordering::SeqCst) {
                let bytes = std::fs::read(&path).expect("the state file is always there");
                serde_json::from_slice::<Value>(&bytes)
                    .expect("the state file is always whole JSON");
                reads += 1;
            }
            reads
        });
        for _ in 0..4 {
            launch(&cloud, 40, &[("UserData", &user_data)]);
        }
        done.store(true, std::sync::atomic::Ordering::SeqCst);
        assert!(reader.join().unwrap() > 0);
    });
    assert_ne!(
        std::fs::read(&path).unwrap(),
        first,
        "the journal was folded into the state file"
    );
    drop(cloud);
    assert_eq!(inventory(&open(&path))[0].as_array().unwrap().len(), 100);
}

#[test]
fn a_state_file_that_is_not_a_state_is_refused_with_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    std::fs::write(&path, "not json").unwrap();
    let err = Cloud::open(&path, settings()).unwrap_err();
    assert!(err.to_string().contains("state.json"), "{err}");
}
