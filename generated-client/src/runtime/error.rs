//! The one error type of a call.

use std::fmt;
use std::time::Duration;

use super::codes::CodeInfo;
use super::validate::Violations;

/// Codes the client retries whatever the action's table says: server busy (1) and the rate
/// limits (7 per app and second, 660300005 per app and action).
pub const RETRY_CODES: [i64; 3] = [1, 7, 660_300_005];

/// Longest body excerpt kept in [`Error::Decode`], in bytes.
pub const EXCERPT_MAX: usize = 512;

/// Longest redirect target kept in [`Error::Redirect`], in bytes.
pub const TARGET_MAX: usize = 256;

/// Everything that can go wrong with a call, matchable in one step.
///
/// No variant holds the server secret, and transport errors are stripped of the request URL
/// (whose query carries the signature).
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The request broke rules of the spec; nothing was sent. Lists every violation.
    InvalidRequest {
        action: &'static str,
        violations: Violations,
    },
    /// The request could not be written in the action's wire format (a spec or generator
    /// bug, such as a nested object in a GET request); nothing was sent.
    Encode {
        action: &'static str,
        reason: String,
    },
    /// The request could not be sent or its response not read (connection, TLS, DNS).
    Transport {
        action: &'static str,
        source: reqwest::Error,
    },
    /// No complete response within the client's request timeout.
    Timeout { action: &'static str },
    /// The server answered with a redirect (3xx), or a caller-supplied HTTP client followed
    /// one. The ZIM API never redirects, so the client does not follow, and sends nothing to
    /// the target; the call fails instead. Not retried.
    Redirect {
        action: &'static str,
        /// The 3xx status; `None` when a caller-supplied HTTP client followed the redirect
        /// itself, so only where it ended is known.
        status: Option<u16>,
        /// Where the redirect points (or where a followed one ended), as
        /// `scheme://host[:port]`, never a path or query; `None` without a usable `Location`.
        target: Option<String>,
    },
    /// The response body was larger than the client's limit
    /// ([`ClientBuilder::max_response_body`](super::client::ClientBuilder::max_response_body)),
    /// so it was not read, or not read further. Not retried: the same request would get the
    /// same answer.
    BodyTooLarge {
        action: &'static str,
        /// HTTP status of the response.
        status: u16,
        /// The limit, in bytes.
        limit: usize,
        /// The response's `Content-Length`, when it had one.
        content_length: Option<u64>,
        /// Bytes received when reading stopped (more than `limit`); `None` when the
        /// `Content-Length` alone exceeded the limit and nothing was read.
        read: Option<usize>,
    },
    /// The response was not the JSON the action returns.
    Decode {
        action: &'static str,
        /// HTTP status of the response.
        status: u16,
        /// The start of the body, at most [`EXCERPT_MAX`] bytes, cut at a character boundary.
        excerpt: String,
        /// What did not match.
        reason: String,
    },
    /// The body says success (`Code` 0) but the HTTP status is not 2xx. The ZIM API reports
    /// errors in `Code` with HTTP 200, so the two contradict each other (a gateway or proxy
    /// answering for the server, or a call that half failed): the call is not taken as a
    /// success. Retried like an undecodable response: 5xx and 429 on retry-safe actions.
    UnexpectedStatus {
        action: &'static str,
        /// HTTP status of the response.
        status: u16,
        /// The server's `Message`.
        message: String,
        /// The server's `RequestId`, for support requests.
        request_id: String,
    },
    /// The server answered with a non-zero return code.
    Api(ApiError),
    /// A paginated action returned a cursor it had returned before; following it would loop.
    Pagination {
        action: &'static str,
        reason: String,
    },
    /// The action's daily cap (`Qps::per_day`), shared through Redis, is used up; nothing was
    /// sent. Only the Redis rate-limit backend counts daily caps.
    DailyCapReached {
        /// The action of the refused call.
        action: &'static str,
        /// The cap, in calls (or counted items) per 24 hours.
        cap: u32,
        /// When the call would fit again; `None` when it never can (it counts more items than
        /// the cap).
        retry_after: Option<Duration>,
    },
    /// The shared rate limiter (Redis) did not answer in time or answered with an error, and
    /// the client was built to fail calls then rather than fall back to the limits of this
    /// process; nothing was sent.
    RateLimiterUnavailable {
        /// The action of the refused call.
        action: &'static str,
        /// What went wrong with Redis.
        reason: String,
    },
}

/// A non-zero return code, with what the spec says about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub action: &'static str,
    /// The return code (`Code`); ten digits at most.
    pub code: i64,
    /// The server's `Message`.
    pub message: String,
    /// The server's `RequestId`, for support requests.
    pub request_id: String,
    /// Meaning and fix of the code, when the action or the global table documents it.
    pub info: Option<&'static CodeInfo>,
}

impl ApiError {
    /// Whether retrying may succeed: server busy, rate limited, or marked `retry` in the spec.
    pub fn is_retryable(&self) -> bool {
        RETRY_CODES.contains(&self.code) || self.info.is_some_and(|info| info.retry)
    }

    /// The Rust name of the code (`AppFrequencyLimit`), when it is documented.
    pub fn code_name(&self) -> Option<&'static str> {
        self.info.map(|info| info.name)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed with code {}", self.action, self.code)?;
        if let Some(info) = self.info {
            write!(f, " ({}: {} {})", info.name, info.meaning, info.fix)?;
        }
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        if !self.request_id.is_empty() {
            write!(f, " [request {}]", self.request_id)?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

impl Error {
    /// The action the failed call was for.
    pub fn action(&self) -> &'static str {
        match self {
            Error::InvalidRequest { action, .. }
            | Error::Transport { action, .. }
            | Error::Timeout { action }
            | Error::Redirect { action, .. }
            | Error::BodyTooLarge { action, .. }
            | Error::UnexpectedStatus { action, .. }
            | Error::Decode { action, .. }
            | Error::Encode { action, .. }
            | Error::Pagination { action, .. }
            | Error::DailyCapReached { action, .. }
            | Error::RateLimiterUnavailable { action, .. } => action,
            Error::Api(api) => api.action,
        }
    }

    /// The return code, for API errors.
    pub fn code(&self) -> Option<i64> {
        match self {
            Error::Api(api) => Some(api.code),
            _ => None,
        }
    }

    /// Whether the same request may succeed later: retryable return codes, transport failures,
    /// timeouts, server-side HTTP failures (5xx, 429) and an unavailable shared rate limiter
    /// (a daily cap is not: it frees up only hours later). The client itself resends after a
    /// transport failure, timeout or HTTP failure only when the action is retry-safe.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(api) => api.is_retryable(),
            Error::Transport { .. }
            | Error::Timeout { .. }
            | Error::RateLimiterUnavailable { .. } => true,
            Error::Decode { status, .. } | Error::UnexpectedStatus { status, .. } => {
                *status >= 500 || *status == 429
            }
            Error::InvalidRequest { .. }
            | Error::Encode { .. }
            | Error::Redirect { .. }
            | Error::BodyTooLarge { .. }
            | Error::Pagination { .. }
            | Error::DailyCapReached { .. } => false,
        }
    }

    pub(crate) fn transport(action: &'static str, source: reqwest::Error) -> Error {
        if source.is_timeout() {
            Error::Timeout { action }
        } else {
            Error::Transport {
                action,
                source: source.without_url(),
            }
        }
    }

    pub(crate) fn decode(
        action: &'static str,
        status: u16,
        body: &[u8],
        reason: impl fmt::Display,
    ) -> Error {
        Error::Decode {
            action,
            status,
            excerpt: excerpt(body, EXCERPT_MAX),
            reason: reason.to_string(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidRequest { action, violations } => {
                write!(f, "invalid {action} request: {violations}")
            }
            Error::Transport { action, source } => {
                write!(f, "{action} could not reach the server: {source}")
            }
            Error::Encode { action, reason } => {
                write!(f, "{action} request could not be encoded: {reason}")
            }
            Error::Timeout { action } => write!(f, "{action} timed out"),
            Error::Redirect {
                action,
                status,
                target,
            } => {
                let target = target.as_deref().unwrap_or("no usable location");
                match status {
                    Some(status) => write!(
                        f,
                        "{action}: the server answered HTTP {status}, a redirect to {target}; \
                         the ZIM API never redirects, so the client did not follow it"
                    ),
                    None => write!(
                        f,
                        "{action}: the caller-supplied HTTP client followed a redirect to \
                         {target}; the ZIM API never redirects, so the response was refused \
                         (build that client with `reqwest::redirect::Policy::none()`)"
                    ),
                }
            }
            Error::BodyTooLarge {
                action,
                status,
                limit,
                content_length,
                read,
            } => {
                write!(
                    f,
                    "{action}: the response body (HTTP {status}) is larger than the client's \
                     limit of {limit} bytes: "
                )?;
                match (read, content_length) {
                    (Some(read), _) => write!(f, "reading stopped after {read} bytes"),
                    (None, Some(length)) => {
                        write!(f, "its Content-Length is {length}, so none of it was read")
                    }
                    (None, None) => f.write_str("none of it was read"),
                }
            }
            Error::Decode {
                action,
                status,
                reason,
                ..
            } => write!(
                f,
                "{action} returned an undecodable response (HTTP {status}): {reason}"
            ),
            Error::UnexpectedStatus {
                action,
                status,
                message,
                request_id,
            } => {
                write!(
                    f,
                    "{action} returned HTTP {status} with `Code` 0 (success) in the body; a \
                     failing status and a successful code contradict each other, so the call \
                     is not taken as a success"
                )?;
                if !message.is_empty() {
                    write!(f, ": {message}")?;
                }
                if !request_id.is_empty() {
                    write!(f, " [request {request_id}]")?;
                }
                Ok(())
            }
            Error::Api(api) => api.fmt(f),
            Error::Pagination { action, reason } => write!(f, "{action} paging stopped: {reason}"),
            Error::DailyCapReached {
                action,
                cap,
                retry_after,
            } => {
                write!(f, "{action} daily cap of {cap} reached; not sent")?;
                match retry_after {
                    Some(wait) => write!(f, " (fits again in {} s)", wait.as_secs().max(1)),
                    None => f.write_str(" (the call counts more than the cap)"),
                }
            }
            Error::RateLimiterUnavailable { action, reason } => write!(
                f,
                "{action} not sent: the shared rate limiter is unavailable ({reason})"
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::InvalidRequest { violations, .. } => Some(violations),
            Error::Transport { source, .. } => Some(source),
            Error::Api(api) => Some(api),
            _ => None,
        }
    }
}

impl From<ApiError> for Error {
    fn from(api: ApiError) -> Self {
        Error::Api(api)
    }
}

/// `text` cut to at most `max` bytes at a character boundary; a cut text ends with a marker
/// saying how many bytes were left out.
pub(crate) fn bounded(mut text: String, max: usize) -> String {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let omitted = text.len() - end;
    text.truncate(end);
    text.push_str(&format!("…[{omitted} more bytes]"));
    text
}

/// At most `max` bytes of `body` as text, cut at a character boundary, marked when cut.
pub(crate) fn excerpt(body: &[u8], max: usize) -> String {
    let text = String::from_utf8_lossy(body);
    if text.len() <= max {
        return text.into_owned();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut cut = text[..end].to_owned();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    static BUSY: CodeInfo = CodeInfo {
        code: 1,
        name: "ServerBusy",
        meaning: "The server is busy.",
        fix: "Retry later.",
        retry: true,
    };

    #[test]
    fn errors_travel_between_threads() {
        fn assert_send_sync<T: Send + Sync + 'static>() {}
        assert_send_sync::<Error>();
        assert_send_sync::<ApiError>();
    }

    #[test]
    fn excerpt_is_bounded_and_char_safe() {
        let body = "é".repeat(600);
        let cut = excerpt(body.as_bytes(), 512);
        assert!(cut.len() <= 512 + '…'.len_utf8());
        assert!(cut.ends_with('…'));
        assert_eq!(excerpt(b"short", 512), "short");
    }

    #[test]
    fn display_names_action_and_code_meaning() {
        let err = Error::Api(ApiError {
            action: "SendPeerMessage",
            code: 1,
            message: "busy".into(),
            request_id: "42".into(),
            info: Some(&BUSY),
        });
        let text = err.to_string();
        assert!(text.contains("SendPeerMessage"), "{text}");
        assert!(text.contains("ServerBusy"), "{text}");
        assert!(text.contains("[request 42]"), "{text}");
        assert!(err.is_retryable());
        assert_eq!(err.code(), Some(1));
        let timeout = Error::Timeout { action: "X" };
        assert!(timeout.to_string().contains('X'));
    }

    #[test]
    fn retry_codes_without_info() {
        for code in [1, 7, 660_300_005] {
            let api = ApiError {
                action: "A",
                code,
                message: String::new(),
                request_id: String::new(),
                info: None,
            };
            assert!(api.is_retryable());
        }
    }
}
