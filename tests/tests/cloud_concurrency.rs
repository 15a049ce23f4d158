//! 64 clients at once over HTTP see one consistent state: every change
//! lands once, no two instances get one address, a shared `ClientToken`
//! creates one batch, and no listing shows a half-made instance.

#[path = "cloud_support/mod.rs"]
mod support;

use ecs_api::describe_instances::{DescribeInstancesRequest, Tag as TagFilter};
use ecs_api::run_instances::{RunInstancesRequest, Tag};
use std::collections::BTreeSet;
use support::{run, Lab};

const CLIENTS: usize = 64;

/// The instances of one listing are whole: one primary interface whose
/// address is the instance's, a security group, a vSwitch.
fn assert_whole(instances: &[ecs_api::describe_instances::Instance]) {
    for i in instances {
        let primary: Vec<_> = i
            .network_interfaces
            .iter()
            .filter(|n| n.type_.as_deref() == Some("Primary"))
            .collect();
        assert_eq!(primary.len(), 1, "{:?}", i.instance_id);
        let vpc = i.vpc_attributes.clone().expect("VpcAttributes");
        assert_eq!(
            vpc.private_ip_address.first(),
            primary[0].primary_ip_address.as_ref()
        );
        assert!(!i.security_group_ids.is_empty());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn sixty_four_clients_creating_and_listing_at_once_see_one_consistent_state() {
    let lab = Lab::new().await;
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..CLIENTS {
        let client = lab.sim.client();
        tasks.spawn(async move {
            let mine = client
                .run_instances(RunInstancesRequest {
                    tag: vec![Tag {
                        key: Some("client".into()),
                        value: Some(n.to_string()),
                    }],
                    client_token: Some(format!("client-{n}")),
                    ..run(2)
                })
                .await
                .expect("RunInstances")
                .instance_id_sets;
            // What this client sees while the others keep creating.
            let everything = client
                .describe_instances(DescribeInstancesRequest {
                    max_results: Some(20),
                    ..DescribeInstancesRequest::new()
                })
                .await
                .expect("DescribeInstances");
            assert_whole(&everything.instances);
            let total = everything.total_count.unwrap_or_default() as usize;
            assert!((2..=2 * CLIENTS).contains(&total), "{total}");
            let tagged = client
                .describe_instances(DescribeInstancesRequest {
                    tag: vec![TagFilter {
                        key: Some("client".into()),
                        value: Some(n.to_string()),
                        ..TagFilter::new()
                    }],
                    ..DescribeInstancesRequest::new()
                })
                .await
                .expect("DescribeInstances by tag")
                .instances;
            let seen: BTreeSet<String> = tagged.into_iter().filter_map(|i| i.instance_id).collect();
            assert_eq!(
                seen,
                mine.iter().cloned().collect(),
                "client {n} sees exactly its own"
            );
            mine
        });
    }
    let mut all = BTreeSet::new();
    while let Some(done) = tasks.join_next().await {
        all.extend(done.expect("a client task"));
    }
    assert_eq!(all.len(), 2 * CLIENTS, "every instance created once");

    let mut listed = Vec::new();
    let mut token = None;
    loop {
        let page = lab
            .client
            .describe_instances(DescribeInstancesRequest {
                max_results: Some(100),
                next_token: token,
                ..DescribeInstancesRequest::new()
            })
            .await
            .unwrap();
        assert_eq!(page.total_count, Some(2 * CLIENTS as i32));
        listed.extend(page.instances);
        token = page.next_token.filter(|t| !t.is_empty());
        if token.is_none() {
            break;
        }
    }
    assert_whole(&listed);
    let ids: BTreeSet<String> = listed
        .iter()
        .filter_map(|i| i.instance_id.clone())
        .collect();
    assert_eq!(ids, all);
    let addresses: BTreeSet<String> = listed
        .iter()
        .filter_map(|i| {
            i.vpc_attributes
                .clone()?
                .private_ip_address
                .first()
                .cloned()
        })
        .collect();
    assert_eq!(addresses.len(), 2 * CLIENTS, "no address handed out twice");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn sixty_four_clients_sending_one_client_token_at_once_create_one_batch() {
    let lab = Lab::new().await;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..CLIENTS {
        let client = lab.sim.client();
        tasks.spawn(async move {
            client
                .run_instances(RunInstancesRequest {
                    client_token: Some("the-one-batch".into()),
                    ..run(3)
                })
                .await
                .expect("RunInstances")
                .instance_id_sets
        });
    }
    let mut answers = BTreeSet::new();
    while let Some(done) = tasks.join_next().await {
        answers.insert(done.expect("a client task"));
    }
    assert_eq!(answers.len(), 1, "every client got the same instances");
    let listed = lab
        .client
        .describe_instances(DescribeInstancesRequest::new())
        .await
        .unwrap();
    assert_eq!(listed.total_count, Some(3));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn sixty_four_clients_stopping_and_starting_their_own_instances_at_once_each_see_their_change(
) {
    let lab = Lab::seeded(support::hangzhou(
        serde_json::json!({"Instances": [{"Count": 64}]}),
    ))
    .await;
    let ids: Vec<String> = lab
        .client
        .describe_instances(DescribeInstancesRequest {
            max_results: Some(100),
            ..DescribeInstancesRequest::new()
        })
        .await
        .unwrap()
        .instances
        .into_iter()
        .filter_map(|i| i.instance_id)
        .collect();
    assert_eq!(ids.len(), CLIENTS);
    let mut tasks = tokio::task::JoinSet::new();
    for (n, id) in ids.iter().cloned().enumerate() {
        let client = lab.sim.client();
        tasks.spawn(async move {
            if n % 2 == 0 {
                client
                    .stop_instance(ecs_api::stop_instance::StopInstanceRequest::new(id.clone()))
                    .await
                    .expect("StopInstance");
            } else {
                client
                    .reboot_instance(ecs_api::reboot_instance::RebootInstanceRequest::new(
                        id.clone(),
                    ))
                    .await
                    .expect("RebootInstance");
            }
            let status = client
                .describe_instance_attribute(
                    ecs_api::describe_instance_attribute::DescribeInstanceAttributeRequest::new(id),
                )
                .await
                .expect("DescribeInstanceAttribute")
                .status;
            (n, status)
        });
    }
    while let Some(done) = tasks.join_next().await {
        let (n, status) = done.unwrap();
        // The clock stands still: each sees the first step of its change.
        assert_eq!(status.as_deref(), Some("Stopping"), "client {n}");
    }
    lab.step();
    let statuses = lab
        .client
        .describe_instance_status(
            ecs_api::describe_instance_status::DescribeInstanceStatusRequest {
                page_size: Some(50),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(statuses.total_count, Some(64));
}
