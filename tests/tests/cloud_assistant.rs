//! Cloud Assistant in the stateful simulator, through the typed client over
//! HTTP: commands, invocations that run one lifecycle step, and the
//! script's output.

#[path = "cloud_support/mod.rs"]
mod support;

use base64::Engine;
use ecs_api::describe_invocation_results::{DescribeInvocationResultsRequest, InvocationResult};
use ecs_api::run_command::RunCommandRequest;
use serde_json::json;
use support::{assert_code, hangzhou, Lab};

async fn lab() -> Lab {
    Lab::seeded(hangzhou(json!({"Instances": [
        {"InstanceId": "i-web-1", "HostName": "web-1"},
        {"InstanceId": "i-web-2", "HostName": "web-2"},
        {"InstanceId": "i-off", "HostName": "off", "Status": "Stopped"},
    ]})))
    .await
}

async fn run(lab: &Lab, script: &str, instances: &[&str]) -> String {
    lab.client
        .run_command(RunCommandRequest {
            instance_id: instances.iter().map(|s| s.to_string()).collect(),
            ..RunCommandRequest::new("RunShellScript", script)
        })
        .await
        .expect("RunCommand")
        .invoke_id
        .expect("an InvokeId")
}

async fn results(lab: &Lab, invoke: &str, plain: bool) -> Vec<InvocationResult> {
    lab.client
        .describe_invocation_results(DescribeInvocationResultsRequest {
            invoke_id: Some(invoke.into()),
            content_encoding: plain.then(|| "PlainText".to_string()),
            ..Default::default()
        })
        .await
        .expect("DescribeInvocationResults")
        .invocation
        .expect("an Invocation")
        .invocation_results
}

/// A kept command whose `{{...}}` placeholders are parameters.
async fn with_parameters(lab: &Lab, script: &str) -> String {
    let content = base64::engine::general_purpose::STANDARD.encode(script);
    lab.client
        .create_command(ecs_api::create_command::CreateCommandRequest {
            enable_parameter: Some(true),
            ..ecs_api::create_command::CreateCommandRequest::new("greet", "RunShellScript", content)
        })
        .await
        .expect("CreateCommand")
        .command_id
        .expect("a CommandId")
}

fn decoded(output: &Option<String>) -> String {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(output.as_deref().unwrap_or_default())
        .expect("Base64");
    String::from_utf8(bytes).unwrap()
}

#[tokio::test]
async fn a_command_runs_for_a_step_then_shows_each_instances_output_in_base64() {
    let lab = lab().await;
    let invoke = run(&lab, "echo hello from $(hostname)", &["i-web-1", "i-web-2"]).await;
    assert!(invoke.starts_with("t-") && invoke.len() == 34, "{invoke}");
    let running = results(&lab, &invoke, false).await;
    assert!(running
        .iter()
        .all(|r| r.invocation_status.as_deref() == Some("Running")));
    assert!(running.iter().all(|r| r.output.as_deref() == Some("")));
    lab.step();
    let mut done = results(&lab, &invoke, false).await;
    done.sort_by(|a, b| a.instance_id.cmp(&b.instance_id));
    assert_eq!(done.len(), 2);
    for (r, host) in done.iter().zip(["web-1", "web-2"]) {
        assert_eq!(r.invocation_status.as_deref(), Some("Success"));
        assert_eq!(r.exit_code, Some(0));
        assert_eq!(decoded(&r.output), format!("hello from {host}\n"));
    }
}

#[tokio::test]
async fn output_comes_as_plain_text_when_asked() {
    let lab = lab().await;
    let invoke = run(&lab, "echo plain", &["i-web-1"]).await;
    lab.step();
    assert_eq!(
        results(&lab, &invoke, true).await[0].output.as_deref(),
        Some("plain\n")
    );
}

#[tokio::test]
async fn a_script_that_exits_non_zero_fails_with_its_exit_code() {
    let lab = lab().await;
    let invoke = run(
        &lab,
        "echo checking\nsystemctl is-active nginx\nexit 3",
        &["i-web-1"],
    )
    .await;
    lab.step();
    let r = &results(&lab, &invoke, true).await[0];
    assert_eq!(r.invocation_status.as_deref(), Some("Failed"));
    assert_eq!(r.exit_code, Some(3));
    assert_eq!(
        r.output.as_deref(),
        Some("checking\nbash: line 2: systemctl: command not found\n")
    );
}

#[tokio::test]
async fn an_instance_that_is_not_running_fails_at_once_with_instance_not_running() {
    let lab = lab().await;
    let invoke = run(&lab, "echo hi", &["i-web-1", "i-off"]).await;
    let off = results(&lab, &invoke, true)
        .await
        .into_iter()
        .find(|r| r.instance_id.as_deref() == Some("i-off"))
        .unwrap();
    assert_eq!(off.invocation_status.as_deref(), Some("Failed"));
    assert_eq!(off.error_code.as_deref(), Some("InstanceNotRunning"));
    lab.step();
    let invocations = lab
        .client
        .describe_invocations(ecs_api::describe_invocations::DescribeInvocationsRequest {
            invoke_id: Some(invoke),
            ..Default::default()
        })
        .await
        .unwrap()
        .invocations;
    assert_eq!(
        invocations[0].invocation_status.as_deref(),
        Some("PartialFailed")
    );
}

#[tokio::test]
async fn a_kept_command_runs_again_with_its_parameters_filled_in() {
    let lab = lab().await;
    let command = with_parameters(&lab, "echo {{greeting}} from {{ACS::InstanceId}}").await;
    let listed = lab
        .client
        .describe_commands(ecs_api::describe_commands::DescribeCommandsRequest {
            command_id: Some(command.clone()),
            content_encoding: Some("PlainText".into()),
            ..Default::default()
        })
        .await
        .unwrap()
        .commands;
    assert_eq!(
        listed[0].command_content.as_deref(),
        Some("echo {{greeting}} from {{ACS::InstanceId}}")
    );
    assert_eq!(listed[0].parameter_names, ["greeting"]);
    let invoke = lab
        .client
        .invoke_command(ecs_api::invoke_command::InvokeCommandRequest {
            instance_id: vec!["i-web-2".into()],
            parameters: Some(json!({"greeting": "hello"})),
            ..ecs_api::invoke_command::InvokeCommandRequest::new(command.as_str())
        })
        .await
        .unwrap()
        .invoke_id
        .unwrap();
    lab.step();
    assert_eq!(
        results(&lab, &invoke, true).await[0].output.as_deref(),
        Some("hello from i-web-2\n")
    );
}

#[tokio::test]
async fn a_parameter_left_out_is_refused() {
    let lab = lab().await;
    let command = with_parameters(&lab, "echo {{greeting}}").await;
    let err = lab
        .client
        .invoke_command(ecs_api::invoke_command::InvokeCommandRequest {
            instance_id: vec!["i-web-2".into()],
            ..ecs_api::invoke_command::InvokeCommandRequest::new(command.as_str())
        })
        .await
        .unwrap_err();
    assert_code(&err, "InvokeCommand", "Parameter.MissingValue");
}

#[tokio::test]
async fn a_command_that_is_not_base64_is_refused() {
    let lab = lab().await;
    let err = lab
        .client
        .create_command(ecs_api::create_command::CreateCommandRequest::new(
            "bad",
            "RunShellScript",
            "echo not base64!",
        ))
        .await
        .unwrap_err();
    assert_code(&err, "CreateCommand", "CmdContent.DecodeError");
}

#[tokio::test]
async fn a_running_invocation_is_stopped_and_its_command_is_in_use_until_then() {
    let lab = lab().await;
    let command = lab
        .client
        .create_command(ecs_api::create_command::CreateCommandRequest {
            content_encoding: Some("PlainText".into()),
            ..ecs_api::create_command::CreateCommandRequest::new(
                "long",
                "RunShellScript",
                "sleep 600",
            )
        })
        .await
        .unwrap()
        .command_id
        .unwrap();
    let invoke = lab
        .client
        .invoke_command(ecs_api::invoke_command::InvokeCommandRequest {
            instance_id: vec!["i-web-1".into()],
            ..ecs_api::invoke_command::InvokeCommandRequest::new(command.as_str())
        })
        .await
        .unwrap()
        .invoke_id
        .unwrap();
    let delete = ecs_api::delete_command::DeleteCommandRequest::new(command.as_str());
    let err = lab.client.delete_command(delete.clone()).await.unwrap_err();
    assert_code(&err, "DeleteCommand", "InvalidStatus.CmdIdInUse");
    lab.client
        .stop_invocation(ecs_api::stop_invocation::StopInvocationRequest::new(
            invoke.as_str(),
        ))
        .await
        .unwrap();
    assert_eq!(
        results(&lab, &invoke, true).await[0]
            .invocation_status
            .as_deref(),
        Some("Stopped")
    );
    lab.client.delete_command(delete).await.unwrap();
}

#[tokio::test]
async fn invoking_an_unknown_command_or_instance_is_refused() {
    let lab = lab().await;
    let err = lab
        .client
        .invoke_command(ecs_api::invoke_command::InvokeCommandRequest {
            instance_id: vec!["i-web-1".into()],
            ..ecs_api::invoke_command::InvokeCommandRequest::new("c-nothere")
        })
        .await
        .unwrap_err();
    assert_code(&err, "InvokeCommand", "InvalidCmdId.NotFound");
    let err = lab
        .client
        .run_command(RunCommandRequest {
            instance_id: vec!["i-nothere".into()],
            ..RunCommandRequest::new("RunShellScript", "echo hi")
        })
        .await
        .unwrap_err();
    assert_code(&err, "RunCommand", "InvalidInstance.NotFound");
}

#[tokio::test]
async fn describe_invocations_filters_by_instance() {
    let lab = lab().await;
    run(&lab, "echo one", &["i-web-1"]).await;
    run(&lab, "echo two", &["i-web-2"]).await;
    let on_web_2 = lab
        .client
        .describe_invocations(ecs_api::describe_invocations::DescribeInvocationsRequest {
            instance_id: Some("i-web-2".into()),
            content_encoding: Some("PlainText".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(on_web_2.total_count, Some(1));
    assert_eq!(
        on_web_2.invocations[0].command_content.as_deref(),
        Some("echo two")
    );
}
