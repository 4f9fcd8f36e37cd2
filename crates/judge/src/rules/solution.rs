//! Solution by structure: a chase or an escalation (我帮您催一下, 已加急, I'm chasing it) tells
//! the customer something is being done, not what will happen. With a time they can hold the
//! agent to (今天下午前, 明天, by 5 pm) it is a solution (principles.md: "an escalation with its
//! next step", "saying when a pending action will happen"); alone it is not.

use super::{has, promote, Spans, CHASE, WHEN};
use kefu_core::principles::PrincipleId::Solution;

pub fn apply(spans: &mut Spans) {
    if has(spans, CHASE) && has(spans, WHEN) {
        promote(spans, CHASE, Solution);
    }
}

#[cfg(test)]
mod tests {
    use crate::detect::{detect, Context};
    use crate::lexicon::Lexicon;
    use kefu_core::principles::PrincipleId::Solution;

    fn solution(t: &str) -> bool {
        detect(t, Lexicon::builtin(), &Context::default()).findings[&Solution].hit
    }

    #[test]
    fn a_chase_is_a_solution_only_with_a_time() {
        assert!(solution("我这边帮您加急,今天下午5点前给您结果。"));
        assert!(solution("我已经帮您催了,明天上午一定派送。"));
        assert!(solution(
            "I've chased the warehouse, it will be fixed by 5 pm."
        ));
        assert!(solution("I'm expediting it today."));
        assert!(!solution("已经在帮您催了。"));
        assert!(!solution("我帮您催一下财务吧。"));
        assert!(!solution("I'm chasing it."));
    }
}
