//! The client: configuration, and `execute` for any action.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tracing::Instrument as _;

use super::action::{Action, Method};
use super::body::{self, DEFAULT_MAX_RESPONSE_BODY};
use super::decode::decode_with_request_id;
use super::error::Error;
use super::query;
use super::rate_limit::{RateLimitBackend, RateLimits};
use super::redirect;
use super::region::{Endpoint, Region};
use super::retry::RetryPolicy;
use super::secret::ServerSecret;
use super::sign::sign_now;

/// Default limit for one attempt, from sending the request to reading the whole response.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default limit for opening a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Where a signed URL starts: a URL already made, or the endpoint's URL for a host (written
/// straight into the signed URL).
#[derive(Clone, Copy)]
enum UrlBase<'a> {
    Url(&'a str),
    Endpoint(super::action::HostKind),
}

/// Runs any action: what the generated per-category traits (`UserActions`, ...) build their
/// methods on, so those traits carry one default method per action and the implementation
/// for [`Client`] is empty.
pub trait Execute {
    /// Sends `request` and decodes its response (see [`Client::execute`]).
    fn execute<A: Action>(
        &self,
        request: &A,
    ) -> impl Future<Output = Result<A::Response, Error>> + Send;
}

impl Execute for Client {
    fn execute<A: Action>(
        &self,
        request: &A,
    ) -> impl Future<Output = Result<A::Response, Error>> + Send {
        Client::execute(self, request)
    }
}

/// A client of the ZIM server API for one app.
///
/// Cheap to clone (the clones share connections and rate limits); build it once with
/// [`Client::builder`] and pass clones around. Actions are called through the generated
/// extension traits in [`prelude`](crate::prelude) or with [`Client::execute`].
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    app_id: u32,
    app_id_text: String,
    secret: ServerSecret,
    endpoint: Endpoint,
    http: reqwest::Client,
    timeout: Duration,
    max_response_body: usize,
    retry: RetryPolicy,
    rate_limits: Option<RateLimits>,
    validate: bool,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Client")
            .field("app_id", &inner.app_id)
            .field("secret", &inner.secret)
            .field("endpoint", &inner.endpoint)
            .field("timeout", &inner.timeout)
            .field("max_response_body", &inner.max_response_body)
            .field("retry", &inner.retry)
            .field("rate_limiting", &inner.rate_limits.is_some())
            .field("validate", &inner.validate)
            .finish_non_exhaustive()
    }
}

/// Settings of a [`Client`]; start with [`Client::builder`].
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    app_id: u32,
    secret: ServerSecret,
    endpoint: Endpoint,
    timeout: Duration,
    connect_timeout: Duration,
    max_response_body: usize,
    retry: RetryPolicy,
    rate_limiting: bool,
    rate_limit_backend: RateLimitBackend,
    validate: bool,
    http: Option<reqwest::Client>,
}

/// Why a [`ClientBuilder`] could not build a client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError(String);

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot build the ZIM client: {}", self.0)
    }
}

impl std::error::Error for BuildError {}

impl ClientBuilder {
    /// Sends requests to `region`'s host (the default is [`Region::Global`]).
    pub fn region(mut self, region: Region) -> Self {
        self.endpoint = Endpoint::Region(region);
        self
    }

    /// Sends every request, those of service-host actions included, to `base_url`
    /// (`http://127.0.0.1:8080` for tests, or a proxy). Replaces the region.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.endpoint = Endpoint::Custom(base_url.into());
        self
    }

    /// Limit for one attempt, from sending to reading the whole response (default 10 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Limit for opening a connection (default 5 s). Not applied to a caller-supplied
    /// [`reqwest::Client`], which keeps its own.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Largest response body accepted, in bytes (default [`DEFAULT_MAX_RESPONSE_BODY`],
    /// 16 MiB, sized from the largest pages the API returns). A response whose
    /// `Content-Length` is larger is refused before its body is read; one without it is read
    /// chunk by chunk and dropped as soon as it passes the limit. Either way the call fails
    /// with [`Error::BodyTooLarge`], which is not retried. Must be at least 1.
    pub fn max_response_body(mut self, bytes: usize) -> Self {
        self.max_response_body = bytes;
        self
    }

    /// How failed calls are retried (default [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Holds calls to each action's documented QPS (default on). The limits belong to the
    /// client and its clones: build one client per app and clone it, rather than building
    /// several, so every call of the process counts against the same limits.
    pub fn rate_limiting(mut self, on: bool) -> Self {
        self.rate_limiting = on;
        self
    }

    /// Where the rate limits are kept (default [`RateLimitBackend::Local`]: in this process).
    /// With `RateLimitBackend::Redis` (feature `redis`) every client of the app using the same
    /// Redis, in any process, counts against one quota, daily caps included.
    pub fn rate_limit_backend(mut self, backend: RateLimitBackend) -> Self {
        self.rate_limit_backend = backend;
        self
    }

    /// Checks requests against the spec's limits before sending them (default on). Off, every
    /// request goes to the server as it is.
    pub fn validation(mut self, on: bool) -> Self {
        self.validate = on;
        self
    }

    /// Uses `http` for requests (shared connection pool, proxies, custom TLS roots).
    ///
    /// The ZIM API never redirects, and the client refuses every redirect: a 3xx response
    /// fails the call with [`Error::Redirect`], its body unread. The built-in HTTP client
    /// never follows one, so the target receives nothing. `http` keeps its own redirect
    /// policy, which cannot be read back; if it follows redirects (reqwest's default does, up
    /// to 10, sending the signed URL as `Referer` and resending POST bodies on 307/308), the
    /// target has already received the request by the time the client sees a response from
    /// another URL than the one it sent to, and fails the call then, without reading that
    /// response. Build `http` with `.redirect(reqwest::redirect::Policy::none())` so that
    /// nothing reaches the target.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Builds the client; fails on a base URL that is not http(s) or carries a query, a
    /// `max_response_body` of 0, or an HTTP client reqwest cannot build.
    pub fn build(self) -> Result<Client, BuildError> {
        if self.max_response_body == 0 {
            return Err(BuildError(
                "max_response_body must be at least 1 byte".into(),
            ));
        }
        if let Endpoint::Custom(base) = &self.endpoint {
            let url = reqwest::Url::parse(base)
                .map_err(|err| BuildError(format!("base URL `{base}`: {err}")))?;
            if !matches!(url.scheme(), "http" | "https") || url.query().is_some() {
                return Err(BuildError(format!(
                    "base URL `{base}` must be http(s) without a query"
                )));
            }
        }
        let http = match self.http {
            Some(http) => http,
            None => redirect::refuse_redirects(reqwest::Client::builder())
                .connect_timeout(self.connect_timeout)
                .user_agent(concat!("zim-client/", env!("CARGO_PKG_VERSION")))
                .build()
                .map_err(|err| BuildError(format!("HTTP client: {err}")))?,
        };
        let rate_limits = self
            .rate_limiting
            .then(|| RateLimits::new(self.app_id, &self.rate_limit_backend))
            .transpose()
            .map_err(BuildError)?;
        Ok(Client {
            inner: Arc::new(Inner {
                app_id: self.app_id,
                app_id_text: self.app_id.to_string(),
                secret: self.secret,
                endpoint: self.endpoint,
                http,
                timeout: self.timeout,
                max_response_body: self.max_response_body,
                retry: self.retry,
                rate_limits,
                validate: self.validate,
            }),
        })
    }
}

/// A request ready to send, from [`Client::prepare`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreparedRequest {
    pub method: Method,
    /// The full URL, signed public parameters included (and, for GET, every field).
    pub url: String,
    /// The JSON body of a POST.
    pub body: Option<bytes::Bytes>,
}

/// A request in its wire form, ready to be signed and sent any number of times.
enum Encoded {
    /// GET: the business parameters as an encoded query (may be empty).
    Query(String),
    /// POST: the JSON body.
    Body(bytes::Bytes),
}

impl Client {
    /// Settings for a client of the app `app_id` with its server secret.
    pub fn builder(app_id: u32, secret: impl Into<ServerSecret>) -> ClientBuilder {
        ClientBuilder {
            app_id,
            secret: secret.into(),
            endpoint: Endpoint::Region(Region::default()),
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            max_response_body: DEFAULT_MAX_RESPONSE_BODY,
            retry: RetryPolicy::default(),
            rate_limiting: true,
            rate_limit_backend: RateLimitBackend::default(),
            validate: true,
            http: None,
        }
    }

    /// The app the client signs for.
    pub fn app_id(&self) -> u32 {
        self.inner.app_id
    }

    /// Sends `request`: validates it (unless turned off), then signs and sends it, waiting for
    /// the action's rate limit and retrying as the [`RetryPolicy`] allows, and decodes the
    /// response.
    pub fn execute<A: Action>(
        &self,
        request: &A,
    ) -> impl Future<Output = Result<A::Response, Error>> + Send {
        let span = tracing::info_span!(
            "zim.call",
            action = A::META.name,
            attempt = tracing::field::Empty,
            request_id = tracing::field::Empty,
        );
        self.execute_inner(request, span.clone()).instrument(span)
    }

    async fn execute_inner<A: Action>(
        &self,
        request: &A,
        span: tracing::Span,
    ) -> Result<A::Response, Error> {
        let meta = &A::META;
        let encoded = self.check_and_encode(request)?;
        let url = self.inner.endpoint.url_for(meta.host);
        let started = Instant::now();
        let mut attempt = 0u32;
        // The error of the attempt before, returned instead of a rate-limiter refusal of its
        // retry: it is what actually happened to the call.
        let mut last_error = None;
        loop {
            attempt += 1;
            span.record("attempt", attempt);
            if let Some(limits) = &self.inner.rate_limits
                && let Err(refused) = limits.acquire(request).await
            {
                tracing::debug!(error = %refused, attempt, "rate limiter refused the attempt");
                return Err(last_error.unwrap_or(refused));
            }
            let (request_id, result) = self
                .attempt::<A>(&url, &encoded)
                .instrument(tracing::debug_span!("zim.attempt", attempt))
                .await;
            if let Some(request_id) = &request_id {
                span.record("request_id", request_id.as_str());
            }
            let error = match result {
                Ok(response) => return Ok(response),
                Err(error) => error,
            };
            match self
                .inner
                .retry
                .next_delay(meta, &error, attempt, started.elapsed())
            {
                Some(delay) => {
                    tracing::debug!(%error, ?delay, attempt, "retrying");
                    tokio::time::sleep(delay).await;
                    last_error = Some(error);
                }
                None => {
                    tracing::debug!(%error, attempt, "call failed");
                    return Err(error);
                }
            }
        }
    }

    /// Validates (unless turned off), encodes and signs `request` without sending it: the
    /// method, URL and body one attempt would use. For sending with another HTTP stack, for
    /// inspection, and for measuring the client's own cost per call.
    pub fn prepare<A: Action>(&self, request: &A) -> Result<PreparedRequest, Error> {
        let encoded = self.check_and_encode(request)?;
        let url = self.signed_url::<A>(UrlBase::Endpoint(A::META.host), &encoded);
        let body = match encoded {
            Encoded::Query(_) => None,
            Encoded::Body(body) => Some(body),
        };
        Ok(PreparedRequest {
            method: A::META.method,
            url,
            body,
        })
    }

    /// Validates `request` (unless turned off) and writes it in its wire format.
    fn check_and_encode<A: Action>(&self, request: &A) -> Result<Encoded, Error> {
        if self.inner.validate {
            request
                .validate()
                .map_err(|violations| Error::InvalidRequest {
                    action: A::META.name,
                    violations,
                })?;
        }
        encode(request)
    }

    /// The full URL of one attempt: `url`, then the freshly signed public parameters, then
    /// (for GET) the business parameters.
    fn signed_url<A: Action>(&self, base: UrlBase<'_>, encoded: &Encoded) -> String {
        let inner = &*self.inner;
        let signed = sign_now(inner.app_id, &inner.secret);
        let mut timestamp = [0u8; 20];
        let timestamp = super::sign::decimal(signed.timestamp, &mut timestamp);
        let business = match encoded {
            Encoded::Query(business) => business.as_str(),
            Encoded::Body(_) => "",
        };
        let mut full = String::with_capacity(256 + business.len());
        match base {
            UrlBase::Url(url) => full.push_str(url),
            UrlBase::Endpoint(host) => inner.endpoint.push_url_for(host, &mut full),
        }
        full.push('?');
        query::append_pairs(
            &mut full,
            [
                ("Action", A::META.name),
                ("AppId", inner.app_id_text.as_str()),
                ("SignatureNonce", signed.nonce.as_str()),
                ("Timestamp", timestamp),
                ("SignatureVersion", "2.0"),
                ("Signature", signed.signature.as_str()),
            ],
        );
        if !business.is_empty() {
            full.push('&');
            full.push_str(business);
        }
        full
    }

    /// One signed attempt; returns the response's request id (when any) and the outcome.
    async fn attempt<A: Action>(
        &self,
        url: &str,
        encoded: &Encoded,
    ) -> (Option<String>, Result<A::Response, Error>) {
        let action = A::META.name;
        let inner = &*self.inner;
        let full = self.signed_url::<A>(UrlBase::Url(url), encoded);
        let builder = match encoded {
            Encoded::Query(_) => inner.http.get(full),
            Encoded::Body(body) => inner
                .http
                .post(full)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body.clone()),
        };
        let request = match builder.timeout(inner.timeout).build() {
            Ok(request) => request,
            Err(err) => return (None, Err(Error::transport(action, err))),
        };
        // Kept to tell whether a caller-supplied client followed a redirect.
        let sent = request.url().clone();
        let mut response = match inner.http.execute(request).await {
            Ok(response) => response,
            Err(err) => {
                let error = redirect::from_transport(action, &err)
                    .unwrap_or_else(|| Error::transport(action, err));
                return (None, Err(error));
            }
        };
        if let Err(error) = redirect::check(action, &sent, &response) {
            return (None, Err(error));
        }
        let status = response.status().as_u16();
        let body = match body::read_limited(action, status, &mut response, inner.max_response_body)
            .await
        {
            Ok(body) => body,
            Err(error) => return (None, Err(error)),
        };
        decode_with_request_id::<A>(status, &body)
    }
}

/// Names of the signed public parameters, which GET fields must not reuse.
const PUBLIC_PARAMS: [&str; 6] = [
    "Action",
    "AppId",
    "SignatureNonce",
    "Timestamp",
    "SignatureVersion",
    "Signature",
];

/// Writes `request` in its action's wire format.
fn encode<A: Action>(request: &A) -> Result<Encoded, Error> {
    let action = A::META.name;
    match A::META.method {
        Method::Get => {
            let pairs = query::to_pairs(request).map_err(|err| Error::Encode {
                action,
                reason: err.to_string(),
            })?;
            if let Some((name, _)) = pairs
                .iter()
                .find(|(k, _)| PUBLIC_PARAMS.contains(&k.as_str()))
            {
                return Err(Error::Encode {
                    action,
                    reason: format!(
                        "field `{name}` would clash with the public parameter of that name"
                    ),
                });
            }
            let mut business = String::new();
            query::append_pairs(
                &mut business,
                pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            );
            Ok(Encoded::Query(business))
        }
        Method::Post => serde_json::to_vec(request)
            .map(|body| Encoded::Body(body.into()))
            .map_err(|err| Error::Encode {
                action,
                reason: err.to_string(),
            }),
    }
}
