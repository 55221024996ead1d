//! Low-level serialisation: objects to PDF bytes with their references renumbered, text
//! strings, compression.

use anyhow::{Context, Result, anyhow, bail};
use lopdf::{Dictionary, Object, ObjectId, StringFormat};
use std::io::Write;

/// Serialised bytes with holes: what in an object of a part depends on where the part goes
/// in the volume (the numbers of the objects it refers to, its `/StructParent` numbers, the
/// prefix of its names) is left out and filled in when the part is copied.
#[derive(Default)]
pub(super) struct Template {
    pub(super) bytes: Vec<u8>,
    /// Each hole's byte position in `bytes` (increasing) and what goes there.
    pub(super) holes: Vec<(u32, Hole)>,
}

/// What fills a hole of a [`Template`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Hole {
    /// `n 0 R`, `n` the volume's number of the part's object at this index of its graph.
    Ref(u32),
    /// `n 0 R`, `n` the number of the footer's font.
    Font,
    /// The integer of a `/StructParent(s)` of the part, shifted by the part's offset.
    StructParent(i64),
    /// The part's prefix of IDs and destination names (`p3-`), in a literal string or, when
    /// `hex`, in a hexadecimal one.
    Prefix { hex: bool },
}

/// How a reference is written.
pub(super) enum Ref {
    /// As this number of the volume.
    Number(u32),
    /// As the number the object at this index of the part's graph gets.
    Local(u32),
    /// As the footer's font.
    Font,
    /// As `null`: the object does not exist.
    Null,
}

/// Which entries of an object's own dictionary (not of the dictionaries inside it, but for
/// its `/A` action) depend on the part's place.
#[derive(Clone, Copy, Default)]
pub(super) struct Marks {
    /// `/StructParent` and `/StructParents`.
    pub(super) struct_parent: bool,
    /// `/ID` (a structure element's).
    pub(super) id: bool,
    /// `/Dest`, and `/D` of a go-to action.
    pub(super) dest: bool,
    /// The same entries in the dictionary's `/A` action.
    pub(super) action: bool,
}

impl Template {
    fn push(&mut self, byte: u8) {
        self.bytes.push(byte);
    }

    fn extend(&mut self, bytes: &[u8]) {
        self.bytes.extend_from_slice(bytes);
    }

    fn hole(&mut self, hole: Hole) {
        self.holes.push((self.bytes.len() as u32, hole));
    }

    /// The bytes with the holes filled: `numbers` by index of the part's graph, `font` the
    /// footer font's number, `struct_parent` the part's offset, `prefix` its names' prefix.
    pub(super) fn fill(&self, fill: &Fill, out: &mut Vec<u8>) -> Result<()> {
        let mut at = 0usize;
        for &(pos, hole) in &self.holes {
            let pos = pos as usize;
            let literal = self
                .bytes
                .get(at..pos)
                .ok_or_else(|| anyhow!("a part's object is damaged"))?;
            out.extend_from_slice(literal);
            at = pos;
            match hole {
                Hole::Ref(index) => match fill.numbers.get(index as usize) {
                    Some(&n) if n != u32::MAX => {
                        push_number(out, n as u64);
                        out.extend_from_slice(b" 0 R");
                    }
                    _ => bail!("a part refers to an object before it is numbered"),
                },
                Hole::Font => match fill.font {
                    Some(n) => {
                        push_number(out, n as u64);
                        out.extend_from_slice(b" 0 R");
                    }
                    None => out.extend_from_slice(b"null"),
                },
                Hole::StructParent(n) => match n.saturating_add(fill.struct_parent) {
                    n if n >= 0 => push_number(out, n as u64),
                    n => write!(out, "{n}")?,
                },
                Hole::Prefix { hex: false } => out.extend_from_slice(fill.prefix),
                Hole::Prefix { hex: true } => fill
                    .prefix
                    .iter()
                    .try_for_each(|b| write!(out, "{b:02X}"))?,
            }
        }
        let rest = (self.bytes.get(at..)).ok_or_else(|| anyhow!("a part's object is damaged"))?;
        out.extend_from_slice(rest);
        Ok(())
    }
}

/// Writes `n` in decimal, without the formatting machinery (7% of copying a volume's objects).
pub(super) fn push_number(out: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

/// What fills the holes of a part's templates.
#[derive(Clone, Copy)]
pub(super) struct Fill<'a> {
    pub(super) numbers: &'a [u32],
    pub(super) font: Option<u32>,
    pub(super) struct_parent: i64,
    pub(super) prefix: &'a [u8],
}

impl Fill<'_> {
    /// For objects that have no hole but references.
    pub(super) const PLAIN: Fill<'static> = Fill {
        numbers: &[],
        font: None,
        struct_parent: 0,
        prefix: b"",
    };
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

/// Serialises an object of the volume's own: its references are its numbers.
pub(super) fn serialize(obj: &Object, out: &mut Vec<u8>) {
    let mut template = Template {
        bytes: std::mem::take(out),
        holes: Vec::new(),
    };
    write_object(
        obj,
        &|id| Ref::Number(id.0),
        Marks::default(),
        &mut template,
    );
    *out = template.bytes;
}

/// Serialises `obj` into `out`: references as `refs` says, the entries `marks` names as holes.
pub(super) fn write_object(
    obj: &Object,
    refs: &dyn Fn(&ObjectId) -> Ref,
    marks: Marks,
    out: &mut Template,
) {
    match obj {
        Object::Null => out.extend(b"null"),
        Object::Boolean(b) => out.extend(if *b { b"true" } else { b"false" }),
        Object::Integer(n) => out.extend(n.to_string().as_bytes()),
        Object::Real(x) => out.extend(real(*x).as_bytes()),
        Object::Name(name) => write_name(name, &mut out.bytes),
        Object::String(text, format) => write_string(text, *format, false, out),
        Object::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                write_object(item, refs, Marks::default(), out);
            }
            out.push(b']');
        }
        Object::Dictionary(dict) => write_dict(dict, refs, marks, out, None),
        Object::Stream(stream) => {
            write_dict(&stream.dict, refs, marks, out, Some(stream.content.len()));
            out.extend(b"\nstream\n");
            out.extend(&stream.content);
            out.extend(b"\nendstream");
        }
        Object::Reference(id) => match refs(id) {
            Ref::Number(n) => out.extend(format!("{n} 0 R").as_bytes()),
            Ref::Local(index) => out.hole(Hole::Ref(index)),
            Ref::Font => out.hole(Hole::Font),
            Ref::Null => out.extend(b"null"),
        },
    }
}

/// A string, after the part's prefix when `prefixed`.
fn write_string(text: &[u8], format: StringFormat, prefixed: bool, out: &mut Template) {
    match format {
        StringFormat::Literal => {
            out.push(b'(');
            if prefixed {
                out.hole(Hole::Prefix { hex: false });
            }
            for &b in text {
                match b {
                    b'(' | b')' | b'\\' => {
                        out.push(b'\\');
                        out.push(b);
                    }
                    b'\r' => out.extend(b"\\r"),
                    _ => out.push(b),
                }
            }
            out.push(b')');
        }
        StringFormat::Hexadecimal => {
            out.push(b'<');
            if prefixed {
                out.hole(Hole::Prefix { hex: true });
            }
            for b in text {
                out.extend(format!("{b:02X}").as_bytes());
            }
            out.push(b'>');
        }
    }
}

fn write_dict(
    dict: &Dictionary,
    refs: &dyn Fn(&ObjectId) -> Ref,
    marks: Marks,
    out: &mut Template,
    length: Option<usize>,
) {
    let is_goto = || {
        dict.get(b"S")
            .and_then(Object::as_name)
            .is_ok_and(|s| s == b"GoTo")
    };
    out.extend(b"<<");
    for (key, value) in dict.iter() {
        if length.is_some() && key == b"Length" {
            continue;
        }
        write_name(key, &mut out.bytes);
        out.push(b' ');
        match (key.as_slice(), value) {
            (b"StructParent" | b"StructParents", Object::Integer(n)) if marks.struct_parent => {
                out.hole(Hole::StructParent(*n))
            }
            (b"ID", Object::String(text, format)) if marks.id => {
                write_string(text, *format, true, out)
            }
            (b"Dest", Object::String(text, format)) if marks.dest => {
                write_string(text, *format, true, out)
            }
            (b"D", Object::String(text, format)) if marks.dest && is_goto() => {
                write_string(text, *format, true, out)
            }
            (b"A", Object::Dictionary(action)) if marks.action => {
                let inner = Marks {
                    dest: true,
                    ..Marks::default()
                };
                write_dict(action, refs, inner, out, None)
            }
            _ => write_object(value, refs, Marks::default(), out),
        }
    }
    if let Some(len) = length {
        out.extend(format!("/Length {len}").as_bytes());
    }
    out.extend(b">>");
}

pub(super) fn write_name(name: &[u8], out: &mut Vec<u8>) {
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
