//! Geometry of the inline-SVG charts (the summary's radar, the history's trend lines) as pure
//! functions: the Yew shell renders the strings these return. No NaN ever reaches the output.

/// A radar chart: axes, reference rings at 25/50/75/100 %, the value shape, label positions.
#[derive(Debug, Clone, PartialEq)]
pub struct Radar {
    pub axes: Vec<(f32, f32, f32, f32)>,
    pub rings: Vec<String>,
    pub shape: String,
    pub label_pos: Vec<(f32, f32, &'static str)>,
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
        .collect();
    Radar {
        axes,
        rings,
        shape,
        label_pos,
    }
}

/// A trend line: an SVG path and its dots.
#[derive(Debug, Clone, PartialEq)]
pub struct Trend {
    pub path: String,
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
