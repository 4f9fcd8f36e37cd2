//! Structural rules: they combine the hits of *roles* (cues in `data/rules/*.toml` that are not
//! principles: a feeling told away, a wry emoji, a cause put on a third party, the customer sent
//! elsewhere, a chase and a time) with what else the reply does, into principle hits. One file per concern; each
//! rule is linear in the number of hits. Every hit it adds keeps the role cue's span as evidence.

mod blame;
pub(crate) mod explain;
pub(crate) mod ownership;
mod probe;
mod restate;
mod rudeness;
mod solution;

use crate::lexicon::Owner;
use kefu_core::principles::PrincipleId;
use std::collections::BTreeMap;

/// Byte spans (folded text) per principle or role, as `detect` collects them.
pub type Spans = BTreeMap<Owner, Vec<(usize, usize)>>;

/// The roles of `data/rules/*.toml` (their `principle = "role.…"`).
const CALM_DOWN: Owner = Owner::Role("role.calm_down");
/// An acknowledgement (明白了, got it): opening a sentence that says the customer's words back,
/// it restates (`rules/restate.rs`).
const ACK: Owner = Owner::Role("role.ack");
/// The agent chases or escalates the case; with a time (`WHEN`) it is a solution.
const CHASE: Owner = Owner::Role("role.chase");
/// A time the customer can hold the agent to (today, by 5 pm, 24小时内).
const WHEN: Owner = Owner::Role("role.when");
const DEFLECT: Owner = Owner::Role("role.deflect");
const THIRD_PARTY: Owner = Owner::Role("role.third_party");
/// A rule, process or price declared final (规定就是这样, rules are rules): blame only where the
/// reply takes nothing on (`rules/blame.rs`).
const FINAL_RULE: Owner = Owner::Role("role.final_rule");
const WRY_EMOJI: Owner = Owner::Role("role.wry_emoji");
/// What the agent will do for this customer with what it asks (`rules/explain.rs`).
const PURPOSE: Owner = Owner::Role("role.purpose");
/// The case routed to other staff (转交工作人员核查): ownership only with a report back
/// (`rules/ownership.rs`).
pub(crate) const ROUTE: Owner = Owner::Role("role.route");
/// What the agent's side will do on the case with the details it asks for (以便我们为您核实):
/// explain next to the request, whatever the learned explain head's words (`rules/explain.rs`).
const DETAILS_PURPOSE: Owner = Owner::Role("role.details_purpose");
/// A jargon term the reply may use (the customer said it first, the scenario allows it, or the
/// reply explains it: `detect::jargon::excused`): the learned component adds no jargon there.
pub const EXCUSED_JARGON: Owner = Owner::Role("role.excused_jargon");

/// The roles a negator before them cancels, as it does a negatable principle's cues ("并不是快递
/// 公司的问题", "您不用联系快递,我来处理"): those that make blame. Not a negator inside a role
/// cue's gap (`detect::negation`), nor the roles of a remedy or a reason: a chase, a time or a
/// purpose comes after 没问题, 不用担心, 别急 or 不超过 as often as after a negation of it.
pub const NEGATABLE: &[Owner] = &[THIRD_PARTY, DEFLECT, FINAL_RULE];

/// A cause put on a third party or the customer sent elsewhere, as blame: a way out, not a reason.
pub(crate) fn smears(spans: &Spans) -> bool {
    smears_if(spans, has(spans, Owner::Principle(PrincipleId::Blame)))
}

/// `smears`, for a reply that `blames` (its blame found, or about to be added).
pub(crate) fn smears_if(spans: &Spans, blames: bool) -> bool {
    blames && (has(spans, THIRD_PARTY) || has(spans, DEFLECT))
}

fn has(spans: &Spans, who: Owner) -> bool {
    spans.get(&who).is_some_and(|v| !v.is_empty())
}

fn any(spans: &Spans, ids: &[PrincipleId]) -> bool {
    ids.iter().any(|id| has(spans, Owner::Principle(*id)))
}

/// Drop the spans of `target` that overlap any of `by`: `by` merged into disjoint sorted runs,
/// then each span looked up by binary search (linear-logarithmic however many there are).
fn drop_overlapping(spans: &mut Spans, target: Owner, mut by: Vec<(usize, usize)>) {
    crate::sort::sort(&mut by);
    let mut runs: Vec<(usize, usize)> = Vec::with_capacity(by.len());
    for (s, e) in by {
        match runs.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => runs.push((s, e)),
        }
    }
    if let Some(v) = spans.get_mut(&target) {
        v.retain(|&(a, b)| {
            let i = runs.partition_point(|&(_, e)| e <= a);
            runs.get(i).is_none_or(|&(s, _)| s >= b)
        });
    }
}

/// Add the spans of `role` to `principle`.
fn promote(spans: &mut Spans, role: Owner, principle: PrincipleId) {
    if let Some(v) = spans.get(&role).cloned() {
        spans
            .entry(Owner::Principle(principle))
            .or_default()
            .extend(v);
    }
}

/// What the structural rules need to know about the reply and its turn beyond the spans.
#[derive(Debug, Default)]
pub struct Facts {
    /// The customer's line asks why, or on what grounds (`role.asks_why` in a question).
    pub asked_why: bool,
    /// Byte spans (folded) of the reply's stated clauses: clauses of sentences that do not ask,
    /// with some content.
    pub stated: Vec<(usize, usize)>,
    /// Byte spans (folded) of the reply's sentences, in order.
    pub sentences: Vec<(usize, usize)>,
    /// Per sentence: where its first letter, digit or CJK character is (byte, folded).
    pub opens: Vec<usize>,
    /// Per sentence: how many distinct words (CJK character pairs, Latin words of four letters
    /// or more) it shares with the customer's line (all 0 without one).
    pub echoes: Vec<usize>,
    /// The principles the learned heads' words weigh against (`learned::apply`): their hits
    /// are dropped after every other rule.
    pub vetoed: Vec<PrincipleId>,
}

/// Apply every structural rule to the spans of one reply.
pub fn apply(spans: &mut Spans, facts: &Facts) {
    solution::apply(spans);
    blame::apply(spans);
    // Blame the learned head's words weigh against: no blame, the rules' cues' included (issue
    // #14: the cues fire on unseen replies the labellers did not call blame), before the rules
    // that read it.
    if facts.vetoed.contains(&PrincipleId::Blame) {
        spans.remove(&Owner::Principle(PrincipleId::Blame));
    }
    rudeness::apply(spans);
    let purposes = explain::apply(spans, facts);
    probe::apply(spans);
    restate::apply(spans, facts);
    // Last of the rules: blame and rudeness read ownership, and a routing is not nothing.
    ownership::apply(spans);
    for p in &facts.vetoed {
        spans.remove(&Owner::Principle(*p));
    }
    // What the agent's side will do with the details it asks for, next to the request, explains
    // the request by its structure: the explain head's words do not take it back (they weigh
    // against helpdesk templates, 请私信您的号码,以便我们为您核实, that the rulebook calls explain).
    if !purposes.is_empty() {
        spans
            .entry(Owner::Principle(PrincipleId::Explain))
            .or_default()
            .extend(purposes);
    }
}

#[cfg(test)]
mod tests {
    use crate::detect::{detect, Context};
    use crate::lexicon::Lexicon;

    fn hit(t: &str, p: &str) -> bool {
        let id = kefu_core::principles::PrincipleId::parse(p).expect("a principle id");
        detect(t, Lexicon::builtin(), &Context::default()).findings[&id].hit
    }

    /// One example per structural group of cues added to blame.toml and rudeness.toml.
    #[test]
    fn structural_cue_groups() {
        // Non-apology; defensive denial; fault put on the customer.
        assert!(hit("很遗憾您对我们的规则有疑虑。", "blame"));
        assert!(hit("我没有怪您啊,您不要曲解我的意思。", "blame"));
        assert!(hit(
            "I never said it was your problem, I only explained the process",
            "blame"
        ));
        assert!(hit("上次说三天是指工作日哦,您是不是算错了?", "blame"));
        // Dismissal; reproach for asking again; taunt; a command to fend for themselves.
        assert!(hit("信不信由您,我们按流程走。", "rudeness"));
        assert!(hit("我刚才已经说过了,您再往上看看", "rudeness"));
        assert!(hit("就几块钱运费您也问这么细?", "rudeness"));
        assert!(hit("規格表都寫咗,你自己睇清楚啦。", "rudeness"));
        assert!(hit("Complain if you want.", "rudeness"));
        assert!(hit("风大就别飞呗", "rudeness"));
        assert!(hit("I already explained this, scroll up.", "rudeness"));
        assert!(hit("我又没说错,规定就是这样。", "blame"));
        assert!(hit(
            "I didn't say that, I was just answering your question.",
            "blame"
        ));
        // Their look-alikes.
        assert!(!hit("很遗憾您遇到这种情况,我马上为您补发。", "blame"));
        assert!(!hit("您最后一个问题是什么?", "rudeness"));
    }

    /// close: a check made now (after a remedy or an answer), an invitation to ask now, a
    /// choice between offered remedies; not a standing offer. Such a check is not a probe.
    #[test]
    fn close_is_a_check_made_now() {
        assert!(hit("能退的,7天内吊牌完好就行。您看这样清楚吗?", "close"));
        assert!(!hit("能退的,7天内吊牌完好就行。您看这样清楚吗?", "probe"));
        assert!(hit("对不起,是我态度不好。您请问。", "close"));
        assert!(hit("给您两个方案:今天补发,或者全额退款。", "close"));
        assert!(hit(
            "The range is 0.1 Hz to 25 MHz. Does that cover what you need?",
            "close"
        ));
        assert!(hit("sorry sir, pls ask", "close"));
        assert!(hit(
            "I can send a 10-yuan voucher instead. Would that be ok?",
            "close"
        ));
        assert!(hit("Sorry, that was curt. What's your question?", "close"));
        assert!(hit(
            "Two options: resend today or refund. Which would you prefer?",
            "close"
        ));
        assert!(hit("不好意思,刚才急了。您说吧。", "close"));
        assert!(!hit("有问题随时找我。", "close"));
        assert!(!hit("Feel free to message me anytime.", "close"));
    }

    /// explain without a connective: what went wrong, a need-tie, why a price is so, how a
    /// feature keeps the worry from happening.
    #[test]
    fn explain_without_because() {
        assert!(hit("查到了,您的退款卡在财审节点,我已加急。", "explain"));
        assert!(hit("您要做调频实验,就得选AFG2100系列。", "explain"));
        assert!(hit("运费是快递按件收的,小件摊下来成本高。", "explain"));
        assert!(hit("它靠压缩机加热,防止冷凝器结霜。", "explain"));
        assert!(hit(
            "That model is ideal for your battery cabinets.",
            "explain"
        ));
        assert!(!hit("能退,7天内吊牌完好就行。", "explain"));
    }

    /// empathy in other words: a feeling made universal, a feeling or hard situation put on
    /// the customer, their worry named as fair.
    #[test]
    fn empathy_in_other_words() {
        assert!(hit("换成谁遇到这种事都会生气。", "empathy"));
        assert!(hit("礼物摔坏了心里肯定不好受。", "empathy"));
        assert!(hit("您担心买错很正常。", "empathy"));
        assert!(hit("聽起來…上次熱水器的經驗真的太折騰了。", "empathy"));
        assert!(hit("You have every right to be upset.", "empathy"));
        assert!(hit("That's a reasonable worry, Mr. Huang.", "empathy"));
        assert!(!hit("好的,我明白了您的订单号。", "empathy"));
    }

    /// restate: a Cantonese confirmation tag (係咪) or an acknowledgement that goes on to say
    /// the customer's point back; a bare guess closed by 吧? is not a restatement.
    #[test]
    fn restate_in_cantonese_and_after_an_acknowledgement() {
        assert!(hit("你係想今日就收到貨,係咪?", "restate"));
        assert!(hit("明白,即係個機一開就跳掣。", "restate"));
        assert!(hit("了解了,原来是包装盒压坏了。", "restate"));
        assert!(!hit("这是送朋友的吧?", "restate"));
    }

    /// follow_up: a report back after a check or at a time (lexicon cues, one line each).
    #[test]
    fn follow_up_after_a_check_or_at_a_time() {
        assert!(hit("尺寸我核实后发您。", "follow_up"));
        assert!(hit("我打个电话给网点,二十分钟后回您。", "follow_up"));
        assert!(hit(
            "I'll ask the warehouse and tell you tomorrow.",
            "follow_up"
        ));
        assert!(hit("Let me check and reply by email.", "follow_up"));
        assert!(hit(
            "I'll get the drawings and email them to you.",
            "follow_up"
        ));
        assert!(!hit("确认一下,您的地址是北京吗?", "follow_up"));
    }

    /// ownership: the agent admits their own tone or answer, takes a cost on, or takes the
    /// next step on the case plainly (lexicon cues, one line each).
    #[test]
    fn ownership_of_tone_cost_and_next_step() {
        assert!(hit("对不起,是我语气太冲了。", "ownership"));
        assert!(hit("抱歉,我刚才回答得太随便了。", "ownership"));
        assert!(hit("刚才是我太着急了。", "ownership"));
        assert!(hit("退货运费我们承担。", "ownership"));
        assert!(hit("这件事我亲自跟。", "ownership"));
        assert!(hit("嗯,我查一下。", "ownership"));
        assert!(hit("Sorry, that was curt of me.", "ownership"));
        assert!(hit("We'll cover the return postage.", "ownership"));
        assert!(!hit("运费您出,到付不收。", "ownership"));
    }

    /// solution: a remedy with a concrete term or time, or a specific instruction.
    #[test]
    fn solution_with_a_term_or_a_time() {
        assert!(hit("签收后7天内,吊牌完好就能退。", "solution"));
        assert!(hit("补发,今天发。", "solution"));
        assert!(hit("您换个插座试试呢?", "solution"));
        assert!(hit("It ships today by express.", "solution"));
        assert!(!hit("我们会尽快处理,请耐心等待。", "solution"));
    }
}
