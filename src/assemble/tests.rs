use super::read::{load, quick_parse};
use super::verify::{content_streams, same_object, verify};
use super::xmp::dates;
use super::*;
use lopdf::{Dictionary, Object, ObjectId, Stream, StringFormat};
use xmp_writer::{DateTime, Timezone};

fn r(id: ObjectId) -> Object {
    Object::Reference(id)
}

fn name(n: &str) -> Object {
    Object::Name(n.as_bytes().to_vec())
}

fn string(s: &str) -> Object {
    Object::String(s.as_bytes().to_vec(), StringFormat::Literal)
}

fn dict(entries: Vec<(&str, Object)>) -> Dictionary {
    let mut d = Dictionary::new();
    for (k, v) in entries {
        d.set(k, v);
    }
    d
}

/// A tagged PDF shaped like Typst's: a Type0 font whose `ToUnicode` maps codes 1..=10 to
/// `0`..`9` and 11.. to the letters of `letters`; per page a heading (`H1` on the first
/// page, `H2` after) and a paragraph; a link with a named destination on the first page,
/// an ID tree, a role map, an outline, an output intent and XMP metadata.
fn fixture(tag: &str, pages: usize, letters: &str) -> Vec<u8> {
    let mut doc = Document::with_version("1.7");
    let font = fixture_font(&mut doc, letters);
    let pages_id = doc.new_object_id();
    let root_id = doc.new_object_id();
    let document_id = doc.new_object_id();
    let mut page_ids = Vec::new();
    let mut elements = Vec::new();
    let mut nums = Vec::new();
    let mut link_element = None;
    for p in 0..pages {
        let page = fixture_page(&mut doc, tag, p, (pages_id, document_id), font);
        elements.push(r(page.heading));
        elements.push(r(page.paragraph));
        nums.push(Object::Integer(p as i64));
        nums.push(Object::Array(vec![r(page.heading), r(page.paragraph)]));
        page_ids.push(page.id);
        link_element = link_element.or(page.link);
    }
    nums.push(Object::Integer(100));
    nums.push(r(link_element.unwrap()));
    let struct_root = doc.new_object_id();
    doc.objects.insert(
        document_id,
        Object::Dictionary(dict(vec![
            ("Type", name("StructElem")),
            ("S", name("Document")),
            ("P", r(struct_root)),
            ("K", Object::Array(elements.clone())),
        ])),
    );
    let first_heading = elements[0].as_reference().unwrap();
    doc.objects.insert(
        struct_root,
        Object::Dictionary(dict(vec![
            ("Type", name("StructTreeRoot")),
            ("K", r(document_id)),
            (
                "ParentTree",
                Object::Dictionary(dict(vec![("Nums", Object::Array(nums))])),
            ),
            ("ParentTreeNextKey", Object::Integer(101)),
            (
                "IDTree",
                Object::Dictionary(dict(vec![(
                    "Names",
                    Object::Array(vec![string("U1x1"), r(first_heading)]),
                )])),
            ),
            (
                "RoleMap",
                Object::Dictionary(dict(vec![("Strong", name("Span"))])),
            ),
        ])),
    );
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dict(vec![
            ("Type", name("Pages")),
            (
                "Kids",
                Object::Array(page_ids.iter().map(|p| r(*p)).collect()),
            ),
            ("Count", Object::Integer(pages as i64)),
        ])),
    );
    fixture_catalog(&mut doc, root_id, pages_id, struct_root, page_ids[0]);
    doc.trailer.set("Root", r(root_id));
    let mut out = Vec::new();
    save_classic(&mut doc, &mut out);
    out
}

/// The fixture's Type0 font: codes 1..=10 are `0`..`9`, 11.. the letters
/// of `letters`.
fn fixture_font(doc: &mut Document, letters: &str) -> ObjectId {
    let font_file = doc.add_object(Stream::new(dict(vec![]), b"FONTDATA".to_vec()));
    let descriptor = doc.add_object(dict(vec![
        ("Type", name("FontDescriptor")),
        ("FontName", name("ABCDEF+Test")),
        ("FontFile2", r(font_file)),
    ]));
    let count = 10 + letters.chars().count() as i64;
    let widths: Vec<Object> = (0..count).map(|i| Object::Integer(400 + i)).collect();
    let cid = doc.add_object(dict(vec![
        ("Type", name("Font")),
        ("Subtype", name("CIDFontType2")),
        ("FontDescriptor", r(descriptor)),
        ("DW", Object::Integer(0)),
        (
            "W",
            Object::Array(vec![Object::Integer(1), Object::Array(widths)]),
        ),
    ]));
    let mut cmap = String::from("begincmap\n1 beginbfrange\n<0001> <000A> <0030>\nendbfrange\n");
    cmap.push_str(&format!("{} beginbfchar\n", letters.chars().count()));
    for (i, c) in letters.chars().enumerate() {
        cmap.push_str(&format!("<{:04X}> <{:04X}>\n", 11 + i, c as u32));
    }
    cmap.push_str("endbfchar\nendcmap\n");
    let to_unicode = doc.add_object(Stream::new(dict(vec![]), cmap.into_bytes()));
    doc.add_object(dict(vec![
        ("Type", name("Font")),
        ("Subtype", name("Type0")),
        ("BaseFont", name("ABCDEF+Test")),
        ("Encoding", name("Identity-H")),
        ("DescendantFonts", Object::Array(vec![r(cid)])),
        ("ToUnicode", r(to_unicode)),
    ]))
}

/// A page of the fixture and its structure elements.
struct FixturePage {
    id: ObjectId,
    heading: ObjectId,
    paragraph: ObjectId,
    /// The link's element, on the first page.
    link: Option<ObjectId>,
}

/// Page `p`: a heading and a paragraph, the first page's with an ID and
/// a link to a named destination; `(pages, document)` are their parents.
fn fixture_page(
    doc: &mut Document,
    tag: &str,
    p: usize,
    (pages_id, document_id): (ObjectId, ObjectId),
    font: ObjectId,
) -> FixturePage {
    let content = format!(
        "/H{} <</MCID 0>> BDC BT /F1 10 Tf (<{tag} {p}>) Tj ET EMC /P <</MCID 1>> BDC BT (text) Tj ET EMC",
        if p == 0 { 1 } else { 2 }
    );
    let contents = doc.add_object(Stream::new(dict(vec![]), content.into_bytes()));
    let page_id = doc.new_object_id();
    let heading = doc.add_object(dict(vec![
        ("Type", name("StructElem")),
        ("S", name(if p == 0 { "H1" } else { "H2" })),
        ("P", r(document_id)),
        ("Pg", r(page_id)),
        ("K", Object::Integer(0)),
    ]));
    if p == 0 {
        doc.get_dictionary_mut(heading)
            .unwrap()
            .set("ID", string("U1x1"));
    }
    let mut kids = vec![Object::Integer(1)];
    let mut page = dict(vec![
        ("Type", name("Page")),
        ("Parent", r(pages_id)),
        (
            "MediaBox",
            Object::Array(vec![0.into(), 0.into(), 600.into(), 800.into()]),
        ),
        ("Contents", r(contents)),
        ("StructParents", Object::Integer(p as i64)),
        (
            "Resources",
            Object::Dictionary(dict(vec![(
                "Font",
                Object::Dictionary(dict(vec![("F1", r(font))])),
            )])),
        ),
    ]);
    let paragraph = doc.new_object_id();
    let link = (p == 0).then(|| fixture_link(doc, page_id, paragraph));
    if let Some((link, annot)) = link {
        kids.push(r(link));
        page.set("Annots", vec![r(annot)]);
        page.set("Tabs", name("S"));
    }
    doc.objects.insert(
        paragraph,
        Object::Dictionary(dict(vec![
            ("Type", name("StructElem")),
            ("S", name("P")),
            ("P", r(document_id)),
            ("Pg", r(page_id)),
            ("K", Object::Array(kids)),
        ])),
    );
    doc.objects.insert(page_id, Object::Dictionary(page));
    FixturePage {
        id: page_id,
        heading,
        paragraph,
        link: link.map(|(link, _)| link),
    }
}

/// A link on `page` to the named destination `sec`, inside `paragraph`:
/// its structure element and its annotation.
fn fixture_link(doc: &mut Document, page: ObjectId, paragraph: ObjectId) -> (ObjectId, ObjectId) {
    let link = doc.new_object_id();
    let annot = doc.add_object(dict(vec![
        ("Type", name("Annot")),
        ("Subtype", name("Link")),
        (
            "Rect",
            Object::Array(vec![0.into(), 0.into(), 10.into(), 10.into()]),
        ),
        ("Dest", string("sec")),
        ("StructParent", Object::Integer(100)),
        ("P", r(page)),
    ]));
    doc.objects.insert(
        link,
        Object::Dictionary(dict(vec![
            ("Type", name("StructElem")),
            ("S", name("Link")),
            ("P", r(paragraph)),
            ("Pg", r(page)),
            (
                "K",
                Object::Dictionary(dict(vec![
                    ("Type", name("OBJR")),
                    ("Obj", r(annot)),
                    ("Pg", r(page)),
                ])),
            ),
        ])),
    );
    (link, annot)
}

/// The fixture's catalog, with an outline, an output intent, metadata and
/// the named destination `sec` on the first page.
fn fixture_catalog(
    doc: &mut Document,
    root_id: ObjectId,
    pages_id: ObjectId,
    struct_root: ObjectId,
    first_page: ObjectId,
) {
    let outline_item = doc.new_object_id();
    let outlines = doc.add_object(dict(vec![
        ("First", r(outline_item)),
        ("Last", r(outline_item)),
        ("Count", 1.into()),
    ]));
    doc.objects.insert(
        outline_item,
        Object::Dictionary(dict(vec![
            ("Title", string("part outline")),
            ("Parent", r(outlines)),
            ("Dest", Object::Array(vec![r(first_page), name("Fit")])),
        ])),
    );
    let icc = doc.add_object(Stream::new(dict(vec![("N", 3.into())]), b"ICC".to_vec()));
    let intent = doc.add_object(dict(vec![
        ("Type", name("OutputIntent")),
        ("S", name("GTS_PDFA1")),
        ("DestOutputProfile", r(icc)),
    ]));
    let metadata = doc.add_object(Stream::new(
        dict(vec![("Type", name("Metadata"))]),
        b"<x/>".to_vec(),
    ));
    let dest = Object::Array(vec![
        r(first_page),
        name("XYZ"),
        0.into(),
        700.into(),
        0.into(),
    ]);
    doc.objects.insert(
        root_id,
        Object::Dictionary(dict(vec![
            ("Type", name("Catalog")),
            ("Pages", r(pages_id)),
            ("StructTreeRoot", r(struct_root)),
            ("Outlines", r(outlines)),
            ("OutputIntents", Object::Array(vec![r(intent)])),
            ("Metadata", r(metadata)),
            ("Lang", string("it-IT")),
            (
                "Names",
                Object::Dictionary(dict(vec![(
                    "Dests",
                    Object::Dictionary(dict(vec![(
                        "Names",
                        Object::Array(vec![string("sec"), dest]),
                    )])),
                )])),
            ),
        ])),
    );
}

/// Saves with a classic cross-reference table and no object streams, as Typst writes.
fn save_classic(doc: &mut Document, out: &mut Vec<u8>) {
    doc.reference_table.cross_reference_type = lopdf::xref::XrefType::CrossReferenceTable;
    doc.save_to(out).unwrap();
}

fn part(pdf: &[u8], heading_shift: u8) -> Part<'_> {
    Part { pdf, heading_shift }
}

/// A footer with the font of `font`, grey 0.3, 50 pt from the sides, baseline at 30 pt.
fn test_footer<'a>(font: &'a [u8], first_page: usize, text: &str, size: f32) -> Footer<'a> {
    Footer {
        first_page,
        text_left: text.to_string(),
        font_pdf: font,
        size,
        gray: 0.3,
        baseline: 30.0,
        margin_x: 50.0,
    }
}

fn meta() -> VolumeMeta {
    VolumeMeta {
        title: "Piano 2030 – volume".to_string(),
        author: "Comune".to_string(),
        lang: "it-IT".to_string(),
        timestamp: 1_900_000_000,
        ident: "piano-2030".to_string(),
    }
}

fn build(
    parts: &[Part],
    bookmarks: &[Bookmark],
    footer: Option<&Footer>,
) -> Result<(usize, Vec<u8>)> {
    let mut out = Vec::new();
    let pages = assemble(parts, bookmarks, footer, &meta(), &mut out)?;
    Ok((pages, out))
}

/// The structure element's type names in depth-first order, with the element's `/ID`.
fn structure(doc: &Document) -> Vec<String> {
    let root = doc
        .catalog()
        .unwrap()
        .get(b"StructTreeRoot")
        .unwrap()
        .as_reference()
        .unwrap();
    let mut out = Vec::new();
    let mut stack = vec![(
        doc.get_dictionary(root).unwrap().get(b"K").unwrap().clone(),
        0,
    )];
    while let Some((k, depth)) = stack.pop() {
        match k {
            Object::Array(a) => stack.extend(a.into_iter().rev().map(|o| (o, depth))),
            Object::Reference(id) => {
                let d = doc.get_dictionary(id).unwrap();
                let mut line = format!(
                    "{}{}",
                    "  ".repeat(depth),
                    String::from_utf8_lossy(d.get(b"S").unwrap().as_name().unwrap())
                );
                if let Ok(Object::String(i, _)) = d.get(b"ID") {
                    line.push_str(&format!(" #{}", String::from_utf8_lossy(i)));
                }
                out.push(line);
                if let Ok(k) = d.get(b"K") {
                    stack.push((k.clone(), depth + 1));
                }
            }
            _ => {}
        }
    }
    out
}

fn outline(doc: &Document) -> Vec<String> {
    let pages: Vec<ObjectId> = doc.page_iter().collect();
    let mut out = Vec::new();
    let root = doc
        .catalog()
        .unwrap()
        .get(b"Outlines")
        .unwrap()
        .as_reference()
        .unwrap();
    let mut stack = vec![(
        doc.get_dictionary(root)
            .unwrap()
            .get(b"First")
            .unwrap()
            .as_reference()
            .unwrap(),
        0,
    )];
    while let Some((id, depth)) = stack.pop() {
        let item = doc.get_dictionary(id).unwrap();
        let title = lopdf::decode_text_string(item.get(b"Title").unwrap()).unwrap();
        let page = item.get(b"Dest").unwrap().as_array().unwrap()[0]
            .as_reference()
            .unwrap();
        let index = pages.iter().position(|p| *p == page).unwrap();
        out.push(format!("{}{title} -> {}", "  ".repeat(depth), index + 1));
        if let Ok(next) = item.get(b"Next") {
            stack.push((next.as_reference().unwrap(), depth));
        }
        if let Ok(first) = item.get(b"First") {
            stack.push((first.as_reference().unwrap(), depth + 1));
        }
    }
    out
}

/// A Direzione's bookmark over the two sheets of [`two_parts_volume`].
fn three_bookmarks() -> [Bookmark; 3] {
    let bookmark = |title: &str, level, page| Bookmark {
        title: title.to_string(),
        level,
        page,
    };
    [
        bookmark("Direzione Ù", 1, 0),
        bookmark("Scheda A", 2, 0),
        bookmark("Scheda B", 2, 2),
    ]
}

/// A volume of a part of two pages (headings moved down two levels) and
/// a part of one, checked by [`verify`].
fn two_parts_volume() -> Document {
    let (a, b) = (fixture("a", 2, ""), fixture("b", 1, ""));
    let parts = [part(&a, 2), part(&b, 0)];
    let (pages, pdf) = build(&parts, &three_bookmarks(), None).unwrap();
    assert_eq!(pages, 3);
    verify(&pdf, &parts).unwrap();
    assert!(!pdf.windows(12).any(|w| w == b"part outline"));
    load(&pdf).unwrap()
}

#[test]
fn merges_pages_structure_ids_links_and_bookmarks() {
    let doc = two_parts_volume();
    assert_eq!(
        structure(&doc),
        [
            "Document",
            "  Part",
            "    H3 #p1-U1x1",
            "    P",
            "      Link",
            "    H4",
            "    P",
            "  Part",
            "    H1 #p2-U1x1",
            "    P",
            "      Link",
        ]
    );
    assert_eq!(
        outline(&doc),
        ["Direzione Ù -> 1", "  Scheda A -> 1", "  Scheda B -> 3"]
    );
    // The links point at their own part's destination.
    let annots: Vec<Vec<u8>> = doc
        .page_iter()
        .filter_map(|p| doc.get_page_annotations(p).ok())
        .flatten()
        .map(|a| a.get(b"Dest").unwrap().as_str().unwrap().to_vec())
        .collect();
    assert_eq!(annots, [b"p1-sec".to_vec(), b"p2-sec".to_vec()]);
    // The font program is written once (the parts' outlines are gone:
    // `two_parts_volume` checks).
    let fonts = doc
        .objects
        .values()
        .filter(|o| o.as_stream().is_ok_and(|s| s.content == b"FONTDATA"))
        .count();
    assert_eq!(fonts, 1);
    // StructParent numbers: part 1 uses 0, 1 and 100; part 2 starts at 101.
    let keys: Vec<i64> = doc
        .page_iter()
        .map(|p| {
            doc.get_dictionary(p)
                .unwrap()
                .get(b"StructParents")
                .unwrap()
                .as_i64()
                .unwrap()
        })
        .collect();
    assert_eq!(keys, [0, 1, 101]);
}

#[test]
fn a_volume_has_its_language_one_output_intent_and_its_metadata() {
    let doc = two_parts_volume();
    let catalog = doc.catalog().unwrap();
    assert_eq!(catalog.get(b"Lang").unwrap().as_str().unwrap(), b"it-IT");
    let intents = catalog.get(b"OutputIntents").unwrap().as_array().unwrap();
    assert_eq!(intents.len(), 1);
    let metadata = catalog.get(b"Metadata").unwrap().as_reference().unwrap();
    let stream = doc.get_object(metadata).unwrap().as_stream().unwrap();
    let xmp = String::from_utf8(stream.content.clone()).unwrap();
    for needle in [
        "<rdf:li xml:lang=\"x-default\">Piano 2030 – volume</rdf:li>",
        "<pdfaid:part>2</pdfaid:part>",
        "<pdfaid:conformance>A</pdfaid:conformance>",
        "<pdfuaid:part>1</pdfuaid:part>",
        "<rdf:li>it-IT</rdf:li>",
        "<xmp:CreateDate>2030-03-17T17:46:40Z</xmp:CreateDate>",
    ] {
        assert!(xmp.contains(needle), "{needle} not in {xmp}");
    }
}

/// `pdf` with its link going to the URI `uri` instead of its named destination.
fn with_uri_link(pdf: &[u8], uri: &str) -> Vec<u8> {
    let mut doc = load(pdf).unwrap();
    for obj in doc.objects.values_mut() {
        if let Object::Dictionary(d) = obj
            && d.has(b"Dest")
        {
            d.remove(b"Dest");
            d.set("A", dict(vec![("S", name("URI")), ("URI", string(uri))]));
        }
    }
    let mut out = Vec::new();
    save_classic(&mut doc, &mut out);
    out
}

#[test]
fn links_to_volume_pages_go_to_those_pages() {
    let toc = with_uri_link(&fixture("toc", 1, ""), "volume-page:3 «Scheda A» pag. 3");
    let a = fixture("a", 2, "");
    let parts = [part(&toc, 0), part(&a, 1)];
    let (_, pdf) = build(&parts, &[], None).unwrap();
    verify(&pdf, &parts).unwrap();
    let doc = load(&pdf).unwrap();
    let pages: Vec<ObjectId> = doc.page_iter().collect();
    let annot = &doc.get_page_annotations(pages[0]).unwrap()[0];
    let action = annot.get(b"A").unwrap().as_dict().unwrap();
    assert_eq!(action.get(b"S").unwrap().as_name().unwrap(), b"GoTo");
    assert_eq!(
        action.get(b"D").unwrap().as_str().unwrap(),
        b"volume-page:3"
    );
    let names = doc
        .catalog()
        .unwrap()
        .get(b"Names")
        .unwrap()
        .as_dict()
        .unwrap();
    let tree = names.get(b"Dests").unwrap().as_reference().unwrap();
    let entries = doc
        .get_dictionary(tree)
        .unwrap()
        .get(b"Names")
        .unwrap()
        .as_array()
        .unwrap();
    let keys: Vec<&[u8]> = entries
        .iter()
        .step_by(2)
        .map(|k| k.as_str().unwrap())
        .collect();
    assert_eq!(keys, [&b"p1-sec"[..], b"p2-sec", b"volume-page:3"]);
    assert_eq!(
        entries[5].as_array().unwrap()[0].as_reference().unwrap(),
        pages[2]
    );

    let far = with_uri_link(&fixture("toc", 1, ""), "volume-page:9");
    let parts = [part(&far, 0), part(&a, 1)];
    let err = build(&parts, &[], None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "part 1: a link goes to page 9, the volume has 3 pages"
    );
    let bad = with_uri_link(&fixture("toc", 1, ""), "volume-page:x");
    let err = build(&[part(&bad, 0)], &[], None).unwrap_err();
    assert_eq!(
        format!("{err:#}"),
        "part 1: a link goes to volume-page:x: not a page number from 1"
    );
}

#[test]
fn files_make_the_same_volume_as_bytes() {
    let dir = std::env::temp_dir().join(format!("assemble-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let a = fixture("a", 2, "");
    let b = fixture("b", 1, "");
    std::fs::write(dir.join("a.pdf"), &a).unwrap();
    std::fs::write(dir.join("b.pdf"), &b).unwrap();
    let parts = [part(&a, 1), part(&b, 2)];
    let files = [
        PartFile::Pdf {
            path: dir.join("a.pdf"),
            heading_shift: 1,
        },
        PartFile::Pdf {
            path: dir.join("b.pdf"),
            heading_shift: 2,
        },
        PartFile::Pdf {
            path: dir.join("missing.pdf"),
            heading_shift: 0,
        },
    ];
    let bookmarks = [Bookmark {
        title: "A".to_string(),
        level: 1,
        page: 0,
    }];
    let (_, from_bytes) = build(&parts, &bookmarks, None).unwrap();
    let mut from_files = Vec::new();
    assemble_files(&files[..2], &bookmarks, None, &meta(), &mut from_files).unwrap();
    let err = assemble_files(&files, &bookmarks, None, &meta(), &mut Vec::new()).unwrap_err();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(from_bytes == from_files, "the volumes differ");
    let message = format!("{err:#}");
    assert!(
        message.starts_with("part 3: cannot read ") && message.contains("missing.pdf"),
        "{message}"
    );
}

#[test]
fn prepared_parts_make_the_same_volume_as_their_pdfs() {
    let dir = tempfile::tempdir().unwrap();
    let a = fixture("a", 2, "");
    let b = fixture("b", 1, "");
    let c = fixture("c", 3, "");
    let font = fixture("f", 1, "Pino");
    let footer = test_footer(&font, 1, "Pi no", 10.0);
    let path = |name: &str| dir.path().join(name);
    for (name, bytes) in [("a.pdf", &a), ("b.pdf", &b), ("c.pdf", &c)] {
        std::fs::write(path(name), bytes).unwrap();
    }
    std::fs::write(path("b.parte"), prepare_part(&b, 2).unwrap()).unwrap();
    std::fs::write(path("c.parte"), prepare_part(&c, 2).unwrap()).unwrap();
    let pdf = |name: &str, heading_shift| PartFile::Pdf {
        path: path(name),
        heading_shift,
    };
    let bookmarks = [Bookmark {
        title: "A".to_string(),
        level: 1,
        page: 0,
    }];
    let assembled = |files: &[PartFile]| {
        let mut out = Vec::new();
        assemble_files(files, &bookmarks, Some(&footer), &meta(), &mut out).map(|_| out)
    };
    let from_pdfs = assembled(&[pdf("a.pdf", 0), pdf("b.pdf", 2), pdf("c.pdf", 2)]).unwrap();
    let prepared = |name: &str| PartFile::Prepared {
        path: path(&format!("{name}.parte")),
        pdf: path(&format!("{name}.pdf")),
        heading_shift: 2,
    };
    let from_prepared = [pdf("a.pdf", 0), prepared("b"), prepared("c")];
    assert!(
        assembled(&from_prepared).unwrap() == from_pdfs,
        "the volumes differ"
    );
    let parts = [part(&a, 0), part(&b, 2), part(&c, 2)];
    verify(&from_pdfs, &parts).unwrap();
    // Prepared with the footer on every page, a part cannot open the volume (its
    // first page has none), nor be part of a volume without a footer.
    let first = [prepared("b"), pdf("a.pdf", 0)];
    let err = assembled(&first).unwrap_err();
    assert_eq!(format!("{err:#}"), "part 1: the pdf has no output intent");
    let mut out = Vec::new();
    let err = assemble_files(&from_prepared, &bookmarks, None, &meta(), &mut out).unwrap_err();
    assert_eq!(
        format!("{err:#}"),
        "part 2: the part was prepared for a footer on other pages"
    );
    // A damaged or missing prepared part is prepared again from its PDF.
    let mut damaged = std::fs::read(path("c.parte")).unwrap();
    damaged.truncate(damaged.len() / 2);
    std::fs::write(path("c.parte"), damaged).unwrap();
    std::fs::remove_file(path("b.parte")).unwrap();
    assert!(
        assembled(&from_prepared).unwrap() == from_pdfs,
        "the volumes differ"
    );
}

#[test]
fn quick_parser_reads_what_lopdf_reads() {
    let mut pdfs = vec![fixture("a", 2, "Pino"), fixture("b", 1, "")];
    let mut doc = load(&fixture("c", 1, "")).unwrap();
    let tricky = dict(vec![
        ("Name#20with space", name("a b/c#d")),
        (
            "Strings",
            Object::Array(vec![
                Object::String(
                    b"par(en)s \\ back\r\n(unbalanced \x80\xff".to_vec(),
                    StringFormat::Literal,
                ),
                Object::String(vec![0, 1, 0xfe, 0xff], StringFormat::Hexadecimal),
                Object::String(Vec::new(), StringFormat::Literal),
            ]),
        ),
        (
            "Numbers",
            Object::Array(vec![
                (-3).into(),
                Object::Real(-0.25),
                Object::Real(12.5),
                0.into(),
            ]),
        ),
        (
            "Nested",
            Object::Array(vec![
                Object::Array(vec![]),
                Object::Dictionary(Dictionary::new()),
            ]),
        ),
        (
            "Flags",
            Object::Array(vec![true.into(), false.into(), Object::Null]),
        ),
        ("Ref", r((1, 0))),
    ]);
    doc.add_object(tricky);
    let mut out = Vec::new();
    save_classic(&mut doc, &mut out);
    pdfs.push(out);
    for pdf in &pdfs {
        let slow = Document::load_mem(pdf).unwrap();
        let quick = quick_parse(pdf).expect("quick parse");
        assert_eq!(slow.objects.len(), quick.objects.len());
        for (id, object) in &slow.objects {
            assert!(
                same_object(object, &quick.objects[id]),
                "{id:?}: {object:?} vs {:?}",
                quick.objects[id]
            );
        }
    }
    // Not a classic file: left to lopdf, and merged all the same.
    assert!(quick_parse(b"%PDF-1.7\nnothing").is_none());
    let mut modern = Vec::new();
    load(&pdfs[1]).unwrap().save_to(&mut modern).unwrap();
    assert!(quick_parse(&modern).is_none());
    let parts = [part(&modern, 0), part(&pdfs[1], 0)];
    let (pages, volume) = build(&parts, &[], None).unwrap();
    assert_eq!(pages, 2);
    verify(&volume, &parts).unwrap();
    let mut truncated = pdfs[0].clone();
    truncated.truncate(truncated.len() - 30);
    assert!(quick_parse(&truncated).is_none());
}

#[test]
fn heading_levels_stop_at_h6() {
    let a = fixture("a", 2, "");
    let parts = [part(&a, 5)];
    let (_, pdf) = build(&parts, &[], None).unwrap();
    let doc = load(&pdf).unwrap();
    let headings: Vec<String> = structure(&doc)
        .into_iter()
        .filter(|l| l.trim_start().starts_with('H'))
        .collect();
    assert_eq!(headings, ["    H6 #p1-U1x1", "    H6"]);
}

#[test]
fn output_is_deterministic() {
    let a = fixture("a", 2, "");
    let b = fixture("b", 3, "");
    let font = fixture("f", 1, "Pino");
    let parts = [part(&a, 1), part(&b, 1)];
    let footer = test_footer(&font, 1, "Pino", 8.5);
    let bookmarks = [Bookmark {
        title: "B".to_string(),
        level: 1,
        page: 2,
    }];
    let first = build(&parts, &bookmarks, Some(&footer)).unwrap().1;
    let second = build(&parts, &bookmarks, Some(&footer)).unwrap().1;
    assert!(first == second, "two runs differ");
}

#[test]
fn footer_numbers_are_artifacts_with_the_font_pdf_glyphs() {
    let a = fixture("a", 2, "");
    let b = fixture("b", 1, "");
    let font = fixture("f", 1, "Pino");
    let parts = [part(&a, 0), part(&b, 0)];
    let footer = test_footer(&font, 1, "Pi no", 10.0);
    let (_, pdf) = build(&parts, &[], Some(&footer)).unwrap();
    verify(&pdf, &parts).unwrap();
    let doc = load(&pdf).unwrap();
    let pages: Vec<ObjectId> = doc.page_iter().collect();
    // The first page has no number: its content is the part's, alone.
    assert_eq!(content_streams(&doc, pages[0]).len(), 1);
    let streams = content_streams(&doc, pages[2]);
    assert_eq!(streams.len(), 3);
    assert_eq!(streams[0], b"q\n");
    let footer_text = String::from_utf8(streams[2].clone()).unwrap();
    // "P" is code 11, "i" 12, "n" 13, "o" 14 in the font pdf; "3" is code 4 (width 403).
    // The number is right-aligned: 600 - 50 - 403 * 10 / 1000.
    assert_eq!(
        footer_text,
        "Q\n/Artifact <</Type /Pagination /Subtype /Footer>> BDC\n0.3 g\n\
         BT\n/VolFooter 10 Tf\n1 0 0 1 50 30 Tm\n[<000B000C> -250 <000D000E>] TJ\nET\n\
         BT\n/VolFooter 10 Tf\n1 0 0 1 545.97 30 Tm\n[<0004>] TJ\nET\nEMC\n"
    );
    let resources = doc
        .get_dictionary(pages[2])
        .unwrap()
        .get(b"Resources")
        .unwrap()
        .as_dict()
        .unwrap();
    let fonts = resources.get(b"Font").unwrap().as_dict().unwrap();
    assert!(fonts.has(b"F1") && fonts.has(b"VolFooter"));
}

#[test]
fn footer_font_without_a_character_is_an_error() {
    let a = fixture("a", 1, "");
    let font = fixture("f", 1, "Pino");
    let footer = test_footer(&font, 0, "Piano", 10.0);
    let err = build(&[part(&a, 0)], &[], Some(&footer)).unwrap_err();
    assert_eq!(
        format!("{err:#}"),
        "footer font: the font pdf has no glyph for \"a\""
    );
}

#[test]
fn bad_bookmarks_are_reported_together() {
    let a = fixture("a", 2, "");
    let bookmarks = [
        Bookmark {
            title: "zero".to_string(),
            level: 0,
            page: 0,
        },
        Bookmark {
            title: "far".to_string(),
            level: 1,
            page: 2,
        },
    ];
    let err = build(&[part(&a, 0)], &bookmarks, None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "bookmark 1 (\"zero\"): level 0, levels start at 1; \
         bookmark 2 (\"far\"): page 3 is past the volume's 2 pages"
    );
}

#[test]
fn untagged_and_broken_parts_are_errors() {
    let a = fixture("a", 1, "");
    let mut doc = load(&a).unwrap();
    doc.catalog_mut().unwrap().remove(b"StructTreeRoot");
    let mut untagged = Vec::new();
    save_classic(&mut doc, &mut untagged);
    let parts = [part(&a, 0), part(&untagged, 0)];
    let err = build(&parts, &[], None).unwrap_err();
    assert_eq!(
        format!("{err:#}"),
        "part 2: the pdf is not tagged: no /StructTreeRoot"
    );
    let err = build(
        &[Part {
            pdf: b"not a pdf",
            heading_shift: 0,
        }],
        &[],
        None,
    )
    .unwrap_err();
    assert!(
        format!("{err:#}").starts_with("part 1: cannot read pdf: "),
        "{err:#}"
    );
    let err = build(&[], &[], None).unwrap_err();
    assert_eq!(err.to_string(), "a volume needs at least one part");
}

#[test]
fn page_count_reads_the_page_tree() {
    assert_eq!(page_count(&fixture("a", 3, "")).unwrap(), 3);
    assert!(page_count(b"%PDF-1.7 nothing").is_err());
}

#[test]
fn dates_are_utc() {
    let utc = |y, mo, d, h, mi, s| DateTime::new(y, mo, d, h, mi, s, Timezone::Utc);
    assert_eq!(
        dates(0),
        ("D:19700101000000Z".into(), utc(1970, 1, 1, 0, 0, 0))
    );
    assert_eq!(dates(1_900_000_000).1, utc(2030, 3, 17, 17, 46, 40));
    assert_eq!(dates(951_782_400).1, utc(2000, 2, 29, 0, 0, 0));
}
