//! Instances in the stateful simulator, through the typed client over HTTP:
//! creation, lifecycle, the service's rules and error codes, filters and
//! paging.

#[path = "cloud_support/mod.rs"]
mod support;

use ecs_api::describe_instances::{DescribeInstancesRequest, Instance, Tag as FilterTag};
use ecs_api::run_instances::{DataDisk, RunInstancesRequest, Tag};
use support::{assert_code, hangzhou, run, Lab};

async fn create(lab: &Lab, request: RunInstancesRequest) -> Vec<String> {
    lab.client
        .run_instances(request)
        .await
        .expect("RunInstances")
        .instance_id_sets
}

async fn describe(lab: &Lab, request: DescribeInstancesRequest) -> Vec<Instance> {
    lab.client
        .describe_instances(DescribeInstancesRequest {
            max_results: Some(100),
            ..request
        })
        .await
        .expect("DescribeInstances")
        .instances
}

async fn one(lab: &Lab, id: &str) -> Instance {
    let mut found = describe(
        lab,
        DescribeInstancesRequest {
            instance_ids: Some(vec![id.to_string()]),
            ..DescribeInstancesRequest::new()
        },
    )
    .await;
    assert_eq!(found.len(), 1, "{id}");
    found.remove(0)
}

async fn status(lab: &Lab, id: &str) -> String {
    one(lab, id).await.status.unwrap_or_default()
}

#[tokio::test]
async fn run_instances_creates_the_amount_asked_for_with_ids_in_alibabas_form() {
    let lab = Lab::new().await;
    let ids = create(&lab, run(3)).await;
    assert_eq!(ids.len(), 3);
    for id in &ids {
        assert!(id.starts_with("i-bp") && id.len() == 22, "{id}");
        assert!(
            id[2..]
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
            "{id}"
        );
    }
    let listed = describe(&lab, DescribeInstancesRequest::new()).await;
    assert_eq!(listed.len(), 3);
}

#[tokio::test]
async fn a_new_instance_goes_pending_then_starting_then_running_one_step_apart() {
    let lab = Lab::new().await;
    let id = create(&lab, run(1)).await.remove(0);
    assert_eq!(status(&lab, &id).await, "Pending");
    lab.step();
    assert_eq!(status(&lab, &id).await, "Starting");
    lab.step();
    assert_eq!(status(&lab, &id).await, "Running");
}

#[tokio::test]
async fn describe_instances_reports_what_the_instance_was_launched_with() {
    let lab = Lab::new().await;
    let request = RunInstancesRequest {
        instance_name: Some("web".into()),
        tag: vec![Tag {
            key: Some("team".into()),
            value: Some("sdk".into()),
        }],
        data_disk: vec![DataDisk {
            size: Some(100),
            category: Some("cloud_essd".into()),
            ..DataDisk::new()
        }],
        ..run(1)
    };
    let id = create(&lab, request).await.remove(0);
    let i = one(&lab, &id).await;
    assert_eq!(i.instance_name.as_deref(), Some("web"));
    assert_eq!(i.zone_id.as_deref(), Some("cn-hangzhou-h"));
    assert_eq!(i.region_id.as_deref(), Some("cn-hangzhou"));
    assert_eq!(i.instance_type.as_deref(), Some("ecs.g7.large"));
    assert_eq!(i.instance_type_family.as_deref(), Some("ecs.g7"));
    assert_eq!((i.cpu, i.memory), (Some(2), Some(8192)));
    assert_eq!(
        i.image_id.as_deref(),
        Some("aliyun_3_x64_20G_alibase_20240819.vhd")
    );
    assert_eq!(i.instance_charge_type.as_deref(), Some("PostPaid"));
    assert_eq!(i.tags.len(), 1);
    assert_eq!(i.tags[0].tag_key.as_deref(), Some("team"));
    assert_eq!(i.tags[0].tag_value.as_deref(), Some("sdk"));
    assert_eq!(i.security_group_ids.len(), 1);
    assert!(i.security_group_ids[0].starts_with("sg-"));
    let vpc = i.vpc_attributes.expect("VpcAttributes");
    assert!(vpc
        .vpc_id
        .as_deref()
        .unwrap_or_default()
        .starts_with("vpc-"));
    assert!(vpc
        .v_switch_id
        .as_deref()
        .unwrap_or_default()
        .starts_with("vsw-"));
    assert_eq!(vpc.private_ip_address.len(), 1);
    assert_eq!(i.network_interfaces.len(), 1);
    assert_eq!(i.network_interfaces[0].type_.as_deref(), Some("Primary"));
    assert_eq!(
        i.network_interfaces[0].primary_ip_address,
        vpc.private_ip_address.first().cloned()
    );

    let disks = lab
        .client
        .describe_disks(ecs_api::describe_disks::DescribeDisksRequest {
            instance_id: Some(id.clone()),
            ..Default::default()
        })
        .await
        .unwrap()
        .disks;
    let mut kinds: Vec<(String, i32)> = disks
        .iter()
        .map(|d| {
            (
                d.type_.clone().unwrap_or_default(),
                d.size.unwrap_or_default(),
            )
        })
        .collect();
    kinds.sort();
    assert_eq!(
        kinds,
        [("data".to_string(), 100), ("system".to_string(), 40)]
    );
    assert!(disks.iter().all(|d| d.status.as_deref() == Some("In_use")));
}

#[tokio::test]
async fn the_same_client_token_returns_the_first_calls_instances_and_creates_nothing_more() {
    let lab = Lab::new().await;
    let request = RunInstancesRequest {
        client_token: Some("batch-1".into()),
        ..run(5)
    };
    let first = create(&lab, request.clone()).await;
    let again = create(&lab, request).await;
    assert_eq!(first, again);
    assert_eq!(
        describe(&lab, DescribeInstancesRequest::new()).await.len(),
        5
    );
}

#[tokio::test]
async fn the_same_client_token_with_other_parameters_is_refused() {
    let lab = Lab::new().await;
    let request = RunInstancesRequest {
        client_token: Some("batch-1".into()),
        ..run(2)
    };
    create(&lab, request.clone()).await;
    let err = lab
        .client
        .run_instances(RunInstancesRequest {
            amount: Some(3),
            ..request
        })
        .await
        .unwrap_err();
    assert_code(&err, "RunInstances", "IdempotentParameterMismatch");
    assert_eq!(
        describe(&lab, DescribeInstancesRequest::new()).await.len(),
        2
    );
}

#[tokio::test]
async fn min_amount_creates_what_the_quota_leaves_and_amount_alone_creates_all_or_nothing() {
    let lab = Lab::on(|settings| {
        ecs_simulator::cloud::Cloud::with_settings(ecs_simulator::cloud::Settings {
            instance_quota: 4,
            ..settings
        })
    })
    .await;
    let err = lab.client.run_instances(run(5)).await.unwrap_err();
    assert_code(&err, "RunInstances", "QuotaExceed.AfterpayInstance");
    assert!(describe(&lab, DescribeInstancesRequest::new())
        .await
        .is_empty());

    let ids = create(
        &lab,
        RunInstancesRequest {
            min_amount: Some(2),
            ..run(5)
        },
    )
    .await;
    assert_eq!(ids.len(), 4);
}

#[tokio::test]
async fn an_instance_type_out_of_stock_cannot_be_created() {
    let lab = Lab::new().await;
    lab.cloud().set_out_of_stock("ecs.g7.large", true);
    let err = lab.client.run_instances(run(1)).await.unwrap_err();
    assert_code(&err, "RunInstances", "OperationDenied.NoStock");
    lab.cloud().set_out_of_stock("ecs.g7.large", false);
    assert_eq!(create(&lab, run(1)).await.len(), 1);
}

#[tokio::test]
async fn a_dry_run_that_would_succeed_passes_and_changes_nothing() {
    let lab = Lab::new().await;
    let dry = RunInstancesRequest {
        dry_run: Some(true),
        client_token: Some("batch-1".into()),
        ..run(2)
    };
    let err = lab.client.run_instances(dry).await.unwrap_err();
    assert!(err.is_dry_run_passed(), "{err}");
    assert!(describe(&lab, DescribeInstancesRequest::new())
        .await
        .is_empty());
    // Nor was the token spent: the real call creates the instances.
    let real = RunInstancesRequest {
        client_token: Some("batch-1".into()),
        ..run(2)
    };
    assert_eq!(create(&lab, real).await.len(), 2);
}

#[tokio::test]
async fn a_dry_run_after_its_tokens_call_passes_and_other_parameters_do_not() {
    let lab = Lab::new().await;
    let real = RunInstancesRequest {
        client_token: Some("batch-2".into()),
        ..run(2)
    };
    assert_eq!(create(&lab, real.clone()).await.len(), 2);
    let again = RunInstancesRequest {
        dry_run: Some(true),
        ..real.clone()
    };
    let err = lab.client.run_instances(again).await.unwrap_err();
    assert!(err.is_dry_run_passed(), "{err}");
    let other = RunInstancesRequest {
        dry_run: Some(true),
        ..RunInstancesRequest {
            client_token: Some("batch-2".into()),
            ..run(3)
        }
    };
    let err = lab.client.run_instances(other).await.unwrap_err();
    assert_code(&err, "RunInstances", "IdempotentParameterMismatch");
    assert_eq!(
        describe(&lab, DescribeInstancesRequest::new()).await.len(),
        2
    );
}

#[tokio::test]
async fn a_dry_run_meets_the_states_rules() {
    let lab = Lab::new().await;
    lab.cloud().set_out_of_stock("ecs.g7.large", true);
    let dry = RunInstancesRequest {
        dry_run: Some(true),
        ..run(1)
    };
    let err = lab.client.run_instances(dry).await.unwrap_err();
    assert_code(&err, "RunInstances", "OperationDenied.NoStock");
    let stop = ecs_api::stop_instance::StopInstanceRequest {
        dry_run: Some(true),
        ..ecs_api::stop_instance::StopInstanceRequest::new("i-bp1nosuchinstance00")
    };
    let err = lab.client.stop_instance(stop).await.unwrap_err();
    assert_code(&err, "StopInstance", "InvalidInstanceId.NotFound");
}

#[tokio::test]
async fn a_missing_image_is_reported_by_name() {
    let lab = Lab::new().await;
    let err = lab
        .client
        .run_instances(RunInstancesRequest {
            image_id: Some("m-nothere".into()),
            ..run(1)
        })
        .await
        .unwrap_err();
    assert_code(&err, "RunInstances", "InvalidImageId.NotFound");
    assert!(err.to_string().contains("m-nothere"), "{err}");
}

#[tokio::test]
async fn stopping_then_starting_moves_through_stopping_stopped_starting_running() {
    let lab = Lab::new().await;
    let id = create(&lab, run(1)).await.remove(0);
    lab.step();
    lab.step();
    lab.client
        .stop_instance(ecs_api::stop_instance::StopInstanceRequest::new(id.clone()))
        .await
        .unwrap();
    assert_eq!(status(&lab, &id).await, "Stopping");
    lab.step();
    assert_eq!(status(&lab, &id).await, "Stopped");
    lab.client
        .start_instance(ecs_api::start_instance::StartInstanceRequest::new(
            id.clone(),
        ))
        .await
        .unwrap();
    assert_eq!(status(&lab, &id).await, "Starting");
    lab.step();
    assert_eq!(status(&lab, &id).await, "Running");
}

#[tokio::test]
async fn stopping_an_instance_that_is_not_running_is_an_incorrect_instance_status() {
    let lab = Lab::new().await;
    let id = create(&lab, run(1)).await.remove(0);
    let err = lab
        .client
        .stop_instance(ecs_api::stop_instance::StopInstanceRequest::new(id))
        .await
        .unwrap_err();
    assert_code(&err, "StopInstance", "IncorrectInstanceStatus");
    assert!(err.to_string().contains("Pending"), "{err}");
}

#[tokio::test]
async fn an_unknown_instance_is_invalid_instance_id_not_found() {
    let lab = Lab::new().await;
    let err = lab
        .client
        .start_instance(ecs_api::start_instance::StartInstanceRequest::new(
            "i-bp1nothere",
        ))
        .await
        .unwrap_err();
    assert_code(&err, "StartInstance", "InvalidInstanceId.NotFound");
    assert_eq!(err.status(), Some(404));
}

#[tokio::test]
async fn deleting_a_running_instance_needs_force() {
    let lab = Lab::new().await;
    let id = create(&lab, run(1)).await.remove(0);
    lab.step();
    lab.step();
    let delete = ecs_api::delete_instance::DeleteInstanceRequest::new(id.clone());
    let err = lab
        .client
        .delete_instance(delete.clone())
        .await
        .unwrap_err();
    assert_code(&err, "DeleteInstance", "IncorrectInstanceStatus");
    lab.client
        .delete_instance(ecs_api::delete_instance::DeleteInstanceRequest {
            force: Some(true),
            ..delete
        })
        .await
        .unwrap();
    assert!(describe(&lab, DescribeInstancesRequest::new())
        .await
        .is_empty());
}

#[tokio::test]
async fn deleting_an_instance_releases_its_disks_and_interface_but_keeps_a_disk_set_to_stay() {
    let lab = Lab::new().await;
    let request = RunInstancesRequest {
        data_disk: vec![DataDisk {
            size: Some(50),
            delete_with_instance: Some(false),
            ..DataDisk::new()
        }],
        ..run(1)
    };
    let id = create(&lab, request).await.remove(0);
    lab.step();
    lab.step();
    lab.client
        .delete_instance(ecs_api::delete_instance::DeleteInstanceRequest {
            force: Some(true),
            ..ecs_api::delete_instance::DeleteInstanceRequest::new(id)
        })
        .await
        .unwrap();
    let disks = lab
        .client
        .describe_disks(Default::default())
        .await
        .unwrap()
        .disks;
    assert_eq!(disks.len(), 1, "only the data disk set to stay");
    assert_eq!(disks[0].status.as_deref(), Some("Available"));
    assert_eq!(disks[0].size, Some(50));
    let enis = lab
        .client
        .describe_network_interfaces(Default::default())
        .await
        .unwrap()
        .network_interface_sets;
    assert!(enis.is_empty());
}

#[tokio::test]
async fn changing_the_type_of_a_running_pay_as_you_go_instance_is_refused_and_of_a_stopped_one_done(
) {
    let lab = Lab::new().await;
    let id = create(&lab, run(1)).await.remove(0);
    lab.step();
    lab.step();
    let modify = ecs_api::modify_instance_spec::ModifyInstanceSpecRequest {
        instance_type: Some("ecs.g7.xlarge".into()),
        ..ecs_api::modify_instance_spec::ModifyInstanceSpecRequest::new(id.clone())
    };
    let err = lab
        .client
        .modify_instance_spec(modify.clone())
        .await
        .unwrap_err();
    assert_code(&err, "ModifyInstanceSpec", "IncorrectInstanceStatus");
    lab.client
        .stop_instance(ecs_api::stop_instance::StopInstanceRequest::new(id.clone()))
        .await
        .unwrap();
    lab.step();
    lab.client.modify_instance_spec(modify).await.unwrap();
    let i = one(&lab, &id).await;
    assert_eq!(i.instance_type.as_deref(), Some("ecs.g7.xlarge"));
    assert_eq!(i.cpu, Some(4));
}

#[tokio::test]
async fn only_a_subscription_instance_is_renewed_and_renewal_extends_its_expiry() {
    let lab = Lab::new().await;
    let payg = create(&lab, run(1)).await.remove(0);
    let err = lab
        .client
        .renew_instance(ecs_api::renew_instance::RenewInstanceRequest {
            period: Some(1),
            ..ecs_api::renew_instance::RenewInstanceRequest::new(payg)
        })
        .await
        .unwrap_err();
    assert_code(&err, "RenewInstance", "ChargeTypeViolation");

    let prepaid = create(
        &lab,
        RunInstancesRequest {
            instance_charge_type: Some("PrePaid".into()),
            period: Some(1),
            ..run(1)
        },
    )
    .await
    .remove(0);
    let before = one(&lab, &prepaid).await.expired_time.unwrap();
    let renewed = lab
        .client
        .renew_instance(ecs_api::renew_instance::RenewInstanceRequest {
            period: Some(2),
            ..ecs_api::renew_instance::RenewInstanceRequest::new(prepaid.clone())
        })
        .await
        .unwrap();
    assert!(renewed.order_id.is_some_and(|o| !o.is_empty()));
    let after = one(&lab, &prepaid).await.expired_time.unwrap();
    // 2025-06-15 + 1 month, then + 2 months.
    assert_eq!(
        (before.as_str(), after.as_str()),
        ("2025-07-15T15:06Z", "2025-09-15T15:06Z")
    );
}

#[tokio::test]
async fn a_spot_instance_cannot_be_a_subscription() {
    let lab = Lab::new().await;
    let err = lab
        .client
        .run_instances(RunInstancesRequest {
            instance_charge_type: Some("PrePaid".into()),
            period: Some(1),
            spot_strategy: Some("SpotAsPriceGo".into()),
            ..run(1)
        })
        .await
        .unwrap_err();
    assert_code(&err, "RunInstances", "InvalidSpotPrepaid");
}

#[tokio::test]
async fn a_spot_instance_records_its_strategy_and_price_limit() {
    let lab = Lab::new().await;
    let id = create(
        &lab,
        RunInstancesRequest {
            spot_strategy: Some("SpotWithPriceLimit".into()),
            spot_price_limit: Some(0.5),
            ..run(1)
        },
    )
    .await
    .remove(0);
    let i = one(&lab, &id).await;
    assert_eq!(i.spot_strategy.as_deref(), Some("SpotWithPriceLimit"));
    assert_eq!(i.spot_price_limit, Some(0.5));
    assert_eq!(i.spot_interruption_behavior.as_deref(), Some("Terminate"));
}

#[tokio::test]
async fn stop_instances_all_together_changes_none_when_one_cannot_stop() {
    let lab = Lab::new().await;
    let running = create(&lab, run(2)).await;
    lab.step();
    lab.step();
    let pending = create(&lab, run(1)).await;
    let all: Vec<String> = running.iter().chain(&pending).cloned().collect();
    let err = lab
        .client
        .stop_instances(ecs_api::stop_instances::StopInstancesRequest::new(
            all.clone(),
        ))
        .await
        .unwrap_err();
    assert_code(&err, "StopInstances", "IncorrectInstanceStatus");
    for id in &running {
        assert_eq!(status(&lab, id).await, "Running");
    }

    let response = lab
        .client
        .stop_instances(ecs_api::stop_instances::StopInstancesRequest {
            batch_optimization: Some("SuccessFirst".into()),
            ..ecs_api::stop_instances::StopInstancesRequest::new(all)
        })
        .await
        .unwrap();
    let codes: Vec<(String, String, String)> = response
        .instance_responses
        .iter()
        .map(|r| {
            (
                r.code.clone().unwrap_or_default(),
                r.previous_status.clone().unwrap_or_default(),
                r.current_status.clone().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        codes,
        [
            ("200".into(), "Running".into(), "Stopping".into()),
            ("200".into(), "Running".into(), "Stopping".into()),
            (
                "IncorrectInstanceStatus".into(),
                "Pending".into(),
                "Pending".into()
            ),
        ]
    );
}

#[tokio::test]
async fn create_instance_makes_one_stopped_instance() {
    let lab = Lab::new().await;
    let id = lab
        .client
        .create_instance(ecs_api::create_instance::CreateInstanceRequest {
            image_id: Some("ubuntu_22_04_x64_20G_alibase_20240710.vhd".into()),
            zone_id: Some("cn-hangzhou-i".into()),
            ..ecs_api::create_instance::CreateInstanceRequest::new("ecs.c7.large")
        })
        .await
        .unwrap()
        .instance_id
        .unwrap();
    assert_eq!(status(&lab, &id).await, "Pending");
    lab.step();
    assert_eq!(status(&lab, &id).await, "Stopped");
    assert_eq!(one(&lab, &id).await.os_type.as_deref(), Some("linux"));
}

#[tokio::test]
async fn an_instance_is_released_when_its_auto_release_time_passes() {
    let lab = Lab::new().await;
    let id = create(&lab, run(1)).await.remove(0);
    // The manual clock starts at 2025-06-15T15:06:40Z.
    lab.client
        .modify_instance_auto_release_time(
            ecs_api::modify_instance_auto_release_time::ModifyInstanceAutoReleaseTimeRequest {
                auto_release_time: Some("2025-06-15T16:00:00Z".into()),
                ..ecs_api::modify_instance_auto_release_time::ModifyInstanceAutoReleaseTimeRequest::new(id.clone())
            },
        )
        .await
        .unwrap();
    assert_eq!(
        one(&lab, &id).await.auto_release_time.as_deref(),
        Some("2025-06-15T16:00Z")
    );
    lab.clock.advance(std::time::Duration::from_secs(3600));
    assert!(describe(&lab, DescribeInstancesRequest::new())
        .await
        .is_empty());
}

#[tokio::test]
async fn an_auto_release_time_less_than_half_an_hour_ahead_is_refused() {
    let lab = Lab::new().await;
    let id = create(&lab, run(1)).await.remove(0);
    let err = lab
        .client
        .modify_instance_auto_release_time(
            ecs_api::modify_instance_auto_release_time::ModifyInstanceAutoReleaseTimeRequest {
                auto_release_time: Some("2025-06-15T15:10:00Z".into()),
                ..ecs_api::modify_instance_auto_release_time::ModifyInstanceAutoReleaseTimeRequest::new(id)
            },
        )
        .await
        .unwrap_err();
    assert_code(
        &err,
        "ModifyInstanceAutoReleaseTime",
        "InvalidAutoReleaseTime.Malformed",
    );
}

#[tokio::test]
async fn describe_instances_filters_by_zone_status_name_type_tag_and_network() {
    let lab = Lab::seeded(hangzhou(serde_json::json!({
        "Instances": [
            {"Count": 2, "ZoneId": "cn-hangzhou-h", "InstanceName": "web-", "Tags": {"team": "web"}},
            {"Count": 1, "ZoneId": "cn-hangzhou-i", "InstanceName": "db", "InstanceType": "ecs.r7.large", "Status": "Stopped"},
        ],
    })))
    .await;
    let count = |request: DescribeInstancesRequest| {
        let lab = &lab;
        async move { describe(lab, request).await.len() }
    };
    let all = DescribeInstancesRequest::new;
    assert_eq!(count(all()).await, 3);
    assert_eq!(
        count(DescribeInstancesRequest {
            zone_id: Some("cn-hangzhou-h".into()),
            ..all()
        })
        .await,
        2
    );
    assert_eq!(
        count(DescribeInstancesRequest {
            status: Some("Stopped".into()),
            ..all()
        })
        .await,
        1
    );
    assert_eq!(
        count(DescribeInstancesRequest {
            instance_name: Some("web-*".into()),
            ..all()
        })
        .await,
        2
    );
    assert_eq!(
        count(DescribeInstancesRequest {
            instance_type: Some("ecs.r7.large".into()),
            ..all()
        })
        .await,
        1
    );
    let tag = |key: &str, value: &str| FilterTag {
        key: Some(key.into()),
        value: Some(value.into()),
        ..FilterTag::new()
    };
    assert_eq!(
        count(DescribeInstancesRequest {
            tag: vec![tag("team", "web")],
            ..all()
        })
        .await,
        2
    );
    assert_eq!(
        count(DescribeInstancesRequest {
            tag: vec![tag("team", "db")],
            ..all()
        })
        .await,
        0
    );
    let web = describe(
        &lab,
        DescribeInstancesRequest {
            zone_id: Some("cn-hangzhou-h".into()),
            ..all()
        },
    )
    .await;
    let vpc = web[0].vpc_attributes.clone().unwrap();
    let vswitch = vpc.v_switch_id.unwrap();
    assert_eq!(
        count(DescribeInstancesRequest {
            v_switch_id: Some(vswitch),
            ..all()
        })
        .await,
        2
    );
    assert_eq!(
        count(DescribeInstancesRequest {
            vpc_id: vpc.vpc_id,
            ..all()
        })
        .await,
        3
    );
    let group = web[0].security_group_ids[0].clone();
    assert_eq!(
        count(DescribeInstancesRequest {
            security_group_id: Some(group),
            ..all()
        })
        .await,
        3
    );
    assert_eq!(
        count(DescribeInstancesRequest {
            instance_ids: Some(vec![]),
            ..all()
        })
        .await,
        0
    );
}

#[tokio::test]
async fn both_paging_styles_cover_every_instance_once_with_an_honest_total() {
    let lab = Lab::seeded(hangzhou(serde_json::json!({"Instances": [{"Count": 25}]}))).await;
    let mut by_number = Vec::new();
    for page in 1.. {
        let response = lab
            .client
            .describe_instances(DescribeInstancesRequest {
                page_number: Some(page),
                page_size: Some(10),
                ..DescribeInstancesRequest::new()
            })
            .await
            .unwrap();
        assert_eq!(response.total_count, Some(25));
        assert_eq!(response.page_number, Some(page));
        if response.instances.is_empty() {
            break;
        }
        by_number.extend(response.instances.into_iter().filter_map(|i| i.instance_id));
    }
    let mut by_token = Vec::new();
    let mut token = None;
    loop {
        let response = lab
            .client
            .describe_instances(DescribeInstancesRequest {
                max_results: Some(10),
                next_token: token.clone(),
                ..DescribeInstancesRequest::new()
            })
            .await
            .unwrap();
        assert_eq!(response.total_count, Some(25));
        by_token.extend(response.instances.into_iter().filter_map(|i| i.instance_id));
        token = response.next_token.filter(|t| !t.is_empty());
        if token.is_none() {
            break;
        }
    }
    assert_eq!(by_number.len(), 25);
    assert_eq!(by_number, by_token);
    let mut unique = by_number.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 25);
}

#[tokio::test]
async fn describe_instance_status_and_attribute_follow_the_lifecycle() {
    let lab = Lab::new().await;
    let id = create(&lab, run(1)).await.remove(0);
    lab.step();
    let statuses = lab
        .client
        .describe_instance_status(
            ecs_api::describe_instance_status::DescribeInstanceStatusRequest {
                instance_id: vec![id.clone()],
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(statuses.total_count, Some(1));
    assert_eq!(
        statuses.instance_statuses[0].status.as_deref(),
        Some("Starting")
    );
    lab.step();
    let attribute = lab
        .client
        .describe_instance_attribute(
            ecs_api::describe_instance_attribute::DescribeInstanceAttributeRequest::new(id.clone()),
        )
        .await
        .unwrap();
    assert_eq!(attribute.status.as_deref(), Some("Running"));
    assert_eq!(attribute.instance_id.as_deref(), Some(id.as_str()));
}

#[tokio::test]
async fn a_secondary_network_interface_asked_for_at_launch_comes_with_the_instance() {
    let lab = Lab::new().await;
    let id = create(
        &lab,
        RunInstancesRequest {
            network_interface: vec![ecs_api::run_instances::NetworkInterface {
                instance_type: Some("Secondary".into()),
                network_interface_name: Some("data-plane".into()),
                ..Default::default()
            }],
            ..run(1)
        },
    )
    .await
    .remove(0);
    let nics = one(&lab, &id).await.network_interfaces;
    let kinds: Vec<&str> = nics.iter().filter_map(|n| n.type_.as_deref()).collect();
    assert_eq!(kinds, ["Primary", "Secondary"]);
    assert_ne!(nics[0].primary_ip_address, nics[1].primary_ip_address);
}

#[tokio::test]
async fn a_pay_as_you_go_instance_becomes_a_subscription_but_a_spot_one_does_not() {
    let lab = Lab::new().await;
    let payg = create(&lab, run(1)).await.remove(0);
    let spot = create(
        &lab,
        RunInstancesRequest {
            spot_strategy: Some("SpotAsPriceGo".into()),
            ..run(1)
        },
    )
    .await
    .remove(0);
    lab.step();
    lab.step();
    let change = |id: &str| ecs_api::modify_instance_charge_type::ModifyInstanceChargeTypeRequest {
        instance_charge_type: Some("PrePaid".into()),
        period: Some(1),
        is_detail_fee: Some(true),
        ..ecs_api::modify_instance_charge_type::ModifyInstanceChargeTypeRequest::new(vec![
            id.to_string()
        ])
    };
    let err = lab
        .client
        .modify_instance_charge_type(change(&spot))
        .await
        .unwrap_err();
    assert_code(&err, "ModifyInstanceChargeType", "InvalidSpotStrategy");
    let changed = lab
        .client
        .modify_instance_charge_type(change(&payg))
        .await
        .unwrap();
    assert!(changed.order_id.is_some_and(|o| !o.is_empty()));
    assert_eq!(changed.fee_of_instances.len(), 1);
    let i = one(&lab, &payg).await;
    assert_eq!(i.instance_charge_type.as_deref(), Some("PrePaid"));
    assert_eq!(i.expired_time.as_deref(), Some("2025-07-15T15:06Z"));
}

#[tokio::test]
async fn modify_instance_attribute_renames_and_regroups_an_instance() {
    let lab = Lab::seeded(hangzhou(serde_json::json!({
        "SecurityGroups": [{"SecurityGroupId": "sg-new"}],
        "Instances": [{"InstanceId": "i-1"}],
    })))
    .await;
    lab.client
        .modify_instance_attribute(
            ecs_api::modify_instance_attribute::ModifyInstanceAttributeRequest {
                instance_name: Some("renamed".into()),
                description: Some("the first".into()),
                security_group_ids: vec!["sg-new".into()],
                ..ecs_api::modify_instance_attribute::ModifyInstanceAttributeRequest::new("i-1")
            },
        )
        .await
        .unwrap();
    let i = one(&lab, "i-1").await;
    assert_eq!(i.instance_name.as_deref(), Some("renamed"));
    assert_eq!(i.description.as_deref(), Some("the first"));
    assert_eq!(i.security_group_ids, ["sg-new"]);
}
