//! Waiters: poll a list operation until every id is in a wanted state.
//!
//! A waiter is data: a [`WaiterSpec`] (the state field, success and failure
//! values, whether an absent id is done, default timeout and delays) over a
//! request type that implements [`Waitable`] (how ids go into the request,
//! how to read an item's id; its item list and paging come from
//! [`Paginated`]). [`Client::wait`] runs it:
//!
//! ```no_run
//! # use ecs_core::waiter::*;
//! # use ecs_core::paginator::*;
//! # use std::time::Duration;
//! # #[derive(Clone, serde::Serialize)] struct DescribeInstancesRequest {}
//! # #[derive(serde::Deserialize)] struct DescribeInstancesResponse { instances: Vec<Instance> }
//! # #[derive(serde::Deserialize)] struct Instance { instance_id: Option<String>, status: Option<String> }
//! # impl ecs_core::HasRequestId for DescribeInstancesResponse {}
//! # impl ecs_core::Operation for DescribeInstancesRequest {
//! #     type Output = DescribeInstancesResponse;
//! #     const INFO: ecs_core::OperationInfo = ecs_core::OperationInfo { name: "DescribeInstances",
//! #         version: "2014-05-26", group: "instances", deprecated: false, read_only: true,
//! #         client_token: false, region_id: ecs_core::RegionParam::Required, enabled: true };
//! # }
//! # impl Paginated for DescribeInstancesRequest {
//! #     type Item = Instance;
//! #     const PAGING: Paging = Paging::Unpaged;
//! #     fn page_info(_: &DescribeInstancesResponse) -> PageInfo<'_> { PageInfo::default() }
//! #     fn items(page: &DescribeInstancesResponse) -> &[Instance] { &page.instances }
//! #     fn into_items(page: DescribeInstancesResponse) -> Vec<Instance> { page.instances }
//! # }
//! # impl Waitable for DescribeInstancesRequest {
//! #     const IDS: Ids = Ids::JsonList { param: "InstanceIds", max: 100 };
//! #     fn set_ids(&mut self, _: &[String]) {}
//! #     fn item_id(i: &Instance) -> Option<&str> { i.instance_id.as_deref() }
//! # }
//! # const INSTANCES_RUNNING: WaiterSpec<DescribeInstancesRequest> = WaiterSpec {
//! #     name: "instances_running", state_path: "Instances.Instance[].Status",
//! #     state: |i| i.status.as_deref(), success: &["Running"], failure: &[],
//! #     absent: Absent::Pending, timeout: Duration::from_secs(600),
//! #     min_delay: Duration::from_secs(2), max_delay: Duration::from_secs(20) };
//! # async fn demo(client: ecs_core::Client) -> Result<(), WaitError> {
//! let instances = client
//!     .wait(INSTANCES_RUNNING, DescribeInstancesRequest {}, ["i-1", "i-2"])
//!     .timeout(Duration::from_secs(300))
//!     .await?;
//! # Ok(()) }
//! ```
//!
//! # Behaviour
//!
//! - Each poll sends the ids not yet done, batched: as many per call as the
//!   id parameter takes ([`Ids::per_call`]: 100 for `InstanceIds`, so 250
//!   ids are three calls a poll), every page of each answer read (at the
//!   operation's largest page size), each call an ordinary
//!   [`Client::call`] with its retries.
//! - An id whose state is a success value is done; its last item is kept.
//!   A failure value ends the wait at once ([`WaitError::Failed`]). An id
//!   missing from the answer is done when the spec says
//!   [`Absent::Success`] (deletes); otherwise it is not there yet (a new
//!   instance can take a moment to appear) and is polled again.
//! - Between polls: jittered exponential backoff, the first pause
//!   `min_delay`, then uniform in `[min_delay, min(max_delay,
//!   min_delay * 2^n)]`. No pause runs past the deadline
//!   (start + `timeout`); the last one ends so that the last poll can finish
//!   in time, and a poll still running at the deadline is abandoned.
//! - Success gives the items of every id (in the order given; none for ids
//!   that are absent and done). Otherwise a [`WaitError`]: `TimedOut` with
//!   the last state seen for each id and which are not done, `Failed` with
//!   the id and its state, `Call` with the [`Error`] of a describe call.
//!
//! # What the generated crate implements
//!
//! `ecs-api` declares, per operation a waiter polls, its [`Waitable`] impl
//! with [`waitable!`](crate::waitable!) (next to its
//! [`paginated!`](crate::paginated!)); per waiter of its table, with
//! [`waiter_spec!`](crate::waiter_spec!), one `const` [`WaiterSpec`] and one `Client`
//! method, each with its own docs. `DescribeInstances` with its
//! `InstanceIds` (a JSON list in one string, at most 100) and the
//! instances-running waiter:
//!
//! ```
//! # use ecs_api::describe_instances::*;
//! # use ecs_core::waiter::{Ids, Waitable};
//! # mod ecs_api {
//! # #[derive(Clone)] pub struct Client(ecs_core::Client);
//! # impl std::ops::Deref for Client { type Target = ecs_core::Client; fn deref(&self) -> &ecs_core::Client { &self.0 } }
//! # pub mod describe_instances {
//! #   ecs_core::request_struct! { #[derive(Default)] pub struct DescribeInstancesRequest {
//! #       pub instance_ids: Option<Vec<String>> = "InstanceIds" json, } }
//! #   impl DescribeInstancesRequest { pub fn new() -> Self { Self::default() } }
//! #   ecs_core::response_struct! { pub struct DescribeInstancesResponse {
//! #       pub instances: Vec<Instance> = "Instances" wrapped "Instance", } }
//! #   ecs_core::wire_enum! { pub enum Status { Running = "Running", Stopping = "Stopping" } }
//! #   ecs_core::response_struct! { pub struct Instance {
//! #       pub instance_id: Option<String> = "InstanceId", pub status: Option<Status> = "Status", } }
//! #   impl ecs_core::Operation for DescribeInstancesRequest {
//! #       type Output = DescribeInstancesResponse;
//! #       const INFO: ecs_core::OperationInfo = ecs_core::OperationInfo { name: "DescribeInstances",
//! #           version: "2014-05-26", group: "instances", deprecated: false, read_only: true,
//! #           client_token: false, region_id: ecs_core::RegionParam::Required, enabled: true };
//! #   }
//! #   ecs_core::paginated! { DescribeInstancesRequest => DescribeInstancesResponse,
//! #       item: Instance = instances, paging: token "NextToken" size "MaxResults" max 100, }
//! # } }
//! # use ecs_api as crate_;
//! ecs_core::waitable! {
//!     DescribeInstancesRequest {
//!         ids: JsonList { param: "InstanceIds", max: 100 } => instance_ids,
//!         item_id: instance_id,
//!     }
//! }
//!
//! ecs_core::waiter_spec! {
//!     /// `DescribeInstances` until every instance is `Running`.
//!     pub const INSTANCES_RUNNING: DescribeInstancesRequest = {
//!         name: "instances_running",
//!         state: "Instances.Instance[].Status" = status,
//!         success: ["Running"],
//!         failure: ["Stopping"],
//!         absent: Pending,
//!         timeout: 600, min_delay: 2, max_delay: 15,
//!     };
//!     impl crate_::Client {
//!         /// Waits until every instance in `instance_ids` is `Running`.
//!         ///
//!         /// Defaults: timeout 10 min, polls 2 s to 15 s apart
//!         pub fn wait_until_instances_running([instance_ids]);
//!     }
//! }
//! # let mut request = DescribeInstancesRequest::new();
//! # request.set_ids(&["i-1".into(), "i-2".into()]);
//! # assert_eq!(request.instance_ids, Some(vec!["i-1".to_string(), "i-2".to_string()]));
//! # assert_eq!(DescribeInstancesRequest::IDS, Ids::JsonList { param: "InstanceIds", max: 100 });
//! # let running = Instance { instance_id: Some("i-1".into()), status: Some(Status::Running) };
//! # assert_eq!(DescribeInstancesRequest::item_id(&running), Some("i-1"));
//! # assert_eq!((INSTANCES_RUNNING.state)(&running), Some("Running"));
//! # let info = INSTANCES_RUNNING.info();
//! # assert_eq!((info.name, info.operation, info.success, info.failure), ("instances_running", "DescribeInstances", &["Running"][..], &["Stopping"][..]));
//! # assert_eq!((info.timeout.as_secs(), info.min_delay.as_secs(), info.max_delay.as_secs()), (600, 2, 15));
//! # fn wait(client: &crate_::Client) -> ecs_core::waiter::Wait<DescribeInstancesRequest> {
//! #     client.wait_until_instances_running(["i-1"])
//! # }
//! ```
//!
//! The other id parameters: `DescribeInstanceStatus`'s `InstanceId.N`
//! (`RepeatList { param: "InstanceId", max: 100 } => instance_id`, a
//! `Vec<String>`), `DescribeTasks`'s comma-separated `TaskIds`
//! (`Joined { param: "TaskIds", max: 100 } => task_ids`), one id per call
//! (`One { param: "ImageId" } => image_id`). A deletion waiter says
//! `absent: Success`.
//!
//! The Cloud Assistant invocation waiter polls `DescribeInvocationResults`
//! for one `InvokeId`: the ids are the instance ids *within* that
//! invocation, which the request does not filter by (`Unsent`), so one
//! poll reads every page of the invocation's results and picks the ids.
//! With no ids, it waits for every instance the invocation lists (at least
//! one). The items are the per-instance results (`ExitCode`, `Output`,
//! ...). The method takes `invoke_id` before the ids and sets the
//! request's field of that name; `with field = "value"` would preset one:
//!
//! ```
//! # use ecs_api::describe_invocation_results::*;
//! # use ecs_core::waiter::{Ids, Waitable};
//! # mod ecs_api {
//! # #[derive(Clone)] pub struct Client(ecs_core::Client);
//! # impl std::ops::Deref for Client { type Target = ecs_core::Client; fn deref(&self) -> &ecs_core::Client { &self.0 } }
//! # pub mod describe_invocation_results {
//! #   ecs_core::request_struct! { #[derive(Default)] pub struct DescribeInvocationResultsRequest {
//! #       pub invoke_id: Option<String> = "InvokeId", pub invoke_record_status: Option<String> = "InvokeRecordStatus", } }
//! #   impl DescribeInvocationResultsRequest { pub fn new() -> Self { Self::default() } }
//! #   ecs_core::response_struct! { pub struct DescribeInvocationResultsResponse {
//! #       pub invocation: Option<Invocation> = "Invocation", } }
//! #   ecs_core::response_struct! { pub struct Invocation {
//! #       pub next_token: Option<String> = "NextToken",
//! #       pub invocation_results: Vec<InvocationResult> = "InvocationResults" wrapped "InvocationResult", } }
//! #   ecs_core::response_struct! { pub struct InvocationResult {
//! #       pub instance_id: Option<String> = "InstanceId", pub invocation_status: Option<String> = "InvocationStatus", } }
//! #   impl ecs_core::Operation for DescribeInvocationResultsRequest {
//! #       type Output = DescribeInvocationResultsResponse;
//! #       const INFO: ecs_core::OperationInfo = ecs_core::OperationInfo { name: "DescribeInvocationResults",
//! #           version: "2014-05-26", group: "cloud-assistant", deprecated: false, read_only: true,
//! #           client_token: false, region_id: ecs_core::RegionParam::Required, enabled: true };
//! #   }
//! # } }
//! # use ecs_api as crate_;
//! ecs_core::paginated! {
//!     DescribeInvocationResultsRequest => DescribeInvocationResultsResponse,
//!     item: InvocationResult = invocation.invocation_results,
//!     paging: token "NextToken" size "MaxResults" max 50,
//!     page_info: next_token = invocation.next_token,
//! }
//!
//! ecs_core::waitable! {
//!     DescribeInvocationResultsRequest {
//!         ids: Unsent,
//!         item_id: instance_id,
//!     }
//! }
//!
//! ecs_core::waiter_spec! {
//!     /// `DescribeInvocationResults` until every instance's run has ended
//!     /// (the results say how: `InvocationStatus`, `ExitCode`, `Output`).
//!     pub const INVOCATION_FINISHED: DescribeInvocationResultsRequest = {
//!         name: "invocation_finished",
//!         state: "Invocation.InvocationResults.InvocationResult[].InvocationStatus" = invocation_status,
//!         success: [
//!             "Success", "Failed", "Error", "Timeout", "Cancelled", "Terminated", "Invalid",
//!             "Aborted",
//!         ],
//!         failure: [],
//!         absent: Pending,
//!         timeout: 3600, min_delay: 1, max_delay: 10,
//!     };
//!     impl crate_::Client {
//!         /// Waits until invocation `invoke_id` has finished on every instance in
//!         /// `instance_ids` (on every instance it lists, when empty).
//!         ///
//!         /// Defaults: timeout 1 h, polls 1 s to 10 s apart
//!         pub fn wait_until_invocation_finished(invoke_id, [instance_ids]);
//!     }
//! }
//! # ecs_core::waiter_spec! {
//! #     const INVOCATION_ENDED: DescribeInvocationResultsRequest = {
//! #         name: "invocation_ended", state: "S" = invocation_status, success: ["Finished"], failure: [],
//! #         absent: Success, timeout: 1, min_delay: 1, max_delay: 1 };
//! #     impl crate_::Client {
//! #         fn wait_until_invocation_ended(invoke_id, [instance_ids]) with invoke_record_status = "Finished";
//! #     }
//! # }
//! # assert_eq!(DescribeInvocationResultsRequest::IDS, Ids::Unsent);
//! # assert_eq!(INVOCATION_FINISHED.info().failure, &[] as &[&str]);
//! # fn wait(client: &crate_::Client) -> ecs_core::waiter::Wait<DescribeInvocationResultsRequest> {
//! #     client.wait_until_invocation_finished("t-1", Vec::<String>::new())
//! # }
//! ```

mod backoff;

use crate::paginator::Paginated;
use crate::{Client, Error};
use backoff::Backoff;
use std::collections::HashMap;
use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;
use tokio::time::Instant;
use tracing::Instrument;

/// How a waiter's ids go into the describe request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ids {
    /// One string parameter holding a JSON array, e.g.
    /// `InstanceIds=["i-1","i-2"]`, at most `max` ids.
    JsonList { param: &'static str, max: usize },
    /// `Param.1`, `Param.2`, ..., at most `max` ids.
    RepeatList { param: &'static str, max: usize },
    /// One string parameter, ids separated by commas, at most `max`.
    Joined { param: &'static str, max: usize },
    /// One id per call.
    One { param: &'static str },
    /// Not sent: the request's other parameters select the items (one
    /// invocation's per-instance results) and the waiter picks its ids.
    Unsent,
}

impl Ids {
    /// Ids per call; `None` when they are not sent (one call serves all).
    pub const fn per_call(&self) -> Option<usize> {
        match *self {
            Ids::JsonList { max, .. } | Ids::RepeatList { max, .. } | Ids::Joined { max, .. } => {
                Some(if max == 0 { 1 } else { max })
            }
            Ids::One { .. } => Some(1),
            Ids::Unsent => None,
        }
    }

    /// The id parameter's wire name.
    pub const fn param(&self) -> Option<&'static str> {
        match *self {
            Ids::JsonList { param, .. }
            | Ids::RepeatList { param, .. }
            | Ids::Joined { param, .. }
            | Ids::One { param } => Some(param),
            Ids::Unsent => None,
        }
    }
}

/// A list operation a waiter can poll for a set of ids. Implemented by the
/// generated code on the request type.
pub trait Waitable: Paginated + Clone {
    /// How the ids go in.
    const IDS: Ids;
    /// Puts one batch of ids (at most [`Ids::per_call`]) on the request, in
    /// the parameter's own form; never called for [`Ids::Unsent`].
    fn set_ids(&mut self, ids: &[String]);
    /// The id of one item of the answer, e.g. its `InstanceId`.
    fn item_id(item: &Self::Item) -> Option<&str>;
}

/// What an id missing from the answer means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Absent {
    /// Done: it is gone (deletion waiters).
    Success,
    /// Not there yet: poll again until the timeout.
    Pending,
}

/// One waiter, as data. The generated code declares one `const` per waiter.
pub struct WaiterSpec<R: Waitable> {
    /// For errors and traces, e.g. `instances_running`.
    pub name: &'static str,
    /// Where the state is in the answer, e.g. `Instances.Instance[].Status`.
    pub state_path: &'static str,
    /// Reads the state of one item.
    pub state: fn(&R::Item) -> Option<&str>,
    /// States that make an id done.
    pub success: &'static [&'static str],
    /// States that end the wait with [`WaitError::Failed`].
    pub failure: &'static [&'static str],
    pub absent: Absent,
    /// Default for [`Wait::timeout`].
    pub timeout: Duration,
    /// Default for [`Wait::min_delay`].
    pub min_delay: Duration,
    /// Default for [`Wait::max_delay`].
    pub max_delay: Duration,
}

impl<R: Waitable> Clone for WaiterSpec<R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R: Waitable> Copy for WaiterSpec<R> {}

impl<R: Waitable> fmt::Debug for WaiterSpec<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.info(), f)
    }
}

impl<R: Waitable> WaiterSpec<R> {
    /// The spec as plain data, with its operation and id parameter.
    pub const fn info(&self) -> WaiterInfo {
        WaiterInfo {
            name: self.name,
            operation: R::INFO.name,
            ids: R::IDS,
            state_path: self.state_path,
            success: self.success,
            failure: self.failure,
            absent: self.absent,
            timeout: self.timeout,
            min_delay: self.min_delay,
            max_delay: self.max_delay,
        }
    }
}

/// A waiter as data, without its request type: what the generated crate
/// lists (`WAITERS`) and what a [`WaiterSpec`]'s `Debug` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaiterInfo {
    pub name: &'static str,
    /// The describe operation it polls.
    pub operation: &'static str,
    pub ids: Ids,
    pub state_path: &'static str,
    pub success: &'static [&'static str],
    pub failure: &'static [&'static str],
    pub absent: Absent,
    pub timeout: Duration,
    pub min_delay: Duration,
    pub max_delay: Duration,
}

/// The last thing a waiter saw of one id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LastSeen {
    /// Not in the last answer (or never polled).
    NotListed,
    /// Listed without a state.
    NoState,
    State(String),
}

impl fmt::Display for LastSeen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LastSeen::NotListed => f.write_str("not listed"),
            LastSeen::NoState => f.write_str("no state"),
            LastSeen::State(s) => f.write_str(s),
        }
    }
}

/// One id at the end of a wait that timed out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdState {
    pub id: String,
    pub last_seen: LastSeen,
    pub done: bool,
}

/// Why a wait ended without success.
#[derive(Debug)]
#[non_exhaustive]
pub enum WaitError {
    /// The deadline passed first.
    TimedOut {
        waiter: &'static str,
        after: Duration,
        /// Polls that completed.
        polls: u32,
        /// Every id with its last seen state, done or not.
        ids: Vec<IdState>,
    },
    /// An id reached a failure state.
    Failed {
        waiter: &'static str,
        id: String,
        state: String,
    },
    /// A describe call failed (service error, transport, timeout, paging).
    Call {
        waiter: &'static str,
        source: Box<Error>,
    },
    /// The wait's options cannot work (e.g. a zero `min_delay`).
    InvalidOptions {
        waiter: &'static str,
        message: String,
    },
}

impl WaitError {
    /// For a timeout: the ids not done, with their last seen states.
    pub fn pending(&self) -> impl Iterator<Item = &IdState> {
        let ids = match self {
            WaitError::TimedOut { ids, .. } => ids.as_slice(),
            _ => &[],
        };
        ids.iter().filter(|s| !s.done)
    }

    /// The describe call's error, if that is what ended the wait.
    pub fn call_error(&self) -> Option<&Error> {
        match self {
            WaitError::Call { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Pending ids named in a timeout message; the error holds them all.
const SHOWN_PENDING: usize = 10;

impl fmt::Display for WaitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaitError::TimedOut {
                waiter,
                after,
                polls,
                ids,
            } => {
                let pending: Vec<&IdState> = self.pending().collect();
                write!(
                    f,
                    "{waiter}: timed out after {after:?} ({polls} polls); {} of {} not done:",
                    pending.len(),
                    ids.len()
                )?;
                for s in pending.iter().take(SHOWN_PENDING) {
                    write!(f, " {} ({})", s.id, s.last_seen)?;
                }
                if pending.len() > SHOWN_PENDING {
                    write!(f, " and {} more", pending.len() - SHOWN_PENDING)?;
                }
                Ok(())
            }
            WaitError::Failed { waiter, id, state } => {
                write!(f, "{waiter}: {id} reached failure state `{state}`")
            }
            WaitError::Call { waiter, source } => write!(f, "{waiter}: {source}"),
            WaitError::InvalidOptions { waiter, message } => write!(f, "{waiter}: {message}"),
        }
    }
}

impl std::error::Error for WaitError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.call_error()?)
    }
}

impl Client {
    /// A wait for `ids` (duplicates ignored) per `spec`, polling copies of
    /// `request` (which carries the other parameters, e.g. `InvokeId`).
    /// Nothing is sent until it is awaited.
    pub fn wait<R: Waitable>(
        &self,
        spec: WaiterSpec<R>,
        request: R,
        ids: impl IntoIterator<Item = impl Into<String>>,
    ) -> Wait<R> {
        Wait {
            client: self.clone(),
            spec,
            request,
            ids: ids.into_iter().map(Into::into).collect(),
        }
    }
}

/// One wait: set the options, then `.await` it (or [`Wait::run`]).
#[must_use = "a wait polls nothing until awaited"]
pub struct Wait<R: Waitable> {
    client: Client,
    spec: WaiterSpec<R>,
    request: R,
    ids: Vec<String>,
}

impl<R: Waitable> fmt::Debug for Wait<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Wait")
            .field("spec", &self.spec)
            .field("ids", &self.ids)
            .finish_non_exhaustive()
    }
}

impl<R: Waitable> Wait<R> {
    /// How long to wait in all, from the first poll.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.spec.timeout = timeout;
        self
    }

    /// The first pause, and the shortest (more than zero).
    pub fn min_delay(mut self, delay: Duration) -> Self {
        self.spec.min_delay = delay;
        self
    }

    /// The longest pause (at least `min_delay`).
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.spec.max_delay = delay;
        self
    }

    /// Polls until every id is done; their items.
    pub async fn run(self) -> Result<Vec<R::Item>, WaitError> {
        let spec = self.spec;
        let span = tracing::info_span!(
            "ecs_wait",
            waiter = spec.name,
            operation = R::INFO.name,
            ids = self.ids.len()
        );
        self.poll_until_done().instrument(span).await
    }

    async fn poll_until_done(self) -> Result<Vec<R::Item>, WaitError> {
        let spec = self.spec;
        let invalid = |message: String| WaitError::InvalidOptions {
            waiter: spec.name,
            message,
        };
        if spec.min_delay.is_zero() {
            return Err(invalid("min_delay must be more than zero".into()));
        }
        if spec.max_delay < spec.min_delay {
            return Err(invalid(format!(
                "max_delay {:?} is below min_delay {:?}",
                spec.max_delay, spec.min_delay
            )));
        }
        let every_listed = self.ids.is_empty() && R::IDS == Ids::Unsent;
        let mut tracker = Tracker::new(&self.ids, every_listed);
        if tracker.all_done() {
            return Ok(Vec::new());
        }
        let backoff = Backoff {
            min: spec.min_delay,
            max: spec.max_delay,
        };
        let deadline = Instant::now() + spec.timeout;
        let mut polls = 0;
        loop {
            let started = Instant::now();
            match tokio::time::timeout_at(deadline, self.poll(&mut tracker)).await {
                Ok(result) => result?,
                Err(_) => return Err(tracker.timed_out(&spec, polls)),
            }
            polls += 1;
            if tracker.all_done() {
                tracing::debug!(polls, "wait done");
                return Ok(tracker.into_items());
            }
            // Leave the last poll as long as this one took.
            let now = Instant::now();
            let budget = deadline
                .saturating_duration_since(now)
                .saturating_sub(now - started);
            if budget.is_zero() {
                return Err(tracker.timed_out(&spec, polls));
            }
            let pause = backoff.fit(backoff.delay(polls), budget);
            tracing::debug!(
                polls,
                pending = tracker.pending().count(),
                pause_ms = pause.as_millis() as u64,
                "not done yet"
            );
            tokio::time::sleep(pause).await;
        }
    }

    /// One poll: every pending id, in batches the id parameter takes.
    async fn poll(&self, tracker: &mut Tracker<R::Item>) -> Result<(), WaitError> {
        let Some(per_call) = R::IDS.per_call() else {
            let items = self.fetch(self.request.clone()).await?;
            return tracker.observe(&self.spec, items, None);
        };
        let pending: Vec<String> = tracker.pending().map(|t| t.id.clone()).collect();
        for batch in pending.chunks(per_call) {
            let mut request = self.request.clone();
            request.set_ids(batch);
            let items = self.fetch(request).await?;
            tracker.observe(&self.spec, items, Some(batch))?;
        }
        Ok(())
    }

    /// Every item of every page of the answer to `request`.
    async fn fetch(&self, request: R) -> Result<Vec<R::Item>, WaitError> {
        let mut pages = self.client.paginate(request);
        if let Some(size) = R::PAGING.size_param() {
            pages = pages.page_size(size.max);
        }
        pages
            .collect_items()
            .await
            .map_err(|source| WaitError::Call {
                waiter: self.spec.name,
                source: Box::new(source),
            })
    }
}

impl<R: Waitable> IntoFuture for Wait<R> {
    type Output = Result<Vec<R::Item>, WaitError>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.run())
    }
}

/// What the waiter knows of one id.
struct Tracked<T> {
    id: String,
    last_seen: LastSeen,
    done: bool,
    item: Option<T>,
}

/// The ids of one wait and what was last seen of each.
struct Tracker<T> {
    ids: Vec<Tracked<T>>,
    /// Where each id is in `ids`.
    index: HashMap<String, usize>,
    /// No ids given: every id an answer lists joins the wait.
    every_listed: bool,
}

impl<T> Tracker<T> {
    fn new(ids: &[String], every_listed: bool) -> Self {
        let mut tracker = Tracker {
            ids: Vec::new(),
            index: HashMap::new(),
            every_listed,
        };
        for id in ids {
            tracker.add(id);
        }
        tracker
    }

    fn add(&mut self, id: &str) {
        if self.index.contains_key(id) {
            return;
        }
        self.index.insert(id.to_string(), self.ids.len());
        self.ids.push(Tracked {
            id: id.to_string(),
            last_seen: LastSeen::NotListed,
            done: false,
            item: None,
        });
    }

    fn pending(&self) -> impl Iterator<Item = &Tracked<T>> {
        self.ids.iter().filter(|t| !t.done)
    }

    /// Done when every id is; with `every_listed`, once at least one is
    /// known.
    fn all_done(&self) -> bool {
        !(self.every_listed && self.ids.is_empty()) && self.ids.iter().all(|t| t.done)
    }

    /// Takes in one answer's items for the ids of `batch` (every pending
    /// id when `None`); a failure state ends the wait.
    fn observe<R>(
        &mut self,
        spec: &WaiterSpec<R>,
        items: Vec<T>,
        batch: Option<&[String]>,
    ) -> Result<(), WaitError>
    where
        R: Waitable<Item = T>,
    {
        let mut listed: HashMap<String, T> = HashMap::with_capacity(items.len());
        for item in items {
            let Some(id) = R::item_id(&item) else {
                continue;
            };
            if self.every_listed {
                self.add(id);
            }
            listed.insert(id.to_string(), item);
        }
        let targets: Vec<usize> = match batch {
            Some(ids) => ids
                .iter()
                .filter_map(|id| self.index.get(id).copied())
                .collect(),
            None => (0..self.ids.len()).filter(|&i| !self.ids[i].done).collect(),
        };
        for i in targets {
            let tracked = &mut self.ids[i];
            let Some(item) = listed.remove(&tracked.id) else {
                tracked.last_seen = LastSeen::NotListed;
                tracked.done = spec.absent == Absent::Success;
                tracked.item = None;
                continue;
            };
            let state = (spec.state)(&item);
            tracked.last_seen = state.map_or(LastSeen::NoState, |s| LastSeen::State(s.into()));
            if let Some(s) = state.filter(|s| spec.failure.contains(s)) {
                return Err(WaitError::Failed {
                    waiter: spec.name,
                    id: tracked.id.clone(),
                    state: s.to_string(),
                });
            }
            tracked.done = state.is_some_and(|s| spec.success.contains(&s));
            tracked.item = Some(item);
        }
        Ok(())
    }

    fn timed_out<R: Waitable>(&self, spec: &WaiterSpec<R>, polls: u32) -> WaitError {
        WaitError::TimedOut {
            waiter: spec.name,
            after: spec.timeout,
            polls,
            ids: self
                .ids
                .iter()
                .map(|t| IdState {
                    id: t.id.clone(),
                    last_seen: t.last_seen.clone(),
                    done: t.done,
                })
                .collect(),
        }
    }

    /// The items of the done ids, in the order the ids were given.
    fn into_items(self) -> Vec<T> {
        self.ids.into_iter().filter_map(|t| t.item).collect()
    }
}

/// The state of one item from its state field, text or wire enum
/// (what [`waiter_spec!`](crate::waiter_spec!) reads with).
pub fn state_text<T: AsRef<str>>(field: &Option<T>) -> Option<&str> {
    field.as_ref().map(AsRef::as_ref)
}

/// Declares the [`Waitable`] impl of a request type, as data: how the ids
/// go in ([`Ids`], and the request field that takes them) and the item's
/// id field.
///
/// ```text
/// waitable! {
///     Request {
///         ids: JsonList { param: "InstanceIds", max: 100 } => instance_ids,  // Option<Vec<String>>
///      // ids: RepeatList { param: "InstanceId", max: 100 } => instance_id,  // Vec<String>
///      // ids: Joined { param: "TaskIds", max: 100 } => task_ids,            // Option<String>, comma-separated
///      // ids: One { param: "ImageId" } => image_id,                         // Option<String>, the first id
///      // ids: Unsent,
///         item_id: instance_id,
///     }
/// }
/// ```
///
/// See [the generated form](self#what-the-generated-crate-implements).
#[macro_export]
macro_rules! waitable {
    (
        $request:ty {
            ids: $kind:ident $({ $($how:tt)* })? $(=> $field:ident)?,
            item_id: $id:ident $(,)?
        }
    ) => {
        impl $crate::waiter::Waitable for $request {
            const IDS: $crate::waiter::Ids = $crate::waiter::Ids::$kind $({ $($how)* })?;
            $crate::waitable!(@set_ids $kind $($field)?);
            fn item_id(
                item: &<Self as $crate::paginator::Paginated>::Item,
            ) -> ::core::option::Option<&str> {
                item.$id.as_deref()
            }
        }
    };

    (@set_ids Unsent) => {
        fn set_ids(&mut self, _ids: &[::std::string::String]) {}
    };
    (@set_ids $kind:ident $field:ident) => {
        fn set_ids(&mut self, ids: &[::std::string::String]) {
            self.$field = $crate::waitable!(@value $kind ids);
        }
    };
    (@value JsonList $ids:ident) => { ::core::option::Option::Some($ids.to_vec()) };
    (@value RepeatList $ids:ident) => { $ids.to_vec() };
    (@value Joined $ids:ident) => { ::core::option::Option::Some($ids.join(",")) };
    (@value One $ids:ident) => { $ids.first().cloned() };
}

/// Declares one waiter: its [`WaiterSpec`] const and the client method
/// that runs it, each with its own docs (attributes pass through).
///
/// ```text
/// waiter_spec! {
///     /// The const's docs.
///     pub const INSTANCES_RUNNING: Request = {
///         name: "instances_running",
///         state: "Instances.Instance[].Status" = status,  // the wire path; the item's field
///         success: ["Running"],
///         failure: ["Stopping"],
///         absent: Pending,                                 // or Success
///         timeout: 600, min_delay: 2, max_delay: 15,       // seconds
///     };
///     impl crate::Client {
///         /// The method's docs, ending with its defaults.
///         pub fn wait_until_instances_running([instance_ids]);
///     }
/// }
/// ```
///
/// The method's docs go on with its defaults' setters, what it gives and
/// a link to the spec: they should end with its defaults (`Defaults:
/// timeout 10 min, polls 2 s to 15 s apart`). The method takes the ids
/// (the bracketed name) last; names before them
/// are more `impl Into<String>` arguments, each set on the request field of
/// the same name. `with field = "value", ...` after the arguments presets
/// request fields. See
/// [the generated form](self#what-the-generated-crate-implements).
#[macro_export]
macro_rules! waiter_spec {
    (
        $(#[$const_meta:meta])*
        $const_vis:vis const $spec:ident: $request:path = {
            name: $name:literal,
            state: $state_path:literal = $state:ident,
            success: [$($success:literal),* $(,)?],
            failure: [$($failure:literal),* $(,)?],
            absent: $absent:ident,
            timeout: $timeout:literal,
            min_delay: $min_delay:literal,
            max_delay: $max_delay:literal $(,)?
        };
        impl $client:ty {
            $(#[$fn_meta:meta])*
            $fn_vis:vis fn $method:ident($($arg:ident,)* [$ids:ident])
                $(with $($preset:ident = $value:literal),+)?;
        }
    ) => {
        $(#[$const_meta])*
        $const_vis const $spec: $crate::waiter::WaiterSpec<$request> = $crate::waiter::WaiterSpec {
            name: $name,
            state_path: $state_path,
            state: |item| $crate::waiter::state_text(&item.$state),
            success: &[$($success),*],
            failure: &[$($failure),*],
            absent: $crate::waiter::Absent::$absent,
            timeout: ::std::time::Duration::from_secs($timeout),
            min_delay: ::std::time::Duration::from_secs($min_delay),
            max_delay: ::std::time::Duration::from_secs($max_delay),
        };

        impl $client {
            $(#[$fn_meta])*
            #[doc = " (`.timeout(..)`, `.min_delay(..)`, `.max_delay(..)`). `.await` gives the last"]
            #[doc = " item of each id; a [`WaitError`](ecs_core::waiter::WaitError) says which ids"]
            #[doc = " timed out or failed."]
            #[doc = concat!(" The spec: [`", stringify!($spec), "`].")]
            $fn_vis fn $method(
                &self,
                $($arg: impl ::core::convert::Into<::std::string::String>,)*
                $ids: impl ::core::iter::IntoIterator<
                    Item = impl ::core::convert::Into<::std::string::String>,
                >,
            ) -> $crate::waiter::Wait<$request> {
                #[allow(unused_mut)]
                let mut request = <$request>::new();
                $(request.$arg = ::core::option::Option::Some($arg.into());)*
                $($(request.$preset = ::core::option::Option::Some($value.into());)+)?
                self.wait($spec, request, $ids)
            }
        }
    };
}
