//! Peak memory of one call against a server whose response body never ends, for
//! BENCHMARKS.md ("Response body limit"): run it under `/usr/bin/time -v` and read
//! "Maximum resident set size".
//!
//! ```sh
//! cargo build --release -p zim-client --example body_limit_memory
//! /usr/bin/time -v target/release/examples/body_limit_memory small          # one ordinary call
//! /usr/bin/time -v target/release/examples/body_limit_memory endless        # default limit
//! /usr/bin/time -v target/release/examples/body_limit_memory endless 1048576 # a 1 MiB limit
//! ```
//!
//! The server runs in a thread of the same process, on 127.0.0.1: `small` answers with the
//! action's documented sample response, `endless` with a chunked body that goes on until the
//! client hangs up. The process's peak is the client's peak plus the server's few buffers.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};

use zim_client::generated::user::QueryGroupsInfoOfUserRequest;
use zim_client::prelude::*;

const SMALL_RESPONSE: &str = r#"{"Code":0,"Message":"success","RequestId":"req-123456789","NextRsp":"3","HasJoinGroupNum":21,"GroupInfoList":[{"GroupId":"groupId1","GroupName":"groupName1","GroupAvatar":"GroupAvatar1"},{"GroupId":"groupId2","GroupName":"groupName2","GroupAvatar":"GroupAvatar2"}]}"#;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let endless = match args.next().as_deref() {
        Some("endless") => true,
        Some("small") => false,
        _ => return Err("usage: body_limit_memory small | endless [LIMIT_BYTES]".into()),
    };
    let limit = match args.next() {
        Some(text) => text.parse()?,
        None => zim_client::runtime::body::DEFAULT_MAX_RESPONSE_BODY,
    };

    let listener = TcpListener::bind("127.0.0.1:0")?;
    let base_url = format!("http://{}", listener.local_addr()?);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            serve(stream, endless);
        }
    });

    let client = Client::builder(1_234_567_890, "secret")
        .base_url(base_url)
        .max_response_body(limit)
        .rate_limiting(false)
        .build()?;
    let request = QueryGroupsInfoOfUserRequest::new("UserId123", 2);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    match runtime.block_on(client.query_groups_info_of_user(&request)) {
        Ok(page) => println!("ok: {} groups", page.group_info_list.len()),
        Err(err) => println!("error: {err}"),
    }
    Ok(())
}

/// Reads the request head and body, then answers.
fn serve(mut stream: TcpStream, endless: bool) {
    let mut request = Vec::new();
    let mut buffer = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = request.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buffer[..n]),
        }
    };
    let head = String::from_utf8_lossy(&request[..head_end]).to_ascii_lowercase();
    let body_length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(0);
    while request.len() < head_end + body_length {
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buffer[..n]),
        }
    }
    if endless {
        let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                    Transfer-Encoding: chunked\r\n\r\n";
        if stream.write_all(head.as_bytes()).is_err() {
            return;
        }
        let filler = vec![b'a'; 64 * 1024];
        let mut chunk = |data: &[u8]| -> std::io::Result<()> {
            write!(stream, "{:x}\r\n", data.len())?;
            stream.write_all(data)?;
            stream.write_all(b"\r\n")
        };
        if chunk(br#"{"Code":0,"Pad":""#).is_err() {
            return;
        }
        while chunk(&filler).is_ok() {}
    } else {
        let _ = write!(
            stream,
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{}",
            SMALL_RESPONSE.len(),
            SMALL_RESPONSE
        );
    }
}
