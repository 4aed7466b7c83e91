package dev.genai4j.data;

/**
 * One Java source file.
 *
 * @param module the JDK module it belongs to, e.g. {@code java.base} (empty when the zip has no module folders)
 * @param path   its path below the module, e.g. {@code java/util/ArrayList.java}
 * @param text   the file's text (license header removed when asked)
 */
public record JavaSource(String module, String path, String text) {}
