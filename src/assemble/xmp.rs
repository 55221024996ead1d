//! The volume's metadata: the XMP packet and the document information dictionary that agrees
//! with it.

use anyhow::Result;
use lopdf::{Dictionary, Object, StringFormat};
use sha2::{Digest, Sha256};
use std::io::Write;

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
        self.put(metadata_id, body, true)?;
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

/// The PDF date (`D:YYYYMMDDHHmmSSZ`) and XMP date (`YYYY-MM-DDTHH:mm:SSZ`) of a Unix time.
pub(super) fn dates(timestamp: i64) -> (String, String) {
    let days = timestamp.div_euclid(86_400);
    let secs = timestamp.rem_euclid(86_400);
    let (year, month, day) = crate::pdf::civil_from_days(days);
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    (
        format!("D:{year:04}{month:02}{day:02}{h:02}{m:02}{s:02}Z"),
        format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}Z"),
    )
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
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
    let title = xml_escape(&meta.title);
    let author = xml_escape(&meta.author);
    let lang = xml_escape(&meta.lang);
    format!(
        r#"<?xpacket begin="{bom}" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>
<dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>
<xmp:CreateDate>{date}</xmp:CreateDate>
<xmp:ModifyDate>{date}</xmp:ModifyDate>
<xmp:MetadataDate>{date}</xmp:MetadataDate>
<xmpMM:DocumentID>{uuid}</xmpMM:DocumentID>
<xmpMM:InstanceID>{uuid}</xmpMM:InstanceID>
<pdfaid:part>2</pdfaid:part>
<pdfaid:conformance>A</pdfaid:conformance>
<pdfuaid:part>1</pdfuaid:part>
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="r"?>"#,
        bom = '\u{feff}'
    )
}
