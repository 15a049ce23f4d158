//! The simulator's HTTP/1.1 server: hyper connections on a tokio listener,
//! each request read whole (target, headers, body as received) and handed
//! to the [`Gateway`]. Every connection runs in its own task; nothing is
//! locked across an await.

use super::gateway::{Answer, Gateway, Outcome};
use super::RecordedRequest;
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{HeaderValue, CONTENT_TYPE};
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// The largest request body read (form parameters are small; the service's
/// own limit is lower).
const MAX_BODY: usize = 8 << 20;

/// A listening server; stops accepting and closes its connections when dropped.
#[derive(Debug)]
pub(crate) struct Server {
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    accept: JoinHandle<()>,
}

impl Server {
    pub fn serve(listener: TcpListener, gateway: Arc<Gateway>) -> io::Result<Server> {
        let addr = listener.local_addr()?;
        let (stop, stopped) = watch::channel(false);
        let accept = tokio::spawn(async move {
            loop {
                match listener.accept().await {
                    Ok((stream, _)) => {
                        let _ = stream.set_nodelay(true);
                        tokio::spawn(connection(stream, gateway.clone(), stopped.clone()));
                    }
                    // Out of file descriptors and the like: wait, keep serving.
                    Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
                }
            }
        });
        Ok(Server { addr, stop, accept })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        self.accept.abort();
    }
}

/// Asked of hyper to drop a connection without answering.
#[derive(Debug)]
struct ResetConnection;

impl std::fmt::Display for ResetConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection reset by fault injection")
    }
}

impl std::error::Error for ResetConnection {}

async fn connection(stream: TcpStream, gateway: Arc<Gateway>, mut stopped: watch::Receiver<bool>) {
    let reset = Arc::new(AtomicBool::new(false));
    let io = TokioIo::new(Resettable {
        stream,
        reset: reset.clone(),
    });
    let service = service_fn(move |request: Request<Incoming>| {
        let gateway = gateway.clone();
        let reset = reset.clone();
        async move {
            let request = match read(request).await {
                Ok(request) => request,
                Err(answer) => return Ok(response(answer)),
            };
            match gateway.answer(request).await {
                Outcome::Reset => {
                    reset.store(true, Ordering::SeqCst);
                    Err(ResetConnection)
                }
                Outcome::Respond { answer, delay } => {
                    if !delay.is_zero() {
                        tokio::time::sleep(delay).await;
                    }
                    Ok(response(answer))
                }
            }
        }
    });
    // No timer, so no header read timeout: an idle keep-alive connection
    // stays open however long a test pauses between calls.
    let serving = hyper::server::conn::http1::Builder::new().serve_connection(io, service);
    tokio::select! {
        _ = serving => {}
        _ = stopped.wait_for(|stop| *stop) => {}
    }
}

/// The request as received: target, headers (lower-case names), body.
async fn read(request: Request<Incoming>) -> Result<RecordedRequest, Answer> {
    let (parts, body) = request.into_parts();
    let body = Limited::new(body, MAX_BODY)
        .collect()
        .await
        .map_err(|e| {
            let message = format!("The request body could not be read: {e}");
            Answer::json(
                413,
                &serde_json::json!({"Code": "InvalidParameter", "Message": message}),
            )
        })?
        .to_bytes();
    let target = parts
        .uri
        .path_and_query()
        .map_or_else(|| parts.uri.to_string(), |pq| pq.as_str().to_string());
    let headers = parts
        .headers
        .iter()
        .map(|(name, value)| {
            let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
            (name.as_str().to_string(), value)
        })
        .collect();
    Ok(RecordedRequest {
        method: parts.method.as_str().to_string(),
        target,
        headers,
        body: body.to_vec(),
    })
}

fn response(answer: Answer) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(answer.body)));
    *response.status_mut() = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK);
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(answer.content_type));
    if let Some(id) = answer
        .request_id
        .and_then(|id| HeaderValue::from_str(&id).ok())
    {
        headers.insert("x-acs-request-id", id);
    }
    response
}

/// A TCP stream that, when asked to, closes with RST instead of FIN.
struct Resettable {
    stream: TcpStream,
    reset: Arc<AtomicBool>,
}

impl Drop for Resettable {
    fn drop(&mut self) {
        if self.reset.load(Ordering::SeqCst) {
            #[allow(deprecated)] // zero linger: the close sends RST at once
            let _ = self.stream.set_linger(Some(Duration::ZERO));
        }
    }
}

impl AsyncRead for Resettable {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Resettable {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}
