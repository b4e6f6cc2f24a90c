//! The int8 forward pass (`bert_int8`) against rust-bert's f32 model, on the shipped NER model
//! and a real article: the hand-written forward with f32 weights must give rust-bert's logits,
//! and with int8 weights nearly the same tags.

mod common;

use newstag::bert_int8::{head_weight, Int8Encoder};
use newstag::models::load_bert;
use rust_bert::bert::BertForTokenClassification;
use tch::{Device, Kind, Tensor};

fn seed_text() -> String {
    std::fs::read_to_string(common::seeds().join("alibaba-ma-trump.txt")).unwrap()
}

#[test]
fn int8_forward_matches_rust_bert() {
    let dir = common::root().join("models/ner");
    let bert = load_bert(&dir, Device::Cpu, |root, config| Ok(BertForTokenClassification::new(root, config)?)).unwrap();
    let pieces = bert.tokenizer.encode(seed_text(), false).unwrap().get_ids().to_vec();
    // Four windows of the article, the last one short (padding exercises the mask).
    let rows: Vec<Vec<u32>> =
        [0usize, 126, 252, 378].iter().map(|&s| pieces[s..(s + if s == 378 { 40 } else { 126 })].to_vec()).collect();
    let (ids, mask) = bert.batcher.tensors(&rows, 128, Device::Cpu);
    let types = Tensor::ones_like(&ids) * &mask; // any valid token types: the model has 8
    let reference =
        tch::no_grad(|| bert.model.forward_t(Some(&ids), Some(&mask), Some(&types), None, None, false)).logits;
    let classify = |quantize: bool| {
        let encoder = Int8Encoder::from_weights(&bert.weights, "bert.", &bert.config, &dir, quantize).unwrap();
        let weight = head_weight(&bert.weights, "classifier.weight", &dir).unwrap();
        let bias = head_weight(&bert.weights, "classifier.bias", &dir).unwrap();
        encoder.forward(&ids, &mask, Some(&types)).linear(&weight, Some(&bias))
    };
    let real = mask.to_kind(Kind::Bool);
    let f32_logits = classify(false);
    let gap = (&f32_logits - &reference).abs().masked_select(&real.unsqueeze(-1)).max().double_value(&[]);
    assert!(gap < 1e-3, "f32 forward differs from rust-bert's by {gap}");

    let int8_logits = classify(true);
    let same = int8_logits.argmax(-1, false).eq_tensor(&reference.argmax(-1, false)).masked_select(&real);
    let agreement = same.to_kind(Kind::Float).mean(Kind::Float).double_value(&[]);
    let pieces_compared = same.size()[0];
    assert_eq!(pieces_compared, 3 * 128 + 42);
    assert!(agreement > 0.97, "int8 tags agree with f32 on {agreement:.3} of the pieces");
    let gap = (&int8_logits - &reference).abs().max().double_value(&[]);
    assert!(gap > 0.0, "int8 weights must change the logits somewhat");
}
