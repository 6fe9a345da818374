//! Response decoding: the envelope (`Code`, `Message`, `RequestId`) first, then, on `Code` 0,
//! the action's response fields, at top level or inside the action's wrapper object.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor,
};

use super::action::Action;
use super::error::{ApiError, Error};
use super::lenient;

/// The envelope every response carries.
#[derive(Debug, Default, Deserialize)]
pub struct Envelope {
    /// `None` when the body has no `Code` at all.
    #[serde(rename = "Code", default, deserialize_with = "lenient::deserialize")]
    pub code: Option<i64>,
    #[serde(rename = "Message", default, deserialize_with = "lenient::deserialize")]
    pub message: String,
    #[serde(
        rename = "RequestId",
        default,
        deserialize_with = "lenient::deserialize"
    )]
    pub request_id: String,
}

/// Decodes the body of a response to `A` with HTTP status `status`: the response fields on
/// `Code` 0, [`Error::Api`] on any other code, [`Error::Decode`] when the body is not an
/// envelope or the fields do not match.
pub fn decode<A: Action>(status: u16, body: &[u8]) -> Result<A::Response, Error> {
    decode_with_request_id::<A>(status, body).1
}

/// [`decode`], also returning the envelope's request id (when it has one) for logging.
pub(crate) fn decode_with_request_id<A: Action>(
    status: u16,
    body: &[u8],
) -> (Option<String>, Result<A::Response, Error>) {
    let action = A::META.name;
    if body.iter().all(u8::is_ascii_whitespace) {
        return (
            None,
            Err(Error::decode(action, status, body, "the body is empty")),
        );
    }
    let envelope: Envelope = match serde_json::from_slice(body) {
        Ok(envelope) => envelope,
        Err(err) => {
            let reason = format_args!("the body is not a JSON envelope: {err}");
            return (None, Err(Error::decode(action, status, body, reason)));
        }
    };
    let request_id = Some(envelope.request_id.clone()).filter(|id| !id.is_empty());
    let result = match envelope.code {
        None => Err(Error::decode(
            action,
            status,
            body,
            "the body has no `Code`",
        )),
        Some(0) => decode_fields::<A::Response>(body, A::META.response_wrapper)
            .map_err(|err| Error::decode(action, status, body, err)),
        Some(code) => Err(Error::Api(ApiError {
            action,
            code,
            message: envelope.message,
            request_id: envelope.request_id,
            info: A::code_info(code),
        })),
    };
    (request_id, result)
}

/// The response fields of `body`: the whole object, or the object under `wrapper`.
/// A missing or `null` wrapper reads as an empty object.
pub fn decode_fields<T: DeserializeOwned>(
    body: &[u8],
    wrapper: Option<&str>,
) -> Result<T, serde_json::Error> {
    match wrapper {
        None => serde_json::from_slice(body),
        Some(name) => {
            let mut de = serde_json::Deserializer::from_slice(body);
            let inner = Member::<T> {
                name,
                marker: PhantomData,
            }
            .deserialize(&mut de)?;
            de.end()?;
            match inner {
                Some(value) => Ok(value),
                None => serde_json::from_slice(b"{}"),
            }
        }
    }
}

/// Picks one member out of an object, skipping the others.
struct Member<'n, T> {
    name: &'n str,
    marker: PhantomData<T>,
}

impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for Member<'_, T> {
    type Value = Option<T>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, T: DeserializeOwned> Visitor<'de> for Member<'_, T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object with a `{}` member", self.name)
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Option<T>, M::Error> {
        let mut found = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == self.name {
                if found.is_some() {
                    return Err(de::Error::duplicate_field("wrapper"));
                }
                found = map.next_value::<Option<T>>()?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Fields {
        #[serde(rename = "Total", default, deserialize_with = "lenient::deserialize")]
        total: u64,
    }

    #[test]
    fn wrapped_and_unwrapped() {
        let top: Fields = decode_fields(br#"{"Code":0,"Total":"3"}"#, None).unwrap();
        assert_eq!(top.total, 3);
        let body = br#"{"Code":0,"Other":{"Total":1},"Data":{"Total":5}}"#;
        let wrapped: Fields = decode_fields(body, Some("Data")).unwrap();
        assert_eq!(wrapped.total, 5);
        let missing: Fields = decode_fields(br#"{"Code":0,"Data":null}"#, Some("Data")).unwrap();
        assert_eq!(missing.total, 0);
        assert!(decode_fields::<Fields>(br#"{"Data":{"Total":1},}"#, Some("Data")).is_err());
    }

    #[test]
    fn envelope_is_lenient() {
        let envelope: Envelope =
            serde_json::from_slice(br#"{"Code":"660300005","RequestId":123}"#).unwrap();
        assert_eq!(envelope.code, Some(660_300_005));
        assert_eq!(envelope.request_id, "123");
        assert_eq!(envelope.message, "");
    }
}
