//! `make train` (`cargo run --example train`): trains the learned component of the judge
//! (`kefu_judge::learned`) from the trainee corpus's **tuning** part only, and writes
//! `data/model/learned.txt` (`kefu_judge::learned::write`'s compact text form). Deterministic:
//! the same corpus gives the same file. How the heads are trained is `kefu_dojo::learn`, which
//! `make eval` shares for its out-of-fold tuning figure. The locked validation part is never read.
//! (Naive Bayes over the same n-grams, the first version, cross-validated lower: blame P .82 R .54
//! against the regression's P .85 R .63 at a threshold of equal precision.)

use kefu_dojo::learn;

const OUT: &str = "data/model/learned.txt";

fn main() {
    let docs = match learn::docs(learn::TUNING) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("train: {e}");
            std::process::exit(1);
        }
    };
    let all: Vec<&learn::Doc> = docs.iter().collect();
    let models = learn::train(&all, &mut |l| println!("{l}"));
    let text = match kefu_judge::learned::write(
        "make train (examples/train.rs) from tests/data/trainee/tuning.jsonl only",
        &models,
    ) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("train: {e}");
            std::process::exit(1);
        }
    };
    if let Err(e) = std::fs::write(OUT, text) {
        eprintln!("train: {OUT}: {e}");
        std::process::exit(1);
    }
    println!("wrote {OUT}");
}
