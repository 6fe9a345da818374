//! Response decoding: the envelope (`Code`, `Message`, `RequestId`) and, on `Code` 0, the
//! action's response fields, at top level or inside the action's wrapper object.
//!
//! Every read goes through [`LenientDeserializer`], so the response types need no per-field
//! leniency of their own. `Code` is the exception: it decides between success and failure,
//! so only an integer is a code (see [`deserialize_code`]); `""`, `false`, `0.0` or a missing
//! `Code` are undecodable responses, never a success.
//!
//! The ZIM API reports errors in `Code` with HTTP 200. A body with `Code` 0 under a status
//! outside 2xx contradicts itself (a gateway or proxy answering for the server, or a call
//! that half failed), so it is [`Error::UnexpectedStatus`], never a success; a non-zero
//! `Code` is an API error whatever the status, so its return code drives retries as usual.
//!
//! Top-level responses are read in one pass: the envelope members are picked out of the
//! stream of keys while the response type reads the rest. Only when that fails (or the
//! action wraps its fields) is the body read again, envelope first, to tell an API error from
//! an undecodable body; and only when that fails too is it read a third time, tracking the
//! field path, so the error can name where it failed (`List[3].MsgId`) without the
//! successful path paying for the tracking.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor,
};

use super::action::Action;
use super::error::{ApiError, Error, MESSAGE_MAX, REQUEST_ID_MAX, bounded};
use super::lenient::{self, LenientDeserializer};

/// The envelope every response carries (read it with [`lenient::from_slice`]).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Envelope {
    /// `None` when the body has no `Code` at all. Read by [`deserialize_code`]: a `Code`
    /// that is not an integer fails the whole envelope.
    #[serde(rename = "Code", deserialize_with = "deserialize_code_member")]
    pub code: Option<i64>,
    /// The server's `Message`.
    #[serde(rename = "Message")]
    pub message: String,
    /// The server's `RequestId`.
    #[serde(rename = "RequestId")]
    pub request_id: String,
}

/// Reads a return code (`Code`): a JSON integer, or a string holding the canonical decimal
/// text of one (`"0"`, `"660300005"`, `"-1"`), as the server sends numbers as text now and
/// then.
///
/// Stricter than the lenient rules of other fields, because the code decides success:
/// `null`, booleans, fractions and whole floats (`0.0`, and `-0`, which JSON parsers read as
/// the float -0.0), empty or blank text, and text with a `+` sign, a `-0`, leading zeros or
/// blanks are all refused, so a malformed body can never read as `Code` 0. Such text is
/// not what any JSON encoder writes for an integer; accepting it would turn a broken or
/// foreign body into a success.
pub fn deserialize_code<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    deserializer.deserialize_any(CodeVisitor)
}

fn deserialize_code_member<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<i64>, D::Error> {
    deserialize_code(deserializer).map(Some)
}

struct CodeVisitor;

impl<'de> Visitor<'de> for CodeVisitor {
    type Value = i64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("`Code` as an integer, or the decimal text of one")
    }

    fn visit_i64<E: de::Error>(self, code: i64) -> Result<i64, E> {
        Ok(code)
    }

    fn visit_u64<E: de::Error>(self, code: u64) -> Result<i64, E> {
        i64::try_from(code).map_err(|_| E::invalid_value(de::Unexpected::Unsigned(code), &self))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<i64, E> {
        parse_code_text(text).ok_or_else(|| E::invalid_value(de::Unexpected::Str(text), &self))
    }

    // Everything else (null, booleans, floats, arrays, objects) takes serde's default: an
    // "invalid type" error.
}

impl<'de> DeserializeSeed<'de> for CodeVisitor {
    type Value = i64;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<i64, D::Error> {
        deserializer.deserialize_any(self)
    }
}

/// The integer of canonical decimal text: digits, a `-` only before a non-zero number, no
/// leading zeros, no blanks.
fn parse_code_text(text: &str) -> Option<i64> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let canonical = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'))
        && !(digits == "0" && text.starts_with('-'));
    if canonical { text.parse().ok() } else { None }
}

/// Decodes the body of a response to `A` with HTTP status `status`: the response fields on
/// `Code` 0 under a 2xx status, [`Error::Api`] on any other code, [`Error::UnexpectedStatus`]
/// on `Code` 0 under another status, [`Error::Decode`] when the body is not an envelope (a
/// `Code` that is not an integer included) or the fields do not match.
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
        return outcome::<A>(status, body, envelope, |_| Ok(response));
    }
    let envelope: Envelope = match lenient::from_slice(body) {
        Ok(envelope) => envelope,
        Err(err) => {
            let why = explain_failure::<Envelope>(body, None, err);
            let reason = format_args!("the body is not a JSON envelope: {why}");
            return (None, Err(Error::decode(action, status, body, reason)));
        }
    };
    outcome::<A>(status, body, envelope, |body| {
        let wrapper = A::META.response_wrapper;
        decode_fields::<A::Response>(body, wrapper).map_err(|err| {
            let why = explain_failure::<A::Response>(body, wrapper, err);
            Error::decode(action, status, body, why)
        })
    })
}

/// What `envelope` (of `body`, with HTTP status `status`) means: the response from `fields`
/// on `Code` 0 under a 2xx status, otherwise the error it stands for.
fn outcome<A: Action>(
    status: u16,
    body: &[u8],
    envelope: Envelope,
    fields: impl FnOnce(&[u8]) -> Result<A::Response, Error>,
) -> (Option<String>, Result<A::Response, Error>) {
    let action = A::META.name;
    let message = bounded(envelope.message, MESSAGE_MAX);
    let request_id = bounded(envelope.request_id, REQUEST_ID_MAX);
    let logged_request_id = Some(request_id.clone()).filter(|id| !id.is_empty());
    let result = match envelope.code {
        None => Err(Error::decode(
            action,
            status,
            body,
            "the body has no `Code`",
        )),
        Some(0) if (200..300).contains(&status) => fields(body),
        Some(0) => Err(Error::UnexpectedStatus {
            action,
            status,
            message,
            request_id,
        }),
        Some(code) => Err(Error::Api(ApiError {
            action,
            code,
            message,
            request_id,
            info: A::code_info(code),
        })),
    };
    (logged_request_id, result)
}

/// Why `body` does not decode as `T` (the whole object, or the object under `wrapper`),
/// with the field path where it failed: `` at `List[3].MsgId`: invalid type: ... ``.
/// `failure` is the error of the failed decode, used as it is if the path cannot be found.
///
/// Reads the body once more with the path tracked; only called after a decode failed, so
/// successful decodes never pay for the tracking.
fn explain_failure<T: DeserializeOwned>(
    body: &[u8],
    wrapper: Option<&str>,
    failure: serde_json::Error,
) -> String {
    let mut track = serde_path_to_error::Track::new();
    let mut de = serde_json::Deserializer::from_slice(body);
    let tracked = serde_path_to_error::Deserializer::new(LenientDeserializer(&mut de), &mut track);
    let decoded = match wrapper {
        None => T::deserialize(tracked).map(drop),
        Some(name) => Member::<T> {
            name,
            marker: PhantomData,
        }
        .deserialize(tracked)
        .map(drop),
    };
    let error = match decoded.and_then(|()| de.end()) {
        Ok(()) => failure,
        Err(error) => error,
    };
    let path = track.path();
    let unknown = |segment: &serde_path_to_error::Segment| {
        matches!(segment, serde_path_to_error::Segment::Unknown)
    };
    if path.iter().all(unknown) {
        error.to_string()
    } else {
        format!("at `{path}`: {error}")
    }
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
                            self.envelope.code = Some(self.map.next_value_seed(CodeVisitor)?);
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
    fn only_integers_are_codes() {
        for (json, code) in [
            ("0", 0),
            ("1", 1),
            ("-1", -1),
            ("660300005", 660_300_005),
            (r#""0""#, 0),
            (r#""660300005""#, 660_300_005),
            (r#""-7""#, -7),
        ] {
            let body = format!(r#"{{"Code":{json}}}"#);
            let envelope: Envelope = lenient::from_slice(body.as_bytes()).unwrap();
            assert_eq!(envelope.code, Some(code), "{json}");
            let (envelope, _): (Envelope, Fields) = decode_in_one_pass(body.as_bytes()).unwrap();
            assert_eq!(envelope.code, Some(code), "{json}");
        }
        for json in [
            r#""""#,
            r#"" ""#,
            r#"" 0""#,
            r#""+0""#,
            r#""-0""#,
            r#""00""#,
            r#""1.0""#,
            r#""0x1""#,
            "false",
            "true",
            "null",
            "0.0",
            "-0",
            "1e3",
            "1.5",
            "9223372036854775808",
            "[]",
            "{}",
        ] {
            let body = format!(r#"{{"Code":{json},"Total":1}}"#);
            let err = lenient::from_slice::<Envelope>(body.as_bytes()).unwrap_err();
            assert!(err.to_string().contains("`Code`"), "{json}: {err}");
            assert!(
                decode_in_one_pass::<Fields>(body.as_bytes()).is_err(),
                "{json}"
            );
        }
    }

    #[derive(Debug, Deserialize, Default)]
    #[serde(default)]
    struct Page {
        #[serde(rename = "List")]
        list: Vec<Item>,
    }

    #[derive(Debug, Deserialize, Default)]
    #[serde(default)]
    struct Item {
        #[serde(rename = "MsgId")]
        msg_id: u64,
        #[serde(rename = "Tags")]
        tags: std::collections::BTreeMap<String, bool>,
    }

    /// The reason of a failed decode of `body` as `T`, as the decode path gives it.
    fn reason<T: DeserializeOwned + fmt::Debug>(body: &str, wrapper: Option<&str>) -> String {
        let body = body.as_bytes();
        let failure = decode_fields::<T>(body, wrapper).unwrap_err();
        explain_failure::<T>(body, wrapper, failure)
    }

    #[test]
    fn failures_name_the_field_path() {
        let at = |body, wrapper| reason::<Page>(body, wrapper);
        let why = at(r#"{"Code":0,"List":[{"MsgId":1},{"MsgId":"x"}]}"#, None);
        assert!(
            why.starts_with("at `List[1].MsgId`: invalid value"),
            "{why}"
        );
        let why = at(r#"{"List":[{"Tags":{"k":2}}]}"#, None);
        assert!(why.starts_with("at `List[0].Tags.k`: "), "{why}");
        let why = at(r#"{"List":{"MsgId":1}}"#, None);
        assert!(why.starts_with("at `List`: "), "{why}");
        let why = at(r#"{"Code":0,"Data":{"List":[{"MsgId":-1}]}}"#, Some("Data"));
        assert!(why.starts_with("at `Data.List[0].MsgId`: "), "{why}");
        let why = at(r#"{"List":[],}"#, None);
        assert!(
            !why.contains("at `"),
            "a syntax error has no field path: {why}"
        );
        let why = reason::<Envelope>(r#"{"Code":0,"Message":{"a":1}}"#, None);
        assert!(why.starts_with("at `Message`: "), "{why}");
        let why = reason::<Envelope>(r#"{"Code":true}"#, None);
        assert!(why.starts_with("at `Code`: "), "{why}");
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
