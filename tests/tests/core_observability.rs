//! Tracing: one span per call with operation, region, attempts, status,
//! request id and latency; no secret, token or signature anywhere.
//!
//! Only traced tests live here: tracing caches per-callsite interest, and an
//! untraced test running alongside would hide the spans from the capture.

mod common;

use common::*;
use ecs_core::Credentials;
use ecs_fault_server::{Response, TestServer};
use std::fmt::Debug;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// Records every span and event, with all fields, as text.
#[derive(Clone, Default)]
struct Capture {
    lines: Arc<Mutex<Vec<String>>>,
    next: Arc<AtomicU64>,
}

struct Line<'a>(&'a mut String);

impl Visit for Line<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        self.0.push_str(&format!(" {}={:?}", field.name(), value));
    }
}

impl Capture {
    fn push(&self, line: String) {
        self.lines.lock().unwrap().push(line);
    }

    fn text(&self) -> String {
        self.lines.lock().unwrap().join("\n")
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, attrs: &Attributes<'_>) -> Id {
        let mut line = format!("span {}", attrs.metadata().name());
        attrs.record(&mut Line(&mut line));
        self.push(line);
        Id::from_u64(self.next.fetch_add(1, Ordering::SeqCst) + 1)
    }
    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut line = format!("record {}", span.into_u64());
        values.record(&mut Line(&mut line));
        self.push(line);
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut line = format!("event {}", event.metadata().level());
        event.record(&mut Line(&mut line));
        self.push(line);
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

/// Runs `f` on a current-thread runtime with `capture` as the subscriber.
fn traced<F: std::future::Future<Output = ()>>(capture: &Capture, f: impl FnOnce() -> F) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    tracing::subscriber::with_default(capture.clone(), || rt.block_on(f()));
}

#[test]
fn call_span_records_operation_region_attempts_status_request_id_and_latency() {
    let capture = Capture::default();
    traced(&capture, || async {
        let server = TestServer::start().await;
        server
            .push(Response::service_unavailable())
            .push(Response::ok("req-traced", serde_json::json!({})));
        client(&server.url())
            .call(&DescribeRegions::default())
            .await
            .unwrap();
    });
    let text = capture.text();
    assert!(
        text.contains("span ecs_call operation=\"DescribeRegions\" region=\"cn-hangzhou\""),
        "{text}"
    );
    assert!(text.contains("attempts=2"), "{text}");
    assert!(
        text.contains("status=503") && text.contains("status=200"),
        "{text}"
    );
    assert!(text.contains("request_id=\"req-traced\""), "{text}");
    assert!(text.contains("latency_ms="), "{text}");
    assert!(text.contains("span attempt attempt=2"), "{text}");
}

#[test]
fn no_secret_token_or_signature_is_ever_traced() {
    let capture = Capture::default();
    let sent = Arc::new(Mutex::new(Vec::new()));
    let seen = sent.clone();
    traced(&capture, || async move {
        let server = TestServer::start().await;
        server.push(Response::service_unavailable());
        server.push(ecs_fault_server::Reply::Reset);
        server.push(Response::service_error(
            400,
            "SignatureDoesNotMatch",
            "server string to sign is:x",
        ));
        let c = builder(&server.url())
            .credentials(Credentials::sts("trace-id", SECRET, "trace-sts-token"))
            .build()
            .unwrap();
        let e = c.call(&DescribeRegions::default()).await.unwrap_err();
        assert_eq!(e.code(), Some("SignatureDoesNotMatch"));
        *seen.lock().unwrap() = server.requests();
    });
    let text = capture.text();
    assert!(!text.is_empty());
    assert!(!text.contains(SECRET), "{text}");
    assert!(!text.contains("trace-sts-token"), "{text}");
    for req in sent.lock().unwrap().iter() {
        let signature = req.param("Signature").unwrap();
        assert!(!text.contains(&signature), "signature leaked: {text}");
        assert!(!text.contains(req.raw_query()), "query leaked: {text}");
    }
}
