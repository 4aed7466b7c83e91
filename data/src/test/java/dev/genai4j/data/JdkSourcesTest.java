package dev.genai4j.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class JdkSourcesTest {
    private static final String LICENSED = "/*\n * Copyright (c) 1997, 2024, Oracle and/or its affiliates. All rights reserved.\n */\n\npackage java.util;\n\npublic class ArrayList {}\n";

    private static Path zip(Path dir) throws IOException {
        Path z = dir.resolve("src.zip");
        try (var out = new ZipOutputStream(Files.newOutputStream(z))) {
            for (String[] e : new String[][] {
                    {"java.base/java/util/ArrayList.java", LICENSED},
                    {"java.base/java/util/concurrent/Future.java", "package java.util.concurrent;\ninterface Future {}\n"},
                    {"java.base/java/utilities/Fake.java", "package java.utilities;\n"},
                    {"java.base/java/util/package-info.html", "<p>not java</p>"},
                    {"java.desktop/javax/swing/JButton.java", "/* no notice */\npackage javax.swing;\n"}}) {
                out.putNextEntry(new ZipEntry(e[0]));
                out.write(e[1].getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return z;
    }

    @Test
    void filtersByWholePackageSegments(@TempDir Path dir) throws IOException {
        JdkSources jdk = JdkSources.open(zip(dir));
        try (Stream<JavaSource> s = jdk.sources(List.of("java.util"), false)) {
            List<JavaSource> got = s.toList();
            assertEquals(List.of("java/util/ArrayList.java", "java/util/concurrent/Future.java"), got.stream().map(JavaSource::path).toList());
            assertEquals("java.base", got.getFirst().module());
            assertEquals(LICENSED, got.getFirst().text());
        }
        try (Stream<JavaSource> s = jdk.sources()) {
            assertEquals(4, s.count());
        }
    }

    @Test
    void stripsOnlyACopyrightHeader() {
        assertEquals("package java.util;\n\npublic class ArrayList {}\n", JdkSources.stripLicenseHeader(LICENSED));
        String plain = "/* no notice */\npackage javax.swing;\n";
        assertEquals(plain, JdkSources.stripLicenseHeader(plain));
    }

    @Test
    void missingZipNamesIt(@TempDir Path dir) {
        MissingDataException e = assertThrows(MissingDataException.class, () -> JdkSources.open(dir.resolve("lib/src.zip")));
        assertTrue(e.getMessage().contains("src.zip"), e.getMessage());
    }

    @Test
    void realJdkSourcesWhenPresent() {
        assumeTrue(Files.isReadable(DataFiles.jdkSourceZip()), "this JDK has no lib/src.zip");
        try (Stream<JavaSource> s = JdkSources.openDefault().sources(List.of("java.util.function"), true)) {
            JavaSource f = s.filter(x -> x.path().equals("java/util/function/Function.java")).findFirst().orElseThrow();
            assertEquals("java.base", f.module());
            assertTrue(f.text().startsWith("package java.util.function;"), f.text().substring(0, 60));
        }
    }
}
