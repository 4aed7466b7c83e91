package dev.genai4j.text;

import com.google.gson.stream.JsonWriter;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes a {@link TrainedBpe} as a HF {@code tokenizer.json} that the Rust tokenizers load:
 * pre-tokenizer Sequence[Split(CodePreTokenizer.PATTERN, Isolated), ByteLevel(use_regex=false)],
 * so the library cuts text exactly where training did, then maps bytes as training did.
 */
final class TokenizerJsonWriter {
    private TokenizerJsonWriter() {}

    static void write(TrainedBpe bpe, Path file) {
        Path target = file.toAbsolutePath();
        Path tmp = null;
        try {
            Files.createDirectories(target.getParent());
            tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
            try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8); JsonWriter json = new JsonWriter(out)) {
                json.setIndent(" ");
                writeRoot(bpe, json);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new TokenizerException("writeTokenizerJson: cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try { Files.deleteIfExists(tmp); } catch (IOException ignored) { /* the write error is the one to report */ }
            }
        }
    }

    private static void writeRoot(TrainedBpe bpe, JsonWriter j) throws IOException {
        j.beginObject();
        j.name("version").value("1.0");
        j.name("truncation").nullValue();
        j.name("padding").nullValue();
        j.name("added_tokens").beginArray();
        List<String> tokens = bpe.tokens();
        for (String special : bpe.specialTokens()) {
            j.beginObject();
            j.name("id").value(tokens.indexOf(special));
            j.name("content").value(special);
            j.name("single_word").value(false);
            j.name("lstrip").value(false);
            j.name("rstrip").value(false);
            j.name("normalized").value(false);
            j.name("special").value(true);
            j.endObject();
        }
        j.endArray();
        j.name("normalizer").nullValue();
        j.name("pre_tokenizer").beginObject();
        j.name("type").value("Sequence");
        j.name("pretokenizers").beginArray();
        j.beginObject();
        j.name("type").value("Split");
        j.name("pattern").beginObject().name("Regex").value(CodePreTokenizer.PATTERN).endObject();
        j.name("behavior").value("Isolated");
        j.name("invert").value(false);
        j.endObject();
        byteLevel(j);
        j.endArray();
        j.endObject();
        j.name("post_processor").nullValue();
        j.name("decoder");
        byteLevel(j);
        j.name("model").beginObject();
        j.name("type").value("BPE");
        j.name("dropout").nullValue();
        j.name("unk_token").nullValue();
        j.name("continuing_subword_prefix").nullValue();
        j.name("end_of_word_suffix").nullValue();
        j.name("fuse_unk").value(false);
        j.name("byte_fallback").value(false);
        j.name("ignore_merges").value(false);
        j.name("vocab").beginObject();
        Set<String> written = new HashSet<>();
        for (int id = 0; id < tokens.size(); id++) {
            if (!written.add(tokens.get(id))) {
                throw new TokenizerException("writeTokenizerJson: token " + tokens.get(id) + " appears twice in the vocabulary");
            }
            j.name(tokens.get(id)).value(id);
        }
        j.endObject();
        j.name("merges").beginArray();
        for (int r = 0; r < bpe.merges().size(); r++) {
            int[] m = bpe.merges().get(r);
            if (tokens.get(m[0]).indexOf(' ') >= 0 || tokens.get(m[1]).indexOf(' ') >= 0) {
                // only a special token containing a space can get here (byte-level tokens spell space as Ġ)
                throw new TokenizerException("writeTokenizerJson: merge " + r + " (" + tokens.get(m[0]) + " + " + tokens.get(m[1])
                        + ") has a part containing a space, which the \"a b\" merge format cannot express");
            }
            j.value(bpe.mergeString(r));
        }
        j.endArray();
        j.endObject();
        j.endObject();
    }

    /** ByteLevel without its own GPT-2 regex: the Split before it already cut the text. */
    private static void byteLevel(JsonWriter j) throws IOException {
        j.beginObject();
        j.name("type").value("ByteLevel");
        j.name("add_prefix_space").value(false);
        j.name("trim_offsets").value(false);
        j.name("use_regex").value(false);
        j.endObject();
    }
}
