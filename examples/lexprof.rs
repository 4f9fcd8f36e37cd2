fn main() {
    let unit = "您好王先生,非常抱歉让您久等了,理解您的着急。包裹因为中转站爆仓滞留了两天,这是我们的失误,我马上为您申请补发,明天发出,单号出来后第一时间通知您。请问收货地址还是原来的吗?感谢您的耐心!";
    let text: String = unit.chars().cycle().take(200).collect();
    let lang = kefu_core::principles::Lang::ZhHans;
    let _ = kefu_judge::score::score(&text, lang);
    let t = std::time::Instant::now();
    for _ in 0..40000 {
        std::hint::black_box(kefu_judge::score::score(&text, lang));
    }
    println!("{:?}/reply", t.elapsed() / 40000);
}
