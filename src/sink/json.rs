//! A compact JSON writer for the output records, byte-identical to
//! `serde_json::to_writer` (compact formatter) but cheaper on the commit
//! thread: strings are scanned for bytes that need escaping eight at a time
//! (most record text has none, or only the `\n` between paragraphs), and the
//! record is written straight into the caller's buffer.
//!
//! Only what the records use is handled here (structs, maps with string
//! keys, sequences, options, unit variants, numbers, strings). Anything else
//! makes [`write`] fall back to `serde_json` for the whole value, so the
//! output never depends on which path wrote it.

use serde::ser::{self, Serialize};

/// Append `v` as compact JSON to `out`, exactly as `serde_json::to_writer` would.
pub fn write<T: Serialize + ?Sized>(out: &mut Vec<u8>, v: &T) {
    let start = out.len();
    if write_fast(out, v).is_err() {
        out.truncate(start);
        serde_json::to_writer(&mut *out, v).expect("record serializes");
    }
}

/// This writer alone: `Err` for a construct it leaves to `serde_json` (the
/// buffer then holds a partial value).
fn write_fast<T: Serialize + ?Sized>(out: &mut Vec<u8>, v: &T) -> Result<(), Unsupported> {
    v.serialize(&mut Writer { out })
}

/// A construct this writer leaves to `serde_json`.
#[derive(Debug)]
pub struct Unsupported;

impl std::fmt::Display for Unsupported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("left to serde_json")
    }
}

impl std::error::Error for Unsupported {}

impl ser::Error for Unsupported {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Unsupported
    }
}

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// High bit set in each byte of `w` that JSON must escape (`< 0x20`, `"`,
/// `\`). Borrows only run upwards, so the lowest set bit is always exact
/// (higher ones may be false positives; only the lowest is used).
#[inline(always)]
fn escape_mask(w: u64) -> u64 {
    let ctl = w.wrapping_sub(LO * 0x20) & !w;
    let q = w ^ (LO * u64::from(b'"'));
    let q = q.wrapping_sub(LO) & !q;
    let bs = w ^ (LO * u64::from(b'\\'));
    let bs = bs.wrapping_sub(LO) & !bs;
    (ctl | q | bs) & HI
}

/// serde_json's escapes: the short forms for `\b \t \n \f \r " \`, and
/// `\u00xx` (lower-case hex) for the other control bytes. DEL and non-ASCII
/// are written as they are.
#[inline]
fn write_escape(out: &mut Vec<u8>, b: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let short = match b {
        b'"' => b'"',
        b'\\' => b'\\',
        0x08 => b'b',
        0x09 => b't',
        0x0A => b'n',
        0x0C => b'f',
        0x0D => b'r',
        _ => 0,
    };
    if short != 0 {
        out.extend_from_slice(&[b'\\', short]);
    } else {
        out.extend_from_slice(&[b'\\', b'u', b'0', b'0', HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xf)]]);
    }
}

/// Append `s` as a JSON string literal.
pub fn write_str(out: &mut Vec<u8>, s: &str) {
    let b = s.as_bytes();
    out.reserve(b.len() + 2);
    out.push(b'"');
    let mut run = 0;
    let mut i = 0;
    while i < b.len() {
        if let Some(chunk) = b.get(i..i + 8) {
            let m = escape_mask(u64::from_le_bytes(chunk.try_into().expect("8 bytes")));
            if m == 0 {
                i += 8;
                continue;
            }
            i += (m.trailing_zeros() / 8) as usize;
        } else {
            // The last 1–7 bytes, padded with spaces (never escaped).
            let mut pad = [b' '; 8];
            pad[..b.len() - i].copy_from_slice(&b[i..]);
            let m = escape_mask(u64::from_le_bytes(pad));
            if m == 0 {
                break;
            }
            i += (m.trailing_zeros() / 8) as usize;
        }
        out.extend_from_slice(&b[run..i]);
        write_escape(out, b[i]);
        i += 1;
        run = i;
    }
    out.extend_from_slice(&b[run..]);
    out.push(b'"');
}

/// Decimal digits, as serde_json writes unsigned integers.
pub fn write_u64(out: &mut Vec<u8>, mut v: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

fn write_i64(out: &mut Vec<u8>, v: i64) {
    if v < 0 {
        out.push(b'-');
    }
    write_u64(out, v.unsigned_abs());
}

struct Writer<'a> {
    out: &'a mut Vec<u8>,
}

/// An open object or array: `first` until its first element is written.
pub struct Compound<'s, 'a> {
    w: &'s mut Writer<'a>,
    first: bool,
}

impl Compound<'_, '_> {
    #[inline]
    fn comma(&mut self) {
        if !self.first {
            self.w.out.push(b',');
        }
        self.first = false;
    }
}

type R = Result<(), Unsupported>;

impl<'s, 'a> ser::Serializer for &'s mut Writer<'a> {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = Compound<'s, 'a>;
    type SerializeTuple = Compound<'s, 'a>;
    type SerializeTupleStruct = Compound<'s, 'a>;
    type SerializeTupleVariant = ser::Impossible<(), Unsupported>;
    type SerializeMap = Compound<'s, 'a>;
    type SerializeStruct = Compound<'s, 'a>;
    type SerializeStructVariant = ser::Impossible<(), Unsupported>;

    fn serialize_bool(self, v: bool) -> R {
        self.out.extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> R {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i16(self, v: i16) -> R {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i32(self, v: i32) -> R {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i64(self, v: i64) -> R {
        write_i64(self.out, v);
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> R {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u16(self, v: u16) -> R {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u32(self, v: u32) -> R {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u64(self, v: u64) -> R {
        write_u64(self.out, v);
        Ok(())
    }
    // Floats are rare in the records: serde_json's own shortest-digits
    // formatting (and `null` for non-finite values) keeps them identical.
    fn serialize_f32(self, v: f32) -> R {
        serde_json::to_writer(&mut *self.out, &v).map_err(|_| Unsupported)
    }
    fn serialize_f64(self, v: f64) -> R {
        serde_json::to_writer(&mut *self.out, &v).map_err(|_| Unsupported)
    }
    fn serialize_char(self, v: char) -> R {
        self.serialize_str(v.encode_utf8(&mut [0u8; 4]))
    }
    fn serialize_str(self, v: &str) -> R {
        write_str(self.out, v);
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> R {
        Err(Unsupported)
    }
    fn serialize_none(self) -> R {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> R {
        v.serialize(self)
    }
    fn serialize_unit(self) -> R {
        self.out.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> R {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> R {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, v: &T) -> R {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> R {
        self.out.push(b'{');
        write_str(self.out, variant);
        self.out.push(b':');
        v.serialize(&mut *self)?;
        self.out.push(b'}');
        Ok(())
    }
    // serde_json closes an empty sequence or map at once and then writes
    // nothing at its end; the bytes are the same.
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'s, 'a>, Unsupported> {
        self.out.push(b'[');
        Ok(Compound { w: self, first: true })
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'s, 'a>, Unsupported> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Compound<'s, 'a>, Unsupported> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'s, 'a>, Unsupported> {
        self.out.push(b'{');
        Ok(Compound { w: self, first: true })
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Compound<'s, 'a>, Unsupported> {
        self.out.push(b'{');
        Ok(Compound { w: self, first: true })
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Unsupported> {
        Err(Unsupported)
    }
}

impl ser::SerializeSeq for Compound<'_, '_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> R {
        self.comma();
        v.serialize(&mut *self.w)
    }
    fn end(self) -> R {
        self.w.out.push(b']');
        Ok(())
    }
}

impl ser::SerializeTuple for Compound<'_, '_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> R {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> R {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> R {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> R {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> R {
        self.comma();
        k.serialize(KeyWriter { out: &mut *self.w.out })
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> R {
        self.w.out.push(b':');
        v.serialize(&mut *self.w)
    }
    fn end(self) -> R {
        self.w.out.push(b'}');
        Ok(())
    }
}

impl ser::SerializeStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> R {
        self.comma();
        write_str(self.w.out, key);
        self.w.out.push(b':');
        v.serialize(&mut *self.w)
    }
    fn end(self) -> R {
        self.w.out.push(b'}');
        Ok(())
    }
}

/// Map keys: strings only (what the records use); serde_json's quoting of
/// other key types is left to it.
struct KeyWriter<'a> {
    out: &'a mut Vec<u8>,
}

impl ser::Serializer for KeyWriter<'_> {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = ser::Impossible<(), Unsupported>;
    type SerializeTuple = ser::Impossible<(), Unsupported>;
    type SerializeTupleStruct = ser::Impossible<(), Unsupported>;
    type SerializeTupleVariant = ser::Impossible<(), Unsupported>;
    type SerializeMap = ser::Impossible<(), Unsupported>;
    type SerializeStruct = ser::Impossible<(), Unsupported>;
    type SerializeStructVariant = ser::Impossible<(), Unsupported>;

    fn serialize_str(self, v: &str) -> R {
        write_str(self.out, v);
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> R {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, v: &T) -> R {
        v.serialize(self)
    }
    fn serialize_bool(self, _: bool) -> R {
        Err(Unsupported)
    }
    fn serialize_i8(self, _: i8) -> R {
        Err(Unsupported)
    }
    fn serialize_i16(self, _: i16) -> R {
        Err(Unsupported)
    }
    fn serialize_i32(self, _: i32) -> R {
        Err(Unsupported)
    }
    fn serialize_i64(self, _: i64) -> R {
        Err(Unsupported)
    }
    fn serialize_u8(self, _: u8) -> R {
        Err(Unsupported)
    }
    fn serialize_u16(self, _: u16) -> R {
        Err(Unsupported)
    }
    fn serialize_u32(self, _: u32) -> R {
        Err(Unsupported)
    }
    fn serialize_u64(self, _: u64) -> R {
        Err(Unsupported)
    }
    fn serialize_f32(self, _: f32) -> R {
        Err(Unsupported)
    }
    fn serialize_f64(self, _: f64) -> R {
        Err(Unsupported)
    }
    fn serialize_char(self, _: char) -> R {
        Err(Unsupported)
    }
    fn serialize_bytes(self, _: &[u8]) -> R {
        Err(Unsupported)
    }
    fn serialize_none(self) -> R {
        Err(Unsupported)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> R {
        Err(Unsupported)
    }
    fn serialize_unit(self) -> R {
        Err(Unsupported)
    }
    fn serialize_unit_struct(self, _: &'static str) -> R {
        Err(Unsupported)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(self, _: &'static str, _: u32, _: &'static str, _: &T) -> R {
        Err(Unsupported)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Unsupported> {
        Err(Unsupported)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::Serialize;
    use std::collections::BTreeMap;

    fn both<T: Serialize + ?Sized>(v: &T) -> (Vec<u8>, Vec<u8>) {
        let mut ours = b"prefix".to_vec();
        write(&mut ours, v);
        (ours[6..].to_vec(), serde_json::to_vec(v).unwrap())
    }

    fn fast<T: Serialize + ?Sized>(v: &T) -> Vec<u8> {
        let mut out = Vec::new();
        write_fast(&mut out, v).expect("handled without serde_json");
        out
    }

    #[derive(Serialize)]
    #[serde(rename_all = "lowercase")]
    enum Kind {
        Alpha,
        #[serde(rename = "b-eta")]
        Beta,
    }

    #[derive(Serialize)]
    struct Inner {
        #[serde(rename = "type")]
        kind: Kind,
        n: i32,
        f: f32,
        #[serde(skip_serializing_if = "String::is_empty")]
        note: String,
    }

    #[derive(Serialize)]
    struct Outer<'a> {
        kind: &'static str,
        v: u32,
        title: Option<&'a str>,
        none: Option<u64>,
        spans: &'a [(u32, u32)],
        empty: Vec<u8>,
        list: Vec<Inner>,
        ok: bool,
        c: char,
        big: u64,
        neg: i64,
        d: f64,
        nan: f32,
        #[serde(flatten)]
        inner: &'a Inner,
        map: BTreeMap<String, Option<Kind>>,
        unit: (),
        newtype: Wrapper,
    }

    #[derive(Serialize)]
    struct Wrapper(String);

    #[test]
    fn records_shaped_values_match_serde_json_on_the_fast_path() {
        let inner = Inner { kind: Kind::Beta, n: -7, f: 0.1, note: String::new() };
        let mut map = BTreeMap::new();
        map.insert("k\u{1}\"".to_string(), Some(Kind::Alpha));
        map.insert("z".to_string(), None);
        let v = Outer {
            kind: "event",
            v: 1,
            title: Some("Tab\there, \"quoted\" \\ back, caf\u{e9} \u{2014} \u{1F600}\u{7f}\u{1f}"),
            none: None,
            spans: &[(0, 155), (157, 4_000_000_000)],
            empty: vec![],
            list: vec![
                Inner { kind: Kind::Alpha, n: i32::MIN, f: 1e-7, note: "x".into() },
                Inner { kind: Kind::Beta, n: 0, f: f32::INFINITY, note: String::new() },
            ],
            ok: true,
            c: '\n',
            big: u64::MAX,
            neg: i64::MIN,
            d: 12345.678,
            nan: f32::NAN,
            inner: &inner,
            map,
            unit: (),
            newtype: Wrapper("w".into()),
        };
        let (ours, theirs) = both(&v);
        assert_eq!(String::from_utf8(ours).unwrap(), String::from_utf8(theirs.clone()).unwrap());
        assert_eq!(fast(&v), theirs);
    }

    #[derive(Serialize)]
    enum Exotic {
        Pair(u8, u8),
    }

    #[test]
    fn other_constructs_fall_back_to_serde_json() {
        let mut keys = BTreeMap::new();
        keys.insert(3u32, "three");
        let exotic = (Exotic::Pair(1, 2), keys, serde_bytes_like(), 1u128 << 100);
        let mut out = Vec::new();
        assert!(write_fast(&mut out, &exotic).is_err());
        let (ours, theirs) = both(&exotic);
        assert_eq!(ours, theirs);
    }

    fn serde_bytes_like() -> Vec<u8> {
        vec![1, 2, 255]
    }

    proptest! {
        #[test]
        fn strings_match_serde_json(s in "(?s).{0,80}") {
            let (ours, theirs) = both(&s);
            prop_assert_eq!(ours, theirs);
        }

        #[test]
        fn control_and_escape_heavy_strings_match(chars in proptest::collection::vec(
            prop_oneof![
                (0u32..0x20).prop_map(|c| char::from_u32(c).unwrap()),
                Just('"'), Just('\\'), Just('\u{7f}'), Just('a'), Just('\u{e9}'), Just('\u{2028}'), Just('\u{1F600}'),
            ],
            0..64,
        )) {
            let s: String = chars.into_iter().collect();
            let (ours, theirs) = both(&s);
            prop_assert_eq!(ours, theirs);
        }

        #[test]
        fn integers_match_serde_json(a in any::<i64>(), b in any::<u64>(), c in any::<i8>()) {
            let (ours, theirs) = both(&(a, b, c));
            prop_assert_eq!(ours, theirs);
        }
    }
}
