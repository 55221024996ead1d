//! The volume's metadata: the XMP packet, written by `xmp-writer` (as Typst's own PDFs' is),
//! and the document information dictionary that agrees with it.

use anyhow::Result;
use lopdf::{Dictionary, Object, StringFormat};
use sha2::{Digest, Sha256};
use std::io::Write;
use xmp_writer::{DateTime, LangId, Timezone, XmpWriter};

use super::VolumeMeta;
use super::serialize::text_string;
use super::write::Volume;

impl<'w, W: Write> Volume<'w, W> {
    /// The XMP metadata stream.
    pub(super) fn write_metadata(&mut self, meta: &VolumeMeta) -> Result<u32> {
        let xmp = xmp_packet(meta);
        let metadata_id = self.alloc();
        let mut body = format!(
            "<</Type/Metadata/Subtype/XML/Length {}>>\nstream\n",
            xmp.len()
        )
        .into_bytes();
        body.extend_from_slice(xmp.as_bytes());
        body.extend_from_slice(b"\nendstream");
        self.put(metadata_id, &body, true)?;
        Ok(metadata_id)
    }

    /// The document information dictionary.
    pub(super) fn write_info(&mut self, meta: &VolumeMeta) -> Result<u32> {
        let mut info = Dictionary::new();
        info.set("Title", text_string(&meta.title));
        info.set("Author", text_string(&meta.author));
        let (date, _) = dates(meta.timestamp);
        info.set(
            "CreationDate",
            Object::String(date.clone().into_bytes(), StringFormat::Literal),
        );
        info.set(
            "ModDate",
            Object::String(date.into_bytes(), StringFormat::Literal),
        );
        let info_id = self.alloc();
        self.put_dict(info_id, &info)?;
        Ok(info_id)
    }
}

/// The PDF date (`D:YYYYMMDDHHmmSSZ`) and the XMP date of a Unix time, in UTC.
pub(super) fn dates(timestamp: i64) -> (String, DateTime) {
    let at = crate::pdf::utc(timestamp);
    let xmp_year = u16::try_from(at.year().clamp(0, 9999)).unwrap_or_default();
    let byte = |n: i8| u8::try_from(n).unwrap_or_default();
    (
        at.strftime("D:%Y%m%d%H%M%SZ").to_string(),
        DateTime::new(
            xmp_year,
            byte(at.month()),
            byte(at.day()),
            byte(at.hour()),
            byte(at.minute()),
            byte(at.second()),
            Timezone::Utc,
        ),
    )
}

/// The volume's XMP packet: Dublin Core title, creator and language, dates, and the PDF/A-2a
/// and PDF/UA-1 identification with the extension schema PDF/A-2 needs for `pdfuaid`.
fn xmp_packet(meta: &VolumeMeta) -> String {
    let (_, date) = dates(meta.timestamp);
    let digest = Sha256::digest(meta.ident.as_bytes());
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    let uuid = format!(
        "uuid:{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    );
    let mut xmp = XmpWriter::new();
    xmp.format("application/pdf");
    xmp.title([(None, meta.title.as_str())]);
    xmp.creator([meta.author.as_str()]);
    xmp.language([LangId(&meta.lang)]);
    xmp.create_date(date);
    xmp.modify_date(date);
    xmp.metadata_date(date);
    xmp.document_id(&uuid);
    xmp.instance_id(&uuid);
    xmp.pdfa_part(2);
    xmp.pdfa_conformance("A");
    xmp.pdfua_part(1);
    xmp.extension_schemas()
        .pdfua_id()
        .properties()
        .describe_part();
    xmp.finish(None)
}
