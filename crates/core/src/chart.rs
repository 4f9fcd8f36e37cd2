//! Geometry of the inline-SVG charts (the summary's radar, the history's trend lines) as pure
//! functions: the Yew shell renders the strings these return. No NaN ever reaches the output.

#![warn(missing_docs)]

/// A radar chart: axes, reference rings at 25/50/75/100 %, the value shape, label positions.
#[derive(Debug, Clone, PartialEq)]
pub struct Radar {
    /// The axes, as `(x1, y1, x2, y2)` lines from the centre.
    pub axes: Vec<(f32, f32, f32, f32)>,
    /// The grid rings, as SVG polygon point lists.
    pub rings: Vec<String>,
    /// The value shape, as an SVG polygon point list.
    pub shape: String,
    /// Where each label goes: `(x, y, text-anchor)`.
    pub label_pos: Vec<(f32, f32, &'static str)>,
    /// `min-x min-y width height` for the SVG `viewBox`: the chart and every whole label.
    pub view_box: String,
}

/// Font size of the radar's labels, in the SVG's units (the page's CSS must agree).
pub const LABEL_PX: f32 = 12.0;

/// About how wide `label` is at `px`: a CJK or full-width char is one em, others about 0.58 em.
pub fn label_width(label: &str, px: f32) -> f32 {
    label
        .chars()
        .map(|c| if (c as u32) >= 0x2E80 { 1.0 } else { 0.58 })
        .sum::<f32>()
        * px
}

fn fin(x: f32) -> f32 {
    if x.is_finite() {
        x
    } else {
        0.0
    }
}

fn points(ps: &[(f32, f32)]) -> String {
    ps.iter()
        .map(|(x, y)| format!("{:.1},{:.1}", fin(*x), fin(*y)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A radar of `values` (0..1, clamped) on `labels.len()` axes in a `size`×`size` box.
pub fn radar(labels: &[String], values: &[f32], size: f32) -> Radar {
    let size = if size.is_finite() && size > 0.0 {
        size
    } else {
        100.0
    };
    let n = labels.len();
    let c = size / 2.0;
    let r = size / 2.0 * 0.8;
    let at = |i: usize, k: f32| -> (f32, f32) {
        let a = -std::f32::consts::FRAC_PI_2 + std::f32::consts::TAU * i as f32 / n.max(1) as f32;
        (c + r * k * a.cos(), c + r * k * a.sin())
    };
    if n == 0 {
        return Radar {
            axes: vec![],
            rings: vec![],
            shape: String::new(),
            label_pos: vec![],
            view_box: format!("0 0 {size} {size}"),
        };
    }
    let axes = (0..n)
        .map(|i| {
            let (x, y) = at(i, 1.0);
            (c, c, fin(x), fin(y))
        })
        .collect();
    let rings = [0.25, 0.5, 0.75, 1.0]
        .iter()
        .map(|k| points(&(0..n).map(|i| at(i, *k)).collect::<Vec<_>>()))
        .collect();
    let shape = points(
        &(0..n)
            .map(|i| {
                let v = values
                    .get(i)
                    .copied()
                    .filter(|v| v.is_finite())
                    .unwrap_or(0.0);
                at(i, v.clamp(0.0, 1.0))
            })
            .collect::<Vec<_>>(),
    );
    let label_pos = (0..n)
        .map(|i| {
            let (x, y) = at(i, 1.12);
            let anchor = if (x - c).abs() < size * 0.05 {
                "middle"
            } else if x > c {
                "start"
            } else {
                "end"
            };
            (fin(x), fin(y + 4.0), anchor)
        })
        .collect::<Vec<_>>();
    // Widen the box so no label is cut: a label anchored at its start runs right, at its end
    // runs left, in the middle runs both ways.
    let (mut lo, mut hi) = (0.0f32, size);
    for ((x, _, anchor), l) in label_pos.iter().zip(labels) {
        let w = label_width(l, LABEL_PX);
        let (a, b) = match *anchor {
            "start" => (*x, x + w),
            "end" => (x - w, *x),
            _ => (x - w / 2.0, x + w / 2.0),
        };
        lo = lo.min(a - 4.0);
        hi = hi.max(b + 4.0);
    }
    let view_box = format!(
        "{:.0} {:.0} {:.0} {:.0}",
        lo.floor(),
        -LABEL_PX,
        (hi - lo).ceil(),
        size + 2.0 * LABEL_PX
    );
    Radar {
        axes,
        rings,
        shape,
        label_pos,
        view_box,
    }
}

/// A trend line: an SVG path and its dots.
#[derive(Debug, Clone, PartialEq)]
pub struct Trend {
    /// The trend line, as an SVG path.
    pub path: String,
    /// One dot per point.
    pub dots: Vec<(f32, f32)>,
}

/// Plot `(x, y)` points (any x scale, y in 0..1) into `width`×`height`, y = 1 at the top.
/// Points are spaced by rank of x, so attempts on one day do not pile up.
pub fn trend(points: &[(f64, f32)], width: f32, height: f32) -> Trend {
    let mut ps: Vec<(f64, f32)> = points
        .iter()
        .copied()
        .filter(|(x, _)| x.is_finite())
        .collect();
    ps.sort_by(|a, b| a.0.total_cmp(&b.0));
    let n = ps.len();
    let dots: Vec<(f32, f32)> = ps
        .iter()
        .enumerate()
        .map(|(i, (_, y))| {
            // The share first, so rounding can never put the last dot past `width`.
            let x = if n <= 1 {
                width / 2.0
            } else {
                width * (i as f32 / (n - 1) as f32)
            };
            let y = if y.is_finite() {
                y.clamp(0.0, 1.0)
            } else {
                0.0
            };
            (fin(x), fin(height * (1.0 - y)))
        })
        .collect();
    let path = dots
        .iter()
        .enumerate()
        .map(|(i, (x, y))| format!("{}{:.1},{:.1}", if i == 0 { "M" } else { "L" }, x, y))
        .collect::<Vec<_>>()
        .join(" ");
    Trend { path, dots }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("p{i}")).collect()
    }

    #[test]
    fn radar_stays_in_its_box_without_nan() {
        for n in [0, 1, 2, 5, 13] {
            let vals: Vec<f32> = (0..n)
                .map(|i| [0.0, 0.5, 1.0, 2.0, f32::NAN][i % 5])
                .collect();
            let r = radar(&labels(n), &vals, 200.0);
            assert_eq!(r.axes.len(), n);
            assert_eq!(r.label_pos.len(), n);
            let all = format!("{} {}", r.shape, r.rings.join(" "));
            assert!(!all.contains("NaN") && !all.contains("inf"), "{all}");
            for p in r.shape.split_whitespace() {
                let (x, y) = p.split_once(',').unwrap();
                let (x, y): (f32, f32) = (x.parse().unwrap(), y.parse().unwrap());
                assert!((0.0..=200.0).contains(&x) && (0.0..=200.0).contains(&y));
            }
        }
    }

    #[test]
    fn the_view_box_holds_every_whole_label() {
        let long: Vec<String> = [
            "Apologise",
            "Offer a concrete solution",
            "Thank the customer",
            "Commit to follow up",
            "Take responsibility",
            "Show empathy",
            "Apologise early",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let r = radar(&long, &[1.0; 7], 260.0);
        let v: Vec<f32> = r.view_box.split(' ').map(|x| x.parse().unwrap()).collect();
        let (left, right) = (v[0], v[0] + v[2]);
        for ((x, _, anchor), l) in r.label_pos.iter().zip(&long) {
            let w = label_width(l, LABEL_PX);
            match *anchor {
                "start" => assert!(x + w <= right, "{l} runs past the right edge"),
                "end" => assert!(x - w >= left, "{l} runs past the left edge"),
                _ => assert!(x - w / 2.0 >= left && x + w / 2.0 <= right),
            }
        }
        assert!(
            left < -60.0,
            "English labels need more room than the old fixed margin"
        );
        // Short Chinese labels need little room.
        let zh: Vec<String> = ["致歉", "共情", "承担责任"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let rz = radar(&zh, &[1.0; 3], 260.0);
        let vz: Vec<f32> = rz.view_box.split(' ').map(|x| x.parse().unwrap()).collect();
        assert!(vz[2] < v[2]);
        assert!(label_width("承担责任", 12.0) > label_width("abcd", 12.0));
    }

    #[test]
    fn a_full_score_reaches_the_outer_ring() {
        let r = radar(&labels(4), &[1.0; 4], 100.0);
        assert_eq!(r.shape, r.rings[3]);
        let zero = radar(&labels(4), &[0.0; 4], 100.0);
        assert!(zero.shape.split_whitespace().all(|p| p == "50.0,50.0"));
    }

    #[test]
    fn trend_handles_few_and_equal_points() {
        assert_eq!(trend(&[], 100.0, 50.0).path, "");
        let one = trend(&[(5.0, 1.0)], 100.0, 50.0);
        assert_eq!(one.dots, vec![(50.0, 0.0)]);
        let same = trend(&[(1.0, 0.0), (1.0, 1.0), (1.0, 0.5)], 100.0, 50.0);
        assert!(!same.path.contains("NaN"));
        assert_eq!(same.dots.len(), 3);
        let up = trend(&[(2.0, 1.0), (1.0, 0.0)], 100.0, 50.0);
        assert_eq!(up.path, "M0.0,50.0 L100.0,0.0");
    }
}
