package dev.genai4j.data;

import java.util.List;

/**
 * The documents of one domain of a {@link TextCorpus}, split into train and held-out.
 *
 * @param name    e.g. {@code prose}, {@code code}, {@code arithmetic}
 * @param train   training documents, in source order
 * @param heldOut held-out documents, in source order
 */
public record CorpusDomain(String name, List<String> train, List<String> heldOut) {
    public CorpusDomain {
        train = List.copyOf(train);
        heldOut = List.copyOf(heldOut);
    }

    /** UTF-8 bytes of the training documents. */
    public long trainBytes() { return TextCorpus.utf8Bytes(train); }

    /** UTF-8 bytes of the held-out documents. */
    public long heldOutBytes() { return TextCorpus.utf8Bytes(heldOut); }
}
