//! The generated waiters (`ecs_api::waiters::WAITERS`, each read from its
//! `WaiterSpec` const and its operation's `Waitable` impl) against the
//! pinned metadata: the operation, the id parameter in the form the waiter
//! sends it, the state's path through the operation's item list, and state
//! values the metadata documents.

use ecs_api::ecs_core::waiter::{Absent, Ids, WaiterInfo};
use ecs_api::paginators::PAGINATORS;
use ecs_api::waiters::WAITERS;
use ecs_rs_metadata::{ApiDocs, ParamEncoding, Style};
use std::collections::BTreeSet;

fn docs() -> ApiDocs {
    ecs_rs_metadata::load_pinned().unwrap_or_else(|e| panic!("{e}"))
}

fn check(docs: &ApiDocs, w: &WaiterInfo) {
    let api = docs
        .apis
        .get(w.operation)
        .unwrap_or_else(|| panic!("{}: no operation {}", w.name, w.operation));
    assert!(
        ecs_api::OPERATIONS.iter().any(|op| op.name == w.operation),
        "{}",
        w.name
    );

    // The ids' parameter, in the form the waiter sends it.
    if let Some(param) = w.ids.param() {
        let p = api
            .params()
            .get(param)
            .cloned()
            .unwrap_or_else(|| panic!("{}: {} takes no {param}", w.name, w.operation));
        let form_matches = match w.ids {
            Ids::JsonList { .. } => p.schema.is_json_list_string(),
            Ids::RepeatList { .. } => {
                p.style == Some(Style::RepeatList) && p.schema.kind.as_deref() == Some("array")
            }
            Ids::Joined { .. } | Ids::One { .. } => {
                p.schema.kind.as_deref() == Some("string")
                    && !p.schema.is_json_list_string()
                    && p.encoding() == ParamEncoding::Flattened
            }
            Ids::Unsent => unreachable!("no parameter"),
        };
        assert!(form_matches, "{}: {param} is not {:?}", w.name, w.ids);
        if let Some(limit) = p.schema.max_items_u64() {
            assert!(w.ids.per_call().unwrap() as u64 <= limit, "{}", w.name);
        }
    }

    // The state: through the operation's item list, documented values only.
    let paged = PAGINATORS
        .iter()
        .find(|p| p.operation == w.operation)
        .unwrap_or_else(|| panic!("{}: {} has no paginator", w.name, w.operation));
    let field = w
        .state_path
        .strip_prefix(&format!("{}.", paged.items))
        .unwrap_or_else(|| panic!("{}: {} is not in {}", w.name, w.state_path, paged.items));
    let state = api
        .response_field(w.state_path)
        .unwrap_or_else(|e| panic!("{}: {e}", w.name));
    let mut documented: BTreeSet<String> = state.documented_values();
    if let Some(filter) = api.params().get(field) {
        documented.extend(filter.schema.documented_values());
    }
    for value in w.success.iter().chain(w.failure) {
        assert!(
            documented.contains(*value),
            "{}: `{value}` is not documented for {} ({documented:?})",
            w.name,
            w.state_path
        );
    }
    assert!(
        !w.success.is_empty() || w.absent == Absent::Success,
        "{}",
        w.name
    );
    assert!(
        w.min_delay <= w.max_delay && w.max_delay <= w.timeout,
        "{}",
        w.name
    );
}

#[test]
fn every_generated_waiter_matches_the_metadata() {
    let docs = docs();
    for waiter in WAITERS {
        check(&docs, waiter);
    }
}

#[test]
fn the_waiters_the_issue_asks_for_are_generated() {
    let names: Vec<&str> = WAITERS.iter().map(|w| w.name).collect();
    assert_eq!(
        names,
        [
            "instances_running",
            "instances_stopped",
            "instances_deleted",
            "disks_available",
            "disks_in_use",
            "snapshots_accomplished",
            "images_available",
            "invocation_finished",
            "network_interfaces_available",
            "tasks_finished",
        ]
    );
    let deleted = WAITERS
        .iter()
        .find(|w| w.name == "instances_deleted")
        .unwrap();
    assert_eq!(
        deleted.absent,
        Absent::Success,
        "gone is success for deletes"
    );
    let invocation = WAITERS
        .iter()
        .find(|w| w.name == "invocation_finished")
        .unwrap();
    assert_eq!(
        invocation.ids,
        Ids::Unsent,
        "results are selected by InvokeId"
    );
}

#[test]
fn a_waiter_naming_a_field_the_metadata_lacks_fails_the_check() {
    let docs = docs();
    let mut broken = WAITERS[0];
    broken.state_path = "Instances.Instance[].Statuss";
    let failed = std::panic::catch_unwind(|| check(&docs, &broken));
    assert!(failed.is_err(), "the check can fail");
    let mut broken = WAITERS[0];
    broken.success = &["Runing"];
    assert!(std::panic::catch_unwind(|| check(&docs, &broken)).is_err());
}
