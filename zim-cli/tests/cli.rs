//! The `zim` binary against a local ZIM stand-in on 127.0.0.1: every action of the catalog,
//! GET and POST, paging, validation, API and transport failures, exit codes, and the secret
//! absent from every output (checked by `support::Zim::run` on each run).

mod support;

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::{Map, Value, json};
use support::{APP_ID, SECRET, Server, Zim, envelope};
use zim_client::generated::catalog::ACTIONS;
use zim_client::runtime::catalog::{FieldInfo, FieldKind};

/// A value of the field's type, with the required fields of nested objects.
fn sample(field: &FieldInfo) -> Value {
    let scalar = |kind: FieldKind| match kind {
        FieldKind::Text | FieldKind::TextList => json!("v1"),
        FieldKind::Integer | FieldKind::IntegerList => field
            .values
            .first()
            .and_then(|v| serde_json::from_str(v.value).ok())
            .unwrap_or(json!(1)),
        FieldKind::Bool | FieldKind::BoolList => json!(false),
        FieldKind::Json => json!({}),
    };
    match field.kind {
        FieldKind::TextList | FieldKind::IntegerList | FieldKind::BoolList => {
            json!([scalar(field.kind)])
        }
        FieldKind::Json if field.selector.is_some() => json!({}),
        FieldKind::Json if field.ty.starts_with("array<") => {
            if field.fields.is_empty() {
                json!([])
            } else {
                json!([object(field.fields)])
            }
        }
        FieldKind::Json if field.ty.starts_with("map<") => json!({}),
        FieldKind::Json => object(field.fields),
        kind => scalar(kind),
    }
}

fn object(fields: &[FieldInfo]) -> Value {
    let mut out = Map::new();
    for field in fields.iter().filter(|f| f.required) {
        out.insert(field.name.to_owned(), sample(field));
    }
    // A variant field takes the shape its selector's value chooses.
    for field in fields.iter().filter(|f| f.required) {
        let Some(selector) = field.selector else {
            continue;
        };
        let chosen = out.get(selector).map(Value::to_string).unwrap_or_default();
        let shape = field
            .variants
            .iter()
            .find(|shape| shape.when.split(", ").any(|when| when == chosen));
        if let Some(shape) = shape {
            out.insert(field.name.to_owned(), object(shape.fields));
        }
    }
    Value::Object(out)
}

#[tokio::test]
async fn every_action_of_the_catalog_is_reachable() {
    let server = Server::start(|_, _| envelope(0, json!({}))).await;
    for action in &ACTIONS {
        let request = object(action.request);
        let out = server.zim().stdin(request.to_string()).run(&[
            "call",
            action.name,
            "--json",
            "-",
            "--no-validate",
        ]);
        assert_eq!(out.code, 0, "{}: {out:?}", action.name);
        assert!(
            out.stdout.trim_start().starts_with('{'),
            "{}: {out:?}",
            action.name
        );
    }
    let seen = server.checked();
    assert_eq!(seen.len(), ACTIONS.len());
    for (action, seen) in ACTIONS.iter().zip(&seen) {
        assert_eq!(seen.query("Action"), Some(action.name));
        let method = match action.method {
            zim_client::Method::Get => "GET",
            zim_client::Method::Post => "POST",
        };
        assert_eq!(seen.method, method, "{}", action.name);
    }
}

#[test]
fn every_spec_action_is_listed() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/actions");
    let mut names = BTreeSet::new();
    for category in std::fs::read_dir(&spec).expect("spec/actions") {
        for file in std::fs::read_dir(category.unwrap().path()).unwrap() {
            let path = file.unwrap().path();
            if path.extension().is_some_and(|e| e == "yaml") {
                names.insert(path.file_stem().unwrap().to_string_lossy().into_owned());
            }
        }
    }
    assert!(names.len() >= 72, "{names:?}");
    let out = Zim::new(None).run(&["actions"]);
    assert_eq!(out.code, 0);
    let listed: BTreeSet<String> = out
        .stdout
        .lines()
        .skip(1)
        .filter_map(|line| line.split_whitespace().next().map(str::to_owned))
        .collect();
    let missing: Vec<&String> = names.difference(&listed).collect();
    assert!(
        missing.is_empty(),
        "not in `zim actions` (regenerate the client): {missing:?}"
    );
}

#[tokio::test]
async fn get_sends_the_query_and_post_the_body() {
    let server = Server::start(|_, _| {
        envelope(
            0,
            json!({"NextRsp": "0", "GroupInfoList": [{"GroupId": "g1"}]}),
        )
    })
    .await;
    let get = server
        .zim()
        .run(&["call", "DismissGroup", "GroupId=g1", "FromUserId=u1"]);
    assert_eq!(get.code, 0, "{get:?}");
    let post = server
        .zim()
        .run(&["call", "QueryGroupsInfoOfUser", "FromUserId=u1", "Limit=50"]);
    assert_eq!(post.code, 0, "{post:?}");
    let printed: Value = serde_json::from_str(&post.stdout).unwrap();
    assert_eq!(printed["GroupInfoList"][0]["GroupId"], "g1");
    assert_eq!(
        post.stdout.lines().count(),
        1,
        "compact when not a terminal"
    );
    let lists = server
        .zim()
        .run(&["call", "QueryUserInfos", "UserIds=u1,u2", "UserIds=u3"]);
    assert_eq!(lists.code, 0, "{lists:?}");
    let seen = server.checked();
    assert_eq!(seen[0].method, "GET");
    assert_eq!(seen[0].query("GroupId"), Some("g1"));
    assert_eq!(seen[1].method, "POST");
    assert_eq!(seen[1].body, Some(json!({"FromUserId": "u1", "Limit": 50})));
    assert_eq!(
        seen[2].body.as_ref().unwrap()["UserIds"],
        json!(["u1", "u2", "u3"])
    );
}

#[tokio::test]
async fn all_pages_follows_the_cursor_as_json_lines() {
    let server = Server::start(|seen, _| {
        let body = seen.body.clone().unwrap_or_default();
        let (next, items) = match body.get("Next").and_then(Value::as_str) {
            None | Some("") => ("p2", ["a", "b"]),
            Some("p2") => ("p3", ["c", "d"]),
            _ => ("0", ["e", "f"]),
        };
        let list: Vec<Value> = items
            .iter()
            .map(|id| json!({"GroupId": id, "GroupName": id.to_uppercase()}))
            .collect();
        envelope(0, json!({"NextRsp": next, "GroupInfoList": list}))
    })
    .await;
    let out = server.zim().run(&[
        "call",
        "QueryGroupsInfoOfUser",
        "FromUserId=u1",
        "Limit=2",
        "--all-pages",
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    let ids: Vec<String> = out
        .stdout
        .lines()
        .map(|line| {
            serde_json::from_str::<Value>(line).unwrap()["GroupId"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(ids, ["a", "b", "c", "d", "e", "f"]);
    let cursors: Vec<Option<Value>> = server
        .checked()
        .iter()
        .map(|s| s.body.as_ref().and_then(|b| b.get("Next").cloned()))
        .collect();
    assert_eq!(cursors, [None, Some(json!("p2")), Some(json!("p3"))]);
    let not_paged = server.zim().run(&[
        "call",
        "DismissGroup",
        "GroupId=g",
        "FromUserId=u1",
        "--all-pages",
    ]);
    assert_eq!(not_paged.code, 2);
}

#[tokio::test]
async fn invalid_input_lists_every_problem_and_sends_nothing() {
    let server = Server::start(|_, _| envelope(0, json!({}))).await;
    let long = "x".repeat(40);
    let out = server.zim().run(&[
        "call",
        "QueryGroupsInfoOfUser",
        &format!("FromUserId={long}"),
        "Limit=0",
    ]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr
            .contains("`FromUserId` must be at most 32 characters"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("`Limit` must be at least 1"),
        "{}",
        out.stderr
    );
    let parse = server.zim().run(&[
        "call",
        "QueryGroupsInfoOfUser",
        "Lmit=3",
        "Limit=x",
        "--verbose",
    ]);
    assert_eq!(parse.code, 2);
    for expected in [
        "did you mean `Limit`?",
        "`x` is not an integer",
        "missing required field: FromUserId",
    ] {
        assert!(
            parse.stderr.contains(expected),
            "{expected}: {}",
            parse.stderr
        );
    }
    let usage = server.zim().run(&["call", "NoSuchAction"]);
    assert_eq!(usage.code, 2);
    assert!(server.checked().is_empty());
}

#[tokio::test]
async fn an_api_error_exits_3_with_the_code_by_name() {
    let server = Server::start(|_, _| envelope(660_500_002, json!({}))).await;
    let out = server.zim().run(&[
        "call",
        "QueryGroupsInfoOfUser",
        "FromUserId=u1",
        "Limit=5",
        "--verbose",
    ]);
    assert_eq!(out.code, 3, "{out:?}");
    assert!(
        out.stderr.contains("660500002 OperatorNotRegistered"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("fix: Register the user"),
        "{}",
        out.stderr
    );
    // --verbose shows the request without its signature, and the timing.
    assert!(
        out.stderr.contains("> POST QueryGroupsInfoOfUser"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains(r#"> {"FromUserId":"u1","Limit":5}"#),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("Signature="), "{}", out.stderr);
    assert!(out.stderr.contains("< failed in "), "{}", out.stderr);
}

#[test]
fn a_transport_failure_exits_4() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = Zim::new(Some(&format!("http://127.0.0.1:{port}"))).run(&[
        "call",
        "DismissGroup",
        "GroupId=g1",
        "FromUserId=u1",
        "--attempts",
        "1",
        "--verbose",
    ]);
    assert_eq!(out.code, 4, "{out:?}");
    assert!(
        out.stderr.contains("the HTTP exchange failed")
            && out.stderr.contains("Connection refused"),
        "{}",
        out.stderr
    );
}

#[tokio::test]
async fn credentials_come_from_a_profile() {
    let server = Server::start(|_, _| envelope(0, json!({}))).await;
    let dir = std::env::temp_dir().join(format!("zim-cli-profile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[profiles.test]\napp_id = {APP_ID}\nserver_secret = \"{SECRET}\"\nbase_url = \"{}\"\n",
            server.mock.uri()
        ),
    )
    .unwrap();
    let zim = || {
        Zim::new(None)
            .env_remove("ZIM_APP_ID")
            .env_remove("ZIM_SERVER_SECRET")
            .env("ZIM_CONFIG", config.to_str().unwrap())
    };
    let out = zim().run(&[
        "--profile",
        "test",
        "call",
        "DismissGroup",
        "GroupId=g1",
        "FromUserId=u1",
        "-v",
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    let missing = zim().run(&[
        "--profile",
        "prod",
        "call",
        "DismissGroup",
        "GroupId=g1",
        "FromUserId=u1",
    ]);
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("no profile `prod`"),
        "{}",
        missing.stderr
    );
    let none = zim().run(&["call", "DismissGroup", "GroupId=g1", "FromUserId=u1"]);
    assert_eq!(none.code, 2);
    assert!(none.stderr.contains("no credentials"), "{}", none.stderr);
    assert_eq!(server.checked().len(), 1);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn completions_are_generated() {
    let out = Zim::new(None).run(&["completions", "bash"]);
    assert_eq!(out.code, 0);
    assert!(
        out.stdout.contains("QueryGroupsInfoOfUser"),
        "action names complete"
    );
}

#[test]
fn help_snapshots() {
    insta::assert_snapshot!("help", Zim::new(None).run(&["--help"]).stdout);
    insta::assert_snapshot!("call_help", Zim::new(None).run(&["call", "--help"]).stdout);
}

#[test]
fn describe_snapshot() {
    let out = Zim::new(None).run(&["describe", "QueryGroupsInfoOfUser"]);
    assert_eq!(out.code, 0);
    insta::assert_snapshot!("describe_query_groups_info_of_user", out.stdout);
}

#[tokio::test]
async fn table_snapshot() {
    let server = Server::start(|_, _| {
        envelope(
            0,
            json!({"NextRsp": "0", "HasJoinGroupNum": 2, "GroupInfoList": [
                {"GroupId": "g1", "GroupName": "Support", "GroupAvatar": "https://a.example/1.png"},
                {"GroupId": "group-two", "GroupName": "Ops", "GroupAvatar": ""}
            ]}),
        )
    })
    .await;
    let out = server.zim().run(&[
        "call",
        "QueryGroupsInfoOfUser",
        "FromUserId=u1",
        "Limit=10",
        "--output",
        "table",
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    insta::assert_snapshot!("table_query_groups_info_of_user", out.stdout);
}
