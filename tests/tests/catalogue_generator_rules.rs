//! Rules the spec authors found while describing the catalogue's actions, kept by the
//! generator (not by hand-edited generated code):
//!
//! - a field that takes a reusable definition with possible values (`use: MessageType`) but
//!   lists fewer values of its own accepts only its own list (broadcasts and imports allow
//!   fewer message kinds than sending does);
//! - a string cursor that comes back empty ends paging, whatever `done_when` lists, since
//!   sending it would start again from the first page;
//! - a request read from JSON (zim-client's `deserialize-requests` feature) reads a variant
//!   field in the shape its selector field chooses, so its limits are validated.

use zim_client::Validate;
use zim_client::generated::message::{SendMessageToAllUsersRequest, SendPeerMessageRequest};
use zim_client::generated::room::{QueryRoomUserListRequest, QueryRoomUserListResponse};
use zim_client::generated::shared::{
    MessageBody, MessageBodyCommand, MessageBodyText, MessageType,
};
use zim_client::generated::user::{QueryGroupsInfoOfUserRequest, QueryGroupsInfoOfUserResponse};
use zim_client::runtime::action::Paginated;

fn violations_at(request: &impl Validate, path: &str) -> Vec<String> {
    match request.validate() {
        Ok(()) => Vec::new(),
        Err(v) => v
            .iter()
            .filter(|v| v.path == path)
            .map(|v| v.to_string())
            .collect(),
    }
}

#[test]
fn narrowed_values_refuse_the_kinds_the_action_does_not_allow() {
    // Command messages exist (MessageType knows them) but cannot be broadcast.
    let command = SendMessageToAllUsersRequest::new(
        "admin",
        MessageType::Command,
        MessageBody::Command(MessageBodyCommand::new("ping")),
    );
    let found = violations_at(&command, "MessageType");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("one of"), "{found:?}");
    assert!(
        found[0].contains("200"),
        "the allowed list is named: {found:?}"
    );

    let text = SendMessageToAllUsersRequest::new(
        "admin",
        MessageType::Text,
        MessageBody::Text(MessageBodyText::new("hello")),
    );
    assert_eq!(violations_at(&text, "MessageType"), Vec::<String>::new());
}

fn groups_page(next: &str) -> QueryGroupsInfoOfUserResponse {
    QueryGroupsInfoOfUserResponse {
        next_rsp: next.to_owned(),
        ..Default::default()
    }
}

fn room_page(next: &str) -> QueryRoomUserListResponse {
    QueryRoomUserListResponse {
        next_flag: next.to_owned(),
        ..Default::default()
    }
}

#[test]
fn empty_string_cursor_ends_paging() {
    // `done_when` of QueryGroupsInfoOfUser lists only "0": the empty cursor ends it too.
    assert_eq!(
        QueryGroupsInfoOfUserRequest::next_cursor(&groups_page("")),
        None
    );
    assert_eq!(
        QueryGroupsInfoOfUserRequest::next_cursor(&groups_page("  ")),
        None
    );
    assert_eq!(
        QueryGroupsInfoOfUserRequest::next_cursor(&groups_page("0")),
        None
    );
    assert_eq!(
        QueryGroupsInfoOfUserRequest::next_cursor(&groups_page("3")),
        Some("3".to_owned())
    );
    assert_eq!(QueryRoomUserListRequest::next_cursor(&room_page("")), None);
    assert_eq!(
        QueryRoomUserListRequest::next_cursor(&room_page("abc")),
        Some("abc".to_owned())
    );
}

#[test]
fn decoded_request_reads_the_body_its_selector_chooses() {
    let json = r#"{"FromUserId": "a", "ToUserId": ["b"], "MessageType": 1, "Priority": 1,
        "MessageBody": {"Message": "hi"}}"#;
    let request: SendPeerMessageRequest = serde_json::from_str(json).expect("decodes");
    match &request.message_body {
        MessageBody::Text(text) => assert_eq!(text.message, "hi"),
        other => panic!("expected a text body, got {other:?}"),
    }
    // An empty text breaks the body's own limit (at least 1 character), which validation of
    // an undecoded body could not see.
    let empty = json.replace(r#""hi""#, r#""""#);
    let request: SendPeerMessageRequest = serde_json::from_str(&empty).expect("decodes");
    let found = violations_at(&request, "MessageBody.Message");
    assert_eq!(found.len(), 1, "{:?}", request.validate());
    // The body serializes as it came.
    let again = serde_json::to_value(&request).expect("serializes");
    assert_eq!(again["MessageBody"], serde_json::json!({"Message": ""}));
}
