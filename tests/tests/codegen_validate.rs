//! Generated validators and wire behaviour, on the client generated from the test spec
//! (`tests/codegen-spec`, compiled into `zim_tests::codegen_spec_generated`).

use std::collections::BTreeMap;

use zim_client::runtime::lenient;
use zim_client::{ReturnCodeEnum, Rule, Validate, Violation};
use zim_tests::codegen_spec_generated::kitchen::list_numeric::ListNumericResponse;
use zim_tests::codegen_spec_generated::kitchen::send_everything::{Item, Level, Part, Perms, Type};
use zim_tests::codegen_spec_generated::kitchen::{
    ListStartRequest, ListStartResponse, ListStringRequest, ListStringResponse, SendEverythingCode,
    SendEverythingRequest, SendEverythingResponse,
};
use zim_tests::codegen_spec_generated::return_codes::ReturnCode;
use zim_tests::codegen_spec_generated::shared::{
    Address, CardInfo, Mood, Payload, PayloadBlob, PayloadCard, PayloadPacked, Profile,
};

/// A request that breaks no rule.
fn valid() -> SendEverythingRequest {
    SendEverythingRequest::new(
        "user_1",
        vec![Item::new("abc")],
        Type::Alpha,
        1,
        Payload::Plain("hi".into()),
    )
}

fn violations(request: &SendEverythingRequest) -> Vec<Violation> {
    match request.validate() {
        Ok(()) => Vec::new(),
        Err(v) => v.0,
    }
}

/// The single violation of `request`, as (path, rule, actual).
fn only(request: &SendEverythingRequest) -> (String, Rule, String) {
    let all = violations(request);
    assert_eq!(all.len(), 1, "expected one violation, got {all:?}");
    let v = all.into_iter().next().unwrap();
    (v.path, v.rule, v.actual)
}

#[test]
fn a_valid_request_passes() {
    assert_eq!(violations(&valid()), []);
}

#[test]
fn max_bytes_counts_bytes_of_multi_byte_text() {
    // `Name`: at most 6 bytes. "ééé" is 3 characters and 6 bytes.
    let at_limit = SendEverythingRequest {
        items: vec![Item::new("ééé")],
        ..valid()
    };
    assert_eq!(violations(&at_limit), []);
    let over = SendEverythingRequest {
        items: vec![Item::new("éééa")],
        ..valid()
    };
    assert_eq!(
        only(&over),
        ("Items[0].Name".into(), Rule::MaxBytes(6), "7 bytes".into())
    );
}

#[test]
fn max_chars_counts_characters_of_multi_byte_text() {
    // `Nick`: at most 8 characters. Eight two-byte characters are 16 bytes, still fine.
    let at_limit = valid().with_profile(Profile::new("éééééééé"));
    assert_eq!(violations(&at_limit), []);
    let over = valid().with_profile(Profile::new("ééééééééé"));
    assert_eq!(
        only(&over),
        (
            "Profile.Nick".into(),
            Rule::MaxChars(8),
            "9 characters".into()
        )
    );
}

#[test]
fn min_len_and_charset() {
    assert_eq!(violations(&valid().with_code("12")), []);
    assert_eq!(
        only(&valid().with_code("1")),
        ("Code".into(), Rule::MinLen(2), "1 characters".into())
    );
    let (path, rule, _) = only(&valid().with_code("12a"));
    assert_eq!((path.as_str(), rule), ("Code", Rule::Charset("digits")));
    let (path, rule, actual) = only(&SendEverythingRequest {
        from_user_id: "a b".into(),
        ..valid()
    });
    assert_eq!(
        (path.as_str(), rule, actual.as_str()),
        ("FromUserId", Rule::Charset("id"), "' '")
    );
    // Nested optional object with a one-character minimum.
    let empty_city =
        valid().with_profile(Profile::new("n").with_address(Address::new().with_city("")));
    assert_eq!(only(&empty_city).0, "Profile.Address.City");
}

#[test]
fn min_and_max_at_their_boundaries() {
    assert_eq!(violations(&valid().with_self_(0)), []);
    assert_eq!(
        only(&valid().with_self_(-1)),
        ("Self".into(), Rule::Min(0), "-1".into())
    );
    let part = |w| SendEverythingRequest {
        items: vec![Item::new("a").with_parts(vec![Part::new(), Part::new().with_weight(w)])],
        ..valid()
    };
    assert_eq!(violations(&part(1000)), []);
    assert_eq!(
        only(&part(1001)),
        (
            "Items[0].Parts[1].Weight".into(),
            Rule::Max(1000),
            "1001".into()
        )
    );
    // Limits inside a JSON-text field's typed value.
    let extra = |s| valid().with_extra(CardInfo::new("t").with_score(s));
    assert_eq!(violations(&extra(-5)), []);
    assert_eq!(
        only(&extra(6)),
        ("Extra.Score".into(), Rule::Max(5), "6".into())
    );
}

#[test]
fn item_counts_and_item_limits() {
    let items = |n: usize| SendEverythingRequest {
        items: vec![Item::new("a"); n],
        ..valid()
    };
    assert_eq!(violations(&items(3)), []);
    assert_eq!(
        only(&items(0)),
        ("Items".into(), Rule::MinItems(1), "0 items".into())
    );
    assert_eq!(
        only(&items(4)),
        ("Items".into(), Rule::MaxItems(3), "4 items".into())
    );

    let scores: BTreeMap<String, i32> = [("a", 1), ("b", 2), ("c", 3)]
        .map(|(k, v)| (k.to_owned(), v))
        .into();
    assert_eq!(
        only(&valid().with_scores(scores)),
        ("Scores".into(), Rule::MaxItems(2), "3 items".into())
    );

    let labels = |l: &[&str]| SendEverythingRequest {
        items: vec![Item::new("a").with_parts(vec![
            Part::new().with_labels(l.iter().map(|s| s.to_string()).collect()),
        ])],
        ..valid()
    };
    assert_eq!(violations(&labels(&["abcd", "ab"])), []);
    assert_eq!(
        only(&labels(&["abcde"])),
        (
            "Items[0].Parts[0].Labels[0]".into(),
            Rule::MaxChars(4),
            "5 characters".into()
        )
    );
    assert_eq!(only(&labels(&["a", "b", "c"])).1, Rule::MaxItems(2));
    assert_eq!(
        only(&labels(&["ok", "a.b"])).0,
        "Items[0].Parts[0].Labels[1]"
    );
}

#[test]
fn enums_flags_and_selectors() {
    // Closed enums: unknown values fail, with the allowed values listed.
    let (path, rule, actual) = only(&valid().with_level(Level::from(3)));
    assert_eq!(
        (path.as_str(), rule, actual.as_str()),
        ("Level", Rule::OneOf(&["0", "5"]), "3")
    );
    assert_eq!(only(&valid().with_other_mood(Mood::from(9))).0, "OtherMood");
    assert_eq!(
        violations(&valid().with_level(Level::High).with_mood(Mood::Sad)),
        []
    );
    // Open enums accept anything.
    assert_eq!(
        violations(&SendEverythingRequest {
            r#type: Type::from("zzz"),
            ..valid()
        }),
        []
    );
    // Flags: only documented bits.
    assert_eq!(
        violations(&valid().with_perms(Perms::READ | Perms::ADMIN)),
        []
    );
    assert_eq!(
        only(&valid().with_perms(Perms(8 | 1))),
        ("Perms".into(), Rule::Flags(7), "9".into())
    );
    assert!((Perms::READ | Perms::WRITE).contains(Perms::WRITE));
    assert!(!Perms::READ.contains(Perms::WRITE));
    // The body's shape must be the one `Kind` selects.
    let card = Payload::Card(PayloadCard::new(CardInfo::new("t")));
    assert_eq!(
        violations(&SendEverythingRequest {
            kind: 3,
            body: card.clone(),
            ..valid()
        }),
        []
    );
    assert_eq!(
        only(&SendEverythingRequest {
            kind: 1,
            body: card,
            ..valid()
        }),
        ("Body".into(), Rule::Selector("Kind"), "1".into())
    );
    // Payload fields are checked too.
    let long = Payload::Card(PayloadCard::new(CardInfo::new("12345678901")));
    assert_eq!(
        only(&SendEverythingRequest {
            kind: 2,
            body: long,
            ..valid()
        })
        .0,
        "Body.Card.Title"
    );
}

#[test]
fn every_violation_is_reported_at_once() {
    let request = SendEverythingRequest {
        from_user_id: "x".repeat(33),
        items: vec![
            Item::new("toolong"),
            Item::new("ok").with_parts(vec![Part::new().with_weight(5000)]),
        ],
        kind: 2,
        ..valid()
    }
    .with_self_(-3)
    .with_level(Level::Unknown(1))
    .with_code("x");
    let err = request.validate().unwrap_err();
    let paths: Vec<&str> = err.iter().map(|v| v.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "FromUserId",
            "Items[0].Name",
            "Items[1].Parts[0].Weight",
            "Self",
            "Level",
            "Body",
            "Code",
            "Code"
        ]
    );
    assert!(
        err.to_string()
            .contains("`FromUserId` must be at most 32 bytes, got 33 bytes"),
        "{err}"
    );
}

#[test]
fn requests_keep_wire_names_and_omit_unset_fields() {
    let request = valid();
    let json = serde_json::to_value(&request).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"FromUserId": "user_1", "Items": [{"Name": "abc"}], "type": "a", "Kind": 1, "Body": "hi"})
    );
    let full = SendEverythingRequest {
        kind: 5,
        body: Payload::Blob(PayloadBlob::new("b")),
        ..valid()
    }
    .with_self_(1)
    .with_result(true)
    .with_action("act")
    .with_match("m")
    .with_perms(Perms::READ | Perms::WRITE)
    .with_extra(CardInfo::new("t"))
    .with_mood(Mood::Happy);
    let json = serde_json::to_value(&full).unwrap();
    assert_eq!(json["Self"], 1);
    assert_eq!(json["Result"], true);
    assert_eq!(json["Action"], "act");
    assert_eq!(json["match"], "m");
    assert_eq!(json["Perms"], 3);
    assert_eq!(json["Mood"], 1);
    assert_eq!(
        json["Extra"], r#"{"Title":"t"}"#,
        "json<T> travels as JSON text"
    );
    assert_eq!(json["Body"], r#"{"Title":"b"}"#);
    // An empty string is sent as such: absent and empty differ.
    assert_eq!(
        serde_json::to_value(valid().with_code("")).unwrap()["Code"],
        ""
    );
    let packed = Payload::Packed(PayloadPacked::new().with_file_name("a b.png"));
    assert_eq!(
        serde_json::to_value(&packed).unwrap(),
        "%7B%22file_name%22%3A%22a%20b.png%22%7D"
    );
}

#[test]
fn responses_are_read_leniently() {
    let page: ListNumericResponse = lenient::from_str(
        r#"{
            "Next": "12", "Unknown": [1, 2],
            "Items": [
                {"Kind": "3", "Body": {"Card": {"Title": "t", "Score": "-2"}}, "extra": "{\"Title\":\"x\"}"},
                {"Kind": 1, "Body": 42},
                {"Kind": 6, "Body": "%7B%22file_name%22%3A%22a+b%22%7D"},
                {"Kind": 5, "Body": "{\"Title\":\"j\"}", "Extra": ""},
                {"Kind": 99, "Body": [true]}
            ]
        }"#,
    )
    .unwrap();
    assert_eq!(page.next, 12);
    let items = &page.items;
    assert_eq!(
        items[0].decode_body().unwrap(),
        Payload::Card(PayloadCard::new(CardInfo::new("t").with_score(-2)))
    );
    assert_eq!(
        items[0].decode_extra().unwrap(),
        Some(CardInfo::new("x")),
        "alias `extra`"
    );
    assert_eq!(items[1].decode_body().unwrap(), Payload::Plain("42".into()));
    assert_eq!(
        items[2].decode_body().unwrap(),
        Payload::Packed(PayloadPacked::new().with_file_name("a b"))
    );
    assert_eq!(
        items[3].decode_body().unwrap(),
        Payload::Blob(PayloadBlob::new("j"))
    );
    assert_eq!(items[3].decode_extra().unwrap(), None);
    assert_eq!(
        items[4].decode_body().unwrap(),
        Payload::Unknown(serde_json::json!([true]))
    );
    assert!(Payload::from_wire(2, &serde_json::json!("not an object")).is_err());

    let sent: SendEverythingResponse =
        lenient::from_str(r#"{"MsgIds": ["12261423186766631832", 9007199254740993], "Mood": "2"}"#)
            .unwrap();
    assert_eq!(
        sent.msg_ids,
        [12_261_423_186_766_631_832, 9_007_199_254_740_993]
    );
    assert_eq!(sent.mood, Mood::Sad);
    assert_eq!(sent.failed, []);

    // `null` anywhere reads as the default: lists of objects, objects, enums.
    let nulls: SendEverythingResponse =
        lenient::from_str(r#"{"Failed": null, "MsgIds": null, "Mood": null}"#).unwrap();
    assert_eq!(nulls, SendEverythingResponse::default());
    let nulls: SendEverythingResponse =
        lenient::from_str(r#"{"Failed": [null, {"Name": null, "SubCode": ""}]}"#).unwrap();
    assert_eq!(nulls.failed.len(), 2);
    assert_eq!(nulls.failed[1].sub_code, 0);
    let page: ListNumericResponse =
        lenient::from_str(r#"{"Items": [{"Profile": null, "Body": null}]}"#).unwrap();
    assert_eq!(page.items[0].profile, Profile::default());

    // A shared type that requests and responses both use keeps JSON text and variant values
    // raw, and decodes them on request.
    let page: ListNumericResponse = lenient::from_str(
        r#"{"Items": [{"Profile": {"Nick": "n", "Card": "{\"Title\":\"c\"}", "Kind": 1, "Body": "txt"}}]}"#,
    )
    .unwrap();
    let profile = &page.items[0].profile;
    assert_eq!(profile.decode_card().unwrap(), Some(CardInfo::new("c")));
    assert_eq!(
        profile.decode_body().unwrap(),
        Some(Payload::Plain("txt".into()))
    );
    assert_eq!(Profile::new("n").decode_body().unwrap(), None);
}

#[test]
fn pagination_partial_failure_and_codes() {
    use zim_client::{Action, Paginated, PartialFailure, QpsScope};

    let page = |next: &str| ListStringResponse {
        next_rsp: next.into(),
        names: vec!["a".into()],
    };
    assert_eq!(
        ListStringRequest::next_cursor(&page("abc")),
        Some("abc".into())
    );
    assert_eq!(ListStringRequest::next_cursor(&page("0")), None);
    assert_eq!(ListStringRequest::next_cursor(&page("")), None);
    let mut request = ListStringRequest::new();
    request.set_cursor("c".into());
    assert_eq!(request.next.as_deref(), Some("c"));
    assert_eq!(ListStringRequest::into_items(page("x")), ["a"]);

    let end: ListStartResponse = lenient::from_str(r#"{"NextFlag": 7, "FetchEnd": 1}"#).unwrap();
    assert_eq!(ListStartRequest::next_cursor(&end), None);
    let more: ListStartResponse = lenient::from_str(r#"{"NextFlag": 7, "FetchEnd": 0}"#).unwrap();
    assert_eq!(ListStartRequest::next_cursor(&more), Some(7));

    let response: SendEverythingResponse = lenient::from_str(
        r#"{"Failed": [{"Name": "a", "SubCode": "100", "SubMessage": "no"}, {"Name": "b", "SubCode": 5000}]}"#,
    )
    .unwrap();
    let failures = response.failures();
    assert_eq!(failures.len(), 2);
    assert_eq!(
        (failures[0].id, failures[0].code, failures[0].message),
        (Some("a"), 100, Some("no"))
    );
    assert_eq!(failures[1].message, Some(""));

    // Metadata and rate keys.
    let meta = SendEverythingRequest::META;
    assert_eq!(
        (meta.name, meta.qps.limit, meta.qps.scope),
        ("SendEverything", 10, QpsScope::Message)
    );
    let three = SendEverythingRequest {
        items: vec![Item::new("a"); 3],
        ..valid()
    };
    assert_eq!(three.rate_cost(), 3);
    let room = ListStringRequest::new().with_room_id("r1");
    assert_eq!(room.rate_key(), Some("r1"));
    assert_eq!(ListStringRequest::new().rate_key(), None);

    // Codes: the action's own wording first, then the global table.
    assert_eq!(
        SendEverythingCode::from(100),
        SendEverythingCode::NotAResult
    );
    assert_eq!(
        SendEverythingCode::NotAResult.meaning(),
        "Refines the global 100."
    );
    assert_eq!(SendEverythingCode::ServerBusy.fix(), "Retry later.");
    assert!(
        SendEverythingCode::ServerBusy
            .info()
            .is_some_and(|i| i.retry)
    );
    assert_eq!(SendEverythingCode::from(7), SendEverythingCode::Unknown(7));
    assert_eq!(
        SendEverythingCode::Unknown(7).meaning(),
        "Too many requests."
    );
    assert_eq!(
        SendEverythingCode::Unknown(123).meaning(),
        "unknown return code"
    );
    assert_eq!(SendEverythingCode::SelfType.code(), 5000);
    assert_eq!(ReturnCode::from(100), ReturnCode::ResultType);
    assert_eq!(
        ReturnCode::ResultType.meaning(),
        "A code whose name is a prelude type."
    );
    assert_eq!(
        SendEverythingRequest::code_info(100).map(|i| i.name),
        Some("NotAResult")
    );
}

#[test]
fn service_host_and_wrapper_metadata() {
    use zim_client::{Action, HostKind, Method};
    use zim_tests::codegen_spec_generated::data::DescribeThingRequest;
    let meta = DescribeThingRequest::META;
    assert_eq!(meta.host, HostKind::Service("data.example.invalid"));
    assert_eq!(meta.method, Method::Get);
    assert_eq!(meta.response_wrapper, Some("Data"));
    assert_eq!(meta.qps.per_day, Some(1000));
    assert!(!meta.paginated);
}

// ---------------------------------------------------------------------------------------
// Rules across fields and text rules, on the client generated from `spec/`.

mod rules_across_fields {
    use zim_client::generated::bot::robot_register::{NewBot, RobotRegisterRequest};
    use zim_client::generated::group::create_group::CreateGroupRequest;
    use zim_client::generated::group::invite_users_into_group::{
        GroupMemberInvite, InviteUsersIntoGroupRequest,
    };
    use zim_client::generated::group::update_group_data::UpdateGroupDataRequest;
    use zim_client::generated::message::edit_group_msg_body::EditGroupMsgBodyRequest;
    use zim_client::generated::shared::{
        EditType, EditableMsgType, FriendAttribute, FriendAttributeKey,
    };
    use zim_client::generated::user::update_friend_attributes::UpdateFriendAttributesRequest;
    use zim_client::{Rule, Validate};

    fn shown(request: &impl Validate) -> Vec<String> {
        match request.validate() {
            Ok(()) => Vec::new(),
            Err(v) => v.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn required_if_reports_every_missing_part_at_once() {
        let all =
            EditType::CONTENT | EditType::MENTIONS | EditType::MENTION_ALL | EditType::SUB_MSG_TYPE;
        let edit = EditGroupMsgBodyRequest::new("u1", "g1", EditableMsgType::Text, 7, all);
        assert_eq!(
            shown(&edit),
            [
                "`MessageBody` must be set when `EditType` has flag `Content` or `ExtendedData`, got nothing",
                "`AtListInfo` must be set when `EditType` has flag `Mentions`, got nothing",
                "`IsAtAll` must be set when `EditType` has flag `MentionAll`, got nothing",
                "`SubMsgType` must be set when `EditType` has flag `SubMsgType`, got nothing",
            ]
        );
        // The sender is optional for a group edit; with the flag's part given, it passes.
        let edit = EditGroupMsgBodyRequest::new(
            "u1",
            "g1",
            EditableMsgType::Custom,
            7,
            EditType::SUB_MSG_TYPE,
        )
        .with_sub_msg_type(3);
        assert_eq!(shown(&edit), Vec::<String>::new());
    }

    #[test]
    fn one_of_and_at_least_one_of_name_their_fields() {
        let none = InviteUsersIntoGroupRequest::new("u1", "g1");
        let err = none.validate().unwrap_err();
        assert_eq!(err.0[0].path, "UserIds, GroupMemberInfos");
        assert_eq!(
            err.0[0].rule,
            Rule::ExactlyOneOf(&["UserIds", "GroupMemberInfos"])
        );
        let both = InviteUsersIntoGroupRequest::new("u1", "g1")
            .with_user_ids(vec!["a".into()])
            .with_group_member_infos(vec![GroupMemberInvite::new("b")]);
        assert_eq!(
            shown(&both),
            ["`UserIds, GroupMemberInfos` must be exactly one set, got 2 set"]
        );
        // An empty list counts as not given.
        let one = InviteUsersIntoGroupRequest::new("u1", "g1")
            .with_user_ids(Vec::new())
            .with_group_member_infos(vec![GroupMemberInvite::new("b")]);
        assert!(one.validate().is_ok());

        let nothing = UpdateGroupDataRequest::new("u1", "g1");
        assert_eq!(
            shown(&nothing),
            ["`GroupAvatar, GroupName, GroupNotice` must be at least one set, got none set"]
        );
        // An empty string is a value here: it clears the name.
        assert!(
            UpdateGroupDataRequest::new("u1", "g1")
                .with_group_name("")
                .validate()
                .is_ok()
        );
    }

    #[test]
    fn prefixes_and_forbidden_starts() {
        let bots = RobotRegisterRequest::new(vec![NewBot::new("@RBT#one"), NewBot::new("bot2")]);
        assert_eq!(
            shown(&bots),
            ["`UserInfo[1].UserId` must be starting with `@RBT#`, got \"bot2\"..."]
        );
        let group = CreateGroupRequest::new("owner").with_group_id("#g");
        assert_eq!(
            shown(&group),
            ["`GroupId` must be not starting with `#`, got \"#\"..."]
        );
        assert!(
            CreateGroupRequest::new("owner")
                .with_group_id("g#")
                .validate()
                .is_ok()
        );
    }

    #[test]
    fn total_bytes_at_its_boundary() {
        let attrs = |value_len: usize| {
            vec![
                FriendAttribute::new(FriendAttributeKey::K0, "x".repeat(value_len)),
                FriendAttribute::new(FriendAttributeKey::K1, ""),
            ]
        };
        // 2 + value + 2 bytes of keys: 1020 bytes of value reach 1024 exactly.
        let at = UpdateFriendAttributesRequest::new("u1", "u2", attrs(1020));
        assert!(at.validate().is_ok(), "{:?}", at.validate());
        let over = UpdateFriendAttributesRequest::new("u1", "u2", attrs(1021));
        assert_eq!(
            shown(&over),
            ["`Attributes` must be at most 1024 bytes together, got 1025 bytes"]
        );
    }

    #[test]
    fn rules_of_a_list_item_object_apply_to_each_item() {
        use std::collections::BTreeMap;
        use zim_client::generated::conversation::set_conv_mark::{
            ConvMarkInfo, PeerConvMark, SetConvMarkRequest,
        };
        let marked = ConvMarkInfo::new("u2", true)
            .with_set_mark_c2c(BTreeMap::from([("u3".to_owned(), PeerConvMark::new(1))]));
        let request = SetConvMarkRequest::new("u1", vec![marked, ConvMarkInfo::new("u4", true)]);
        assert_eq!(
            shown(&request),
            [
                "`ConvMarkInfoList[1].SetMarkC2c, SetMarkGroup` must be at least one set, got none set"
            ]
        );
    }
}

// ---------------------------------------------------------------------------------------
// `ApplyRules` of the test spec: every rule across fields, text rule, raisable cap,
// extended type and text-or-object field the format has.

mod apply_rules {
    use std::collections::BTreeMap;

    use zim_client::runtime::lenient;
    use zim_client::{TextOrObject, Validate};
    use zim_tests::codegen_spec_generated::kitchen::apply_rules::{
        ApplyRulesRequest, ApplyRulesResponse, ChangeFlags, RuleLevel, RuleMood, RuleNote, RulePair,
    };
    use zim_tests::codegen_spec_generated::shared::RuleItemMoreState;

    fn shown(request: &ApplyRulesRequest) -> Vec<String> {
        match request.validate() {
            Ok(()) => Vec::new(),
            Err(v) => v.iter().map(ToString::to_string).collect(),
        }
    }

    /// A request that keeps every rule.
    fn valid() -> ApplyRulesRequest {
        ApplyRulesRequest::new("user_1")
            .with_by_ids(vec!["u_1".into()])
            .with_title("t")
    }

    #[test]
    fn a_request_keeping_every_rule_passes() {
        let request = valid()
            .with_change(ChangeFlags::BODY)
            .with_body("b")
            .with_level(RuleLevel::High)
            .with_reason("r")
            .with_mood(RuleMood::Bored)
            .with_pairs(vec![RulePair::new("k").with_count(1)])
            .with_attrs(BTreeMap::from([("a".to_owned(), "b".to_owned())]))
            .with_note(TextOrObject::Object(RuleNote::new("https://x")));
        assert_eq!(shown(&request), Vec::<String>::new());
    }

    #[test]
    fn one_of_at_least_one_of_and_required_if_report_together() {
        let request = ApplyRulesRequest::new("user_1")
            .with_change(ChangeFlags::TAGS | ChangeFlags::BODY)
            .with_level(RuleLevel::High);
        assert_eq!(
            shown(&request),
            [
                "`ByIds, ByQuery` must be exactly one set, got none set",
                "`Title, Notice` must be at least one set, got none set",
                "`Body` must be set when `Change` has flag `Body`, got nothing",
                "`Reason` must be set when `Level` is 2, got nothing",
            ]
        );
        // Both of a `one_of`; an empty list counts as unset; other flags and levels need nothing.
        let both = valid().with_by_query("q");
        assert_eq!(
            shown(&both),
            ["`ByIds, ByQuery` must be exactly one set, got 2 set"]
        );
        let empty_list = ApplyRulesRequest::new("user_1")
            .with_by_ids(Vec::new())
            .with_by_query("q")
            .with_notice("n")
            .with_change(ChangeFlags::TAGS)
            .with_level(RuleLevel::Low);
        assert_eq!(shown(&empty_list), Vec::<String>::new());
    }

    #[test]
    fn prefix_and_not_starting_with() {
        let request = valid().with_by_ids(vec!["u_1".into(), "x_2".into()]);
        assert_eq!(
            shown(&request),
            ["`ByIds[1]` must be starting with `u_`, got \"x_\"..."]
        );
        let request = ApplyRulesRequest::new("user_1")
            .with_by_query("#all")
            .with_title("t");
        assert_eq!(
            shown(&request),
            ["`ByQuery` must be not starting with `#`, got \"#\"..."]
        );
    }

    #[test]
    fn totals_over_item_fields_and_over_a_map() {
        let pairs = vec![
            RulePair::new("key1").with_value("value123"),
            RulePair::new("key2").with_value("v"),
        ];
        let attrs = BTreeMap::from([("abcdef".to_owned(), "ghijkl".to_owned())]);
        let request = valid().with_pairs(pairs).with_attrs(attrs.clone());
        assert_eq!(
            shown(&request),
            ["`Pairs` must be at most 16 bytes together, got 17 bytes"]
        );
        let mut over = attrs;
        over.insert("m".into(), String::new());
        assert_eq!(
            shown(&valid().with_attrs(over)),
            ["`Attrs` must be at most 12 bytes together, got 13 bytes"]
        );
    }

    #[test]
    fn rules_of_items_and_the_raisable_cap() {
        // The nested rule holds per item; the client checks the highest cap (50), not 10.
        let pairs: Vec<RulePair> = (0..12).map(|_| RulePair::new("k").with_count(1)).collect();
        let mut pairs_with_bad = pairs.clone();
        pairs_with_bad.push(RulePair::new("k"));
        assert_eq!(shown(&valid().with_pairs(pairs)), Vec::<String>::new());
        assert_eq!(
            shown(&valid().with_pairs(pairs_with_bad)),
            ["`Pairs[12].Value, Count` must be at least one set, got none set"]
        );
        let many: Vec<RulePair> = (0..51).map(|_| RulePair::new("").with_count(1)).collect();
        assert_eq!(
            shown(&valid().with_pairs(many)),
            ["`Pairs` must be at most 50 items, got 51 items"]
        );
    }

    #[test]
    fn text_or_object_validates_the_object_and_serializes_as_given() {
        let object = valid().with_note(TextOrObject::Object(RuleNote::new("http://x")));
        assert_eq!(
            shown(&object),
            ["`Note.Url` must be starting with `https://`, got \"http://x\"..."]
        );
        let text = valid().with_note("http://x".into());
        assert_eq!(shown(&text), Vec::<String>::new());
        let body = serde_json::to_value(&text).unwrap();
        assert_eq!(body["Note"], "http://x");
        let body = serde_json::to_value(&object).unwrap();
        assert_eq!(body["Note"], serde_json::json!({"Url": "http://x"}));
    }

    #[test]
    fn responses_decode_extended_types_and_both_forms() {
        let response: ApplyRulesResponse = lenient::from_str(
            r#"{"Items": [{"Name": "a", "State": 1, "Owner": "o"}],
                "Content": ["{\"Title\": \"t\"}", {"Title": "t2", "Score": "3"}, null]}"#,
        )
        .unwrap();
        assert_eq!(response.items[0].state, RuleItemMoreState::Closed);
        assert_eq!(response.items[0].owner, "o");
        assert_eq!(response.content[0].as_text(), Some("{\"Title\": \"t\"}"));
        let card = response.content[1].as_object().unwrap();
        assert_eq!((card.title.as_str(), card.score), ("t2", Some(3)));
        assert_eq!(response.content[2], TextOrObject::Text(String::new()));
        assert_eq!(
            response.content[0].parse_object().unwrap().map(|c| c.title),
            Some("t".to_owned())
        );
    }

    #[test]
    fn values_add_extends_the_shared_list() {
        assert_eq!(RuleMood::from(3), RuleMood::Bored);
        assert_eq!(RuleMood::Happy.value(), 1);
        let request = valid().with_mood(RuleMood::from(4));
        assert_eq!(shown(&request), ["`Mood` must be one of 1, 2, 3, got 4"]);
    }
}
