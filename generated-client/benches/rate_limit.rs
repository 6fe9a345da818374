//! What the rate limiter costs per call: in this process (`governor`) and in Redis (one
//! script call on loopback), with a limit high enough never to make a call wait.
//!
//! - `acquire/local`, `acquire/redis`: one call after another, so `redis` is one round trip
//!   plus the script.
//! - `throughput/redis/<n>`: calls with `n` in flight at once on one connection (pipelined by
//!   the connection manager); criterion's elements per second are the calls per second one
//!   process can push through the Redis limiter.
//!
//! Needs a Redis in `ZIM_REDIS_URL`; `scripts/with-redis` starts a throwaway one:
//! `scripts/with-redis cargo bench -p zim-client --features redis --bench rate_limit`.

use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use futures_util::StreamExt as _;
use zim_client::runtime::rate_limit::{RateLimitBackend, RateLimits};
use zim_client::{
    Action, ActionMeta, CodeInfo, HostKind, Method, Qps, QpsScope, RedisRateLimit, Validate,
    Validator, WhenRedisFails,
};

const APP_ID: u32 = 1_234_567_890;

/// An action whose limit never makes a call wait: per-message scope, so the burst is as large
/// as the limit, and the limit is the largest there is.
#[derive(serde::Serialize)]
struct Unthrottled;

impl Validate for Unthrottled {
    fn validate_into(&self, _: &mut Validator) {}
}

impl Action for Unthrottled {
    type Response = ();
    const META: ActionMeta = ActionMeta {
        name: "Unthrottled",
        method: Method::Post,
        host: HostKind::Regional,
        qps: Qps::new(u32::MAX, QpsScope::Message, None),
        retry_safe: true,
        paginated: false,
        response_wrapper: None,
    };
    fn code_info(_: i64) -> Option<&'static CodeInfo> {
        None
    }
}

fn runtime() -> tokio::runtime::Runtime {
    match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => panic!("tokio runtime: {err}"),
    }
}

/// Limits in the Redis of `ZIM_REDIS_URL`, failing rather than falling back, so that a figure
/// is never one of the local limiter by mistake.
fn redis_limits() -> RateLimits {
    let Some(shared) = RedisRateLimit::from_env() else {
        panic!(
            "set ZIM_REDIS_URL, or run: scripts/with-redis cargo bench -p zim-client \
             --features redis --bench rate_limit"
        );
    };
    let shared = shared
        .timeout(Duration::from_secs(1))
        .when_redis_fails(WhenRedisFails::FailTheCall);
    match RateLimits::new(APP_ID, &RateLimitBackend::Redis(shared)) {
        Ok(limits) => limits,
        Err(err) => panic!("{err}"),
    }
}

/// Time of `iters` acquisitions, one after another.
async fn one_by_one(limits: &RateLimits, iters: u64) -> Duration {
    let started = Instant::now();
    for _ in 0..iters {
        if let Err(err) = limits.acquire(&Unthrottled).await {
            panic!("{err}");
        }
    }
    started.elapsed()
}

fn acquire(c: &mut Criterion) {
    let runtime = runtime();
    let local = RateLimits::default();
    let redis = redis_limits();
    // The first call connects and loads the script.
    runtime.block_on(one_by_one(&redis, 1));
    let mut group = c.benchmark_group("acquire");
    group.bench_function("local", |b| {
        b.iter_custom(|iters| runtime.block_on(one_by_one(&local, iters)))
    });
    group.bench_function("redis", |b| {
        b.iter_custom(|iters| runtime.block_on(one_by_one(&redis, iters)))
    });
    group.finish();
}

fn throughput(c: &mut Criterion) {
    let runtime = runtime();
    let redis = redis_limits();
    runtime.block_on(one_by_one(&redis, 1));
    let mut group = c.benchmark_group("throughput/redis");
    group.throughput(Throughput::Elements(1));
    for in_flight in [1usize, 16, 64] {
        group.bench_function(in_flight.to_string(), |b| {
            b.iter_custom(|iters| {
                runtime.block_on(async {
                    let started = Instant::now();
                    futures_util::stream::iter(0..iters)
                        .map(|_| redis.acquire(&Unthrottled))
                        .buffer_unordered(in_flight)
                        .for_each(|result| async move {
                            if let Err(err) = result {
                                panic!("{err}");
                            }
                        })
                        .await;
                    started.elapsed()
                })
            })
        });
    }
    group.finish();
}

criterion_group!(benches, acquire, throughput);
criterion_main!(benches);
