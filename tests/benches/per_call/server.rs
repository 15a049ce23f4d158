//! The local service both sides call: a hyper HTTP/1.1 server on
//! 127.0.0.1 running on its own OS thread and one-thread tokio runtime, so
//! none of its work (CPU time, allocations) lands on the calling thread.
//! It answers each request with the body set for its `x-acs-action`
//! header, which the SDK (either signature scheme) and the raw baseline
//! both send.

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::CONTENT_TYPE;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::sync::Arc;
use std::thread::JoinHandle;
use tokio::sync::oneshot;

/// Answer bodies by action name.
type Answers = Arc<Vec<(&'static str, Bytes)>>;

/// The running server; stops (and joins its thread) when dropped.
pub struct Server {
    url: String,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Serves `answers` (action, JSON body) on a free port.
    pub fn start(answers: Vec<(&'static str, String)>) -> Server {
        let answers: Answers = Arc::new(
            answers
                .into_iter()
                .map(|(action, body)| (action, Bytes::from(body)))
                .collect(),
        );
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        listener.set_nonblocking(true).expect("non-blocking");
        let url = format!("http://{}", listener.local_addr().expect("local address"));
        let (stop, stopped) = oneshot::channel();
        let thread = std::thread::Builder::new()
            .name("local-ecs".into())
            .spawn(move || serve(listener, answers, stopped))
            .expect("server thread");
        Server {
            url,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:{port}`.
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn serve(listener: std::net::TcpListener, answers: Answers, mut stopped: oneshot::Receiver<()>) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("server runtime");
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
        loop {
            let stream = tokio::select! {
                _ = &mut stopped => return,
                accepted = listener.accept() => match accepted {
                    Ok((stream, _)) => stream,
                    Err(_) => continue,
                },
            };
            let _ = stream.set_nodelay(true);
            let answers = answers.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |req| answer(req, answers.clone()));
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
}

async fn answer(
    req: Request<Incoming>,
    answers: Answers,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let action = req
        .headers()
        .get("x-acs-action")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let (status, body) = match answers.iter().find(|(a, _)| *a == action) {
        Some((_, body)) => (StatusCode::OK, body.clone()),
        None => (
            StatusCode::BAD_REQUEST,
            Bytes::from(format!(
                r#"{{"RequestId":"local","Code":"InvalidAction.NotFound","Message":"no answer for action `{action}`"}}"#
            )),
        ),
    };
    let response = Response::builder()
        .status(status)
        .header(CONTENT_TYPE, "application/json;charset=utf-8")
        .body(Full::new(body))
        .expect("a valid response");
    Ok(response)
}
