//! Response decoding: the envelope (`Code`, `Message`, `RequestId`) and, on `Code` 0, the
//! action's response fields, at top level or inside the action's wrapper object.
//!
//! Every read goes through [`LenientDeserializer`], so the response types need no per-field
//! leniency of their own.
//!
//! Top-level responses are read in one pass: the envelope members are picked out of the
//! stream of keys while the response type reads the rest. Only when that fails (or the
//! action wraps its fields) is the body read again, envelope first, to tell an API error from
//! an undecodable body.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor,
};

use super::action::Action;
use super::error::{ApiError, Error};
use super::lenient::{self, LenientDeserializer};

/// The envelope every response carries (read it with [`lenient::from_slice`]).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Envelope {
    /// `None` when the body has no `Code` at all.
    #[serde(rename = "Code")]
    pub code: Option<i64>,
    #[serde(rename = "Message")]
    pub message: String,
    #[serde(rename = "RequestId")]
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
    if A::META.response_wrapper.is_none()
        && let Ok((envelope, response)) = decode_in_one_pass::<A::Response>(body)
    {
        let request_id = Some(envelope.request_id.clone()).filter(|id| !id.is_empty());
        let result = match envelope.code {
            Some(0) => Ok(response),
            None => Err(Error::decode(
                action,
                status,
                body,
                "the body has no `Code`",
            )),
            Some(code) => Err(Error::Api(ApiError {
                action,
                code,
                message: envelope.message,
                request_id: envelope.request_id,
                info: A::code_info(code),
            })),
        };
        return (request_id, result);
    }
    let envelope: Envelope = match lenient::from_slice(body) {
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

/// The envelope and the top-level response fields of `body`, in one pass.
pub fn decode_in_one_pass<T: DeserializeOwned>(
    body: &[u8],
) -> Result<(Envelope, T), serde_json::Error> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let decoded = LenientDeserializer(&mut de).deserialize_map(Split(PhantomData))?;
    de.end()?;
    Ok(decoded)
}

/// Reads the top-level object: the response type sees every member but the envelope's.
struct Split<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for Split<T> {
    type Value = (Envelope, T);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<(Envelope, T), M::Error> {
        let mut envelope = Envelope::default();
        let response = T::deserialize(Members {
            map,
            envelope: &mut envelope,
        })?;
        Ok((envelope, response))
    }
}

/// The members of the top-level object minus the envelope's, which go to `envelope`. Also a
/// deserializer of that object, so the response type can read it as its own.
struct Members<'e, M> {
    map: M,
    envelope: &'e mut Envelope,
}

impl<'de, M: MapAccess<'de>> Deserializer<'de> for Members<'_, M> {
    type Error = M::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, M::Error> {
        visitor.visit_map(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

impl<'de, M: MapAccess<'de>> MapAccess<'de> for Members<'_, M> {
    type Error = M::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, M::Error> {
        let mut seed = seed;
        loop {
            match self.map.next_key_seed(KeySeed(seed))? {
                None => return Ok(None),
                Some(Key::Member(key)) => return Ok(Some(key)),
                Some(Key::Envelope(member, unused)) => {
                    match member {
                        EnvelopeMember::Code => {
                            self.envelope.code = self.map.next_value_seed(PhantomData)?;
                        }
                        EnvelopeMember::Message => {
                            self.envelope.message = self.map.next_value_seed(PhantomData)?;
                        }
                        EnvelopeMember::RequestId => {
                            self.envelope.request_id = self.map.next_value_seed(PhantomData)?;
                        }
                    }
                    seed = unused;
                }
            }
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, M::Error> {
        self.map.next_value_seed(seed)
    }

    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
}

#[derive(Clone, Copy)]
enum EnvelopeMember {
    Code,
    Message,
    RequestId,
}

/// A key of the top-level object: the response's (already read by its seed) or the
/// envelope's (with the seed handed back for the next key).
enum Key<V, S> {
    Member(V),
    Envelope(EnvelopeMember, S),
}

struct KeySeed<S>(S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for KeySeed<S> {
    type Value = Key<S::Value, S>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de, S: DeserializeSeed<'de>> Visitor<'de> for KeySeed<S> {
    type Value = Key<S::Value, S>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Self::Value, E> {
        let member = match key {
            "Code" => EnvelopeMember::Code,
            "Message" => EnvelopeMember::Message,
            "RequestId" => EnvelopeMember::RequestId,
            _ => {
                return self
                    .0
                    .deserialize(de::value::StrDeserializer::<E>::new(key))
                    .map(Key::Member);
            }
        };
        Ok(Key::Envelope(member, self.0))
    }

    fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Self::Value, E> {
        let member = match key {
            "Code" => EnvelopeMember::Code,
            "Message" => EnvelopeMember::Message,
            "RequestId" => EnvelopeMember::RequestId,
            _ => {
                return self
                    .0
                    .deserialize(de::value::BorrowedStrDeserializer::<E>::new(key))
                    .map(Key::Member);
            }
        };
        Ok(Key::Envelope(member, self.0))
    }
}

/// The response fields of `body`: the whole object, or the object under `wrapper`.
/// A missing or `null` wrapper reads as an empty object.
pub fn decode_fields<T: DeserializeOwned>(
    body: &[u8],
    wrapper: Option<&str>,
) -> Result<T, serde_json::Error> {
    match wrapper {
        None => lenient::from_slice(body),
        Some(name) => {
            let mut de = serde_json::Deserializer::from_slice(body);
            let inner = Member::<T> {
                name,
                marker: PhantomData,
            }
            .deserialize(LenientDeserializer(&mut de))?;
            de.end()?;
            match inner {
                Some(value) => Ok(value),
                None => lenient::from_slice(b"{}"),
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

    #[derive(Debug, Deserialize, PartialEq, Default)]
    #[serde(default)]
    struct Fields {
        #[serde(rename = "Total")]
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
    fn one_pass_splits_envelope_and_fields() {
        let body = br#"{"Code":"0","Total":"7","Message":"ok","Nested":{"Code":3},"RequestId":12}"#;
        let (envelope, fields): (Envelope, Fields) = decode_in_one_pass(body).unwrap();
        assert_eq!(envelope.code, Some(0));
        assert_eq!(envelope.message, "ok");
        assert_eq!(envelope.request_id, "12");
        assert_eq!(fields.total, 7);
        let (envelope, _): (Envelope, Fields) = decode_in_one_pass(br#"{"Total":1}"#).unwrap();
        assert_eq!(envelope.code, None);
        assert!(decode_in_one_pass::<Fields>(br#"{"Code":0,"Total":1,}"#).is_err());
        assert!(decode_in_one_pass::<Fields>(br#"{"Code":0} x"#).is_err());
        assert!(decode_in_one_pass::<Fields>(b"[1]").is_err());
    }

    #[test]
    fn envelope_is_lenient() {
        let envelope: Envelope =
            lenient::from_slice(br#"{"Code":"660300005","RequestId":123}"#).unwrap();
        assert_eq!(envelope.code, Some(660_300_005));
        assert_eq!(envelope.request_id, "123");
        assert_eq!(envelope.message, "");
    }
}
