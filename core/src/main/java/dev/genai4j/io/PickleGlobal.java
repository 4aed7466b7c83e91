package dev.genai4j.io;

/**
 * The callables a state-dict pickle may name with {@code GLOBAL}: the whole allow-list of
 * {@link RestrictedUnpickler} besides the {@link TorchStorageType storage classes}. Each is
 * implemented in Java by the unpickler; nothing named in a file is ever looked up or called.
 */
enum PickleGlobal {
    /** The state dict itself (and {@code _metadata}, and the empty backward-hooks dict). */
    ORDERED_DICT("collections", "OrderedDict"),
    /** {@code (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])} */
    REBUILD_TENSOR_V2("torch._utils", "_rebuild_tensor_v2"),
    /** {@code (storage, storage_offset, size, stride)}, older writers. */
    REBUILD_TENSOR("torch._utils", "_rebuild_tensor"),
    /** {@code (tensor, requires_grad, backward_hooks)}: an {@code nn.Parameter}, read as its tensor. */
    REBUILD_PARAMETER("torch._utils", "_rebuild_parameter"),
    /** {@code (tensor, requires_grad, backward_hooks, state)}. */
    REBUILD_PARAMETER_WITH_STATE("torch._utils", "_rebuild_parameter_with_state"),
    /** {@code (str, 'latin1')}: how protocol 2 pickles {@code bytes} (e.g. in {@code _extra_state}). */
    CODECS_ENCODE("_codecs", "encode"),
    /** {@code (tuple,)}: a shape. */
    TORCH_SIZE("torch", "Size");

    private final String module;
    private final String name;

    PickleGlobal(String module, String name) {
        this.module = module;
        this.name = name;
    }

    /** The allowed global {@code module.name}, or {@code null}. */
    static PickleGlobal find(String module, String name) {
        for (PickleGlobal g : values()) if (g.module.equals(module) && g.name.equals(name)) return g;
        return null;
    }

    @Override
    public String toString() { return module + "." + name; }
}
