//! The web fonts of the portal pages: Titillium Web in WOFF2 (made from
//! `fonts/*.ttf` with fontTools, whole), shipped inside the binary and
//! written into a `fonts/` folder beside each stylesheet with the SIL Open
//! Font License, so that the pages look the same from a disk as from a
//! server (browsers load fonts from the page's folder and below).

/// The folder the fonts go into, beside each `schede.css`.
pub const FOLDER: &str = "fonts";

/// The files of the `fonts/` folder: each name and its bytes.
pub const FILES: [(&str, &[u8]); 5] = [
    (
        "TitilliumWeb-Regular.woff2",
        include_bytes!("../../fonts/web/TitilliumWeb-Regular.woff2"),
    ),
    (
        "TitilliumWeb-Italic.woff2",
        include_bytes!("../../fonts/web/TitilliumWeb-Italic.woff2"),
    ),
    (
        "TitilliumWeb-SemiBold.woff2",
        include_bytes!("../../fonts/web/TitilliumWeb-SemiBold.woff2"),
    ),
    (
        "TitilliumWeb-Bold.woff2",
        include_bytes!("../../fonts/web/TitilliumWeb-Bold.woff2"),
    ),
    ("OFL.txt", include_bytes!("../../fonts/OFL.txt")),
];
