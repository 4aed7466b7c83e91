package dev.genai4j.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class GcideTest {
    // copied from Debian's dict-gcide 0.48.5 (gcide.dict.dz)
    private static final String ABACUS = "Abacus \\Ab\"a*cus\\ ([a^]b\"[.a]*k[u^]s), n.; E. pl. {Abacuses}; L.\n"
            + "   pl. {Abaci} (-s[imac]). [L. abacus, abax, Gr. 'a`bax]\n"
            + "   1. A table or tray strewn with sand, anciently used for\n"
            + "      drawing, calculating, etc. [Obs.]\n"
            + "      [1913 Webster]\n\n"
            + "   3. (Arch.)\n"
            + "      (a) The uppermost member or division of the capital of a\n"
            + "          column, immediately under the architrave. See\n"
            + "          {Column}.\n"
            + "          [1913 Webster]\n\n"
            + "   {Abacus harmonicus} (Mus.), an ancient diagram showing the\n"
            + "      structure and disposition of the keys of an instrument.\n"
            + "      --Crabb.\n"
            + "      [1913 Webster]\n";
    private static final String CAFE = "Caf['e] \\Caf`['e]\\, n. [F.]\n   A coffee house; a restaurant; caf['e] au lait.\n      [PJC]\n";
    private static final String INFO = "00-database-info\n   This file was converted from the original database\n";

    @Test
    void decodesDictdBase64Numbers() {
        Path f = Path.of("x.index");
        assertEquals(0, DictdIndex.decode("A", f, 1));
        assertEquals(8 * 64 * 64 + 64 + 19, DictdIndex.decode("IBT", f, 1));
        assertEquals(63, DictdIndex.decode("/", f, 1));
        DataException e = assertThrows(DataException.class, () -> DictdIndex.decode("I*T", f, 7));
        assertTrue(e.getMessage().contains("line 7") && e.getMessage().contains("'*'"), e.getMessage());
    }

    @Test
    void stripsMarkupToPlainText() {
        assertEquals("Abacus, n.; E. pl. Abacuses; L. pl. Abaci (-si).\n"
                + "1. A table or tray strewn with sand, anciently used for drawing, calculating, etc.\n"
                + "3. (Arch.) (a) The uppermost member or division of the capital of a column, immediately under the architrave. See Column.\n"
                + "Abacus harmonicus (Mus.), an ancient diagram showing the structure and disposition of the keys of an instrument.",
                GcideMarkup.toPlainText(ABACUS));
        assertEquals("Café, n. A coffee house; a restaurant; café au lait.", GcideMarkup.toPlainText(CAFE));
    }

    /** Writes a dictd pair: articles in {@code order} in the .dict, the index listing them by headword (two for the café article). */
    private static void writeDictd(Path dict, Path index) throws IOException {
        byte[][] bodies = {INFO.getBytes(StandardCharsets.UTF_8), CAFE.getBytes(StandardCharsets.UTF_8), ABACUS.getBytes(StandardCharsets.UTF_8)};
        long[] offsets = new long[3];
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dict))) {
            long pos = 0;
            for (int i = 0; i < 3; i++) { offsets[i] = pos; out.write(bodies[i]); pos += bodies[i].length; }
        }
        // index sorted by headword as dictd does, not by offset
        Files.writeString(index, "00-database-info\t" + b64(offsets[0]) + "\t" + b64(bodies[0].length) + "\n"
                + "Abacus\t" + b64(offsets[2]) + "\t" + b64(bodies[2].length) + "\n"
                + "Caf\u00e9\t" + b64(offsets[1]) + "\t" + b64(bodies[1].length) + "\n"
                + "Cafe\t" + b64(offsets[1]) + "\t" + b64(bodies[1].length) + "\n");
    }

    private static String b64(long v) {
        String digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        StringBuilder sb = new StringBuilder();
        do { sb.insert(0, digits.charAt((int) (v % 64))); v /= 64; } while (v > 0);
        return sb.toString();
    }

    @Test
    void readsArticlesInFileOrderOncePerArticle(@TempDir Path dir) throws IOException {
        Path dict = dir.resolve("t.dict.dz"), index = dir.resolve("t.index");
        writeDictd(dict, index);
        Gcide g = Gcide.open(dict, index);
        assertEquals(2, g.size());   // metadata skipped, café listed twice
        List<GcideEntry> es;
        try (Stream<GcideEntry> s = g.entries()) { es = s.toList(); }
        assertEquals(List.of("Caf\u00e9", "Abacus"), es.stream().map(GcideEntry::headword).toList());
        assertTrue(es.get(1).text().startsWith("Abacus, n.; E. pl. Abacuses"), es.get(1).text());
    }

    @Test
    void truncatedDictionaryIsAnErrorNamingTheArticle(@TempDir Path dir) throws IOException {
        Path dict = dir.resolve("t.dict.dz"), index = dir.resolve("t.index");
        writeDictd(dict, index);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dict))) { out.write(INFO.getBytes(StandardCharsets.UTF_8)); }
        Gcide g = Gcide.open(dict, index);
        DataException e = assertThrows(DataException.class, () -> { try (var s = g.entries()) { s.toList(); } });
        assertTrue(e.getMessage().contains("Caf\u00e9"), e.getMessage());
    }

    @Test
    void missingFilesNameTheInstallCommand(@TempDir Path dir) {
        MissingDataException e = assertThrows(MissingDataException.class, () -> Gcide.open(dir.resolve("gcide.dict.dz"), dir.resolve("gcide.index")));
        assertTrue(e.getMessage().contains("gcide.dict.dz") && e.getMessage().contains("apt-get install -y dict-gcide"), e.getMessage());
    }

    @Test
    void realGcideWhenInstalled() {
        assumeTrue(Files.isReadable(DataFiles.GCIDE_DICT) && Files.isReadable(DataFiles.GCIDE_INDEX), "dict-gcide not installed (bash scripts/fetch-data.sh)");
        Gcide g = Gcide.openDefault();
        assertTrue(g.size() > 100_000, "articles: " + g.size());
        List<GcideEntry> first;
        try (Stream<GcideEntry> s = g.entries()) { first = s.limit(2000).toList(); }
        for (GcideEntry e : first) {
            assertFalse(e.text().isBlank(), e.headword());
            assertFalse(e.text().contains("\\") || e.text().contains("{") || e.text().contains("[1913 Webster]"), e.headword() + ": " + e.text());
        }
        GcideEntry abacus = first.stream().filter(e -> e.text().startsWith("Abacus, n.")).findFirst().orElseThrow();
        assertTrue(abacus.text().contains("2. A calculating table or frame"), abacus.text());
    }
}
