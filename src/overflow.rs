//! Text that leaves its box, found in the laid-out pages before export.
//!
//! Every glyph of a page must lie inside the page's text area (between the
//! side margins) and must not cross a vertical rule: the rules of a table
//! are its cells' borders, so a glyph across one has left its cell and
//! prints over the next. Glyphs are boxes as wide as their advance, from a
//! little above the baseline to the baseline; white space is not checked.
//! Horizontal lines are not rules that text can cross (rows grow with their
//! text), and struck-through text lies across its own line by design.

use std::fmt;

use typst::layout::{Abs, Frame, FrameItem, Point, Transform};
use typst::visualize::Geometry;

/// One run of text that leaves its box.
#[derive(Debug, Clone, PartialEq)]
pub struct Overflow {
    /// The page, from 1.
    pub page: usize,
    /// The run's text.
    pub text: String,
    /// The first glyph outside, as text.
    pub glyph: String,
    /// Where it goes: across which rule, or past which side of the text area.
    pub crosses: String,
}

impl fmt::Display for Overflow {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "page {}: `{}` in `{}` {}",
            self.page, self.glyph, self.text, self.crosses
        )
    }
}

/// A glyph's box on the page, in points.
struct GlyphBox {
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    text: String,
    run: usize,
}

/// A vertical rule on the page, in points.
struct Rule {
    x: f64,
    top: f64,
    bottom: f64,
}

/// The texts of `pages` that leave the text area (`margin` from the left and
/// right edges of the page) or cross a vertical rule.
pub fn find(pages: &[(&Frame, Abs)], margin: Abs) -> Vec<Overflow> {
    const TOLERANCE: f64 = 0.25;
    let mut found = Vec::new();
    for (index, (frame, width)) in pages.iter().enumerate() {
        let mut glyphs = Vec::new();
        let mut rules = Vec::new();
        let mut runs = Vec::new();
        walk(
            frame,
            Transform::identity(),
            &mut glyphs,
            &mut rules,
            &mut runs,
        );
        let (left, right) = (margin.to_pt(), width.to_pt() - margin.to_pt());
        let mut reported = vec![false; runs.len()];
        for glyph in &glyphs {
            if reported[glyph.run] {
                continue;
            }
            let crosses = if glyph.left < left - TOLERANCE {
                Some(format!(
                    "starts {:.1}pt left of the text area",
                    left - glyph.left
                ))
            } else if glyph.right > right + TOLERANCE {
                Some(format!(
                    "ends {:.1}pt right of the text area",
                    glyph.right - right
                ))
            } else {
                rules
                    .iter()
                    .find(|rule| {
                        rule.x > glyph.left + TOLERANCE
                            && rule.x < glyph.right - TOLERANCE
                            && rule.top < glyph.bottom - TOLERANCE
                            && rule.bottom > glyph.top + TOLERANCE
                    })
                    .map(|rule| {
                        format!(
                            "crosses the rule at x = {:.1}pt (y {:.1}-{:.1}pt)",
                            rule.x, rule.top, rule.bottom
                        )
                    })
            };
            if let Some(crosses) = crosses {
                reported[glyph.run] = true;
                found.push(Overflow {
                    page: index + 1,
                    text: runs[glyph.run].clone(),
                    glyph: glyph.text.clone(),
                    crosses,
                });
            }
        }
    }
    found
}

fn walk(
    frame: &Frame,
    ts: Transform,
    glyphs: &mut Vec<GlyphBox>,
    rules: &mut Vec<Rule>,
    runs: &mut Vec<String>,
) {
    for (pos, item) in frame.items() {
        let at = Transform {
            tx: pos.x,
            ty: pos.y,
            ..Transform::identity()
        };
        match item {
            FrameItem::Group(group) => {
                walk(
                    &group.frame,
                    ts.pre_concat(at).pre_concat(group.transform),
                    glyphs,
                    rules,
                    runs,
                );
            }
            FrameItem::Text(text) => {
                let run = runs.len();
                runs.push(text.text.to_string());
                let mut x = Abs::zero();
                for glyph in &text.glyphs {
                    let advance = glyph.x_advance.at(text.size);
                    let shown = text.text.get(glyph.range()).unwrap_or_default();
                    let start = x + glyph.x_offset.at(text.size);
                    x += advance;
                    if shown.trim().is_empty() || advance <= Abs::zero() {
                        continue;
                    }
                    let top = Point::new(pos.x + start, pos.y - text.size * 0.5).transform(ts);
                    let b = Point::new(pos.x + start + advance, pos.y).transform(ts);
                    glyphs.push(GlyphBox {
                        left: top.x.to_pt().min(b.x.to_pt()),
                        right: top.x.to_pt().max(b.x.to_pt()),
                        top: top.y.to_pt().min(b.y.to_pt()),
                        bottom: top.y.to_pt().max(b.y.to_pt()),
                        text: shown.to_string(),
                        run,
                    });
                }
            }
            FrameItem::Shape(shape, _) if shape.stroke.is_some() => {
                let segments: Vec<(Point, Point)> = match &shape.geometry {
                    Geometry::Line(to) => vec![(*pos, *pos + *to)],
                    Geometry::Rect(size) => {
                        let (x0, y0) = (pos.x, pos.y);
                        let (x1, y1) = (pos.x + size.x, pos.y + size.y);
                        vec![
                            (Point::new(x0, y0), Point::new(x0, y1)),
                            (Point::new(x1, y0), Point::new(x1, y1)),
                        ]
                    }
                    Geometry::Curve(_) => Vec::new(),
                };
                for (from, to) in segments {
                    let (from, to) = (from.transform(ts), to.transform(ts));
                    if (from.x - to.x).abs().to_pt() < 0.01 && from.y != to.y {
                        rules.push(Rule {
                            x: from.x.to_pt(),
                            top: from.y.to_pt().min(to.y.to_pt()),
                            bottom: from.y.to_pt().max(to.y.to_pt()),
                        });
                    }
                }
            }
            _ => {}
        }
    }
}
