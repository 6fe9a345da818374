//! Shared by the end-to-end client tests: a local server that checks every request the way
//! the real one does (its own signature computation), and hand-written test actions.

#![allow(dead_code)]

pub mod redis_server;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use md5::{Digest, Md5};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use wiremock::{Mock, MockServer, Request, ResponseTemplate, matchers::any};
use zim_client::{
    Action, ActionMeta, Client, ClientBuilder, CodeInfo, HostKind, Method, Paginated, Qps,
    QpsScope, RetryPolicy, Rule, Validate, Validator,
};

pub const APP_ID: u32 = 1_234_567_890;
/// Distinctive so a leak is easy to spot in any string.
pub const SECRET: &str = "5ec7e7-zim-test-secret-d0-n0t-1eak";

/// What the server saw of one request.
#[derive(Debug, Clone)]
pub struct Seen {
    /// When the server received it, by the server's clock.
    pub at: Instant,
    pub method: String,
    /// Every query pair, decoded, in order.
    pub query: Vec<(String, String)>,
    /// The raw query string, as sent.
    pub raw_query: String,
    /// The JSON body of a POST.
    pub body: Option<Value>,
    /// The `User-Agent` header.
    pub user_agent: String,
    /// Everything the server found wrong with the request.
    pub problems: Vec<String>,
}

impl Seen {
    /// The first query value of `name`.
    pub fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every query value of `name`.
    pub fn query_all(&self, name: &str) -> Vec<&str> {
        self.query
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// A business parameter: from the query of a GET or the body of a POST, as text.
    pub fn param(&self, name: &str) -> Option<String> {
        match &self.body {
            Some(body) => body.get(name).map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            }),
            None => self.query(name).map(str::to_owned),
        }
    }
}

/// The signature as the server computes it: MD5 over the concatenated text, lower-case hex.
pub fn server_signature(app_id: &str, nonce: &str, secret: &str, timestamp: &str) -> String {
    let digest = Md5::digest(format!("{app_id}{nonce}{secret}{timestamp}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

const PUBLIC: [&str; 6] = [
    "Action",
    "AppId",
    "SignatureNonce",
    "Timestamp",
    "SignatureVersion",
    "Signature",
];

/// Checks the public parameters, the signature and the encoding of `request`.
fn inspect(request: &Request) -> Seen {
    let at = Instant::now();
    let query: Vec<(String, String)> = request
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let raw_query = request.url.query().unwrap_or_default().to_owned();
    let method = request.method.to_string();
    let mut problems = Vec::new();
    let mut seen = Seen {
        at,
        method: method.clone(),
        query,
        raw_query,
        body: None,
        user_agent: request
            .headers
            .get("user-agent")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned(),
        problems: Vec::new(),
    };
    for name in PUBLIC {
        if seen.query_all(name).len() != 1 {
            problems.push(format!("public parameter {name} missing or repeated"));
        }
    }
    let get = |name| seen.query(name).unwrap_or_default();
    if get("AppId") != APP_ID.to_string() {
        problems.push(format!("AppId {}", get("AppId")));
    }
    if get("SignatureVersion") != "2.0" {
        problems.push("SignatureVersion".into());
    }
    let nonce = get("SignatureNonce");
    if nonce.len() != 16 || !nonce.bytes().all(|b| b.is_ascii_hexdigit()) {
        problems.push(format!("nonce {nonce:?}"));
    }
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    match get("Timestamp").parse::<i64>() {
        Ok(ts) if (ts - now).abs() <= 600 => {}
        _ => problems.push(format!("timestamp {:?}", get("Timestamp"))),
    }
    let expected = server_signature(get("AppId"), nonce, SECRET, get("Timestamp"));
    if get("Signature") != expected {
        problems.push("signature mismatch".into());
    }
    if seen.raw_query.contains(SECRET) {
        problems.push("secret in the query".into());
    }
    match method.as_str() {
        "POST" => {
            if seen.query.len() != PUBLIC.len() {
                problems.push("POST carries business parameters in the query".into());
            }
            let json_type = request
                .headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("application/json"));
            if !json_type {
                problems.push("POST without a JSON content type".into());
            }
            if String::from_utf8_lossy(&request.body).contains(SECRET) {
                problems.push("secret in the body".into());
            }
            match serde_json::from_slice::<Value>(&request.body) {
                Ok(body) if body.is_object() => seen.body = Some(body),
                _ => problems.push("POST body is not a JSON object".into()),
            }
        }
        "GET" => {
            if !request.body.is_empty() {
                problems.push("GET with a body".into());
            }
        }
        other => problems.push(format!("method {other}")),
    }
    seen.problems = problems;
    seen
}

/// A local server on 127.0.0.1 that checks and records every request, then answers with
/// `handler(request, index)` (index counts from 0).
pub struct Server {
    pub mock: MockServer,
    log: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    pub async fn start<H>(handler: H) -> Server
    where
        H: Fn(&Seen, usize) -> ResponseTemplate + Send + Sync + 'static,
    {
        let mock = MockServer::start().await;
        let log = Arc::new(Mutex::new(Vec::<Seen>::new()));
        let recorder = Arc::clone(&log);
        let count = AtomicUsize::new(0);
        Mock::given(any())
            .respond_with(move |request: &Request| {
                let seen = inspect(request);
                let index = count.fetch_add(1, Ordering::SeqCst);
                let response = if seen.problems.is_empty() {
                    handler(&seen, index)
                } else {
                    envelope(100_000_005, json!({}))
                };
                recorder.lock().unwrap().push(seen);
                response
            })
            .mount(&mock)
            .await;
        Server { mock, log }
    }

    /// Every request so far, in arrival order.
    pub fn seen(&self) -> Vec<Seen> {
        self.log.lock().unwrap().clone()
    }

    /// Every request so far, after asserting none had a problem.
    pub fn checked(&self) -> Vec<Seen> {
        let seen = self.seen();
        for (i, s) in seen.iter().enumerate() {
            assert!(s.problems.is_empty(), "request {i}: {:?}", s.problems);
        }
        seen
    }

    /// The `User-Agent` of every request so far.
    pub fn user_agents(&self) -> Vec<String> {
        self.seen().into_iter().map(|s| s.user_agent).collect()
    }

    /// A client of this server with tiny backoffs.
    pub fn client(&self) -> ClientBuilder {
        Client::builder(APP_ID, SECRET)
            .base_url(self.mock.uri())
            .retry_policy(fast_retries(4))
    }
}

/// A raw HTTP/1.1 server on 127.0.0.1, for answers wiremock cannot give (endless bodies,
/// a `Content-Length` the body does not keep, a connection cut mid-body): it reads each
/// request's head and body, counts the request, then hands the connection to `respond`,
/// which writes what it likes. One connection, one request.
pub struct RawServer {
    pub url: String,
    requests: Arc<AtomicUsize>,
}

impl RawServer {
    pub fn start<F>(respond: F) -> RawServer
    where
        F: Fn(&mut TcpStream) + Send + Sync + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&requests);
        let respond = Arc::new(respond);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let counter = Arc::clone(&counter);
                let respond = Arc::clone(&respond);
                std::thread::spawn(move || {
                    if read_request(&mut stream) {
                        counter.fetch_add(1, Ordering::SeqCst);
                        respond(&mut stream);
                    }
                });
            }
        });
        RawServer { url, requests }
    }

    /// Requests read so far.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    /// A client of this server with tiny backoffs.
    pub fn client(&self) -> ClientBuilder {
        Client::builder(APP_ID, SECRET)
            .base_url(&self.url)
            .retry_policy(fast_retries(4))
    }
}

/// Reads one request's head and its `Content-Length` body; false when the connection ended
/// first.
fn read_request(stream: &mut TcpStream) -> bool {
    let mut data = Vec::new();
    let mut buffer = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => return false,
            Ok(n) => data.extend_from_slice(&buffer[..n]),
        }
    };
    let head = String::from_utf8_lossy(&data[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(0);
    while data.len() < head_end + length {
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => return false,
            Ok(n) => data.extend_from_slice(&buffer[..n]),
        }
    }
    true
}

/// Writes a `200` response head with `headers` (each ending in CRLF).
pub fn write_head(stream: &mut TcpStream, headers: &str) {
    let _ = write!(
        stream,
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n{headers}\r\n"
    );
}

/// A chunked JSON body that never ends: a success envelope opening a string that goes on
/// until the client hangs up.
pub fn write_endless_body(stream: &mut TcpStream) {
    write_head(stream, "Transfer-Encoding: chunked\r\n");
    let start = br#"{"Code":0,"Message":"success","Pad":""#;
    let filler = vec![b'a'; 64 * 1024];
    let mut chunk = |data: &[u8]| -> std::io::Result<()> {
        write!(stream, "{:x}\r\n", data.len())?;
        stream.write_all(data)?;
        stream.write_all(b"\r\n")
    };
    if chunk(start).is_err() {
        return;
    }
    while chunk(&filler).is_ok() {}
}

pub fn fast_retries(attempts: u32) -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(attempts)
        .with_backoff(Duration::from_millis(1), Duration::from_millis(5))
}

/// A JSON response: the envelope with `code` plus the members of `fields`.
pub fn envelope(code: i64, fields: Value) -> ResponseTemplate {
    let mut body = json!({"Code": code, "Message": if code == 0 { "success" } else { "failed" }, "RequestId": "343649807833778782"});
    if let (Some(body), Value::Object(fields)) = (body.as_object_mut(), fields) {
        body.extend(fields);
    }
    ResponseTemplate::new(200).set_body_json(body)
}

// ----- test actions -----

pub static CODES: [CodeInfo; 5] = [
    CodeInfo {
        code: 1,
        name: "ServerBusy",
        meaning: "The server is busy.",
        fix: "Retry later.",
        retry: true,
    },
    CodeInfo {
        code: 2,
        name: "InvalidInput",
        meaning: "An input parameter is wrong.",
        fix: "Correct the parameters.",
        retry: false,
    },
    CodeInfo {
        code: 7,
        name: "RequestQuotaExceeded",
        meaning: "Too many requests this second.",
        fix: "Retry later.",
        retry: true,
    },
    CodeInfo {
        code: 660_300_005,
        name: "AppFrequencyLimit",
        meaning: "The app called this action too often.",
        fix: "Retry later.",
        retry: true,
    },
    CodeInfo {
        code: 660_600_010,
        name: "CreateGroupFrequencyLimit",
        meaning: "Groups were created too often.",
        fix: "Retry later.",
        retry: true,
    },
];

pub fn code_info(code: i64) -> Option<&'static CodeInfo> {
    CODES.iter().find(|info| info.code == code)
}

pub const fn meta(name: &'static str, method: Method, retry_safe: bool, qps: u32) -> ActionMeta {
    ActionMeta {
        name,
        method,
        host: HostKind::Regional,
        qps: Qps {
            limit: qps,
            scope: QpsScope::App,
            per_day: None,
        },
        retry_safe,
        paginated: false,
        response_wrapper: None,
    }
}

/// The fields of every echo action.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Echo {
    #[serde(rename = "FromUserId")]
    pub from_user_id: String,
    #[serde(rename = "Limit")]
    pub limit: i32,
    #[serde(rename = "UserId")]
    pub user_ids: Vec<String>,
    #[serde(rename = "IsAllMuted")]
    pub muted: bool,
    #[serde(rename = "Note", skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Echo {
    pub fn sample() -> Echo {
        Echo {
            from_user_id: "u 1&é".into(),
            limit: 10,
            user_ids: vec!["a".into(), "b".into()],
            muted: true,
            note: None,
        }
    }
}

impl Validate for Echo {
    fn validate_into(&self, v: &mut Validator) {
        v.max_bytes("FromUserId", &self.from_user_id, 32);
        v.range("Limit", i64::from(self.limit), Some(1), Some(100));
        v.items("UserId", self.user_ids.len(), None, Some(5));
    }
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
pub struct EchoResponse {
    #[serde(
        rename = "Total",
        default,
        deserialize_with = "zim_client::runtime::lenient::deserialize"
    )]
    pub total: u64,
    #[serde(
        rename = "Name",
        default,
        deserialize_with = "zim_client::runtime::lenient::deserialize"
    )]
    pub name: String,
}

/// An echo action with its own facts.
macro_rules! echo_action {
    ($(#[$doc:meta])* $name:ident = $meta:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Serialize)]
        #[serde(transparent)]
        pub struct $name(pub Echo);

        impl Validate for $name {
            fn validate_into(&self, v: &mut Validator) {
                self.0.validate_into(v)
            }
        }

        impl Action for $name {
            type Response = EchoResponse;
            const META: ActionMeta = $meta;
            fn code_info(code: i64) -> Option<&'static CodeInfo> {
                code_info(code)
            }
        }
    };
}

echo_action!(
    /// POST, retry-safe.
    PostEcho = meta("PostEcho", Method::Post, true, 1000)
);
echo_action!(
    /// GET, retry-safe.
    GetEcho = meta("GetEcho", Method::Get, true, 1000)
);
echo_action!(
    /// POST, not retry-safe (sending twice could duplicate an effect).
    UnsafeEcho = meta("UnsafeEcho", Method::Post, false, 1000)
);
echo_action!(
    /// Five calls a second per app.
    SlowEcho = meta("SlowEcho", Method::Post, true, 5)
);
echo_action!(
    /// On a service host, with its fields under `Data`.
    ServiceEcho = ActionMeta {
        host: HostKind::Service("auth-api.zego.im"),
        response_wrapper: Some("Data"),
        ..meta("ServiceEcho", Method::Post, true, 1000)
    }
);

// ----- paginated test actions, one per style -----

macro_rules! paged_action {
    (
        $name:ident, $method:expr,
        request { $($rfield:ident : $rty:ty = $rwire:literal),* $(,)? }
        response $resp:ident { $($pfield:ident : $pty:ty = $pwire:literal),* $(,)? }
        cursor $cty:ty
    ) => {
        #[derive(Debug, Clone, Default, Serialize)]
        pub struct $name {
            $(#[serde(rename = $rwire)] pub $rfield: $rty,)*
        }

        #[derive(Debug, Clone, Default, Deserialize)]
        pub struct $resp {
            $(#[serde(rename = $pwire, default, deserialize_with = "zim_client::runtime::lenient::deserialize")]
            pub $pfield: $pty,)*
        }

        impl Validate for $name {
            fn validate_into(&self, _: &mut Validator) {}
        }

        impl Action for $name {
            type Response = $resp;
            const META: ActionMeta = ActionMeta {
                paginated: true,
                ..meta(stringify!($name), $method, true, 1000)
            };
            fn code_info(code: i64) -> Option<&'static CodeInfo> {
                code_info(code)
            }
        }
    };
}

paged_action!(
    NumericNext, Method::Get,
    request { limit: i32 = "Limit", next: u64 = "Next" }
    response NumericNextPage { next: u64 = "Next", items: Vec<String> = "List" }
    cursor u64
);

impl Paginated for NumericNext {
    type Item = String;
    type Cursor = u64;
    fn set_cursor(&mut self, cursor: u64) {
        self.next = cursor;
    }
    fn next_cursor(page: &NumericNextPage) -> Option<u64> {
        (page.next != 0).then_some(page.next)
    }
    fn into_items(page: NumericNextPage) -> Vec<String> {
        page.items
    }
}

paged_action!(
    StringNext, Method::Post,
    request { limit: i32 = "Limit", next: String = "Next" }
    response StringNextPage { next_rsp: String = "NextRsp", items: Vec<String> = "GroupInfoList" }
    cursor String
);

impl Paginated for StringNext {
    type Item = String;
    type Cursor = String;
    fn set_cursor(&mut self, cursor: String) {
        self.next = cursor;
    }
    fn next_cursor(page: &StringNextPage) -> Option<String> {
        (page.next_rsp != "0" && !page.next_rsp.is_empty()).then(|| page.next_rsp.clone())
    }
    fn into_items(page: StringNextPage) -> Vec<String> {
        page.items
    }
}

paged_action!(
    NextFlagStyle, Method::Post,
    request { next_flag: String = "NextFlag" }
    response NextFlagPage { next_flag: String = "NextFlag", items: Vec<String> = "UserList" }
    cursor String
);

impl Paginated for NextFlagStyle {
    type Item = String;
    type Cursor = String;
    fn set_cursor(&mut self, cursor: String) {
        self.next_flag = cursor;
    }
    fn next_cursor(page: &NextFlagPage) -> Option<String> {
        (page.next_flag != "0" && !page.next_flag.is_empty()).then(|| page.next_flag.clone())
    }
    fn into_items(page: NextFlagPage) -> Vec<String> {
        page.items
    }
}

paged_action!(
    StartFlagStyle, Method::Post,
    request { start_flag: u64 = "StartFlag" }
    response StartFlagPage { next_flag: u64 = "NextFlag", fetch_end: i32 = "FetchEnd", items: Vec<i64> = "List" }
    cursor u64
);

impl Paginated for StartFlagStyle {
    type Item = i64;
    type Cursor = u64;
    fn set_cursor(&mut self, cursor: u64) {
        self.start_flag = cursor;
    }
    fn next_cursor(page: &StartFlagPage) -> Option<u64> {
        (page.fetch_end != 1).then_some(page.next_flag)
    }
    fn into_items(page: StartFlagPage) -> Vec<i64> {
        page.items
    }
}

/// Keeps `Rule` in use for tests that match on it.
pub fn is_max_rule(rule: &Rule) -> bool {
    matches!(rule, Rule::Max(_) | Rule::MaxBytes(_) | Rule::MaxItems(_))
}
