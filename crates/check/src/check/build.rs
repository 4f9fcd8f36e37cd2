//! `RawScenario` → `Scenario`: the header, the customer, placeholders, endings and turns with
//! their lines, branches, facts and terms, each checked where it is written. The parts are
//! checked in the file's order, so messages at one place keep their order.

use super::*;
use crate::raw::{RawScenario as Raw, RawTurn};

/// What every part of a file is checked against.
struct Frame {
    kind: ScenarioKind,
    /// The file's languages: every text must have each.
    languages: Vec<Lang>,
    /// The placeholders a text may use.
    known: BTreeSet<String>,
    /// `max_turns` as written (for `turns_taken`).
    max_turns_declared: usize,
    /// The rules of the file's `[policy]` (an `asks` may name one).
    policy: BTreeSet<String>,
}

/// The ids of turns and endings, for `goto`, `start` and `gives_up`.
struct Targets {
    names: BTreeMap<String, Target>,
    /// A name matched no id: the graph is incomplete.
    dangling: bool,
}

impl Targets {
    /// The turn or ending `s` names; an unknown one is an error with the nearest id.
    fn resolve(&mut self, ck: &mut Checker, s: &Spanned<String>) -> Option<Target> {
        match self.names.get(s.get_ref()) {
            Some(t) => Some(*t),
            None => {
                self.dangling = true;
                let hint = suggest(s.get_ref(), self.names.keys().map(String::as_str));
                ck.err(
                    s,
                    msg!(
                        "check.turn_ending_scenario_hint",
                        a = s.get_ref(),
                        hint = hint
                    ),
                );
                None
            }
        }
    }
}

/// The scenario's own fields, before its turns and endings.
struct Header {
    id: String,
    kind: ScenarioKind,
    languages: Vec<Lang>,
    product: Option<String>,
    difficulty: u8,
    minutes: u16,
    title: Loc,
    brief: Loc,
    customer_name: Loc,
    persona: Option<Loc>,
    mood: i32,
}

pub(super) fn build(ck: &mut Checker, raw: &Raw) -> Option<Scenario> {
    let h = header(ck, raw);
    let (known, placeholders) = placeholders(ck, raw, h.product.is_some());
    let mut targets = turn_ids(ck, raw);
    let frame = Frame {
        kind: h.kind,
        languages: h.languages.clone(),
        known,
        max_turns_declared: raw
            .max_turns
            .as_ref()
            .map_or(12, |m| (*m.get_ref()).clamp(1, 100) as usize),
        policy: raw.policy.keys().map(|k| k.get_ref().clone()).collect(),
    };
    let endings = endings(ck, raw, &frame, &mut targets);
    let turns: Vec<Turn> = raw
        .turn
        .iter()
        .map(|t| turn(ck, t.get_ref(), &frame, &mut targets))
        .collect();
    let customer = raw.customer.get_ref();
    let start = match &raw.start {
        Some(s) => match targets.resolve(ck, s) {
            Some(Target::Turn(i)) => i,
            Some(Target::Ending(_)) => {
                ck.err(s, msg!("check.start_must_name_turn"));
                0
            }
            None => 0,
        },
        None => 0,
    };
    let gives_up = match &customer.gives_up {
        // Not a name at all: an ending is suggested, never a turn.
        Some(g) if !targets.names.contains_key(g.get_ref()) => {
            targets.dangling = true;
            let endings = targets.names.iter().filter_map(|(n, t)| match t {
                Target::Ending(_) => Some(n.as_str()),
                Target::Turn(_) => None,
            });
            let hint = suggest(g.get_ref(), endings);
            ck.err(
                g,
                msg!("check.gives_up_not_ending", a = g.get_ref(), hint = hint),
            );
            0
        }
        Some(g) => match targets.resolve(ck, g) {
            Some(Target::Ending(i)) => i,
            Some(Target::Turn(_)) => {
                ck.err(g, msg!("check.gives_up_must_name_ending"));
                0
            }
            None => 0,
        },
        None => endings
            .iter()
            .position(|e| e.outcome != Outcome::Resolved)
            .unwrap_or(endings.len().saturating_sub(1)),
    };
    let policy = policy::policy(ck, raw);
    // Out of range: told, and the rest reasoned from the default (a warning computed from a
    // value the file does not say, "max_turns is 1", contradicted the error beside it).
    let max_turns = raw.max_turns.as_ref().map_or(12, |m| {
        if (1..=100).contains(m.get_ref()) {
            *m.get_ref() as usize
        } else {
            ck.err(m, msg!("check.max_turns_from_1_100"));
            12
        }
    });

    let scenario = Scenario {
        id: h.id,
        kind: h.kind,
        languages: h.languages,
        product: h.product,
        difficulty: h.difficulty,
        minutes: h.minutes,
        title: h.title,
        brief: h.brief,
        customer_name: h.customer_name,
        persona: h.persona,
        mood: h.mood,
        gives_up,
        placeholders,
        start,
        max_turns,
        turns,
        endings,
        samples: Vec::new(),
        policy,
    };
    // Graph: every turn reachable from the start, an ending reachable from every turn. Skipped
    // when a `goto` names nothing: the graph is incomplete and its errors would only repeat
    // that one.
    if !scenario.turns.is_empty() && !targets.dangling && gives_up < scenario.endings.len() {
        graph(ck, raw, &scenario);
    }
    asks::unanswered_stays(ck, raw, &scenario);
    Some(scenario)
}

/// Identity, kind, languages, product, difficulty, the texts shown in the library and the
/// customer.
fn header(ck: &mut Checker, raw: &Raw) -> Header {
    // Identity and languages.
    let id = raw.id.get_ref().clone();
    if !kefu_core::view::is_file_id(&id) {
        ck.err(&raw.id, msg!("check.scenario_id_may_use"));
    }
    let kind = match raw.kind.get_ref().as_str() {
        "angry" => ScenarioKind::Angry,
        "objection" => ScenarioKind::Objection,
        "product" => ScenarioKind::Product,
        other => {
            let meant =
                checker::id_by_shown_name("kind", &["angry", "objection", "product"], other);
            let m = match meant {
                Some(id) => msg!("check.kind_by_name", other = other, id = id),
                None => msg!("check.unknown_kind_other_write", other = other),
            };
            ck.err(&raw.kind, m);
            ScenarioKind::General
        }
    };
    let mut languages = Vec::new();
    for l in raw.languages.get_ref() {
        match Lang::parse(l.get_ref()).filter(|x| x.code() == l.get_ref()) {
            Some(x) if languages.contains(&x) => {
                ck.warn(l, msg!("check.listed_twice", a = l.get_ref()))
            }
            Some(x) => languages.push(x),
            None => {
                ck.err(
                    l,
                    msg!(
                        "check.unknown_language",
                        a = l.get_ref(),
                        b = lang_instead(l.get_ref())
                    ),
                );
                // `zh-HK` for `zh-Hant`: the rest of the file is checked as that language,
                // not reported again as having none.
                if let Some(x) = Lang::parse(l.get_ref()).filter(|x| !languages.contains(x)) {
                    languages.push(x);
                }
            }
        }
    }
    if raw.languages.get_ref().is_empty() {
        ck.err(&raw.languages, msg!("check.list_least_one_language"));
    }
    let product = raw.product.as_ref().map(|p| p.get_ref().clone());
    match (&raw.product, kind) {
        (Some(p), _) if product_name(p.get_ref(), Lang::En).is_none() => ck.err(
            p,
            msg!(
                "check.unknown_product",
                a = p.get_ref(),
                list = List::of(PRODUCTS.iter().map(|p| format!("`{}`", p.0)))
            ),
        ),
        (None, ScenarioKind::Product) => {
            ck.err(&raw.kind, msg!("check.product_question_needs_product"))
        }
        _ => {}
    }
    let difficulty = raw.difficulty.as_ref().map_or(1, |d| {
        if !(1..=3).contains(d.get_ref()) {
            ck.err(d, msg!("check.difficulty_1_easy_2"));
        }
        (*d.get_ref()).clamp(1, 3) as u8
    });
    let minutes = raw.minutes.as_ref().map_or(5, |m| {
        if !(1..=120).contains(m.get_ref()) {
            ck.err(m, msg!("check.minutes_estimated_time_play"));
        }
        (*m.get_ref()).clamp(1, 120) as u16
    });
    let title = ck.text(&raw.title, &msg!("check.what.title"), &languages);
    let brief = ck.text(&raw.brief, &msg!("check.what.brief"), &languages);
    let customer = raw.customer.get_ref();
    // The name may also be written in a language the file is not played in: tips in the UI's
    // language name the customer (趙先生 for a Traditional interface playing it in Simplified).
    let name_langs: Vec<Lang> = languages
        .iter()
        .copied()
        .chain(
            customer
                .name
                .get_ref()
                .keys()
                .filter_map(|k| Lang::parse(k.get_ref()).filter(|l| l.code() == k.get_ref())),
        )
        .collect();
    let customer_name = ck.text(
        &customer.name,
        &msg!("check.what.customer_name"),
        &name_langs,
    );
    let persona = customer.persona.as_ref().map(|p| {
        ck.text_sev(
            p,
            &msg!("check.what.persona"),
            &languages,
            Severity::Warning,
        )
    });
    let mood = customer.mood.as_ref().map_or(30, |m| {
        if !(0..=100).contains(m.get_ref()) {
            ck.err(
                m,
                msg!(
                    "check.mood_out_range_write",
                    a = m.get_ref(),
                    b = (*m.get_ref()).clamp(0, 100)
                ),
            );
            // The rest is checked as if no mood were written: a mood of -150 read as 0 made
            // every branch down from the opening a warning that it ends the session.
            return 30;
        }
        (*m.get_ref()).clamp(0, 100) as i32
    });

    Header {
        id,
        kind,
        languages,
        product,
        difficulty,
        minutes,
        title,
        brief,
        customer_name,
        persona,
        mood,
    }
}

/// The placeholders a text may use (`{name}`, `{product}`, the file's own) and their values,
/// bounded in depth and size; the header's texts checked for them.
fn placeholders(
    ck: &mut Checker,
    raw: &Raw,
    has_product: bool,
) -> (BTreeSet<String>, BTreeMap<String, Vec<String>>) {
    let customer = raw.customer.get_ref();
    let mut known: BTreeSet<String> = ["name".to_string()].into();
    if has_product {
        known.insert("product".into());
    }
    let mut placeholders = BTreeMap::new();
    for (k, v) in &raw.placeholders {
        if v.get_ref().is_empty() {
            ck.err(
                v,
                msg!(
                    "check.placeholder_has_values_list",
                    a = k.get_ref(),
                    b = k.get_ref()
                ),
            );
        }
        known.insert(k.get_ref().clone());
        placeholders.insert(
            k.get_ref().clone(),
            v.get_ref().iter().map(|s| s.get_ref().clone()).collect(),
        );
    }
    // Placeholders are filled in name order, so a value may use a placeholder named after its
    // own (`a = ["{b}"]`): bounded in depth and in size, or a few KB of placeholders filling
    // each other a hundred times a level would grow to gigabytes. Last name first: each is
    // sized with the ones filled inside it.
    for (k, v) in raw.placeholders.iter().rev() {
        let (mut depth, mut longest) = (1, 0);
        for val in v.get_ref() {
            let (d, chars) = filled_size(val.get_ref(), &ck.fills);
            if d + 1 > MAX_PLACEHOLDER_DEPTH {
                ck.err(
                    val,
                    msg!(
                        "check.placeholder_fills_placeholders_fill",
                        a = k.get_ref(),
                        b = d + 1,
                        max_placeholder_depth = MAX_PLACEHOLDER_DEPTH
                    ),
                );
            } else if chars.saturating_sub(val.get_ref().chars().count()) > MAX_FILLED_CHARS {
                ck.err(
                    val,
                    msg!(
                        "check.placeholder_grows_chars_characters",
                        a = k.get_ref(),
                        chars = chars,
                        max_filled_chars = MAX_FILLED_CHARS
                    ),
                );
            }
            depth = depth.max(d + 1);
            longest = longest.max(chars);
        }
        ck.fills
            .insert(k.get_ref().clone(), (depth, longest.min(MAX_FILLED_CHARS)));
    }
    ck.placeholders_in(&raw.brief, &known);
    for v in raw.title.get_ref().values() {
        if v.get_ref().contains('{') && v.get_ref().contains('}') {
            ck.warn(v, msg!("check.title_shown_library_written"));
        }
    }
    if let Some(p) = &customer.persona {
        ck.placeholders_in(p, &known);
    }

    (known, placeholders)
}

/// The turns' ids (an ending's is added with the ending), and a file without turns or endings.
fn turn_ids(ck: &mut Checker, raw: &Raw) -> Targets {
    let mut names: BTreeMap<String, Target> = BTreeMap::new();
    if raw.turn.is_empty() {
        ck.push(Severity::Error, 0, msg!("check.scenario_has_turns_add"));
    }
    if raw.turn.len() > MAX_TURNS {
        ck.err(
            &raw.turn[MAX_TURNS],
            msg!("check.most_max_turns_turns", max_turns = MAX_TURNS),
        );
    }
    if raw.ending.is_empty() {
        ck.push(Severity::Error, 0, msg!("check.scenario_has_endings_add"));
    }
    for (i, t) in raw.turn.iter().enumerate() {
        let tid = &t.get_ref().id;
        if names
            .insert(tid.get_ref().clone(), Target::Turn(i))
            .is_some()
        {
            ck.err(
                tid,
                msg!("check.duplicate_id_every_turn", a = tid.get_ref()),
            );
        }
    }
    Targets {
        names,
        dangling: false,
    }
}

/// The endings: ids, outcomes, texts and their lines.
fn endings(ck: &mut Checker, raw: &Raw, frame: &Frame, targets: &mut Targets) -> Vec<Ending> {
    let mut endings = Vec::new();
    for (i, e) in raw.ending.iter().enumerate() {
        let e = e.get_ref();
        if targets
            .names
            .insert(e.id.get_ref().clone(), Target::Ending(i))
            .is_some()
        {
            ck.err(
                &e.id,
                msg!("check.duplicate_id_every_turn", a = e.id.get_ref()),
            );
        }
        let outcome = Outcome::parse(e.outcome.get_ref()).unwrap_or_else(|| {
            let a = e.outcome.get_ref();
            let ids = ["resolved", "escalated", "lost"];
            let m = match checker::id_by_shown_name("outcome", &ids, a) {
                Some(id) => msg!("check.outcome_by_name", a = a, id = id),
                None => msg!("check.unknown_outcome_write_resolved", a = a),
            };
            ck.err(&e.outcome, m);
            Outcome::Resolved
        });
        let text = ck.text(
            &e.text,
            &msg!("check.what.ending_text", id = e.id.get_ref()),
            &frame.languages,
        );
        ck.placeholders_in(&e.text, &frame.known);
        let mut lines = Vec::new();
        for l in &e.line {
            let l = l.get_ref();
            lines.push(line_of(
                ck,
                l.cond(),
                &l.requires,
                std::slice::from_ref(&l.text),
                &msg!("check.what.ending_line", id = e.id.get_ref()),
                &frame.known,
                &frame.languages,
                frame.max_turns_declared,
            ));
        }
        endings.push(Ending {
            id: e.id.get_ref().clone(),
            outcome,
            text,
            lines,
        });
    }
    endings
}

/// One turn: what the customer says, model answers, hint, weights, facts, terms, lines and
/// branches.
fn turn(ck: &mut Checker, rt: &RawTurn, frame: &Frame, targets: &mut Targets) -> Turn {
    if rt.say.get_ref().is_empty() {
        ck.err(
            &rt.say,
            msg!("check.turn_has_customer_line", a = rt.id.get_ref()),
        );
    }
    let say = ck.variants(
        rt.say.get_ref(),
        &msg!("check.what.say", id = rt.id.get_ref()),
        &frame.known,
        &frame.languages,
    );
    let model = ck.variants(
        &rt.model,
        &msg!("check.what.model", id = rt.id.get_ref()),
        &frame.known,
        &frame.languages,
    );
    let hint = rt.hint.as_ref().map(|h| {
        ck.placeholders_in(h, &frame.known);
        ck.text_sev(
            h,
            &msg!("check.what.hint", id = rt.id.get_ref()),
            &frame.languages,
            Severity::Warning,
        )
    });
    if rt.hint.is_none() {
        ck.warn(&rt.id, msg!("check.turn_has_hint_add", a = rt.id.get_ref()));
    }
    let weights = weights(ck, rt, frame.kind);
    let facts = facts(ck, rt);
    let false_claims = false_claims(ck, rt);
    terms(ck, rt);
    let target_secs = rt.target_seconds.as_ref().map(|t| {
        if !(5..=3600).contains(t.get_ref()) {
            ck.err(t, msg!("check.target_seconds_from_5_3600"));
        }
        (*t.get_ref()).clamp(5, 3600) as u32
    });
    if model.is_empty() {
        ck.warn(
            &rt.id,
            msg!("check.turn_has_model_answer", a = rt.id.get_ref()),
        );
    }
    let mut lines = Vec::new();
    for l in &rt.line {
        let l = l.get_ref();
        if l.say.get_ref().is_empty() {
            ck.err(&l.say, msg!("check.turn_line_needs_least"));
        }
        lines.push(line_of(
            ck,
            l.cond(),
            &l.requires,
            l.say.get_ref(),
            &msg!("check.what.turn_line", id = rt.id.get_ref()),
            &frame.known,
            &frame.languages,
            frame.max_turns_declared,
        ));
    }
    let next = branches(ck, rt, frame, targets);
    let asks = rt
        .asks
        .as_ref()
        .and_then(|a| asks::ask(ck, rt, a, &facts, &frame.policy));
    Turn {
        id: rt.id.get_ref().clone(),
        say,
        weights,
        facts,
        false_claims,
        jargon: rt.jargon.iter().map(|s| s.get_ref().clone()).collect(),
        allow: rt.allow.iter().map(|s| s.get_ref().clone()).collect(),
        target_secs,
        model,
        hint,
        next,
        lines,
        asks,
    }
}

/// The turn's `expects` (weights), and a warning when it expects `facts` but lists none.
fn weights(ck: &mut Checker, rt: &RawTurn, kind: ScenarioKind) -> Vec<(String, f32)> {
    let mut weights = Vec::new();
    for (k, w) in &rt.expects {
        if let Some(p) = ck.principle(k) {
            if !w.get_ref().is_finite() || *w.get_ref() < 0.0 || *w.get_ref() > 10.0 {
                ck.err(w, msg!("check.weight_number_from_0"));
            }
            weights.push((p.to_string(), *w.get_ref() as f32));
        }
    }
    // `facts` is weighted when the turn says so, or by default in a product question.
    let wants_facts = if rt.expects.is_empty() {
        kind == ScenarioKind::Product
    } else {
        rt.expects
            .iter()
            .any(|(k, w)| k.get_ref() == "facts" && *w.get_ref() > 0.0)
    };
    if wants_facts && rt.facts.is_empty() && rt.false_claims.is_empty() {
        ck.warn(
            &rt.id,
            msg!("check.turn_expects_facts_but", a = rt.id.get_ref()),
        );
    }
    weights
}

/// The turn's `[[turn.facts]]`.
fn facts(ck: &mut Checker, rt: &RawTurn) -> Vec<FactRule> {
    let mut facts = Vec::new();
    for f in &rt.facts {
        let f = f.get_ref();
        if f.say.is_empty() && f.value.is_none() {
            ck.err(&f.id, msg!("check.fact_needs_say_ways", a = f.id.get_ref()));
        }
        if let Some(v) = f.value.as_ref().filter(|v| !v.get_ref().is_finite()) {
            ck.err(v, msg!("check.fact_s_value_plain"));
        }
        if f.value.is_some() && f.units.is_empty() {
            ck.err(&f.id, msg!("check.fact_has_value_but", a = f.id.get_ref()));
        }
        for s in f.say.iter().chain(&f.units) {
            if s.get_ref().chars().count() > MAX_TERM_CHARS || s.get_ref().trim().is_empty() {
                ck.err(
                    s,
                    msg!(
                        "check.phrasing_must_have_1",
                        max_term_chars = MAX_TERM_CHARS
                    ),
                );
            }
        }
        facts.push(FactRule {
            id: f.id.get_ref().clone(),
            say: f.say.iter().map(|s| s.get_ref().clone()).collect(),
            value: f.value.as_ref().map(|v| *v.get_ref()),
            units: f.units.iter().map(|s| s.get_ref().clone()).collect(),
        });
    }
    facts
}

/// The turn's `[[turn.false_claims]]`.
fn false_claims(ck: &mut Checker, rt: &RawTurn) -> Vec<ClaimRule> {
    let mut false_claims = Vec::new();
    for c in &rt.false_claims {
        let c = c.get_ref();
        if c.say.is_empty() && c.clause.is_empty() {
            ck.err(
                &c.id,
                msg!("check.false_claim_needs_say", a = c.id.get_ref()),
            );
        }
        // A clause form names at least two things (what, and what it is said to have or do):
        // one list alone would be a phrase list.
        if c.clause.len() == 1 {
            ck.err(&c.clause[0], msg!("check.claim_clause_two_lists"));
        }
        for words in &c.clause {
            if words.get_ref().is_empty() {
                ck.err(words, msg!("check.claim_clause_empty_list"));
            }
        }
        // "{number}" stands for a number at the start of a clause word only ("{number}小时").
        let number = kefu_judge::score::NUMBER;
        let misplaced = c.say.iter().filter(|s| s.get_ref().contains(number)).chain(
            c.clause
                .iter()
                .flat_map(|w| w.get_ref())
                .filter(|w| w.get_ref().match_indices(number).any(|(i, _)| i > 0)),
        );
        for s in misplaced {
            ck.err(s, msg!("check.claim_number_first"));
        }
        for s in c
            .say
            .iter()
            .chain(c.clause.iter().flat_map(|w| w.get_ref()))
        {
            if s.get_ref().chars().count() > MAX_TERM_CHARS || s.get_ref().trim().is_empty() {
                ck.err(
                    s,
                    msg!(
                        "check.phrasing_must_have_1",
                        max_term_chars = MAX_TERM_CHARS
                    ),
                );
            }
        }
        false_claims.push(ClaimRule {
            id: c.id.get_ref().clone(),
            say: c.say.iter().map(|s| s.get_ref().clone()).collect(),
            clause: c
                .clause
                .iter()
                .map(|w| w.get_ref().iter().map(|s| s.get_ref().clone()).collect())
                .collect(),
        });
    }
    false_claims
}

/// The turn's `jargon` and `allow` terms: in one list only, not too many, not too long.
fn terms(ck: &mut Checker, rt: &RawTurn) {
    for a in &rt.allow {
        if rt.jargon.iter().any(|j| j.get_ref() == a.get_ref()) {
            ck.warn(a, msg!("check.both_jargon_allow_so", a = a.get_ref()));
        }
    }
    for list in [&rt.jargon, &rt.allow] {
        if list.len() > MAX_TERMS_PER_TURN {
            ck.err(
                &list[MAX_TERMS_PER_TURN],
                msg!(
                    "check.most_max_terms_per_turn_terms_per",
                    max_terms_per_turn = MAX_TERMS_PER_TURN
                ),
            );
        }
        for s in list {
            if s.get_ref().chars().count() > MAX_TERM_CHARS || s.get_ref().trim().is_empty() {
                ck.err(
                    s,
                    msg!("check.term_must_have_1", max_term_chars = MAX_TERM_CHARS),
                );
            }
        }
    }
}

/// The turn's `[[turn.next]]` branches; the last must have no condition, and none may follow
/// one without.
fn branches(ck: &mut Checker, rt: &RawTurn, frame: &Frame, targets: &mut Targets) -> Vec<Branch> {
    let mut next = Vec::new();
    // Whether the last branch as written has no condition (one whose `goto` is wrong is an
    // error of its own, not a missing "otherwise").
    let mut last_always = false;
    for n in &rt.next {
        let rn = n.get_ref();
        let cond = cond_of(ck, rn.cond(), frame.max_turns_declared);
        last_always = cond.is_always();
        let mood = rn.mood.as_ref().map_or(0, |m| {
            if !(-100..=100).contains(m.get_ref()) {
                ck.err(m, msg!("check.mood_change_from_100"));
            }
            *m.get_ref() as i32
        });
        let is_final = rn.is_final.as_ref().is_some_and(|f| *f.get_ref());
        if let Some(goto) = targets.resolve(ck, &rn.goto) {
            next.push(Branch {
                cond,
                goto,
                mood,
                is_final,
            });
        }
    }
    match rt.next.last() {
        None => ck.err(
            &rt.id,
            msg!("check.turn_has_turn_next", a = rt.id.get_ref()),
        ),
        Some(last) if !last_always => {
            ck.err(last, msg!("check.last_turn_next_turn", a = rt.id.get_ref()))
        }
        _ => {}
    }
    for (i, b) in next.iter().enumerate() {
        if b.cond.is_always() && i + 1 < next.len() {
            ck.warn(&rt.next[i + 1], msg!("check.branch_can_never_taken"));
        }
    }
    next
}
