//! When and how long to wait before resending a call.
//!
//! Which failures are retried: return codes the server uses for "busy" and for rate limits
//! (see [`Error::is_retryable`](super::error::Error::is_retryable)) on every action, since the
//! server rejected those calls before doing anything; transport failures, timeouts and HTTP
//! 5xx/429 responses only on actions marked `retry_safe` in the spec, since such a call may
//! have taken effect before the connection broke.

use std::time::Duration;

use super::action::ActionMeta;
use super::error::Error;

/// How often and how patiently a call is retried: exponential backoff with full jitter,
/// bounded both in attempts and in total time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included; 1 means no retry.
    pub max_attempts: u32,
    /// Upper bound of the first wait.
    pub initial_backoff: Duration,
    /// Upper bound of any one wait.
    pub max_backoff: Duration,
    /// No retry starts once this much time has passed since the first attempt.
    pub max_elapsed: Duration,
}

impl Default for RetryPolicy {
    /// Four attempts, waits of up to 100 ms, 200 ms, 400 ms (capped at 5 s), within 30 s.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(5),
            max_elapsed: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub const fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            initial_backoff: Duration::ZERO,
            max_backoff: Duration::ZERO,
            max_elapsed: Duration::ZERO,
        }
    }

    pub const fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts;
        self
    }

    pub const fn with_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max;
        self
    }

    pub const fn with_max_elapsed(mut self, max_elapsed: Duration) -> Self {
        self.max_elapsed = max_elapsed;
        self
    }

    /// The ceiling of the wait after failed attempt `attempt` (1-based):
    /// `initial * 2^(attempt-1)`, at most `max_backoff`.
    pub fn backoff_ceiling(&self, attempt: u32) -> Duration {
        let factor = 1u32 << attempt.saturating_sub(1).min(20);
        self.initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff)
    }

    /// Whether `error`, ending attempt `attempt` (1-based) of an action with `meta`, is
    /// worth another attempt after `elapsed`, and how long to wait first.
    pub(crate) fn next_delay(
        &self,
        meta: &ActionMeta,
        error: &Error,
        attempt: u32,
        elapsed: Duration,
    ) -> Option<Duration> {
        if attempt >= self.max_attempts || !should_retry(meta, error) {
            return None;
        }
        let delay = full_jitter(self.backoff_ceiling(attempt));
        (elapsed.saturating_add(delay) < self.max_elapsed).then_some(delay)
    }
}

/// Whether `error` may be retried for an action with `meta`.
pub fn should_retry(meta: &ActionMeta, error: &Error) -> bool {
    match error {
        Error::Api(api) => api.is_retryable(),
        Error::Transport { .. }
        | Error::Timeout { .. }
        | Error::Decode { .. }
        | Error::UnexpectedStatus { .. } => meta.retry_safe && error.is_retryable(),
        Error::InvalidRequest { .. }
        | Error::Encode { .. }
        | Error::Redirect { .. }
        | Error::BodyTooLarge { .. }
        | Error::Pagination { .. } => false,
        // Refusals of the rate limiter come before sending, and end the call at once: a daily
        // cap frees up only hours later, and an unavailable limiter is the caller's to wait out.
        Error::DailyCapReached { .. } | Error::RateLimiterUnavailable { .. } => false,
    }
}

/// A uniformly random duration between zero and `ceiling`.
fn full_jitter(ceiling: Duration) -> Duration {
    let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
    if nanos == 0 {
        return Duration::ZERO;
    }
    let random = u64::from_le_bytes(super::sign::random_bytes::<8>());
    Duration::from_nanos(random % (nanos + 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::action::{HostKind, Method, Qps, QpsScope};
    use crate::runtime::error::ApiError;

    const META: ActionMeta = ActionMeta {
        name: "Test",
        method: Method::Post,
        host: HostKind::Regional,
        qps: Qps {
            limit: 10,
            scope: QpsScope::App,
            per_day: None,
        },
        retry_safe: false,
        paginated: false,
        response_wrapper: None,
    };

    fn api(code: i64) -> Error {
        Error::Api(ApiError {
            action: "Test",
            code,
            message: String::new(),
            request_id: String::new(),
            info: None,
        })
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.backoff_ceiling(1), Duration::from_millis(100));
        assert_eq!(policy.backoff_ceiling(2), Duration::from_millis(200));
        assert_eq!(policy.backoff_ceiling(3), Duration::from_millis(400));
        assert_eq!(policy.backoff_ceiling(60), Duration::from_secs(5));
        for _ in 0..100 {
            let delay = policy
                .next_delay(&META, &api(7), 3, Duration::ZERO)
                .unwrap();
            assert!(delay <= Duration::from_millis(400));
        }
    }

    #[test]
    fn bounded_by_attempts_and_time() {
        let policy = RetryPolicy::default();
        assert!(
            policy
                .next_delay(&META, &api(1), 4, Duration::ZERO)
                .is_none()
        );
        assert!(
            policy
                .next_delay(&META, &api(1), 1, Duration::from_secs(31))
                .is_none()
        );
        assert!(
            RetryPolicy::none()
                .next_delay(&META, &api(1), 1, Duration::ZERO)
                .is_none()
        );
    }

    #[test]
    fn transport_failures_only_when_retry_safe() {
        // Any reqwest error will do: only the variant matters here.
        let source = reqwest::Client::new().get("not a url").build().unwrap_err();
        let timeout = Error::Timeout {
            action: "Test",
            source,
        };
        assert!(!should_retry(&META, &timeout));
        let safe = ActionMeta {
            retry_safe: true,
            ..META
        };
        assert!(should_retry(&safe, &timeout));
        assert!(should_retry(&META, &api(660_300_005)));
        assert!(!should_retry(&safe, &api(2)));
    }
}
