//! Properties of the runtime's lenient deserializer on plain derives: 64-bit integers stay
//! exact at any depth whether sent as numbers or as text, `null` reads as the default, unknown
//! members are skipped and aliases still apply.

use proptest::prelude::*;
use serde::Deserialize;
use zim_client::runtime::lenient::from_str;

#[derive(Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
struct Row {
    #[serde(rename = "Signed")]
    signed: i64,
    #[serde(rename = "Unsigned", alias = "U")]
    unsigned: u64,
    #[serde(rename = "Text")]
    text: String,
}

#[derive(Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
struct Page {
    #[serde(rename = "Rows")]
    rows: Vec<Row>,
    #[serde(rename = "First")]
    first: Row,
    #[serde(rename = "Maybe")]
    maybe: Option<Row>,
}

proptest! {
    #[test]
    fn integers_are_exact_at_depth(signed: i64, unsigned: u64, quote_signed: bool, quote_unsigned: bool, alias: bool) {
        let s = if quote_signed { format!("\"{signed}\"") } else { signed.to_string() };
        let u = if quote_unsigned { format!("\"{unsigned}\"") } else { unsigned.to_string() };
        let key = if alias { "U" } else { "Unsigned" };
        let row = format!(r#"{{"Signed": {s}, "{key}": {u}, "Text": {u}, "Extra": [{s}, {{"x": null}}]}}"#);
        let json = format!(r#"{{"Rows": [{row}, null, {row}], "First": {row}, "Maybe": {row}, "Unknown": {row}}}"#);
        let page: Page = from_str(&json).unwrap();
        let want = Row { signed, unsigned, text: unsigned.to_string() };
        prop_assert_eq!(&page.rows[0], &want);
        prop_assert_eq!(&page.rows[1], &Row::default());
        prop_assert_eq!(&page.rows[2], &want);
        prop_assert_eq!(&page.first, &want);
        prop_assert_eq!(page.maybe.as_ref(), Some(&want));
    }

    #[test]
    fn nulls_read_as_defaults(mask in 0u8..8) {
        let names = ["Signed", "Unsigned", "Text"];
        let members: Vec<String> = (0..3)
            .filter(|i| mask & (1 << i) != 0)
            .map(|i| format!(r#""{}": null"#, names[i]))
            .collect();
        let row = format!("{{{}}}", members.join(", "));
        let json = format!(r#"{{"Rows": [{row}], "First": {row}, "Maybe": null}}"#);
        let page: Page = from_str(&json).unwrap();
        prop_assert_eq!(page, Page { rows: vec![Row::default()], ..Page::default() });
    }

    #[test]
    fn out_of_range_text_is_refused(big in (u64::MAX as u128 + 1)..u128::MAX) {
        let json = format!(r#"{{"Unsigned": "{big}"}}"#);
        prop_assert!(from_str::<Row>(&json).is_err());
    }
}

#[test]
fn invalid_json_is_an_error() {
    assert!(from_str::<Page>(r#"{"Rows": [}"#).is_err());
    assert!(from_str::<Page>(r#"{"First": {"Signed": 1}} trailing"#).is_err());
    assert!(from_str::<Page>("").is_err());
}
