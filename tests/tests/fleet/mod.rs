//! Hand-written list operations with their `Paginated` / `Waitable` impls
//! (what the generator will emit), and stand-in ECS answers for them:
//! pagers that page a list the way ECS does, and a fleet whose ids change
//! state from one describe call to the next.
#![allow(dead_code)]

use ecs_core::paginator::{count, PageInfo, PageSize, Paginated, Paging};
use ecs_core::waiter::{Ids, Waitable};
use ecs_core::{HasRequestId, Operation, OperationInfo, RegionParam};
use ecs_fault_server::{RecordedRequest, Reply, Response};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

const fn info(name: &'static str) -> OperationInfo {
    OperationInfo {
        name,
        version: "2014-05-26",
        group: "test",
        deprecated: false,
        read_only: true,
        client_token: false,
        region_id: RegionParam::Required,
        enabled: true,
    }
}

/// One listed resource: `{"InstanceId": .., "Status": ..}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Thing {
    #[serde(rename = "InstanceId")]
    pub id: Option<String>,
    #[serde(rename = "Status")]
    pub status: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ThingList {
    #[serde(rename = "Thing", default)]
    pub thing: Vec<Thing>,
}

/// The answer of every `Things` operation, with ECS's paging fields in
/// the types ECS uses for them (integers of two widths, a numeric string).
#[derive(Debug, Default, Deserialize)]
pub struct ThingsPage {
    #[serde(rename = "RequestId", default)]
    pub request_id: String,
    #[serde(rename = "NextToken")]
    pub next_token: Option<String>,
    #[serde(rename = "TotalCount")]
    pub total_count: Option<i64>,
    #[serde(rename = "PageNumber")]
    pub page_number: Option<String>,
    #[serde(rename = "PageSize")]
    pub page_size: Option<i32>,
    #[serde(rename = "Things", default)]
    pub things: ThingList,
}

impl HasRequestId for ThingsPage {
    fn request_id(&self) -> Option<&str> {
        Some(&self.request_id)
    }
}

/// `Paginated` for an operation that answers a [`ThingsPage`], as the
/// generator writes it.
macro_rules! things_listing {
    ($op:ty, $paging:expr) => {
        impl Paginated for $op {
            type Item = Thing;
            const PAGING: Paging = $paging;
            fn page_info(page: &ThingsPage) -> PageInfo<'_> {
                PageInfo {
                    next_token: page.next_token.as_deref(),
                    total_count: count(&page.total_count),
                    page_number: count(&page.page_number),
                    page_size: count(&page.page_size),
                }
            }
            fn items(page: &ThingsPage) -> &[Thing] {
                &page.things.thing
            }
            fn into_items(page: ThingsPage) -> Vec<Thing> {
                page.things.thing
            }
        }
    };
}

ecs_core::request_struct! {
    /// Token style (`NextToken` / `MaxResults`); ids as a JSON list.
    #[derive(Default)]
    pub struct DescribeThings {
        pub instance_ids: Option<Vec<String>> = "InstanceIds" json,
        pub next_token: Option<String> = "NextToken",
        pub max_results: Option<i32> = "MaxResults",
    }
}

impl Operation for DescribeThings {
    type Output = ThingsPage;
    const INFO: OperationInfo = info("DescribeThings");
}

things_listing!(
    DescribeThings,
    Paging::Token {
        token: "NextToken",
        size: Some(PageSize {
            param: "MaxResults",
            max: 100,
        }),
    }
);
impl Waitable for DescribeThings {
    const IDS: Ids = Ids::JsonList {
        param: "InstanceIds",
        max: 100,
    };
    fn set_ids(&mut self, ids: &[String]) {
        self.instance_ids = Some(ids.to_vec());
    }
    fn item_id(item: &Thing) -> Option<&str> {
        item.id.as_deref()
    }
}

/// Page-number style (`PageNumber` / `PageSize`); ids as `InstanceId.N`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DescribeThingStatus {
    #[serde(rename = "InstanceId", skip_serializing_if = "Vec::is_empty")]
    pub instance_id: Vec<String>,
    #[serde(rename = "PageNumber", skip_serializing_if = "Option::is_none")]
    pub page_number: Option<i32>,
}

impl Operation for DescribeThingStatus {
    type Output = ThingsPage;
    const INFO: OperationInfo = info("DescribeThingStatus");
}

things_listing!(
    DescribeThingStatus,
    Paging::Number {
        number: "PageNumber",
        size: PageSize {
            param: "PageSize",
            max: 100,
        },
    }
);
impl Waitable for DescribeThingStatus {
    const IDS: Ids = Ids::RepeatList {
        param: "InstanceId",
        max: 40,
    };
    fn set_ids(&mut self, ids: &[String]) {
        self.instance_id = ids.to_vec();
    }
    fn item_id(item: &Thing) -> Option<&str> {
        item.id.as_deref()
    }
}

/// A list that does not page.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ListAllThings {}

impl Operation for ListAllThings {
    type Output = ThingsPage;
    const INFO: OperationInfo = info("ListAllThings");
}

things_listing!(ListAllThings, Paging::Unpaged);
/// One instance's result of a command run (Cloud Assistant style).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RunResult {
    #[serde(rename = "InstanceId")]
    pub instance_id: Option<String>,
    #[serde(rename = "InvocationStatus")]
    pub invocation_status: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RunResults {
    #[serde(rename = "InvocationResult", default)]
    pub invocation_result: Vec<RunResult>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Invocation {
    #[serde(rename = "NextToken")]
    pub next_token: Option<String>,
    #[serde(rename = "InvocationResults", default)]
    pub invocation_results: RunResults,
}

/// `{"Invocation": {"NextToken": .., "InvocationResults": {"InvocationResult": [..]}}}`
#[derive(Debug, Default, Deserialize)]
pub struct RunResultsPage {
    #[serde(rename = "Invocation")]
    pub invocation: Option<Invocation>,
}

impl HasRequestId for RunResultsPage {}

/// Per-instance results of one invocation: filtered by `InvokeId`, not by
/// the instance ids the waiter waits for.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DescribeRunResults {
    #[serde(rename = "InvokeId")]
    pub invoke_id: String,
}

impl Operation for DescribeRunResults {
    type Output = RunResultsPage;
    const INFO: OperationInfo = info("DescribeRunResults");
}

impl Paginated for DescribeRunResults {
    type Item = RunResult;
    const PAGING: Paging = Paging::Token {
        token: "NextToken",
        size: Some(PageSize {
            param: "MaxResults",
            max: 50,
        }),
    };
    fn page_info(page: &RunResultsPage) -> PageInfo<'_> {
        PageInfo {
            next_token: page
                .invocation
                .as_ref()
                .and_then(|i| i.next_token.as_deref()),
            ..PageInfo::default()
        }
    }
    fn items(page: &RunResultsPage) -> &[RunResult] {
        page.invocation
            .as_ref()
            .map_or(&[], |i| &i.invocation_results.invocation_result)
    }
    fn into_items(page: RunResultsPage) -> Vec<RunResult> {
        page.invocation
            .map(|i| i.invocation_results.invocation_result)
            .unwrap_or_default()
    }
}

impl Waitable for DescribeRunResults {
    const IDS: Ids = Ids::Unsent;
    fn set_ids(&mut self, _: &[String]) {}
    fn item_id(item: &RunResult) -> Option<&str> {
        item.instance_id.as_deref()
    }
}

/// `n` things `i-000`, `i-001`, ... as JSON items.
pub fn things(n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| json!({"InstanceId": format!("i-{i:03}"), "Status": "Running"}))
        .collect()
}

fn param_number(req: &RecordedRequest, name: &str) -> Option<usize> {
    req.param(name)
        .map(|v| v.parse().expect("a number parameter"))
}

/// ECS token paging over `items`: `MaxResults` a page (default 10, at
/// most `max`), an opaque `NextToken` until the last page, which has none.
pub fn token_page(items: &[Value], req: &RecordedRequest, max: usize) -> Value {
    let size = param_number(req, "MaxResults").unwrap_or(10).min(max);
    let start = match req.param("NextToken") {
        None => 0,
        Some(t) => t
            .strip_prefix("after-")
            .and_then(|n| n.parse().ok())
            .expect("a token this pager issued"),
    };
    let end = (start + size).min(items.len());
    let mut page = json!({"Things": {"Thing": items[start.min(end)..end]}});
    if end < items.len() {
        page["NextToken"] = json!(format!("after-{end}"));
    }
    page
}

/// ECS page-number paging over `items`: `PageNumber` (from 1) and
/// `PageSize` (default 10) echoed, `TotalCount` the whole list.
pub fn number_page(items: &[Value], req: &RecordedRequest) -> Value {
    let number = param_number(req, "PageNumber").unwrap_or(1);
    let size = param_number(req, "PageSize").unwrap_or(10);
    let start = ((number - 1) * size).min(items.len());
    let end = (start + size).min(items.len());
    json!({
        "Things": {"Thing": items[start..end]},
        "TotalCount": items.len(),
        "PageNumber": number.to_string(),
        "PageSize": size,
    })
}

/// A 200 answer with `fields` and a request id.
pub fn ok(fields: Value) -> Reply {
    Response::ok("req-page", fields).into()
}

/// Resources whose state moves along a script, one step per describe call
/// that names them. `None` in a script: not listed at that step. The last
/// step repeats.
#[derive(Clone, Default)]
pub struct Fleet {
    scripts: Arc<Mutex<HashMap<String, Script>>>,
}

/// An id's states, one per describe call, and how many calls it has seen.
type Script = (Vec<Option<&'static str>>, usize);

impl Fleet {
    pub fn new() -> Self {
        Fleet::default()
    }

    pub fn script(&self, id: &str, steps: &[Option<&'static str>]) -> &Self {
        let mut scripts = self.scripts.lock().unwrap();
        scripts.insert(id.to_string(), (steps.to_vec(), 0));
        self
    }

    /// Every id in `ids` on the same script.
    pub fn script_all(&self, ids: &[String], steps: &[Option<&'static str>]) -> &Self {
        for id in ids {
            self.script(id, steps);
        }
        self
    }

    /// The ids' items at their next step (ids without a script are absent).
    pub fn step(&self, ids: &[String]) -> Vec<Value> {
        let mut scripts = self.scripts.lock().unwrap();
        ids.iter()
            .filter_map(|id| {
                let (steps, at) = scripts.get_mut(id)?;
                let state = steps[(*at).min(steps.len() - 1)];
                *at += 1;
                state.map(|s| json!({"InstanceId": id, "Status": s}))
            })
            .collect()
    }

    /// Every scripted id, sorted.
    pub fn ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.scripts.lock().unwrap().keys().cloned().collect();
        ids.sort();
        ids
    }

    /// Answers `DescribeThings` (ids from `InstanceIds`) and
    /// `DescribeThingStatus` (ids from `InstanceId.N`), one page each.
    pub fn answer(&self, req: &RecordedRequest) -> Reply {
        let ids = requested_ids(req);
        let items = self.step(&ids);
        ok(json!({"Things": {"Thing": items}, "TotalCount": items.len()}))
    }
}

/// The ids a describe request names, in either form.
pub fn requested_ids(req: &RecordedRequest) -> Vec<String> {
    if let Some(list) = req.param("InstanceIds") {
        return serde_json::from_str(&list).expect("InstanceIds is a JSON list");
    }
    req.params()
        .into_iter()
        .filter(|(k, _)| k.starts_with("InstanceId."))
        .map(|(_, v)| v)
        .collect()
}
