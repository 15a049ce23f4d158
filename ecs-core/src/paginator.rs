//! Paginators: every page of a list operation as a lazy `Stream`.
//!
//! The behaviour lives here once; each paged operation only says, in an
//! impl of [`Paginated`], how it pages (the wire names of its paging
//! parameters), how to read the paging fields of an answer and which list
//! holds the items. [`Client::paginate`] turns a request into a
//! [`Paginator`]:
//!
//! ```no_run
//! # use ecs_core::paginator::{Paginated, PageInfo, PageSize, Paging};
//! # #[derive(serde::Serialize)] struct DescribeInstancesRequest {}
//! # #[derive(serde::Deserialize)] struct DescribeInstancesResponse { instances: Vec<Instance> }
//! # #[derive(serde::Deserialize)] struct Instance { instance_id: Option<String> }
//! # impl ecs_core::HasRequestId for DescribeInstancesResponse {}
//! # impl ecs_core::Operation for DescribeInstancesRequest {
//! #     type Output = DescribeInstancesResponse;
//! #     const INFO: ecs_core::OperationInfo = ecs_core::OperationInfo { name: "DescribeInstances",
//! #         version: "2014-05-26", group: "instances", deprecated: false, read_only: true,
//! #         client_token: false, region_id: ecs_core::RegionParam::Required, enabled: true };
//! # }
//! # impl Paginated for DescribeInstancesRequest {
//! #     type Item = Instance;
//! #     const PAGING: Paging = Paging::Token { token: "NextToken",
//! #         size: Some(PageSize { param: "MaxResults", max: 100 }) };
//! #     fn page_info(_: &DescribeInstancesResponse) -> PageInfo<'_> { PageInfo::default() }
//! #     fn items(page: &DescribeInstancesResponse) -> &[Instance] { &page.instances }
//! #     fn into_items(page: DescribeInstancesResponse) -> Vec<Instance> { page.instances }
//! # }
//! # async fn demo(client: ecs_core::Client) -> Result<(), ecs_core::Error> {
//! // Scripts: every instance, 100 a page.
//! let all = client
//!     .paginate(DescribeInstancesRequest {})
//!     .page_size(100)
//!     .collect_items()
//!     .await?;
//!
//! // Services: a stream of items (or of whole pages with `.pages()`), fetched
//! // as it is read; `Send`, so it can be spawned.
//! let mut instances = client.paginate(DescribeInstancesRequest {}).max_pages(5).items();
//! while let Some(instance) = instances.next().await {
//!     println!("{:?}", instance?.instance_id);
//! }
//! # Ok(()) }
//! ```
//!
//! # Behaviour
//!
//! - Nothing is sent until the stream is first polled; each page is one
//!   ordinary [`Client::call_with`] (signing, `RegionId`, retries, timeouts,
//!   a `tracing` span), inside an `ecs_page` span naming the page.
//! - The paginator sets the paging parameters itself, by wire name, as call
//!   parameters that replace the request's own: `NextToken` from the
//!   previous page (the first page uses the request's own `NextToken`, so a
//!   saved token resumes a listing) or `PageNumber` = 1, 2, 3, ...; and the
//!   page size (`MaxResults` / `PageSize`) when [`Paginator::page_size`] is
//!   given, otherwise the request's own value or the service default.
//! - It stops after a page with an empty or absent `NextToken`, after an
//!   empty page, after [`Paginator::max_pages`] pages, and in page-number
//!   style once the items seen reach `TotalCount` (or, without a
//!   `TotalCount`, after a page shorter than its echoed `PageSize`).
//!   `TotalCount` is ignored in token style, where ECS documents it as
//!   meaningless (protocol.md section 7).
//! - A service that would make it loop is an error, never an endless loop
//!   ([`PagingError`], as [`Error::Paging`]): a `NextToken` seen before (the
//!   page that carried it is still yielded; the request that would repeat is
//!   not sent), an answer for another page than the one asked
//!   (`PageNumber` echo), or a page that takes the items seen past
//!   `TotalCount` (that page is not yielded).
//! - The first error ends the stream.
//!
//! # What the generated crate implements
//!
//! `ecs-api` declares each paged operation (regen finds them by their
//! shape) with [`paginated!`](crate::paginated!): one line per fact, from
//! which the macro writes the [`Paginated`] impl on its request type.
//! `paging` names the request's paging parameters as they are on the wire,
//! with the page-size maximum the metadata gives (in the parameter's
//! limits or its description; 100 where it gives none); operations with
//! both styles use the token. `item` is the item type and the Rust fields
//! from the answer to its list; `page_info` names the answer's paging
//! fields it has (absent ones read as `None`; [`count`] reads any integer
//! or numeric string field). The paginator borrows the list to count it
//! and moves it out of the answer (no page is cloned).
//!
//! `DescribeInstances` (token style; items at `Instances.Instance`):
//!
//! ```
//! # use ecs_api::describe_instances::*;
//! # use ecs_core::paginator::{Paginated, PageInfo, PageSize, Paging};
//! # mod ecs_api { pub mod describe_instances {
//! #   #[derive(serde::Serialize)] pub struct DescribeInstancesRequest {}
//! #   #[derive(serde::Deserialize)] pub struct DescribeInstancesResponse {
//! #       pub next_token: Option<String>, pub total_count: Option<i32>,
//! #       pub page_number: Option<i32>, pub page_size: Option<String>,
//! #       pub instances: Vec<Instance> }
//! #   #[derive(serde::Deserialize, Debug, PartialEq)] pub struct Instance {}
//! #   impl ecs_core::HasRequestId for DescribeInstancesResponse {}
//! #   impl ecs_core::Operation for DescribeInstancesRequest {
//! #       type Output = DescribeInstancesResponse;
//! #       const INFO: ecs_core::OperationInfo = ecs_core::OperationInfo { name: "DescribeInstances",
//! #           version: "2014-05-26", group: "instances", deprecated: false, read_only: true,
//! #           client_token: false, region_id: ecs_core::RegionParam::Required, enabled: true };
//! #   }
//! # } }
//! ecs_core::paginated! {
//!     DescribeInstancesRequest => DescribeInstancesResponse,
//!     item: Instance = instances,
//!     paging: token "NextToken" size "MaxResults" max 100,
//!     page_info: next_token, total_count, page_number, page_size,
//! }
//! # let page = DescribeInstancesResponse { next_token: Some("t2".into()), total_count: Some(7),
//! #     page_number: Some(-1), page_size: Some(" 5 ".into()), instances: vec![Instance {}] };
//! # assert_eq!(DescribeInstancesRequest::PAGING,
//! #     Paging::Token { token: "NextToken", size: Some(PageSize { param: "MaxResults", max: 100 }) });
//! # assert_eq!(DescribeInstancesRequest::page_info(&page),
//! #     PageInfo { next_token: Some("t2"), total_count: Some(7), page_number: None, page_size: Some(5) });
//! # assert_eq!(DescribeInstancesRequest::items(&page).len(), 1);
//! # assert_eq!(DescribeInstancesRequest::into_items(page), [Instance {}]);
//! ```
//!
//! `DescribeImages` (page-number style only; items at `Images.Image`), with
//! the `Client` method the generated crate adds for every paged operation:
//!
//! ```
//! # use ecs_api::describe_images::*;
//! # use ecs_core::paginator::{Paginated, PageInfo, PageSize, Paging};
//! # mod ecs_api {
//! # #[derive(Clone)] pub struct Client(ecs_core::Client);
//! # impl std::ops::Deref for Client { type Target = ecs_core::Client; fn deref(&self) -> &ecs_core::Client { &self.0 } }
//! # pub mod describe_images {
//! #   #[derive(serde::Serialize)] pub struct DescribeImagesRequest {}
//! #   #[derive(serde::Deserialize)] pub struct DescribeImagesResponse {
//! #       pub total_count: Option<i64>, pub page_number: Option<i32>, pub images: Vec<Image> }
//! #   #[derive(serde::Deserialize)] pub struct Image {}
//! #   impl ecs_core::HasRequestId for DescribeImagesResponse {}
//! #   impl ecs_core::Operation for DescribeImagesRequest {
//! #       type Output = DescribeImagesResponse;
//! #       const INFO: ecs_core::OperationInfo = ecs_core::OperationInfo { name: "DescribeImages",
//! #           version: "2014-05-26", group: "images", deprecated: false, read_only: true,
//! #           client_token: false, region_id: ecs_core::RegionParam::Required, enabled: true };
//! #   }
//! # } }
//! # use ecs_api as crate_;
//! ecs_core::paginated! {
//!     DescribeImagesRequest => DescribeImagesResponse,
//!     item: Image = images,
//!     paging: number "PageNumber" size "PageSize" max 100,
//!     page_info: total_count, page_number,
//! }
//!
//! impl crate_::Client {
//!     /// Every page of `DescribeImages`; see [`ecs_core::paginator`].
//!     pub fn describe_images_paginator(
//!         &self,
//!         request: DescribeImagesRequest,
//!     ) -> ecs_core::paginator::Paginator<DescribeImagesRequest> {
//!         self.paginate(request)
//!     }
//! }
//! # let page = DescribeImagesResponse { total_count: Some(3), page_number: Some(2), images: vec![] };
//! # assert_eq!(DescribeImagesRequest::PAGING,
//! #     Paging::Number { number: "PageNumber", size: PageSize { param: "PageSize", max: 100 } });
//! # assert_eq!(DescribeImagesRequest::page_info(&page),
//! #     PageInfo { next_token: None, total_count: Some(3), page_number: Some(2), page_size: None });
//! ```
//!
//! An item list or paging field nested deeper is a longer path through the
//! answer's `Option` structs; a missing one reads as no items and `None`.
//! `DescribeInvocationResults` (items at
//! `Invocation.InvocationResults.InvocationResult`, a token without a page
//! size here):
//!
//! ```
//! # use ecs_core::paginator::{Paginated, PageInfo, Paging};
//! # #[derive(serde::Serialize)] pub struct DescribeInvocationResultsRequest {}
//! # #[derive(serde::Deserialize)] pub struct DescribeInvocationResultsResponse { pub invocation: Option<Invocation> }
//! # #[derive(serde::Deserialize)] pub struct Invocation {
//! #     pub next_token: Option<String>, pub invocation_results: Vec<InvocationResult> }
//! # #[derive(serde::Deserialize, Debug, PartialEq)] pub struct InvocationResult { pub instance_id: Option<String> }
//! # impl ecs_core::HasRequestId for DescribeInvocationResultsResponse {}
//! # impl ecs_core::Operation for DescribeInvocationResultsRequest {
//! #     type Output = DescribeInvocationResultsResponse;
//! #     const INFO: ecs_core::OperationInfo = ecs_core::OperationInfo { name: "DescribeInvocationResults",
//! #         version: "2014-05-26", group: "cloud-assistant", deprecated: false, read_only: true,
//! #         client_token: false, region_id: ecs_core::RegionParam::Required, enabled: true };
//! # }
//! ecs_core::paginated! {
//!     DescribeInvocationResultsRequest => DescribeInvocationResultsResponse,
//!     item: InvocationResult = invocation.invocation_results,
//!     paging: token "NextToken",
//!     page_info: next_token = invocation.next_token,
//! }
//! # let result = || InvocationResult { instance_id: Some("i-1".into()) };
//! # let page = DescribeInvocationResultsResponse { invocation: Some(Invocation {
//! #     next_token: Some("t".into()), invocation_results: vec![result()] }) };
//! # assert_eq!(DescribeInvocationResultsRequest::PAGING, Paging::Token { token: "NextToken", size: None });
//! # assert_eq!(DescribeInvocationResultsRequest::page_info(&page).next_token, Some("t"));
//! # assert_eq!(DescribeInvocationResultsRequest::items(&page).len(), 1);
//! # assert_eq!(DescribeInvocationResultsRequest::into_items(page), [result()]);
//! # let empty = DescribeInvocationResultsResponse { invocation: None };
//! # assert_eq!(DescribeInvocationResultsRequest::page_info(&empty), PageInfo::default());
//! # assert!(DescribeInvocationResultsRequest::items(&empty).is_empty());
//! # assert!(DescribeInvocationResultsRequest::into_items(empty).is_empty());
//! ```
//!
//! A list operation that does not page at all declares
//! [`Paging::Unpaged`]; it is then one call (waiters use that).

use crate::{CallOptions, Client, Error, Operation};
use std::collections::HashSet;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use tracing::Instrument;

pub use futures_core::Stream;

/// How an operation pages, with its parameters' wire names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paging {
    /// `NextToken` from each answer sent back until it is empty; the page
    /// size (`MaxResults`), if the operation takes one.
    Token {
        token: &'static str,
        size: Option<PageSize>,
    },
    /// `PageNumber` 1, 2, 3, ...; `PageSize` items a page; `TotalCount`
    /// items in all.
    Number {
        number: &'static str,
        size: PageSize,
    },
    /// The whole list in one answer.
    Unpaged,
}

/// A page-size parameter (`MaxResults`, `PageSize`) and the largest value
/// the operation takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageSize {
    pub param: &'static str,
    pub max: u32,
}

impl Paging {
    /// The page-size parameter, if the operation takes one.
    pub const fn size_param(&self) -> Option<PageSize> {
        match *self {
            Paging::Token { size, .. } => size,
            Paging::Number { size, .. } => Some(size),
            Paging::Unpaged => None,
        }
    }

    /// The parameter that names the page: `NextToken` or `PageNumber`.
    pub const fn page_param(&self) -> Option<&'static str> {
        match *self {
            Paging::Token { token, .. } => Some(token),
            Paging::Number { number, .. } => Some(number),
            Paging::Unpaged => None,
        }
    }
}

/// One paged operation as the generated crate lists it (`PAGINATORS`):
/// its name, how it pages and where its items are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PagedOperation {
    /// The RPC `Action`, e.g. `DescribeInstances`.
    pub operation: &'static str,
    pub paging: Paging,
    /// The item list's path in the answer, e.g. `Instances.Instance[]`.
    pub items: &'static str,
}

/// The paging fields of one answer, as far as it has them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PageInfo<'a> {
    /// `NextToken`.
    pub next_token: Option<&'a str>,
    /// `TotalCount`.
    pub total_count: Option<u64>,
    /// `PageNumber`, as the service echoes it.
    pub page_number: Option<u64>,
    /// `PageSize`, as the service echoes it.
    pub page_size: Option<u64>,
}

/// A list operation: how it pages and where its items are. Implemented by
/// the generated code for each paged operation's request type.
pub trait Paginated: Operation<Output: Send + 'static> + Send + Sync + 'static {
    /// One element of the operation's item list, e.g. `Instance`.
    type Item: Send + 'static;
    /// The paging style and the wire names of its parameters.
    const PAGING: Paging;
    /// The answer's paging fields.
    fn page_info(page: &Self::Output) -> PageInfo<'_>;
    /// The answer's item list (to count it).
    fn items(page: &Self::Output) -> &[Self::Item];
    /// Moves the item list out of the answer.
    fn into_items(page: Self::Output) -> Vec<Self::Item>;
}

/// A paging field's value as a count: integers of any width, or a numeric
/// string; negative or unreadable values count as absent.
pub fn count<T: PageCount>(field: &Option<T>) -> Option<u64> {
    field.as_ref().and_then(PageCount::to_count)
}

/// The field types ECS uses for `TotalCount`, `PageNumber` and `PageSize`.
pub trait PageCount {
    fn to_count(&self) -> Option<u64>;
}

macro_rules! page_count_int {
    ($($t:ty),*) => {$(
        impl PageCount for $t {
            fn to_count(&self) -> Option<u64> {
                u64::try_from(*self).ok()
            }
        }
    )*};
}
page_count_int!(i32, i64, u32, u64);

impl PageCount for String {
    fn to_count(&self) -> Option<u64> {
        self.trim().parse().ok()
    }
}

/// Why a paginator stopped with an error although every call succeeded.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PagingError {
    /// `NextToken` came back with a value already sent: following it would
    /// loop.
    TokenRepeated {
        operation: &'static str,
        token: String,
        /// The page (1-based) whose answer carried it.
        page: usize,
    },
    /// Asked for page `requested`, the answer says `PageNumber` `answered`.
    WrongPage {
        operation: &'static str,
        requested: u64,
        answered: u64,
    },
    /// The items of the pages so far outnumber the answer's `TotalCount`.
    PastTotalCount {
        operation: &'static str,
        page: u64,
        total_count: u64,
        items_seen: u64,
    },
    /// [`Paginator::page_size`] outside `1..=max`.
    InvalidPageSize {
        operation: &'static str,
        param: &'static str,
        requested: u32,
        max: u32,
    },
    /// [`Paginator::page_size`] on an operation that takes no page size
    /// (or does not page).
    NoPageSize { operation: &'static str },
}

impl fmt::Display for PagingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PagingError::TokenRepeated {
                operation,
                token,
                page,
            } => write!(
                f,
                "{operation}: page {page} returned NextToken `{token}`, which was already \
                 sent; stopping instead of looping"
            ),
            PagingError::WrongPage {
                operation,
                requested,
                answered,
            } => write!(
                f,
                "{operation}: asked for page {requested}, the answer is page {answered}"
            ),
            PagingError::PastTotalCount {
                operation,
                page,
                total_count,
                items_seen,
            } => write!(
                f,
                "{operation}: page {page} brings the items to {items_seen}, past \
                 TotalCount {total_count}"
            ),
            PagingError::InvalidPageSize {
                operation,
                param,
                requested,
                max,
            } => write!(
                f,
                "{operation}: page size {requested} is outside {param} 1..={max}"
            ),
            PagingError::NoPageSize { operation } => {
                write!(f, "{operation}: the operation takes no page size")
            }
        }
    }
}

impl std::error::Error for PagingError {}

impl From<PagingError> for Error {
    fn from(e: PagingError) -> Self {
        Error::Paging(e)
    }
}

impl Client {
    /// A [`Paginator`] over `request`'s pages; nothing is sent until its
    /// stream is polled.
    pub fn paginate<Op: Paginated>(&self, request: Op) -> Paginator<Op> {
        Paginator {
            client: self.clone(),
            request,
            page_size: None,
            max_pages: None,
            options: CallOptions::default(),
        }
    }
}

/// Every page of one listing. Configure, then consume with
/// [`pages`](Paginator::pages), [`items`](Paginator::items) or
/// [`collect_items`](Paginator::collect_items).
#[must_use = "a paginator sends nothing until its pages or items are read"]
pub struct Paginator<Op: Paginated> {
    client: Client,
    request: Op,
    page_size: Option<u32>,
    max_pages: Option<usize>,
    options: CallOptions,
}

impl<Op: Paginated> fmt::Debug for Paginator<Op> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginator")
            .field("operation", &Op::INFO.name)
            .field("paging", &Op::PAGING)
            .field("page_size", &self.page_size)
            .field("max_pages", &self.max_pages)
            .finish_non_exhaustive()
    }
}

impl<Op: Paginated> Paginator<Op> {
    /// Items a page (`MaxResults` / `PageSize`), `1..=` the operation's
    /// maximum; outside that, the first poll yields
    /// [`PagingError::InvalidPageSize`] and nothing is sent.
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = Some(size);
        self
    }

    /// Stops after `n` pages.
    pub fn max_pages(mut self, n: usize) -> Self {
        self.max_pages = Some(n);
        self
    }

    /// Options for every page's call (timeouts, retry policy, extra
    /// parameters); the paging parameters are set over them.
    pub fn call_options(mut self, options: CallOptions) -> Self {
        self.options = options;
        self
    }

    /// The answers, one per page.
    pub fn pages(self) -> Pages<Op> {
        let next = match Op::PAGING {
            Paging::Number { .. } => Next::Number(1),
            Paging::Token { .. } | Paging::Unpaged => Next::First,
        };
        let cursor = Cursor {
            paginator: self,
            next,
            pages: 0,
            items_seen: 0,
            tokens: HashSet::new(),
        };
        let stream = futures_util::stream::unfold(cursor, |mut cursor| async move {
            let page = cursor.next_page().await?;
            Some((page, cursor))
        });
        Pages {
            inner: Box::pin(stream),
        }
    }

    /// The items of every page, in order.
    pub fn items(self) -> Items<Op> {
        Items {
            pages: self.pages(),
            current: Vec::new().into_iter(),
        }
    }

    /// Every item of every page; the first error instead if there is one.
    /// Each page's items move in at once, not one by one through a stream.
    pub async fn collect_items(self) -> Result<Vec<Op::Item>, Error> {
        let mut pages = self.pages();
        let mut all = Vec::new();
        while let Some(page) = pages.next().await {
            all.extend(Op::into_items(page?));
        }
        Ok(all)
    }
}

/// What the next page request carries.
enum Next {
    /// The request as given.
    First,
    Token(String),
    Number(u64),
    /// An error found on the last answer, yielded before stopping.
    Fail(PagingError),
    Done,
}

/// The paging state behind [`Pages`].
struct Cursor<Op: Paginated> {
    paginator: Paginator<Op>,
    next: Next,
    /// Pages fetched so far.
    pages: usize,
    /// Items of the pages so far (page-number style checks `TotalCount`).
    items_seen: u64,
    /// Every `NextToken` sent, to refuse a loop.
    tokens: HashSet<String>,
}

impl<Op: Paginated> Cursor<Op> {
    async fn next_page(&mut self) -> Option<Result<Op::Output, Error>> {
        let next = std::mem::replace(&mut self.next, Next::Done);
        let param = match next {
            Next::Done => return None,
            Next::Fail(e) => return Some(Err(e.into())),
            _ if self.paginator.max_pages.is_some_and(|m| self.pages >= m) => return None,
            Next::First => None,
            Next::Token(ref t) => Some(t.clone()),
            Next::Number(n) => Some(n.to_string()),
        };
        let options = match self.options(param) {
            Ok(o) => o,
            Err(e) => return Some(Err(e.into())),
        };
        self.pages += 1;
        let span = tracing::debug_span!("ecs_page", operation = Op::INFO.name, page = self.pages);
        let p = &self.paginator;
        let page = match p
            .client
            .call_with(&p.request, &options)
            .instrument(span)
            .await
        {
            Ok(page) => page,
            Err(e) => return Some(Err(e)),
        };
        match self.advance(&next, &page) {
            Ok(after) => {
                self.next = after;
                Some(Ok(page))
            }
            Err(e) => Some(Err(e.into())),
        }
    }

    /// The caller's call options plus this page's paging parameters.
    fn options(&self, page_param: Option<String>) -> Result<CallOptions, PagingError> {
        let operation = Op::INFO.name;
        let mut options = self.paginator.options.clone();
        if let Some(requested) = self.paginator.page_size {
            let Some(PageSize { param, max }) = Op::PAGING.size_param() else {
                return Err(PagingError::NoPageSize { operation });
            };
            if !(1..=max).contains(&requested) {
                return Err(PagingError::InvalidPageSize {
                    operation,
                    param,
                    requested,
                    max,
                });
            }
            options
                .extra_params
                .push((param.into(), requested.to_string()));
        }
        if let (Some(name), Some(value)) = (Op::PAGING.page_param(), page_param) {
            options.extra_params.push((name.into(), value));
        }
        Ok(options)
    }

    /// Where to go after `page`, the answer to the request `sent`.
    fn advance(&mut self, sent: &Next, page: &Op::Output) -> Result<Next, PagingError> {
        let operation = Op::INFO.name;
        let info = Op::page_info(page);
        let len = Op::items(page).len();
        match (Op::PAGING, sent) {
            (Paging::Unpaged, _) => Ok(Next::Done),
            (Paging::Token { .. }, _) => {
                let token = info.next_token.filter(|t| !t.is_empty());
                Ok(match token {
                    _ if len == 0 => Next::Done,
                    None => Next::Done,
                    Some(t) if !self.tokens.insert(t.to_string()) => {
                        Next::Fail(PagingError::TokenRepeated {
                            operation,
                            token: t.to_string(),
                            page: self.pages,
                        })
                    }
                    Some(t) => Next::Token(t.to_string()),
                })
            }
            (Paging::Number { .. }, Next::Number(n)) => {
                let n = *n;
                if let Some(answered) = info.page_number.filter(|a| *a != n) {
                    return Err(PagingError::WrongPage {
                        operation,
                        requested: n,
                        answered,
                    });
                }
                self.items_seen += len as u64;
                let last = match info.total_count {
                    Some(total) if self.items_seen > total => {
                        return Err(PagingError::PastTotalCount {
                            operation,
                            page: n,
                            total_count: total,
                            items_seen: self.items_seen,
                        })
                    }
                    Some(total) => self.items_seen >= total,
                    None => info.page_size.is_some_and(|size| (len as u64) < size),
                };
                Ok(if len == 0 || last {
                    Next::Done
                } else {
                    Next::Number(n + 1)
                })
            }
            (Paging::Number { .. }, _) => Ok(Next::Done),
        }
    }
}

type PageStream<Op> = Pin<Box<dyn Stream<Item = Result<<Op as Operation>::Output, Error>> + Send>>;

/// The answers of a listing, page by page: a [`Stream`], `Send` and
/// `Unpin`. [`Pages::next`] reads it without importing a stream trait.
#[must_use = "streams do nothing unless polled"]
pub struct Pages<Op: Paginated> {
    inner: PageStream<Op>,
}

impl<Op: Paginated> Pages<Op> {
    /// The next page; `None` once the listing is done or after an error.
    pub async fn next(&mut self) -> Option<Result<Op::Output, Error>> {
        std::future::poll_fn(|cx| self.inner.as_mut().poll_next(cx)).await
    }
}

impl<Op: Paginated> Stream for Pages<Op> {
    type Item = Result<Op::Output, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<Op: Paginated> fmt::Debug for Pages<Op> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("operation", &Op::INFO.name)
            .finish_non_exhaustive()
    }
}

/// The items of a listing, across pages: a [`Stream`], `Send` and `Unpin`.
#[must_use = "streams do nothing unless polled"]
pub struct Items<Op: Paginated> {
    pages: Pages<Op>,
    current: std::vec::IntoIter<Op::Item>,
}

// No field is ever pinned: `pages` is boxed, `current` is moved freely.
impl<Op: Paginated> Unpin for Items<Op> {}

impl<Op: Paginated> Items<Op> {
    /// The next item; `None` once the listing is done or after an error.
    pub async fn next(&mut self) -> Option<Result<Op::Item, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }
}

impl<Op: Paginated> Stream for Items<Op> {
    type Item = Result<Op::Item, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            if let Some(item) = self.current.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match std::task::ready!(Pin::new(&mut self.pages).poll_next(cx)) {
                Some(Ok(page)) => self.current = Op::into_items(page).into_iter(),
                Some(Err(e)) => return Poll::Ready(Some(Err(e))),
                None => return Poll::Ready(None),
            }
        }
    }
}

impl<Op: Paginated> fmt::Debug for Items<Op> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("operation", &Op::INFO.name)
            .field("buffered", &self.current.len())
            .finish_non_exhaustive()
    }
}

/// Declares a paged operation: the [`Paginated`] impl of its request type,
/// as data.
///
/// ```text
/// paginated! {
///     Request => Response,
///     item: Item = path.to.list,
///     paging: token "NextToken" size "MaxResults" max 100,
///     page_info: next_token, total_count = path.to.total, page_number, page_size,
/// }
/// ```
///
/// `paging` is `token "NextToken"`, with or without `size "..." max N`,
/// or `number "PageNumber" size "PageSize" max N`. `page_info` lists the
/// answer's paging fields it has, each a [`PageInfo`] field, alone when
/// the answer's field has its name or `= path` (the line is left out when
/// there are none; absent ones read as `None`, counts through [`count`]).
/// A path names Rust fields from the answer's root; all but the last are
/// `Option` structs (an absent one reads as `None` or no items). See
/// [the generated form](self#what-the-generated-crate-implements).
#[macro_export]
macro_rules! paginated {
    (
        $request:ty => $response:ty,
        item: $item:ty = $($items:ident).+,
        paging: $style:ident $page:literal $(size $size:literal max $max:literal)?
        $(, page_info: $($info:ident $(= $($path:ident).+)?),+)? $(,)?
    ) => {
        impl $crate::paginator::Paginated for $request {
            type Item = $item;
            const PAGING: $crate::paginator::Paging =
                $crate::paginated!(@paging $style $page $($size $max)?);
            #[allow(clippy::needless_update)]
            fn page_info(page: &$response) -> $crate::paginator::PageInfo<'_> {
                $crate::paginator::PageInfo {
                    $($($info: $crate::paginated!(@info page, $info $(= $($path).+)?),)+)?
                    ..::core::default::Default::default()
                }
            }
            fn items(page: &$response) -> &[$item] {
                $crate::paginated!(@read items page; $($items).+)
            }
            fn into_items(page: $response) -> ::std::vec::Vec<$item> {
                $crate::paginated!(@read into_items page; $($items).+)
            }
        }
    };

    (@info $page:ident, $info:ident) => { $crate::paginated!(@read $info $page; $info) };
    (@info $page:ident, $info:ident = $($path:ident).+) => {
        $crate::paginated!(@read $info $page; $($path).+)
    };
    (@paging token $token:literal) => {
        $crate::paginator::Paging::Token { token: $token, size: ::core::option::Option::None }
    };
    (@paging token $token:literal $size:literal $max:literal) => {
        $crate::paginator::Paging::Token {
            token: $token,
            size: ::core::option::Option::Some($crate::paginator::PageSize { param: $size, max: $max }),
        }
    };
    (@paging number $number:literal $size:literal $max:literal) => {
        $crate::paginator::Paging::Number {
            number: $number,
            size: $crate::paginator::PageSize { param: $size, max: $max },
        }
    };

    // The field at the end of a path, read as `$what` needs it.
    (@read items $page:expr; $field:ident) => { $page.$field.as_slice() };
    (@read into_items $page:expr; $field:ident) => { $page.$field };
    (@read next_token $page:expr; $field:ident) => { $page.$field.as_deref() };
    (@read total_count $page:expr; $field:ident) => { $crate::paginator::count(&$page.$field) };
    (@read page_number $page:expr; $field:ident) => { $crate::paginator::count(&$page.$field) };
    (@read page_size $page:expr; $field:ident) => { $crate::paginator::count(&$page.$field) };
    // Through an `Option` parent: owned for `into_items`, borrowed otherwise.
    (@read into_items $page:expr; $parent:ident . $($rest:ident).+) => {
        match $page.$parent {
            ::core::option::Option::Some(parent) => $crate::paginated!(@read into_items parent; $($rest).+),
            ::core::option::Option::None => ::std::vec::Vec::new(),
        }
    };
    (@read $what:ident $page:expr; $parent:ident . $($rest:ident).+) => {
        match &$page.$parent {
            ::core::option::Option::Some(parent) => $crate::paginated!(@read $what parent; $($rest).+),
            ::core::option::Option::None => ::core::default::Default::default(),
        }
    };
}
