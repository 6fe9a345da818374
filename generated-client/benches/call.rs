//! Per-call cost of the client without network, for the seed action `QueryGroupsInfoOfUser`,
//! next to a hand-written baseline doing the same work with serde_json and md-5 directly.
//!
//! - `prepare/client`: `Client::prepare` (validate, encode the JSON body, sign with a fresh
//!   nonce and timestamp, build the signed URL), the path every attempt takes before sending.
//! - `prepare/baseline`: the same checks, body, nonce, MD5 signature and URL, written by hand.
//! - `decode/client`: `runtime::decode::decode` of the documented sample response (envelope,
//!   then the typed, lenient response).
//! - `decode/baseline`: one `serde_json::from_slice` into a plain struct holding the envelope
//!   and the response fields, then the `Code` check.
//!
//! Run: `cargo bench -p zim-client --bench call`.

use std::hint::black_box;
use std::time::{SystemTime, UNIX_EPOCH};

use criterion::{Criterion, criterion_group, criterion_main};
use md5::{Digest, Md5};
use serde::{Deserialize, Serialize};
use zim_client::Client;
use zim_client::generated::user::{QueryGroupsInfoOfUserRequest, QueryGroupsInfoOfUserResponse};
use zim_client::runtime::decode::decode;

const APP_ID: u32 = 1_234_567_890;
const SECRET: &str = "9193cc662a4c0ec135ec71fb57194b38";

/// `openapi_response` of `QueryGroupsInfoOfUser` in the API catalogue, as published.
const SAMPLE_RESPONSE: &str = r#"{
    "Code": 0,
    "Message": "success",
    "RequestId": "req-123456789",
    "NextRsp": "3",
    "HasJoinGroupNum": 21,
    "GroupInfoList": [
        {
            "GroupId": "groupId1",
            "GroupName": "groupName1",
            "GroupAvatar": "GroupAvatar1"
        },
        {
            "GroupId": "groupId2",
            "GroupName": "groupName2",
            "GroupAvatar": "GroupAvatar2"
        }
    ]
}"#;

/// The hand-written request: the same fields and wire names.
#[derive(Serialize)]
struct BaselineRequest {
    #[serde(rename = "FromUserId")]
    from_user_id: String,
    #[serde(rename = "Limit")]
    limit: i32,
    #[serde(rename = "Next", skip_serializing_if = "Option::is_none")]
    next: Option<String>,
}

/// The hand-written response: envelope and fields in one struct.
#[derive(Deserialize)]
struct BaselineResponse {
    #[serde(rename = "Code")]
    code: i64,
    #[serde(rename = "Message", default)]
    message: String,
    #[serde(rename = "RequestId", default)]
    request_id: String,
    #[serde(rename = "NextRsp", default)]
    next_rsp: String,
    #[serde(rename = "HasJoinGroupNum", default)]
    has_join_group_num: i64,
    #[serde(rename = "GroupInfoList", default)]
    group_info_list: Vec<BaselineGroup>,
}

#[derive(Deserialize)]
struct BaselineGroup {
    #[serde(rename = "GroupId", default)]
    group_id: String,
    #[serde(rename = "GroupName", default)]
    group_name: String,
    #[serde(rename = "GroupAvatar", default)]
    group_avatar: String,
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(DIGITS[usize::from(byte >> 4)] as char);
        out.push(DIGITS[usize::from(byte & 0xf)] as char);
    }
    out
}

/// Validate, encode and sign by hand: what a caller without the client would write.
fn baseline_prepare(request: &BaselineRequest) -> Result<(String, Vec<u8>), String> {
    if request.from_user_id.chars().count() > 32 {
        return Err("FromUserId is longer than 32 characters".into());
    }
    if !(1..=100).contains(&request.limit) {
        return Err("Limit is outside 1..=100".into());
    }
    let body = serde_json::to_vec(request).map_err(|e| e.to_string())?;
    let mut nonce = [0u8; 8];
    getrandom::fill(&mut nonce).map_err(|e| e.to_string())?;
    let nonce = hex(&nonce);
    let timestamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let app_id = APP_ID.to_string();
    let timestamp = timestamp.to_string();
    let mut md5 = Md5::new();
    md5.update(&app_id);
    md5.update(&nonce);
    md5.update(SECRET);
    md5.update(&timestamp);
    let signature = hex(&md5.finalize());
    let url = format!(
        "https://zim-api.zego.im/?Action=QueryGroupsInfoOfUser&AppId={app_id}\
         &SignatureNonce={nonce}&Timestamp={timestamp}&SignatureVersion=2.0\
         &Signature={signature}"
    );
    Ok((url, body))
}

/// Decode by hand: one parse, then the return code.
fn baseline_decode(body: &[u8]) -> Result<BaselineResponse, String> {
    let response: BaselineResponse = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    if response.code != 0 {
        return Err(format!(
            "code {}: {} ({})",
            response.code, response.message, response.request_id
        ));
    }
    Ok(response)
}

fn prepare(c: &mut Criterion) {
    let client = Client::builder(APP_ID, SECRET)
        .rate_limiting(false)
        .build()
        .expect("the client builds");
    let request = QueryGroupsInfoOfUserRequest::new("UserId123", 2).with_next("");
    let baseline = BaselineRequest {
        from_user_id: "UserId123".into(),
        limit: 2,
        next: Some(String::new()),
    };

    // Both produce the same body and the same URL shape.
    let prepared = client.prepare(&request).expect("the seed request is valid");
    let (url, body) = baseline_prepare(&baseline).expect("the baseline request is valid");
    assert_eq!(prepared.body.as_deref(), Some(body.as_slice()));
    assert_eq!(prepared.url.len(), url.len());

    let mut group = c.benchmark_group("prepare");
    group.bench_function("client", |b| b.iter(|| client.prepare(black_box(&request))));
    group.bench_function("baseline", |b| {
        b.iter(|| baseline_prepare(black_box(&baseline)))
    });
    group.finish();
}

fn decode_response(c: &mut Criterion) {
    let body = SAMPLE_RESPONSE.as_bytes();
    let decoded: QueryGroupsInfoOfUserResponse =
        decode::<QueryGroupsInfoOfUserRequest>(200, body).expect("the sample decodes");
    let baseline = baseline_decode(body).expect("the baseline decodes the sample");
    assert_eq!(decoded.next_rsp, baseline.next_rsp);
    assert_eq!(decoded.has_join_group_num, baseline.has_join_group_num);
    assert_eq!(
        decoded.group_info_list.len(),
        baseline.group_info_list.len()
    );
    for (ours, theirs) in decoded
        .group_info_list
        .iter()
        .zip(&baseline.group_info_list)
    {
        assert_eq!(ours.group_id, theirs.group_id);
        assert_eq!(ours.group_name, theirs.group_name);
        assert_eq!(ours.group_avatar, theirs.group_avatar);
    }

    let mut group = c.benchmark_group("decode");
    group.bench_function("client", |b| {
        b.iter(|| decode::<QueryGroupsInfoOfUserRequest>(200, black_box(body)))
    });
    group.bench_function("baseline", |b| b.iter(|| baseline_decode(black_box(body))));
    group.finish();
}

criterion_group!(benches, prepare, decode_response);
criterion_main!(benches);
