//! Rate limits kept in Redis, so that every replica of a business server counts against one
//! quota, as the ZIM server counts it (feature `redis`).
//!
//! Each call is one atomic step in Redis: the Lua script `gcra.lua` reserves the call's units
//! under the action's limit (GCRA, on the Redis clock) and checks its daily cap, then the
//! caller sleeps for the wait the script returned. Each limit's second is stretched by a small
//! margin ([`RedisRateLimit::window_margin`]), so that calls reaching the server a little late
//! do not crowd one second. No module is needed, so stock Redis and Valkey both work.
//!
//! Keys are `<prefix>:{<app id>:<action>:<group or room id>}:qps` and `...:day`; the part in
//! braces is a Redis Cluster hash tag, so the two keys of one limit sit on one slot while
//! different groups spread over the cluster. Both keys expire once they no longer hold
//! anything (at the latest 25 hours after the last call).
//!
//! Redis is asked through the `redis` crate's connection manager, which reconnects on its own
//! in the background. Each step is bounded by [`RedisRateLimit::timeout`]; when Redis is down,
//! slow or answers an error, the call either falls back to the limits of this process (the
//! default, with a `tracing` warning) or fails with [`Error::RateLimiterUnavailable`], as
//! [`WhenRedisFails`] says. Redis is then left alone for [`RedisRateLimit::pause_after_failure`],
//! so an outage does not cost every call a timeout.

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use ::redis::aio::{ConnectionManager, ConnectionManagerConfig};
use ::redis::{Client, RedisError, Script};

use super::Charge;
use super::local::LocalLimits;
use crate::runtime::action::{Action, ActionMeta, QpsScope};
use crate::runtime::error::Error;

/// The environment variable [`RedisRateLimit::from_env`] reads the Redis URL from.
pub const URL_ENV: &str = "ZIM_REDIS_URL";
/// Default bound of one step in Redis, connecting included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_millis(100);
/// Default time Redis is left alone after it failed.
pub const DEFAULT_PAUSE_AFTER_FAILURE: Duration = Duration::from_secs(1);
/// Default start of every key.
pub const DEFAULT_KEY_PREFIX: &str = "zim:rl";
/// Default stretch of each limit's second; see [`RedisRateLimit::window_margin`].
pub const DEFAULT_WINDOW_MARGIN: Duration = Duration::from_millis(50);

/// The longest wait for the per-second limit taken as sound; a longer one means the stored
/// state is damaged (or the Redis clock jumped back), and is treated as a Redis failure rather
/// than slept through.
const MAX_PLAUSIBLE_WAIT: Duration = Duration::from_secs(24 * 3600);
/// Longest gap between the connection manager's reconnection attempts, so a restarted Redis
/// is found again within about a second.
const MAX_RECONNECT_DELAY: Duration = Duration::from_secs(1);

/// What a call does when Redis cannot be asked in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum WhenRedisFails {
    /// Wait under the limits of this process instead (the default), and log a `tracing`
    /// warning. Calls keep flowing, but each replica then holds only itself to the limits, so
    /// several replicas together can exceed them until Redis is back; the server answers the
    /// excess with rate-limit codes, which the client retries.
    #[default]
    FallBackToLocal,
    /// Fail the call with [`Error::RateLimiterUnavailable`] without sending it. The shared
    /// quota is never exceeded, but no call goes out while Redis is unavailable.
    FailTheCall,
}

/// Settings of the Redis rate-limit backend; give it to the client builder as
/// [`RateLimitBackend::Redis`](super::RateLimitBackend::Redis).
///
/// ```
/// use std::time::Duration;
/// use zim_client::{Client, RateLimitBackend, RedisRateLimit, WhenRedisFails};
///
/// let shared = RedisRateLimit::new("redis://127.0.0.1:6379/0")
///     .timeout(Duration::from_millis(50))
///     .when_redis_fails(WhenRedisFails::FailTheCall);
/// let client = Client::builder(1234567890, "secret")
///     .rate_limit_backend(RateLimitBackend::Redis(shared))
///     .build()?;
/// # Ok::<(), zim_client::BuildError>(())
/// ```
#[derive(Clone)]
pub struct RedisRateLimit {
    url: String,
    key_prefix: String,
    timeout: Duration,
    pause_after_failure: Duration,
    when_redis_fails: WhenRedisFails,
    window_margin: Duration,
}

impl RedisRateLimit {
    /// Limits kept in the Redis at `url` (`redis://[user][:password@]host[:port][/db]`; no
    /// TLS); checked when the client is built, connected at the first call.
    pub fn new(url: impl Into<String>) -> RedisRateLimit {
        RedisRateLimit {
            url: url.into(),
            key_prefix: DEFAULT_KEY_PREFIX.to_owned(),
            timeout: DEFAULT_TIMEOUT,
            pause_after_failure: DEFAULT_PAUSE_AFTER_FAILURE,
            when_redis_fails: WhenRedisFails::default(),
            window_margin: DEFAULT_WINDOW_MARGIN,
        }
    }

    /// Limits kept in the Redis whose URL is in the environment variable `ZIM_REDIS_URL`;
    /// `None` when it is unset or empty.
    pub fn from_env() -> Option<RedisRateLimit> {
        std::env::var(URL_ENV)
            .ok()
            .filter(|url| !url.trim().is_empty())
            .map(RedisRateLimit::new)
    }

    /// Start of every key (default `zim:rl`). Clients share limits only with clients of the
    /// same prefix: give each environment (staging, production) sharing one Redis its own.
    /// Braces in the prefix would change the keys' Cluster hash tag; leave them out.
    pub fn key_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.key_prefix = prefix.into();
        self
    }

    /// Longest wait for Redis in one call, connecting included (default 100 ms); past it the
    /// call goes on as [`WhenRedisFails`] says.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How long Redis is left alone after it failed (default 1 s): meanwhile calls go on as
    /// [`WhenRedisFails`] says at once, without waiting for a timeout.
    pub fn pause_after_failure(mut self, pause: Duration) -> Self {
        self.pause_after_failure = pause;
        self
    }

    /// What a call does when Redis is down, slow or answers an error (default
    /// [`WhenRedisFails::FallBackToLocal`]).
    pub fn when_redis_fails(mut self, policy: WhenRedisFails) -> Self {
        self.when_redis_fails = policy;
        self
    }

    /// Keeps each limit over a second stretched by `margin` (default 50 ms): QPS calls per
    /// 1.05 s. Calls are released exactly on schedule, but reach the server a little late, by
    /// different amounts (Redis round trip, timers, the HTTP request, other processes); without
    /// a margin, a late call and an on-time one can land QPS + 1 calls within one second at
    /// the server. The margin absorbs that much spread, at the cost of that share of the
    /// throughput (about 5% by default). `Duration::ZERO` schedules exactly QPS a second.
    pub fn window_margin(mut self, margin: Duration) -> Self {
        self.window_margin = margin;
        self
    }
}

impl fmt::Debug for RedisRateLimit {
    /// The URL is shown without its password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisRateLimit")
            .field("url", &redact_password(&self.url))
            .field("key_prefix", &self.key_prefix)
            .field("timeout", &self.timeout)
            .field("pause_after_failure", &self.pause_after_failure)
            .field("when_redis_fails", &self.when_redis_fails)
            .field("window_margin", &self.window_margin)
            .finish()
    }
}

/// `url` with the password of its user-info part replaced.
fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => {
            let user = rest[..at].split(':').next().unwrap_or_default();
            format!("{scheme}://{user}:<redacted>{}", &rest[at..])
        }
        None => url.to_owned(),
    }
}

/// The Redis backend of one client and its clones.
pub(crate) struct RedisLimits {
    client: Client,
    /// Made at the first call, inside the caller's tokio runtime (it spawns tasks there).
    connection: OnceLock<ConnectionManager>,
    script: Script,
    app_id: u32,
    key_prefix: String,
    timeout: Duration,
    pause_after_failure: Duration,
    when_redis_fails: WhenRedisFails,
    window_margin: Duration,
    /// Used while Redis is unavailable, with [`WhenRedisFails::FallBackToLocal`].
    local: LocalLimits,
    /// Until when Redis is left alone after a failure.
    paused_until: Mutex<Option<Instant>>,
    /// Whether the last attempt to ask Redis failed; warnings are logged on the change only.
    failing: AtomicBool,
}

impl fmt::Debug for RedisLimits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisLimits")
            .field("key_prefix", &self.key_prefix)
            .field("timeout", &self.timeout)
            .field("when_redis_fails", &self.when_redis_fails)
            .field("failing", &self.failing.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

/// What the script answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reply {
    /// The units are reserved: send after this wait.
    Wait(Duration),
    /// The daily cap is used up: the call fits again after this wait, or never.
    DailyCapReached(Option<Duration>),
}

impl RedisLimits {
    /// The backend for `app_id` with `config`; fails when the URL does not parse.
    pub(crate) fn new(app_id: u32, config: &RedisRateLimit) -> Result<RedisLimits, String> {
        let client = Client::open(config.url.as_str()).map_err(|err| {
            format!(
                "Redis URL `{}` for rate limits: {err}",
                redact_password(&config.url)
            )
        })?;
        Ok(RedisLimits {
            client,
            connection: OnceLock::new(),
            script: Script::new(include_str!("gcra.lua")),
            app_id,
            key_prefix: config.key_prefix.clone(),
            timeout: config.timeout,
            pause_after_failure: config.pause_after_failure,
            when_redis_fails: config.when_redis_fails,
            window_margin: config.window_margin,
            local: LocalLimits::default(),
            paused_until: Mutex::new(None),
            failing: AtomicBool::new(false),
        })
    }

    /// Waits until `request` may be sent under its action's shared limit; see
    /// [`RateLimits::acquire`](super::RateLimits::acquire).
    pub(crate) async fn acquire<A: Action>(&self, request: &A) -> Result<(), Error> {
        let meta = &A::META;
        if meta.qps.limit == 0 {
            return Ok(());
        }
        if let Some(left) = self.pause_left() {
            let reason = format!(
                "Redis failed moments ago; asked again in {} ms",
                left.as_millis()
            );
            return self.without_redis(request, reason).await;
        }
        let charge = Charge::of(request);
        let reply = tokio::time::timeout(self.timeout, self.reserve(meta, charge)).await;
        let failure = match reply {
            Ok(Ok(reply)) => {
                self.redis_answered();
                return match reply {
                    Reply::Wait(wait) => {
                        if !wait.is_zero() {
                            tokio::time::sleep(wait).await;
                        }
                        Ok(())
                    }
                    Reply::DailyCapReached(retry_after) => Err(Error::DailyCapReached {
                        action: meta.name,
                        cap: meta.qps.per_day.unwrap_or_default(),
                        retry_after,
                    }),
                };
            }
            Ok(Err(err)) => err,
            Err(_elapsed) => format!("no answer within {} ms", self.timeout.as_millis()),
        };
        self.redis_failed(meta.name, &failure);
        self.without_redis(request, failure).await
    }

    /// One step of the script for `charge`: reserve its units, after the daily cap's check.
    async fn reserve(&self, meta: &ActionMeta, charge: Charge<'_>) -> Result<Reply, String> {
        let mut connection = self.connection().map_err(|err| err.to_string())?;
        let (interval, tolerance) =
            gcra_parameters(meta.qps.limit, meta.qps.scope, self.window_margin);
        let per_day = meta.qps.per_day.unwrap_or(0);
        let (qps_key, day_key) = keys(&self.key_prefix, self.app_id, meta.name, charge.key);
        let mut invocation = self.script.key(qps_key);
        if per_day > 0 {
            invocation.key(day_key);
        }
        let (status, micros): (i64, i64) = invocation
            .arg(interval)
            .arg(tolerance)
            .arg(charge.units)
            .arg(per_day)
            .invoke_async(&mut connection)
            .await
            .map_err(|err| err.to_string())?;
        parse_reply(status, micros)
    }

    /// The connection manager, made at the first call.
    fn connection(&self) -> Result<ConnectionManager, RedisError> {
        if let Some(connection) = self.connection.get() {
            return Ok(connection.clone());
        }
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(self.timeout.max(Duration::from_secs(1))))
            .set_max_delay(MAX_RECONNECT_DELAY);
        let made = ConnectionManager::new_lazy_with_config(self.client.clone(), config)?;
        // Two first calls may race; the one stored wins and the other is dropped unused.
        Ok(self.connection.get_or_init(|| made).clone())
    }

    /// How much of the pause after a failure is left, if any.
    fn pause_left(&self) -> Option<Duration> {
        let paused_until = self
            .paused_until
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        paused_until.and_then(|until| until.checked_duration_since(Instant::now()))
    }

    fn redis_answered(&self) {
        if self.failing.swap(false, Ordering::Relaxed) {
            tracing::info!("Redis answers again: rate limits are shared again");
        }
    }

    fn redis_failed(&self, action: &'static str, failure: &str) {
        *self
            .paused_until
            .lock()
            .unwrap_or_else(PoisonError::into_inner) =
            Instant::now().checked_add(self.pause_after_failure);
        let newly = !self.failing.swap(true, Ordering::Relaxed);
        match (self.when_redis_fails, newly) {
            (WhenRedisFails::FallBackToLocal, true) => tracing::warn!(
                action,
                error = failure,
                "Redis rate limiter unavailable: falling back to the limits of this process"
            ),
            (WhenRedisFails::FailTheCall, true) => tracing::warn!(
                action,
                error = failure,
                "Redis rate limiter unavailable: failing calls until it answers"
            ),
            (_, false) => tracing::debug!(action, error = failure, "Redis rate limiter failed"),
        }
    }

    /// Goes on without Redis, as the policy says.
    async fn without_redis<A: Action>(&self, request: &A, reason: String) -> Result<(), Error> {
        match self.when_redis_fails {
            WhenRedisFails::FallBackToLocal => {
                self.local.acquire(request).await;
                Ok(())
            }
            WhenRedisFails::FailTheCall => Err(Error::RateLimiterUnavailable {
                action: A::META.name,
                reason,
            }),
        }
    }
}

/// The script's emission interval and tolerance, in microseconds, for `limit` per second
/// (stretched by `margin`) in `scope`: calls are released one per interval with no burst;
/// per-message limits allow a burst of one second's units, as a single call may carry that
/// many.
fn gcra_parameters(limit: u32, scope: QpsScope, margin: Duration) -> (u64, u64) {
    let limit = u64::from(limit.max(1));
    let second = 1_000_000u64.saturating_add(u64::try_from(margin.as_micros()).unwrap_or(u64::MAX));
    // Rounded up, so rounding never lets more through than the limit.
    let interval = second.div_ceil(limit);
    let burst = match scope {
        QpsScope::Message => limit,
        QpsScope::App | QpsScope::Group | QpsScope::Room => 1,
    };
    (interval, interval.saturating_mul(burst))
}

/// The GCRA key and the daily-count key of one limit; both carry the same hash tag.
fn keys(prefix: &str, app_id: u32, action: &str, scope_key: &str) -> (String, String) {
    let tagged = format!("{prefix}:{{{app_id}:{action}:{scope_key}}}");
    (format!("{tagged}:qps"), format!("{tagged}:day"))
}

/// The script's answer, checked.
fn parse_reply(status: i64, micros: i64) -> Result<Reply, String> {
    let wait = u64::try_from(micros).ok().map(Duration::from_micros);
    match (status, wait) {
        (0, Some(wait)) if wait <= MAX_PLAUSIBLE_WAIT => Ok(Reply::Wait(wait)),
        (1, wait) => Ok(Reply::DailyCapReached(wait)),
        _ => Err(format!(
            "unexpected answer of the rate-limit script: [{status}, {micros}]"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_share_one_hash_tag_per_limit() {
        let (qps, day) = keys("zim:rl", 42, "DismissGroup", "g-1");
        assert_eq!(qps, "zim:rl:{42:DismissGroup:g-1}:qps");
        assert_eq!(day, "zim:rl:{42:DismissGroup:g-1}:day");
        let (app_wide, _) = keys("zim:rl", 42, "UserRegister", "");
        assert_eq!(app_wide, "zim:rl:{42:UserRegister:}:qps");
        // A brace in a group id ends the tag early, but both keys still share it.
        let (qps, day) = keys("p", 1, "A", "x}y");
        let tag = |key: &str| key[key.find('{').unwrap()..=key.find('}').unwrap()].to_owned();
        assert_eq!(tag(&qps), tag(&day));
        assert_ne!(qps, keys("p", 1, "A", "x}z").0);
    }

    #[test]
    fn parameters_match_the_local_limits_without_a_margin() {
        let exact = Duration::ZERO;
        assert_eq!(gcra_parameters(20, QpsScope::App, exact), (50_000, 50_000));
        assert_eq!(
            gcra_parameters(1, QpsScope::Group, exact),
            (1_000_000, 1_000_000)
        );
        assert_eq!(
            gcra_parameters(5, QpsScope::Message, exact),
            (200_000, 1_000_000)
        );
        // 3 per second: 333,334 µs apart, never 333,333.
        assert_eq!(gcra_parameters(3, QpsScope::Room, exact).0, 333_334);
        assert_eq!(gcra_parameters(u32::MAX, QpsScope::App, exact).0, 1);
    }

    #[test]
    fn the_margin_stretches_each_second() {
        let margin = DEFAULT_WINDOW_MARGIN;
        assert_eq!(gcra_parameters(20, QpsScope::App, margin), (52_500, 52_500));
        assert_eq!(
            gcra_parameters(1, QpsScope::Group, margin),
            (1_050_000, 1_050_000)
        );
        assert_eq!(
            gcra_parameters(5, QpsScope::Message, margin),
            (210_000, 1_050_000)
        );
        assert_eq!(
            gcra_parameters(1, QpsScope::App, Duration::MAX).0,
            u64::MAX,
            "saturates"
        );
    }

    #[test]
    fn replies_are_checked() {
        assert_eq!(
            parse_reply(0, 1_500),
            Ok(Reply::Wait(Duration::from_micros(1_500)))
        );
        assert_eq!(
            parse_reply(1, 7_000_000),
            Ok(Reply::DailyCapReached(Some(Duration::from_secs(7))))
        );
        assert_eq!(parse_reply(1, -1), Ok(Reply::DailyCapReached(None)));
        assert!(parse_reply(0, -5).is_err());
        assert!(parse_reply(2, 0).is_err());
        let two_days = 2 * 24 * 3600 * 1_000_000;
        assert!(parse_reply(0, two_days).is_err(), "damaged state");
    }

    #[test]
    fn debug_hides_the_password() {
        let config = RedisRateLimit::new("redis://user:hunter2@10.0.0.5:6379/2");
        let text = format!("{config:?}");
        assert!(!text.contains("hunter2"), "{text}");
        assert!(
            text.contains("redis://user:<redacted>@10.0.0.5:6379/2"),
            "{text}"
        );
        assert_eq!(
            redact_password("redis://:hunter2@h/0"),
            "redis://:<redacted>@h/0"
        );
        assert_eq!(redact_password("redis://h:6379"), "redis://h:6379");
        assert_eq!(
            redact_password("unix:///run/redis.sock"),
            "unix:///run/redis.sock"
        );
    }

    #[test]
    fn bad_urls_are_refused_without_connecting() {
        let err = RedisLimits::new(1, &RedisRateLimit::new("http://:hunter2@x")).unwrap_err();
        assert!(err.contains("Redis URL"), "{err}");
        assert!(!err.contains("hunter2"), "{err}");
        assert!(RedisLimits::new(1, &RedisRateLimit::new("redis://127.0.0.1:1")).is_ok());
        // The `redis` crate is built without TLS.
        let err = RedisLimits::new(1, &RedisRateLimit::new("rediss://h:6380")).unwrap_err();
        assert!(err.contains("TLS"), "{err}");
    }
}
