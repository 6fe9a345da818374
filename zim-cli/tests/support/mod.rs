//! A local ZIM stand-in on 127.0.0.1 that checks each signature as the server does, and a
//! runner of the built `zim` binary that asserts the secret never reaches its output.

#![allow(dead_code)]

use std::io::Write as _;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use md5::{Digest, Md5};
use serde_json::{Value, json};
use wiremock::{Mock, MockServer, Request, ResponseTemplate, matchers::any};

pub const APP_ID: u32 = 1_234_567_890;
/// Distinctive, so a leak is easy to spot.
pub const SECRET: &str = "5ec7e7-zim-cli-secret-d0-n0t-1eak";

/// What the server saw of one request.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub query: Vec<(String, String)>,
    pub body: Option<Value>,
    /// What the server found wrong (signature, public parameters, encoding).
    pub problems: Vec<String>,
}

impl Seen {
    pub fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

fn signature(app_id: &str, nonce: &str, timestamp: &str) -> String {
    let digest = Md5::digest(format!("{app_id}{nonce}{SECRET}{timestamp}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn inspect(request: &Request) -> Seen {
    let query: Vec<(String, String)> = request
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let mut seen = Seen {
        method: request.method.to_string(),
        query,
        body: None,
        problems: Vec::new(),
    };
    let get = |name: &str| seen.query(name).unwrap_or_default().to_owned();
    let mut problems = Vec::new();
    if get("AppId") != APP_ID.to_string() {
        problems.push("AppId".to_owned());
    }
    if get("Signature") != signature(&get("AppId"), &get("SignatureNonce"), &get("Timestamp")) {
        problems.push("signature mismatch".to_owned());
    }
    seen.problems = problems;
    if seen.method == "POST" {
        match serde_json::from_slice::<Value>(&request.body) {
            Ok(body) if body.is_object() => seen.body = Some(body),
            _ => seen.problems.push("POST body is not a JSON object".into()),
        }
    } else if !request.body.is_empty() {
        seen.problems.push("GET with a body".into());
    }
    seen
}

/// The stand-in: checks and records every request, then answers `handler(request, index)`.
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
        let log = Arc::new(Mutex::new(Vec::new()));
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

    /// Every request so far, after asserting none had a problem.
    pub fn checked(&self) -> Vec<Seen> {
        let seen = self.log.lock().unwrap().clone();
        for (i, s) in seen.iter().enumerate() {
            assert!(s.problems.is_empty(), "request {i}: {:?}", s.problems);
        }
        seen
    }

    /// `zim` with this server's address and the test credentials.
    pub fn zim(&self) -> Zim {
        Zim::new(Some(&self.mock.uri()))
    }
}

/// The envelope with `code` plus the members of `fields`.
pub fn envelope(code: i64, fields: Value) -> ResponseTemplate {
    let mut body = json!({"Code": code, "Message": if code == 0 { "success" } else { "failed" }, "RequestId": "343649807833778782"});
    if let (Some(body), Value::Object(fields)) = (body.as_object_mut(), fields) {
        body.extend(fields);
    }
    ResponseTemplate::new(200).set_body_json(body)
}

/// What one run of `zim` printed.
#[derive(Debug)]
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// A run of the built binary with a clean environment.
pub struct Zim {
    command: Command,
    stdin: Option<String>,
}

impl Zim {
    /// Credentials from the environment; requests to `base_url` when given.
    pub fn new(base_url: Option<&str>) -> Zim {
        let mut command = Command::new(env!("CARGO_BIN_EXE_zim"));
        command
            .env_clear()
            .env("ZIM_CONFIG", "/nonexistent/zim-config.toml")
            .env("ZIM_APP_ID", APP_ID.to_string())
            .env("ZIM_SERVER_SECRET", SECRET);
        if let Some(url) = base_url {
            command.env("ZIM_BASE_URL", url);
        }
        Zim {
            command,
            stdin: None,
        }
    }

    pub fn env(mut self, name: &str, value: &str) -> Zim {
        self.command.env(name, value);
        self
    }

    pub fn env_remove(mut self, name: &str) -> Zim {
        self.command.env_remove(name);
        self
    }

    pub fn stdin(mut self, text: impl Into<String>) -> Zim {
        self.stdin = Some(text.into());
        self
    }

    /// Runs with `args`, asserting the secret appears in neither stream.
    pub fn run(mut self, args: &[&str]) -> Output {
        self.command
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = self.command.spawn().expect("zim starts");
        if let Some(mut stdin) = child.stdin.take() {
            let _ = stdin.write_all(self.stdin.unwrap_or_default().as_bytes());
        }
        let out = child.wait_with_output().expect("zim runs");
        let output = Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        assert!(
            !output.stdout.contains(SECRET) && !output.stderr.contains(SECRET),
            "the secret leaked in `zim {}`: {output:?}",
            args.join(" ")
        );
        output
    }
}
