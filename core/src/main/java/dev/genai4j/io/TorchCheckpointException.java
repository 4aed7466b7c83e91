package dev.genai4j.io;

/**
 * A PyTorch checkpoint ({@code pytorch_model.bin}, {@code model.pt}) cannot be read: its zip
 * archive is truncated or malformed, its {@code data.pkl} uses an opcode or value a state dict
 * never needs, or a tensor points outside its storage. The message names the file, the entry
 * or byte offset, what was expected and what was found. Nothing from such a file is used.
 */
public class TorchCheckpointException extends CheckpointException {
    public TorchCheckpointException(String message) { super(message); }
    public TorchCheckpointException(String message, Throwable cause) { super(message, cause); }
}
