//! End-to-end tests of the client against a local server that checks every request.

mod client_support;

use std::io::{Read as _, Write as _};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use client_support::*;
use serde_json::json;
use wiremock::ResponseTemplate;
use zim_client::runtime::error::{EXCERPT_MAX, MESSAGE_MAX, REASON_MAX, REQUEST_ID_MAX};
use zim_client::{Client, Error, RetryPolicy};

#[tokio::test]
async fn post_success_signs_and_sends_a_json_body() {
    let server =
        Server::start(|_, _| envelope(0, json!({"Total": "18446744073709551615", "Name": 7})))
            .await;
    let client = server.client().build().unwrap();
    let response = client.execute(&PostEcho(Echo::sample())).await.unwrap();
    assert_eq!(response.total, u64::MAX);
    assert_eq!(response.name, "7");

    let seen = server.checked();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].method, "POST");
    assert_eq!(seen[0].query("Action"), Some("PostEcho"));
    assert_eq!(
        seen[0].body,
        Some(json!({"FromUserId": "u 1&é", "Limit": 10, "UserId": ["a", "b"], "IsAllMuted": true}))
    );
}

#[tokio::test]
async fn get_puts_everything_in_the_query() {
    let server = Server::start(|_, _| envelope(0, json!({"Total": 3}))).await;
    let client = server.client().build().unwrap();
    let mut echo = Echo::sample();
    echo.note = Some(String::new());
    client.execute(&GetEcho(echo)).await.unwrap();
    let mut echo = Echo::sample();
    echo.muted = false;
    client.execute(&GetEcho(echo)).await.unwrap();

    let seen = server.checked();
    assert_eq!(seen[0].method, "GET");
    assert_eq!(seen[0].query("FromUserId"), Some("u 1&é"));
    assert_eq!(seen[0].query_all("UserId[]"), ["a", "b"]);
    assert!(
        seen[0].raw_query.contains("&UserId[]=a&UserId[]=b"),
        "{}",
        seen[0].raw_query
    );
    assert_eq!(seen[0].query("IsAllMuted"), Some("true"));
    // An empty optional value is sent as empty; an unset one not at all.
    assert_eq!(seen[0].query("Note"), Some(""));
    assert_eq!(seen[1].query("IsAllMuted"), Some("false"));
    assert_eq!(seen[1].query("Note"), None);
}

#[tokio::test]
async fn service_host_actions_go_to_the_custom_base_and_unwrap_data() {
    let server =
        Server::start(|_, _| envelope(0, json!({"Total": 1, "Data": {"Total": 9, "Name": "x"}})))
            .await;
    let client = server.client().build().unwrap();
    let response = client.execute(&ServiceEcho(Echo::sample())).await.unwrap();
    assert_eq!(
        response,
        EchoResponse {
            total: 9,
            name: "x".into()
        }
    );
    assert_eq!(server.checked()[0].query("Action"), Some("ServiceEcho"));
}

#[tokio::test]
async fn api_error_is_matched_by_code() {
    let server = Server::start(|_, _| envelope(2, json!({}))).await;
    let client = server.client().build().unwrap();
    let err = client.execute(&PostEcho(Echo::sample())).await.unwrap_err();
    match &err {
        Error::Api(api) => {
            assert_eq!(api.code, 2);
            assert_eq!(api.action, "PostEcho");
            assert_eq!(api.request_id, "343649807833778782");
            assert_eq!(api.code_name(), Some("InvalidInput"));
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(!err.is_retryable());
    let text = err.to_string();
    assert!(
        text.contains("PostEcho") && text.contains("InvalidInput"),
        "{text}"
    );
    assert_eq!(
        server.checked().len(),
        1,
        "a non-retryable code is not retried"
    );
}

#[tokio::test]
async fn server_error_5xx_is_a_decode_error_with_status() {
    let server =
        Server::start(|_, _| ResponseTemplate::new(503).set_body_string("upstream down")).await;
    let client = server
        .client()
        .retry_policy(fast_retries(3))
        .build()
        .unwrap();
    let err = client.execute(&PostEcho(Echo::sample())).await.unwrap_err();
    match &err {
        Error::Decode {
            status, excerpt, ..
        } => {
            assert_eq!(*status, 503);
            assert_eq!(excerpt, "upstream down");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(err.is_retryable());
    assert_eq!(
        server.checked().len(),
        3,
        "5xx is retried on a retry-safe action"
    );

    let err = client
        .execute(&UnsafeEcho(Echo::sample()))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { status: 503, .. }));
    assert_eq!(server.checked().len(), 4, "but not on an unsafe one");
}

#[tokio::test]
async fn malformed_json_is_a_decode_error() {
    let server = Server::start(|_, _| {
        ResponseTemplate::new(200).set_body_string(r#"{"Code": 0, "Total": 1,}"#)
    })
    .await;
    let client = server.client().build().unwrap();
    let err = client.execute(&PostEcho(Echo::sample())).await.unwrap_err();
    match &err {
        Error::Decode {
            status,
            excerpt,
            reason,
            action,
        } => {
            assert_eq!(*status, 200);
            assert_eq!(*action, "PostEcho");
            assert!(excerpt.contains("\"Total\": 1,"), "{excerpt}");
            assert!(!reason.is_empty());
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(!err.is_retryable());
    assert_eq!(server.checked().len(), 1);
}

#[tokio::test]
async fn wrong_field_types_and_long_bodies_are_decode_errors() {
    let long = format!(
        r#"{{"Code": 0, "Total": "not a number", "Pad": "{}"}}"#,
        "é".repeat(2000)
    );
    let server =
        Server::start(move |_, _| ResponseTemplate::new(200).set_body_string(long.clone())).await;
    let client = server.client().build().unwrap();
    let err = client.execute(&PostEcho(Echo::sample())).await.unwrap_err();
    match &err {
        Error::Decode { excerpt, .. } => {
            assert!(
                excerpt.len() <= EXCERPT_MAX + MARKER_MAX,
                "{}",
                excerpt.len()
            );
            assert!(excerpt.ends_with(" more bytes]"), "{excerpt}");
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn empty_body_is_a_decode_error() {
    let server = Server::start(|_, _| ResponseTemplate::new(200)).await;
    let client = server.client().build().unwrap();
    let err = client.execute(&PostEcho(Echo::sample())).await.unwrap_err();
    assert!(
        matches!(&err, Error::Decode { status: 200, excerpt, .. } if excerpt.is_empty()),
        "{err:?}"
    );
}

#[tokio::test]
async fn slow_server_times_out() {
    let server =
        Server::start(|_, _| envelope(0, json!({})).set_delay(Duration::from_secs(5))).await;
    let client = server
        .client()
        .timeout(Duration::from_millis(150))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = client.execute(&PostEcho(Echo::sample())).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                action: "PostEcho",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_retryable());
    let text = err.to_string();
    assert!(
        text.contains("PostEcho") && text.contains("timed out"),
        "{text}"
    );
}

#[tokio::test]
async fn rate_limit_codes_are_retried_with_fresh_signatures() {
    let server = Server::start(|_, index| match index {
        0 => envelope(7, json!({})),
        1 => envelope(660_300_005, json!({})),
        2 => envelope(1, json!({})),
        3 => envelope(660_600_010, json!({})),
        _ => envelope(0, json!({"Total": 5})),
    })
    .await;
    let client = server
        .client()
        .retry_policy(fast_retries(5))
        .build()
        .unwrap();
    // Not retry-safe: return codes are retried anyway, since the server did nothing.
    let response = client.execute(&UnsafeEcho(Echo::sample())).await.unwrap();
    assert_eq!(response.total, 5);
    let seen = server.checked();
    assert_eq!(seen.len(), 5);
    let mut nonces: Vec<_> = seen
        .iter()
        .map(|s| s.query("SignatureNonce").unwrap())
        .collect();
    nonces.sort_unstable();
    nonces.dedup();
    assert_eq!(nonces.len(), 5, "every attempt has its own nonce");
}

#[tokio::test]
async fn retries_are_exhausted() {
    let server = Server::start(|_, _| envelope(660_300_005, json!({}))).await;
    let client = server
        .client()
        .retry_policy(fast_retries(3))
        .build()
        .unwrap();
    let err = client.execute(&PostEcho(Echo::sample())).await.unwrap_err();
    assert_eq!(err.code(), Some(660_300_005));
    assert!(err.is_retryable());
    assert_eq!(server.checked().len(), 3);

    let client = server
        .client()
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    client.execute(&PostEcho(Echo::sample())).await.unwrap_err();
    assert_eq!(server.checked().len(), 4);
}

/// A server that accepts connections and closes them at once, counting them.
fn slamming_server() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&accepted);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            counter.fetch_add(1, Ordering::SeqCst);
            drop(stream);
        }
    });
    (url, accepted)
}

#[tokio::test]
async fn transport_failure_is_not_retried_on_an_unsafe_action() {
    let (url, accepted) = slamming_server();
    let client = Client::builder(APP_ID, SECRET)
        .base_url(&url)
        .retry_policy(fast_retries(4))
        .build()
        .unwrap();
    let err = client
        .execute(&UnsafeEcho(Echo::sample()))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                action: "UnsafeEcho",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(accepted.load(Ordering::SeqCst), 1, "exactly one attempt");

    let err = client.execute(&PostEcho(Echo::sample())).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(
        accepted.load(Ordering::SeqCst),
        5,
        "a retry-safe action is retried"
    );
}

#[tokio::test]
async fn burst_is_held_to_the_actions_qps() {
    let server = Server::start(|_, _| envelope(0, json!({}))).await;
    let client = server.client().build().unwrap();
    // Open the connection first, so connection setup does not skew the first gap.
    client.execute(&PostEcho(Echo::sample())).await.unwrap();
    let calls = (0..6).map(|_| {
        let client = client.clone();
        async move { client.execute(&SlowEcho(Echo::sample())).await }
    });
    for result in futures_util::future::join_all(calls).await {
        result.unwrap();
    }
    let seen = server.checked();
    assert_eq!(seen.len(), 7);
    let mut times: Vec<_> = seen[1..].iter().map(|s| s.at).collect();
    times.sort();
    // QPS 5: calls are released one every 200 ms, so the server never sees six within a
    // second. The margins allow for scheduling jitter on a busy machine.
    for pair in times.windows(2) {
        let gap = pair[1] - pair[0];
        assert!(gap >= Duration::from_millis(120), "gap of {gap:?}");
    }
    let span = times[5] - times[0];
    assert!(span >= Duration::from_millis(900), "span of {span:?}");
}

#[tokio::test]
async fn rate_limiting_can_be_turned_off() {
    let server = Server::start(|_, _| envelope(0, json!({}))).await;
    let client = server.client().rate_limiting(false).build().unwrap();
    for _ in 0..11 {
        client.execute(&SlowEcho(Echo::sample())).await.unwrap();
    }
    let seen = server.checked();
    // Limited to 5 a second these would span at least two seconds.
    assert!(seen[10].at - seen[0].at < Duration::from_secs(2));
}

#[tokio::test]
async fn invalid_requests_are_not_sent_unless_validation_is_off() {
    let server = Server::start(|_, _| envelope(0, json!({}))).await;
    let client = server.client().build().unwrap();
    let mut echo = Echo::sample();
    echo.limit = 1000;
    echo.user_ids = vec!["x".into(); 6];
    let err = client.execute(&PostEcho(echo.clone())).await.unwrap_err();
    match &err {
        Error::InvalidRequest { action, violations } => {
            assert_eq!(*action, "PostEcho");
            assert_eq!(violations.len(), 2, "{violations}");
            assert!(violations.iter().all(|v| is_max_rule(&v.rule)));
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(server.seen().is_empty(), "nothing was sent");

    let client = server.client().validation(false).build().unwrap();
    client.execute(&PostEcho(echo)).await.unwrap();
    assert_eq!(server.checked().len(), 1);
}

#[tokio::test]
async fn secret_never_appears_in_debug_or_errors() {
    let server = Server::start(|_, index| match index {
        0 => envelope(2, json!({"Message": "bad"})),
        1 => ResponseTemplate::new(500).set_body_string("boom"),
        _ => envelope(0, json!({})).set_delay(Duration::from_secs(5)),
    })
    .await;
    let builder = server
        .client()
        .retry_policy(RetryPolicy::none())
        .timeout(Duration::from_millis(150));
    let client = builder.clone().build().unwrap();
    let mut texts = vec![
        format!("{builder:?}"),
        format!("{client:?}"),
        format!("{client:#?}"),
    ];
    let mut invalid = Echo::sample();
    invalid.limit = 0;
    let mut errors = vec![client.execute(&PostEcho(invalid)).await.unwrap_err()];
    for _ in 0..3 {
        errors.push(client.execute(&PostEcho(Echo::sample())).await.unwrap_err());
    }
    let (url, _) = slamming_server();
    let broken = Client::builder(APP_ID, SECRET)
        .base_url(url)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    errors.push(broken.execute(&PostEcho(Echo::sample())).await.unwrap_err());
    let kinds: Vec<_> = errors
        .iter()
        .map(|e| match e {
            Error::InvalidRequest { .. } => "invalid",
            Error::Api(_) => "api",
            Error::Decode { .. } => "decode",
            Error::Timeout { .. } => "timeout",
            Error::Transport { .. } => "transport",
            _ => "other",
        })
        .collect();
    assert_eq!(kinds, ["invalid", "api", "decode", "timeout", "transport"]);
    for err in &errors {
        texts.push(err.to_string());
        texts.push(format!("{err:?}"));
        texts.push(format!("{err:#?}"));
        let mut source = std::error::Error::source(err);
        while let Some(inner) = source {
            texts.push(inner.to_string());
            texts.push(format!("{inner:?}"));
            source = inner.source();
        }
    }
    for text in &texts {
        assert!(!text.contains(SECRET), "secret leaked: {text}");
    }
    assert!(texts[0].contains("<redacted>"));
    assert!(texts[1].contains("<redacted>"));
}

#[tokio::test]
async fn bad_base_urls_are_refused() {
    for url in ["not a url", "ftp://127.0.0.1", "http://127.0.0.1/?a=b"] {
        let err = Client::builder(APP_ID, SECRET)
            .base_url(url)
            .build()
            .unwrap_err();
        assert!(!err.to_string().contains(SECRET));
    }
}

#[test]
fn prepare_validates_encodes_and_signs_without_sending() {
    let client = Client::builder(APP_ID, SECRET)
        .base_url("http://127.0.0.1:9")
        .build()
        .unwrap();
    let prepared = client.prepare(&GetEcho(Echo::sample())).unwrap();
    assert_eq!(prepared.method, zim_client::Method::Get);
    assert!(prepared.body.is_none());
    let (base, query) = prepared.url.split_once('?').unwrap();
    assert_eq!(base, "http://127.0.0.1:9/");
    let pairs: Vec<(&str, &str)> = query
        .split('&')
        .map(|pair| pair.split_once('=').unwrap())
        .collect();
    let get = |name| pairs.iter().find(|(k, _)| *k == name).unwrap().1;
    assert_eq!(pairs[0], ("Action", "GetEcho"));
    assert_eq!(
        get("Signature"),
        server_signature(
            get("AppId"),
            get("SignatureNonce"),
            SECRET,
            get("Timestamp")
        )
    );
    assert_eq!(get("FromUserId"), "u%201%26%C3%A9");

    let prepared = client.prepare(&PostEcho(Echo::sample())).unwrap();
    let body: serde_json::Value = serde_json::from_slice(&prepared.body.unwrap()).unwrap();
    assert_eq!(body["Limit"], 10);
    assert!(!prepared.url.contains("Limit"));

    let mut invalid = Echo::sample();
    invalid.limit = 0;
    assert!(matches!(
        client.prepare(&PostEcho(invalid)),
        Err(Error::InvalidRequest { .. })
    ));
}

/// A GET action with a field named like a public parameter.
#[derive(serde::Serialize)]
struct Clash {
    #[serde(rename = "Timestamp")]
    timestamp: i64,
}

impl zim_client::Validate for Clash {
    fn validate_into(&self, _: &mut zim_client::Validator) {}
}

impl zim_client::Action for Clash {
    type Response = EchoResponse;
    const META: zim_client::ActionMeta = meta("Clash", zim_client::Method::Get, true, 1000);
    fn code_info(code: i64) -> Option<&'static zim_client::CodeInfo> {
        code_info(code)
    }
}

#[test]
fn get_fields_cannot_shadow_public_parameters() {
    let client = Client::builder(APP_ID, SECRET).build().unwrap();
    let err = client.prepare(&Clash { timestamp: 1 }).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Encode {
                action: "Clash",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("Timestamp"));
}

#[tokio::test]
async fn caller_supplied_http_client_is_used() {
    let server = Server::start(|seen, _| {
        let agent = seen.query("Action").unwrap_or_default().to_owned();
        envelope(0, json!({ "Name": agent }))
    })
    .await;
    let http = zim_client::reqwest::Client::builder()
        .user_agent("caller-agent")
        .build()
        .unwrap();
    let client = server.client().http_client(http).build().unwrap();
    let response = client.execute(&PostEcho(Echo::sample())).await.unwrap();
    assert_eq!(response.name, "PostEcho");
    let agents = server.user_agents();
    assert_eq!(agents, ["caller-agent"]);
}

#[tokio::test]
async fn api_error_wins_over_undecodable_fields() {
    let server =
        Server::start(|_, _| envelope(2, json!({"Total": "many", "Name": {"x": 1}}))).await;
    let client = server.client().build().unwrap();
    let err = client.execute(&PostEcho(Echo::sample())).await.unwrap_err();
    assert_eq!(err.code(), Some(2), "{err:?}");
}

// ----- redirects -----

/// A server that redirects every request with `status` to `target`, under a path and query
/// that must not show in errors.
async fn redirecting_server(status: u16, target: &Server) -> Server {
    let location = format!("{}/stolen?Signature=leak", target.mock.uri());
    Server::start(move |_, _| ResponseTemplate::new(status).insert_header("Location", &location))
        .await
}

#[tokio::test]
async fn redirects_are_refused_and_the_target_sees_nothing() {
    let target = Server::start(|_, _| envelope(0, json!({"Total": 1}))).await;
    for status in [301, 302, 303, 307, 308] {
        let server = redirecting_server(status, &target).await;
        let client = server.client().build().unwrap();
        // Retry-safe, so a retried redirect would show as a second request.
        let err = client.execute(&PostEcho(Echo::sample())).await.unwrap_err();
        match &err {
            Error::Redirect {
                action,
                status: seen,
                target: to,
            } => {
                assert_eq!(*action, "PostEcho");
                assert_eq!(*seen, Some(status));
                assert_eq!(to.as_deref(), Some(target.mock.uri().as_str()));
            }
            other => panic!("HTTP {status}: unexpected {other:?}"),
        }
        let text = err.to_string();
        assert!(text.contains(&status.to_string()), "{text}");
        assert!(text.contains(&target.mock.uri()), "{text}");
        assert!(!text.contains("stolen") && !text.contains("leak"), "{text}");
        assert!(!err.is_retryable());
        assert_eq!(server.checked().len(), 1, "HTTP {status} is not retried");
        let get = client.execute(&GetEcho(Echo::sample())).await.unwrap_err();
        assert!(matches!(get, Error::Redirect { .. }), "{get:?}");
    }
    assert!(
        target.seen().is_empty(),
        "the redirect target saw a request"
    );
}

#[tokio::test]
async fn a_redirect_without_location_is_refused() {
    let server = Server::start(|_, _| ResponseTemplate::new(302)).await;
    let client = server.client().build().unwrap();
    let err = client.execute(&PostEcho(Echo::sample())).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Redirect {
                status: Some(302),
                target: None,
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_caller_supplied_client_that_follows_redirects_is_caught() {
    let target = Server::start(|_, _| envelope(0, json!({"Total": 1}))).await;
    for status in [301, 302, 303, 307, 308] {
        let server = redirecting_server(status, &target).await;
        // reqwest's default policy follows up to ten redirects.
        let following = zim_client::reqwest::Client::new();
        let client = server.client().http_client(following).build().unwrap();
        let err = client.execute(&PostEcho(Echo::sample())).await.unwrap_err();
        match &err {
            Error::Redirect {
                status: None,
                target: to,
                ..
            } => assert_eq!(to.as_deref(), Some(target.mock.uri().as_str())),
            other => panic!("HTTP {status}: unexpected {other:?}"),
        }
        let text = err.to_string();
        assert!(text.contains(&target.mock.uri()), "{text}");
        assert!(text.contains("Policy::none()"), "{text}");
        assert!(!text.contains("leak"), "{text}");
        assert_eq!(server.checked().len(), 1, "HTTP {status} is not retried");
    }
    // That client did follow: the target's success was seen and refused, not returned.
    assert_eq!(target.seen().len(), 5);

    // Built as the builder's docs advise, it never reaches the target.
    let quiet = Server::start(|_, _| envelope(0, json!({}))).await;
    let server = redirecting_server(307, &quiet).await;
    let http = zim_client::reqwest::Client::builder()
        .redirect(zim_client::reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let client = server.client().http_client(http).build().unwrap();
    let err = client.execute(&PostEcho(Echo::sample())).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Redirect {
                status: Some(307),
                ..
            }
        ),
        "{err:?}"
    );
    assert!(quiet.seen().is_empty());
}

#[tokio::test]
async fn a_caller_supplied_client_at_its_redirect_limit_is_a_redirect_error() {
    let target = Server::start(|_, _| envelope(0, json!({}))).await;
    let server = redirecting_server(302, &target).await;
    let http = zim_client::reqwest::Client::builder()
        .redirect(zim_client::reqwest::redirect::Policy::limited(0))
        .build()
        .unwrap();
    let client = server.client().http_client(http).build().unwrap();
    let err = client.execute(&PostEcho(Echo::sample())).await.unwrap_err();
    assert!(matches!(err, Error::Redirect { .. }), "{err:?}");
    assert!(!err.to_string().contains("leak"), "{err}");
    assert!(target.seen().is_empty());
}

// ----- response size -----

#[tokio::test]
async fn an_endless_body_stops_at_the_limit_and_is_not_retried() {
    let server = RawServer::start(write_endless_body);
    let limit = 256 * 1024;
    let client = server.client().max_response_body(limit).build().unwrap();
    // Retry-safe: a retried oversize body would show as more requests.
    let err = client.execute(&PostEcho(Echo::sample())).await.unwrap_err();
    match &err {
        Error::BodyTooLarge {
            action,
            status,
            limit: seen_limit,
            content_length,
            read,
        } => {
            assert_eq!(*action, "PostEcho");
            assert_eq!(*status, 200);
            assert_eq!(*seen_limit, limit);
            assert_eq!(*content_length, None);
            let read = read.expect("reading started");
            assert!(read > limit, "{read}");
            // Stopped at the first chunk past the limit (chunks here are 64 KiB).
            assert!(read <= limit + 64 * 1024 + 64, "{read}");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(!err.is_retryable());
    assert!(err.to_string().contains(&limit.to_string()), "{err}");
    assert_eq!(server.requests(), 1, "not retried");
}

#[tokio::test]
async fn the_default_limit_stops_an_endless_body() {
    let server = RawServer::start(write_endless_body);
    let client = server.client().build().unwrap();
    let err = client.execute(&GetEcho(Echo::sample())).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::BodyTooLarge {
                limit: zim_client::runtime::body::DEFAULT_MAX_RESPONSE_BODY,
                read: Some(_),
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn a_too_large_content_length_is_refused_before_reading() {
    // Declares 2 GiB, sends a few bytes and keeps the connection open.
    let server = RawServer::start(|stream| {
        write_head(stream, "Content-Length: 2147483648\r\n");
        let _ = stream.write_all(br#"{"Code":0,"#);
        let mut rest = [0u8; 1];
        let _ = stream.read(&mut rest);
    });
    let client = server.client().build().unwrap();
    let err = client.execute(&PostEcho(Echo::sample())).await.unwrap_err();
    match &err {
        Error::BodyTooLarge {
            content_length,
            read,
            ..
        } => {
            assert_eq!(*content_length, Some(2_147_483_648));
            assert_eq!(*read, None, "nothing was read");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(err.to_string().contains("2147483648"), "{err}");
    assert!(!err.is_retryable());
    assert_eq!(server.requests(), 1, "not retried");
}

#[tokio::test]
async fn bodies_up_to_the_limit_are_read_whole() {
    let body = format!(r#"{{"Code":0,"Total":3,"Name":"{}"}}"#, "n".repeat(1000));
    let length = body.len();
    let chunked = body.clone();
    let server = RawServer::start(move |stream| {
        write_head(stream, &format!("Content-Length: {length}\r\n"));
        let _ = stream.write_all(body.as_bytes());
    });
    let client = server.client().max_response_body(length).build().unwrap();
    let response = client.execute(&PostEcho(Echo::sample())).await.unwrap();
    assert_eq!((response.total, response.name.len()), (3, 1000));
    let client = server
        .client()
        .max_response_body(length - 1)
        .build()
        .unwrap();
    let err = client.execute(&PostEcho(Echo::sample())).await.unwrap_err();
    assert!(
        matches!(err, Error::BodyTooLarge { read: None, .. }),
        "{err:?}"
    );

    // The same body in many small chunks, without a Content-Length.
    let server = RawServer::start(move |stream| {
        write_head(stream, "Transfer-Encoding: chunked\r\n");
        for piece in chunked.as_bytes().chunks(100) {
            let _ = write!(stream, "{:x}\r\n", piece.len());
            let _ = stream.write_all(piece);
            let _ = stream.write_all(b"\r\n");
        }
        let _ = stream.write_all(b"0\r\n\r\n");
    });
    let client = server.client().max_response_body(length).build().unwrap();
    let response = client.execute(&PostEcho(Echo::sample())).await.unwrap();
    assert_eq!(response.name.len(), 1000);
    let client = server
        .client()
        .max_response_body(length - 1)
        .build()
        .unwrap();
    let err = client.execute(&PostEcho(Echo::sample())).await.unwrap_err();
    assert!(
        matches!(err, Error::BodyTooLarge { read: Some(read), .. } if read > length - 1),
        "{err:?}"
    );
}

#[test]
fn a_zero_body_limit_is_refused() {
    let err = Client::builder(APP_ID, SECRET)
        .max_response_body(0)
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("max_response_body"), "{err}");
}

// ----- the return code -----

#[tokio::test]
async fn a_code_that_is_not_an_integer_is_a_decode_error_not_a_success() {
    for code in [
        r#""""#, r#"" ""#, "false", "true", r#""+0""#, r#""-0""#, "0.0", "-0", "null", "{}",
    ] {
        let body = format!(r#"{{"Code": {code}, "Message": "success", "Total": 5}}"#);
        let server =
            Server::start(move |_, _| ResponseTemplate::new(200).set_body_string(body.clone()))
                .await;
        let client = server.client().build().unwrap();
        // Retry-safe: `true` used to read as code 1 ("busy") and be retried.
        let err = client.execute(&PostEcho(Echo::sample())).await.unwrap_err();
        match &err {
            Error::Decode {
                action,
                status: 200,
                reason,
                ..
            } => {
                assert_eq!(*action, "PostEcho");
                assert!(reason.contains("`Code`"), "{code}: {reason}");
            }
            other => panic!("Code {code}: unexpected {other:?}"),
        }
        assert!(err.to_string().contains("PostEcho"), "{err}");
        assert!(!err.is_retryable());
        assert_eq!(server.checked().len(), 1, "Code {code} is not retried");
        // The same through the wrapped (two-pass) path.
        let err = client
            .execute(&ServiceEcho(Echo::sample()))
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::Decode { reason, .. } if reason.contains("`Code`")),
            "Code {code}: {err:?}"
        );
    }
}

#[tokio::test]
async fn a_missing_code_is_a_decode_error_naming_code() {
    let server =
        Server::start(|_, _| ResponseTemplate::new(200).set_body_json(json!({"Total": 5}))).await;
    let client = server.client().build().unwrap();
    let err = client.execute(&PostEcho(Echo::sample())).await.unwrap_err();
    assert!(
        matches!(&err, Error::Decode { action: "PostEcho", reason, .. } if reason.contains("`Code`")),
        "{err:?}"
    );
}

#[tokio::test]
async fn codes_as_decimal_text_are_codes() {
    let server = Server::start(|_, index| {
        let code = if index == 0 { "0" } else { "660300005" };
        ResponseTemplate::new(200).set_body_string(format!(r#"{{"Code": "{code}", "Total": "4"}}"#))
    })
    .await;
    let client = server
        .client()
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let response = client.execute(&PostEcho(Echo::sample())).await.unwrap();
    assert_eq!(response.total, 4);
    let err = client.execute(&PostEcho(Echo::sample())).await.unwrap_err();
    assert_eq!(err.code(), Some(660_300_005));
}

#[tokio::test]
async fn code_zero_under_a_failing_status_is_not_a_success() {
    let server = Server::start(|_, _| {
        ResponseTemplate::new(502).set_body_json(
            json!({"Code": 0, "Message": "bad gateway", "RequestId": "rid-502", "Total": 5}),
        )
    })
    .await;
    let client = server
        .client()
        .retry_policy(fast_retries(3))
        .build()
        .unwrap();
    let err = client.execute(&PostEcho(Echo::sample())).await.unwrap_err();
    match &err {
        Error::UnexpectedStatus {
            action,
            status,
            message,
            request_id,
        } => {
            assert_eq!(*action, "PostEcho");
            assert_eq!(*status, 502);
            assert_eq!(message, "bad gateway");
            assert_eq!(request_id, "rid-502");
        }
        other => panic!("unexpected {other:?}"),
    }
    let text = err.to_string();
    assert!(
        text.contains("502") && text.contains("`Code` 0") && text.contains("rid-502"),
        "{text}"
    );
    assert!(err.is_retryable());
    assert_eq!(
        server.checked().len(),
        3,
        "a 5xx is retried on a retry-safe action"
    );
    client
        .execute(&UnsafeEcho(Echo::sample()))
        .await
        .unwrap_err();
    assert_eq!(server.checked().len(), 4, "but not on an unsafe one");

    let server =
        Server::start(|_, _| ResponseTemplate::new(404).set_body_json(json!({"Code": 0}))).await;
    let client = server.client().build().unwrap();
    let err = client
        .execute(&ServiceEcho(Echo::sample()))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::UnexpectedStatus { status: 404, .. }),
        "{err:?}"
    );
    assert!(!err.is_retryable());
    assert_eq!(server.checked().len(), 1);
}

#[tokio::test]
async fn a_non_zero_code_under_a_failing_status_is_an_api_error() {
    let server = Server::start(|_, _| {
        ResponseTemplate::new(503).set_body_json(json!({"Code": 2, "Message": "bad input"}))
    })
    .await;
    let client = server.client().build().unwrap();
    let err = client.execute(&PostEcho(Echo::sample())).await.unwrap_err();
    assert_eq!(err.code(), Some(2), "{err:?}");
    assert_eq!(server.checked().len(), 1, "code 2 is not retried");
}

// ----- what errors say -----

/// The longest cut marker (`…[N more bytes]`) for any body the client accepts.
const MARKER_MAX: usize = 32;

#[tokio::test]
async fn server_texts_in_errors_are_bounded() {
    let huge = "é".repeat(5 << 20); // 10 MiB of text
    let long_id = "7".repeat(1 << 20);
    let body = json!({"Code": 2, "Message": huge, "RequestId": long_id}).to_string();
    let server =
        Server::start(move |_, _| ResponseTemplate::new(200).set_body_string(body.clone())).await;
    let client = server.client().build().unwrap();
    let err = client.execute(&PostEcho(Echo::sample())).await.unwrap_err();
    let Error::Api(api) = &err else {
        panic!("unexpected {err:?}")
    };
    assert!(
        api.message.len() <= MESSAGE_MAX + MARKER_MAX,
        "{}",
        api.message.len()
    );
    assert!(
        api.message
            .ends_with(&format!("…[{} more bytes]", (10 << 20) - MESSAGE_MAX))
    );
    assert!(api.request_id.len() <= REQUEST_ID_MAX + MARKER_MAX);
    assert!(
        api.request_id.ends_with(" more bytes]"),
        "{}",
        api.request_id
    );
    let text = err.to_string();
    assert!(text.len() < 2048, "{}", text.len());

    // A type mismatch quoting the huge value: reason and excerpt stay small.
    let huge = "x".repeat(10 << 20);
    let body = format!(r#"{{"Code": 0, "Total": "{huge}"}}"#);
    let server =
        Server::start(move |_, _| ResponseTemplate::new(200).set_body_string(body.clone())).await;
    let client = server.client().build().unwrap();
    let err = client.execute(&PostEcho(Echo::sample())).await.unwrap_err();
    let Error::Decode {
        reason, excerpt, ..
    } = &err
    else {
        panic!("unexpected {err:?}")
    };
    assert!(reason.len() <= REASON_MAX + MARKER_MAX, "{}", reason.len());
    assert!(reason.starts_with("at `Total`: "), "{reason}");
    assert!(reason.ends_with(" more bytes]"), "{reason}");
    assert!(
        excerpt.len() <= EXCERPT_MAX + MARKER_MAX,
        "{}",
        excerpt.len()
    );
    assert!(err.to_string().len() < 2048);

    // The same under a failing status with `Code` 0.
    let huge = "m".repeat(10 << 20);
    let body = json!({"Code": 0, "Message": huge, "RequestId": "r"}).to_string();
    let server =
        Server::start(move |_, _| ResponseTemplate::new(500).set_body_string(body.clone())).await;
    let client = server
        .client()
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = client.execute(&PostEcho(Echo::sample())).await.unwrap_err();
    assert!(
        matches!(&err, Error::UnexpectedStatus { message, .. } if message.len() <= MESSAGE_MAX + MARKER_MAX),
        "{:?}",
        err.to_string()
    );
    assert!(err.to_string().len() < 2048);
}

#[tokio::test]
async fn decode_errors_name_the_field_path() {
    let server = Server::start(|seen, _| {
        let body = match seen.query("Action") {
            Some("PostEcho") => json!({"Code": 0, "Total": {"n": 1}}),
            Some("ServiceEcho") => json!({"Code": 0, "Data": {"Total": [1], "Name": "x"}}),
            _ => json!({"Code": 0, "Next": 0, "List": ["a", {"b": 1}]}),
        };
        ResponseTemplate::new(200).set_body_json(body)
    })
    .await;
    let client = server.client().build().unwrap();
    let reason = |err: Error| match err {
        Error::Decode { reason, .. } => reason,
        other => panic!("unexpected {other:?}"),
    };
    let why = reason(client.execute(&PostEcho(Echo::sample())).await.unwrap_err());
    assert!(why.starts_with("at `Total`: invalid type: map"), "{why}");
    let why = reason(
        client
            .execute(&ServiceEcho(Echo::sample()))
            .await
            .unwrap_err(),
    );
    assert!(why.starts_with("at `Data.Total`: "), "{why}");
    let why = reason(client.execute(&NumericNext::default()).await.unwrap_err());
    assert!(why.starts_with("at `List[1]`: invalid type: map"), "{why}");
}

/// Every cause below the top of `err`'s chain, for the messages when an assertion fails.
fn chain(err: &Error) -> String {
    format!("{err} / {err:?}")
}

#[tokio::test]
async fn a_refused_connection_says_so() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let client = Client::builder(APP_ID, SECRET)
        .base_url(url)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = client.execute(&PostEcho(Echo::sample())).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("Connection refused"), "{}", chain(&err));
    assert!(text.starts_with("PostEcho: "), "{text}");
}

#[tokio::test]
async fn a_reset_connection_says_so() {
    // Reads part of the request and closes with the rest unread: the kernel answers with RST.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut first = [0u8; 1];
            let _ = stream.read(&mut first);
            drop(stream);
        }
    });
    let client = Client::builder(APP_ID, SECRET)
        .base_url(url)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = client.execute(&PostEcho(Echo::sample())).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("Connection reset by peer") || text.contains("connection closed"),
        "{}",
        chain(&err)
    );
}

#[tokio::test]
async fn an_incomplete_body_says_so() {
    let server = RawServer::start(|stream| {
        write_head(stream, "Content-Length: 100\r\n");
        let _ = stream.write_all(br#"{"Code":0,"#);
    });
    let client = server
        .client()
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = client.execute(&PostEcho(Echo::sample())).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("end of file before message length reached"),
        "{}",
        chain(&err)
    );
}

#[tokio::test]
async fn a_timeout_names_its_cause() {
    // Answers the head at once, then never sends the body.
    let server = RawServer::start(|stream| {
        write_head(stream, "Content-Length: 100\r\n");
        let mut rest = [0u8; 1];
        let _ = stream.read(&mut rest);
    });
    let client = server
        .client()
        .timeout(Duration::from_millis(100))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = client.execute(&PostEcho(Echo::sample())).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("operation timed out"), "{}", chain(&err));
}
