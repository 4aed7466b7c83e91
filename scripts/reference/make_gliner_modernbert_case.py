"""Makes the GLiNER-on-ModernBERT reference case models/src/test/resources/fixtures/gliner/modernbert_lstm_markerV0_fp32:
a tiny random ModernBERT backbone (3 layers: global, local, global; window |i-j| <= 4) under random GLiNER
heads (projection 48 -> 32, BiLSTM, markerV0; or, with the argument token_level, the token-level scorer
into ..._token_level_fp32), a small WordPiece tokenizer (so the case stays small),
the collated inputs, the expected tensors and the decoded entities.

Both halves are proven first: modernbert_torch.py against the ModernBERT fixtures, gliner_torch.py
against the BERT GLiNER fixtures (run those scripts; this one re-runs both checks before writing).

    /usr/bin/python3 scripts/reference/make_gliner_modernbert_case.py
"""
import json
import sys
from pathlib import Path

import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).parent))
import gliner_torch as G  # noqa: E402
import modernbert_torch as MB  # noqa: E402
import st_io  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "models/src/test/resources/fixtures"
MODE = sys.argv[1] if len(sys.argv) > 1 else "markerV0"   # or token_level
OUT = FIX / ("gliner/modernbert_lstm_" + MODE + "_fp32")

TEXTS = ["Ada Lovelace wrote notes on the engine of Charles Babbage in London in 1843.",
         "The Nile flows north through Cairo, and Marie Curie never saw it."]
LABELS = ["person", "location", "date"]


def small_tokenizer():
    """The BERT case's tokenizer.json layout with a small vocabulary: whole words for some, letters for the rest."""
    base = json.loads((FIX / "gliner/bert_lstm_markerV0_fp32/tokenizer.json").read_text())
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    whole = ["the", "of", "in", "on", "and", "a", "wrote", "notes", "engine", "london", "nile", "flows", "north",
             "through", "saw", "it", "person", "location", "date", "ada", "marie", "never"]
    vocab += whole + [c for c in "abcdefghijklmnopqrstuvwxyz0123456789.,"] + ["##" + c for c in "abcdefghijklmnopqrstuvwxyz0123456789"]
    vocab += ["##ace", "##ing", "##ie", "ch", "##ar", "##les", "##ago"]
    ids = {t: i for i, t in enumerate(vocab)}
    added = []
    for name in ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]:
        added.append({"id": ids[name], "content": name, "single_word": False, "lstrip": False, "rstrip": False, "normalized": False, "special": True})
    for name in ["<<ENT>>", "<<SEP>>"]:
        ids[name] = len(ids)
        added.append({"id": ids[name], "content": name, "single_word": False, "lstrip": False, "rstrip": False, "normalized": False, "special": True})
    base["added_tokens"] = added
    base["model"]["vocab"] = ids
    base["post_processor"]["special_tokens"] = {"[CLS]": {"id": "[CLS]", "ids": [ids["[CLS]"]], "tokens": ["[CLS]"]},
                                                "[SEP]": {"id": "[SEP]", "ids": [ids["[SEP]"]], "tokens": ["[SEP]"]}}
    return base


def main():
    assert max(MB.check_fixture(FIX / "modernbert" / c) for c in ["classic_fp32", "v5_format_fp32"]) < 1e-4
    assert G.check_heads(FIX / "gliner/bert_lstm_markerV0_fp32") < 1e-4
    torch.manual_seed(52007)
    tok = small_tokenizer()
    vocab = len(tok["model"]["vocab"])
    enc_cfg = {"architectures": ["ModernBertModel"], "model_type": "modernbert", "vocab_size": vocab, "hidden_size": 48,
               "intermediate_size": 64, "num_hidden_layers": 3, "num_attention_heads": 3, "global_attn_every_n_layers": 2,
               "local_attention": 8, "global_rope_theta": 160000.0, "local_rope_theta": 10000.0, "max_position_embeddings": 512,
               "norm_eps": 1e-5, "norm_bias": False, "attention_bias": False, "mlp_bias": False, "hidden_activation": "gelu",
               "pad_token_id": 0, "bos_token_id": 2, "eos_token_id": 3, "cls_token_id": 2, "sep_token_id": 3,
               "attention_dropout": 0.0, "embedding_dropout": 0.0, "mlp_dropout": 0.0, "layer_norm_eps": 1e-5}
    d = 32
    cfg = {"model_type": "gliner", "model_name": "answerdotai/ModernBERT-base", "encoder_config": enc_cfg, "hidden_size": d,
           "class_token_index": tok["model"]["vocab"]["<<ENT>>"], "max_width": 12, "max_len": 384, "span_mode": MODE,
           "ent_token": "<<ENT>>", "sep_token": "<<SEP>>", "embed_ent_token": True, "num_rnn_layers": 1, "fine_tune": True,
           "subtoken_pooling": "first", "words_splitter_type": "whitespace", "labels_encoder": None, "fuse_layers": False,
           "vocab_size": vocab, "dropout": 0.4, "name": "refgen-modernbert-tiny"}
    h = enc_cfg["hidden_size"]
    enc = {"embeddings.tok_embeddings.weight": torch.randn(vocab, h) * 0.5,
           "embeddings.norm.weight": 1 + 0.1 * torch.randn(h), "final_norm.weight": 1 + 0.1 * torch.randn(h)}
    for i in range(enc_cfg["num_hidden_layers"]):
        L = f"layers.{i}."
        if i > 0:
            enc[L + "attn_norm.weight"] = 1 + 0.1 * torch.randn(h)
        enc[L + "attn.Wqkv.weight"] = torch.randn(3 * h, h) * 0.15
        enc[L + "attn.Wo.weight"] = torch.randn(h, h) * 0.15
        enc[L + "mlp_norm.weight"] = 1 + 0.1 * torch.randn(h)
        enc[L + "mlp.Wi.weight"] = torch.randn(2 * enc_cfg["intermediate_size"], h) * 0.15
        enc[L + "mlp.Wo.weight"] = torch.randn(h, enc_cfg["intermediate_size"]) * 0.15
    sd = {"token_rep_layer.bert_layer.model." + k: v for k, v in enc.items()}
    proj = torch.nn.Linear(h, d)
    sd["token_rep_layer.projection.weight"], sd["token_rep_layer.projection.bias"] = proj.weight.data, proj.bias.data

    def mlp(prefix, n_in, n_out):
        a, b = torch.nn.Linear(n_in, 4 * n_out), torch.nn.Linear(4 * n_out, n_out)
        b.weight.data *= 4   # spread the span scores: torch's default init gives logits near 0 for all spans
        sd[prefix + ".0.weight"], sd[prefix + ".0.bias"], sd[prefix + ".3.weight"], sd[prefix + ".3.bias"] = a.weight.data, a.bias.data, b.weight.data, b.bias.data

    lstm = torch.nn.LSTM(d, d // 2, bidirectional=True, batch_first=True)
    for k, v in lstm.state_dict().items():
        sd["rnn.lstm." + k] = v
    if MODE == "token_level":
        for name, n_in, n_out in [("proj_token", d, 2 * d), ("proj_label", d, 2 * d), ("out_mlp.0", 3 * d, 4 * d), ("out_mlp.3", 4 * d, 3)]:
            lin = torch.nn.Linear(n_in, n_out)
            # the last layer scaled up and unbiased: start / end / inside probabilities spread around 0.5 alike
            sd["scorer." + name + ".weight"] = lin.weight.data * (12 if n_out == 3 else 1)
            sd["scorer." + name + ".bias"] = lin.bias.data * (0 if n_out == 3 else 1)
    else:
        mlp("span_rep_layer.span_rep_layer.project_start", d, d)
        mlp("span_rep_layer.span_rep_layer.project_end", d, d)
        mlp("span_rep_layer.span_rep_layer.out_project", 2 * d, d)
        mlp("prompt_rep_layer", d, d)
    sd = {k: v.clone().float().contiguous() for k, v in sd.items()}

    wp = G.WordPiece(tok)
    inp = G.collate(TEXTS, LABELS, wp, cfg)
    with torch.no_grad():
        ids, mask = torch.tensor(inp["input_ids"]), torch.tensor(inp["attention_mask"])
        hidden = MB.forward(sd, enc_cfg, ids, mask, prefix="token_rep_layer.bert_layer.model.")   # [B, T, 48]
        tokens = F.linear(hidden, sd["token_rep_layer.projection.weight"], sd["token_rep_layer.projection.bias"])
        words, prompts = G.words_and_prompts(sd, cfg, tokens, inp, cfg["class_token_index"])
        token = MODE == "token_level"
        if token:
            # calibrate the last layer so start / end / inside logits each have median 0 and spread 1.5 on these inputs
            raw = G.token_scores(sd, words, prompts)[:, :, :, :].reshape(-1, 3)
            scale = 1.5 / raw.std(0)
            sd["scorer.out_mlp.3.weight"] = (sd["scorer.out_mlp.3.weight"] * scale[:, None]).contiguous()
            sd["scorer.out_mlp.3.bias"] = (sd["scorer.out_mlp.3.bias"] * scale - raw.median(0).values * scale).contiguous()
        logits = G.token_scores(sd, words, prompts) if token else G.span_logits(sd, cfg, words, prompts, inp)
    # a threshold between two scores, far from every score, with a handful of entities
    probs = sorted(set(torch.sigmoid(logits).flatten().tolist()), reverse=True)
    lo, hi = (len(probs) // 8, len(probs) // 2) if token else (12, min(80, len(probs) - 1))
    order = sorted(range(lo, hi), key=lambda i: probs[i + 1] - probs[i])
    for best in order:
        threshold = round((probs[best] + probs[best + 1]) / 2, 6)
        ents = G.decode(logits, inp, threshold, True, False, token)
        if sum(len(e) for e in ents) >= 2:
            break
    if token:
        print("token prob ranges", [(float(torch.sigmoid(logits[..., k]).min()), float(torch.sigmoid(logits[..., k]).max())) for k in range(3)])
    assert sum(len(e) for e in ents) > 0

    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "tokenizer.json").write_text(json.dumps(tok, ensure_ascii=False))
    (OUT / "gliner_config.json").write_text(json.dumps(cfg, indent=2))
    (OUT / "inputs.json").write_text(json.dumps(dict(inp, threshold=threshold, flat_ner=True, multi_label=False)))
    st_io.save(sd, OUT / "model.safetensors")
    st_io.save({("token_logits" if token else "span_logits"): logits, "words_embedding": words, "prompts_embedding": prompts}, OUT / "expected.safetensors")
    (OUT / "expected_entities.json").write_text(json.dumps({"threshold": threshold, "flat_ner": True, "multi_label": False, "entities": ents}, indent=2))
    gap = min(abs(p - threshold) for p in probs)
    (OUT / "NOTES.md").write_text(
        f"GLiNER uni-encoder model, span_mode {MODE}, on a tiny random ModernBERT backbone (3 layers: global, local, global; local window |i-j| <= 4;\n"
        "hidden 48 projected to 32 by token_rep_layer.projection; BiLSTM); seed 52007. Made by\n"
        f"scripts/reference/make_gliner_modernbert_case.py {MODE} with plain torch code (no transformers): modernbert_torch.py\n"
        "(matches the ModernBERT fixtures to ~1e-5) and gliner_torch.py (matches the BERT GLiNER fixtures' heads to ~1e-5).\n"
        "tokenizer.json: the BERT case's WordPiece layout with a " + str(vocab) + "-token vocabulary (keeps the case small).\n"
        f"expected: {'token_logits (start, end, inside)' if token else 'span_logits'} {list(logits.shape)}, words_embedding {list(words.shape)}, prompts_embedding {list(prompts.shape)}.\n"
        f"expected_entities.json: threshold {threshold}, flat, not multi-label; min |p - threshold| {gap:.1e}.\n"
        "Tolerance: atol 1e-4, rtol 1e-3 for tensors; entity scores within 1e-4.\n")
    print("wrote", OUT, "entities:", ents)


if __name__ == "__main__":
    main()
