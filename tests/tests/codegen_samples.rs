//! The seed action's published sample responses, read from the shared catalogue at test time:
//! the current one decodes into the generated response type; the older one, which has trailing
//! commas and so is not JSON, is reported as an undecodable response (with an excerpt of the
//! body), never as a panic or a silently empty response.

use zim_client::Error;
use zim_client::generated::user::{QueryGroupsInfoOfUserRequest, QueryGroupsInfoOfUserResponse};
use zim_client::runtime::decode::decode;

const CATALOGUE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/zim-api/catalogue.yaml"
);

fn sample(key: &str) -> String {
    let text = std::fs::read_to_string(CATALOGUE).expect("the shared catalogue is readable");
    let catalogue: serde_yaml::Value = serde_yaml::from_str(&text).expect("the catalogue is YAML");
    let actions = catalogue["actions"]
        .as_sequence()
        .expect("catalogue lists actions");
    let action = actions
        .iter()
        .find(|a| a["name"].as_str() == Some("QueryGroupsInfoOfUser"))
        .expect("the seed action is in the catalogue");
    action["samples"][key]
        .as_str()
        .expect("the sample is text")
        .to_owned()
}

#[test]
fn current_sample_response_decodes() {
    let body = sample("openapi_response");
    let page: QueryGroupsInfoOfUserResponse =
        decode::<QueryGroupsInfoOfUserRequest>(200, body.as_bytes()).expect("decodes");
    assert_eq!(page.next_rsp, "3");
    assert_eq!(page.has_join_group_num, 21);
    let ids: Vec<&str> = page
        .group_info_list
        .iter()
        .map(|g| g.group_id.as_str())
        .collect();
    assert_eq!(ids, ["groupId1", "groupId2"]);
    assert_eq!(page.group_info_list[1].group_avatar, "GroupAvatar2");
}

#[test]
fn old_sample_with_trailing_commas_is_an_undecodable_response() {
    let body = sample("response");
    assert!(
        serde_json::from_str::<serde_json::Value>(&body).is_err(),
        "the old sample is not JSON"
    );
    match decode::<QueryGroupsInfoOfUserRequest>(200, body.as_bytes()) {
        Err(Error::Decode {
            action,
            status,
            excerpt,
            reason,
        }) => {
            assert_eq!(action, "QueryGroupsInfoOfUser");
            assert_eq!(status, 200);
            assert!(excerpt.starts_with('{'), "{excerpt}");
            assert!(!reason.is_empty());
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[test]
fn sample_request_serializes_like_the_current_docs() {
    let request = QueryGroupsInfoOfUserRequest::new("UserId123", 2).with_next("");
    let ours = serde_json::to_value(&request).unwrap();
    let documented: serde_json::Value = serde_json::from_str(&sample("openapi_request")).unwrap();
    assert_eq!(ours, documented);
    zim_client::Validate::validate(&request).expect("the documented request is valid");
}
