//! Lenient decoding of responses, shared by every generated response type.
//!
//! The server sends numbers as strings now and then (`"Limit": "2"`), sends `null` for absent
//! values, and sends ids beyond 2^53. [`LenientDeserializer`] wraps a deserializer once and
//! accepts all of that at every depth, for any type with a plain `#[derive(Deserialize)]`;
//! [`from_slice`], [`from_str`] and [`from_value`] use it, and so does every response the
//! runtime decodes ([`super::decode`]). The [`Lenient`] trait and [`deserialize`] give the same
//! rules to a single field (`deserialize_with`) where a type is read without the wrapper:
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

    /// Parses the text as a `T`, leniently; `None` when the text is empty.
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

/// Parses a string holding JSON as a `T`, leniently; `None` when the string is empty or blank.
pub fn decode_json_text<T: DeserializeOwned>(text: &str) -> Result<Option<T>, serde_json::Error> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        from_str(text).map(Some)
    }
}

// ----- the lenient deserializer -----

/// A [`Deserializer`] that reads whatever `D` reads, leniently, at every depth.
///
/// Wrapping the deserializer once, instead of marking each field, keeps the leniency in one
/// place and lets response types use plain `#[derive(Deserialize)]`. Where the target type
/// asks for:
///
/// - an integer: JSON numbers and strings holding one, exact over the full 64-bit range (never
///   through `f64`), whole floats up to 2^53, `true`/`false` as 1/0; `null` and `""` as 0;
/// - a float: numbers and numeric strings; `null` and `""` as 0;
/// - a string: strings, numbers (their decimal text) and booleans; `null` as `""`;
/// - a boolean: `true`/`false`, 0/1 and those as strings; `null` and `""` as `false`;
/// - a sequence, map or struct: `null` as empty, so `#[serde(default)]` structs take their
///   defaults; their items and values are read through the same wrapper;
/// - an `Option`: `null` as `None`, anything else leniently as the inner type.
///
/// Unknown members are skipped as usual, renames and aliases work as derived; malformed JSON is
/// still an error.
///
/// ```
/// #[derive(Debug, Default, PartialEq, serde::Deserialize)]
/// #[serde(default)]
/// struct Page {
///     #[serde(rename = "Total")]
///     total: u64,
///     #[serde(rename = "Ids")]
///     ids: Vec<i64>,
/// }
/// let page: Page = zim_client::runtime::lenient::from_str(
///     r#"{"Total": "18446744073709551615", "Ids": [1, "2", null]}"#,
/// )?;
/// assert_eq!(page.total, u64::MAX);
/// assert_eq!(page.ids, [1, 2, 0]);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct LenientDeserializer<D>(pub D);

/// Reads a `T` leniently from JSON bytes; trailing non-whitespace is an error.
pub fn from_slice<T: DeserializeOwned>(json: &[u8]) -> Result<T, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_slice(json);
    let value = T::deserialize(LenientDeserializer(&mut de))?;
    de.end()?;
    Ok(value)
}

/// Reads a `T` leniently from JSON text; trailing non-whitespace is an error.
pub fn from_str<T: DeserializeOwned>(json: &str) -> Result<T, serde_json::Error> {
    from_slice(json.as_bytes())
}

/// Reads a `T` leniently from a [`serde_json::Value`].
pub fn from_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, serde_json::Error> {
    T::deserialize(LenientDeserializer(value))
}

macro_rules! lenient_ints {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
            self.0.deserialize_any(IntHint(visitor))
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for LenientDeserializer<D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(Wrap(visitor))
    }

    lenient_ints! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(FloatHint(visitor))
    }
    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(FloatHint(visitor))
    }
    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(BoolHint(visitor))
    }
    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(StrHint(visitor))
    }
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(StrHint(visitor))
    }
    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(StrHint(visitor))
    }
    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_bytes(Wrap(visitor))
    }
    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_byte_buf(Wrap(visitor))
    }
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_option(Wrap(visitor))
    }
    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_unit(Wrap(visitor))
    }
    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_unit_struct(name, Wrap(visitor))
    }
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_newtype_struct(name, Wrap(visitor))
    }
    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(ContainerHint(visitor, true))
    }
    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(ContainerHint(visitor, true))
    }
    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(ContainerHint(visitor, true))
    }
    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(ContainerHint(visitor, false))
    }
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(ContainerHint(visitor, false))
    }
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_enum(name, variants, Wrap(visitor))
    }
    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_identifier(visitor)
    }
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_ignored_any(visitor)
    }
    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

/// Passes a seed's deserializer on wrapped.
struct WrapSeed<S>(S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for WrapSeed<S> {
    type Value = S::Value;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(LenientDeserializer(deserializer))
    }
}

/// Sequence items read leniently.
struct WrapSeq<A>(A);

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for WrapSeq<A> {
    type Error = A::Error;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        self.0.next_element_seed(WrapSeed(seed))
    }
    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

/// Map values read leniently (keys are JSON strings and read as they are).
struct WrapMap<A>(A);

impl<'de, A: MapAccess<'de>> MapAccess<'de> for WrapMap<A> {
    type Error = A::Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.0.next_key_seed(seed)
    }
    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        self.0.next_value_seed(WrapSeed(seed))
    }
    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

/// An empty sequence and map: what `null` reads as where a container is wanted.
struct Empty<E>(PhantomData<E>);

impl<'de, E: de::Error> SeqAccess<'de> for Empty<E> {
    type Error = E;
    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, _: T) -> Result<Option<T::Value>, E> {
        Ok(None)
    }
    fn size_hint(&self) -> Option<usize> {
        Some(0)
    }
}

impl<'de, E: de::Error> MapAccess<'de> for Empty<E> {
    type Error = E;
    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, _: K) -> Result<Option<K::Value>, E> {
        Ok(None)
    }
    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, _: T) -> Result<T::Value, E> {
        Err(E::custom("a value without a key"))
    }
    fn size_hint(&self) -> Option<usize> {
        Some(0)
    }
}

/// Enum contents read leniently.
struct WrapEnum<A>(A);

impl<'de, A: de::EnumAccess<'de>> de::EnumAccess<'de> for WrapEnum<A> {
    type Error = A::Error;
    type Variant = WrapEnum<A::Variant>;
    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self::Variant), A::Error> {
        self.0
            .variant_seed(seed)
            .map(|(value, variant)| (value, WrapEnum(variant)))
    }
}

impl<'de, A: de::VariantAccess<'de>> de::VariantAccess<'de> for WrapEnum<A> {
    type Error = A::Error;
    fn unit_variant(self) -> Result<(), A::Error> {
        self.0.unit_variant()
    }
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        self.0.newtype_variant_seed(WrapSeed(seed))
    }
    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        self.0.tuple_variant(len, Wrap(visitor))
    }
    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        self.0.struct_variant(fields, Wrap(visitor))
    }
}

/// Forwards every value as it is, wrapping what is nested in it.
macro_rules! forward_nested {
    () => {
        fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<V::Value, D2::Error> {
            self.0.visit_some(LenientDeserializer(d))
        }
        fn visit_newtype_struct<D2: Deserializer<'de>>(self, d: D2) -> Result<V::Value, D2::Error> {
            self.0.visit_newtype_struct(LenientDeserializer(d))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
            self.0.visit_seq(WrapSeq(seq))
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
            self.0.visit_map(WrapMap(map))
        }
        fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
            self.0.visit_enum(WrapEnum(data))
        }
    };
}

/// Forwards the given scalar visits unchanged.
macro_rules! forward_scalars {
    ($($method:ident: $ty:ty),*) => {$(
        fn $method<E: de::Error>(self, value: $ty) -> Result<V::Value, E> {
            self.0.$method(value)
        }
    )*};
}

macro_rules! expecting_inner {
    () => {
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            self.0.expecting(f)
        }
    };
}

/// No hint: everything as it is, nested values wrapped.
struct Wrap<V>(V);

impl<'de, V: Visitor<'de>> Visitor<'de> for Wrap<V> {
    type Value = V::Value;
    expecting_inner!();
    forward_scalars!(
        visit_bool: bool, visit_i8: i8, visit_i16: i16, visit_i32: i32, visit_i64: i64,
        visit_i128: i128, visit_u8: u8, visit_u16: u16, visit_u32: u32, visit_u64: u64,
        visit_u128: u128, visit_f32: f32, visit_f64: f64, visit_char: char, visit_str: &str,
        visit_string: String, visit_bytes: &[u8], visit_byte_buf: Vec<u8>
    );
    fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<V::Value, E> {
        self.0.visit_borrowed_str(value)
    }
    fn visit_borrowed_bytes<E: de::Error>(self, value: &'de [u8]) -> Result<V::Value, E> {
        self.0.visit_borrowed_bytes(value)
    }
    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_none()
    }
    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_unit()
    }
    forward_nested!();
}

/// An integer is wanted.
struct IntHint<V>(V);

impl<'de, V: Visitor<'de>> Visitor<'de> for IntHint<V> {
    type Value = V::Value;
    expecting_inner!();
    forward_scalars!(visit_i64: i64, visit_u64: u64, visit_i128: i128, visit_u128: u128);
    fn visit_f64<E: de::Error>(self, value: f64) -> Result<V::Value, E> {
        // Only whole numbers small enough to be exact in an f64 (|x| <= 2^53).
        const EXACT: f64 = 9_007_199_254_740_992.0;
        if value.fract() == 0.0 && value.abs() <= EXACT {
            self.0.visit_i64(value as i64)
        } else {
            Err(E::invalid_value(de::Unexpected::Float(value), &self.0))
        }
    }
    fn visit_bool<E: de::Error>(self, value: bool) -> Result<V::Value, E> {
        self.0.visit_u64(u64::from(value))
    }
    fn visit_str<E: de::Error>(self, value: &str) -> Result<V::Value, E> {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            return self.0.visit_u64(0);
        }
        let digits = trimmed.strip_prefix('+').unwrap_or(trimmed);
        if digits.starts_with('-') {
            match digits.parse::<i64>() {
                Ok(n) => self.0.visit_i64(n),
                Err(_) => Err(E::invalid_value(de::Unexpected::Str(value), &self.0)),
            }
        } else {
            match digits.parse::<u64>() {
                Ok(n) => self.0.visit_u64(n),
                Err(_) => Err(E::invalid_value(de::Unexpected::Str(value), &self.0)),
            }
        }
    }
    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_u64(0)
    }
    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_u64(0)
    }
    forward_nested!();
}

/// A float is wanted.
struct FloatHint<V>(V);

impl<'de, V: Visitor<'de>> Visitor<'de> for FloatHint<V> {
    type Value = V::Value;
    expecting_inner!();
    forward_scalars!(visit_i64: i64, visit_u64: u64, visit_f64: f64);
    fn visit_str<E: de::Error>(self, value: &str) -> Result<V::Value, E> {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            return self.0.visit_f64(0.0);
        }
        match trimmed.parse::<f64>() {
            Ok(n) => self.0.visit_f64(n),
            Err(_) => Err(E::invalid_value(de::Unexpected::Str(value), &self.0)),
        }
    }
    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_f64(0.0)
    }
    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_f64(0.0)
    }
    forward_nested!();
}

/// A boolean is wanted.
struct BoolHint<V>(V);

impl<'de, V: Visitor<'de>> Visitor<'de> for BoolHint<V> {
    type Value = V::Value;
    expecting_inner!();
    forward_scalars!(visit_bool: bool);
    fn visit_i64<E: de::Error>(self, value: i64) -> Result<V::Value, E> {
        match value {
            0 => self.0.visit_bool(false),
            1 => self.0.visit_bool(true),
            _ => Err(E::invalid_value(de::Unexpected::Signed(value), &self.0)),
        }
    }
    fn visit_u64<E: de::Error>(self, value: u64) -> Result<V::Value, E> {
        match value {
            0 => self.0.visit_bool(false),
            1 => self.0.visit_bool(true),
            _ => Err(E::invalid_value(de::Unexpected::Unsigned(value), &self.0)),
        }
    }
    fn visit_str<E: de::Error>(self, value: &str) -> Result<V::Value, E> {
        match value.trim() {
            "true" | "True" | "TRUE" | "1" => self.0.visit_bool(true),
            "false" | "False" | "FALSE" | "0" | "" => self.0.visit_bool(false),
            _ => Err(E::invalid_value(de::Unexpected::Str(value), &self.0)),
        }
    }
    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_bool(false)
    }
    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_bool(false)
    }
    forward_nested!();
}

/// A string is wanted.
struct StrHint<V>(V);

impl<'de, V: Visitor<'de>> Visitor<'de> for StrHint<V> {
    type Value = V::Value;
    expecting_inner!();
    forward_scalars!(visit_str: &str, visit_string: String, visit_char: char);
    fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<V::Value, E> {
        self.0.visit_borrowed_str(value)
    }
    fn visit_i64<E: de::Error>(self, value: i64) -> Result<V::Value, E> {
        self.0.visit_string(value.to_string())
    }
    fn visit_u64<E: de::Error>(self, value: u64) -> Result<V::Value, E> {
        self.0.visit_string(value.to_string())
    }
    fn visit_i128<E: de::Error>(self, value: i128) -> Result<V::Value, E> {
        self.0.visit_string(value.to_string())
    }
    fn visit_u128<E: de::Error>(self, value: u128) -> Result<V::Value, E> {
        self.0.visit_string(value.to_string())
    }
    fn visit_f64<E: de::Error>(self, value: f64) -> Result<V::Value, E> {
        self.0.visit_string(value.to_string())
    }
    fn visit_bool<E: de::Error>(self, value: bool) -> Result<V::Value, E> {
        self.0.visit_str(if value { "true" } else { "false" })
    }
    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_str("")
    }
    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_str("")
    }
    forward_nested!();
}

/// A sequence (`true`) or a map or struct (`false`) is wanted: `null` reads as empty.
struct ContainerHint<V>(V, bool);

impl<'de, V: Visitor<'de>> Visitor<'de> for ContainerHint<V> {
    type Value = V::Value;
    expecting_inner!();
    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        if self.1 {
            self.0.visit_seq(Empty::<E>(PhantomData))
        } else {
            self.0.visit_map(Empty::<E>(PhantomData))
        }
    }
    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.visit_unit()
    }
    forward_nested!();
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

    // ----- the wrapper, on plain derives -----

    #[derive(Debug, Deserialize, PartialEq, Default)]
    #[serde(default)]
    struct Inner {
        #[serde(rename = "Id")]
        id: u64,
        #[serde(rename = "Name", alias = "Nick")]
        name: String,
        #[serde(rename = "On")]
        on: bool,
        #[serde(rename = "Tags")]
        tags: Vec<i32>,
    }

    #[derive(Debug, Deserialize, PartialEq, Default)]
    #[serde(default)]
    struct Outer {
        #[serde(rename = "Total")]
        total: i64,
        #[serde(rename = "Ratio")]
        ratio: f64,
        #[serde(rename = "Items")]
        items: Vec<Inner>,
        #[serde(rename = "One")]
        one: Inner,
        #[serde(rename = "Maybe")]
        maybe: Option<Inner>,
        #[serde(rename = "ById")]
        by_id: BTreeMap<String, Vec<u32>>,
        #[serde(rename = "Text")]
        text: JsonText,
        #[serde(rename = "Mood")]
        mood: Mood,
    }

    #[derive(Debug, Deserialize, PartialEq, Default)]
    enum Mood {
        #[default]
        Calm,
        Loud(u8),
    }

    #[test]
    fn wrapper_is_lenient_at_every_depth() {
        let outer: Outer = from_str(
            r#"{"Total":"-9223372036854775808","Ratio":"0.5","Unknown":{"x":[1,2]},
                "Items":[{"Id":"18446744073709551615","Nick":7,"On":"1","Tags":["1",2,null]},null,
                         {"Id":null,"Name":null,"On":null,"Tags":null}],
                "One":null,"Maybe":{"Id":"3"},"ById":{"a":["4",null],"b":null},
                "Text":"{\"a\":1}","Mood":{"Loud":"9"}}"#,
        )
        .unwrap();
        assert_eq!(outer.total, i64::MIN);
        assert_eq!(outer.ratio, 0.5);
        assert_eq!(
            outer.items[0],
            Inner {
                id: u64::MAX,
                name: "7".into(),
                on: true,
                tags: vec![1, 2, 0]
            }
        );
        assert_eq!(outer.items[1], Inner::default());
        assert_eq!(outer.items[2], Inner::default());
        assert_eq!(outer.one, Inner::default());
        assert_eq!(outer.maybe.as_ref().map(|i| i.id), Some(3));
        assert_eq!(outer.by_id["a"], [4, 0]);
        assert!(outer.by_id["b"].is_empty());
        assert_eq!(outer.text.as_str(), r#"{"a":1}"#);
        assert_eq!(outer.mood, Mood::Loud(9));
        let absent: Outer = from_str(r#"{"Maybe":null,"Mood":"Calm"}"#).unwrap();
        assert_eq!(absent, Outer::default());
        let value: Outer = from_value(serde_json::json!({"Total": "5"})).unwrap();
        assert_eq!(value.total, 5);
    }

    #[test]
    fn wrapper_refuses_what_is_not_json_or_lossy() {
        assert!(from_str::<Outer>(r#"{"Total":1,}"#).is_err());
        assert!(from_str::<Outer>(r#"{"Total":1} x"#).is_err());
        assert!(from_str::<Outer>(r#"{"Total":1.5}"#).is_err());
        assert!(from_str::<Outer>(r#"{"Total":"12x"}"#).is_err());
        assert!(from_str::<Outer>(r#"{"Total":1e300}"#).is_err());
        assert!(from_str::<Outer>(r#"{"Items":[{"Id":-1}]}"#).is_err());
        assert!(from_str::<Outer>(r#"{"Items":[{"On":2}]}"#).is_err());
        assert!(from_str::<Outer>(r#"{"Items":7}"#).is_err());
        assert!(from_str::<Outer>("7").is_err());
        assert_eq!(from_str::<Outer>(r#"{"Total":2.0}"#).unwrap().total, 2);
    }

    #[test]
    fn json_text_helpers_are_lenient() {
        let inner: Option<Inner> = decode_json_text(r#"{"Id":"12261423186766631832"}"#).unwrap();
        assert_eq!(inner.map(|i| i.id), Some(12_261_423_186_766_631_832));
        assert_eq!(decode_json_text::<Inner>("  ").unwrap(), None);
    }
}
