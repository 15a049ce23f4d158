//! Every operation end to end: a typed request built through the generated
//! API (see `codegen/src/cases.rs`), sent by the real client over HTTP to the
//! simulator, which verifies the signature and validates the parameters
//! against the metadata; the typed response must hold every field of the
//! body the simulator served.

#[rustfmt::skip]
#[path = "e2e/cases.rs"]
mod cases;

use ecs_core::Operation;
use ecs_simulator::simulator::Simulator;
use serde_json::Value;
use std::io::Write;

pub struct Harness {
    sim: Simulator,
    client: ecs_api::Client,
}

impl Harness {
    async fn new() -> Harness {
        let sim = Simulator::start().await;
        let client = sim.client();
        Harness { sim, client }
    }

    /// Sends `request`; the decoded response, serialized back, must contain
    /// the operation's example body field for field.
    pub async fn check<O>(&self, request: O) -> Result<(), String>
    where
        O: Operation + Sync,
        O::Output: serde::Serialize,
    {
        let response = self
            .client
            .call(&request)
            .await
            .map_err(|e| format!("call failed: {e}"))?;
        let decoded = serde_json::to_value(&response).map_err(|e| e.to_string())?;
        let served = self
            .sim
            .catalog()
            .example_body(O::INFO.name)
            .ok_or("the simulator has no body for this operation")?;
        // A few operations spell it `requestId`, as Tea's readers accept.
        let request_id = ["RequestId", "requestId"]
            .iter()
            .find_map(|k| decoded.get(*k).and_then(Value::as_str));
        if request_id.is_none_or(str::is_empty) {
            return Err("the decoded response has no RequestId".into());
        }
        let mut missing = Vec::new();
        contains(&served, &decoded, String::new(), &mut missing);
        missing.retain(|m| !m.starts_with("RequestId") && !m.starts_with("requestId"));
        if missing.is_empty() {
            Ok(())
        } else {
            Err(format!("lost in decoding: {}", missing.join("; ")))
        }
    }
}

/// Whether `got` holds every field of `want` with an equal value; a number
/// or boolean may come back from text that spelled it (`"1"` -> `1`).
fn contains(want: &Value, got: &Value, path: String, missing: &mut Vec<String>) {
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => {
            for (k, wv) in w {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                match g.get(k) {
                    Some(gv) => contains(wv, gv, p, missing),
                    None if is_blank(wv) => {}
                    None => missing.push(format!("{p} absent")),
                }
            }
        }
        (Value::Array(w), Value::Array(g)) if w.len() == g.len() => {
            for (i, (wv, gv)) in w.iter().zip(g).enumerate() {
                contains(wv, gv, format!("{path}[{i}]"), missing);
            }
        }
        (w, g) if same_scalar(w, g) => {}
        (w, g) => missing.push(format!("{path}: sent {w}, decoded {g}")),
    }
}

fn is_blank(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Object(m) => m.values().all(is_blank),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

fn same_scalar(want: &Value, got: &Value) -> bool {
    if want == got {
        return true;
    }
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    match (text(want), text(got), got) {
        (Some(w), Some(g), Value::Number(_)) => match (w.parse::<f64>(), g.parse::<f64>()) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        },
        (Some(w), Some(g), Value::Bool(_)) => w.eq_ignore_ascii_case(&g),
        (Some(w), Some(g), Value::String(_)) => w == g,
        _ => false,
    }
}

#[tokio::test]
async fn every_operation_passes_end_to_end() {
    let h = Harness::new().await;
    let mut failures = Vec::new();
    for op in ecs_api::OPERATIONS.iter() {
        if let Err(e) = cases::run(&h, op.name).await {
            failures.push(format!("{}: {e}", op.name));
        }
    }
    let total = ecs_api::OPERATIONS.len();
    let passed = total - failures.len();
    // Written past the test harness's capture, so the count shows in CI logs.
    let _ = writeln!(
        std::io::stderr(),
        "end to end: {passed} of {total} operations passed"
    );
    assert!(
        failures.is_empty(),
        "end to end: {passed} of {total} passed; failures:\n{}",
        failures.join("\n")
    );
    assert_eq!(
        h.sim.requests().len(),
        total,
        "one request per operation, no retries"
    );
}

#[test]
fn scalars_compare_by_value_across_spellings() {
    assert!(same_scalar(&Value::from("1"), &Value::from(1)));
    assert!(same_scalar(&Value::from("0.50"), &Value::from(0.5)));
    assert!(same_scalar(&Value::from("True"), &Value::from(true)));
    assert!(!same_scalar(&Value::from("2"), &Value::from(1)));
    assert!(!same_scalar(&Value::from("x"), &Value::from(false)));
}

#[test]
fn a_dropped_field_is_reported_with_its_path() {
    let want = serde_json::json!({"A": {"B": [{"C": 1, "D": "x"}]}, "E": ""});
    let got = serde_json::json!({"A": {"B": [{"C": "1"}]}});
    let mut missing = Vec::new();
    contains(&want, &got, String::new(), &mut missing);
    assert_eq!(missing, ["A.B[0].D absent"]);
}

mod simulator_over_http {
    use ecs_api::describe_instances::DescribeInstancesRequest;
    use ecs_api::run_instances::RunInstancesRequest;
    use ecs_simulator::simulator::{Fault, Simulator};
    use std::time::Duration;

    #[tokio::test]
    async fn a_valid_dry_run_is_reported_as_passed() {
        let sim = Simulator::start().await;
        let request = RunInstancesRequest {
            dry_run: Some(true),
            ..RunInstancesRequest::new()
        };
        let err = sim.client().run_instances(request).await.unwrap_err();
        assert!(err.is_dry_run_passed(), "{err}");
    }

    #[tokio::test]
    async fn a_wrong_secret_fails_the_signature_check_with_both_strings_to_sign() {
        let sim = Simulator::start().await;
        let client: ecs_api::Client = sim
            .builder()
            .credentials(ecs_core::Credentials::new(
                ecs_simulator::simulator::ACCESS_KEY_ID,
                "not-the-secret",
            ))
            .build()
            .unwrap()
            .into();
        let err = client
            .describe_instances(DescribeInstancesRequest::new())
            .await
            .unwrap_err();
        assert_eq!(err.code(), Some("SignatureDoesNotMatch"), "{err}");
        assert!(!err.to_string().contains("not-the-secret"), "{err}");
    }

    #[tokio::test]
    async fn injected_faults_are_retried_through_to_the_answer() {
        let sim = Simulator::start().await;
        sim.inject(Fault::Throttling);
        sim.inject(Fault::ServiceUnavailable);
        sim.inject(Fault::ConnectionReset);
        let response = sim
            .client()
            .describe_instances(DescribeInstancesRequest::new())
            .await
            .unwrap();
        assert!(!response.instances.is_empty());
        assert_eq!(sim.requests().len(), 4);
    }

    #[tokio::test]
    async fn a_non_json_answer_is_a_clear_error() {
        let sim = Simulator::start().await;
        sim.inject(Fault::NotJson);
        let client: ecs_api::Client = sim
            .builder()
            .retry_policy(ecs_core::RetryPolicy::disabled())
            .build()
            .unwrap()
            .into();
        let err = client
            .describe_instances(DescribeInstancesRequest::new())
            .await
            .unwrap_err();
        assert_eq!(err.status(), Some(502), "{err}");
        assert!(err.to_string().contains("502"), "{err}");
    }

    #[tokio::test]
    async fn a_slow_answer_trips_the_per_call_timeout() {
        let sim = Simulator::start().await;
        sim.inject(Fault::Slow(Duration::from_secs(3)));
        let client: ecs_api::Client = sim
            .builder()
            .read_timeout(Duration::from_millis(200))
            .retry_policy(ecs_core::RetryPolicy::disabled())
            .build()
            .unwrap()
            .into();
        let err = client
            .describe_instances(DescribeInstancesRequest::new())
            .await
            .unwrap_err();
        assert!(err.is_timeout(), "{err}");
    }

    #[tokio::test]
    async fn a_reused_nonce_is_refused_like_the_service_does() {
        let sim = Simulator::start().await;
        let client = sim.client();
        client
            .describe_instances(DescribeInstancesRequest::new())
            .await
            .unwrap();
        let first = sim.requests()[0].clone();
        let replay = reqwest_free_replay(&sim.url(), first.raw_query()).await;
        assert!(replay.contains("SignatureNonceUsed"), "{replay}");
    }

    /// Sends a raw POST with the given query over a plain TCP socket.
    async fn reqwest_free_replay(url: &str, query: &str) -> String {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let addr = url.trim_start_matches("http://");
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        let head = format!(
            "POST /?{query} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        let mut out = String::new();
        stream.read_to_string(&mut out).await.unwrap();
        out
    }
}
