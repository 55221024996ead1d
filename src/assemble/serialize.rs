//! Low-level serialisation: objects to PDF bytes with their references renumbered, text
//! strings, compression.

use anyhow::{Context, Result};
use lopdf::{Dictionary, Object, ObjectId, StringFormat};
use std::io::Write;

/// The new number of each object of a part, by old number (an object number has one live
/// generation in a file), and of the sentinels standing for the volume's own objects.
pub(super) struct Renumber {
    pub(super) dense: Vec<u32>,
    pub(super) fixed: Vec<(ObjectId, u32)>,
    pub(super) identity: bool,
}

impl Renumber {
    /// Keeps every number: for objects made by the volume itself.
    pub(super) fn identity() -> Self {
        Renumber {
            dense: Vec::new(),
            fixed: Vec::new(),
            identity: true,
        }
    }

    pub(super) fn get(&self, id: &ObjectId) -> Option<u32> {
        if self.identity {
            return Some(id.0);
        }
        if let Some((_, n)) = self.fixed.iter().find(|(k, _)| k == id) {
            return Some(*n);
        }
        self.dense
            .get(id.0 as usize)
            .copied()
            .filter(|&n| n != u32::MAX)
    }
}

pub(super) fn collect_refs(obj: &Object, out: &mut Vec<ObjectId>) {
    match obj {
        Object::Reference(id) => out.push(*id),
        Object::Array(a) => a.iter().for_each(|o| collect_refs(o, out)),
        Object::Dictionary(d) => d.iter().for_each(|(_, v)| collect_refs(v, out)),
        Object::Stream(s) => s.dict.iter().for_each(|(_, v)| collect_refs(v, out)),
        _ => {}
    }
}

pub(super) fn remap(obj: &Object, map: &Renumber) -> Object {
    match obj {
        Object::Reference(id) => match map.get(id) {
            Some(n) => Object::Reference((n, 0)),
            None => Object::Null,
        },
        Object::Array(a) => Object::Array(a.iter().map(|o| remap(o, map)).collect()),
        Object::Dictionary(d) => {
            let mut out = Dictionary::new();
            for (k, v) in d.iter() {
                out.set(k.clone(), remap(v, map));
            }
            Object::Dictionary(out)
        }
        other => other.clone(),
    }
}

/// Serialises `obj` with its references renumbered by `map` (an id not in `map` keeps its
/// number when `map` is empty, becomes `null` otherwise).
pub(super) fn serialize(obj: &Object, map: &Renumber, out: &mut Vec<u8>) {
    match obj {
        Object::Null => out.extend_from_slice(b"null"),
        Object::Boolean(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Object::Integer(n) => out.extend_from_slice(n.to_string().as_bytes()),
        Object::Real(x) => out.extend_from_slice(real(*x).as_bytes()),
        Object::Name(name) => write_name(name, out),
        Object::String(text, StringFormat::Literal) => {
            out.push(b'(');
            for &b in text {
                match b {
                    b'(' | b')' | b'\\' => {
                        out.push(b'\\');
                        out.push(b);
                    }
                    b'\r' => out.extend_from_slice(b"\\r"),
                    _ => out.push(b),
                }
            }
            out.push(b')');
        }
        Object::String(text, StringFormat::Hexadecimal) => {
            out.push(b'<');
            for b in text {
                out.extend_from_slice(format!("{b:02X}").as_bytes());
            }
            out.push(b'>');
        }
        Object::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                serialize(item, map, out);
            }
            out.push(b']');
        }
        Object::Dictionary(dict) => write_dict(dict, map, out, None),
        Object::Stream(stream) => {
            write_dict(&stream.dict, map, out, Some(stream.content.len()));
            out.extend_from_slice(b"\nstream\n");
            out.extend_from_slice(&stream.content);
            out.extend_from_slice(b"\nendstream");
        }
        Object::Reference(id) => match map.get(id) {
            Some(n) => out.extend_from_slice(format!("{n} 0 R").as_bytes()),
            None => out.extend_from_slice(b"null"),
        },
    }
}

fn write_dict(dict: &Dictionary, map: &Renumber, out: &mut Vec<u8>, length: Option<usize>) {
    out.extend_from_slice(b"<<");
    for (key, value) in dict.iter() {
        if length.is_some() && key == b"Length" {
            continue;
        }
        write_name(key, out);
        out.push(b' ');
        serialize(value, map, out);
    }
    if let Some(len) = length {
        out.extend_from_slice(format!("/Length {len}").as_bytes());
    }
    out.extend_from_slice(b">>");
}

fn write_name(name: &[u8], out: &mut Vec<u8>) {
    out.push(b'/');
    for &b in name {
        if b" \t\n\r\x0C()<>[]{}/%#".contains(&b) || !(33..=126).contains(&b) {
            out.extend_from_slice(format!("#{b:02X}").as_bytes());
        } else {
            out.push(b);
        }
    }
}

fn real(x: f32) -> String {
    if x.fract() == 0.0 && x.abs() < 1e9 {
        return format!("{}", x as i64);
    }
    let s = format!("{x:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

/// Compression of object streams and the cross-reference stream: level 1 is ~4x faster than
/// the default 6 here and the volume only a little larger (measured on 500 sheets).
const DEFLATE_LEVEL: u32 = 1;

pub(super) fn deflate(data: &[u8]) -> Result<Vec<u8>> {
    let mut enc =
        flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(DEFLATE_LEVEL));
    enc.write_all(data).context("cannot compress")?;
    enc.finish().context("cannot compress")
}

/// A PDF text string: PDFDocEncoding-compatible ASCII as is, anything else as UTF-16BE.
pub(super) fn text_string(text: &str) -> Object {
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        Object::String(text.as_bytes().to_vec(), StringFormat::Literal)
    } else {
        let mut bytes = vec![0xfe, 0xff];
        for unit in text.encode_utf16() {
            bytes.extend_from_slice(&unit.to_be_bytes());
        }
        Object::String(bytes, StringFormat::Hexadecimal)
    }
}
