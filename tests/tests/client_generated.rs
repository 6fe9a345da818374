//! End-to-end tests of generated actions through the runtime: the seed's pagination, GET
//! encoding of generated types, a service-host action wrapped in `Data`, per-item failures
//! and return-code lookup.

mod client_support;

use client_support::*;
use futures_util::StreamExt as _;
use serde_json::json;
use zim_client::Error;
use zim_client::generated::group::MuteGroupRequest;
use zim_client::generated::group::mute_group::GroupRole;
use zim_client::generated::user::modify_user_info::UserInfoUpdate;
use zim_client::generated::user::{ModifyUserInfoRequest, QueryGroupsInfoOfUserRequest};
use zim_client::generated::zim_audio::CgiDescribeZimAudioLicenseRequest;
use zim_client::prelude::*;

#[tokio::test]
async fn seed_action_pages_until_next_rsp_is_zero() {
    let server = Server::start(|seen, _| {
        let page = match seen.param("Next").as_deref() {
            None => json!({"NextRsp": "p2", "HasJoinGroupNum": "3", "GroupInfoList": [{"GroupId": "g1"}]}),
            Some("p2") => json!({"NextRsp": "p3", "HasJoinGroupNum": 3, "GroupInfoList": [{"GroupId": "g2"}]}),
            Some("p3") => json!({"NextRsp": "0", "HasJoinGroupNum": 3, "GroupInfoList": [{"GroupId": 3}]}),
            other => panic!("cursor {other:?}"),
        };
        envelope(0, page)
    })
    .await;
    let client = server.client().build().unwrap();
    let request = QueryGroupsInfoOfUserRequest::new("user-1", 1);
    let first = client.query_groups_info_of_user(&request).await.unwrap();
    assert_eq!(first.has_join_group_num, 3);
    let ids: Vec<String> = client
        .items(request)
        .map(|group| group.unwrap().group_id)
        .collect()
        .await;
    assert_eq!(ids, ["g1", "g2", "3"]);
    let seen = server.checked();
    assert_eq!(seen.len(), 4);
    assert_eq!(seen[0].query("Action"), Some("QueryGroupsInfoOfUser"));
    assert_eq!(
        seen[0].body,
        Some(json!({"FromUserId": "user-1", "Limit": 1}))
    );
}

#[tokio::test]
async fn generated_get_request_encodes_arrays_booleans_and_omits_unset_fields() {
    let server = Server::start(|_, _| envelope(0, json!({}))).await;
    let client = server.client().build().unwrap();
    let request = MuteGroupRequest::new("owner", "group-1")
        .with_is_all_muted(false)
        .with_mute_role_list(vec![GroupRole::Admin, GroupRole::Other(101)]);
    client.mute_group(&request).await.unwrap();
    let seen = server.checked();
    assert_eq!(seen[0].method, "GET");
    assert_eq!(seen[0].query("IsAllMuted"), Some("false"));
    assert_eq!(seen[0].query_all("MuteRoleList[]"), ["2", "101"]);
    assert_eq!(seen[0].query("Duration"), None);
    assert_eq!(seen[0].query("GroupId"), Some("group-1"));
}

#[tokio::test]
async fn service_host_action_unwraps_data() {
    let server = Server::start(|_, _| envelope(0, json!({"Data": {"License": "abc"}}))).await;
    let client = server.client().build().unwrap();
    let response = client
        .execute(&CgiDescribeZimAudioLicenseRequest::new())
        .await
        .unwrap();
    assert_eq!(response.license, "abc");
    assert_eq!(
        server.checked()[0].query("Action"),
        Some("CgiDescribeZIMAudioLicense")
    );
}

#[tokio::test]
async fn batch_failures_are_read_one_way() {
    let server = Server::start(|_, _| {
        envelope(
            0,
            json!({"ErrorList": [{"UserId": "u2", "SubCode": "660700012", "SubMessage": "no such user"}]}),
        )
    })
    .await;
    let client = server.client().build().unwrap();
    let request =
        ModifyUserInfoRequest::new(vec![UserInfoUpdate::new("u1"), UserInfoUpdate::new("u2")]);
    let response = client.execute(&request).await.unwrap();
    assert!(response.has_failures());
    let failures = response.failures();
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].id, Some("u2"));
    assert_eq!(failures[0].code, 660_700_012);
    let summary = response.check_failures().unwrap_err();
    assert_eq!(
        summary.to_string(),
        "1 item failed: u2 (code 660700012: no such user)"
    );
}

#[tokio::test]
async fn return_codes_come_with_their_meaning() {
    let server = Server::start(|_, _| envelope(660_500_002, json!({}))).await;
    let client = server.client().build().unwrap();
    let err = client
        .query_groups_info_of_user(&QueryGroupsInfoOfUserRequest::new("user-1", 10))
        .await
        .unwrap_err();
    let Error::Api(api) = &err else {
        panic!("unexpected {err:?}");
    };
    assert_eq!(api.code_name(), Some("OperatorNotRegistered"));
    assert!(!err.is_retryable());
    assert!(err.to_string().contains("not registered"), "{err}");
}

/// Percent-encodes every byte but ASCII letters and digits, as the server encodes stored
/// message bodies.
fn url_encoded(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[test]
fn multi_item_content_decodes_as_text_or_object() {
    use zim_client::TextOrObject;
    use zim_client::generated::shared::{HistoryMessage, SeqMessage, StoredMsgBody};

    // The query by sequence number sends a media item's content as an object...
    let seq_body = json!({"multi_msg": [
        {"msg_type": 1, "callback_content": "hello"},
        {"msg_type": 11, "callback_content": {"file_name": "a.png", "origin_image_width": "64"}},
    ]});
    let seq: SeqMessage = zim_client::runtime::lenient::from_value(json!({
        "MsgType": 10, "MsgBody": url_encoded(&seq_body.to_string()),
    }))
    .unwrap();
    let StoredMsgBody::MultiItem(body) = seq.decode_msg_body().unwrap() else {
        panic!("not a multi-item body");
    };
    assert_eq!(body.multi_msg[0].callback_content.as_text(), Some("hello"));
    let TextOrObject::Object(media) = &body.multi_msg[1].callback_content else {
        panic!("not an object: {:?}", body.multi_msg[1].callback_content);
    };
    assert_eq!(
        (media.file_name.as_str(), media.origin_image_width),
        ("a.png", 64)
    );

    // ...one-to-one and group history as JSON text, which stays text until asked.
    let history_body = json!({"multi_msg": [
        {"msg_type": 11, "callback_content": "{\"file_name\": \"b.png\"}"},
    ]});
    let history: HistoryMessage = zim_client::runtime::lenient::from_value(json!({
        "MsgType": 10, "MsgBody": url_encoded(&history_body.to_string()),
    }))
    .unwrap();
    let StoredMsgBody::MultiItem(body) = history.decode_msg_body().unwrap() else {
        panic!("not a multi-item body");
    };
    let content = &body.multi_msg[0].callback_content;
    assert_eq!(content.as_text(), Some("{\"file_name\": \"b.png\"}"));
    assert_eq!(
        content.parse_object().unwrap().map(|media| media.file_name),
        Some("b.png".to_owned())
    );
}
