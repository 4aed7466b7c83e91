#!/usr/bin/python3
"""Trains a small SentencePiece Unigram model (DeBERTa-v3's layout: [PAD]=0 [CLS]=1 [SEP]=2 [UNK]=3,
nmt_nfkc normalization, here with byte fallback), writes the equivalent tokenizer.json (what HF's
DebertaV2Converter makes: Strip, Precompiled charsmap, collapse spaces, Metaspace, Unigram,
[CLS] A [SEP], [MASK] after the last piece), 200 varied test sentences, and the ids Debian's
sentencepiece binding gives for them.

Run with Debian's python3 (apt-get install sentencepiece python3-sentencepiece; WordNet from
the `wordnet` package gives the English part of the corpus):
    /usr/bin/python3 scripts/reference/make_spm_fixture.py models/src/test/resources/fixtures/spm
"""
import base64, json, os, random, sys, tempfile
import sentencepiece as spm

OUT = sys.argv[1]
os.makedirs(OUT, exist_ok=True)
rng = random.Random(20261128)

MULTI = [
    "Το γρήγορο καφέ αλεπού πηδά πάνω από τον τεμπέλη σκύλο.", "Съешь же ещё этих мягких французских булок, да выпей чаю.",
    "我们在北京大学学习自然语言处理。", "東京は日本の首都で、人口が多いです。", "ひらがなとカタカナを混ぜた文章です。",
    "서울은 대한민국의 수도입니다.", "مرحبا بكم في عالم معالجة اللغات الطبيعية.", "שלום עולם, זה משפט בעברית.",
    "हिन्दी भारत की एक प्रमुख भाषा है।", "ภาษาไทยไม่มีช่องว่างระหว่างคำ", "Xin chào, tôi là một mô hình ngôn ngữ.",
    "Zürich, Köln und München liegen in Mitteleuropa.", "Le cœur a ses raisons que la raison ne connaît point.",
    "¿Dónde está la biblioteca? ¡Aquí está!", "Ça coûte 12,50 € ou $13.99 — c'est cher!", "Emoji time 😀🎉🚀 and more 🙂",
    "Straße, Maß, Fuß: das ß ist besonders.", "Türkçe karakterler: ğ, ş, ı, İ, ç, ö, ü.", "Polski: zażółć gęślą jaźń.",
]
corpus = []
wn = "/usr/share/wordnet/data.noun"
if os.path.exists(wn):
    with open(wn, encoding="latin-1") as f:
        for line in f:
            if "|" in line and not line.startswith(" "):
                corpus.append(line.split("|", 1)[1].strip())
            if len(corpus) >= 30000:
                break
corpus += MULTI * 40
rng.shuffle(corpus)
with tempfile.TemporaryDirectory() as tmp:
    text = os.path.join(tmp, "corpus.txt")
    with open(text, "w", encoding="utf-8") as f:
        f.write("\n".join(corpus) + "\n")
    spm.SentencePieceTrainer.train(
        input=text, model_prefix=os.path.join(tmp, "spm"), model_type="unigram", vocab_size=3000,
        character_coverage=0.9995, byte_fallback=True, pad_id=0, bos_id=1, eos_id=2, unk_id=3,
        pad_piece="[PAD]", bos_piece="[CLS]", eos_piece="[SEP]", unk_piece="[UNK]", num_threads=1,
        normalization_rule_name="nmt_nfkc")
    with open(os.path.join(tmp, "spm.model"), "rb") as f:
        model = f.read()
with open(os.path.join(OUT, "spm.model"), "wb") as f:
    f.write(model)


def fields(buf):
    """(field number, wire type, value) of one protobuf message."""
    i = 0
    def varint():
        nonlocal i
        r = s = 0
        while True:
            b = buf[i]; i += 1
            r |= (b & 0x7F) << s; s += 7
            if b < 0x80:
                return r
    while i < len(buf):
        key = varint(); num, wt = key >> 3, key & 7
        if wt == 0: yield num, wt, varint()
        elif wt == 2:
            n = varint(); yield num, wt, buf[i:i + n]; i += n
        elif wt == 5: yield num, wt, buf[i:i + 4]; i += 4
        elif wt == 1: yield num, wt, buf[i:i + 8]; i += 8
        else: raise ValueError(wt)


charsmap = b""
for num, wt, v in fields(model):
    if num == 3:
        for n2, w2, v2 in fields(v):
            if n2 == 2:
                charsmap = v2

sp = spm.SentencePieceProcessor(model_file=os.path.join(OUT, "spm.model"))
n = sp.get_piece_size()
vocab = [[sp.id_to_piece(i), sp.get_score(i)] for i in range(n)]
specials = [(0, "[PAD]"), (1, "[CLS]"), (2, "[SEP]"), (3, "[UNK]"), (n, "[MASK]")]
meta = {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True}
tok = {
    "version": "1.0", "truncation": None, "padding": None,
    "added_tokens": [{"id": i, "content": c, "single_word": False, "lstrip": False, "rstrip": False,
                      "normalized": False, "special": True} for i, c in specials],
    "normalizer": {"type": "Sequence", "normalizers": [
        {"type": "Strip", "strip_left": True, "strip_right": True},
        {"type": "Precompiled", "precompiled_charsmap": base64.b64encode(charsmap).decode()},
        {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "}]},
    "pre_tokenizer": {"type": "Sequence", "pretokenizers": [meta]},
    "post_processor": {"type": "TemplateProcessing",
                       "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                                  {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
                       "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                                {"SpecialToken": {"id": "[SEP]", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}},
                                {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
                       "special_tokens": {"[CLS]": {"id": "[CLS]", "ids": [1], "tokens": ["[CLS]"]},
                                          "[SEP]": {"id": "[SEP]", "ids": [2], "tokens": ["[SEP]"]}}},
    "decoder": meta,
    "model": {"type": "Unigram", "unk_id": 3, "vocab": vocab, "byte_fallback": True},
}
with open(os.path.join(OUT, "tokenizer.json"), "w", encoding="utf-8") as f:
    json.dump(tok, f, ensure_ascii=False)

EXTRA = [
    "ＦＵＬＬＷＩＤＴＨ ｔｅｘｔ １２３ and ｶﾀｶﾅ", "ligatures: ﬁne ﬂow ﬀ", "circled ① ② ③ and roman Ⅻ ⅷ", "e\u0301 vs é and n\u0303 vs ñ",
    "family 👩\u200d👩\u200d👧 coder 👩\u200d💻", "flags 🇫🇷🇯🇵🇧🇷", "thumbs 👍🏽👍🏿 keycap 1\ufe0f\u20e3", "math ∑∫√∞ ≠ ≤ ≥ ±",
    "  leading and trailing spaces  ", "many     inner      spaces", "tab\tseparated\twords", "The [MASK] sat on the mat.",
    "[CLS] literal specials [SEP] inside", "mixed中文English混合text", "numbers 3.14159 2,718 1e-10 0x1F", "https://example.org/a?b=c&d=e#f",
    "quotes “curly” ‘single’ «guillemets» „low“", "ellipsis… dash – — and bullet •", "㍻ ㌀ ㎏ ㎞ ™ ℃", "Ǆ ǅ ǆ ﬃ Å Ω",
    "rare 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝕥𝕖𝕩𝕥", "Ancient 𐌰𐌱𐌲 Gothic and 𓀀 hieroglyph", "zero\u200bwidth space and soft\u00adhyphen",
    "Ελληνικά και English μαζί", "Русский текст with English words", "한국어와 English 혼합", "كلمات عربية with Latin",
    "tiny", "A", "?", "🙂", "x  y", "Emoji-only: 🐍🦀☕🍵", "CAPS LOCK SHOUTING TEXT", "snake_case and camelCase and kebab-case",
]
sentences = []
pool = [c for c in corpus if c not in MULTI]
for s in MULTI + EXTRA:
    sentences.append(s)
while len(sentences) < 200:
    k = rng.random()
    base = rng.choice(pool)[:120]
    if k < 0.3:
        base = base + " " + rng.choice(MULTI)
    elif k < 0.5:
        base = rng.choice(EXTRA) + " " + base
    elif k < 0.6:
        base = base + " " + "".join(rng.choice("😀🎉🚀🙂👍🏽🇯🇵✨❤️🔥") for _ in range(3))
    sentences.append(base)
with open(os.path.join(OUT, "sentences.txt"), "w", encoding="utf-8") as f:
    for s in sentences:
        assert "\n" not in s
        f.write(s + "\n")
ids = [sp.encode(s.replace("[MASK]", "").replace("[CLS]", "").replace("[SEP]", "")) for s in sentences]
with open(os.path.join(OUT, "spm_ids.json"), "w", encoding="utf-8") as f:
    json.dump({"_comment": "sentencepiece 0.1.97 SentencePieceProcessor.encode(sentence) for each line of sentences.txt, "
               "with any literal [MASK]/[CLS]/[SEP] removed first (spm has no added tokens); no [CLS]/[SEP] around",
               "ids": ids}, f)
print(n, "pieces;", len(charsmap), "charsmap bytes;", len(model), "model bytes")
