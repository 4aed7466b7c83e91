package dev.genai4j.text;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The id ↔ token tables of a HF {@code tokenizer.json}, read from the file itself because the
 * native binding exposes no vocabulary: the model's vocab (a map for BPE / WordPiece /
 * WordLevel, a list of [piece, score] for Unigram) plus {@code added_tokens}.
 */
final class TokenizerVocab {
    private final String[] idToToken;
    private final Map<String, Integer> tokenToId;
    private final Map<String, Integer> specials;
    private final int padId;

    private TokenizerVocab(String[] idToToken, Map<String, Integer> tokenToId, Map<String, Integer> specials, int padId) {
        this.idToToken = idToToken;
        this.tokenToId = tokenToId;
        this.specials = specials;
        this.padId = padId;
    }

    /** Parses {@code json}; {@code source} names the file in error messages. */
    static TokenizerVocab parse(String json, String source) {
        JsonObject root;
        try {
            root = JsonParser.parseString(json).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new TokenizerException("tokenizer.json " + source + " is not a JSON object: " + e.getMessage(), e);
        }
        Map<String, Integer> toId = new HashMap<>();
        JsonObject model = root.has("model") && root.get("model").isJsonObject() ? root.getAsJsonObject("model") : null;
        if (model == null || !model.has("vocab")) {
            throw new TokenizerException("tokenizer.json " + source + " has no model.vocab; expected a BPE, WordPiece, WordLevel or Unigram model");
        }
        JsonElement vocab = model.get("vocab");
        if (vocab.isJsonObject()) {
            for (Map.Entry<String, JsonElement> e : vocab.getAsJsonObject().entrySet()) toId.put(e.getKey(), e.getValue().getAsInt());
        } else if (vocab.isJsonArray()) {            // Unigram: [[piece, score], ...], id = position
            JsonArray pieces = vocab.getAsJsonArray();
            for (int i = 0; i < pieces.size(); i++) toId.put(pieces.get(i).getAsJsonArray().get(0).getAsString(), i);
        } else {
            throw new TokenizerException("tokenizer.json " + source + ": model.vocab is neither an object nor an array");
        }
        TreeMap<Integer, String> specialById = new TreeMap<>();
        if (root.has("added_tokens") && root.get("added_tokens").isJsonArray()) {
            for (JsonElement el : root.getAsJsonArray("added_tokens")) {
                JsonObject t = el.getAsJsonObject();
                String content = t.get("content").getAsString();
                int id = t.get("id").getAsInt();
                toId.put(content, id);
                if (t.has("special") && t.get("special").getAsBoolean()) specialById.put(id, content);
            }
        }
        int size = 0;
        for (int id : toId.values()) size = Math.max(size, id + 1);
        String[] fromId = new String[size];
        for (Map.Entry<String, Integer> e : toId.entrySet()) fromId[e.getValue()] = e.getKey();
        Map<String, Integer> specials = new LinkedHashMap<>();
        specialById.forEach((id, content) -> specials.put(content, id));
        return new TokenizerVocab(fromId, toId, Collections.unmodifiableMap(specials), padIdOf(root, toId));
    }

    /** The padding section's pad_id if the file has one, else a conventional pad token's id, else -1. */
    private static int padIdOf(JsonObject root, Map<String, Integer> toId) {
        if (root.has("padding") && root.get("padding").isJsonObject()) {
            JsonObject p = root.getAsJsonObject("padding");
            if (p.has("pad_id")) return p.get("pad_id").getAsInt();
        }
        for (String name : new String[] {"[PAD]", "<pad>", "<|pad|>", "<|padding|>"}) {
            Integer id = toId.get(name);
            if (id != null) return id;
        }
        return -1;
    }

    int size() { return idToToken.length; }

    int id(String token) { return tokenToId.getOrDefault(token, -1); }

    String token(int id) {
        if (id < 0 || id >= idToToken.length || idToToken[id] == null) {
            throw new TokenizerException("idToToken: id " + id + " is not in the vocabulary (size " + idToToken.length + ")");
        }
        return idToToken[id];
    }

    Map<String, Integer> specials() { return specials; }

    int padId() { return padId; }
}
