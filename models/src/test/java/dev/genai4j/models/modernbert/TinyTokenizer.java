package dev.genai4j.models.modernbert;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a WordLevel {@code tokenizer.json} matching the fixtures' 128-token vocabulary: 0 [PAD],
 * 1 [CLS], 2 [SEP], 3 [UNK], 4 [MASK], then the words of {@link #WORDS}, then {@code tokN} up to 127;
 * whitespace pre-tokenization and a {@code [CLS] $A [SEP]} template.
 */
final class TinyTokenizer {
    static final String[] SPECIALS = {"[PAD]", "[CLS]", "[SEP]", "[UNK]", "[MASK]"};
    static final String[] WORDS = {"the", "capital", "of", "france", "is", "paris", "."};
    static final int VOCAB = 128;

    private TinyTokenizer() {}

    static String token(int id) {
        if (id < SPECIALS.length) return SPECIALS[id];
        int w = id - SPECIALS.length;
        return w < WORDS.length ? WORDS[w] : "tok" + id;
    }

    static void write(Path dir) throws IOException {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (int i = 0; i < SPECIALS.length; i++) {
            ObjectNode t = added.addObject();
            t.put("id", i).put("content", SPECIALS[i]).put("single_word", false).put("lstrip", false)
                    .put("rstrip", false).put("normalized", false).put("special", true);
        }
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "WhitespaceSplit");
        ObjectNode post = root.putObject("post_processor");
        post.put("type", "TemplateProcessing");
        ArrayNode single = post.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", "[CLS]").put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        single.addObject().putObject("SpecialToken").put("id", "[SEP]").put("type_id", 0);
        ArrayNode pair = post.putArray("pair");
        pair.addObject().putObject("SpecialToken").put("id", "[CLS]").put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        pair.addObject().putObject("SpecialToken").put("id", "[SEP]").put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        pair.addObject().putObject("SpecialToken").put("id", "[SEP]").put("type_id", 1);
        ObjectNode specials = post.putObject("special_tokens");
        for (int i = 1; i <= 2; i++) {
            ObjectNode s = specials.putObject(SPECIALS[i]);
            s.put("id", SPECIALS[i]);
            s.putArray("ids").add(i);
            s.putArray("tokens").add(SPECIALS[i]);
        }
        root.putNull("decoder");
        ObjectNode model = root.putObject("model");
        model.put("type", "WordLevel");
        ObjectNode vocab = model.putObject("vocab");
        for (int i = 0; i < VOCAB; i++) vocab.put(token(i), i);
        model.put("unk_token", "[UNK]");
        Files.writeString(dir.resolve("tokenizer.json"), m.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    }
}
