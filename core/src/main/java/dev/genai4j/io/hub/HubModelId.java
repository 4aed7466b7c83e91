package dev.genai4j.io.hub;

import java.util.regex.Pattern;

/**
 * A model on the Hugging Face hub, written {@code hf:org/name[@revision]} on the command line.
 * The repository id follows the hub's own rules (one optional namespace, letters, digits,
 * {@code - _ .}, no {@code --} or {@code ..}, at most 96 characters per part); the revision is a
 * branch, tag or commit ({@code main} when absent) and may contain {@code /} (e.g.
 * {@code refs/pr/1}) but no empty, {@code .} or {@code ..} segment, because it names a file under
 * the cache's {@code refs/} folder.
 *
 * <pre>{@code
 * HubModelId id = HubModelId.parse("hf:urchade/gliner_small-v2.1@v1");
 * id.repo();            // "urchade/gliner_small-v2.1"
 * id.revision();        // "v1"
 * id.cacheFolderName(); // "models--urchade--gliner_small-v2.1"
 * HubModelId.parse("hf:../etc");   // throws InvalidHubIdException
 * }</pre>
 */
public record HubModelId(String repo, String revision) {
    /** The prefix that marks a model argument as a hub id rather than a folder. */
    public static final String PREFIX = "hf:";
    public static final String DEFAULT_REVISION = "main";

    private static final Pattern PART = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9])?");
    private static final Pattern REVISION_SEGMENT = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    public HubModelId {
        checkRepo(repo);
        checkRevision(revision);
    }

    /** True when {@code ref} is meant as a hub id (starts with {@code hf:}), valid or not. */
    public static boolean isHubId(String ref) {
        return ref != null && ref.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    /**
     * Parses {@code hf:org/name[@revision]}.
     *
     * @throws InvalidHubIdException naming what is wrong and what a valid id looks like
     */
    public static HubModelId parse(String ref) {
        if (!isHubId(ref)) throw new InvalidHubIdException("hub model id '" + clip(ref) + "' must start with 'hf:', e.g. hf:org/name@main");
        String body = ref.substring(PREFIX.length());
        int at = body.indexOf('@');
        String repo = at < 0 ? body : body.substring(0, at);
        String revision = at < 0 ? DEFAULT_REVISION : body.substring(at + 1);
        if (at >= 0 && revision.isEmpty()) throw new InvalidHubIdException("hub model id '" + clip(ref) + "' has an empty revision after '@'");
        return new HubModelId(repo, revision);
    }

    /** The cache folder name the hub's own client uses: {@code models--org--name}. */
    public String cacheFolderName() { return "models--" + repo.replace("/", "--"); }

    /** True when the revision is a full 40-hex commit hash (then no {@code refs/} file is kept for it). */
    public boolean isCommitHash() { return isCommitHash(revision); }

    static boolean isCommitHash(String s) { return s != null && COMMIT.matcher(s).matches(); }

    /** The same repository at another revision. */
    public HubModelId atRevision(String rev) { return new HubModelId(repo, rev); }

    @Override
    public String toString() { return PREFIX + repo + "@" + revision; }

    private static void checkRepo(String repo) {
        if (repo == null || repo.isEmpty()) throw new InvalidHubIdException("hub model id has no repository; expected hf:org/name[@revision]");
        String[] parts = repo.split("/", -1);
        if (parts.length > 2) {
            throw new InvalidHubIdException("hub repository '" + clip(repo) + "' has " + (parts.length - 1)
                    + " '/'; expected 'name' or 'org/name'");
        }
        for (String p : parts) {
            if (!PART.matcher(p).matches()) {
                throw new InvalidHubIdException("hub repository '" + clip(repo) + "': part '" + clip(p) + "' must be 1-96 letters, digits,"
                        + " '-', '_' or '.', starting and ending with a letter or digit");
            }
        }
        if (repo.contains("--") || repo.contains("..")) {
            throw new InvalidHubIdException("hub repository '" + clip(repo) + "' must not contain '--' or '..'");
        }
        if (repo.endsWith(".git")) throw new InvalidHubIdException("hub repository '" + clip(repo) + "' must not end with '.git'");
    }

    private static void checkRevision(String revision) {
        if (revision == null || revision.isEmpty()) throw new InvalidHubIdException("hub revision is empty; expected a branch, tag or commit");
        if (revision.length() > 256) throw new InvalidHubIdException("hub revision is " + revision.length() + " characters; at most 256");
        for (String seg : revision.split("/", -1)) {
            if (seg.equals(".") || seg.equals("..") || !REVISION_SEGMENT.matcher(seg).matches()) {
                throw new InvalidHubIdException("hub revision '" + clip(revision) + "': segment '" + clip(seg)
                        + "' must be letters, digits, '-', '_' or '.' (not '.' or '..', no empty segments)");
            }
        }
    }

    static String clip(String s) {
        if (s == null) return "null";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 120; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        return s.length() > 120 ? b + "..." : b.toString();
    }
}
