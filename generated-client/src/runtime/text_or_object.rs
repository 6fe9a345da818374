//! [`TextOrObject`]: the Rust type of a spec field typed `string | T`, a value the server sends
//! either as text or as an object (the content of a multi-item message's items is text in some
//! history queries and an object in others).

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// Text, or an object of type `T`, in the form it was received or given.
///
/// Decoding keeps a JSON string as [`TextOrObject::Text`] even when the text holds JSON of a
/// `T`: the same field carries plain text too (a text or custom item), and only the caller
/// knows from the sibling fields which it is; [`TextOrObject::parse_object`] reads such text
/// when it should hold one. A JSON object decodes into [`TextOrObject::Object`]; numbers and
/// booleans become text, `null` empty text (as every string of a response does). Serializing
/// writes the form it holds: a string, or the object.
///
/// ```
/// use zim_client::TextOrObject;
/// #[derive(Debug, PartialEq, serde::Deserialize)]
/// struct Media { file_name: String }
///
/// let text: TextOrObject<Media> = zim_client::runtime::lenient::from_str(r#""hello""#)?;
/// assert_eq!(text.as_text(), Some("hello"));
/// let object: TextOrObject<Media> =
///     zim_client::runtime::lenient::from_str(r#"{"file_name": "a.png"}"#)?;
/// assert_eq!(object.as_object(), Some(&Media { file_name: "a.png".into() }));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TextOrObject<T> {
    /// The value as text, exactly as sent.
    Text(String),
    /// The value as an object.
    Object(T),
}

impl<T> TextOrObject<T> {
    /// The text, when the value is text.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            TextOrObject::Text(text) => Some(text),
            TextOrObject::Object(_) => None,
        }
    }

    /// The object, when the value is one.
    pub fn as_object(&self) -> Option<&T> {
        match self {
            TextOrObject::Text(_) => None,
            TextOrObject::Object(object) => Some(object),
        }
    }
}

impl<T: DeserializeOwned + Clone> TextOrObject<T> {
    /// The object: as received, or read (leniently) from text holding its JSON; `None` for
    /// empty text. Text that is not JSON of a `T` is an error.
    pub fn parse_object(&self) -> Result<Option<T>, serde_json::Error> {
        match self {
            TextOrObject::Object(object) => Ok(Some(object.clone())),
            TextOrObject::Text(text) => super::lenient::decode_json_text(text),
        }
    }
}

impl<T> Default for TextOrObject<T> {
    /// Empty text, what an absent or `null` value reads as.
    fn default() -> Self {
        TextOrObject::Text(String::new())
    }
}

impl<T> From<String> for TextOrObject<T> {
    fn from(text: String) -> Self {
        TextOrObject::Text(text)
    }
}

impl<T> From<&str> for TextOrObject<T> {
    fn from(text: &str) -> Self {
        TextOrObject::Text(text.to_owned())
    }
}

impl<T: Serialize> Serialize for TextOrObject<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            TextOrObject::Text(text) => serializer.serialize_str(text),
            TextOrObject::Object(object) => object.serialize(serializer),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for TextOrObject<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TextOrObjectVisitor(PhantomData))
    }
}

struct TextOrObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for TextOrObjectVisitor<T> {
    type Value = TextOrObject<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or an object")
    }
    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        Ok(TextOrObject::Text(value.to_owned()))
    }
    fn visit_string<E: de::Error>(self, value: String) -> Result<Self::Value, E> {
        Ok(TextOrObject::Text(value))
    }
    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        Ok(TextOrObject::Text(value.to_string()))
    }
    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        Ok(TextOrObject::Text(value.to_string()))
    }
    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
        Ok(TextOrObject::Text(value.to_string()))
    }
    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Self::Value, E> {
        Ok(TextOrObject::Text(value.to_string()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(TextOrObject::default())
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(TextOrObject::default())
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        // The map access is the caller's: under the lenient deserializer its values stay
        // lenient, so the object reads like any other response object.
        T::deserialize(de::value::MapAccessDeserializer::new(map)).map(TextOrObject::Object)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
    #[serde(default)]
    struct Media {
        file_name: String,
        width: i32,
    }

    fn lenient(json: &str) -> TextOrObject<Media> {
        match crate::runtime::lenient::from_str(json) {
            Ok(value) => value,
            Err(err) => panic!("{json}: {err}"),
        }
    }

    #[test]
    fn decodes_each_form_and_keeps_json_text_as_text() {
        assert_eq!(lenient(r#""hi""#), TextOrObject::Text("hi".into()));
        assert_eq!(lenient("null"), TextOrObject::Text(String::new()));
        assert_eq!(lenient("12"), TextOrObject::Text("12".into()));
        // Lenient inside the object: a number sent as a string.
        assert_eq!(
            lenient(r#"{"file_name": "a.png", "width": "64"}"#),
            TextOrObject::Object(Media {
                file_name: "a.png".into(),
                width: 64
            })
        );
        let text = lenient(r#""{\"file_name\": \"b.png\"}""#);
        assert!(text.as_text().is_some());
        assert_eq!(
            text.parse_object().ok().flatten().map(|m| m.file_name),
            Some("b.png".to_owned())
        );
        assert!(lenient(r#""plain""#).parse_object().is_err());
        assert!(crate::runtime::lenient::from_str::<TextOrObject<Media>>("[1]").is_err());
    }

    #[test]
    fn serializes_in_the_form_it_holds() {
        let text: TextOrObject<Media> = "x".into();
        assert_eq!(serde_json::to_string(&text).ok().as_deref(), Some(r#""x""#));
        let object = TextOrObject::Object(Media {
            file_name: "a".into(),
            width: 1,
        });
        assert_eq!(
            serde_json::to_string(&object).ok().as_deref(),
            Some(r#"{"file_name":"a","width":1}"#)
        );
    }
}
