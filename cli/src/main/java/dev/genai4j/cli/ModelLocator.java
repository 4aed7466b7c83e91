package dev.genai4j.cli;

import dev.genai4j.io.hub.FileSelection;
import dev.genai4j.io.hub.HubClient;
import dev.genai4j.io.hub.HubModelId;
import dev.genai4j.tensor.TensorException;

import java.nio.file.Path;

/**
 * Turns a model argument into a folder: a hub id {@code hf:org/name[@revision]} becomes its
 * snapshot folder in the hub cache (downloaded first unless offline), anything else is a path
 * and stays as it is.
 *
 * <pre>{@code
 * Path dir = ModelLocator.locate("hf:sentence-transformers/all-MiniLM-L6-v2", hub);
 * // ~/.cache/huggingface/hub/models--sentence-transformers--all-MiniLM-L6-v2/snapshots/<commit>
 * }</pre>
 */
final class ModelLocator {
    private ModelLocator() {}

    /** True when {@code ref} names a hub model rather than a folder. */
    static boolean isHub(String ref) { return HubModelId.isHubId(ref); }

    static boolean isHub(Path ref) { return ref != null && isHub(ref.toString()); }

    /**
     * The folder {@code ref} names; {@code null} stays {@code null} (the command's default).
     *
     * @throws dev.genai4j.io.hub.HubException (a {@link TensorException}) with a message fit for the user
     */
    static Path locate(String ref, HubOptions hub) {
        if (ref == null) return null;
        if (!isHub(ref)) return Path.of(ref);
        HubModelId id = HubModelId.parse(ref);
        HubOptions o = hub != null ? hub : new HubOptions();
        try (HubClient client = new HubClient(o.config())) {
            return client.snapshot(id, FileSelection.defaults(), new ConsoleDownloadProgress(System.err, o.quiet || Logging.quiet()));
        }
    }

    /**
     * {@link #locate(String, HubOptions)} for a {@code Path}-typed option (picocli keeps {@code hf:org/name} as a relative path).
     * It never returns null for a non-null {@code ref}: a hub failure throws and reaches {@link Main#report}, which prints
     * "{@code COMMAND: message}" and exits with the code for its class ({@link ExitCodes}: not cached 4, unreachable 1 …).
     */
    static Path locate(Path ref, HubOptions hub) { return ref == null ? null : locate(ref.toString(), hub); }
}
