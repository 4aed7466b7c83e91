package dev.genai4j.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class WordNetGlossesTest {
    private static final String LICENSE = "  1 This software and database is being provided to you, the LICENSEE, by  \n"
            + "  2 Princeton University under the following license.  By obtaining, using  \n";
    // real lines from WordNet 3.0 (the class synset shortened to its first pointers)
    private static final String PARIS = "08932568 15 n 04 Paris 0 City_of_Light 0 French_capital 0 capital_of_France 0 003 "
            + "@i 08691669 n 0000 #p 08929922 n 0000 + 03023450 a 0101 | the capital and largest city of France; and international center of culture and commerce  ";
    private static final String NATIONAL_CAPITAL = "08691669 15 n 01 national_capital 0 002 @ 08518505 n 0000 ~i 08932568 n 0000 | the capital city of a nation  ";
    private static final String BREATHE = "00001740 29 v 04 breathe 0 take_a_breath 0 respire 0 suspire 3 004 * 00005041 v 0000 * 00004227 v 0000 "
            + "+ 03110323 a 0301 + 00831191 n 0303 02 + 02 00 + 08 00 | draw air into, and expel out of, the lungs; \"I can breathe better when the air is clean\"; \"The patient is respiring\"  ";
    private static final String ABLE = "00001740 00 a 01 able(a) 0 005 = 05200169 n 0000 = 05616246 n 0000 + 05616246 n 0101 + 05200169 n 0101 ! 00002098 a 0101 "
            + "| (usually followed by `to') having the necessary means or skill or know-how or authority to do something; \"able to swim\"  ";
    private static final String A_CAPPELLA = "00001740 02 r 01 a_cappella 0 000 | without musical accompaniment; \"they performed a cappella\"  ";

    private static Path write(Path dir) throws IOException {
        Files.writeString(dir.resolve("data.noun"), LICENSE + NATIONAL_CAPITAL + "\n" + PARIS + "\n");
        Files.writeString(dir.resolve("data.verb"), LICENSE + BREATHE + "\n");
        Files.writeString(dir.resolve("data.adj"), LICENSE + ABLE + "\n");
        Files.writeString(dir.resolve("data.adv"), LICENSE + A_CAPPELLA + "\n");
        return dir;
    }

    @Test
    void parsesWordsGlossAndPointers(@TempDir Path dir) throws IOException {
        WordNetGlosses wn = WordNetGlosses.open(write(dir));
        List<WordNetSynset> all;
        try (Stream<WordNetSynset> s = wn.synsets()) { all = s.toList(); }
        assertEquals(5, all.size());
        WordNetSynset paris = all.get(1);
        assertEquals(8932568L, paris.offset());
        assertEquals('n', paris.pos());
        assertEquals("noun.location", paris.lexFile());
        assertEquals(List.of("Paris", "City of Light", "French capital", "capital of France"), paris.words());
        assertEquals("the capital and largest city of France; and international center of culture and commerce", paris.gloss());
        assertEquals(List.of(8691669L), paris.instanceOf());

        WordNetSynset breathe = all.get(2);   // verb frames after the pointers must not confuse the gloss
        assertEquals("verb.body", breathe.lexFile());
        assertEquals("breathe, take a breath, respire, suspire: draw air into, and expel out of, the lungs; "
                + "\"I can breathe better when the air is clean\"; \"The patient is respiring\"", breathe.text());
        assertEquals(List.of("able"), all.get(3).words());   // the (a) marker is dropped
        assertEquals('r', all.get(4).pos());
        assertEquals(List.of("a cappella"), all.get(4).words());
    }

    @Test
    void namedEntitiesResolveTheClassSynset(@TempDir Path dir) throws IOException {
        List<NamedEntity> ents = WordNetGlosses.open(write(dir)).namedEntities();
        assertEquals(4, ents.size());
        assertEquals(new NamedEntity("Paris", "national capital", "noun.location"), ents.getFirst());
        assertEquals("capital of France", ents.get(3).name());
        assertEquals("location", ents.getFirst().coarseLabel());
    }

    @Test
    void missingFileNamesItAndTheInstallCommand(@TempDir Path dir) throws IOException {
        write(dir);
        Files.delete(dir.resolve("data.adj"));
        MissingDataException e = assertThrows(MissingDataException.class, () -> WordNetGlosses.open(dir));
        assertTrue(e.getMessage().contains("data.adj"), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install -y wordnet-base"), e.getMessage());
        assertEquals(dir.resolve("data.adj"), e.file());
    }

    @Test
    void malformedLineNamesFileAndLine(@TempDir Path dir) throws IOException {
        write(dir);
        Files.writeString(dir.resolve("data.adv"), LICENSE + "00001740 02 r 03 a_cappella | truncated\n");
        WordNetGlosses wn = WordNetGlosses.open(dir);
        DataException e = assertThrows(DataException.class, () -> { try (var s = wn.synsets("data.adv")) { s.toList(); } });
        assertTrue(e.getMessage().contains("data.adv line 3"), e.getMessage());
    }

    @Test
    void realWordNetWhenInstalled() {
        assumeTrue(Files.isReadable(DataFiles.WORDNET_DIR.resolve("data.noun")), "wordnet-base not installed (bash scripts/fetch-data.sh)");
        WordNetGlosses wn = WordNetGlosses.openDefault();
        try (Stream<WordNetSynset> s = wn.synsets("data.noun")) {
            WordNetSynset first = s.findFirst().orElseThrow();
            assertEquals(List.of("entity"), first.words());
            assertEquals("noun.Tops", first.lexFile());
        }
        try (Stream<WordNetSynset> s = wn.synsets("data.adv")) {
            assertEquals(3621, s.count());   // WordNet 3.0 has 3,621 adverb synsets
        }
        List<NamedEntity> ents = wn.namedEntities();
        assertTrue(ents.contains(new NamedEntity("Paris", "national capital", "noun.location")));
        assertTrue(ents.contains(new NamedEntity("Albert Einstein", "physicist", "noun.person")));
        assertTrue(ents.size() > 15_000, "entities: " + ents.size());
    }
}
