use kefu_judge::learned::{self, Weights};
fn main() {
    let m = learned::builtin().unwrap();
    for f in std::env::args().skip(1) {
        let mut cov = Vec::new();
        for line in std::fs::read_to_string(&f).unwrap().lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let t = kefu_judge::text::Folded::new(v["text"].as_str().unwrap()).text;
            let feats = learned::features(&t);
            let mut row = Vec::new();
            let n = feats.len().max(1);
            let hit = feats.iter().filter(|(g, _)| m.row(g, &mut row)).count();
            cov.push(hit as f64 / n as f64);
        }
        cov.sort_by(|a, b| a.total_cmp(b));
        let q = |p: f64| cov[((cov.len() - 1) as f64 * p) as usize];
        println!(
            "{f}: n={} p1={:.2} p5={:.2} p10={:.2} p25={:.2} p50={:.2}",
            cov.len(),
            q(0.01),
            q(0.05),
            q(0.1),
            q(0.25),
            q(0.5)
        );
    }
}
