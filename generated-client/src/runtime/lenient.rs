//! Lenient decoding of response fields, shared by every generated response type.
//!
//! The server sends numbers as strings now and then (`"Limit": "2"`), sends `null` for absent
//! values, and sends ids beyond 2^53. Fields decoded with
//! `#[serde(default, deserialize_with = "::zim_client::runtime::lenient::deserialize")]`
//! accept all of that:
//!
//! - integers from JSON numbers or from strings holding a number, exact over the full 64-bit
//!   range (never through `f64`); a fractional number is refused rather than rounded;
//! - strings from JSON strings, numbers (their decimal text) and booleans;
//! - booleans from `true`/`false`, `0`/`1` and those as strings;
//! - `null` (and, for numbers and booleans, `""`) as the type's default; `Option` turns
//!   `null` into `None`; `Vec` and maps turn `null` into empty.
//!
//! ```
//! #[derive(serde::Deserialize)]
//! struct Page {
//!     #[serde(rename = "Total", default, deserialize_with = "zim_client::runtime::lenient::deserialize")]
//!     total: u64,
//!     #[serde(rename = "Ids", default, deserialize_with = "zim_client::runtime::lenient::deserialize")]
//!     ids: Vec<i64>,
//! }
//! let page: Page = serde_json::from_str(r#"{"Total": "18446744073709551615", "Ids": [1, "2", null]}"#)?;
//! assert_eq!(page.total, u64::MAX);
//! assert_eq!(page.ids, [1, 2, 0]);
//! # Ok::<(), serde_json::Error>(())
//! ```

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::hash::BuildHasher;
use std::marker::PhantomData;
use std::str::FromStr;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor,
};
use serde::{Deserialize, Serialize};

/// Decodes any [`Lenient`] type leniently; use it as a `deserialize_with` function.
pub fn deserialize<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Lenient,
{
    T::deserialize_lenient(deserializer)
}

/// A type that [`deserialize`] can decode leniently.
pub trait Lenient: Sized {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
}

/// Decodes a `T` leniently where serde wants a seed (sequence items, map values).
pub(crate) struct Seed<T>(pub(crate) PhantomData<T>);

impl<'de, T: Lenient> DeserializeSeed<'de> for Seed<T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        T::deserialize_lenient(deserializer)
    }
}

// ----- integers -----

struct IntVisitor<T>(PhantomData<T>);

impl<T> IntVisitor<T>
where
    T: TryFrom<i64> + TryFrom<u64> + FromStr + Default,
{
    fn from_i64<E: de::Error>(value: i64) -> Result<T, E> {
        T::try_from(value).map_err(|_| E::custom(format_args!("{value} is out of range")))
    }
    fn from_u64<E: de::Error>(value: u64) -> Result<T, E> {
        T::try_from(value).map_err(|_| E::custom(format_args!("{value} is out of range")))
    }
}

impl<'de, T> Visitor<'de> for IntVisitor<T>
where
    T: TryFrom<i64> + TryFrom<u64> + FromStr + Default,
{
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer, or a string holding one")
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<T, E> {
        Self::from_i64(value)
    }
    fn visit_u64<E: de::Error>(self, value: u64) -> Result<T, E> {
        Self::from_u64(value)
    }
    fn visit_i128<E: de::Error>(self, value: i128) -> Result<T, E> {
        match i64::try_from(value) {
            Ok(v) => Self::from_i64(v),
            Err(_) => u64::try_from(value)
                .map_err(|_| E::custom(format_args!("{value} is out of range")))
                .and_then(Self::from_u64),
        }
    }
    fn visit_u128<E: de::Error>(self, value: u128) -> Result<T, E> {
        u64::try_from(value)
            .map_err(|_| E::custom(format_args!("{value} is out of range")))
            .and_then(Self::from_u64)
    }
    fn visit_f64<E: de::Error>(self, value: f64) -> Result<T, E> {
        // Only whole numbers small enough to be exact in an f64 (|x| <= 2^53).
        const EXACT: f64 = 9_007_199_254_740_992.0;
        if value.fract() == 0.0 && value.abs() <= EXACT {
            Self::from_i64(value as i64)
        } else {
            Err(E::custom(format_args!("{value} is not an exact integer")))
        }
    }
    fn visit_bool<E: de::Error>(self, value: bool) -> Result<T, E> {
        Self::from_i64(i64::from(value))
    }
    fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            return Ok(T::default());
        }
        trimmed
            .strip_prefix('+')
            .unwrap_or(trimmed)
            .parse()
            .map_err(|_| E::invalid_value(de::Unexpected::Str(value), &self))
    }
    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        Ok(T::default())
    }
    fn visit_none<E: de::Error>(self) -> Result<T, E> {
        Ok(T::default())
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        deserializer.deserialize_any(self)
    }
}

macro_rules! lenient_int {
    ($($ty:ty),*) => {$(
        impl Lenient for $ty {
            fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_any(IntVisitor::<$ty>(PhantomData))
            }
        }
    )*};
}

lenient_int!(i8, i16, i32, i64, u8, u16, u32, u64);

// ----- floats -----

struct FloatVisitor;

impl<'de> Visitor<'de> for FloatVisitor {
    type Value = f64;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number, or a string holding one")
    }
    fn visit_f64<E: de::Error>(self, value: f64) -> Result<f64, E> {
        Ok(value)
    }
    fn visit_i64<E: de::Error>(self, value: i64) -> Result<f64, E> {
        Ok(value as f64)
    }
    fn visit_u64<E: de::Error>(self, value: u64) -> Result<f64, E> {
        Ok(value as f64)
    }
    fn visit_str<E: de::Error>(self, value: &str) -> Result<f64, E> {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            return Ok(0.0);
        }
        trimmed
            .parse()
            .map_err(|_| E::invalid_value(de::Unexpected::Str(value), &self))
    }
    fn visit_unit<E: de::Error>(self) -> Result<f64, E> {
        Ok(0.0)
    }
    fn visit_none<E: de::Error>(self) -> Result<f64, E> {
        Ok(0.0)
    }
}

impl Lenient for f64 {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(FloatVisitor)
    }
}

// ----- strings -----

struct StringVisitor;

impl<'de> Visitor<'de> for StringVisitor {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, number or boolean")
    }
    fn visit_str<E: de::Error>(self, value: &str) -> Result<String, E> {
        Ok(value.to_owned())
    }
    fn visit_string<E: de::Error>(self, value: String) -> Result<String, E> {
        Ok(value)
    }
    fn visit_i64<E: de::Error>(self, value: i64) -> Result<String, E> {
        Ok(value.to_string())
    }
    fn visit_u64<E: de::Error>(self, value: u64) -> Result<String, E> {
        Ok(value.to_string())
    }
    fn visit_i128<E: de::Error>(self, value: i128) -> Result<String, E> {
        Ok(value.to_string())
    }
    fn visit_u128<E: de::Error>(self, value: u128) -> Result<String, E> {
        Ok(value.to_string())
    }
    fn visit_f64<E: de::Error>(self, value: f64) -> Result<String, E> {
        Ok(value.to_string())
    }
    fn visit_bool<E: de::Error>(self, value: bool) -> Result<String, E> {
        Ok(value.to_string())
    }
    fn visit_unit<E: de::Error>(self) -> Result<String, E> {
        Ok(String::new())
    }
    fn visit_none<E: de::Error>(self) -> Result<String, E> {
        Ok(String::new())
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl Lenient for String {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StringVisitor)
    }
}

// ----- booleans -----

struct BoolVisitor;

impl<'de> Visitor<'de> for BoolVisitor {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a boolean, 0 or 1, or a string holding one of those")
    }
    fn visit_bool<E: de::Error>(self, value: bool) -> Result<bool, E> {
        Ok(value)
    }
    fn visit_i64<E: de::Error>(self, value: i64) -> Result<bool, E> {
        match value {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(E::invalid_value(de::Unexpected::Signed(value), &self)),
        }
    }
    fn visit_u64<E: de::Error>(self, value: u64) -> Result<bool, E> {
        match value {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(E::invalid_value(de::Unexpected::Unsigned(value), &self)),
        }
    }
    fn visit_str<E: de::Error>(self, value: &str) -> Result<bool, E> {
        match value.trim() {
            "true" | "True" | "TRUE" | "1" => Ok(true),
            "false" | "False" | "FALSE" | "0" | "" => Ok(false),
            _ => Err(E::invalid_value(de::Unexpected::Str(value), &self)),
        }
    }
    fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_none<E: de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl Lenient for bool {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(BoolVisitor)
    }
}

// ----- containers -----

struct OptionVisitor<T>(PhantomData<T>);

impl<'de, T: Lenient> Visitor<'de> for OptionVisitor<T> {
    type Value = Option<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value or null")
    }
    fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        T::deserialize_lenient(deserializer).map(Some)
    }
}

impl<T: Lenient> Lenient for Option<T> {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_option(OptionVisitor(PhantomData))
    }
}

struct VecVisitor<T>(PhantomData<T>);

impl<'de, T: Lenient> Visitor<'de> for VecVisitor<T> {
    type Value = Vec<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array or null")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element_seed(Seed::<T>(PhantomData))? {
            out.push(item);
        }
        Ok(out)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }
    fn visit_none<E: de::Error>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Vec<T>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<T: Lenient> Lenient for Vec<T> {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(VecVisitor(PhantomData))
    }
}

/// Maps keyed by an id: keys are always text, values lenient.
trait MapLike<V>: Default {
    fn put(&mut self, key: String, value: V);
}

impl<V, S: BuildHasher + Default> MapLike<V> for HashMap<String, V, S> {
    fn put(&mut self, key: String, value: V) {
        self.insert(key, value);
    }
}

impl<V> MapLike<V> for BTreeMap<String, V> {
    fn put(&mut self, key: String, value: V) {
        self.insert(key, value);
    }
}

struct MapVisitor<M, V>(PhantomData<(M, V)>);

impl<'de, M: MapLike<V>, V: Lenient> Visitor<'de> for MapVisitor<M, V> {
    type Value = M;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object or null")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<M, A::Error> {
        let mut out = M::default();
        while let Some(key) = map.next_key_seed(Seed::<String>(PhantomData))? {
            let value = map.next_value_seed(Seed::<V>(PhantomData))?;
            out.put(key, value);
        }
        Ok(out)
    }
    fn visit_unit<E: de::Error>(self) -> Result<M, E> {
        Ok(M::default())
    }
    fn visit_none<E: de::Error>(self) -> Result<M, E> {
        Ok(M::default())
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<M, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<V: Lenient, S: BuildHasher + Default> Lenient for HashMap<String, V, S> {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(MapVisitor(PhantomData))
    }
}

impl<V: Lenient> Lenient for BTreeMap<String, V> {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(MapVisitor(PhantomData))
    }
}

impl Lenient for serde_json::Value {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        serde_json::Value::deserialize(d)
    }
}

// ----- JSON held in a string -----

/// A field whose string value is itself JSON (extended data, attributes). Kept as the text the
/// server sent; [`JsonText::decode`] parses it into a typed value when the caller wants one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct JsonText(pub String);

impl JsonText {
    /// The text as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Parses the text as a `T`; `None` when the text is empty.
    pub fn decode<T: DeserializeOwned>(&self) -> Result<Option<T>, serde_json::Error> {
        decode_json_text(&self.0)
    }
}

impl From<String> for JsonText {
    fn from(text: String) -> Self {
        JsonText(text)
    }
}

impl Lenient for JsonText {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize_lenient(d).map(JsonText)
    }
}

/// Parses a string holding JSON as a `T`; `None` when the string is empty or blank.
pub fn decode_json_text<T: DeserializeOwned>(text: &str) -> Result<Option<T>, serde_json::Error> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        serde_json::from_str(text).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, PartialEq, Default)]
    #[serde(default)]
    struct Sample {
        #[serde(rename = "A", deserialize_with = "deserialize")]
        a: i32,
        #[serde(rename = "B", deserialize_with = "deserialize")]
        b: u64,
        #[serde(rename = "C", deserialize_with = "deserialize")]
        c: i64,
        #[serde(rename = "S", deserialize_with = "deserialize")]
        s: String,
        #[serde(rename = "F", deserialize_with = "deserialize")]
        f: bool,
        #[serde(rename = "O", deserialize_with = "deserialize")]
        o: Option<u32>,
        #[serde(rename = "V", deserialize_with = "deserialize")]
        v: Vec<String>,
        #[serde(rename = "M", deserialize_with = "deserialize")]
        m: BTreeMap<String, i64>,
        #[serde(rename = "J", deserialize_with = "deserialize")]
        j: JsonText,
    }

    fn parse(json: &str) -> Result<Sample, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn numbers_as_strings_and_exact_64_bit() {
        let s = parse(
            r#"{"A":"2","B":"12261423186766631832","C":-9223372036854775808,"S":9007199254740993,"F":"1","O":"7","V":[1,"x",null],"M":{"k":"5"},"J":"{\"a\":1}"}"#,
        )
        .unwrap();
        assert_eq!(s.a, 2);
        assert_eq!(s.b, 12_261_423_186_766_631_832);
        assert_eq!(s.c, i64::MIN);
        assert_eq!(s.s, "9007199254740993");
        assert!(s.f);
        assert_eq!(s.o, Some(7));
        assert_eq!(s.v, ["1", "x", ""]);
        assert_eq!(s.m.get("k"), Some(&5));
        let j: Option<serde_json::Value> = s.j.decode().unwrap();
        assert_eq!(j, Some(serde_json::json!({"a": 1})));
    }

    #[test]
    fn null_and_missing_are_defaults() {
        let s =
            parse(r#"{"A":null,"B":null,"S":null,"F":null,"O":null,"V":null,"M":null}"#).unwrap();
        assert_eq!(s, Sample::default());
        assert_eq!(parse("{}").unwrap(), Sample::default());
    }

    #[test]
    fn refuses_lossy_values() {
        assert!(parse(r#"{"A":1.5}"#).is_err());
        assert!(parse(r#"{"A":3000000000}"#).is_err());
        assert!(parse(r#"{"B":-1}"#).is_err());
        assert!(parse(r#"{"B":"12x"}"#).is_err());
        assert!(parse(r#"{"C":1e300}"#).is_err());
        assert!(parse(r#"{"F":2}"#).is_err());
        assert_eq!(parse(r#"{"A":2.0}"#).unwrap().a, 2);
    }
}
