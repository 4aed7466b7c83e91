package dev.genai4j.text;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The contents of a SentencePiece {@code spm.model} (google/sentencepiece
 * {@code sentencepiece_model.proto}), decoded field by field with {@link CodedInputStream}, so
 * no generated classes are needed: the pieces with their scores and types, the model type, the
 * special ids, byte fallback and the normalizer (name, precompiled charsmap, whitespace rules).
 * Unknown fields are skipped, as protobuf requires.
 *
 * <pre>{@code
 * SentencePieceModel m = SentencePieceModel.read(Path.of("deberta-v3-small/spm.model"));
 * m.pieces().get(1).piece();   // "[CLS]"
 * }</pre>
 *
 * @param pieces                 every piece, in id order
 * @param modelType              1 unigram, 2 BPE, 3 word, 4 char ({@code TrainerSpec.model_type})
 * @param byteFallback           unknown characters become their UTF-8 bytes ({@code <0xNN>} pieces)
 * @param normalizerName         {@code NormalizerSpec.name} ("nmt_nfkc", "identity" …)
 * @param precompiledCharsmap    the compiled normalization rules, or an empty array
 * @param addDummyPrefix         a ▁ is put before the text
 * @param removeExtraWhitespaces leading, trailing and repeated spaces are dropped
 */
public record SentencePieceModel(List<Piece> pieces, int modelType, boolean byteFallback, int unkId, int bosId, int eosId,
                                 int padId, String normalizerName, byte[] precompiledCharsmap, boolean addDummyPrefix,
                                 boolean removeExtraWhitespaces) {

    /** {@code ModelProto.SentencePiece.Type}. */
    public enum Type { NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE }

    /** One vocabulary entry. */
    public record Piece(String piece, float score, Type type) {}

    public static final int UNIGRAM = 1;

    /** Reads {@code file}; throws {@link TokenizerException} naming it when it is not a SentencePiece model. */
    public static SentencePieceModel read(Path file) {
        try {
            return parse(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new TokenizerException("cannot read SentencePiece model " + file + ": " + e.getMessage(), e);
        }
    }

    /** Decodes the bytes of an {@code spm.model}; {@code name} is used in messages. */
    public static SentencePieceModel parse(byte[] bytes, String name) {
        Builder b = new Builder();
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            // ModelProto: pieces = 1, trainer_spec = 2, normalizer_spec = 3
            while (true) {
                int tag = in.readTag();
                if (tag == 0) break;
                switch (WireFormat.getTagFieldNumber(tag)) {
                    case 1 -> { int old = in.pushLimit(in.readRawVarint32()); b.pieces.add(readPiece(in)); in.popLimit(old); }
                    case 2 -> { int old = in.pushLimit(in.readRawVarint32()); readTrainer(in, b); in.popLimit(old); }
                    case 3 -> { int old = in.pushLimit(in.readRawVarint32()); readNormalizer(in, b); in.popLimit(old); }
                    default -> in.skipField(tag);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new TokenizerException("SentencePiece model " + name + " is malformed: " + e.getMessage(), e);
        }
        if (b.pieces.isEmpty()) throw new TokenizerException("SentencePiece model " + name + " has no pieces (is it an spm.model file?)");
        return new SentencePieceModel(List.copyOf(b.pieces), b.modelType, b.byteFallback, b.unkId, b.bosId, b.eosId, b.padId,
                b.normalizerName, b.charsmap, b.addDummyPrefix, b.removeExtraWhitespaces);
    }

    /** Proto defaults for absent fields. */
    private static final class Builder {
        final List<Piece> pieces = new ArrayList<>();
        int modelType = UNIGRAM, unkId = 0, bosId = 1, eosId = 2, padId = -1;
        boolean byteFallback, addDummyPrefix = true, removeExtraWhitespaces = true;
        String normalizerName = "";
        byte[] charsmap = new byte[0];
    }

    // SentencePiece: piece = 1, score = 2, type = 3 (default NORMAL)
    private static Piece readPiece(CodedInputStream in) throws IOException {
        String piece = "";
        float score = 0;
        int type = 1;
        while (true) {
            int tag = in.readTag();
            if (tag == 0) break;
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> piece = in.readString();
                case 2 -> score = in.readFloat();
                case 3 -> type = in.readEnum();
                default -> in.skipField(tag);
            }
        }
        if (type < 1 || type > Type.values().length) throw new TokenizerException("piece '" + piece + "' has unknown type " + type);
        return new Piece(piece, score, Type.values()[type - 1]);
    }

    // TrainerSpec: model_type = 3, byte_fallback = 35, unk_id = 40, bos_id = 41, eos_id = 42, pad_id = 43
    private static void readTrainer(CodedInputStream in, Builder b) throws IOException {
        while (true) {
            int tag = in.readTag();
            if (tag == 0) break;
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 3 -> b.modelType = in.readEnum();
                case 35 -> b.byteFallback = in.readBool();
                case 40 -> b.unkId = in.readInt32();
                case 41 -> b.bosId = in.readInt32();
                case 42 -> b.eosId = in.readInt32();
                case 43 -> b.padId = in.readInt32();
                default -> in.skipField(tag);
            }
        }
    }

    // NormalizerSpec: name = 1, precompiled_charsmap = 2, add_dummy_prefix = 3, remove_extra_whitespaces = 4
    private static void readNormalizer(CodedInputStream in, Builder b) throws IOException {
        while (true) {
            int tag = in.readTag();
            if (tag == 0) break;
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> b.normalizerName = in.readString();
                case 2 -> b.charsmap = in.readByteArray();
                case 3 -> b.addDummyPrefix = in.readBool();
                case 4 -> b.removeExtraWhitespaces = in.readBool();
                default -> in.skipField(tag);
            }
        }
    }
}
