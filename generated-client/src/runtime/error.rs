//! The one error type of a call.
//!
//! Text the server supplies (messages, request ids, body excerpts, decode reasons that quote
//! the body, redirect targets, transport causes) is kept to a few hundred bytes per item, cut
//! at a character boundary and marked with how much was left out (`…[9437184 more bytes]`),
//! so an error stays printable whatever the server sends.

use std::fmt;
use std::time::Duration;

use super::codes::CodeInfo;
use super::validate::Violations;

/// Codes the client retries whatever the action's table says: server busy (1) and the rate
/// limits (7 per app and second, 660300005 per app and action).
pub const RETRY_CODES: [i64; 3] = [1, 7, 660_300_005];

/// Longest body excerpt kept in [`Error::Decode`], in bytes (before the cut marker).
pub const EXCERPT_MAX: usize = 512;

/// Longest reason kept in [`Error::Decode`], in bytes (before the cut marker); a reason
/// may quote a value of the body.
pub const REASON_MAX: usize = 1024;

/// Longest server `Message` kept in an error, in bytes (before the cut marker).
pub const MESSAGE_MAX: usize = 1024;

/// Longest server `RequestId` kept in an error, in bytes (before the cut marker); real ones
/// have about 20 characters.
pub const REQUEST_ID_MAX: usize = 128;

/// Longest redirect target kept in [`Error::Redirect`], in bytes (before the cut marker).
pub const TARGET_MAX: usize = 256;

/// Longest cause chain a transport error or timeout prints, in bytes (before the cut
/// marker).
pub const CAUSES_MAX: usize = 1024;

/// Everything that can go wrong with a call, matchable in one step.
///
/// No variant holds the server secret, transport errors and timeouts are stripped of the
/// request URL (whose query carries the signature), and text from the server is bounded
/// (see the [module docs](self)).
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
    /// The request could not be sent or its response not read (connection refused or
    /// reset, TLS, DNS, a body cut short). The message prints the whole cause chain.
    Transport {
        action: &'static str,
        source: reqwest::Error,
    },
    /// No complete response within the client's request timeout, or no connection within
    /// its connect timeout. The message prints the cause chain, which tells the two apart.
    Timeout {
        action: &'static str,
        source: reqwest::Error,
    },
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
        /// The start of the body, at most [`EXCERPT_MAX`] bytes, cut at a character boundary
        /// and then marked with how many bytes were left out.
        excerpt: String,
        /// What did not match, with the field path where decoding failed (`` at
        /// `List[3].MsgId`: ... ``); at most [`REASON_MAX`] bytes, marked when cut.
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
        /// The server's `Message`, at most [`MESSAGE_MAX`] bytes, marked when cut.
        message: String,
        /// The server's `RequestId`, for support requests; at most [`REQUEST_ID_MAX`]
        /// bytes, marked when cut.
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
    /// The server's `Message`; from a response, at most [`MESSAGE_MAX`] bytes, marked when
    /// cut.
    pub message: String,
    /// The server's `RequestId`, for support requests; from a response, at most
    /// [`REQUEST_ID_MAX`] bytes, marked when cut.
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
            | Error::Timeout { action, .. }
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
        let source = source.without_url();
        if source.is_timeout() {
            Error::Timeout { action, source }
        } else {
            Error::Transport { action, source }
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
            reason: bounded_display(reason, REASON_MAX),
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
                write!(f, "{action}: the HTTP exchange failed: ")?;
                f.write_str(&causes(source))
            }
            Error::Encode { action, reason } => {
                write!(f, "{action} request could not be encoded: {reason}")
            }
            Error::Timeout { action, source } => {
                write!(f, "{action} timed out: ")?;
                f.write_str(&causes(source))
            }
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
            Error::Transport { source, .. } | Error::Timeout { source, .. } => Some(source),
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
pub(crate) fn bounded(text: String, max: usize) -> String {
    if text.len() <= max {
        return text;
    }
    let mut bounded = BoundedText::new(max);
    bounded.push(&text);
    bounded.finish()
}

/// `value` formatted, at most `max` bytes of it kept (see [`bounded`]); the rest is counted,
/// never held, so a reason quoting a huge value costs no more than `max`.
pub(crate) fn bounded_display(value: impl fmt::Display, max: usize) -> String {
    let mut bounded = BoundedText::new(max);
    // Writing to a `BoundedText` never fails.
    let _ = fmt::write(&mut bounded, format_args!("{value}"));
    bounded.finish()
}

/// At most `max` bytes of `body` as text (see [`bounded`]); only that much is decoded.
pub(crate) fn excerpt(body: &[u8], max: usize) -> String {
    let mut end = body.len().min(max);
    if end < body.len() {
        // Back up to the start of a UTF-8 sequence (at most three bytes) rather than cut one
        // in two.
        let start = end.saturating_sub(3);
        while end > start && (body[end] & 0xC0) == 0x80 {
            end -= 1;
        }
    }
    let mut bounded = BoundedText::new(max);
    bounded.push(&String::from_utf8_lossy(&body[..end]));
    bounded.omitted += body.len() - end;
    bounded.finish()
}

/// The cause chain of `error`, each cause after a colon (`error sending request: client
/// error (Connect): tcp connect error: Connection refused (os error 111)`); a cause whose
/// text is already printed is left out, since some errors print their own sources too and
/// chains can repeat a layer. At most [`CAUSES_MAX`] bytes.
fn causes(error: &(dyn std::error::Error + 'static)) -> String {
    let mut bounded = BoundedText::new(CAUSES_MAX);
    let mut printed = error.to_string();
    bounded.push(&printed);
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !printed.contains(&text) && printed.len() < CAUSES_MAX {
            bounded.push(": ");
            bounded.push(&text);
            printed.push_str(": ");
            printed.push_str(&text);
        }
        source = cause.source();
    }
    bounded.finish()
}

/// Text kept up to a byte limit, cut at a character boundary, with the bytes past the limit
/// counted for the cut marker.
struct BoundedText {
    text: String,
    max: usize,
    omitted: usize,
}

impl BoundedText {
    fn new(max: usize) -> Self {
        BoundedText {
            text: String::new(),
            max,
            omitted: 0,
        }
    }

    fn push(&mut self, piece: &str) {
        if self.omitted > 0 {
            self.omitted += piece.len();
            return;
        }
        let room = self.max - self.text.len();
        if piece.len() <= room {
            self.text.push_str(piece);
            return;
        }
        let mut end = room;
        while !piece.is_char_boundary(end) {
            end -= 1;
        }
        self.text.push_str(&piece[..end]);
        self.omitted += piece.len() - end;
    }

    fn finish(mut self) -> String {
        if self.omitted > 0 {
            self.text
                .push_str(&format!("…[{} more bytes]", self.omitted));
        }
        self.text
    }
}

impl fmt::Write for BoundedText {
    fn write_str(&mut self, piece: &str) -> fmt::Result {
        self.push(piece);
        Ok(())
    }
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
        let cut = excerpt(body.as_bytes(), 511);
        assert_eq!(cut, format!("{}…[690 more bytes]", "é".repeat(255)));
        assert_eq!(excerpt(b"short", 512), "short");
        assert_eq!(excerpt(b"exact", 5), "exact");
        let invalid = excerpt(&[0xff; 600], 10);
        assert!(invalid.starts_with('\u{fffd}'), "{invalid}");
        assert!(invalid.len() <= 10 + "…[600 more bytes]".len(), "{invalid}");
    }

    #[test]
    fn texts_are_bounded_and_say_how_much_was_cut() {
        assert_eq!(bounded("abc".into(), 3), "abc");
        assert_eq!(bounded("abcdef".into(), 3), "abc…[3 more bytes]");
        assert_eq!(bounded("aé".into(), 2), "a…[2 more bytes]");
        let huge = "x".repeat(10 << 20);
        let reason = bounded_display(format_args!("invalid value: {huge:?}"), REASON_MAX);
        assert!(reason.len() < REASON_MAX + 32, "{}", reason.len());
        assert!(reason.ends_with(&format!(
            "…[{} more bytes]",
            10 * 1024 * 1024 + 17 - REASON_MAX
        )));
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
    }

    #[test]
    fn transport_errors_print_their_causes() {
        let source = reqwest::Client::new().get("not a url").build().unwrap_err();
        let err = Error::transport("X", source);
        assert!(matches!(err, Error::Transport { action: "X", .. }));
        assert_eq!(
            err.to_string(),
            "X: the HTTP exchange failed: builder error: relative URL without a base"
        );
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
