//! The detectors, tested through `detect` on replies.

use super::*;

fn hit(text: &str, p: &str) -> bool {
    let id = PrincipleId::parse(p).expect("a principle id");
    detect(text, Lexicon::builtin(), &Context::default()).findings[&id].hit
}

#[test]
fn apology_and_its_look_alikes() {
    assert!(hit("非常抱歉让您久等了", "apology"));
    assert!(hit("對不起，讓您久等了", "apology"));
    assert!(hit("不好意思,请问您的订单号是多少?", "apology"));
    assert!(!hit("我不会道歉的", "apology"));
    assert!(!hit("没什么好道歉的", "apology"));
    assert!(!hit("很遗憾您这么认为", "apology"));
    assert!(!hit("您说要我们道歉,这个要求我们记下了", "apology"));
    assert!(hit("I'm so sorry for the delay.", "apology"));
    assert!(!hit("I'm sorry you feel that way.", "apology"));
    assert!(!hit("I won't apologise for that.", "apology"));
}

/// The text of each piece of evidence of `p` in `text` (spans are chars of the text as typed).
fn evidence(text: &str, p: PrincipleId) -> Vec<String> {
    detect(text, Lexicon::builtin(), &Context::default()).findings[&p]
        .evidence
        .iter()
        .map(|&(s, e)| text.chars().skip(s).take(e - s).collect())
        .collect()
}

#[test]
fn evidence_stops_before_a_trailing_article() {
    let ev = evidence("I'll refund the shipping in full.", Solution);
    assert!(ev.iter().any(|t| t == "I'll refund"), "{ev:?}");
    assert!(ev.iter().all(|t| !t.ends_with(" the")), "{ev:?}");
}

#[test]
fn evidence_points_into_the_original() {
    assert_eq!(evidence("ＨＩ，王先生！非常抱歉", Apology)[0], "抱歉");
}

#[test]
fn evidence_ends_with_the_word_a_cue_ends_with() {
    // A cue's last part has a short and a long alternative (没关 of 没关系): the highlight
    // takes the whole word the reply wrote, not the first characters of it.
    let ev = evidence("这个跟我们没关系，您找快递吧", Blame);
    assert!(ev.iter().any(|t| t.ends_with("没关系")), "{ev:?}");
}

#[test]
fn probe_needs_a_real_question() {
    assert!(hit("请问您是什么时候下单的?", "probe"));
    assert!(hit("Could you tell me your order number?", "probe"));
    assert!(!hit("你难道没看说明书吗?", "probe"));
    assert!(!hit("请问还有什么可以帮您的吗?", "probe"));
    assert!(hit("请提供一下您的订单号", "probe"));
}

#[test]
fn address_blame_rudeness_jargon() {
    assert!(hit("您好,这边为您查询", "address"));
    assert!(!hit("你好,我查一下", "address"));
    assert!(!hit("我亲自查了", "address"));
    assert!(hit("Hi Sarah, thanks for waiting.", "address"));
    assert!(hit("这是快递的问题,跟我们没关系", "blame"));
    assert!(hit("是您自己没看清楚", "blame"));
    assert!(!hit("快递在途中延误了,我来帮您催", "blame"));
    assert!(hit("爱买不买", "rudeness"));
    assert!(hit("PLEASE READ THE PAGE", "rudeness"));
    assert!(hit("好的!!!", "rudeness"));
    assert!(hit("已经给您提交工单了", "jargon"));
    assert!(!hit("SKU(商品编码)是123", "jargon"));
}

#[test]
fn chases_promises_and_handoffs() {
    // The known weak spot: a chase plus a reply time is a solution and a follow-up.
    let t = "我马上帮您催快递,今天下午给您回复";
    assert!(hit(t, "solution") && hit(t, "ownership") && hit(t, "follow_up"));
    assert!(hit(
        "I'm chasing the courier now and I'll get back to you today.",
        "solution"
    ));
    // Handing on alone is not ownership; with a report back it is.
    assert!(!hit("退款已转相关部门处理。", "ownership"));
    assert!(hit(
        "已转给财务同事,他们处理完我会第一时间告诉您结果。",
        "ownership"
    ));
    // Bare generic promises.
    assert!(!hit("我们会尽快处理的,请耐心等待。", "ownership"));
    assert!(!hit("我们会尽快处理的,请耐心等待。", "solution"));
    assert!(!hit("会有专人联系您。", "follow_up"));
    // A negator inside a cue's gap negates it.
    assert!(!hit("我们不可能给你全额退款", "ownership"));
    // 是不是 / 不便 don't negate.
    assert!(hit("造成不便请见谅", "apology"));
    assert!(hit("你是不是没看清楚就下单了?", "blame"));
}

#[test]
fn question_kinds() {
    // A confirming question restates; it does not probe.
    assert!(hit("您是说杯子把手断了,对吗?", "restate"));
    assert!(!hit("您是说杯子把手断了,对吗?", "probe"));
    // Typed on a phone: the tag is the question's end, with no "?" and a space for a comma.
    assert!(hit("您是说杯子把手断了对吧", "restate"));
    assert!(hit("您是想知道为什么要收运费 对吧 我帮您算算", "restate"));
    assert!(!hit("您试试吧 我帮您查", "restate"));
    assert!(!hit("是吗 那我帮您查", "restate"));
    // A suggestion put as a question suggests.
    assert!(hit("Have you tried restarting it?", "solution"));
    assert!(!hit("Have you tried restarting it?", "probe"));
    // English questions about "I" wonder aloud; fillers and offers don't ask.
    assert!(!hit("How do I even cope with this?", "probe"));
    assert!(!hit("It's hard, you know?", "probe"));
    assert!(!hit(
        "It's safer to keep the box if you can dont you think?",
        "probe"
    ));
    assert!(!hit("Do you want to talk?", "probe"));
    // An offer or a consent check put as a question asks nothing about the case; the agent
    // asking someone else for the customer neither.
    assert!(!hit("要不我帮您算一下用券后的到手价?", "probe"));
    assert!(!hit("需要我帮您登记一下吗?", "probe"));
    assert!(!hit("我明天下午再联系您,您看方便吗?", "probe"));
    assert!(!hit("这个我帮您问一下。", "probe"));
    assert!(!hit("手册没写,我去问问技术。", "probe"));
    assert!(hit("请问您是在哪个平台下的单?", "probe"));
    assert!(hit("我问一下,您是什么时候收到的?", "probe"));
    assert!(hit("您现在方便说一下是哪里漏水吗?", "probe"));
    assert!(hit("How long has it been doing that?", "probe"));
    assert!(hit("Can you tell me what happened", "probe"));
    // Asking for a procedural step is not a probe; a bare echo doesn't ask.
    assert!(!hit("Could you check your spam folder?", "probe"));
    assert!(!hit("退货?你自己不看清楚就拍", "probe"));
    // A declarative question checks; a fragment, a bare question word or a verb first asks.
    assert!(!hit("So the parcel never turned up at your door?", "probe"));
    assert!(hit("Receipt still around?", "probe"));
    assert!(hit("I see. Since when?", "probe"));
    assert!(hit("Did anything change after the update?", "probe"));
    assert!(!hit("Maybe a bigger box?", "probe"));
    // Two alternatives ask which holds, whatever the length; a rough number does not.
    assert!(hit(
        "Upstairs, in the garage or out in the garden?",
        "probe"
    ));
    assert!(!hit("Maybe two or three more days?", "probe"));
    // A declarative question put as the customer's point confirms it.
    assert!(hit("So the box arrived already opened?", "restate"));
    assert!(hit("You're still waiting on the second parcel?", "restate"));
    assert!(!hit("You could ask the front desk?", "restate"));
    // "Are you aware that …?" informs; "How do you know that …?" asks.
    assert!(!hit("Are you aware that there's a newer model?", "probe"));
    assert!(hit("How do you know that it was opened?", "probe"));
    // An offer seeks consent; asking the customer to tell asks.
    assert!(!hit("Do you want me to cancel the second one?", "probe"));
    assert!(!hit("Sure, shall I book the engineer for Monday?", "probe"));
    assert!(hit("Would you like to tell me what happened?", "probe"));
    // An offer of help opening the reply asks for the case; "anything else" closes.
    assert!(hit("Good morning! How may I help you?", "probe"));
    assert!(hit("你好,请问有什么可以帮你?", "probe"));
    assert!(!hit(
        "All done now. Anything else I can help with?",
        "probe"
    ));
    assert!(!hit(
        "退款已经到账了,您查收一下。请问还有什么可以帮您?",
        "probe"
    ));
}

#[test]
fn address_names_and_jargon_glosses() {
    assert!(hit("David, I've passed your case on.", "address"));
    assert!(hit("Happy to help, Jenny.", "address"));
    assert!(!hit("See you on Friday, Monday.", "address"));
    assert!(!hit("Dear customer, thanks.", "address"));
    assert!(!hit("A SKU is just our internal product code.", "jargon"));
    assert!(!hit("这个颜色的SKU暂时没库存了,就是说卖完了", "jargon"));
    assert!(hit("该SKU已下架", "jargon"));
}

/// The customer's name as the scenario gives it, and a 先生 written the Hong Kong way (趙生).
#[test]
fn the_customer_s_name_and_its_hong_kong_form_address_them() {
    let names = ["赵先生".to_string(), "Mr. Zhao".to_string()];
    let cx = Context {
        customer_names: &names,
        ..Context::default()
    };
    let address = |t: &str| detect(t, Lexicon::builtin(), &cx).findings[&PrincipleId::Address].hit;
    assert!(address("趙生，真係唔好意思！"));
    assert!(address("赵生,我帮您查一下"));
    assert!(address("赵先生,我帮您查一下"));
    assert!(!address("我们给员工过赵生日"), "生 beginning a word");
    assert!(!address("真係唔好意思，我幫你查下。"));
}

#[test]
fn nothing_panics_on_odd_input() {
    for t in [
        "",
        "?",
        "\u{0}",
        "吗",
        "'\"\"'",
        "A…B",
        "！！！",
        "亲",
        "Mr.",
        "🙂🙂",
    ] {
        let _ = detect(t, Lexicon::builtin(), &Context::default());
    }
}

/// A term the scenario allows, or that the customer used first, is no jargon, whether the rules
/// or the learned component would read it as such (the learned jargon head reads the reply
/// alone: it must not add back what the rules excused).
#[test]
fn allowed_or_echoed_terms_are_no_jargon_in_a_reply_to_the_customer() {
    let reply = "Your SKU is out of stock. Open an RMA ticket via the ERP portal.";
    let jargon = |said: &str, allowed: &[String]| {
        let cx = Context {
            customer_said: Some(said),
            allowed_terms: allowed,
            ..Context::default()
        };
        detect(reply, Lexicon::builtin(), &cx).findings[&Jargon].hit
    };
    assert!(jargon("Where is my order?", &[]));
    let allowed: Vec<String> = ["sku", "rma", "erp", "ticket"].map(String::from).to_vec();
    assert!(!jargon("Where is my order?", &allowed));
    assert!(!jargon(
        "Is the SKU in stock? Do I need an RMA ticket in the ERP portal?",
        &[]
    ));
}

/// Jargon by shape (`jargon::acronyms`): an acronym of the trade that no list names is jargon,
/// in Chinese and English replies alike; one customers know, a model code, a placeholder, a word
/// in capitals for emphasis, shouting, the customer's own word, the scenario's and a glossed one
/// are not.
#[test]
fn an_acronym_of_the_trade_is_jargon_unless_the_customer_knows_it() {
    assert!(hit("已经转给FAE跟进了。", "jargon"));
    assert!(hit("每批都做IQC抽检。", "jargon"));
    assert!(hit("Endurance depends on MTOW and payload.", "jargon"));
    // Customers know these; a model code and a placeholder are names.
    assert!(!hit("说明书PDF发您了,USB线在盒子里。", "jargon"));
    assert!(!hit("AFG2100支持调频。", "jargon"));
    assert!(!hit("寄回地址是XX路88号,单号RF{order_id}。", "jargon"));
    // Emphasis and shouting are not acronyms (shouting is rudeness's).
    assert!(!hit("I did NOT say that.", "jargon"));
    assert!(!hit("READ THE PAGE FIRST.", "jargon"));
    // Glossed right after.
    assert!(!hit("接入BMS(电池管理系统)就能看到。", "jargon"));
    // The customer's own word; a term the scenario allows (its model replies' acronyms).
    fn jargon(text: &str, said: &str, allowed: &[String]) -> bool {
        let cx = Context {
            customer_said: Some(said),
            allowed_terms: allowed,
            ..Context::default()
        };
        detect(text, Lexicon::builtin(), &cx).findings[&Jargon].hit
    }
    assert!(!jargon("BMS可以直接读取。", "能接我们的BMS吗?", &[]));
    assert!(jargon("FSK只有AFG2100有。", "能调制吗?", &[]));
    assert!(!jargon(
        "FSK只有AFG2100有。",
        "能调制吗?",
        &["fsk".to_string()]
    ));
}

#[test]
fn a_fact_that_contradicts_the_customer_is_blame_only_when_nothing_is_taken_on() {
    // `soft_blame` in data/lexicon/_context.toml: the record says it was signed for.
    assert!(hit("系统显示您已经签收了。", "blame"));
    assert!(!hit(
        "系统显示您已经签收了,我来帮您联系快递核实,今天下午给您回复",
        "blame"
    ));
    // A hard cue stays blame beside ownership.
    assert!(hit("这是您自己填错了地址,我来帮您改一下", "blame"));
}

/// `copula_reach` (_context.toml): a negator before a verb negates the verb, not a cue that
/// opens with 是 after it; it still reaches the cue with nothing, or only a hedge, between.
#[test]
fn a_negated_verb_does_not_negate_the_copula_after_it() {
    assert!(hit("物流不更新是快递公司的问题。", "blame"));
    assert!(hit(
        "物流不更新是快递那边的问题,您打快递电话问问。",
        "blame"
    ));
    assert!(hit("券用不了那是系统的问题,我这边也看不到。", "blame"));
    assert!(!hit(
        "不是快递公司的问题,是我们发错了,今天给您补发。",
        "blame"
    ));
    assert!(!hit("这并不是快递公司的问题。", "blame"));
    // A space between, a longer verb of saying, a hedge of knowing: still negated.
    assert!(!hit("不 是快递公司的问题。", "blame"));
    assert!(!hit("不知道是不是快递的问题。", "blame"));
    assert!(!hit("我不确定是不是快递的问题。", "blame"));
    // A role's own negator (in its gap) does not cancel it; a remedy's roles are not
    // negatable (没问题, 不用担心 open a reply as often as they negate).
    assert!(hit("快递什么时候派送不好说我们也不知道。", "blame"));
    assert!(hit("没问题我帮您催一下,今天下午前给您回复。", "solution"));
    assert!(hit("不用担心我马上帮您催,今天下午给您答复。", "solution"));
}

/// `new_subject` (_context.toml): a negator negates the verb after it, and the agent's "我" or
/// the time the agent acts (马上, 今天) after that verb opens what the agent does, unpunctuated
/// as a phone reply often is; right after the negator, or after a copula, a modal or a verb of
/// thinking or saying (`modal_reach`, `copula_reach`), it is still negated.
#[test]
fn a_negated_verb_does_not_negate_what_the_agent_does_next() {
    assert!(hit("亲亲不要着急马上给您补发", "solution"));
    assert!(hit("不急哈今天就给您发出", "solution"));
    assert!(!hit("不能马上给您退款。", "solution"));
    assert!(!hit("没法马上给您补发。", "solution"));
    assert!(hit("别担心我马上给您补发。", "solution"));
    assert!(!hit("别担心我马上给您补发。", "rudeness"));
    assert!(hit("对不起我马上给您补发。", "ownership"));
    assert!(hit("没关系我们今天就给您换一个新的。", "solution"));
    assert!(hit("不是我们的问题。", "blame"));
    assert!(!hit(
        "商品出库前都经过质检,不可能是我们的问题。",
        "ownership"
    ));
    assert!(!hit("我没觉得我态度有问题。", "ownership"));
    assert!(!hit("那您问吧,别又说我态度不好。", "ownership"));
    assert!(!hit("我不会给您补发的。", "solution"));
}

/// `negator_exceptions` (_context.toml): 别 inside a word (特别, 别家) is not "don't".
#[test]
fn bie_inside_a_word_negates_nothing() {
    assert!(hit("特别抱歉让您久等了。", "apology"));
    assert!(!hit("您别抱歉了,又不是您的错。", "apology"));
    assert!(hit("别家拒您可能是您超时了吧。", "blame"));
}

/// A character's other sense, from a phone-style probe (2026-12-07): 滚 in a roller (滚刷,
/// 滚筒) is not "get lost"; 您好 then 麻烦 is a greeting and a request, not "so troublesome";
/// thanks for the customer's understanding (感谢理解) is gratitude, not empathy; 师傅 said of
/// the technician does not address the customer.
#[test]
fn a_word_s_other_sense_is_not_its_cue() {
    assert!(!hit("滚刷缠毛发的话可以拆下来清理。", "rudeness"));
    assert!(!hit("这是滚筒洗衣机的问题。", "rudeness"));
    assert!(hit("你给我滚。", "rudeness"));
    assert!(!hit("亲您好麻烦提供下订单号", "empathy"));
    assert!(!hit("感谢理解~付款后24小时内发出。", "empathy"));
    assert!(hit("我理解您的心情。", "empathy"));
    assert!(!hit("明天师傅上门,你在家等着就行。", "address"));
    assert!(hit("师傅,这边给你补发。", "address"));
}

/// From the same probe: an apology refused (对不起没用, 道歉有什么用) is no apology; the customer
/// spared an errand (您不用自己联系快递,我来联系) is not sent on it.
#[test]
fn a_refused_apology_and_a_spared_errand() {
    assert!(!hit("对不起没用,您要投诉请便。", "apology"));
    assert!(!hit("说道歉有什么用。", "apology"));
    assert!(hit("对不起,我马上处理。", "apology"));
    assert!(!hit("您不用自己联系快递,我来联系。", "rudeness"));
    assert!(hit("您自己联系快递吧。", "rudeness"));
}
