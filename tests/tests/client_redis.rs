//! Rate limits shared through a real `redis-server` (the Redis backend, feature `redis`):
//! several clients, standing for several processes, count against one quota; daily caps are
//! shared and refused with a typed error; Redis stopped, frozen, answering errors or
//! restarted is handled as the client was built to. Every server runs on 127.0.0.1.

mod client_support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use client_support::redis_server::RedisServer;
use client_support::*;
use serde::Serialize;
use serde_json::json;
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Metadata, Subscriber};
use zim_client::{
    Action, ActionMeta, Client, CodeInfo, Error, Method, Qps, QpsScope, RateLimitBackend,
    RedisRateLimit, RetryPolicy, Validate, Validator, WhenRedisFails,
};

/// The GCRA script the backend runs, for the tests of its arithmetic.
const GCRA_SCRIPT: &str = include_str!("../../generated-client/src/runtime/rate_limit/gcra.lua");

/// Bounds a test that would otherwise hang if the limiter waited forever.
const NO_HANG: Duration = Duration::from_secs(20);

// ----- test actions -----

/// A call of a per-group action: `GroupId` is its rate key.
#[derive(Debug, Clone, Serialize)]
struct GroupEcho {
    #[serde(rename = "GroupId")]
    group_id: String,
}

impl Validate for GroupEcho {
    fn validate_into(&self, _: &mut Validator) {}
}

impl Action for GroupEcho {
    type Response = EchoResponse;
    const META: ActionMeta = ActionMeta {
        qps: Qps::new(1, QpsScope::Group, None),
        ..meta("GroupEcho", Method::Post, true, 1)
    };
    fn code_info(code: i64) -> Option<&'static CodeInfo> {
        code_info(code)
    }
    fn rate_key(&self) -> Option<&str> {
        Some(&self.group_id)
    }
}

/// An action with a high QPS and a daily cap of 3.
#[derive(Debug, Clone, Serialize)]
struct CappedEcho(Echo);

impl Validate for CappedEcho {
    fn validate_into(&self, v: &mut Validator) {
        self.0.validate_into(v)
    }
}

impl Action for CappedEcho {
    type Response = EchoResponse;
    const META: ActionMeta = ActionMeta {
        qps: Qps::new(1000, QpsScope::App, Some(3)),
        ..meta("CappedEcho", Method::Post, true, 1000)
    };
    fn code_info(code: i64) -> Option<&'static CodeInfo> {
        code_info(code)
    }
}

/// An action with a high QPS and a daily cap too high to reach: its daily count (kept for 25
/// hours) tells how many calls went through Redis.
#[derive(Debug, Clone, Serialize)]
struct CountedEcho(Echo);

impl Validate for CountedEcho {
    fn validate_into(&self, v: &mut Validator) {
        self.0.validate_into(v)
    }
}

impl Action for CountedEcho {
    type Response = EchoResponse;
    const META: ActionMeta = ActionMeta {
        qps: Qps::new(1000, QpsScope::App, Some(1_000_000)),
        ..meta("CountedEcho", Method::Post, true, 1000)
    };
    fn code_info(code: i64) -> Option<&'static CodeInfo> {
        code_info(code)
    }
}

fn counted() -> CountedEcho {
    CountedEcho(Echo::sample())
}

// ----- helpers -----

/// How many `CountedEcho` calls went through `redis`.
fn counted_in(redis: &RedisServer) -> i64 {
    let counts: Vec<i64> = redis::cmd("HVALS")
        .arg(format!("zim:rl:{{{APP_ID}:CountedEcho:}}:day"))
        .query(&mut redis.connection())
        .unwrap();
    counts.iter().sum()
}

/// Shared limits in `redis`, with a short pause after a failure so tests move on quickly.
fn shared(redis: &RedisServer) -> RedisRateLimit {
    RedisRateLimit::new(redis.url()).pause_after_failure(Duration::from_millis(50))
}

/// A client of `server` keeping its limits as `limits` says.
fn client(server: &Server, limits: RedisRateLimit) -> Client {
    server
        .client()
        .rate_limit_backend(RateLimitBackend::Redis(limits))
        .build()
        .unwrap()
}

/// The most requests that arrived within any one second.
fn max_in_one_second(seen: &[Seen]) -> usize {
    let mut times: Vec<Instant> = seen.iter().map(|s| s.at).collect();
    times.sort();
    let mut most = 0;
    let mut first = 0;
    for (last, at) in times.iter().enumerate() {
        while *at - times[first] >= Duration::from_secs(1) {
            first += 1;
        }
        most = most.max(last - first + 1);
    }
    most
}

/// The level and message of every event, from the thread that installed it.
#[derive(Clone, Default)]
struct EventLog(Arc<Mutex<Vec<(Level, String)>>>);

impl EventLog {
    fn warnings(&self) -> Vec<String> {
        self.0
            .lock()
            .unwrap()
            .iter()
            .filter(|(level, _)| *level == Level::WARN)
            .map(|(_, text)| text.clone())
            .collect()
    }
}

struct Message<'a>(&'a mut String);

impl Visit for Message<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!("{}={value:?} ", field.name()));
    }
}

impl Subscriber for EventLog {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut text = String::new();
        event.record(&mut Message(&mut text));
        self.0
            .lock()
            .unwrap()
            .push((*event.metadata().level(), text));
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

// ----- sharing -----

#[tokio::test]
async fn two_clients_are_held_to_one_app_limit() {
    let redis = RedisServer::start();
    let server = Server::start(|_, _| envelope(0, json!({}))).await;
    // Two clients with limits of their own would each send 5 a second: 10 in the first.
    let clients = [
        client(&server, shared(&redis)),
        client(&server, shared(&redis)),
    ];
    let calls = clients.iter().flat_map(|client| {
        (0..6).map(move |_| {
            let client = client.clone();
            async move { client.execute(&SlowEcho(Echo::sample())).await }
        })
    });
    for result in futures_util::future::join_all(calls).await {
        result.unwrap();
    }
    let seen = server.checked();
    assert_eq!(seen.len(), 12, "every call sent once");
    // QPS 5 for both together; one more allows for scheduling jitter on a busy machine.
    let most = max_in_one_second(&seen);
    assert!(most <= 6, "{most} calls within one second");
}

#[tokio::test]
async fn group_limits_are_kept_per_group_with_expiring_keys() {
    let redis = RedisServer::start();
    let server = Server::start(|_, _| envelope(0, json!({}))).await;
    let first = client(&server, shared(&redis));
    let second = client(&server, shared(&redis).key_prefix("staging:zim"));
    for group in ["g1", "g2"] {
        first
            .execute(&GroupEcho {
                group_id: group.into(),
            })
            .await
            .unwrap();
    }
    second
        .execute(&GroupEcho {
            group_id: "g1".into(),
        })
        .await
        .unwrap();
    assert_eq!(server.checked().len(), 3);
    assert_eq!(
        redis.keys(),
        [
            format!("staging:zim:{{{APP_ID}:GroupEcho:g1}}:qps"),
            format!("zim:rl:{{{APP_ID}:GroupEcho:g1}}:qps"),
            format!("zim:rl:{{{APP_ID}:GroupEcho:g2}}:qps"),
        ]
    );
    // Each key expires once its state has passed: within 1.05 s at 1 a second with the default
    // margin (-2: gone already, on a slow machine; -1 would be a key without expiry).
    let mut connection = redis.connection();
    for key in redis.keys() {
        let ttl: i64 = redis::cmd("PTTL").arg(&key).query(&mut connection).unwrap();
        assert!(ttl == -2 || (1..=1051).contains(&ttl), "{key}: PTTL {ttl}");
    }
}

#[tokio::test]
async fn daily_cap_is_shared_and_refused_with_a_typed_error() {
    let redis = RedisServer::start();
    let server = Server::start(|_, _| envelope(0, json!({}))).await;
    let first = client(&server, shared(&redis));
    let second = client(&server, shared(&redis));
    first.execute(&CappedEcho(Echo::sample())).await.unwrap();
    first.execute(&CappedEcho(Echo::sample())).await.unwrap();
    second.execute(&CappedEcho(Echo::sample())).await.unwrap();
    let err = second
        .execute(&CappedEcho(Echo::sample()))
        .await
        .unwrap_err();
    match &err {
        Error::DailyCapReached {
            action,
            cap,
            retry_after: Some(retry_after),
        } => {
            assert_eq!(*action, "CappedEcho");
            assert_eq!(*cap, 3);
            // The oldest hour leaves the count 24 to 25 hours after it began.
            let hours = retry_after.as_secs_f64() / 3600.0;
            assert!((23.0..=25.0).contains(&hours), "{hours} h");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(!err.is_retryable());
    assert!(err.to_string().contains("daily cap of 3"), "{err}");
    assert_eq!(server.checked().len(), 3, "the refused call was not sent");
    let day_key = format!("zim:rl:{{{APP_ID}:CappedEcho:}}:day");
    let ttl: i64 = redis::cmd("PTTL")
        .arg(&day_key)
        .query(&mut redis.connection())
        .unwrap();
    assert!(ttl > 24 * 3600 * 1000, "{day_key}: PTTL {ttl}");
}

#[tokio::test]
async fn a_retry_refused_by_the_limiter_returns_what_the_server_said() {
    let redis = RedisServer::start();
    // Busy (code 1, retried) every time: the second attempt is over the daily cap of 3.
    let server = Server::start(|_, _| envelope(1, json!({}))).await;
    let client = client(&server, shared(&redis));
    let err = client
        .execute(&CappedEcho(Echo::sample()))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(1), "{err:?}");
    assert_eq!(
        server.checked().len(),
        3,
        "4 attempts allowed, 3 under the cap"
    );
    // The next call is refused before its first attempt: nothing else happened to it.
    let err = client
        .execute(&CappedEcho(Echo::sample()))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::DailyCapReached { .. }), "{err:?}");
}

// ----- the script's arithmetic -----

/// Runs the script once: `[status, microseconds]`.
fn gcra(
    connection: &mut redis::Connection,
    keys: &[&str],
    interval: u64,
    burst: u64,
    units: u32,
    per_day: u32,
) -> (i64, i64) {
    let script = redis::Script::new(GCRA_SCRIPT);
    let mut invocation = script.prepare_invoke();
    for key in keys {
        invocation.key(*key);
    }
    invocation
        .arg(interval)
        .arg(interval * burst)
        .arg(units)
        .arg(per_day)
        .invoke(connection)
        .unwrap()
}

#[test]
fn script_spaces_calls_and_counts_units() {
    let redis = RedisServer::start();
    let mut connection = redis.connection();
    let hour = 3_600_000_000u64;
    // One call an hour, no burst: the first goes at once, the next waits almost an hour.
    assert_eq!(gcra(&mut connection, &["calls"], hour, 1, 1, 0), (0, 0));
    let (status, wait) = gcra(&mut connection, &["calls"], hour, 1, 1, 0);
    assert_eq!(status, 0);
    assert!(wait > 3_590_000_000 && wait <= 3_600_000_000, "{wait}");
    // Five units an hour with a burst of five: 3 + 2 fit at once, the sixth waits.
    assert_eq!(gcra(&mut connection, &["units"], hour, 5, 3, 0), (0, 0));
    assert_eq!(gcra(&mut connection, &["units"], hour, 5, 2, 0), (0, 0));
    let (_, wait) = gcra(&mut connection, &["units"], hour, 5, 1, 0);
    assert!(wait > 3_590_000_000, "{wait}");
    // Ten units at once: they go once the burst allows the last five, an hour per unit.
    let (_, wait) = gcra(&mut connection, &["big"], hour, 5, 10, 0);
    assert!(wait > 4 * hour as i64 && wait <= 5 * hour as i64, "{wait}");
    // The state expires when it no longer matters.
    let ttl: i64 = redis::cmd("PTTL")
        .arg("calls")
        .query(&mut connection)
        .unwrap();
    assert!(ttl > 3600 * 1000 && ttl <= 2 * 3600 * 1000 + 1, "{ttl}");
}

#[test]
fn script_caps_units_per_day() {
    let redis = RedisServer::start();
    let mut connection = redis.connection();
    let keys = ["{t}:qps", "{t}:day"];
    assert_eq!(gcra(&mut connection, &keys, 1, 1000, 2, 5), (0, 0));
    assert_eq!(gcra(&mut connection, &keys, 1, 1000, 3, 5), (0, 0));
    let (status, retry) = gcra(&mut connection, &keys, 1, 1000, 1, 5);
    assert_eq!(status, 1, "the cap of 5 is used up");
    assert!(retry > 23 * 3_600_000_000, "{retry}");
    assert_eq!(
        gcra(&mut connection, &keys, 1, 1000, 6, 5),
        (1, -1),
        "more than the cap never fits"
    );
    // Refused calls reserve nothing and count nothing.
    let counts: Vec<i64> = redis::cmd("HVALS")
        .arg("{t}:day")
        .query(&mut connection)
        .unwrap();
    assert_eq!(counts.iter().sum::<i64>(), 5);
}

// ----- Redis failing -----

#[tokio::test]
async fn redis_stopped_mid_run_falls_back_with_one_warning() {
    let events = EventLog::default();
    let _guard = tracing::subscriber::set_default(events.clone());
    let mut redis = RedisServer::start();
    let server = Server::start(|_, _| envelope(0, json!({}))).await;
    let client = client(&server, shared(&redis));
    client.execute(&counted()).await.unwrap();
    assert_eq!(counted_in(&redis), 1, "Redis was used");
    redis.stop();
    for _ in 0..3 {
        tokio::time::timeout(NO_HANG, client.execute(&counted()))
            .await
            .unwrap()
            .unwrap();
    }
    assert_eq!(server.checked().len(), 4, "every call sent, once");
    let warnings = events.warnings();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("falling back"), "{warnings:?}");
}

#[tokio::test]
async fn redis_stopped_mid_run_fails_calls_when_asked() {
    let mut redis = RedisServer::start();
    let server = Server::start(|_, _| envelope(0, json!({}))).await;
    let client = client(
        &server,
        shared(&redis)
            .when_redis_fails(WhenRedisFails::FailTheCall)
            .pause_after_failure(Duration::from_secs(60)),
    );
    client.execute(&PostEcho(Echo::sample())).await.unwrap();
    redis.stop();
    for _ in 0..2 {
        let err = tokio::time::timeout(NO_HANG, client.execute(&PostEcho(Echo::sample())))
            .await
            .unwrap()
            .unwrap_err();
        assert!(
            matches!(
                &err,
                Error::RateLimiterUnavailable {
                    action: "PostEcho",
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(err.is_retryable());
    }
    assert_eq!(server.checked().len(), 1, "refused calls are not sent");
}

#[tokio::test]
async fn frozen_redis_is_waited_for_only_as_long_as_the_timeout() {
    let redis = RedisServer::start();
    let server = Server::start(|_, _| envelope(0, json!({}))).await;
    let failing = client(
        &server,
        shared(&redis)
            .timeout(Duration::from_millis(100))
            .when_redis_fails(WhenRedisFails::FailTheCall),
    );
    let falling_back = client(&server, shared(&redis).timeout(Duration::from_millis(100)));
    failing.execute(&PostEcho(Echo::sample())).await.unwrap();
    falling_back
        .execute(&PostEcho(Echo::sample()))
        .await
        .unwrap();
    redis.freeze();
    let err = tokio::time::timeout(NO_HANG, failing.execute(&PostEcho(Echo::sample())))
        .await
        .unwrap()
        .unwrap_err();
    match &err {
        Error::RateLimiterUnavailable { reason, .. } => {
            assert!(reason.contains("no answer within 100 ms"), "{reason}")
        }
        other => panic!("unexpected {other:?}"),
    }
    tokio::time::timeout(NO_HANG, falling_back.execute(&PostEcho(Echo::sample())))
        .await
        .unwrap()
        .unwrap();
    redis.thaw();
    assert_eq!(server.checked().len(), 3);
}

#[tokio::test]
async fn redis_error_answers_follow_the_policy() {
    let redis = RedisServer::start();
    let server = Server::start(|_, _| envelope(0, json!({}))).await;
    // The limit's key holds a hash: the script's GET answers WRONGTYPE.
    let key = format!("zim:rl:{{{APP_ID}:PostEcho:}}:qps");
    let _: () = redis::cmd("HSET")
        .arg(&key)
        .arg("f")
        .arg("v")
        .query(&mut redis.connection())
        .unwrap();
    let failing = client(
        &server,
        shared(&redis).when_redis_fails(WhenRedisFails::FailTheCall),
    );
    let err = failing
        .execute(&PostEcho(Echo::sample()))
        .await
        .unwrap_err();
    match &err {
        Error::RateLimiterUnavailable { reason, .. } => {
            assert!(reason.contains("WRONGTYPE"), "{reason}")
        }
        other => panic!("unexpected {other:?}"),
    }
    let falling_back = client(&server, shared(&redis));
    falling_back
        .execute(&PostEcho(Echo::sample()))
        .await
        .unwrap();
    assert_eq!(server.checked().len(), 1);
}

#[tokio::test]
async fn restarted_redis_is_used_again() {
    let events = EventLog::default();
    let _guard = tracing::subscriber::set_default(events.clone());
    let mut redis = RedisServer::start();
    let server = Server::start(|_, _| envelope(0, json!({}))).await;
    let client = client(&server, shared(&redis));
    client.execute(&counted()).await.unwrap();
    redis.stop();
    client.execute(&counted()).await.unwrap();
    redis.start_again();
    assert!(redis.keys().is_empty(), "a fresh server holds nothing");
    // The connection manager reconnects in the background; calls go on meanwhile.
    let deadline = Instant::now() + NO_HANG;
    while counted_in(&redis) == 0 {
        assert!(Instant::now() < deadline, "Redis was not used again");
        client.execute(&counted()).await.unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    server.checked();
    let logged = events.0.lock().unwrap().clone();
    assert!(
        logged
            .iter()
            .any(|(level, text)| *level == Level::INFO && text.contains("shared again")),
        "{logged:?}"
    );
}

#[tokio::test]
async fn unreachable_redis_at_start_falls_back() {
    let redis = RedisServer::start();
    let url = redis.url();
    drop(redis);
    let server = Server::start(|_, _| envelope(0, json!({}))).await;
    let client = server
        .client()
        .retry_policy(RetryPolicy::none())
        .rate_limit_backend(RateLimitBackend::Redis(RedisRateLimit::new(url)))
        .build()
        .unwrap();
    tokio::time::timeout(NO_HANG, client.execute(&PostEcho(Echo::sample())))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(server.checked().len(), 1);
}

#[test]
fn bad_redis_urls_fail_the_build() {
    let err = Client::builder(APP_ID, SECRET)
        .rate_limit_backend(RateLimitBackend::Redis(RedisRateLimit::new(
            "redis://:pw-5ecret@[::1",
        )))
        .build()
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("Redis URL"), "{text}");
    assert!(!text.contains("pw-5ecret"), "{text}");
}
