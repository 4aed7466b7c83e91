package dev.genai4j.io;

import dev.genai4j.tensor.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One opened file of named tensors, of either format {@link SafetensorsWeights} combines:
 * safetensors or a PyTorch {@code torch.save} zip. Closing it unmaps the file.
 */
sealed interface WeightsFile extends AutoCloseable permits SafetensorsFile, TorchCheckpointFile {
    Path path();

    /** All tensors by name, sorted by name. */
    Map<String, Tensor> tensors();

    boolean has(String name);

    @Override
    void close();

    /**
     * Opens {@code file} in the format its bytes show: a zip ({@code PK\3\4}) or a raw pickle
     * (a pre-1.6 {@code torch.save}, refused with advice) is a PyTorch checkpoint, anything else
     * safetensors. A {@code .safetensors} name is always read as safetensors.
     */
    static WeightsFile open(Path file) {
        if (file.getFileName() != null && file.getFileName().toString().endsWith(".safetensors")) return SafetensorsFile.open(file);
        byte[] head = new byte[4];
        int n = 0;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, 4);
        } catch (IOException e) {
            // SafetensorsFile.open reports the missing or unreadable file with its own message
        }
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) return TorchCheckpointFile.open(file);
        if (n >= 2 && (head[0] & 0xFF) == 0x80 && head[1] >= 2 && head[1] <= 5) {
            throw new TorchCheckpointException("PyTorch checkpoint " + file + " is in the legacy (pre-1.6) torch.save format, which genai4j "
                    + "does not read; re-save it with torch >= 1.6 (torch.save(torch.load(f), f)) or convert it to safetensors");
        }
        return SafetensorsFile.open(file);
    }
}
