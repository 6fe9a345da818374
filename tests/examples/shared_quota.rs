//! The parts of `scripts/check-shared-quota`, which shows that client processes sharing a
//! Redis are held together to one QPS limit:
//!
//! - `standin --log FILE`: a local stand-in of the ZIM server on 127.0.0.1 that answers every
//!   call with `{"Code":0,...}` and appends its arrival (Unix microseconds, action, group id)
//!   to FILE; prints its URL, then serves until killed.
//! - `caller --base-url URL --action app|group --calls N [--groups g1,g2] [--local]`: one
//!   client process making N calls at once (N per group with `--groups`), its rate limits
//!   shared through the Redis of `ZIM_REDIS_URL` (or kept in the process with `--local`);
//!   prints `ok K of N` last.
//! - `report --log FILE --limit L --ok M --calls N`: the most calls that arrived within any
//!   one second, overall and per group.
//!
//! The actions are `QueryUserOnlineState` (20 calls a second per app) and `DismissGroup` (one
//! call a second per group).

use std::collections::BTreeMap;
use std::io::Write as _;
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::json;
use wiremock::{Mock, MockServer, Request, ResponseTemplate, matchers::any};
use zim_client::generated::group::DismissGroupRequest;
use zim_client::generated::user::QueryUserOnlineStateRequest;
use zim_client::prelude::*;
use zim_client::{RateLimitBackend, RedisRateLimit};

const APP_ID: u32 = 1_234_567_890;
const SECRET: &str = "stand-in-secret";

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("standin") => standin(&args[1..]).await,
        Some("caller") => caller(&args[1..]).await,
        Some("report") => report(&args[1..]),
        _ => Err("usage: shared_quota standin|caller|report [options]".into()),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("shared_quota: {err}");
            ExitCode::FAILURE
        }
    }
}

/// The value after `--name` in `args`.
fn option<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter()
        .position(|arg| arg == name)
        .and_then(|at| args.get(at + 1))
        .map(String::as_str)
}

fn required<'a>(args: &'a [String], name: &str) -> Result<&'a str, String> {
    option(args, name).ok_or_else(|| format!("{name} is missing"))
}

fn number(args: &[String], name: &str) -> Result<usize, String> {
    required(args, name)?
        .parse()
        .map_err(|err| format!("{name}: {err}"))
}

async fn standin(args: &[String]) -> Result<ExitCode, String> {
    let path = required(args, "--log")?;
    let log = std::fs::File::create(path).map_err(|err| format!("{path}: {err}"))?;
    let log = Mutex::new(log);
    let server = MockServer::builder().start().await;
    Mock::given(any())
        .respond_with(move |request: &Request| {
            let micros = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default()
                .as_micros();
            let param = |name: &str| {
                request
                    .url
                    .query_pairs()
                    .find(|(key, _)| key == name)
                    .map(|(_, value)| value.into_owned())
                    .unwrap_or_else(|| "-".into())
            };
            let line = format!("{micros} {} {}\n", param("Action"), param("GroupId"));
            if let Ok(mut log) = log.lock() {
                let _ = log.write_all(line.as_bytes());
            }
            ResponseTemplate::new(200).set_body_json(
                json!({"Code": 0, "Message": "success", "RequestId": micros.to_string()}),
            )
        })
        .mount(&server)
        .await;
    println!("{}", server.uri());
    std::future::pending::<()>().await;
    Ok(ExitCode::SUCCESS)
}

async fn caller(args: &[String]) -> Result<ExitCode, String> {
    let base_url = required(args, "--base-url")?;
    let calls = number(args, "--calls")?;
    let backend = if args.iter().any(|arg| arg == "--local") {
        RateLimitBackend::Local
    } else {
        let shared = RedisRateLimit::from_env()
            .ok_or("ZIM_REDIS_URL is not set")?
            // Fail rather than fall back: the check is about the shared limit.
            .when_redis_fails(zim_client::WhenRedisFails::FailTheCall);
        RateLimitBackend::Redis(shared)
    };
    let client = Client::builder(APP_ID, SECRET)
        .base_url(base_url)
        .rate_limit_backend(backend)
        .build()
        .map_err(|err| err.to_string())?;
    let results: Vec<Result<(), Error>> = match required(args, "--action")? {
        "app" => {
            let calls = (0..calls).map(|i| {
                let client = client.clone();
                async move {
                    let request = QueryUserOnlineStateRequest::new(vec![format!("user-{i}")]);
                    client.query_user_online_state(&request).await.map(drop)
                }
            });
            futures_util::future::join_all(calls).await
        }
        "group" => {
            let groups = required(args, "--groups")?.split(',');
            let calls = groups.flat_map(|group| {
                let client = client.clone();
                (0..calls).map(move |_| {
                    let client = client.clone();
                    async move {
                        let request = DismissGroupRequest::new("owner", group);
                        client.dismiss_group(&request).await.map(drop)
                    }
                })
            });
            futures_util::future::join_all(calls).await
        }
        other => return Err(format!("--action {other}: app or group")),
    };
    let ok = results.iter().filter(|result| result.is_ok()).count();
    for err in results.iter().filter_map(|result| result.as_ref().err()) {
        eprintln!("call failed: {err}");
    }
    println!("ok {ok} of {}", results.len());
    Ok(if ok == results.len() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The most of `times` (sorted, microseconds) within any one-second window `[t, t + 1 s)`.
fn max_in_one_second(times: &[u128]) -> usize {
    let mut most = 0;
    let mut first = 0;
    for (last, at) in times.iter().enumerate() {
        while at - times[first] >= 1_000_000 {
            first += 1;
        }
        most = most.max(last - first + 1);
    }
    most
}

fn report(args: &[String]) -> Result<ExitCode, String> {
    let path = required(args, "--log")?;
    let limit = number(args, "--limit")?;
    let ok = number(args, "--ok")?;
    let calls = number(args, "--calls")?;
    let text = std::fs::read_to_string(path).map_err(|err| format!("{path}: {err}"))?;
    let mut all = Vec::new();
    let mut by_group: BTreeMap<String, Vec<u128>> = BTreeMap::new();
    for line in text.lines() {
        let mut fields = line.split(' ');
        let (Some(micros), Some(_action), Some(group)) =
            (fields.next(), fields.next(), fields.next())
        else {
            return Err(format!("{path}: bad line {line:?}"));
        };
        let micros: u128 = micros.parse().map_err(|err| format!("{line:?}: {err}"))?;
        all.push(micros);
        by_group.entry(group.to_owned()).or_default().push(micros);
    }
    all.sort_unstable();
    let span = match (all.first(), all.last()) {
        (Some(first), Some(last)) => Duration::from_micros((last - first) as u64),
        _ => Duration::ZERO,
    };
    println!(
        "{} calls arrived over {:.2} s",
        all.len(),
        span.as_secs_f64()
    );
    let mut worst = 0;
    let grouped = by_group.len() > 1 || !by_group.contains_key("-");
    if grouped {
        for (group, times) in &mut by_group {
            times.sort_unstable();
            let most = max_in_one_second(times);
            worst = worst.max(most);
            println!(
                "group {group}: max calls in any 1 s window: {most} (limit {limit}); calls: {}",
                times.len()
            );
        }
        println!(
            "all groups together: max calls in any 1 s window: {}",
            max_in_one_second(&all)
        );
    } else {
        worst = max_in_one_second(&all);
    }
    let held = worst <= limit && ok == calls && all.len() == calls;
    let what = if grouped { " per group" } else { "" };
    println!(
        "max calls in any 1 s window{what}: {worst} (limit {limit}); ok calls: {ok} of {calls}"
    );
    Ok(if held {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
