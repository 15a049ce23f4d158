//! One call in flight: its attempts, each signed afresh, under the
//! operation deadline; the decision to retry or not (one rule, the same
//! [`Error::is_retryable`] users see); the retry budget and the adaptive
//! rate limiter; the tracing span.
//!
//! An attempt runs under one timer, the HTTP request's, set to the attempt
//! timeout or to what is left of the operation's, whichever ends first;
//! waiting for the rate limiter or for credentials being refreshed is
//! bounded by the operation deadline on its own.

use super::answer::{self, BadAnswer};
use super::{CallOptions, Client, Prepared};
use crate::credentials::Credentials;
use crate::error::{CallContext, RetryStop, TimeLimit, TimeoutKind};
use crate::retry::RetryPolicy;
use crate::signer::SigningInput;
use crate::transport::{Failure, RawResponse};
use crate::{unique, Error};
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};
use tokio::time::Instant as Deadline;
use tracing::field::Empty;
use tracing::Instrument;

pub(super) struct Run<'a> {
    client: &'a Client,
    req: Prepared<'a>,
    policy: &'a RetryPolicy,
    attempt_timeout: Duration,
    timeout: Duration,
    started: Instant,
    deadline: Deadline,
    /// Attempts begun (what the retry policy counts).
    attempts: u32,
    /// Requests sent: attempts that got as far as the HTTP request.
    sent: u32,
    /// What the latest retry took from the budget, refunded on success.
    retry_cost: u32,
    /// The latest attempt's credentials, to redact their token.
    credentials: Option<Arc<Credentials>>,
    span: tracing::Span,
}

impl<'a> Run<'a> {
    pub fn start(client: &'a Client, req: Prepared<'a>, options: &'a CallOptions) -> Self {
        let inner = &client.inner;
        let region = req
            .params
            .iter()
            .find(|(k, _)| k == "RegionId")
            .map(|(_, v)| v.as_str())
            .unwrap_or("");
        let span = tracing::info_span!(
            "ecs_call",
            operation = req.action,
            region,
            attempts = Empty,
            status = Empty,
            request_id = Empty,
            latency_ms = Empty,
        );
        let timeout = options.timeout.unwrap_or(inner.operation_timeout);
        let now = Deadline::now();
        // A timeout too large to add (`Duration::MAX`) means "none".
        let deadline = now
            .checked_add(timeout)
            .unwrap_or_else(|| now + Duration::from_secs(100 * 365 * 24 * 3600));
        Run {
            client,
            policy: options.retry.as_ref().unwrap_or(&inner.retry),
            attempt_timeout: options.attempt_timeout.unwrap_or(inner.read_timeout),
            timeout,
            started: Instant::now(),
            deadline,
            attempts: 0,
            sent: 0,
            retry_cost: 0,
            credentials: None,
            span,
            req,
        }
    }

    /// Attempts until a 2xx answer, or the call's final error.
    pub async fn send(&mut self) -> Result<RawResponse, Error> {
        let span = self.span.clone();
        async {
            loop {
                self.attempts += 1;
                self.span.record("attempts", self.attempts);
                let attempt = tracing::debug_span!("attempt", attempt = self.attempts);
                match self.attempt().instrument(attempt).await {
                    Ok(raw) => return Ok(raw),
                    Err(e) => self.retry(e).await?,
                }
            }
        }
        .instrument(span)
        .await
    }

    /// A 2xx answer whose body is not the expected JSON: retried when that
    /// is safe, else the call's final error.
    pub async fn retry_bad_answer(
        &mut self,
        raw: &RawResponse,
        bad: BadAnswer,
    ) -> Result<(), Error> {
        let token = self.token();
        let e = answer::bad_answer(self.context(Some(raw.status)), raw, bad, token);
        let span = self.span.clone();
        self.retry(e).instrument(span).await
    }

    /// Records the success: budget refund, span fields (the request id
    /// from the decoded answer).
    pub fn succeeded(&mut self, request_id: Option<&str>) {
        if self.policy.max_attempts > 1 {
            if let Some(budget) = &self.client.inner.retry_shared.budget {
                budget.succeeded(self.retry_cost);
            }
        }
        if !self.span.is_disabled() {
            self.span
                .record("latency_ms", self.started.elapsed().as_millis() as u64);
            self.span.record("request_id", request_id);
            tracing::debug!(parent: &self.span, "call succeeded");
        }
    }

    /// One signed request: fresh credentials check, nonce and timestamp.
    async fn attempt(&mut self) -> Result<RawResponse, Error> {
        let client = self.client;
        let inner = &client.inner;
        if let Some(limiter) = &inner.limiter {
            self.before_deadline(limiter.acquire()).await?;
        }
        let creds = match inner.credentials.fresh() {
            Some(creds) => creds,
            None => self
                .before_deadline(inner.credentials.get())
                .await?
                .map_err(|e| e.in_call(|| self.context(None)))?,
        };
        let timestamp = crate::utc::format(SystemTime::now());
        let nonce = unique::next();
        let mut signed = inner.signer.sign(&SigningInput {
            method: "POST",
            host: inner.endpoint.authority(),
            action: self.req.action,
            version: self.req.version,
            params: &self.req.params,
            credentials: &creds,
            timestamp: &timestamp,
            nonce: nonce.as_str(),
        });
        let mut url = inner.base_url.clone();
        url.set_query(Some(&signed.query));
        // The one timer: the attempt's, or the operation's if that ends first.
        let left = self.deadline.saturating_duration_since(Deadline::now());
        if left.is_zero() {
            return Err(self.operation_timeout(None));
        }
        let operation_ends_first = left < self.attempt_timeout;
        let timeout = left.min(self.attempt_timeout);
        self.sent += 1;
        let headers = std::mem::take(&mut signed.headers);
        let answer = inner.transport.post(url, headers, timeout).await;
        let token = creds.security_token();
        let result = match answer {
            Ok(raw) if (200..300).contains(&raw.status) => Ok(raw),
            Ok(raw) => Err(answer::error_answer(
                self.context(Some(raw.status)),
                raw,
                &signed,
                token,
            )),
            Err(Failure::Timeout { status }) if operation_ends_first => {
                Err(self.operation_timeout(status))
            }
            Err(failure) => Err(answer::failure(
                self.context(failure.status()),
                failure,
                client,
                self.attempt_timeout,
                token,
            )),
        };
        let status = match &result {
            Ok(raw) => Some(raw.status),
            Err(e) => e.status(),
        };
        self.span.record("status", status);
        if let Some(limiter) = &inner.limiter {
            limiter.record(result.as_ref().is_err_and(Error::is_throttling));
        }
        self.credentials = Some(creds);
        result
    }

    /// `wait`, unless the operation deadline comes first.
    async fn before_deadline<T>(&self, wait: impl Future<Output = T>) -> Result<T, Error> {
        tokio::time::timeout_at(self.deadline, wait)
            .await
            .map_err(|_| self.operation_timeout(None))
    }

    fn operation_timeout(&self, status: Option<u16>) -> Error {
        Error::Timeout {
            call: self.context(status),
            kind: TimeoutKind::Operation,
            after: self.timeout,
        }
    }

    /// Waits and returns `Ok` when `e` is to be retried; else the call's
    /// final error, saying why it was not retried when a retry could have
    /// cured it.
    async fn retry(&mut self, e: Error) -> Result<(), Error> {
        if !e.is_retryable() {
            let stop = e
                .is_unsafe_to_repeat()
                .then_some(RetryStop::MayHaveBeenProcessed);
            return Err(self.finish(e, stop));
        }
        if self.attempts >= self.policy.max_attempts {
            return Err(self.finish(e, None));
        }
        let asked = e.retry_after();
        let wait =
            asked.unwrap_or_else(|| self.policy.backoff(self.attempts - 1, e.is_throttling()));
        if let Some(stop) = self.out_of_time(wait, asked.is_some()) {
            return Err(self.finish(e, Some(stop)));
        }
        if let Some(budget) = &self.client.inner.retry_shared.budget {
            match budget.acquire(e.is_timeout()) {
                Some(cost) => self.retry_cost = cost,
                None => return Err(self.finish(e, Some(RetryStop::BudgetExhausted))),
            }
        }
        tracing::debug!(
            attempt = self.attempts,
            delay_ms = wait.as_millis() as u64,
            error = %e,
            "retrying"
        );
        tokio::time::sleep(wait).await;
        Ok(())
    }

    /// Whether waiting `wait` would pass the operation deadline or the
    /// policy's `max_elapsed`.
    fn out_of_time(&self, wait: Duration, asked_by_service: bool) -> Option<RetryStop> {
        let left = self.deadline.saturating_duration_since(Deadline::now());
        let stop = |left, limit| RetryStop::OutOfTime {
            wait,
            left,
            asked_by_service,
            limit,
        };
        if wait >= left {
            return Some(stop(left, TimeLimit::OperationTimeout));
        }
        let window = self
            .policy
            .max_elapsed
            .saturating_sub(self.started.elapsed());
        (wait > window).then(|| stop(window, TimeLimit::MaxElapsed))
    }

    /// The context of an error from this call; attempts and time are
    /// filled in when it becomes the call's result.
    fn context(&self, status: Option<u16>) -> Box<CallContext> {
        let inner = &self.client.inner;
        Box::new(CallContext {
            operation: self.req.action.to_string(),
            host: inner.endpoint.authority().to_string(),
            status,
            attempts: self.attempts,
            elapsed: Duration::ZERO,
            idempotent: self.req.idempotent,
            retry_stop: None,
        })
    }

    fn token(&self) -> Option<&str> {
        self.credentials.as_ref()?.security_token()
    }

    /// Makes `e` the call's result: requests sent, time, why not retried.
    fn finish(&self, mut e: Error, stop: Option<RetryStop>) -> Error {
        let elapsed = self.started.elapsed();
        if let Some(call) = e.call_mut() {
            call.attempts = self.sent;
            call.elapsed = elapsed;
            call.retry_stop = stop;
        }
        self.span.record("latency_ms", elapsed.as_millis() as u64);
        self.span.record("request_id", e.request_id());
        tracing::debug!(parent: &self.span, error = %e, "call failed");
        e
    }
}
