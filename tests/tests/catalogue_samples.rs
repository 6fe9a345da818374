//! The documentation's own samples, read from `../shared/zim-api/catalogue.yaml` at test time,
//! against the generated client:
//!
//! - every response sample that is JSON decodes into its action's response type (through the
//!   runtime's envelope decoder when it has `Code`; field by field when it was assembled from
//!   the schema without one); a failure names the action, the sample and the field path;
//! - every sample that is not JSON (trailing commas, `//` comments, a missing comma) is an
//!   undecodable response naming the action;
//! - every request sample, with its documented quirks undone by the named normalisations
//!   below, decodes into the request type (zim-client's `deserialize-requests` feature), keeps
//!   every key it had, and validates: cleanly, or with exactly the violations its quirks
//!   describe;
//! - every JSON response sample, decoded, serializes (zim-client's `serialize-responses`) to
//!   what decodes to the same value.
//!
//! The `actions!` table lists every action's request type; `table_covers_every_spec_action`
//! names an action of `spec/` missing from it.

use std::collections::BTreeSet;
use std::path::Path;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use zim_client::generated::*;
use zim_client::runtime::decode::decode;
use zim_client::runtime::lenient;
use zim_client::{Action, Error, Validate};

const CATALOGUE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/zim-api/catalogue.yaml"
);
const SPEC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec");

/// Samples of the catalogue that are not JSON as published, as its README counts them (ten
/// responses, four requests).
const INVALID_JSON_SAMPLES: usize = 14;

/// A decoded request sample: its violations (as text) and the request serialized again.
type Decoded = (Vec<String>, Value);

/// What the tests need of one action, monomorphised from its request type.
#[derive(Clone, Copy)]
struct Entry {
    name: &'static str,
    /// Runtime decode of a whole response body (envelope included).
    envelope: fn(&[u8]) -> Result<(), Error>,
    /// Decode of the response fields alone, naming the field path on failure.
    fields: fn(&str) -> Result<(), String>,
    /// Decode of a request body, then its validation; with the request serialized again.
    request: fn(&str) -> Result<Decoded, String>,
    /// Decode of the response fields, serialized (zim-client's `serialize-responses`) and
    /// decoded again: `Err` unless both decodes give the same value.
    round_trip: fn(&str) -> Result<(), String>,
}

fn entry<A>() -> Entry
where
    A: Action + Validate + Serialize + DeserializeOwned,
    A::Response: Serialize + PartialEq + std::fmt::Debug,
{
    Entry {
        name: A::META.name,
        envelope: |body| decode::<A>(200, body).map(|_| ()),
        fields: |text| {
            let de = &mut serde_json::Deserializer::from_str(text);
            serde_path_to_error::deserialize::<_, A::Response>(de)
                .map(|_| ())
                .map_err(|e| format!("at `{}`: {}", e.path(), e.inner()))
        },
        request: |text| {
            let de = &mut serde_json::Deserializer::from_str(text);
            let request: A = serde_path_to_error::deserialize(de)
                .map_err(|e| format!("at `{}`: {}", e.path(), e.inner()))?;
            let violations = match request.validate() {
                Ok(()) => Vec::new(),
                Err(v) => v.iter().map(|v| v.to_string()).collect(),
            };
            let again = serde_json::to_value(&request).map_err(|e| e.to_string())?;
            Ok((violations, again))
        },
        round_trip: |text| {
            let first: A::Response = lenient::from_str(text).map_err(|e| e.to_string())?;
            let written = serde_json::to_value(&first).map_err(|e| e.to_string())?;
            let again: A::Response =
                lenient::from_value(written.clone()).map_err(|e| format!("{e} in {written}"))?;
            if again != first {
                return Err(format!("decodes differently once written: {written}"));
            }
            Ok(())
        },
    }
}

/// Every action's request type. A new action needs a line here (see
/// `table_covers_every_spec_action`).
macro_rules! actions {
    ($($module:ident::$request:ident),* $(,)?) => {
        fn table() -> Vec<Entry> {
            vec![$(entry::<$module::$request>()),*]
        }
    };
}

actions! {
    bot::RobotRegisterRequest,
    call_invitation::CallAcceptRequest,
    call_invitation::CallInviteRequest,
    call_invitation::CallRejectRequest,
    community::QueryAppCommunityListRequest,
    conversation::ClearConversationUnreadRequest,
    conversation::ConvPinnedRequest,
    conversation::DeleteConvRequest,
    conversation::QueryConversationListRequest,
    conversation::QueryGroupMsgRequest,
    conversation::QueryPeerMsgRequest,
    conversation::SetConvMarkRequest,
    conversation::SilenceConvNotificationRequest,
    group::CreateGroupRequest,
    group::DismissGroupRequest,
    group::FetchForbidGroupListRequest,
    group::InviteUsersIntoGroupRequest,
    group::KickoutGroupUserRequest,
    group::ModifyGroupAttributeRequest,
    group::ModifyGroupLimitRequest,
    group::MuteGroupMembersRequest,
    group::MuteGroupRequest,
    group::QueryAppGroupListRequest,
    group::QueryGroupInfoRequest,
    group::QueryGroupMemberListRequest,
    group::SetGroupMemberRoleRequest,
    group::SetGroupMembersNicknameRequest,
    group::TransferGroupOwnerRequest,
    group::UpdateGroupDataRequest,
    message::C2cDeliveryReceiptRequest,
    message::C2cReadReceiptRequest,
    message::ClearMemberGroupMessageRequest,
    message::ClearPeerMessageRequest,
    message::EditC2cMsgBodyRequest,
    message::EditGroupMsgBodyRequest,
    message::GroupDeliveryReceiptRequest,
    message::GroupReadReceiptRequest,
    message::ImportGroupMsgRequest,
    message::ImportPeerMsgRequest,
    message::QueryMessagesByMsgSeqRequest,
    message::RevokeGroupMessageRequest,
    message::RevokePeerMessageRequest,
    message::RevokeRoomMessageRequest,
    message::SendGroupMessageRequest,
    message::SendMessageToAllUsersRequest,
    message::SendPeerMessageRequest,
    message::SendRoomMessageRequest,
    room::CreateRoomRequest,
    room::DestroyRoomRequest,
    room::KickoutRoomUserRequest,
    room::ModifyRoomAttributeRequest,
    room::QueryRoomAttributeRequest,
    room::QueryRoomMembersRequest,
    room::QueryRoomUserListRequest,
    user::AddFriendsRequest,
    user::AddUsersToBlacklistRequest,
    user::CheckFriendsRelationRequest,
    user::CheckUsersIsInBlacklistRequest,
    user::DeleteAllFriendsRequest,
    user::DeleteFriendsRequest,
    user::ModifyUserInfoRequest,
    user::QueryBlacklistRequest,
    user::QueryFriendListRequest,
    user::QueryGroupsInfoOfUserRequest,
    user::QueryUserInfosRequest,
    user::QueryUserOnlineStateRequest,
    user::RemoveUsersFromBlacklistRequest,
    user::SendFriendApplicationRequest,
    user::UpdateFriendAttributesRequest,
    user::UpdateFriendsAliasRequest,
    user::UserRegisterRequest,
    zim_audio::CgiDescribeZimAudioLicenseRequest,
}

fn find(table: &[Entry], name: &str) -> Entry {
    *table
        .iter()
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("`{name}` is missing from the actions! table of this test"))
}

struct CatalogueAction {
    name: String,
    samples: serde_yaml::Mapping,
    quirks: Vec<String>,
}

fn catalogue() -> Vec<CatalogueAction> {
    let text = std::fs::read_to_string(CATALOGUE).unwrap_or_else(|e| {
        panic!("cannot read {CATALOGUE}: {e} (is ../shared beside the repository?)")
    });
    let doc: serde_yaml::Value = serde_yaml::from_str(&text).expect("the catalogue is YAML");
    doc["actions"]
        .as_sequence()
        .expect("catalogue lists actions")
        .iter()
        .map(|a| CatalogueAction {
            name: a["name"].as_str().expect("action name").to_owned(),
            samples: a["samples"].as_mapping().cloned().unwrap_or_default(),
            quirks: a["quirks"]
                .as_sequence()
                .map(|q| {
                    q.iter()
                        .filter_map(|q| q.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect()
}

/// The sample texts of `keys` an action has.
fn samples<'a>(
    action: &'a CatalogueAction,
    keys: &'a [&'a str],
) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
    keys.iter().filter_map(|key| {
        let text = action.samples.get(*key)?.as_str()?;
        Some((*key, text))
    })
}

const RESPONSE_KEYS: &[&str] = &["response", "openapi_response"];
const REQUEST_KEYS: &[&str] = &["request", "openapi_request"];

#[test]
fn table_covers_every_spec_action() {
    let api = zim_codegen::check::load(Path::new(SPEC)).unwrap_or_else(|d| panic!("{d}"));
    let listed: BTreeSet<&str> = table().iter().map(|e| e.name).collect();
    let missing: Vec<&str> = api
        .actions
        .iter()
        .map(|a| a.spec.name.as_str())
        .filter(|n| !listed.contains(n))
        .collect();
    assert!(
        missing.is_empty(),
        "add these actions to the actions! table of tests/tests/catalogue_samples.rs: {missing:?}"
    );
    assert_eq!(
        listed.len(),
        api.actions.len(),
        "the table lists an action twice"
    );
}

#[test]
fn response_samples_decode() {
    let table = table();
    let mut failures = Vec::new();
    let mut decoded = 0;
    for action in catalogue() {
        let entry = find(&table, &action.name);
        for (key, text) in samples(&action, RESPONSE_KEYS) {
            let Ok(value) = serde_json::from_str::<Value>(text) else {
                continue; // not JSON: see invalid_json_samples_are_undecodable_responses
            };
            // The response fields: at top level, or inside the action's wrapper (`Data`).
            let fields = match value.get("Data") {
                Some(data) if value.get("Code").is_some() => data.to_string(),
                _ => text.to_owned(),
            };
            let result = if value.get("Code").is_some() {
                (entry.envelope)(text.as_bytes()).map_err(|e| {
                    let path = (entry.fields)(&fields).err().unwrap_or_default();
                    format!("{e} {path}")
                })
            } else {
                (entry.fields)(&fields)
            };
            match result {
                Ok(()) => decoded += 1,
                Err(e) => failures.push(format!("{} `{key}`: {e}", action.name)),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(decoded > 63, "only {decoded} response samples decoded");
}

#[test]
fn response_samples_serialize_to_what_decodes_the_same() {
    let table = table();
    let mut failures = Vec::new();
    let mut checked = 0;
    for action in catalogue() {
        let entry = find(&table, &action.name);
        for (key, text) in samples(&action, RESPONSE_KEYS) {
            let Ok(value) = serde_json::from_str::<Value>(text) else {
                continue;
            };
            let fields = match value.get("Data") {
                Some(data) if value.get("Code").is_some() => data.to_string(),
                _ => text.to_owned(),
            };
            match (entry.round_trip)(&fields) {
                Ok(()) => checked += 1,
                Err(e) => failures.push(format!("{} `{key}`: {e}", action.name)),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked > 63, "only {checked} response samples checked");
}

#[test]
fn invalid_json_samples_are_undecodable_responses() {
    let table = table();
    let mut found = Vec::new();
    let mut failures = Vec::new();
    for action in catalogue() {
        let entry = find(&table, &action.name);
        let keys: Vec<&str> = RESPONSE_KEYS.iter().chain(REQUEST_KEYS).copied().collect();
        for (key, text) in samples(&action, &keys) {
            if serde_json::from_str::<Value>(text).is_ok() {
                continue;
            }
            found.push(format!("{} `{key}`", action.name));
            if !action.quirks.iter().any(|q| q.contains("JSON")) {
                failures.push(format!(
                    "{} `{key}`: not JSON, and no quirk of the action says so",
                    action.name
                ));
            }
            match (entry.envelope)(text.as_bytes()) {
                Err(Error::Decode { action: named, .. }) if named == action.name => {}
                other => failures.push(format!(
                    "{} `{key}`: expected an undecodable response naming the action, got {other:?}",
                    action.name
                )),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(
        found.len(),
        INVALID_JSON_SAMPLES,
        "samples that are not JSON: {found:#?}"
    );
}

/// Drops `//` comments and commas before `}` or `]`, outside strings: the two ways published
/// samples fail to be JSON.
fn strip_comments_and_trailing_commas(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match c {
                '\\' => out.extend(chars.next()),
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '/' if chars.peek() == Some(&'/') => {
                while chars.peek().is_some_and(|&c| c != '\n') {
                    chars.next();
                }
            }
            ',' => {
                let rest: String = chars.clone().collect();
                let next = rest.trim_start().chars().next();
                if !matches!(next, Some('}' | ']')) {
                    out.push(c);
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// A documented quirk of one request sample and how the test undoes it.
enum Normalise {
    /// A number sent as a string (`"Limit": "2"`): the value at `path` becomes the number.
    NumberFromString(&'static str),
    /// A key spelled in another case than documented (`key` for `Key`) in every object
    /// matched by `path` (`*` matches every array item).
    RenameKey {
        path: &'static str,
        from: &'static str,
        to: &'static str,
    },
}

/// (action, sample key, normalisation): every quirk of a request sample beyond comments and
/// trailing commas, each undone explicitly.
const NORMALISATIONS: &[(&str, &str, Normalise)] = &[
    // Quirk: attribute objects spell `Key` as `key` (both pages).
    (
        "AddFriends",
        "request",
        Normalise::RenameKey {
            path: "/FriendInfos/*/Attributes/*",
            from: "key",
            to: "Key",
        },
    ),
    (
        "AddFriends",
        "openapi_request",
        Normalise::RenameKey {
            path: "/FriendInfos/*/Attributes/*",
            from: "key",
            to: "Key",
        },
    ),
    // Quirk: the older page sends the page size as a string.
    (
        "QueryGroupsInfoOfUser",
        "request",
        Normalise::NumberFromString("/Limit"),
    ),
    // Quirk: the older page names the room `GroupId`.
    (
        "RevokeRoomMessage",
        "request",
        Normalise::RenameKey {
            path: "",
            from: "GroupId",
            to: "RoomId",
        },
    ),
];

/// (action, sample key, violation text): samples whose quirks say they break a documented
/// rule, with the violation that rule gives.
const EXPECTED_VIOLATIONS: &[(&str, &str, &str)] = &[];

/// The values at a `/`-separated path, `*` standing for every item of an array.
fn at_path<'v>(value: &'v mut Value, path: &str) -> Vec<&'v mut Value> {
    let mut current = vec![value];
    for part in path.split('/').filter(|p| !p.is_empty()) {
        let mut next = Vec::new();
        for v in current {
            match (part, v) {
                ("*", Value::Array(items)) => next.extend(items.iter_mut()),
                (key, Value::Object(map)) => next.extend(map.get_mut(key)),
                (index, Value::Array(items)) => {
                    if let Some(item) = index.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                        next.push(item);
                    }
                }
                _ => {}
            }
        }
        current = next;
    }
    current
}

fn apply(normalise: &Normalise, value: &mut Value) -> Result<(), String> {
    match normalise {
        Normalise::NumberFromString(path) => {
            let targets = at_path(value, path);
            if targets.is_empty() {
                return Err(format!("no value at `{path}`"));
            }
            for target in targets {
                let number: serde_json::Number = target
                    .as_str()
                    .and_then(|s| s.parse().ok())
                    .ok_or_else(|| format!("`{path}` is not a number in a string: {target}"))?;
                *target = Value::Number(number);
            }
        }
        Normalise::RenameKey { path, from, to } => {
            for target in at_path(value, path) {
                if let Some(map) = target.as_object_mut()
                    && let Some(v) = map.remove(*from)
                {
                    map.insert((*to).to_owned(), v);
                }
            }
        }
    }
    Ok(())
}

/// Keys of `sample` (recursively) that `again` lacks: fields the request type dropped.
fn dropped(sample: &Value, again: &Value, path: &str, out: &mut Vec<String>) {
    match (sample, again) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                let here = format!("{path}/{key}");
                match b.get(key) {
                    Some(other) => dropped(value, other, &here, out),
                    None => out.push(here),
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                dropped(x, y, &format!("{path}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn request_samples_decode_and_validate() {
    let table = table();
    let mut failures = Vec::new();
    let mut used = BTreeSet::new();
    let mut checked = 0;
    for action in catalogue() {
        let entry = find(&table, &action.name);
        for (key, text) in samples(&action, REQUEST_KEYS) {
            let context = format!("{} `{key}`", action.name);
            let text = strip_comments_and_trailing_commas(text);
            let mut value: Value = match serde_json::from_str(&text) {
                Ok(v) => v,
                Err(e) => {
                    failures.push(format!("{context}: not JSON after normalising: {e}"));
                    continue;
                }
            };
            for (i, (_, _, normalise)) in NORMALISATIONS
                .iter()
                .enumerate()
                .filter(|(_, (a, k, _))| *a == action.name && *k == key)
            {
                used.insert(i);
                if let Err(e) = apply(normalise, &mut value) {
                    failures.push(format!("{context}: normalisation {i}: {e}"));
                }
            }
            let (violations, again) = match (entry.request)(&value.to_string()) {
                Ok(result) => result,
                Err(e) => {
                    failures.push(format!("{context}: does not decode {e}"));
                    continue;
                }
            };
            let mut lost = Vec::new();
            dropped(&value, &again, "", &mut lost);
            if !lost.is_empty() {
                failures.push(format!(
                    "{context}: keys the request type does not know: {lost:?}"
                ));
            }
            let expected: Vec<&str> = EXPECTED_VIOLATIONS
                .iter()
                .filter(|(a, k, _)| *a == action.name && *k == key)
                .map(|(_, _, v)| *v)
                .collect();
            if violations != expected {
                failures.push(format!(
                    "{context}: violations {violations:?}, expected {expected:?}"
                ));
            }
            checked += 1;
        }
    }
    let unused: Vec<usize> = (0..NORMALISATIONS.len())
        .filter(|i| !used.contains(i))
        .collect();
    if !unused.is_empty() {
        failures.push(format!("normalisations that match no sample: {unused:?}"));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked > 40, "only {checked} request samples checked");
}

#[test]
fn a_sample_that_does_not_decode_is_reported_with_its_field_path() {
    let table = table();
    let entry = find(&table, "QueryGroupsInfoOfUser");
    let error = (entry.fields)(r#"{"GroupInfoList": [{"GroupId": {"not": "an id"}}]}"#)
        .expect_err("an object is not a group id");
    assert!(error.contains("GroupInfoList[0].GroupId"), "{error}");
    let error = (entry.request)(r#"{"FromUserId": "u", "Limit": "2"}"#)
        .expect_err("requests decode strictly");
    assert!(error.contains("Limit"), "{error}");
}
