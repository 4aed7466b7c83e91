package dev.genai4j.text;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** Real Java source text from the running JDK's lib/src.zip, license headers stripped. */
final class JdkSources {
    private JdkSources() {}

    /**
     * Files directly in {@code folder} (e.g. "java.base/java/util/"), in name order, until
     * {@code maxChars} are collected; {@code skipChars} of files are passed over first.
     */
    static List<String> read(String folder, long skipChars, long maxChars) throws IOException {
        Path zip = Path.of(System.getProperty("java.home"), "lib", "src.zip");
        if (!Files.isRegularFile(zip)) throw new IllegalStateException("no JDK sources at " + zip + " (the tests need a full JDK)");
        List<String> out = new ArrayList<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            List<ZipEntry> entries = new ArrayList<>();
            z.stream().filter(e -> e.getName().startsWith(folder) && e.getName().endsWith(".java")
                    && e.getName().indexOf('/', folder.length()) < 0).forEach(entries::add);
            entries.sort((a, b) -> a.getName().compareTo(b.getName()));
            long skipped = 0, taken = 0;
            for (ZipEntry e : entries) {
                String text;
                try (InputStream in = z.getInputStream(e)) {
                    text = stripLicense(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
                if (skipped < skipChars) { skipped += text.length(); continue; }
                if (taken >= maxChars) break;
                out.add(text);
                taken += text.length();
            }
        }
        return out;
    }

    private static String stripLicense(String source) {
        if (!source.startsWith("/*")) return source;
        int end = source.indexOf("*/");
        return end < 0 ? source : source.substring(end + 2).stripLeading();
    }
}
