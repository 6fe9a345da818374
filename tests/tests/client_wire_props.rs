//! Properties of the runtime's wire handling: lenient decoding keeps every 64-bit integer
//! exact whether it comes as a number or as text, and GET encoding round-trips any text.

use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use zim_client::runtime::query::{append_pairs, to_pairs};

#[derive(Debug, Deserialize)]
struct Ints {
    #[serde(
        default,
        deserialize_with = "zim_client::runtime::lenient::deserialize"
    )]
    signed: i64,
    #[serde(
        default,
        deserialize_with = "zim_client::runtime::lenient::deserialize"
    )]
    unsigned: u64,
    #[serde(
        default,
        deserialize_with = "zim_client::runtime::lenient::deserialize"
    )]
    text: String,
}

#[derive(Serialize)]
struct Query {
    #[serde(rename = "Text")]
    text: String,
    #[serde(rename = "Items")]
    items: Vec<String>,
}

/// Decodes `%XX` escapes (the encoder writes nothing else).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

proptest! {
    #[test]
    fn integers_are_exact_as_numbers_or_text(signed: i64, unsigned: u64) {
        let as_numbers = format!(r#"{{"signed": {signed}, "unsigned": {unsigned}, "text": {unsigned}}}"#);
        let as_text = format!(r#"{{"signed": "{signed}", "unsigned": "{unsigned}", "text": "{unsigned}"}}"#);
        for json in [as_numbers, as_text] {
            let ints: Ints = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(ints.signed, signed);
            prop_assert_eq!(ints.unsigned, unsigned);
            prop_assert_eq!(&ints.text, &unsigned.to_string());
        }
    }

    #[test]
    fn query_text_round_trips(text in any::<String>(), items in proptest::collection::vec(any::<String>(), 0..4)) {
        let pairs = to_pairs(&Query { text: text.clone(), items: items.clone() }).unwrap();
        let mut query = String::new();
        append_pairs(&mut query, pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let decoded: Vec<(String, String)> = query
            .split('&')
            .map(|pair| {
                let (key, value) = pair.split_once('=').unwrap();
                (percent_decode(key), percent_decode(value))
            })
            .collect();
        prop_assert_eq!(&decoded[0], &("Text".to_owned(), text));
        let decoded_items: Vec<String> = decoded[1..].iter().map(|(k, v)| {
            assert_eq!(k, "Items[]");
            v.clone()
        }).collect();
        prop_assert_eq!(decoded_items, items);
    }
}
