//! GET encoding: a request as query pairs. Scalars become `Name=value`, booleans
//! `true`/`false`, arrays repeated `Name[]=v`; `None` and unit values are left out. Nested
//! objects cannot be written to a query string and are refused.

use std::fmt;

use serde::ser::{self, Impossible, Serialize};

/// Why a request could not be written as query pairs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError(pub String);

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for QueryError {}

impl ser::Error for QueryError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        QueryError(msg.to_string())
    }
}

/// The query pairs of `value`, a struct or a map, in field order.
pub fn to_pairs<T: Serialize + ?Sized>(value: &T) -> Result<Vec<(String, String)>, QueryError> {
    let mut out = Vec::new();
    value.serialize(Top { out: &mut out })?;
    Ok(out)
}

/// Appends `pairs` to `query` (`a=b&c=d`), percent-encoded, with a `&` before each pair
/// unless `query` is empty or ends with `?` or `&`. `[` and `]` are kept as written, so array
/// keys read `UserId[]`.
pub fn append_pairs<'a>(query: &mut String, pairs: impl IntoIterator<Item = (&'a str, &'a str)>) {
    for (key, value) in pairs {
        if !query.is_empty() && !query.ends_with(['?', '&']) {
            query.push('&');
        }
        encode_into(query, key, true);
        query.push('=');
        encode_into(query, value, false);
    }
}

/// Bytes written as they are in a query value: ASCII letters and digits and `-._~`.
const PLAIN: [bool; 256] = plain_bytes(false);
/// The same for keys, which also keep `[` and `]`.
const PLAIN_KEY: [bool; 256] = plain_bytes(true);

const fn plain_bytes(keep_brackets: bool) -> [bool; 256] {
    let mut table = [false; 256];
    let mut byte = 0u8;
    loop {
        table[byte as usize] = byte.is_ascii_alphanumeric()
            || matches!(byte, b'-' | b'.' | b'_' | b'~')
            || (keep_brackets && matches!(byte, b'[' | b']'));
        if byte == u8::MAX {
            break table;
        }
        byte += 1;
    }
}

fn encode_into(out: &mut String, text: &str, keep_brackets: bool) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    // A table rather than comparisons: hex digits and letters alternate at random in nonces
    // and signatures, which defeats branch prediction.
    let table = if keep_brackets { &PLAIN_KEY } else { &PLAIN };
    let plain = |byte: u8| table[usize::from(byte)];
    let bytes = text.as_bytes();
    let mut start = 0;
    while start < bytes.len() {
        // Runs of plain (ASCII) bytes are copied at once; they begin and end on char
        // boundaries, so `get` always finds them.
        let end = bytes[start..]
            .iter()
            .position(|&b| !plain(b))
            .map_or(bytes.len(), |run| start + run);
        out.push_str(text.get(start..end).unwrap_or_default());
        if let Some(&byte) = bytes.get(end) {
            out.push('%');
            out.push(HEX[usize::from(byte >> 4)] as char);
            out.push(HEX[usize::from(byte & 0xf)] as char);
        }
        start = end + 1;
    }
}

fn unsupported(what: &str) -> QueryError {
    QueryError(format!(
        "a GET request cannot carry {what} in its query string"
    ))
}

macro_rules! refuse {
    ($($method:ident($($arg:ty),*) -> $ret:ty: $what:literal;)*) => {$(
        fn $method(self $(, _: $arg)*) -> Result<$ret, QueryError> {
            Err(unsupported($what))
        }
    )*};
}

/// The request itself: a struct or a map of fields.
struct Top<'a> {
    out: &'a mut Vec<(String, String)>,
}

impl<'a> ser::Serializer for Top<'a> {
    type Ok = ();
    type Error = QueryError;
    type SerializeSeq = Impossible<(), QueryError>;
    type SerializeTuple = Impossible<(), QueryError>;
    type SerializeTupleStruct = Impossible<(), QueryError>;
    type SerializeTupleVariant = Impossible<(), QueryError>;
    type SerializeMap = Fields<'a>;
    type SerializeStruct = Fields<'a>;
    type SerializeStructVariant = Impossible<(), QueryError>;

    refuse! {
        serialize_bool(bool) -> (): "a bare boolean";
        serialize_i8(i8) -> (): "a bare number";
        serialize_i16(i16) -> (): "a bare number";
        serialize_i32(i32) -> (): "a bare number";
        serialize_i64(i64) -> (): "a bare number";
        serialize_u8(u8) -> (): "a bare number";
        serialize_u16(u16) -> (): "a bare number";
        serialize_u32(u32) -> (): "a bare number";
        serialize_u64(u64) -> (): "a bare number";
        serialize_f32(f32) -> (): "a bare number";
        serialize_f64(f64) -> (): "a bare number";
        serialize_char(char) -> (): "a bare character";
        serialize_str(&str) -> (): "a bare string";
        serialize_bytes(&[u8]) -> (): "bytes";
        serialize_unit_variant(&'static str, u32, &'static str) -> (): "a bare enum";
        serialize_seq(Option<usize>) -> Self::SerializeSeq: "a bare array";
        serialize_tuple(usize) -> Self::SerializeTuple: "a tuple";
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct: "a tuple";
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant: "a tuple";
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant: "an enum";
    }

    fn serialize_none(self) -> Result<(), QueryError> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), QueryError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), QueryError> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), QueryError> {
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), QueryError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), QueryError> {
        Err(unsupported("an enum"))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Fields<'a>, QueryError> {
        Ok(Fields {
            out: self.out,
            key: None,
        })
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Fields<'a>, QueryError> {
        Ok(Fields {
            out: self.out,
            key: None,
        })
    }
}

/// The fields of the request.
struct Fields<'a> {
    out: &'a mut Vec<(String, String)>,
    /// The key of a map entry whose value comes next.
    key: Option<String>,
}

impl Fields<'_> {
    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), QueryError> {
        value.serialize(Field { key, out: self.out })
    }
}

impl ser::SerializeStruct for Fields<'_> {
    type Ok = ();
    type Error = QueryError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), QueryError> {
        self.field(key, value)
    }
    fn end(self) -> Result<(), QueryError> {
        Ok(())
    }
}

impl ser::SerializeMap for Fields<'_> {
    type Ok = ();
    type Error = QueryError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), QueryError> {
        let text = key
            .serialize(Scalar)?
            .ok_or_else(|| unsupported("an empty map key"))?;
        self.key = Some(text);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), QueryError> {
        let key = self
            .key
            .take()
            .ok_or_else(|| QueryError("map value without a key".into()))?;
        self.field(&key, value)
    }
    fn end(self) -> Result<(), QueryError> {
        Ok(())
    }
}

/// One field: a scalar, an absent option or an array of scalars.
struct Field<'a, 'k> {
    key: &'k str,
    out: &'a mut Vec<(String, String)>,
}

impl Field<'_, '_> {
    fn push(self, value: String) -> Result<(), QueryError> {
        self.out.push((self.key.to_owned(), value));
        Ok(())
    }
}

impl<'a, 'k> ser::Serializer for Field<'a, 'k> {
    type Ok = ();
    type Error = QueryError;
    type SerializeSeq = Items<'a>;
    type SerializeTuple = Items<'a>;
    type SerializeTupleStruct = Impossible<(), QueryError>;
    type SerializeTupleVariant = Impossible<(), QueryError>;
    type SerializeMap = Impossible<(), QueryError>;
    type SerializeStruct = Impossible<(), QueryError>;
    type SerializeStructVariant = Impossible<(), QueryError>;

    fn serialize_bool(self, v: bool) -> Result<(), QueryError> {
        self.push(v.to_string())
    }
    fn serialize_i8(self, v: i8) -> Result<(), QueryError> {
        self.push(v.to_string())
    }
    fn serialize_i16(self, v: i16) -> Result<(), QueryError> {
        self.push(v.to_string())
    }
    fn serialize_i32(self, v: i32) -> Result<(), QueryError> {
        self.push(v.to_string())
    }
    fn serialize_i64(self, v: i64) -> Result<(), QueryError> {
        self.push(v.to_string())
    }
    fn serialize_u8(self, v: u8) -> Result<(), QueryError> {
        self.push(v.to_string())
    }
    fn serialize_u16(self, v: u16) -> Result<(), QueryError> {
        self.push(v.to_string())
    }
    fn serialize_u32(self, v: u32) -> Result<(), QueryError> {
        self.push(v.to_string())
    }
    fn serialize_u64(self, v: u64) -> Result<(), QueryError> {
        self.push(v.to_string())
    }
    fn serialize_f32(self, v: f32) -> Result<(), QueryError> {
        self.push(v.to_string())
    }
    fn serialize_f64(self, v: f64) -> Result<(), QueryError> {
        self.push(v.to_string())
    }
    fn serialize_char(self, v: char) -> Result<(), QueryError> {
        self.push(v.to_string())
    }
    fn serialize_str(self, v: &str) -> Result<(), QueryError> {
        self.push(v.to_owned())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), QueryError> {
        Err(unsupported("bytes"))
    }
    fn serialize_none(self) -> Result<(), QueryError> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), QueryError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), QueryError> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), QueryError> {
        Ok(())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), QueryError> {
        self.push(variant.to_owned())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), QueryError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), QueryError> {
        Err(self.nested())
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Items<'a>, QueryError> {
        let key = format!("{}[]", self.key);
        self.out.reserve(len.unwrap_or(0));
        Ok(Items { key, out: self.out })
    }
    fn serialize_tuple(self, len: usize) -> Result<Items<'a>, QueryError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, QueryError> {
        Err(self.nested())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, QueryError> {
        Err(self.nested())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, QueryError> {
        Err(self.nested())
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, QueryError> {
        Err(self.nested())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, QueryError> {
        Err(self.nested())
    }
}

impl Field<'_, '_> {
    fn nested(&self) -> QueryError {
        QueryError(format!(
            "`{}` is a nested object, which a GET query string cannot carry",
            self.key
        ))
    }
}

/// The items of an array field, each written as `Name[]=item`.
struct Items<'a> {
    key: String,
    out: &'a mut Vec<(String, String)>,
}

impl Items<'_> {
    fn item<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), QueryError> {
        if let Some(text) = value.serialize(Scalar)? {
            self.out.push((self.key.clone(), text));
        }
        Ok(())
    }
}

impl ser::SerializeSeq for Items<'_> {
    type Ok = ();
    type Error = QueryError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), QueryError> {
        self.item(value)
    }
    fn end(self) -> Result<(), QueryError> {
        Ok(())
    }
}

impl ser::SerializeTuple for Items<'_> {
    type Ok = ();
    type Error = QueryError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), QueryError> {
        self.item(value)
    }
    fn end(self) -> Result<(), QueryError> {
        Ok(())
    }
}

/// A scalar as text (`None` for an absent value); anything else is refused.
struct Scalar;

impl ser::Serializer for Scalar {
    type Ok = Option<String>;
    type Error = QueryError;
    type SerializeSeq = Impossible<Option<String>, QueryError>;
    type SerializeTuple = Impossible<Option<String>, QueryError>;
    type SerializeTupleStruct = Impossible<Option<String>, QueryError>;
    type SerializeTupleVariant = Impossible<Option<String>, QueryError>;
    type SerializeMap = Impossible<Option<String>, QueryError>;
    type SerializeStruct = Impossible<Option<String>, QueryError>;
    type SerializeStructVariant = Impossible<Option<String>, QueryError>;

    fn serialize_bool(self, v: bool) -> Result<Option<String>, QueryError> {
        Ok(Some(v.to_string()))
    }
    fn serialize_i8(self, v: i8) -> Result<Option<String>, QueryError> {
        Ok(Some(v.to_string()))
    }
    fn serialize_i16(self, v: i16) -> Result<Option<String>, QueryError> {
        Ok(Some(v.to_string()))
    }
    fn serialize_i32(self, v: i32) -> Result<Option<String>, QueryError> {
        Ok(Some(v.to_string()))
    }
    fn serialize_i64(self, v: i64) -> Result<Option<String>, QueryError> {
        Ok(Some(v.to_string()))
    }
    fn serialize_u8(self, v: u8) -> Result<Option<String>, QueryError> {
        Ok(Some(v.to_string()))
    }
    fn serialize_u16(self, v: u16) -> Result<Option<String>, QueryError> {
        Ok(Some(v.to_string()))
    }
    fn serialize_u32(self, v: u32) -> Result<Option<String>, QueryError> {
        Ok(Some(v.to_string()))
    }
    fn serialize_u64(self, v: u64) -> Result<Option<String>, QueryError> {
        Ok(Some(v.to_string()))
    }
    fn serialize_f32(self, v: f32) -> Result<Option<String>, QueryError> {
        Ok(Some(v.to_string()))
    }
    fn serialize_f64(self, v: f64) -> Result<Option<String>, QueryError> {
        Ok(Some(v.to_string()))
    }
    fn serialize_char(self, v: char) -> Result<Option<String>, QueryError> {
        Ok(Some(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Option<String>, QueryError> {
        Ok(Some(v.to_owned()))
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<Option<String>, QueryError> {
        Err(unsupported("bytes"))
    }
    fn serialize_none(self) -> Result<Option<String>, QueryError> {
        Ok(None)
    }
    fn serialize_some<T: Serialize + ?Sized>(
        self,
        value: &T,
    ) -> Result<Option<String>, QueryError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Option<String>, QueryError> {
        Ok(None)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Option<String>, QueryError> {
        Ok(None)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Option<String>, QueryError> {
        Ok(Some(variant.to_owned()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Option<String>, QueryError> {
        value.serialize(self)
    }

    refuse! {
        serialize_seq(Option<usize>) -> Self::SerializeSeq: "an array inside an array";
        serialize_tuple(usize) -> Self::SerializeTuple: "an array inside an array";
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct: "a tuple inside an array";
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant: "an enum inside an array";
        serialize_map(Option<usize>) -> Self::SerializeMap: "an object inside an array";
        serialize_struct(&'static str, usize) -> Self::SerializeStruct: "an object inside an array";
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant: "an enum inside an array";
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Option<String>, QueryError> {
        Err(unsupported("an enum inside an array"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize)]
    struct Inner {
        a: u8,
    }

    #[derive(serde::Serialize)]
    #[serde(rename_all = "PascalCase")]
    struct Request {
        room_id: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        limit: Option<u32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        absent: Option<String>,
        user_id: Vec<String>,
        is_all_muted: bool,
        big: u64,
    }

    #[test]
    fn scalars_arrays_and_booleans() {
        let pairs = to_pairs(&Request {
            room_id: "r 1&".into(),
            limit: Some(10),
            absent: None,
            user_id: vec!["a".into(), "b".into()],
            is_all_muted: true,
            big: u64::MAX,
        })
        .unwrap();
        let mut query = String::new();
        append_pairs(
            &mut query,
            pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        );
        assert_eq!(
            query,
            "RoomId=r%201%26&Limit=10&UserId[]=a&UserId[]=b&IsAllMuted=true&Big=18446744073709551615"
        );
    }

    #[test]
    fn nested_objects_are_refused() {
        #[derive(serde::Serialize)]
        struct Bad {
            inner: Inner,
        }
        let err = to_pairs(&Bad {
            inner: Inner { a: 1 },
        })
        .unwrap_err();
        assert!(err.0.contains("inner"), "{err}");

        #[derive(serde::Serialize)]
        struct BadItems {
            items: Vec<Inner>,
        }
        assert!(
            to_pairs(&BadItems {
                items: vec![Inner { a: 1 }]
            })
            .is_err()
        );
        assert!(to_pairs(&5u8).is_err());
    }

    #[test]
    fn unset_options_are_never_sent() {
        #[derive(serde::Serialize)]
        struct Plain {
            a: Option<u8>,
            b: Vec<Option<u8>>,
        }
        let pairs = to_pairs(&Plain {
            a: None,
            b: vec![None, Some(2)],
        })
        .unwrap();
        assert_eq!(pairs, [("b[]".to_owned(), "2".to_owned())]);
    }
}
