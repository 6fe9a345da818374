//! A crate that generates one action with the macro and calls it against a tiny HTTP server
//! on 127.0.0.1, through the runtime's client.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;

mod zim {
    zim_api_derive::generate!(spec = "../../../../spec", actions = [QueryGroupsInfoOfUser],);
}

use zim::prelude::*;
use zim::user::QueryGroupsInfoOfUserRequest;

const REPLY: &str = r#"{"Code":0,"Message":"success","RequestId":"7","NextRsp":"0","HasJoinGroupNum":"1","GroupInfoList":[{"GroupId":12,"GroupName":"one"}]}"#;

/// Answers one request with `REPLY`; returns the request line and the body it got.
fn serve_once(listener: TcpListener) -> (String, String) {
    let (stream, _) = listener.accept().unwrap();
    let mut reader = BufReader::new(stream);
    let mut request_line = String::new();
    reader.read_line(&mut request_line).unwrap();
    let mut length = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        if line == "\r\n" || line.is_empty() {
            break;
        }
        if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = value.trim().parse().unwrap();
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        REPLY.len()
    );
    let stream = reader.get_mut();
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(REPLY.as_bytes()).unwrap();
    (request_line, String::from_utf8(body).unwrap())
}

fn main() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let server = std::thread::spawn(move || serve_once(listener));

    let client = zim_client::Client::builder(1234567890, "secret")
        .base_url(format!("http://{address}"))
        .build()
        .unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let request = QueryGroupsInfoOfUserRequest::new("user-1", 10);
    let page = runtime
        .block_on(client.query_groups_info_of_user(&request))
        .unwrap();
    assert_eq!(page.has_join_group_num, 1);
    assert_eq!(page.group_info_list[0].group_id, "12");
    assert_eq!(page.group_info_list[0].group_name, "one");

    let (request_line, body) = server.join().unwrap();
    assert!(request_line.starts_with("POST /"), "{request_line}");
    assert!(
        request_line.contains("Action=QueryGroupsInfoOfUser"),
        "{request_line}"
    );
    assert!(request_line.contains("Signature="), "{request_line}");
    assert_eq!(body, r#"{"FromUserId":"user-1","Limit":10}"#);
}
