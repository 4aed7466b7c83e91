"""GLiNER (urchade/GLiNER) processing, uni-encoder span model (markerV0) heads and decoding in plain
torch, mirroring the reference: prompt [<<ENT>>, label]* + [<<SEP>>] + words, first-subtoken word
vectors, packed BiLSTM, SpanMarkerV0, span x label einsum, greedy flat/nested decoding.

    /usr/bin/python3 scripts/reference/gliner_torch.py models/src/test/resources/fixtures/gliner/bert_lstm_markerV0_fp32

checks the heads against a reference case, starting from its intermediates (the BERT output).
"""
import json
import re
import sys
from pathlib import Path

import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).parent))
import st_io  # noqa: E402

WORD = re.compile(r"\w+(?:[-_]\w+)*|\S")


def split_words(text):
    return [(m.group(), m.start(), m.end()) for m in WORD.finditer(text)]


class WordPiece:
    """BERT WordPiece for pre-split ASCII words without inner punctuation (what the cases use)."""

    def __init__(self, tok_json):
        self.vocab = dict(tok_json["model"]["vocab"])
        self.added = {a["content"]: a["id"] for a in tok_json["added_tokens"]}
        self.lower = tok_json["normalizer"].get("lowercase", False)
        self.cls, self.sep = self.added["[CLS]"], self.added["[SEP]"]

    def word(self, w):
        if w in self.added:
            return [self.added[w]]
        assert w.isascii(), w
        w = w.lower() if self.lower else w
        out, start = [], 0
        while start < len(w):
            end, cur = len(w), None
            while start < end:
                piece = ("##" if start > 0 else "") + w[start:end]
                if piece in self.vocab:
                    cur = self.vocab[piece]
                    break
                end -= 1
            if cur is None:
                return [self.vocab["[UNK]"]]
            out.append(cur)
            start = end
        return out


def collate(texts, labels, wp, cfg, with_prompt=True):
    """The reference's collated inputs (inputs.json layout of the committed cases); the bi-encoder has no prompt."""
    k = cfg["max_width"]
    prompt = []
    if with_prompt:
        for l in labels:
            prompt += [cfg["ent_token"], l]
        prompt.append(cfg["sep_token"])
    rows, wmask, words_all = [], [], []
    for t in texts:
        ws = split_words(t)[: cfg["max_len"]]
        words_all.append(ws)
        ids, wm = [wp.cls], [0]
        for i, w in enumerate(prompt + [w for w, _, _ in ws]):
            pieces = wp.word(w)
            ids += pieces
            wm += ([i - len(prompt) + 1] if i >= len(prompt) else [0]) + [0] * (len(pieces) - 1)
        ids.append(wp.sep)
        wm.append(0)
        rows.append(ids)
        wmask.append(wm)
    t_max = max(len(r) for r in rows)
    w_max = max(len(w) for w in words_all)
    inp = {"texts": texts, "labels": labels, "words": [[w for w, _, _ in ws] for ws in words_all],
           "word_start_chars": [[s for _, s, _ in ws] for ws in words_all],
           "word_end_chars": [[e for _, _, e in ws] for ws in words_all], "prompt_words": prompt,
           "input_ids": [r + [0] * (t_max - len(r)) for r in rows],
           "attention_mask": [[1] * len(r) + [0] * (t_max - len(r)) for r in rows],
           "words_mask": [m + [0] * (t_max - len(m)) for m in wmask],
           "text_lengths": [[len(ws)] for ws in words_all], "span_idx": [], "span_mask": []}
    for ws in words_all:
        n = len(ws)
        inp["span_idx"].append([[s, s + j] if s < n else [0, 0] for s in range(w_max) for j in range(k)])
        inp["span_mask"].append([1 if s + j < n else 0 for s in range(w_max) for j in range(k)])
    return inp


def projection(sd, prefix, x):
    return F.linear(F.relu(F.linear(x, sd[prefix + ".0.weight"], sd[prefix + ".0.bias"])), sd[prefix + ".3.weight"], sd[prefix + ".3.bias"])


def words_and_prompts(sd, cfg, tokens, inp, class_token):
    """tokens [B, T, D] (after the optional projection) -> words [B, W, D] after the LSTM, prompts [B, C, D]."""
    ids = torch.tensor(inp["input_ids"])
    wm = torch.tensor(inp["words_mask"])
    lengths = torch.tensor([l[0] for l in inp["text_lengths"]])
    b, t, d = tokens.shape
    w_max = int(lengths.max())
    words = torch.zeros(b, w_max, d)
    for i in range(b):
        for j in range(t):
            if wm[i, j] > 0:
                words[i, wm[i, j] - 1] = tokens[i, j]
    shift = 0 if cfg.get("embed_ent_token", True) else 1
    c_max = int((ids == class_token).sum(1).max())
    prompts = torch.zeros(b, c_max, d)
    for i in range(b):
        pos = (ids[i] == class_token).nonzero().flatten().tolist()
        for c, p in enumerate(pos):
            prompts[i, c] = tokens[i, min(p + shift, t - 1)]
    if "prompt_rep_layer.0.weight" in sd:   # span models; the token-level model uses the encoder's vectors as they are
        prompts = projection(sd, "prompt_rep_layer", prompts)
    layers = cfg.get("num_rnn_layers", 1 if cfg.get("has_rnn", True) else 0)
    return lstm_words(sd, layers, words, lengths), prompts


def lstm_words(sd, layers, words, lengths):
    """The packed BiLSTM over words [B, W, D] (identity when layers is 0)."""
    b, w_max, d = words.shape
    if layers:
        lstm = torch.nn.LSTM(d, d // 2, num_layers=layers, bidirectional=True, batch_first=True)
        lstm.load_state_dict({k[len("rnn.lstm."):]: v for k, v in sd.items() if k.startswith("rnn.lstm.")})
        packed = torch.nn.utils.rnn.pack_padded_sequence(words, lengths, batch_first=True, enforce_sorted=False)
        out, _ = lstm(packed)
        words, _ = torch.nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=w_max)
    return words


def span_logits(sd, cfg, words, prompts, inp):
    """SpanMarkerV0 over words [B, W, D] at span_idx * span_mask -> [B, W, K, C]."""
    k = cfg["max_width"]
    sidx = torch.tensor(inp["span_idx"]) * torch.tensor(inp["span_mask"]).unsqueeze(-1)
    b, w, d = words.shape
    p = "span_rep_layer.span_rep_layer."
    start = projection(sd, p + "project_start", words)
    end = projection(sd, p + "project_end", words)
    s = torch.gather(start, 1, sidx[:, :, 0:1].expand(-1, -1, d))
    e = torch.gather(end, 1, sidx[:, :, 1:2].expand(-1, -1, d))
    spans = projection(sd, p + "out_project", torch.cat([s, e], -1).relu()).view(b, w, k, d)
    return torch.einsum("BLKD,BCD->BLKC", spans, prompts)


def token_scores(sd, words, prompts):
    """The token-level Scorer: [B, W, D] x [B, C, D] -> [B, W, C, 3] (start, end, inside)."""
    b, w, d = words.shape
    c = prompts.shape[1]
    t = F.linear(words, sd["scorer.proj_token.weight"], sd["scorer.proj_token.bias"]).view(b, w, 1, 2, d)
    l = F.linear(prompts, sd["scorer.proj_label.weight"], sd["scorer.proj_label.bias"]).view(b, 1, c, 2, d)
    t = t.expand(-1, -1, c, -1, -1).permute(3, 0, 1, 2, 4)
    l = l.expand(-1, w, -1, -1, -1).permute(3, 0, 1, 2, 4)
    cat = torch.cat([t[0], l[0], t[1] * l[1]], dim=-1)
    h = F.relu(F.linear(cat, sd["scorer.out_mlp.0.weight"], sd["scorer.out_mlp.0.bias"]))
    return F.linear(h, sd["scorer.out_mlp.3.weight"], sd["scorer.out_mlp.3.bias"])


def token_candidates(scores, n, threshold):
    """The reference TokenDecoder._calculate_span_score on one text's [W, C, 3] logits (positions < n only)."""
    st_s, en_s, in_s = [torch.sigmoid(x) for x in scores[:n].permute(2, 0, 1)]
    starts = [tuple(k) for k in torch.stack(torch.where(st_s > threshold), 1).tolist()]
    ends = [tuple(k) for k in torch.stack(torch.where(en_s > threshold), 1).tolist()]
    ins, stl, enl = in_s.tolist(), st_s.tolist(), en_s.tolist()
    out = []
    for st, c in starts:
        for ed, c2 in ends:
            if ed >= st and c == c2:
                inside = [ins[p][c] for p in range(st, ed + 1)]
                if any(x < threshold for x in inside):
                    continue
                out.append((st, ed, c, min(*inside, stl[st][c], enl[ed][c])))
    return out


def greedy(spans, flat, multi):
    def overlap(a, b):
        if a[:2] == b[:2]:
            return not multi
        return not (a[0] > b[1] or b[0] > a[1])

    def nested_clash(a, b):
        if a[:2] == b[:2]:
            return not multi
        inside = (a[0] <= b[0] and a[1] >= b[1]) or (b[0] <= a[0] and b[1] >= a[1])
        return not ((a[0] > b[1] or b[0] > a[1]) or inside)

    clash = overlap if flat else nested_clash
    kept = []
    for sp in sorted(spans, key=lambda x: -x[3]):
        if not any(clash(sp, y) for y in kept):
            kept.append(sp)
    return sorted(kept, key=lambda x: x[0])


def decode(logits, inp, threshold, flat=True, multi=False, token_level=False):
    """span logits [B, W, K, C] (or token logits [B, W, C, 3]) -> entities per text, as the reference's decoders."""
    probs = torch.sigmoid(logits)
    out = []
    for i in range(probs.shape[0]):
        n = inp["text_lengths"][i][0]
        cands = []
        if token_level:
            cands = token_candidates(logits[i], n, threshold)
        else:
            for s, j, c in (probs[i] > threshold).nonzero().tolist():
                if s + j < n:
                    cands.append((s, s + j, c, probs[i, s, j, c].item()))
        ents = []
        for s, e, c, p in greedy(cands, flat, multi):
            st, en = inp["word_start_chars"][i][s], inp["word_end_chars"][i][e]
            ents.append({"start": st, "end": en, "text": inp["texts"][i][st:en], "label": inp["labels"][c], "score": p,
                         "word_start": s, "word_end": e})
        out.append(ents)
    return out


def check_heads(folder):
    """The heads from the case's encoder output reproduce its expected tensors."""
    folder = Path(folder)
    cfg = json.loads((folder / "gliner_config.json").read_text())
    sd = st_io.load(folder / "model.safetensors")
    sd = {k: v.float() for k, v in sd.items()}
    inp = json.loads((folder / "inputs.json").read_text())
    enc = torch.nan_to_num(st_io.load(folder / "intermediates.safetensors")["encoder_last_hidden_state"])
    exp = st_io.load(folder / "expected.safetensors")
    with torch.no_grad():
        if "token_rep_layer.projection.weight" in sd:
            enc = F.linear(enc, sd["token_rep_layer.projection.weight"], sd["token_rep_layer.projection.bias"])
        words, prompts = words_and_prompts(sd, cfg, enc, inp, cfg["class_token_index"])
        logits = span_logits(sd, cfg, words, prompts, inp)
    worst = 0.0
    for name, got in [("span_logits", logits), ("words_embedding", words), ("prompts_embedding", prompts)]:
        diff = (got - exp[name]).abs().max().item()
        worst = max(worst, diff)
        print(f"{folder.name}: max |diff| {name} = {diff:.3e}")
    want = json.loads((folder / "expected_entities.json").read_text())
    got = decode(logits, inp, want["threshold"], want["flat_ner"], want["multi_label"])
    same = [[(e["start"], e["end"], e["label"]) for e in t] for t in got] == [[(e["start"], e["end"], e["label"]) for e in t] for t in want["entities"]]
    print(f"{folder.name}: entities {'match' if same else 'DIFFER'}")
    return worst if same else float("inf")


if __name__ == "__main__":
    wp = WordPiece(json.loads(Path(sys.argv[1], "tokenizer.json").read_text()))
    inp = json.loads(Path(sys.argv[1], "inputs.json").read_text())
    cfg = json.loads(Path(sys.argv[1], "gliner_config.json").read_text())
    ours = collate(inp["texts"][:1], inp["labels"], wp, cfg)
    n = len(ours["input_ids"][0])
    assert ours["input_ids"][0] == inp["input_ids"][0][:n], "wordpiece/collate differ from the case on text 0"
    assert ours["words_mask"][0] == inp["words_mask"][0][:n]
    print("collate matches the case on text 0")
    worst = max(check_heads(f) for f in sys.argv[1:])
    sys.exit(0 if worst < 1e-4 else 1)
