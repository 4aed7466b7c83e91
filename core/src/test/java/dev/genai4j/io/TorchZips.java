package dev.genai4j.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** Test helpers: torch.save-shaped zips and pickles built by hand, to break them on purpose. */
final class TorchZips {
    private TorchZips() {}

    /** The entries of a zip file, in order. (torch.save marks stored entries as having data descriptors, which ZipInputStream rejects.) */
    static Map<String, byte[]> entries(Path zip) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (ZipEntry e : java.util.Collections.list(z.entries())) {
                try (var in = z.getInputStream(e)) {
                    out.put(e.getName(), in.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** A zip of {@code entries}, stored (as torch.save writes) or deflated. */
    static byte[] zip(Map<String, byte[]> entries, boolean stored) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry z = new ZipEntry(e.getKey());
                if (stored) {
                    CRC32 crc = new CRC32();
                    crc.update(e.getValue());
                    z.setMethod(ZipEntry.STORED);
                    z.setSize(e.getValue().length);
                    z.setCompressedSize(e.getValue().length);
                    z.setCrc(crc.getValue());
                } else {
                    z.setMethod(ZipEntry.DEFLATED);
                }
                out.putNextEntry(z);
                out.write(e.getValue());
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A checkpoint zip {@code archive/data.pkl} + {@code archive/version} + the given storages {@code archive/data/<key>}. */
    static byte[] checkpoint(byte[] pickle, Map<String, byte[]> storages) {
        Map<String, byte[]> e = new LinkedHashMap<>();
        e.put("archive/data.pkl", pickle);
        storages.forEach((k, v) -> e.put("archive/data/" + k, v));
        e.put("archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        return zip(e, true);
    }

    /** Writes pickle opcodes by hand. */
    static final class Pickle {
        private final ByteArrayOutputStream b = new ByteArrayOutputStream();

        Pickle() { this(2); }

        /** Starts with PROTO {@code protocol}. */
        Pickle(int protocol) { op(0x80, protocol); }

        Pickle op(int... bytes) {
            for (int x : bytes) b.write(x);
            return this;
        }

        /** Bytes as they are (ASCII). */
        Pickle raw(String ascii) {
            b.writeBytes(ascii.getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        /** GLOBAL module\nname\n */
        Pickle global(String module, String name) {
            op('c');
            b.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
            return this;
        }

        /** BINUNICODE */
        Pickle str(String s) {
            byte[] u = s.getBytes(StandardCharsets.UTF_8);
            op('X', u.length & 0xFF, (u.length >> 8) & 0xFF, (u.length >> 16) & 0xFF, u.length >>> 24);
            b.writeBytes(u);
            return this;
        }

        /** BININT */
        Pickle integer(int v) { return op('J', v & 0xFF, (v >> 8) & 0xFF, (v >> 16) & 0xFF, v >>> 24); }

        /** A tuple of ints (MARK … TUPLE). */
        Pickle ints(int... v) {
            op('(');
            for (int x : v) integer(x);
            return op('t');
        }

        /** {@code OrderedDict()} */
        Pickle orderedDict() { return global("collections", "OrderedDict").op(')', 'R'); }

        /** {@code _rebuild_tensor_v2(('storage', torch.<type>, key, 'cpu', numel), offset, size, stride, False, OrderedDict())} */
        Pickle tensor(String storageType, String key, int numel, int offset, int[] size, int[] stride) {
            global("torch._utils", "_rebuild_tensor_v2");
            op('(');
            op('(').str("storage").global("torch", storageType).str(key).str("cpu").integer(numel).op('t', 'Q');
            integer(offset).ints(size).ints(stride).op(0x89);
            orderedDict();
            return op('t', 'R');
        }

        byte[] bytes() { return b.toByteArray(); }

        /** Appends STOP and returns the pickle. */
        byte[] stop() { return op('.').bytes(); }
    }
}
