"""Makes the bi-encoder GLiNER reference case models/src/test/resources/fixtures/gliner/biencoder_modernbert_bert_fp32
(knowledgator's modern-gliner-bi layout): a tiny random ModernBERT text encoder (hidden 48, projected to 32) and a
tiny random BERT labels encoder (hidden 24, token_rep_layer.labels_projection to 32) whose outputs are mean-pooled
over each label's tokens ([CLS] and [SEP] included); the text goes in without a prompt; words take their first
sub-token; as in the reference's BaseBiEncoderModel the BiLSTM (rnn.*, present in the checkpoint) is not applied;
markerV0 spans x prompt_rep_layer(labels). labels_encoder/tokenizer.json is the labels tokenizer.

Every part is proven first (modernbert_torch.py, bert_torch.py, gliner_torch.py against the committed cases).

    /usr/bin/python3 scripts/reference/make_gliner_biencoder_case.py
"""
import json
import sys
from pathlib import Path

import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).parent))
import bert_torch as BT  # noqa: E402
import gliner_torch as G  # noqa: E402
import make_gliner_modernbert_case as MC  # noqa: E402
import modernbert_torch as MB  # noqa: E402
import st_io  # noqa: E402

FIX = MC.FIX
OUT = FIX / "gliner/biencoder_modernbert_bert_fp32"
TEXTS = ["Ada Lovelace wrote notes on the engine of Charles Babbage in London in 1843.",
         "The Nile flows north through Cairo, and Marie Curie never saw it."]
LABELS = ["person", "location", "date of birth"]


def rand_linear(sd, name, n_in, n_out, scale=1.0):
    lin = torch.nn.Linear(n_in, n_out)
    sd[name + ".weight"], sd[name + ".bias"] = lin.weight.data * scale, lin.bias.data


def main():
    assert max(MB.check_fixture(FIX / "modernbert" / c) for c in ["classic_fp32", "v5_format_fp32"]) < 1e-4
    assert BT.check_case(FIX / "gliner/bert_lstm_markerV0_fp32") < 1e-4
    assert G.check_heads(FIX / "gliner/bert_lstm_markerV0_fp32") < 1e-4
    torch.manual_seed(63011)
    tok = MC.small_tokenizer()
    vocab = len(tok["model"]["vocab"])
    text_cfg = {"architectures": ["ModernBertModel"], "model_type": "modernbert", "vocab_size": vocab, "hidden_size": 48,
                "intermediate_size": 64, "num_hidden_layers": 3, "num_attention_heads": 3, "global_attn_every_n_layers": 2,
                "local_attention": 8, "global_rope_theta": 160000.0, "local_rope_theta": 10000.0, "max_position_embeddings": 512,
                "norm_eps": 1e-5, "norm_bias": False, "attention_bias": False, "mlp_bias": False, "hidden_activation": "gelu",
                "pad_token_id": 0, "cls_token_id": 2, "sep_token_id": 3}
    label_cfg = {"architectures": ["BertModel"], "model_type": "bert", "vocab_size": vocab, "hidden_size": 24, "intermediate_size": 48,
                 "num_hidden_layers": 2, "num_attention_heads": 2, "max_position_embeddings": 64, "type_vocab_size": 2,
                 "layer_norm_eps": 1e-12, "hidden_act": "gelu", "pad_token_id": 0, "position_embedding_type": "absolute"}
    d = 32
    cfg = {"model_type": "gliner", "model_name": "answerdotai/ModernBERT-base", "encoder_config": text_cfg,
           "labels_encoder": "BAAI/bge-small-en-v1.5", "labels_encoder_config": label_cfg, "hidden_size": d,
           "class_token_index": tok["model"]["vocab"]["<<ENT>>"], "max_width": 12, "max_len": 384, "span_mode": "markerV0",
           "ent_token": "<<ENT>>", "sep_token": "<<SEP>>", "embed_ent_token": True, "num_rnn_layers": 1, "subtoken_pooling": "first",
           "words_splitter_type": "whitespace", "fuse_layers": False, "vocab_size": vocab, "name": "refgen-biencoder-tiny"}
    sd = {}
    h = text_cfg["hidden_size"]
    T = "token_rep_layer.bert_layer.model."
    sd[T + "embeddings.tok_embeddings.weight"] = torch.randn(vocab, h) * 0.5
    sd[T + "embeddings.norm.weight"] = 1 + 0.1 * torch.randn(h)
    sd[T + "final_norm.weight"] = 1 + 0.1 * torch.randn(h)
    for i in range(text_cfg["num_hidden_layers"]):
        L = T + f"layers.{i}."
        if i > 0:
            sd[L + "attn_norm.weight"] = 1 + 0.1 * torch.randn(h)
        sd[L + "attn.Wqkv.weight"] = torch.randn(3 * h, h) * 0.15
        sd[L + "attn.Wo.weight"] = torch.randn(h, h) * 0.15
        sd[L + "mlp_norm.weight"] = 1 + 0.1 * torch.randn(h)
        sd[L + "mlp.Wi.weight"] = torch.randn(2 * text_cfg["intermediate_size"], h) * 0.15
        sd[L + "mlp.Wo.weight"] = torch.randn(h, text_cfg["intermediate_size"]) * 0.15
    rand_linear(sd, "token_rep_layer.projection", h, d)
    hl, Lb = label_cfg["hidden_size"], "token_rep_layer.labels_encoder.model."
    sd[Lb + "embeddings.word_embeddings.weight"] = torch.randn(vocab, hl) * 0.5
    sd[Lb + "embeddings.position_embeddings.weight"] = torch.randn(label_cfg["max_position_embeddings"], hl) * 0.1
    sd[Lb + "embeddings.token_type_embeddings.weight"] = torch.randn(2, hl) * 0.1
    sd[Lb + "embeddings.LayerNorm.weight"], sd[Lb + "embeddings.LayerNorm.bias"] = 1 + 0.1 * torch.randn(hl), 0.1 * torch.randn(hl)
    for i in range(label_cfg["num_hidden_layers"]):
        L = Lb + f"encoder.layer.{i}."
        for n in ("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"):
            rand_linear(sd, L + n, hl, hl)
        rand_linear(sd, L + "intermediate.dense", hl, label_cfg["intermediate_size"])
        rand_linear(sd, L + "output.dense", label_cfg["intermediate_size"], hl)
        for n in ("attention.output.LayerNorm", "output.LayerNorm"):
            sd[L + n + ".weight"], sd[L + n + ".bias"] = 1 + 0.1 * torch.randn(hl), 0.1 * torch.randn(hl)
    rand_linear(sd, "token_rep_layer.labels_projection", hl, d)
    lstm = torch.nn.LSTM(d, d // 2, bidirectional=True, batch_first=True)
    for k, v in lstm.state_dict().items():
        sd["rnn.lstm." + k] = v   # in the checkpoint, unused by the reference's bi-encoder forward
    for name, n_in in [("span_rep_layer.span_rep_layer.project_start", d), ("span_rep_layer.span_rep_layer.project_end", d),
                       ("span_rep_layer.span_rep_layer.out_project", 2 * d), ("prompt_rep_layer", d)]:
        rand_linear(sd, name + ".0", n_in, 4 * d)
        rand_linear(sd, name + ".3", 4 * d, d, 4.0)
    sd = {k: v.clone().float().contiguous() for k, v in sd.items()}

    wp = G.WordPiece(tok)
    inp = G.collate(TEXTS, LABELS, wp, cfg, with_prompt=False)
    label_rows = [[wp.cls] + [i for w in l.split() for i in wp.word(w)] + [wp.sep] for l in LABELS]
    n = max(len(r) for r in label_rows)
    inp["labels_input_ids"] = [r + [0] * (n - len(r)) for r in label_rows]
    inp["labels_attention_mask"] = [[1] * len(r) + [0] * (n - len(r)) for r in label_rows]
    with torch.no_grad():
        ids, mask = torch.tensor(inp["input_ids"]), torch.tensor(inp["attention_mask"])
        tokens = MB.forward(sd, text_cfg, ids, mask, prefix=T)
        tokens = F.linear(tokens, sd["token_rep_layer.projection.weight"], sd["token_rep_layer.projection.bias"])
        words, _ = G.words_and_prompts(sd, dict(cfg, num_rnn_layers=0), tokens, inp, -1)
        lids, lmask = torch.tensor(inp["labels_input_ids"]), torch.tensor(inp["labels_attention_mask"])
        lt = BT.forward(sd, label_cfg, lids, lmask, prefix=Lb)
        lt = F.linear(lt, sd["token_rep_layer.labels_projection.weight"], sd["token_rep_layer.labels_projection.bias"])
        m = lmask.unsqueeze(-1).float()
        labels_emb = (lt * m).sum(1) / m.sum(1).clamp(min=1e-9)                       # [C, D] mean pooling
        prompts = G.projection(sd, "prompt_rep_layer", labels_emb.unsqueeze(0).expand(len(TEXTS), -1, -1))
        logits = G.span_logits(sd, cfg, words, prompts, inp)
    probs = sorted(set(torch.sigmoid(logits).flatten().tolist()), reverse=True)
    best = max(range(12, min(80, len(probs) - 1)), key=lambda i: probs[i] - probs[i + 1])
    threshold = round((probs[best] + probs[best + 1]) / 2, 6)
    ents = G.decode(logits, inp, threshold, True, False)
    assert sum(len(e) for e in ents) > 0

    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "labels_encoder").mkdir(exist_ok=True)
    (OUT / "tokenizer.json").write_text(json.dumps(tok, ensure_ascii=False))
    (OUT / "labels_encoder/tokenizer.json").write_text(json.dumps(tok, ensure_ascii=False))
    (OUT / "gliner_config.json").write_text(json.dumps(cfg, indent=2))
    (OUT / "inputs.json").write_text(json.dumps(dict(inp, threshold=threshold, flat_ner=True, multi_label=False)))
    st_io.save(sd, OUT / "model.safetensors")
    st_io.save({"span_logits": logits, "words_embedding": words, "prompts_embedding": prompts}, OUT / "expected.safetensors")
    (OUT / "expected_entities.json").write_text(json.dumps({"threshold": threshold, "flat_ner": True, "multi_label": False, "entities": ents}, indent=2))
    gap = min(abs(p - threshold) for p in probs)
    (OUT / "NOTES.md").write_text(
        "Bi-encoder GLiNER (span markerV0): tiny random ModernBERT text encoder (3 layers global/local/global, hidden 48 -> projection 32)\n"
        "and tiny random BERT labels encoder (2 layers, hidden 24 -> token_rep_layer.labels_projection 32), labels mean-pooled over\n"
        "their tokens ([CLS]/[SEP] included); no prompt in the text; BiLSTM weights present but not applied (as the reference's\n"
        "BaseBiEncoderModel); seed 63011. Made by scripts/reference/make_gliner_biencoder_case.py (plain torch, parts proven on the\n"
        "committed ModernBERT and BERT-GLiNER cases). inputs.json adds labels_input_ids / labels_attention_mask [C, Tl].\n"
        f"expected: span_logits {list(logits.shape)}, words_embedding {list(words.shape)} (no LSTM), prompts_embedding {list(prompts.shape)}.\n"
        f"expected_entities.json: threshold {threshold}, flat, not multi-label; min |p - threshold| {gap:.1e}.\n"
        "Tolerance: atol 1e-4, rtol 1e-3 for tensors; entity scores within 1e-4.\n")
    print("wrote", OUT, "entities:", ents)


if __name__ == "__main__":
    main()
