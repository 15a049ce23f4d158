//! Paginators over real HTTP: both paging styles, where they stop, what
//! they refuse, and that they are lazy, `Send` streams of ordinary calls.

mod common;
mod fleet;

use common::*;
use ecs_core::paginator::{Paginated, Paginator, PagingError, Stream};
use ecs_core::{CallOptions, Error, RetryPolicy};
use ecs_fault_server::verify::verify_rpc_signature;
use ecs_fault_server::{Reply, Response, TestServer};
use fleet::*;
use serde_json::json;
use std::collections::HashSet;
use std::time::Duration;

/// A server paging `n` things in token style (pages of at most `max`).
async fn token_server(n: usize, max: usize) -> TestServer {
    let server = TestServer::start().await;
    let items = things(n);
    server.set_handler(move |req| ok(token_page(&items, req, max)));
    server
}

/// A server paging `n` things in page-number style.
async fn number_server(n: usize) -> TestServer {
    let server = TestServer::start().await;
    let items = things(n);
    server.set_handler(move |req| ok(number_page(&items, req)));
    server
}

fn paginate<Op: Paginated>(server: &TestServer, request: Op) -> Paginator<Op> {
    client(&server.url()).paginate(request)
}

/// An answer of `n` things, with `NextToken` if given.
fn page(n: usize, token: Option<&str>) -> Reply {
    let mut page = json!({"Things": {"Thing": things(n)}});
    if let Some(token) = token {
        page["NextToken"] = json!(token);
    }
    ok(page)
}

/// Every item collected: how many, and how many calls it took.
async fn items_and_calls<Op: Paginated>(
    server: &TestServer,
    paginator: Paginator<Op>,
) -> (usize, usize) {
    let items = paginator.collect_items().await.unwrap();
    (items.len(), server.requests().len())
}

fn ids(items: &[Thing]) -> Vec<String> {
    items.iter().map(|t| t.id.clone().unwrap()).collect()
}

fn paging_error(e: Error) -> PagingError {
    match e {
        Error::Paging(p) => p,
        other => panic!("expected a paging error, got {other:?}"),
    }
}

#[tokio::test]
async fn token_style_yields_every_item_once_with_page_sizes_1_7_and_100() {
    for size in [1u32, 7, 100] {
        let server = token_server(250, 100).await;
        let items = paginate(&server, DescribeThings::default())
            .page_size(size)
            .collect_items()
            .await
            .unwrap();
        let unique: HashSet<String> = ids(&items).into_iter().collect();
        assert_eq!((items.len(), unique.len()), (250, 250), "page size {size}");
        let requests = server.requests();
        assert_eq!(requests.len(), 250usize.div_ceil(size as usize));
        assert!(requests
            .iter()
            .all(|r| r.param("MaxResults") == Some(size.to_string())));
        assert_eq!(requests[0].param("NextToken"), None);
    }
}

#[tokio::test]
async fn number_style_yields_every_item_once_with_page_sizes_1_7_and_100() {
    for size in [1u32, 7, 100] {
        let server = number_server(250).await;
        let items = paginate(&server, DescribeThingStatus::default())
            .page_size(size)
            .collect_items()
            .await
            .unwrap();
        let unique: HashSet<String> = ids(&items).into_iter().collect();
        assert_eq!((items.len(), unique.len()), (250, 250), "page size {size}");
        let requests = server.requests();
        let pages = 250usize.div_ceil(size as usize);
        let numbers: Vec<String> = requests
            .iter()
            .map(|r| r.param("PageNumber").unwrap())
            .collect();
        let expected: Vec<String> = (1..=pages).map(|n| n.to_string()).collect();
        assert_eq!(numbers, expected, "page size {size}");
        assert!(requests
            .iter()
            .all(|r| r.param("PageSize") == Some(size.to_string())));
    }
}

#[tokio::test]
async fn a_page_size_above_the_operation_maximum_is_refused_before_sending() {
    let server = number_server(250).await;
    let err = paginate(&server, DescribeThingStatus::default())
        .page_size(101)
        .collect_items()
        .await
        .unwrap_err();
    assert_eq!(
        paging_error(err),
        PagingError::InvalidPageSize {
            operation: "DescribeThingStatus",
            param: "PageSize",
            requested: 101,
            max: 100,
        }
    );
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn page_size_zero_is_refused_before_sending() {
    let server = token_server(5, 100).await;
    let err = paginate(&server, DescribeThings::default())
        .page_size(0)
        .collect_items()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("MaxResults 1..=100"), "{err}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn without_page_size_the_request_keeps_its_own_and_the_server_default_applies() {
    let server = token_server(25, 100).await;
    let request = DescribeThings {
        max_results: Some(20),
        ..DescribeThings::default()
    };
    let items = paginate(&server, request).collect_items().await.unwrap();
    assert_eq!(items.len(), 25);
    let sizes: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.param("MaxResults"))
        .collect();
    assert_eq!(sizes, [Some("20".to_string()), Some("20".to_string())]);
}

#[tokio::test]
async fn token_style_stops_when_the_token_is_absent() {
    let server = TestServer::start().await;
    server.push(page(2, Some("t1"))).push(page(1, None));
    assert_eq!(
        items_and_calls(&server, paginate(&server, DescribeThings::default())).await,
        (3, 2)
    );
    assert_eq!(
        server.requests()[1].param("NextToken").as_deref(),
        Some("t1")
    );
}

#[tokio::test]
async fn token_style_stops_when_the_token_is_empty() {
    let server = TestServer::start().await;
    server.set_handler(|_| page(3, Some("")));
    assert_eq!(
        items_and_calls(&server, paginate(&server, DescribeThings::default())).await,
        (3, 1)
    );
}

#[tokio::test]
async fn an_empty_page_stops_even_with_a_token() {
    let server = TestServer::start().await;
    server.push(page(2, Some("t1"))).push(page(0, Some("t2")));
    assert_eq!(
        items_and_calls(&server, paginate(&server, DescribeThings::default())).await,
        (2, 2)
    );
}

#[tokio::test]
async fn token_style_ignores_total_count() {
    let server = TestServer::start().await;
    let items = things(30);
    // ECS documents TotalCount as meaningless in token mode.
    server.set_handler(move |req| {
        let mut page = token_page(&items, req, 100);
        page["TotalCount"] = json!(3);
        ok(page)
    });
    let got = paginate(&server, DescribeThings::default())
        .page_size(10)
        .collect_items()
        .await
        .unwrap();
    assert_eq!(got.len(), 30);
}

#[tokio::test]
async fn number_style_stops_once_total_count_is_reached() {
    let server = number_server(20).await;
    // Pages 1 and 2 hold all 20; page 3 is never asked for.
    assert_eq!(
        items_and_calls(
            &server,
            paginate(&server, DescribeThingStatus::default()).page_size(10)
        )
        .await,
        (20, 2)
    );
}

#[tokio::test]
async fn number_style_stops_on_an_empty_page_without_total_count() {
    let server = TestServer::start().await;
    server.push(page(2, None)).push(page(0, None));
    assert_eq!(
        items_and_calls(&server, paginate(&server, DescribeThingStatus::default())).await,
        (2, 2)
    );
}

#[tokio::test]
async fn number_style_stops_on_a_short_page_without_total_count() {
    let server = TestServer::start().await;
    server
        .push(ok(json!({"Things": {"Thing": things(5)}, "PageSize": 5})))
        .push(ok(json!({"Things": {"Thing": things(3)}, "PageSize": 5})));
    assert_eq!(
        items_and_calls(
            &server,
            paginate(&server, DescribeThingStatus::default()).page_size(5)
        )
        .await,
        (8, 2)
    );
}

#[tokio::test]
async fn a_repeated_token_is_an_error_after_its_page_and_is_not_sent_again() {
    let server = TestServer::start().await;
    server.set_handler(|_| page(2, Some("stuck")));
    let mut pages = paginate(&server, DescribeThings::default()).pages();
    assert!(pages.next().await.unwrap().is_ok());
    assert!(pages.next().await.unwrap().is_ok());
    let err = paging_error(pages.next().await.unwrap().unwrap_err());
    assert_eq!(
        err,
        PagingError::TokenRepeated {
            operation: "DescribeThings",
            token: "stuck".into(),
            page: 2,
        }
    );
    assert!(pages.next().await.is_none());
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_token_cycle_is_an_error() {
    let server = TestServer::start().await;
    for token in ["a", "b", "a"] {
        server.push(page(1, Some(token)));
    }
    let err = paginate(&server, DescribeThings::default())
        .collect_items()
        .await
        .unwrap_err();
    assert!(
        matches!(paging_error(err), PagingError::TokenRepeated { ref token, page: 3, .. } if token == "a")
    );
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn a_page_past_total_count_is_an_error_and_not_yielded() {
    let server = TestServer::start().await;
    // TotalCount says 5, yet every page is full: page 2 brings 6.
    server.set_handler(|req| {
        let page = req.param("PageNumber").unwrap();
        ok(json!({"Things": {"Thing": things(3)}, "TotalCount": 5, "PageNumber": page}))
    });
    let mut items = paginate(&server, DescribeThingStatus::default())
        .page_size(3)
        .items();
    let mut yielded = 0;
    let err = loop {
        match items.next().await.unwrap() {
            Ok(_) => yielded += 1,
            Err(e) => break paging_error(e),
        }
    };
    assert_eq!(yielded, 3);
    assert_eq!(
        err,
        PagingError::PastTotalCount {
            operation: "DescribeThingStatus",
            page: 2,
            total_count: 5,
            items_seen: 6,
        }
    );
    assert!(items.next().await.is_none());
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn an_answer_for_another_page_number_is_an_error() {
    let server = TestServer::start().await;
    // A server that ignores PageNumber answers page 1 every time.
    server.set_handler(|_| {
        ok(json!({"Things": {"Thing": things(2)}, "TotalCount": 10, "PageNumber": "1"}))
    });
    let err = paginate(&server, DescribeThingStatus::default())
        .page_size(2)
        .collect_items()
        .await
        .unwrap_err();
    assert_eq!(
        paging_error(err),
        PagingError::WrongPage {
            operation: "DescribeThingStatus",
            requested: 2,
            answered: 1,
        }
    );
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn max_pages_stops_after_that_many_pages() {
    let server = token_server(250, 100).await;
    let items = paginate(&server, DescribeThings::default())
        .page_size(7)
        .max_pages(3)
        .collect_items()
        .await
        .unwrap();
    assert_eq!(ids(&items), ids(&things_as_items(21)));
    assert_eq!(server.requests().len(), 3);
}

fn things_as_items(n: usize) -> Vec<Thing> {
    serde_json::from_value(json!(things(n))).unwrap()
}

#[tokio::test]
async fn nothing_is_sent_until_the_stream_is_polled_and_then_one_page_at_a_time() {
    let server = token_server(30, 100).await;
    let mut items = paginate(&server, DescribeThings::default())
        .page_size(10)
        .items();
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(server.requests().len(), 0);
    for _ in 0..10 {
        items.next().await.unwrap().unwrap();
    }
    assert_eq!(server.requests().len(), 1);
    items.next().await.unwrap().unwrap();
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn the_first_page_resumes_from_the_requests_own_token() {
    let server = token_server(30, 100).await;
    let request = DescribeThings {
        next_token: Some("after-20".into()),
        ..DescribeThings::default()
    };
    let items = paginate(&server, request).collect_items().await.unwrap();
    assert_eq!(ids(&items), ids(&things_as_items(30)[20..]));
}

#[tokio::test]
async fn every_page_is_a_signed_call_with_the_clients_region() {
    let server = token_server(25, 100).await;
    paginate(&server, DescribeThings::default())
        .page_size(10)
        .collect_items()
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    let mut nonces = HashSet::new();
    for r in &requests {
        verify_rpc_signature(&r.method, r.raw_query(), SECRET).unwrap();
        assert_eq!(r.param("Action").as_deref(), Some("DescribeThings"));
        assert_eq!(r.param("RegionId").as_deref(), Some("cn-hangzhou"));
        assert!(nonces.insert(r.param("SignatureNonce").unwrap()));
    }
}

#[tokio::test]
async fn a_page_is_retried_like_any_call() {
    let server = TestServer::start().await;
    server
        .push(page(2, Some("t1")))
        .push(Response::service_unavailable())
        .push(page(1, None));
    let items = paginate(&server, DescribeThings::default())
        .collect_items()
        .await
        .unwrap();
    assert_eq!(items.len(), 3);
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(requests[2].param("NextToken").as_deref(), Some("t1"));
}

#[tokio::test]
async fn a_failed_page_ends_the_stream_with_the_service_error() {
    let server = TestServer::start().await;
    server
        .push(page(2, Some("t1")))
        .push(Response::service_error(
            400,
            "InvalidParameter.NextToken",
            "The token is invalid.",
        ));
    let mut items = paginate(&server, DescribeThings::default()).items();
    items.next().await.unwrap().unwrap();
    items.next().await.unwrap().unwrap();
    let err = items.next().await.unwrap().unwrap_err();
    assert_eq!(err.code(), Some("InvalidParameter.NextToken"));
    assert!(items.next().await.is_none());
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn collect_items_returns_the_first_error() {
    let server = TestServer::start().await;
    server
        .push(page(2, Some("t1")))
        .push(Response::service_error(403, "Forbidden.RAM", "denied"));
    let err = paginate(&server, DescribeThings::default())
        .collect_items()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("Forbidden.RAM"));
}

#[tokio::test]
async fn call_options_apply_to_every_page_under_the_paging_parameters() {
    let server = token_server(15, 100).await;
    let options = CallOptions::new()
        .param("ResourceGroupId", "rg-1")
        .param("MaxResults", "3")
        .retry(RetryPolicy::disabled());
    paginate(&server, DescribeThings::default())
        .call_options(options)
        .page_size(10)
        .collect_items()
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for r in &requests {
        assert_eq!(r.param("ResourceGroupId").as_deref(), Some("rg-1"));
        assert_eq!(r.param("MaxResults").as_deref(), Some("10"));
    }
}

#[tokio::test]
async fn an_unpaged_operation_is_one_call() {
    let server = TestServer::start().await;
    server.set_handler(|_| page(4, Some("more")));
    assert_eq!(
        items_and_calls(&server, paginate(&server, ListAllThings::default())).await,
        (4, 1)
    );
}

#[tokio::test]
async fn page_size_on_an_operation_without_a_page_size_is_an_error() {
    let server = TestServer::start().await;
    let err = paginate(&server, ListAllThings::default())
        .page_size(10)
        .collect_items()
        .await
        .unwrap_err();
    assert_eq!(
        paging_error(err),
        PagingError::NoPageSize {
            operation: "ListAllThings"
        }
    );
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn pages_yields_whole_answers() {
    let server = number_server(12).await;
    let mut pages = paginate(&server, DescribeThingStatus::default())
        .page_size(5)
        .pages();
    let mut seen = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.unwrap();
        seen.push((page.page_number.unwrap(), page.things.thing.len()));
    }
    assert_eq!(
        seen,
        [
            ("1".to_string(), 5),
            ("2".to_string(), 5),
            ("3".to_string(), 2)
        ]
    );
}

#[tokio::test]
async fn item_streams_are_send_and_can_be_spawned() {
    let server = token_server(40, 100).await;
    let client = client(&server.url());
    let handles: Vec<_> = (0..3)
        .map(|_| {
            let items = client
                .paginate(DescribeThings::default())
                .page_size(9)
                .items();
            tokio::spawn(async move { drain(items).await })
        })
        .collect();
    for h in handles {
        assert_eq!(h.await.unwrap(), 40);
    }
}

/// Reads a stream through the `Stream` trait alone.
async fn drain<S, T, E>(mut stream: S) -> usize
where
    S: Stream<Item = Result<T, E>> + Unpin,
    E: std::fmt::Debug,
{
    let mut n = 0;
    while let Some(item) =
        std::future::poll_fn(|cx| std::pin::Pin::new(&mut stream).poll_next(cx)).await
    {
        item.unwrap();
        n += 1;
    }
    n
}

#[tokio::test]
async fn paging_errors_name_the_operation_and_the_token() {
    let server = TestServer::start().await;
    server.set_handler(|_| page(1, Some("abc")));
    let err = paginate(&server, DescribeThings::default())
        .collect_items()
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("DescribeThings") && text.contains("`abc`"),
        "{text}"
    );
}
