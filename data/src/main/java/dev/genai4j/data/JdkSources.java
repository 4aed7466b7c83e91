package dev.genai4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.stream.Stream;

/**
 * Streams real Java source from the JDK's own {@code lib/src.zip} (entries
 * {@code <module>/<package path>/<Name>.java}), optionally restricted to package prefixes and
 * without the license comment every file starts with (30 identical lines that would otherwise
 * be a large share of a code corpus).
 *
 * <pre>{@code
 * try (Stream<JavaSource> s = JdkSources.openDefault().sources(List.of("java.util"), true)) {
 *     s.limit(5).forEach(f -> System.out.println(f.path()));   // java/util/AbstractCollection.java, …
 * }
 * }</pre>
 */
public final class JdkSources {
    private final Path zip;

    private JdkSources(Path zip) { this.zip = zip; }

    /** @throws MissingDataException if {@code srcZip} is absent */
    public static JdkSources open(Path srcZip) {
        return new JdkSources(MissingDataException.require("JDK sources", srcZip, DataFiles.JDK_SOURCES_INSTALL));
    }

    /** The running JDK's sources ({@link DataFiles#jdkSourceZip()}). */
    public static JdkSources openDefault() { return open(DataFiles.jdkSourceZip()); }

    /**
     * The {@code .java} files whose package starts with one of {@code packagePrefixes} (all when
     * the list is empty), in zip order; lazy: close the stream.
     *
     * @param packagePrefixes dotted prefixes matched on whole segments: {@code java.util} takes
     *                        {@code java.util.concurrent} too, not {@code java.utilities}
     * @param stripLicense    drop a leading block comment that contains "Copyright"
     */
    public Stream<JavaSource> sources(List<String> packagePrefixes, boolean stripLicense) {
        List<String> prefixes = packagePrefixes.stream().map(p -> p.replace('.', '/') + "/").toList();
        ZipFile zf;
        try {
            zf = new ZipFile(zip.toFile(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DataException("JDK sources: cannot open " + zip + " as a zip: " + e.getMessage(), e);
        }
        return zf.stream()
                .filter(e -> !e.isDirectory() && e.getName().endsWith(".java"))
                .map(e -> {
                    String name = e.getName();
                    int slash = name.indexOf('/');
                    // src.zip of JDK 9+ has a module folder first; JDK 8's did not
                    boolean moduleFolder = slash > 0 && name.substring(0, slash).contains(".");
                    return moduleFolder ? new Located(e, name.substring(0, slash), name.substring(slash + 1)) : new Located(e, "", name);
                })
                .filter(x -> prefixes.isEmpty() || prefixes.stream().anyMatch(x.path()::startsWith))
                .map(x -> {
                    String text = read(zf, x.entry());
                    return new JavaSource(x.module(), x.path(), stripLicense ? stripLicenseHeader(text) : text);
                })
                .onClose(() -> {
                    try { zf.close(); } catch (IOException e) { throw new UncheckedIOException(e); }
                });
    }

    /** All sources, license headers removed. */
    public Stream<JavaSource> sources() { return sources(List.of(), true); }

    private record Located(ZipEntry entry, String module, String path) {}

    private String read(ZipFile zf, ZipEntry e) {
        try (InputStream in = zf.getInputStream(e)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException ex) {
            throw new UncheckedIOException("JDK sources: reading " + e.getName() + " in " + zip, ex);
        }
    }

    /** Removes a leading {@code /* ... *&#47;} comment that mentions "Copyright", and the blank lines after it. */
    static String stripLicenseHeader(String text) {
        int start = 0;
        while (start < text.length() && Character.isWhitespace(text.charAt(start))) start++;
        if (!text.startsWith("/*", start)) return text;
        int end = text.indexOf("*/", start + 2);
        if (end < 0 || !text.substring(start, end).contains("Copyright")) return text;
        int after = end + 2;
        while (after < text.length() && Character.isWhitespace(text.charAt(after))) after++;
        return text.substring(after);
    }
}
