//! The generated API used the way the README shows, over real HTTP.

use ecs_api::describe_instances::{DescribeInstancesRequest, Tag};
use ecs_core::{Credentials, RetryPolicy};
use ecs_fault_server::{Reply, Response, TestServer};

fn example(operation: &str) -> serde_json::Value {
    let docs = ecs_rs_metadata::load_pinned().unwrap_or_else(|e| panic!("{e}"));
    docs.apis[operation]
        .json_example()
        .expect("an example response")
}

fn client(url: &str) -> ecs_api::Client {
    ecs_api::Client::builder()
        .endpoint(url)
        .region("cn-hangzhou")
        .credentials(Credentials::new("id", "secret"))
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap()
        .into()
}

#[tokio::test]
async fn describe_instances_with_tags_and_json_instance_ids_returns_vec_of_instance() {
    let body = example("DescribeInstances");
    let server = TestServer::start().await;
    server.set_default(Reply::Respond(Response::json(200, body.to_string())));

    let request = DescribeInstancesRequest {
        instance_ids: Some(vec!["i-1".into(), "i-2".into()]),
        tag: vec![Tag {
            key: Some("env".into()),
            value: Some("prod".into()),
            ..Tag::new()
        }],
        ..DescribeInstancesRequest::new()
    };
    let response = client(&server.url())
        .describe_instances(request)
        .await
        .unwrap();

    let sent = &server.requests()[0];
    assert_eq!(sent.param("Action").as_deref(), Some("DescribeInstances"));
    assert_eq!(sent.param("RegionId").as_deref(), Some("cn-hangzhou"));
    assert_eq!(
        sent.param("InstanceIds").as_deref(),
        Some(r#"["i-1","i-2"]"#)
    );
    assert_eq!(sent.param("Tag.1.Key").as_deref(), Some("env"));
    assert_eq!(sent.param("Tag.1.Value").as_deref(), Some("prod"));

    let wire = &body["Instances"]["Instance"];
    assert_eq!(response.instances.len(), wire.as_array().unwrap().len());
    let first = &response.instances[0];
    assert_eq!(first.instance_id.as_deref(), wire[0]["InstanceId"].as_str());
    assert_eq!(first.status.as_deref(), wire[0]["Status"].as_str());
    assert_eq!(response.request_id.as_deref(), body["RequestId"].as_str());
}

#[tokio::test]
async fn an_empty_json_instance_id_list_is_sent_not_dropped() {
    let server = TestServer::start().await;
    server.set_default(Reply::Respond(Response::json(200, r#"{"RequestId":"r"}"#)));
    let request = DescribeInstancesRequest {
        instance_ids: Some(vec![]),
        ..DescribeInstancesRequest::new()
    };
    let response = client(&server.url())
        .describe_instances(request)
        .await
        .unwrap();
    assert_eq!(
        server.requests()[0].param("InstanceIds").as_deref(),
        Some("[]")
    );
    assert!(response.instances.is_empty());
}

#[tokio::test]
async fn calls_can_be_spawned_onto_other_tasks() {
    let server = TestServer::start().await;
    server.set_default(Reply::Respond(Response::json(200, r#"{"RequestId":"r"}"#)));
    let client = client(&server.url());
    // A future that is not Send would not compile here.
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                client
                    .describe_instances(DescribeInstancesRequest::new())
                    .await
            })
        })
        .collect();
    for h in handles {
        assert_eq!(h.await.unwrap().unwrap().request_id.as_deref(), Some("r"));
    }
    assert_eq!(server.requests().len(), 4);
}
