package dev.genai4j.models.clip.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genai4j.text.BpeTrainer;
import dev.genai4j.text.TokenizerException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The text-side tokenizer of a CLIP trained from scratch: our byte-level BPE trainer
 * ({@link BpeTrainer}) on the lower-cased caption table, written as an HF {@code tokenizer.json}
 * with a lower-casing normalizer and a {@code <|startoftext|> $A <|endoftext|>} post-processor,
 * so {@code ClipTextBatch} and HF tokenizers produce what training saw.
 *
 * <p>Why not OpenAI's 49,408-token BPE: the fixture folders carry no tokenizer files, and a
 * 49k × D embedding whose dense gradient and AdamW update run every step would cost more than
 * the whole text tower; captions here use a few hundred words.
 *
 * <pre>{@code
 * CaptionTokenizer.train(data.captions(), 1024, dir.resolve("tokenizer.json"));
 * }</pre>
 */
public final class CaptionTokenizer {
    /** Specials in id order: bos 0, eos 1, pad 2 (eos ≠ 2, so pooling uses the first-eos rule). */
    public static final List<String> SPECIALS = List.of("<|startoftext|>", "<|endoftext|>", "<|pad|>");
    public static final int BOS = 0, EOS = 1, PAD = 2;

    private CaptionTokenizer() {}

    /** Trains on {@code corpus} and writes {@code tokenizer.json}; returns the vocabulary size reached. */
    public static int train(List<String> corpus, int vocabSize, Path tokenizerJson) {
        BpeTrainer t = new BpeTrainer(vocabSize, SPECIALS, 2);
        for (String s : corpus) t.feed(s.toLowerCase(Locale.ROOT));
        var bpe = t.train();
        bpe.writeTokenizerJson(tokenizerJson);
        addClipTemplate(tokenizerJson);
        return bpe.vocabSize();
    }

    /** Adds the Lowercase normalizer and the bos/eos TemplateProcessing to a written {@code tokenizer.json}. */
    static void addClipTemplate(Path file) {
        try {
            ObjectNode root = (ObjectNode) ClipFolders.JSON.readTree(file.toFile());
            root.putObject("normalizer").put("type", "Lowercase");
            ObjectNode post = root.putObject("post_processor");
            post.put("type", "TemplateProcessing");
            ArrayNode single = post.putArray("single");
            special(single, SPECIALS.get(BOS));
            sequence(single, "A", 0);
            special(single, SPECIALS.get(EOS));
            ArrayNode pair = post.putArray("pair");
            special(pair, SPECIALS.get(BOS));
            sequence(pair, "A", 0);
            special(pair, SPECIALS.get(EOS));
            sequence(pair, "B", 1);
            special(pair, SPECIALS.get(EOS));
            ObjectNode tokens = post.putObject("special_tokens");
            for (int id : new int[]{BOS, EOS}) {
                ObjectNode s = tokens.putObject(SPECIALS.get(id));
                s.put("id", SPECIALS.get(id));
                s.putArray("ids").add(id);
                s.putArray("tokens").add(SPECIALS.get(id));
            }
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, ClipFolders.JSON.writeValueAsBytes(root));
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | ClassCastException e) {
            throw new TokenizerException("CaptionTokenizer: cannot add the CLIP template to " + file + ": " + e, e);
        }
    }

    private static void special(ArrayNode a, String token) {
        ObjectNode s = a.addObject().putObject("SpecialToken");
        s.put("id", token);
        s.put("type_id", 0);
    }

    private static void sequence(ArrayNode a, String id, int typeId) {
        ObjectNode s = a.addObject().putObject("Sequence");
        s.put("id", id);
        s.put("type_id", typeId);
    }

    static JsonNode read(Path file) throws IOException { return ClipFolders.JSON.readTree(file.toFile()); }
}
