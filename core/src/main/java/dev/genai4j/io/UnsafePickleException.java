package dev.genai4j.io;

/**
 * A checkpoint's pickle asks for something that would run code when PyTorch loads it: a global
 * outside the state-dict allow-list (e.g. {@code os.system}, {@code builtins.eval}) or an opcode
 * that instantiates arbitrary classes ({@code INST}, {@code OBJ}, {@code NEWOBJ} …). It is refused
 * when it is read, before anything could be called: genai4j never executes anything from a file.
 */
public class UnsafePickleException extends TorchCheckpointException {
    public UnsafePickleException(String message) { super(message); }
}
