//! Paginators found by shape and waiters declared as data, against the
//! real ECS metadata: what regen finds and reports, and how a waiter table
//! that does not match the metadata fails, naming what is wrong.

use ecs_codegen::waiters::{IdsIn, Waiter, ECS};
use ecs_codegen::{generate, CodegenError, Output, Settings};
use ecs_rs_metadata::ApiDocs;
use std::sync::OnceLock;

fn real() -> ApiDocs {
    static DOCS: OnceLock<ApiDocs> = OnceLock::new();
    DOCS.get_or_init(|| ecs_rs_metadata::load_pinned().unwrap_or_else(|e| panic!("{e}")))
        .clone()
}

fn ecs_output() -> &'static Output {
    static OUTPUT: OnceLock<Output> = OnceLock::new();
    OUTPUT.get_or_init(|| generate(&real(), &Settings::default()).expect("ECS generates"))
}

/// `waiter` (the ECS table's `name`, changed by `change`) as the only waiter.
fn with_waiter(name: &str, change: impl FnOnce(&mut Waiter)) -> Settings {
    let mut waiter = *ECS.iter().find(|w| w.name == name).expect("a waiter");
    change(&mut waiter);
    Settings {
        waiters: Box::leak(vec![waiter].into_boxed_slice()),
        ..Settings::default()
    }
}

fn error(settings: &Settings) -> String {
    generate(&real(), settings)
        .map(|_| ())
        .expect_err("the table does not match the metadata")
        .to_string()
}

#[test]
fn regen_finds_77_paged_operations_46_by_page_number_17_by_token_14_both() {
    let paging = &ecs_output().paging;
    assert_eq!(
        (
            paging.paged(),
            paging.number.len(),
            paging.token.len(),
            paging.both.len()
        ),
        (77, 46, 17, 14)
    );
    assert!(paging.incomplete.is_empty(), "{:?}", paging.incomplete);
    assert!(paging.both.contains(&"DescribeInstances".to_string()));
    assert!(paging.number.contains(&"DescribeImages".to_string()));
    assert!(paging.token.contains(&"ListTagResources".to_string()));
    assert_eq!(
        paging.to_string().lines().next().unwrap(),
        "77 paged: 46 by PageNumber, 17 by NextToken, 14 both ways (by NextToken)"
    );
}

#[test]
fn every_paged_operation_gets_a_paginator_method_and_a_listing_entry() {
    let output = ecs_output();
    let listing = &output.files["src/ops/paginators.rs"];
    let paging = &output.paging;
    for op in paging
        .token
        .iter()
        .chain(&paging.number)
        .chain(&paging.both)
    {
        let module = ecs_codegen::naming::module_name(op);
        let text = &output.files[&format!("src/ops/{module}.rs")];
        assert!(
            text.contains(&format!("pub fn {module}_paginator(")),
            "{op}"
        );
        assert!(
            text.contains(&format!(
                "ecs_core::paginated! {{\n    {op}Request => {op}Response,"
            )),
            "{op}"
        );
        assert!(listing.contains(&format!("crate::{module}::")), "{op}");
    }
    assert_eq!(
        listing
            .matches("ecs_core::paginator::PagedOperation {")
            .count(),
        77
    );
}

#[test]
fn without_its_list_choice_an_answer_with_two_lists_is_reported_by_name() {
    let settings = Settings {
        item_lists: &[],
        ..Settings::default()
    };
    let output = generate(&real(), &settings).unwrap();
    assert_eq!(output.paging.paged(), 76);
    assert_eq!(
        output.paging.incomplete,
        [(
            "DescribeImageSharePermission".to_string(),
            "the answer has 2 lists (ShareGroups.ShareGroup[], Accounts.Account[]); \
             which one pages is not said"
                .to_string()
        )]
    );
    assert!(output
        .paging
        .to_string()
        .contains("NOT PAGED DescribeImageSharePermission: the answer has 2 lists"));
    let module = &output.files["src/ops/describe_image_share_permission.rs"];
    assert!(!module.contains("_paginator("));
}

#[test]
fn an_operation_whose_answer_loses_its_list_is_reported_not_skipped() {
    let mut docs = real();
    let api = docs.apis.get_mut("DescribeTags").unwrap();
    let answer = api
        .responses
        .get_mut("200")
        .unwrap()
        .schema
        .as_mut()
        .unwrap();
    answer.properties.as_mut().unwrap().shift_remove("Tags");
    let output = generate(&docs, &Settings::default()).unwrap();
    assert_eq!(
        output.paging.incomplete,
        [(
            "DescribeTags".to_string(),
            "the answer has no list of items".to_string()
        )]
    );
}

#[test]
fn a_new_paged_operation_gets_a_paginator_without_code() {
    let mut docs = real();
    let copy = docs.apis["DescribeVpcs"].clone();
    docs.apis.insert("DescribeWidgets".into(), copy);
    let output = generate(&docs, &Settings::default()).unwrap();
    assert!(output
        .paging
        .number
        .contains(&"DescribeWidgets".to_string()));
    assert!(
        output.files["src/ops/describe_widgets.rs"].contains("pub fn describe_widgets_paginator(")
    );
}

#[test]
fn the_ecs_table_gives_every_waiter_a_spec_const_and_a_method() {
    let output = ecs_output();
    let text = &output.files["src/ops/waiters.rs"];
    assert_eq!(output.waiters.len(), ECS.len());
    for waiter in ECS {
        let name = waiter.name;
        assert!(
            text.contains(&format!("pub const {}:", name.to_uppercase())),
            "{name}"
        );
        assert!(
            text.contains(&format!("pub fn wait_until_{name}(")),
            "{name}"
        );
    }
    for expected in [
        "wait_until_instances_running",
        "wait_until_instances_stopped",
        "wait_until_instances_deleted",
        "wait_until_disks_available",
        "wait_until_disks_in_use",
        "wait_until_snapshots_accomplished",
        "wait_until_images_available",
        "wait_until_invocation_finished",
        "wait_until_network_interfaces_available",
        "wait_until_tasks_finished",
    ] {
        assert!(text.contains(&format!("pub fn {expected}(")), "{expected}");
    }
}

#[test]
fn a_waiter_on_an_operation_that_does_not_exist_fails_naming_both() {
    let settings = with_waiter("instances_running", |w| w.operation = "DescribeInstancez");
    assert_eq!(
        error(&settings),
        "operation `DescribeInstancez`: waiter `instances_running`: no such operation in the metadata"
    );
}

#[test]
fn removing_an_operation_a_waiter_polls_fails_regen_naming_it() {
    let mut docs = real();
    docs.apis.shift_remove("DescribeDisks");
    let err: CodegenError = generate(&docs, &Settings::default()).unwrap_err();
    assert_eq!(err.operation, "DescribeDisks");
    assert!(
        err.message.starts_with("waiter `disks_available`:"),
        "{err}"
    );
}

#[test]
fn a_state_path_that_does_not_exist_fails_naming_the_missing_step() {
    let settings = with_waiter("instances_running", |w| {
        w.state = "Instances.Instance[].Statuss"
    });
    assert_eq!(
        error(&settings),
        "operation `DescribeInstances`, field `Instances.Instance[].Statuss`: waiter \
         `instances_running`: no such field: `Instances.Instance[]` has no field `Statuss`"
    );
}

#[test]
fn a_state_path_outside_the_item_list_fails() {
    let settings = with_waiter("instances_running", |w| w.state = "Instances.Status");
    assert!(
        error(&settings).contains(
            "the state's path must go through the operation's item list `Instances.Instance[]`"
        ),
        "{}",
        error(&settings)
    );
}

#[test]
fn a_state_value_the_metadata_does_not_document_fails_naming_it() {
    let settings = with_waiter("instances_running", |w| w.success = &["Runing"]);
    let err = error(&settings);
    assert!(
        err.contains("state `Runing` is not one the metadata documents (Pending, Running, Starting, Stopped, Stopping)"),
        "{err}"
    );
    let settings = with_waiter("snapshots_accomplished", |w| w.failure = &["Failed"]);
    assert!(error(&settings).contains("state `Failed` is not one the metadata documents"));
}

#[test]
fn an_id_parameter_that_does_not_exist_fails_naming_it() {
    let settings = with_waiter("disks_available", |w| {
        w.ids = IdsIn::JsonList("DiskIdz", 100)
    });
    assert_eq!(
        error(&settings),
        "operation `DescribeDisks`, field `DiskIdz`: waiter `disks_available`: no such request parameter"
    );
}

#[test]
fn an_id_parameter_of_another_form_fails_naming_its_declared_type() {
    let settings = with_waiter("instances_running", |w| {
        w.ids = IdsIn::RepeatList("InstanceIds", 100)
    });
    assert_eq!(
        error(&settings),
        "operation `DescribeInstances`, field `InstanceIds`: waiter `instances_running`: the \
         parameter is not a repeated list (`Name.N`) of ids (it is `Option<Vec<String>>`)"
    );
    let settings = with_waiter("network_interfaces_available", |w| {
        w.ids = IdsIn::RepeatList("NetworkInterfaceId", 2000)
    });
    assert!(error(&settings).contains("2000 ids per call is outside what the parameter takes"));
}

#[test]
fn an_item_id_field_that_does_not_exist_fails_naming_its_path() {
    let settings = with_waiter("tasks_finished", |w| w.id = "TaskIdd");
    assert_eq!(
        error(&settings),
        "operation `DescribeTasks`, field `TaskSet.Task[].TaskIdd`: waiter `tasks_finished`: \
         no such field: `TaskSet.Task[]` has no field `TaskIdd`"
    );
}

#[test]
fn a_preset_or_argument_parameter_that_does_not_exist_fails_naming_it() {
    let settings = with_waiter("images_available", |w| {
        w.preset = &[("Statuz", "Available")]
    });
    assert_eq!(
        error(&settings),
        "operation `DescribeImages`, field `Statuz`: waiter `images_available`: no such \
         request parameter (a preset)"
    );
    let settings = with_waiter("invocation_finished", |w| w.args = &["InvokeIdd"]);
    assert!(error(&settings).contains("field `InvokeIdd`"));
}

#[test]
fn a_waiter_on_an_operation_without_an_item_list_fails() {
    let settings = with_waiter("instances_running", |w| w.operation = "DescribeRegions");
    assert_eq!(
        error(&settings),
        "operation `DescribeRegions`: waiter `instances_running`: the operation has no item \
         list a waiter can poll (it is not paged)"
    );
}

#[test]
fn two_waiters_of_one_name_fail() {
    let settings = Settings {
        waiters: Box::leak(vec![ECS[0], ECS[0]].into_boxed_slice()),
        ..Settings::default()
    };
    assert!(error(&settings).contains("a waiter's name must be unique"));
}
