package dev.genai4j.io;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The zip container of a {@code torch.save} file, memory-mapped. {@code torch.save} writes its
 * entries STORED and 64-byte aligned, so a tensor's bytes are a slice of the mapping and nothing is
 * copied; a DEFLATED entry (a re-zipped file) is inflated when it is asked for.
 * {@link java.util.zip.ZipFile} cannot tell where an entry's bytes start in the file, which mapping
 * needs, so the central directory (ZIP64 included) is read here; {@link Inflater} and {@link CRC32}
 * come from {@code java.util.zip}.
 *
 * <pre>{@code
 * try (Arena arena = Arena.ofShared()) {
 *     TorchZipFile zip = TorchZipFile.open(Path.of("pytorch_model.bin"), arena);
 *     MemorySegment pickle = zip.read(zip.archiveName() + "/data.pkl", true);   // CRC-checked
 * }
 * }</pre>
 */
final class TorchZipFile {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int LOCAL_SIG = 0x04034b50, CENTRAL_SIG = 0x02014b50, END_SIG = 0x06054b50;
    private static final int ZIP64_END_SIG = 0x06064b50, ZIP64_LOCATOR_SIG = 0x07064b50;
    private static final int STORED = 0, DEFLATED = 8;
    /** Deflate cannot expand data by more than about 1032:1; a larger claim is a corrupt or hostile size. */
    private static final long MAX_DEFLATE_RATIO = 1100;

    /** One entry of the central directory. */
    record Entry(String name, int method, long compressedSize, long size, long crc, long localHeaderOffset) {}

    private final Path path;
    private final Arena arena;
    private final MemorySegment file;
    private final Map<String, Entry> entries;
    private final String archiveName;

    private TorchZipFile(Path path, Arena arena, MemorySegment file, Map<String, Entry> entries, String archiveName) {
        this.path = path;
        this.arena = arena;
        this.file = file;
        this.entries = entries;
        this.archiveName = archiveName;
    }

    /**
     * Maps {@code path} into {@code arena} (closing the arena unmaps it) and reads its central directory.
     *
     * @throws TorchCheckpointException when the file is not a readable zip or holds no {@code <archive>/data.pkl}
     */
    static TorchZipFile open(Path path, Arena arena) {
        MemorySegment file;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            file = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
        } catch (NoSuchFileException e) {
            throw new CheckpointException("PyTorch checkpoint " + path + " does not exist", e);
        } catch (IOException e) {
            throw new CheckpointException("cannot read PyTorch checkpoint " + path + ": " + e, e);
        }
        Map<String, Entry> entries = readCentralDirectory(file, path);
        String archive = null;
        for (String name : entries.keySet()) {
            int slash = name.indexOf('/');
            if (slash > 0 && name.substring(slash + 1).equals("data.pkl")) {
                if (archive != null) {
                    throw new TorchCheckpointException("PyTorch checkpoint " + path + " holds two pickles, " + archive
                            + "/data.pkl and " + name + "; expected exactly one <archive>/data.pkl");
                }
                archive = name.substring(0, slash);
            }
        }
        if (archive == null) {
            throw new TorchCheckpointException("PyTorch checkpoint " + path + " is a zip without <archive>/data.pkl (it holds "
                    + entries.size() + " entries, e.g. " + entries.keySet().stream().limit(4).toList()
                    + "); expected a torch.save file (a TorchScript or other zip is not a state dict)");
        }
        return new TorchZipFile(path, arena, file, entries, archive);
    }

    Path path() { return path; }

    /** The top folder of every entry ({@code archive}, or the file's stem for older writers). */
    String archiveName() { return archiveName; }

    Set<String> names() { return entries.keySet(); }

    boolean has(String name) { return entries.containsKey(name); }

    /** Uncompressed size of {@code name}, or -1 when there is no such entry. */
    long size(String name) {
        Entry e = entries.get(name);
        return e == null ? -1 : e.size();
    }

    /**
     * The bytes of entry {@code name}: a slice of the mapping when STORED, else inflated into the arena.
     * With {@code checkCrc} the bytes are checked against the directory's CRC-32 (which reads them all).
     */
    MemorySegment read(String name, boolean checkCrc) {
        Entry e = entries.get(name);
        if (e == null) throw new TorchCheckpointException("PyTorch checkpoint " + path + " has no entry " + name);
        long local = e.localHeaderOffset();
        if (local > file.byteSize() - 30 || file.get(U32, local) != LOCAL_SIG) {
            throw new TorchCheckpointException("PyTorch checkpoint " + path + ": entry " + name + " has no local header at offset "
                    + local + " (file of " + file.byteSize() + " bytes; truncated or corrupt zip)");
        }
        long dataStart = local + 30 + u16(local + 26) + u16(local + 28);
        if (dataStart > file.byteSize() - e.compressedSize()) {
            throw new TorchCheckpointException("PyTorch checkpoint " + path + ": entry " + name + " needs bytes " + dataStart + ".."
                    + (dataStart + e.compressedSize()) + ", past the end of the " + file.byteSize() + "-byte file (truncated?)");
        }
        MemorySegment raw = file.asSlice(dataStart, e.compressedSize());
        MemorySegment bytes = e.method() == STORED ? raw : inflate(raw, e);
        if (checkCrc) {
            if (bytes.byteSize() > Integer.MAX_VALUE) {
                throw new TorchCheckpointException("PyTorch checkpoint " + path + ": entry " + name + " is " + bytes.byteSize()
                        + " bytes; expected a pickle under 2 GiB");
            }
            CRC32 crc = new CRC32();
            crc.update(bytes.asByteBuffer());
            if (crc.getValue() != e.crc()) {
                throw new TorchCheckpointException("PyTorch checkpoint " + path + ": entry " + name + " has CRC-32 "
                        + Long.toHexString(crc.getValue()) + ", the zip directory says " + Long.toHexString(e.crc()) + " (corrupt file)");
            }
        }
        return bytes;
    }

    private MemorySegment inflate(MemorySegment raw, Entry e) {
        if (e.size() > Integer.MAX_VALUE || e.compressedSize() > Integer.MAX_VALUE) {
            throw new TorchCheckpointException("PyTorch checkpoint " + path + ": deflated entry " + e.name() + " of " + e.size()
                    + " bytes is too large; re-save it uncompressed with torch.save");
        }
        if (e.size() > e.compressedSize() * MAX_DEFLATE_RATIO + 1024) {
            throw new TorchCheckpointException("PyTorch checkpoint " + path + ": entry " + e.name() + " claims " + e.size()
                    + " bytes from " + e.compressedSize() + " compressed; deflate cannot expand that much (corrupt sizes)");
        }
        MemorySegment out = arena.allocate(Math.max(1, e.size())).asSlice(0, e.size());
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(raw.asByteBuffer());
            ByteBuffer target = out.asByteBuffer();
            while (target.hasRemaining() && !inflater.finished()) {
                if (inflater.inflate(target) == 0 && (inflater.needsInput() || inflater.needsDictionary())) break;
            }
            if (target.hasRemaining() || !inflater.finished()) {
                throw new TorchCheckpointException("PyTorch checkpoint " + path + ": entry " + e.name() + " inflates to "
                        + (e.size() - target.remaining()) + (inflater.finished() ? "" : "+") + " bytes, the zip directory says " + e.size());
            }
        } catch (DataFormatException x) {
            throw new TorchCheckpointException("PyTorch checkpoint " + path + ": entry " + e.name() + " is not valid deflate data: " + x.getMessage(), x);
        } finally {
            inflater.end();
        }
        return out;
    }

    private long u16(long at) { return file.get(U16, at) & 0xFFFFL; }

    // ------------------------------------------------------------------ central directory

    private static Map<String, Entry> readCentralDirectory(MemorySegment f, Path path) {
        long size = f.byteSize();
        long end = -1;
        for (long at = size - 22; at >= Math.max(0, size - 22 - 0xFFFF); at--) {
            if (f.get(U32, at) == END_SIG) { end = at; break; }
        }
        if (end < 0) {
            String what = size >= 4 && f.get(U32, 0) == LOCAL_SIG ? "a zip whose end (central directory) is missing: truncated?"
                    : size >= 2 && (f.get(ValueLayout.JAVA_BYTE, 0) & 0xFF) == 0x80 ? "a raw pickle: the legacy (pre-1.6) torch.save format, "
                    + "which genai4j does not read (re-save it with torch >= 1.6 or convert it to safetensors)" : "not a zip file";
            throw new TorchCheckpointException("PyTorch checkpoint " + path + " (" + size + " bytes) is " + what
                    + "; expected a torch.save zip archive");
        }
        long count = f.get(U16, end + 10) & 0xFFFFL;
        long dirSize = f.get(U32, end + 12) & 0xFFFFFFFFL;
        long dirOffset = f.get(U32, end + 16) & 0xFFFFFFFFL;
        if (count == 0xFFFF || dirSize == 0xFFFFFFFFL || dirOffset == 0xFFFFFFFFL) {
            long locator = end - 20;
            if (locator < 0 || f.get(U32, locator) != ZIP64_LOCATOR_SIG) throw corrupt(path, "ZIP64 sizes without a ZIP64 locator");
            long end64 = f.get(U64, locator + 8);
            if (end64 < 0 || end64 > size - 56 || f.get(U32, end64) != ZIP64_END_SIG) throw corrupt(path, "ZIP64 end record missing");
            count = f.get(U64, end64 + 32);
            dirSize = f.get(U64, end64 + 40);
            dirOffset = f.get(U64, end64 + 48);
        }
        if (count < 0 || dirSize < 0 || dirOffset < 0 || dirOffset > end || dirSize > end - dirOffset || count > dirSize / 46) {
            throw corrupt(path, "central directory of " + count + " entries at " + dirOffset + " (" + dirSize
                    + " bytes) does not fit before its end record at " + end);
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        long at = dirOffset, limit = dirOffset + dirSize;
        for (long i = 0; i < count; i++) {
            if (at > limit - 46 || f.get(U32, at) != CENTRAL_SIG) throw corrupt(path, "central directory entry " + i + " at " + at + " is damaged");
            int flags = f.get(U16, at + 8) & 0xFFFF;
            int method = f.get(U16, at + 10) & 0xFFFF;
            long crc = f.get(U32, at + 16) & 0xFFFFFFFFL;
            long csize = f.get(U32, at + 20) & 0xFFFFFFFFL;
            long usize = f.get(U32, at + 24) & 0xFFFFFFFFL;
            int nameLen = f.get(U16, at + 28) & 0xFFFF, extraLen = f.get(U16, at + 30) & 0xFFFF, commentLen = f.get(U16, at + 32) & 0xFFFF;
            long local = f.get(U32, at + 42) & 0xFFFFFFFFL;
            long next = at + 46 + nameLen + extraLen + commentLen;
            if (next > limit) throw corrupt(path, "central directory entry " + i + " runs past the directory");
            String name = new String(f.asSlice(at + 46, nameLen).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
            // ZIP64 extra field: the 64-bit values of exactly the fields saturated above, in this order
            long x = at + 46 + nameLen, xEnd = x + extraLen;
            while (x <= xEnd - 4) {
                int id = f.get(U16, x) & 0xFFFF, len = f.get(U16, x + 2) & 0xFFFF;
                if (x + 4 + len > xEnd) break;
                if (id == 0x0001) {
                    long p = x + 4, pEnd = p + len;
                    if (usize == 0xFFFFFFFFL && p + 8 <= pEnd) { usize = f.get(U64, p); p += 8; }
                    if (csize == 0xFFFFFFFFL && p + 8 <= pEnd) { csize = f.get(U64, p); p += 8; }
                    if (local == 0xFFFFFFFFL && p + 8 <= pEnd) { local = f.get(U64, p); }
                }
                x += 4 + len;
            }
            if ((flags & 1) != 0) throw new TorchCheckpointException("PyTorch checkpoint " + path + ": entry " + name + " is encrypted");
            if (method != STORED && method != DEFLATED) {
                throw new TorchCheckpointException("PyTorch checkpoint " + path + ": entry " + name + " uses zip method " + method
                        + "; expected 0 (stored, as torch.save writes) or 8 (deflated)");
            }
            if (usize < 0 || csize < 0 || local < 0 || local >= size || (method == STORED && usize != csize)) {
                throw corrupt(path, "entry " + name + " has sizes " + csize + "/" + usize + " at offset " + local);
            }
            if (entries.putIfAbsent(name, new Entry(name, method, csize, usize, crc, local)) != null) {
                throw corrupt(path, "entry " + name + " appears twice");
            }
            at = next;
        }
        return Collections.unmodifiableMap(entries);
    }

    private static TorchCheckpointException corrupt(Path path, String what) {
        return new TorchCheckpointException("PyTorch checkpoint " + path + " is a corrupt zip: " + what);
    }
}
