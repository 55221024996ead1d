//! Reading the parts: Typst's PDFs (one classic cross-reference table, no object streams,
//! direct stream lengths) by a small parser of this module, anything else by lopdf's reader.

use anyhow::{Result, anyhow};
use lopdf::{Dictionary, Document, Object, ObjectId, StringFormat};

/// Parses a PDF: with [`quick_parse`] if it can (Typst's files: one classic cross-reference
/// table, no object streams, direct stream lengths), else with lopdf's reader, 5 to 10 times
/// slower (parsing is most of the time of [`assemble`]).
pub(super) fn load(pdf: &[u8]) -> Result<Document> {
    if let Some(doc) = quick_parse(pdf) {
        return Ok(doc);
    }
    Document::load_mem(pdf).map_err(|e| anyhow!("cannot read pdf: {e}"))
}

/// Parses a PDF whose cross-reference table is one classic table (no update sections), whose
/// objects are all at the offsets it gives, with direct stream lengths; `None` for anything
/// else (then lopdf's reader takes over, and reports errors).
pub(super) fn quick_parse(pdf: &[u8]) -> Option<Document> {
    let (offsets, trailer) = xref_table(pdf)?;
    if trailer.has(b"Prev") || trailer.has(b"Encrypt") || trailer.has(b"XRefStm") {
        return None;
    }
    let mut doc = Document::new();
    doc.version = "1.7".to_string();
    for (id, offset) in offsets {
        let object = object_at(pdf, id, offset)?;
        doc.max_id = doc.max_id.max(id.0);
        doc.objects.insert(id, object);
    }
    doc.trailer = trailer;
    Some(doc)
}

/// The objects in use of the classic cross-reference table that
/// `startxref` points to, with their offsets, and the trailer after it.
fn xref_table(pdf: &[u8]) -> Option<(Vec<(ObjectId, usize)>, Dictionary)> {
    let tail = &pdf[pdf.len().saturating_sub(64)..];
    let at = tail.windows(9).rposition(|w| w == b"startxref")?;
    let mut p = Parser { s: tail, i: at + 9 };
    let xref = p.integer()? as usize;
    let mut p = Parser { s: pdf, i: xref };
    p.keyword(b"xref")?;
    let mut offsets = Vec::new();
    loop {
        p.space();
        if p.s.get(p.i..p.i + 7)? == b"trailer" {
            p.i += 7;
            break;
        }
        let first = p.integer()? as u32;
        let count = p.integer()? as usize;
        p.space();
        for n in 0..count {
            let entry = p.s.get(p.i..p.i + 20)?;
            if entry[17] == b'n' {
                let field = |range: std::ops::Range<usize>| std::str::from_utf8(&entry[range]).ok();
                let offset = field(0..10)?.parse::<usize>().ok()?;
                let generation = field(11..16)?.parse::<u16>().ok()?;
                offsets.push(((first + n as u32, generation), offset));
            }
            p.i += 20;
        }
    }
    let Object::Dictionary(trailer) = p.object()? else {
        return None;
    };
    Some((offsets, trailer))
}

/// The object `id` written at `offset`: `None` unless it is there, and a
/// stream has a direct length (object and cross-reference streams are
/// left to lopdf).
fn object_at(pdf: &[u8], id: ObjectId, offset: usize) -> Option<Object> {
    let mut p = Parser { s: pdf, i: offset };
    if p.integer()? != id.0 as i64 || p.integer()? != id.1 as i64 {
        return None;
    }
    p.keyword(b"obj")?;
    let mut object = p.object()?;
    p.space();
    if p.s.get(p.i..p.i + 6) == Some(b"stream") {
        let Object::Dictionary(dict) = object else {
            return None;
        };
        if dict
            .get(b"Type")
            .and_then(Object::as_name)
            .is_ok_and(|t| t == b"ObjStm" || t == b"XRef")
        {
            return None;
        }
        let Ok(Object::Integer(length)) = dict.get(b"Length") else {
            return None;
        };
        p.i += 6;
        match p.s.get(p.i)? {
            b'\r' if p.s.get(p.i + 1) == Some(&b'\n') => p.i += 2,
            b'\n' | b'\r' => p.i += 1,
            _ => return None,
        }
        let content = p.s.get(p.i..p.i + usize::try_from(*length).ok()?)?.to_vec();
        p.i += content.len();
        p.keyword(b"endstream")?;
        let mut stream = lopdf::Stream::new(dict, content);
        stream.allows_compression = false;
        object = Object::Stream(stream);
    }
    p.keyword(b"endobj")?;
    Some(object)
}

/// A PDF object parser over bytes: `None` on anything unexpected.
struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn space(&mut self) {
        while let Some(&c) = self.s.get(self.i) {
            match c {
                b' ' | b'\n' | b'\r' | b'\t' | b'\x0c' | b'\0' => self.i += 1,
                b'%' => {
                    while self
                        .s
                        .get(self.i)
                        .is_some_and(|&c| c != b'\n' && c != b'\r')
                    {
                        self.i += 1;
                    }
                }
                _ => break,
            }
        }
    }

    fn keyword(&mut self, word: &[u8]) -> Option<()> {
        self.space();
        if self.s.get(self.i..self.i + word.len())? == word {
            self.i += word.len();
            Some(())
        } else {
            None
        }
    }

    fn integer(&mut self) -> Option<i64> {
        self.space();
        let start = self.i;
        if matches!(self.s.get(self.i), Some(b'+' | b'-')) {
            self.i += 1;
        }
        while self.s.get(self.i).is_some_and(u8::is_ascii_digit) {
            self.i += 1;
        }
        std::str::from_utf8(&self.s[start..self.i])
            .ok()?
            .parse()
            .ok()
    }

    fn object(&mut self) -> Option<Object> {
        self.space();
        let c = *self.s.get(self.i)?;
        let rest = &self.s[self.i..];
        match c {
            b'/' => Some(Object::Name(self.name()?)),
            b'<' if rest.starts_with(b"<<") => self.dictionary(),
            b'<' => self.hex_string(),
            b'(' => self.literal_string(),
            b'[' => self.array(),
            b't' if rest.starts_with(b"true") => {
                self.i += 4;
                Some(Object::Boolean(true))
            }
            b'f' if rest.starts_with(b"false") => {
                self.i += 5;
                Some(Object::Boolean(false))
            }
            b'n' if rest.starts_with(b"null") => {
                self.i += 4;
                Some(Object::Null)
            }
            b'0'..=b'9' | b'+' | b'-' | b'.' => self.number_or_reference(),
            _ => None,
        }
    }

    /// `<< /Key value ... >>`, the cursor on its first `<`.
    fn dictionary(&mut self) -> Option<Object> {
        self.i += 2;
        let mut dict = Dictionary::new();
        loop {
            self.space();
            match self.s.get(self.i)? {
                b'>' => {
                    if self.s.get(self.i + 1) != Some(&b'>') {
                        return None;
                    }
                    self.i += 2;
                    return Some(Object::Dictionary(dict));
                }
                b'/' => {
                    let key = self.name()?;
                    let value = self.object()?;
                    dict.set(key, value);
                }
                _ => return None,
            }
        }
    }

    /// `<48656C6C6F>`, the cursor on its `<`.
    fn hex_string(&mut self) -> Option<Object> {
        self.i += 1;
        let mut bytes = Vec::new();
        let mut high: Option<u8> = None;
        loop {
            let c = *self.s.get(self.i)?;
            self.i += 1;
            let digit = match c {
                b'>' => break,
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                b'A'..=b'F' => c - b'A' + 10,
                b' ' | b'\n' | b'\r' | b'\t' | b'\x0c' => continue,
                _ => return None,
            };
            match high.take() {
                Some(h) => bytes.push(h << 4 | digit),
                None => high = Some(digit),
            }
        }
        if let Some(h) = high {
            bytes.push(h << 4);
        }
        Some(Object::String(bytes, StringFormat::Hexadecimal))
    }

    /// `(text)`, balanced parentheses and escapes, the cursor on its `(`.
    fn literal_string(&mut self) -> Option<Object> {
        self.i += 1;
        let mut bytes = Vec::new();
        let mut depth = 0;
        loop {
            let c = *self.s.get(self.i)?;
            self.i += 1;
            match c {
                b'(' => {
                    depth += 1;
                    bytes.push(c);
                }
                b')' if depth == 0 => break,
                b')' => {
                    depth -= 1;
                    bytes.push(c);
                }
                b'\\' => self.escape(&mut bytes)?,
                b'\r' => {
                    // An end of line in a literal string is a line feed.
                    if self.s.get(self.i) == Some(&b'\n') {
                        self.i += 1;
                    }
                    bytes.push(b'\n');
                }
                _ => bytes.push(c),
            }
        }
        Some(Object::String(bytes, StringFormat::Literal))
    }

    /// The escape after a `\` in a literal string, added to `bytes`.
    fn escape(&mut self, bytes: &mut Vec<u8>) -> Option<()> {
        let e = *self.s.get(self.i)?;
        self.i += 1;
        match e {
            b'n' => bytes.push(b'\n'),
            b'r' => bytes.push(b'\r'),
            b't' => bytes.push(b'\t'),
            b'b' => bytes.push(0x08),
            b'f' => bytes.push(0x0c),
            b'0'..=b'7' => {
                let mut value = u32::from(e - b'0');
                for _ in 0..2 {
                    match self.s.get(self.i) {
                        Some(&d @ b'0'..=b'7') => {
                            value = value * 8 + u32::from(d - b'0');
                            self.i += 1;
                        }
                        _ => break,
                    }
                }
                bytes.push(value as u8);
            }
            b'\r' => {
                if self.s.get(self.i) == Some(&b'\n') {
                    self.i += 1;
                }
            }
            b'\n' => {}
            other => bytes.push(other),
        }
        Some(())
    }

    /// `[ ... ]`, the cursor on its `[`.
    fn array(&mut self) -> Option<Object> {
        self.i += 1;
        let mut items = Vec::new();
        loop {
            self.space();
            if *self.s.get(self.i)? == b']' {
                self.i += 1;
                return Some(Object::Array(items));
            }
            items.push(self.object()?);
        }
    }

    /// A number, or `n g R`: a reference.
    fn number_or_reference(&mut self) -> Option<Object> {
        let start = self.i;
        self.i += 1;
        while self
            .s
            .get(self.i)
            .is_some_and(|c| c.is_ascii_digit() || *c == b'.')
        {
            self.i += 1;
        }
        let text = std::str::from_utf8(&self.s[start..self.i]).ok()?;
        if text.contains('.') {
            return Some(Object::Real(text.parse().ok()?));
        }
        let value: i64 = text.parse().ok()?;
        let save = self.i;
        if value >= 0 && !text.starts_with(['+', '-']) {
            self.space();
            let g_start = self.i;
            while self.s.get(self.i).is_some_and(u8::is_ascii_digit) {
                self.i += 1;
            }
            if self.i > g_start {
                let generation = std::str::from_utf8(&self.s[g_start..self.i])
                    .ok()?
                    .parse::<u16>()
                    .ok();
                self.space();
                if let Some(generation) = generation
                    && self.s.get(self.i) == Some(&b'R')
                    && !self
                        .s
                        .get(self.i + 1)
                        .is_some_and(u8::is_ascii_alphanumeric)
                {
                    self.i += 1;
                    return Some(Object::Reference((u32::try_from(value).ok()?, generation)));
                }
            }
        }
        self.i = save;
        Some(Object::Integer(value))
    }

    fn name(&mut self) -> Option<Vec<u8>> {
        self.i += 1;
        let mut name = Vec::new();
        while let Some(&c) = self.s.get(self.i) {
            if b" \t\n\r\x0c\0()<>[]{}/%".contains(&c) {
                break;
            }
            self.i += 1;
            if c == b'#' {
                let hex = std::str::from_utf8(self.s.get(self.i..self.i + 2)?).ok()?;
                name.push(u8::from_str_radix(hex, 16).ok()?);
                self.i += 2;
            } else {
                name.push(c);
            }
        }
        Some(name)
    }
}

pub(super) fn deref<'a>(doc: &'a Document, obj: &'a Object) -> &'a Object {
    match obj {
        Object::Reference(id) => doc.objects.get(id).unwrap_or(&Object::Null),
        other => other,
    }
}
