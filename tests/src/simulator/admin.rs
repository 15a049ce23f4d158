//! The admin endpoints under `/_simulator/`, for changing scenarios while
//! the simulator runs (from a test in any language, or curl). ECS requests
//! are served at `/` only, so no action reaches these.
//!
//! | request | effect |
//! |---|---|
//! | `GET /_simulator/health` | `{"status":"ok","operations":347}` |
//! | `GET /_simulator/faults` | the standing faults ([`FaultSettings`] as JSON) |
//! | `POST /_simulator/faults` | changes the fields given (`throttle_rate`, `error_rate`, `latency_ms`, `regions_down`, `out_of_stock`), answers the result |
//! | `DELETE /_simulator/faults` | clears every standing fault |
//! | `POST /_simulator/seed` | adds the fleet of a seed document ([`Cloud::seed`](crate::cloud::Cloud::seed)) |

use super::faults::{FaultPatch, FaultSettings};
use super::gateway::{Answer, Gateway};
use super::RecordedRequest;
use serde_json::{json, Value};

pub(crate) const PREFIX: &str = "/_simulator/";

pub(crate) async fn answer(gateway: &Gateway, request: &RecordedRequest) -> Answer {
    let route = request.path().trim_start_matches(PREFIX);
    match (request.method.as_str(), route) {
        ("GET", "health") => Answer::json(
            200,
            &json!({"status": "ok", "operations": gateway.catalog.len()}),
        ),
        ("GET", "faults") => faults(&gateway.faults.settings()),
        ("POST", "faults") => match serde_json::from_slice::<FaultPatch>(&request.body) {
            Ok(patch) => {
                let patched = gateway.faults.settings().patched(patch);
                match gateway.set_faults(patched) {
                    Ok(settings) => faults(&settings),
                    Err(e) => error(400, &e),
                }
            }
            Err(e) => error(400, &format!("the body is not a faults document: {e}")),
        },
        ("DELETE", "faults") => match gateway.set_faults(FaultSettings::default()) {
            Ok(settings) => faults(&settings),
            Err(e) => error(400, &e),
        },
        ("POST", "seed") => match serde_json::from_slice::<Value>(&request.body) {
            Ok(fleet) => match gateway.with_cloud(move |cloud| cloud.seed(&fleet)).await {
                Ok(()) => Answer::json(200, &json!({"seeded": true})),
                Err(e) => error(400, &format!("the seed was refused: {e}")),
            },
            Err(e) => error(400, &format!("the body is not JSON: {e}")),
        },
        (_, "health" | "faults" | "seed") => error(
            405,
            &format!("{} is not allowed on {}", request.method, request.path()),
        ),
        _ => error(
            404,
            &format!(
                "no admin endpoint {}; there are GET {PREFIX}health, GET/POST/DELETE {PREFIX}faults, POST {PREFIX}seed",
                request.path()
            ),
        ),
    }
}

fn faults(settings: &FaultSettings) -> Answer {
    Answer::json(
        200,
        &serde_json::to_value(settings).expect("fault settings serialize"),
    )
}

fn error(status: u16, message: &str) -> Answer {
    Answer::json(status, &json!({ "error": message }))
}
