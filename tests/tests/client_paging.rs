//! End-to-end tests of pagination in every style the API uses.

mod client_support;

use std::pin::pin;

use client_support::*;
use futures_util::StreamExt as _;
use serde_json::json;
use zim_client::Error;

#[tokio::test]
async fn numeric_next() {
    // GET; `Next` starts at 0 and the last page answers `Next: 0`.
    let server = Server::start(|seen, _| {
        let page = match seen.param("Next").as_deref() {
            Some("0") => json!({"Next": 17, "List": ["a", "b"]}),
            Some("17") => json!({"Next": "42", "List": ["c"]}),
            Some("42") => json!({"Next": 0, "List": ["d"]}),
            other => panic!("cursor {other:?}"),
        };
        envelope(0, page)
    })
    .await;
    let client = server.client().build().unwrap();
    let request = NumericNext { limit: 2, next: 0 };
    let items: Vec<String> = client.items(request).map(Result::unwrap).collect().await;
    assert_eq!(items, ["a", "b", "c", "d"]);
    let seen = server.checked();
    assert_eq!(seen.len(), 3);
    assert!(
        seen.iter()
            .all(|s| s.method == "GET" && s.query("Limit") == Some("2"))
    );
}

#[tokio::test]
async fn string_next_and_next_rsp() {
    // `Next` starts empty, then carries `NextRsp`; `NextRsp: "0"` ends.
    let server = Server::start(|seen, _| {
        let page = match seen.param("Next").as_deref() {
            Some("") => json!({"NextRsp": "p2", "GroupInfoList": ["g1"]}),
            Some("p2") => json!({"NextRsp": "p3", "GroupInfoList": []}),
            Some("p3") => json!({"NextRsp": "0", "GroupInfoList": ["g2", "g3"]}),
            other => panic!("cursor {other:?}"),
        };
        envelope(0, page)
    })
    .await;
    let client = server.client().build().unwrap();
    let request = StringNext {
        limit: 10,
        next: String::new(),
    };
    let pages: Vec<_> = client.pages(request.clone()).collect().await;
    assert_eq!(pages.len(), 3);
    assert!(pages.iter().all(Result::is_ok));
    let items: Vec<String> = client.items(request).map(Result::unwrap).collect().await;
    assert_eq!(items, ["g1", "g2", "g3"]);
    assert_eq!(server.checked().len(), 6);
}

#[tokio::test]
async fn next_flag() {
    // `NextFlag` starts empty; the last page answers an empty flag (or "0").
    let server = Server::start(|seen, _| {
        let page = match seen.param("NextFlag").as_deref() {
            Some("") => json!({"NextFlag": "x1", "UserList": ["u1"]}),
            Some("x1") => json!({"NextFlag": "x2", "UserList": ["u2"]}),
            Some("x2") => json!({"NextFlag": "", "UserList": ["u3"]}),
            other => panic!("cursor {other:?}"),
        };
        envelope(0, page)
    })
    .await;
    let client = server.client().build().unwrap();
    let items: Vec<String> = client
        .items(NextFlagStyle::default())
        .map(Result::unwrap)
        .collect()
        .await;
    assert_eq!(items, ["u1", "u2", "u3"]);
}

#[tokio::test]
async fn start_flag_and_fetch_end() {
    // `StartFlag` starts at 0, then carries `NextFlag`; `FetchEnd: 1` ends.
    let server = Server::start(|seen, _| {
        let page = match seen.param("StartFlag").as_deref() {
            Some("0") => json!({"NextFlag": 100, "FetchEnd": 0, "List": [9007199254740993_u64]}),
            Some("100") => json!({"NextFlag": "200", "FetchEnd": "0", "List": ["2"]}),
            Some("200") => json!({"NextFlag": 0, "FetchEnd": 1, "List": [3]}),
            other => panic!("cursor {other:?}"),
        };
        envelope(0, page)
    })
    .await;
    let client = server.client().build().unwrap();
    let items: Vec<i64> = client
        .items(StartFlagStyle::default())
        .map(Result::unwrap)
        .collect()
        .await;
    assert_eq!(items, [9_007_199_254_740_993, 2, 3]);
    assert_eq!(server.checked().len(), 3);
}

#[tokio::test]
async fn repeated_cursor_is_an_error_not_a_loop() {
    let server = Server::start(|seen, _| {
        let page = match seen.param("Next").as_deref() {
            Some("") => json!({"NextRsp": "a", "GroupInfoList": ["g1"]}),
            Some("a") => json!({"NextRsp": "b", "GroupInfoList": ["g2"]}),
            // Back to a cursor already followed.
            _ => json!({"NextRsp": "a", "GroupInfoList": ["g3"]}),
        };
        envelope(0, page)
    })
    .await;
    let client = server.client().build().unwrap();
    let mut pages = pin!(client.pages(StringNext::default()));
    let mut ok = 0;
    let mut errors = Vec::new();
    while let Some(page) = pages.next().await {
        match page {
            Ok(_) => ok += 1,
            Err(err) => errors.push(err),
        }
    }
    assert_eq!(ok, 3);
    assert_eq!(errors.len(), 1);
    assert!(
        matches!(
            &errors[0],
            Error::Pagination {
                action: "StringNext",
                ..
            }
        ),
        "{:?}",
        errors[0]
    );
    assert!(errors[0].to_string().contains("StringNext"));
    assert_eq!(server.checked().len(), 3);
}

#[tokio::test]
async fn errors_are_yielded_then_the_stream_ends() {
    let server = Server::start(|seen, _| match seen.param("Next").as_deref() {
        Some("") => envelope(0, json!({"NextRsp": "a", "GroupInfoList": ["g1", "g2"]})),
        _ => envelope(2, json!({})),
    })
    .await;
    let client = server.client().build().unwrap();
    let items: Vec<_> = client.items(StringNext::default()).collect().await;
    assert_eq!(items.len(), 3);
    assert_eq!(items[0].as_ref().unwrap(), "g1");
    assert_eq!(items[1].as_ref().unwrap(), "g2");
    assert_eq!(items[2].as_ref().unwrap_err().code(), Some(2));
}
