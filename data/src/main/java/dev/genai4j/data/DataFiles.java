package dev.genai4j.data;

import java.nio.file.Path;

/** Where Debian's packages put the corpora (ARCHITECTURE §6), and the command that installs each. */
public final class DataFiles {
    private DataFiles() {}

    /** WordNet 3.0 database folder ({@code data.noun} …), package {@code wordnet-base}. */
    public static final Path WORDNET_DIR = Path.of("/usr/share/wordnet");
    public static final String WORDNET_INSTALL = "apt-get install -y wordnet-base";

    /** GCIDE in dictd format, package {@code dict-gcide}. */
    public static final Path GCIDE_DICT = Path.of("/usr/share/dictd/gcide.dict.dz");
    public static final Path GCIDE_INDEX = Path.of("/usr/share/dictd/gcide.index");
    public static final String GCIDE_INSTALL = "apt-get install -y dict-gcide";

    /** One word per line, package {@code wamerican} (the {@code words} link is set up by dictionaries-common). */
    public static final Path WORDS = Path.of("/usr/share/dict/words");
    public static final String WORDS_INSTALL = "apt-get install -y wamerican";

    /** The running JDK's own sources ({@code $JAVA_HOME/lib/src.zip}); falls back to {@code java.home}. */
    public static Path jdkSourceZip() {
        String home = System.getenv("JAVA_HOME");
        Path fromEnv = home == null || home.isBlank() ? null : Path.of(home, "lib", "src.zip");
        if (fromEnv != null && java.nio.file.Files.isReadable(fromEnv)) return fromEnv;
        return Path.of(System.getProperty("java.home"), "lib", "src.zip");
    }
    public static final String JDK_SOURCES_INSTALL = "a full JDK that ships lib/src.zip (e.g. the Temurin 25 JDK), with JAVA_HOME pointing at it";
}
