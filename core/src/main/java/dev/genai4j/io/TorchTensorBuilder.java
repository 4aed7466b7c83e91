package dev.genai4j.io;

import dev.genai4j.tensor.DType;
import dev.genai4j.tensor.SegmentStorage;
import dev.genai4j.tensor.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns the storages and {@code _rebuild_tensor_v2} calls of a {@code torch.save} pickle into
 * tensors over the zip's mapping. A contiguous tensor is a slice of its storage entry, as a
 * safetensors tensor is of its file: nothing is copied. A strided view (a transposed weight, a
 * slice of a shared storage) is gathered into a fresh contiguous copy, which is never larger than
 * its storage; a view that covers more elements than its storage (stride 0) stays a strided view.
 * float64 and int16 storages, and every storage of a big-endian file, are converted once into
 * memory of the owning arena.
 */
final class TorchTensorBuilder implements RestrictedUnpickler.Tensors {
    /** A storage entry {@code <archive>/data/<key>} as genai4j holds it. */
    record TorchStorage(TorchStorageType type, String key, long numel, SegmentStorage data) {}

    private static final long ALIGN = 64;

    private final TorchZipFile zip;
    private final Arena arena;
    private final boolean bigEndian;
    private final Map<String, TorchStorage> storages = new HashMap<>();

    TorchTensorBuilder(TorchZipFile zip, Arena arena, boolean bigEndian) {
        this.zip = zip;
        this.arena = arena;
        this.bigEndian = bigEndian;
    }

    /** {@code location} ('cpu', 'cuda:0' …) is ignored: everything is read into host memory, as {@code map_location='cpu'} does. */
    @Override
    public Object storage(TorchStorageType type, String key, String location, long numel) {
        TorchStorage seen = storages.get(key);
        if (seen != null) {
            if (seen.type() != type || seen.numel() != numel) {
                throw fail("storage '" + key + "' is named twice, as " + seen.type() + " of " + seen.numel() + " and as " + type + " of " + numel);
            }
            return seen;
        }
        String entry = zip.archiveName() + "/data/" + key;
        long size = zip.size(entry);
        if (size < 0) {
            throw fail("the pickle refers to storage '" + key + "' (" + type + ", " + numel + " elements), but the zip has no entry "
                    + entry + " (truncated or incomplete checkpoint?)");
        }
        long bytes = numel > Long.MAX_VALUE / type.elementBytes() ? -1 : numel * type.elementBytes();
        if (bytes < 0 || bytes > size) {
            throw fail("storage entry " + entry + " is " + size + " bytes; the pickle says it holds " + numel + " " + type
                    + " elements (" + (bytes < 0 ? "too many" : bytes + " bytes") + ")");
        }
        MemorySegment raw = zip.read(entry, false).asSlice(0, bytes);
        SegmentStorage data = type.converts() || (bigEndian && type.elementBytes() > 1) ? convert(raw, type, numel)
                : new SegmentStorage(raw, type.dtype(), false);
        TorchStorage s = new TorchStorage(type, key, numel, data);
        storages.put(key, s);
        return s;
    }

    @Override
    public Tensor tensor(Object storageObject, long offset, long[] size, long[] stride) {
        if (!(storageObject instanceof TorchStorage s)) {
            throw fail("a tensor is rebuilt from " + RestrictedUnpickler.describe(storageObject) + "; expected a storage from a persistent id");
        }
        String what = "tensor of size " + Arrays.toString(size) + " stride " + Arrays.toString(stride) + " at offset " + offset
                + " of storage '" + s.key() + "' (" + s.numel() + " elements)";
        long numel = 1, last = offset;
        int[] shape = new int[size.length];
        for (int i = 0; i < size.length; i++) {
            if (size[i] < 0 || size[i] > Integer.MAX_VALUE || stride[i] < 0) throw fail(what + ": negative or oversized dimension");
            shape[i] = (int) size[i];
            numel = size[i] == 0 || numel == 0 ? 0 : (numel > Integer.MAX_VALUE / size[i] ? Long.MAX_VALUE : numel * size[i]);
        }
        if (numel > Integer.MAX_VALUE) throw fail(what + ": more than 2^31 - 1 elements");
        DType dtype = s.data().dtype();
        if (numel == 0) return Tensor.wrap(new SegmentStorage(MemorySegment.ofArray(new byte[0]), dtype, false), shape);
        if (offset < 0 || offset >= s.numel()) throw fail(what + ": the offset lies outside its storage");
        for (int i = 0; i < size.length; i++) {
            if (size[i] < 2 || stride[i] == 0) continue;
            long room = s.numel() - 1 - last;   // ≥ 0; dividing keeps the check free of overflow
            if (size[i] - 1 > room / stride[i]) throw fail(what + ": reaches past the end of its storage");
            last += (size[i] - 1) * stride[i];
        }
        int es = dtype.byteSize();
        MemorySegment data = s.data().segment();
        if (isContiguous(size, stride)) {
            return Tensor.wrap(new SegmentStorage(data.asSlice(offset * es, numel * es), dtype, false), shape);
        }
        if (numel <= s.numel()) {
            return Tensor.wrap(new SegmentStorage(gather(data, es, offset, size, stride, numel), dtype, false), shape);
        }
        // a broadcast (stride-0) view larger than its storage: materializing could multiply memory, so keep the view
        int[] strides = new int[stride.length];
        for (int i = 0; i < stride.length; i++) {
            if (size[i] > 1 && stride[i] > Integer.MAX_VALUE) throw fail(what + ": a broadcast view with a stride beyond 2^31 - 1");
            strides[i] = size[i] > 1 ? (int) stride[i] : 0;
        }
        if (offset > Integer.MAX_VALUE) throw fail(what + ": a broadcast view at an offset beyond 2^31 - 1 elements");
        return new Tensor(s.data(), shape, strides, (int) offset);
    }

    /** torch's rule: strides are row-major, ignoring dimensions of size 1. */
    private static boolean isContiguous(long[] size, long[] stride) {
        long expected = 1;
        for (int i = size.length - 1; i >= 0; i--) {
            if (size[i] != 1 && stride[i] != expected) return false;
            expected *= size[i];
        }
        return true;
    }

    /** The elements of a strided view in row-major order; rows whose last stride is 1 are copied whole. */
    private MemorySegment gather(MemorySegment src, int es, long offset, long[] size, long[] stride, long numel) {
        MemorySegment out = arena.allocate(numel * es, ALIGN);
        int rank = size.length;
        long row = rank == 0 ? 1 : size[rank - 1];
        boolean rowContiguous = rank == 0 || stride[rank - 1] == 1;
        long[] index = new long[Math.max(rank - 1, 0)];
        long dst = 0;
        while (dst < numel) {
            long base = offset;
            for (int i = 0; i < index.length; i++) base += index[i] * stride[i];
            if (rowContiguous) {
                MemorySegment.copy(src, base * es, out, dst * es, row * es);
            } else {
                for (long j = 0; j < row; j++) MemorySegment.copy(src, (base + j * stride[rank - 1]) * es, out, (dst + j) * es, es);
            }
            dst += row;
            for (int i = index.length - 1; i >= 0; i--) {   // odometer over the leading dimensions
                if (++index[i] < size[i]) break;
                index[i] = 0;
            }
        }
        return out;
    }

    /** float64 → F32, int16 → I32, and big-endian → little-endian, into the arena. */
    private MemorySegment convertBytes(MemorySegment raw, TorchStorageType type, long numel) {
        ByteOrder order = bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        ValueLayout.OfFloat f32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        ValueLayout.OfInt i32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        int outBytes = type.dtype().byteSize();
        MemorySegment out = arena.allocate(Math.max(1, numel * outBytes), ALIGN).asSlice(0, numel * outBytes);
        switch (type) {
            case DOUBLE -> {
                ValueLayout.OfDouble in = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(order);
                for (long i = 0; i < numel; i++) out.setAtIndex(f32, i, (float) raw.getAtIndex(in, i));
            }
            case SHORT -> {
                ValueLayout.OfShort in = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(order);
                for (long i = 0; i < numel; i++) out.setAtIndex(i32, i, raw.getAtIndex(in, i));
            }
            default -> {   // same width, other byte order
                switch (outBytes) {
                    case 2 -> {
                        ValueLayout.OfShort in = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(order), le = in.withOrder(ByteOrder.LITTLE_ENDIAN);
                        for (long i = 0; i < numel; i++) out.setAtIndex(le, i, raw.getAtIndex(in, i));
                    }
                    case 4 -> {
                        ValueLayout.OfInt in = ValueLayout.JAVA_INT_UNALIGNED.withOrder(order), le = in.withOrder(ByteOrder.LITTLE_ENDIAN);
                        for (long i = 0; i < numel; i++) out.setAtIndex(le, i, raw.getAtIndex(in, i));
                    }
                    case 8 -> {
                        ValueLayout.OfLong in = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(order), le = in.withOrder(ByteOrder.LITTLE_ENDIAN);
                        for (long i = 0; i < numel; i++) out.setAtIndex(le, i, raw.getAtIndex(in, i));
                    }
                    default -> MemorySegment.copy(raw, 0, out, 0, numel);
                }
            }
        }
        return out;
    }

    private SegmentStorage convert(MemorySegment raw, TorchStorageType type, long numel) {
        return new SegmentStorage(convertBytes(raw, type, numel), type.dtype(), false);
    }

    private TorchCheckpointException fail(String what) {
        return new TorchCheckpointException("PyTorch checkpoint " + zip.path() + ": " + what);
    }
}
