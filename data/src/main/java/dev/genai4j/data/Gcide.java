package dev.genai4j.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import java.util.zip.GZIPInputStream;

/**
 * Streams the articles of GCIDE (the Collaborative International Dictionary of English, from
 * Webster's 1913) out of Debian's {@code dict-gcide} files, as plain text.
 *
 * <p>The {@code .dict.dz} is dictzip, which is valid gzip: we read it front to back with
 * {@link GZIPInputStream} (about 40 MB of text, well under a second), visiting the articles in
 * offset order, so nothing but the index (about 170,000 entries) is held in memory.
 *
 * <pre>{@code
 * try (Stream<GcideEntry> s = Gcide.openDefault().entries()) {
 *     s.limit(2).forEach(e -> System.out.println(e.text()));   // "A, ...", "Abacus, n. ..."
 * }
 * }</pre>
 */
public final class Gcide {
    private final Path dict;
    private final List<DictdIndex.Entry> articles;

    private Gcide(Path dict, List<DictdIndex.Entry> articles) {
        this.dict = dict;
        this.articles = articles;
    }

    /**
     * @param dictDz the {@code .dict.dz} (or an uncompressed {@code .dict})
     * @param index  its {@code .index}
     * @throws MissingDataException if either file is absent
     */
    public static Gcide open(Path dictDz, Path index) {
        MissingDataException.require("GCIDE", dictDz, DataFiles.GCIDE_INSTALL);
        MissingDataException.require("GCIDE", index, DataFiles.GCIDE_INSTALL);
        return new Gcide(dictDz, DictdIndex.readArticles(index));
    }

    /** The installed GCIDE ({@link DataFiles#GCIDE_DICT}, {@link DataFiles#GCIDE_INDEX}). */
    public static Gcide openDefault() { return open(DataFiles.GCIDE_DICT, DataFiles.GCIDE_INDEX); }

    /** Number of distinct articles in the index (metadata entries excluded). */
    public int size() { return articles.size(); }

    /** All articles in file order, markup stripped; lazy: close the stream. */
    public Stream<GcideEntry> entries() {
        InputStream in;
        try {
            InputStream raw = new BufferedInputStream(Files.newInputStream(dict), 1 << 16);
            in = dict.getFileName().toString().endsWith(".dz") || dict.getFileName().toString().endsWith(".gz")
                    ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
        } catch (IOException e) {
            throw new DataException("GCIDE: cannot open " + dict + " as gzip: " + e.getMessage(), e);
        }
        // a few articles carry stray Windows-1252 bytes: decode leniently rather than fail the corpus
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        Iterator<GcideEntry> it = new Iterator<>() {
            int next;
            long position;

            @Override public boolean hasNext() { return next < articles.size(); }

            @Override public GcideEntry next() {
                if (!hasNext()) throw new NoSuchElementException();
                DictdIndex.Entry e = articles.get(next++);
                try {
                    if (e.offset() < position) {
                        throw new DataException("GCIDE: article '" + e.headword() + "' at " + e.offset() + " overlaps the one before (ends at " + position + ")");
                    }
                    in.skipNBytes(e.offset() - position);
                    byte[] bytes = in.readNBytes(e.length());
                    position = e.offset() + bytes.length;
                    if (bytes.length != e.length()) {
                        throw new DataException("GCIDE: " + dict + " ends at byte " + position + ", inside article '"
                                + e.headword() + "' (offset " + e.offset() + ", length " + e.length() + "): index and dictionary do not match");
                    }
                    return new GcideEntry(e.headword(), GcideMarkup.toPlainText(utf8.decode(ByteBuffer.wrap(bytes)).toString()));
                } catch (java.io.EOFException ex) {
                    throw new DataException("GCIDE: " + dict + " ends before article '" + e.headword() + "' at offset " + e.offset(), ex);
                } catch (IOException ex) {
                    throw new UncheckedIOException("GCIDE: reading " + dict + " at article '" + e.headword() + "'", ex);
                }
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(() -> {
                    try { in.close(); } catch (IOException e) { throw new UncheckedIOException(e); }
                });
    }
}
