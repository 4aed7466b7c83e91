package dev.genai4j.io;

import dev.genai4j.tensor.Tensor;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the pickle of a {@code torch.save} state dict ({@code data.pkl}) without Python and
 * without running anything. Only the opcodes a state dict needs are understood, and
 * {@code GLOBAL} accepts only the allow-list ({@link PickleGlobal}, {@code torch.*Storage}); each
 * allowed callable is implemented here in Java. Any other global is refused with an
 * {@link UnsafePickleException} the moment it is read — so {@code os.system},
 * {@code builtins.eval} and the like are never even looked up — and an unknown opcode fails with
 * its byte and offset. Work is linear in the pickle's length: every opcode consumes input.
 *
 * <p>Python values become: {@code None} → {@code null}, bool → {@link Boolean}, int → {@link Long},
 * float → {@link Double}, str → {@link String}, bytes → {@code byte[]}, tuple → {@link Tuple},
 * list → {@link ArrayList}, dict / OrderedDict → {@link LinkedHashMap} (keys: str, int, float,
 * bool or None), tensors → {@link Tensor} (built by a {@link Tensors} callback).
 *
 * <pre>{@code
 * Object root = RestrictedUnpickler.load(pickleBytes, "model.pt/archive/data.pkl", tensors);
 * Map<?, ?> stateDict = (Map<?, ?>) root;
 * }</pre>
 */
final class RestrictedUnpickler {
    /** The storage and tensor side of unpickling, supplied by the checkpoint reader. */
    interface Tensors {
        /** A persistent id {@code ('storage', type, key, location, numel)}: the storage of entry {@code data/<key>}. */
        Object storage(TorchStorageType type, String key, String location, long numel);

        /** {@code _rebuild_tensor_v2}: a tensor of {@code size} / {@code stride} at element {@code offset} of {@code storage}. */
        Tensor tensor(Object storage, long offset, long[] size, long[] stride);
    }

    /** A Python tuple. Equality is identity: tuples are never dict keys here, so hostile nesting cannot make hashing recurse. */
    static final class Tuple {
        private final Object[] items;

        Tuple(Object... items) { this.items = items; }

        int size() { return items.length; }

        Object get(int i) { return items[i]; }
    }

    private static final Object MARK = new Object() {
        @Override public String toString() { return "MARK"; }
    };

    private final byte[] in;
    private final String source;
    private final Tensors tensors;
    private final List<Object> stack = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private int pos;
    private int opStart;

    private RestrictedUnpickler(byte[] in, String source, Tensors tensors) {
        this.in = in;
        this.source = source;
        this.tensors = tensors;
    }

    /**
     * The value the pickle builds.
     *
     * @param source names the pickle in messages, e.g. {@code pytorch_model.bin/archive/data.pkl}
     * @throws UnsafePickleException    for a global outside the allow-list or an object-creating opcode
     * @throws TorchCheckpointException for anything else a state dict pickle never holds, or a truncated pickle
     */
    static Object load(byte[] pickle, String source, Tensors tensors) {
        return new RestrictedUnpickler(pickle, source, tensors).run();
    }

    private Object run() {
        while (true) {
            opStart = pos;
            int op = u8();
            switch (op) {
                case 0x80 -> {   // PROTO
                    int proto = u8();
                    if (proto < 2 || proto > 5) throw bad("pickle protocol " + proto + "; expected 2..5 (torch.save writes 2)");
                }
                case 0x95 -> skip(8);                                  // FRAME: a length hint; opcodes follow inline
                case '.' -> {                                          // STOP
                    Object result = pop();
                    if (result == MARK) throw bad("STOP with a MARK on top of the stack");
                    return result;
                }
                case '}' -> push(new LinkedHashMap<>());               // EMPTY_DICT
                case ']' -> push(new ArrayList<>());                   // EMPTY_LIST
                case ')' -> push(new Tuple());                         // EMPTY_TUPLE
                case '(' -> push(MARK);                                // MARK
                case 0x85 -> push(new Tuple(pop()));                   // TUPLE1
                case 0x86 -> { Object b = pop(), a = pop(); push(new Tuple(a, b)); }
                case 0x87 -> { Object c = pop(), b = pop(), a = pop(); push(new Tuple(a, b, c)); }
                case 't' -> push(new Tuple(popToMark().toArray()));   // TUPLE
                case 'l' -> push(new ArrayList<>(popToMark()));       // LIST
                case 'd' -> { Map<Object, Object> d = new LinkedHashMap<>(); putPairs(d, popToMark()); push(d); }   // DICT
                case '0' -> pop();                                      // POP
                case '1' -> popToMark();                                // POP_MARK
                case 'J' -> push((long) i32());                         // BININT
                case 'K' -> push((long) u8());                          // BININT1
                case 'M' -> push((long) u16());                         // BININT2
                case 0x8a -> push(long1());                             // LONG1
                case 'G' -> push(Double.longBitsToDouble(i64be()));    // BINFLOAT (big-endian)
                case 0x88 -> push(Boolean.TRUE);                        // NEWTRUE
                case 0x89 -> push(Boolean.FALSE);                       // NEWFALSE
                case 'N' -> push(null);                                 // NONE
                case 'X' -> push(utf8(length(u32())));                  // BINUNICODE
                case 0x8c -> push(utf8(u8()));                          // SHORT_BINUNICODE
                case 0x8d -> push(utf8(length(i64le())));               // BINUNICODE8
                case 'B' -> push(bytes(length(u32())));                 // BINBYTES
                case 'C' -> push(bytes(u8()));                          // SHORT_BINBYTES
                case 0x8e -> push(bytes(length(i64le())));              // BINBYTES8
                case 'q' -> memo.put((long) u8(), peek());              // BINPUT
                case 'r' -> memo.put(u32(), peek());                    // LONG_BINPUT
                case 0x94 -> memo.put((long) memo.size(), peek());     // MEMOIZE
                case 'h' -> push(memoGet(u8()));                        // BINGET
                case 'j' -> push(memoGet(u32()));                       // LONG_BINGET
                case 'c' -> push(global(line(), line()));               // GLOBAL
                case 0x93 -> {                                          // STACK_GLOBAL
                    Object name = pop(), module = pop();
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw bad("STACK_GLOBAL needs two strings, found " + describe(module) + " and " + describe(name));
                    }
                    push(global(m, n));
                }
                case 'R' -> { Object args = pop(), callable = pop(); push(reduce(callable, args)); }   // REDUCE
                case 'b' -> build(pop(), peek());                       // BUILD
                case 'Q' -> push(persistentLoad(pop()));                // BINPERSID
                case 's' -> { Object v = pop(), k = pop(); dict(peek(), "SETITEM").put(key(k), v); }
                case 'u' -> { List<Object> items = popToMark(); putPairs(dict(peek(), "SETITEMS"), items); }
                case 'a' -> { Object v = pop(); list(peek(), "APPEND").add(v); }
                case 'e' -> { List<Object> items = popToMark(); list(peek(), "APPENDS").addAll(items); }
                case 'i', 'o', 0x81, 0x92, 0x82, 0x83, 0x84 -> throw new UnsafePickleException(source + ": opcode " + opName(op)
                        + " at offset " + opStart + " would create an arbitrary Python object; a state dict never needs it."
                        + " Refused; nothing from the file was run");
                default -> throw bad("unknown or unsupported pickle opcode " + opName(op)
                        + "; a torch.save state dict does not use it (not a state dict, or a corrupt file)");
            }
        }
    }

    // ------------------------------------------------------------------ the allow-list

    private Object global(String module, String name) {
        PickleGlobal g = PickleGlobal.find(module, name);
        if (g != null) return g;
        if (module.equals("torch")) {
            TorchStorageType t = TorchStorageType.forClassName(name);
            if (t != null) return t;
            if (name.endsWith("Storage")) {
                throw new TorchCheckpointException(source + ": tensors stored as torch." + name + " are not supported; genai4j reads "
                        + "float32/16/64, bfloat16, int64/32/16/8, uint8 and bool storages");
            }
        }
        throw new UnsafePickleException(source + ": the pickle calls global '" + module + "." + name + "' (at offset " + opStart
                + "), which is not on the state-dict allow-list (collections.OrderedDict, torch._utils._rebuild_tensor_v2, "
                + "torch.*Storage, …). Refused; nothing from the file was run (loading a checkpoint never executes code from it)");
    }

    private Object reduce(Object callable, Object argsObject) {
        if (!(argsObject instanceof Tuple args)) throw bad("REDUCE needs an argument tuple, found " + describe(argsObject));
        if (callable instanceof TorchStorageType t) {
            throw new UnsafePickleException(source + ": the pickle calls " + t + "(...) at offset " + opStart
                    + "; storages may only appear in persistent ids. Refused; nothing from the file was run");
        }
        if (!(callable instanceof PickleGlobal g)) throw bad("REDUCE calls " + describe(callable) + ", which is not callable");
        return switch (g) {
            case ORDERED_DICT -> {
                Map<Object, Object> d = new LinkedHashMap<>();
                if (args.size() == 1 && args.get(0) instanceof List<?> pairs) {
                    for (Object p : pairs) {
                        if (!(p instanceof Tuple kv) || kv.size() != 2) throw bad("OrderedDict(...) needs (key, value) pairs, found " + describe(p));
                        d.put(key(kv.get(0)), kv.get(1));
                    }
                } else if (args.size() != 0) {
                    throw bad("OrderedDict takes () or a list of pairs, found " + args.size() + " arguments");
                }
                yield d;
            }
            case REBUILD_TENSOR_V2, REBUILD_TENSOR -> {
                int min = g == PickleGlobal.REBUILD_TENSOR ? 4 : 6, max = g == PickleGlobal.REBUILD_TENSOR ? 4 : 7;
                if (args.size() < min || args.size() > max) throw bad(g + " takes " + min + (max > min ? ".." + max : "") + " arguments, found " + args.size());
                long offset = integer(args.get(1), g + " storage_offset");
                long[] size = integers(args.get(2), g + " size");
                long[] stride = integers(args.get(3), g + " stride");
                if (size.length != stride.length) {
                    throw bad(g + ": size " + Arrays.toString(size) + " and stride " + Arrays.toString(stride) + " differ in rank");
                }
                yield tensors.tensor(args.get(0), offset, size, stride);
            }
            case REBUILD_PARAMETER, REBUILD_PARAMETER_WITH_STATE -> {
                int n = g == PickleGlobal.REBUILD_PARAMETER ? 3 : 4;
                if (args.size() != n || !(args.get(0) instanceof Tensor t)) {
                    throw bad(g + " takes (tensor, requires_grad, hooks" + (n == 4 ? ", state" : "") + "), found " + args.size()
                            + " arguments starting with " + (args.size() > 0 ? describe(args.get(0)) : "nothing"));
                }
                yield t;
            }
            case CODECS_ENCODE -> {
                if (args.size() != 2 || !(args.get(0) instanceof String s) || !(args.get(1) instanceof String enc)
                        || !(enc.equals("latin1") || enc.equals("latin-1"))) {
                    throw bad("_codecs.encode is accepted only as (str, 'latin1'), the way protocol 2 pickles bytes");
                }
                byte[] out = new byte[s.length()];
                for (int i = 0; i < out.length; i++) {
                    char ch = s.charAt(i);
                    if (ch > 0xFF) throw bad("_codecs.encode: character U+" + Integer.toHexString(ch) + " is not latin-1");
                    out[i] = (byte) ch;
                }
                yield out;
            }
            case TORCH_SIZE -> {
                if (args.size() == 0) yield new Tuple();
                if (args.size() != 1 || !(args.get(0) instanceof Tuple dims)) throw bad("torch.Size takes one tuple");
                integers(dims, "torch.Size");
                yield dims;
            }
        };
    }

    /** BUILD sets attributes; the only ones a state dict has are {@code _metadata} on its OrderedDicts, which we ignore. */
    private void build(Object state, Object target) {
        if (!(target instanceof Map<?, ?>)) {
            throw bad("BUILD on " + describe(target) + "; a state dict only sets attributes (_metadata) on OrderedDicts");
        }
        if (state != null && !(state instanceof Map<?, ?>) && !(state instanceof Tuple)) {
            throw bad("BUILD with state " + describe(state) + "; expected a dict of attributes");
        }
    }

    private Object persistentLoad(Object pid) {
        if (!(pid instanceof Tuple t) || t.size() != 5 || !"storage".equals(t.get(0))) {
            throw bad("persistent id " + describe(pid) + "; expected ('storage', storage_type, key, location, numel)");
        }
        if (!(t.get(1) instanceof TorchStorageType type)) throw bad("persistent id names storage type " + describe(t.get(1)));
        if (!(t.get(2) instanceof String key)) throw bad("persistent id has storage key " + describe(t.get(2)) + "; expected a string");
        if (!(t.get(3) instanceof String location)) throw bad("persistent id has location " + describe(t.get(3)) + "; expected a string");
        long numel = integer(t.get(4), "persistent id numel");
        if (numel < 0) throw bad("persistent id claims " + numel + " elements");
        return tensors.storage(type, key, location, numel);
    }

    // ------------------------------------------------------------------ containers

    private Map<Object, Object> dict(Object o, String op) {
        if (o instanceof Map<?, ?>) {
            @SuppressWarnings("unchecked") Map<Object, Object> m = (Map<Object, Object>) o;
            return m;
        }
        throw bad(op + " into " + describe(o) + "; expected a dict");
    }

    private List<Object> list(Object o, String op) {
        if (o instanceof ArrayList<?>) {
            @SuppressWarnings("unchecked") List<Object> l = (List<Object>) o;
            return l;
        }
        throw bad(op + " into " + describe(o) + "; expected a list");
    }

    private void putPairs(Map<Object, Object> d, List<Object> items) {
        if (items.size() % 2 != 0) throw bad("odd number of items (" + items.size() + ") for dict keys and values");
        for (int i = 0; i < items.size(); i += 2) d.put(key(items.get(i)), items.get(i + 1));
    }

    /** Dict keys are limited to scalars: their hashing cannot recurse or depend on the file. */
    private Object key(Object k) {
        if (k == null || k instanceof String || k instanceof Long || k instanceof Boolean || k instanceof Double) return k;
        throw bad("dict key " + describe(k) + "; expected str, int, float, bool or None");
    }

    private long integer(Object o, String what) {
        if (o instanceof Long l) return l;
        throw bad(what + " is " + describe(o) + "; expected an int");
    }

    private long[] integers(Object o, String what) {
        if (!(o instanceof Tuple t)) throw bad(what + " is " + describe(o) + "; expected a tuple of ints");
        long[] out = new long[t.size()];
        for (int i = 0; i < out.length; i++) out[i] = integer(t.get(i), what + "[" + i + "]");
        return out;
    }

    // ------------------------------------------------------------------ the stack

    private void push(Object o) { stack.add(o); }

    private Object pop() {
        if (stack.isEmpty()) throw bad("opcode " + opName(in[opStart] & 0xFF) + " pops an empty stack");
        Object o = stack.removeLast();
        if (o == MARK) throw bad("opcode " + opName(in[opStart] & 0xFF) + " pops a MARK where it needs a value");
        return o;
    }

    private Object peek() {
        if (stack.isEmpty() || stack.getLast() == MARK) throw bad("opcode " + opName(in[opStart] & 0xFF) + " needs a value on the stack");
        return stack.getLast();
    }

    private List<Object> popToMark() {
        for (int i = stack.size() - 1; i >= 0; i--) {
            if (stack.get(i) == MARK) {
                List<Object> items = new ArrayList<>(stack.subList(i + 1, stack.size()));
                stack.subList(i, stack.size()).clear();
                return items;
            }
        }
        throw bad("opcode " + opName(in[opStart] & 0xFF) + " without a MARK on the stack");
    }

    private Object memoGet(long index) {
        if (!memo.containsKey(index)) throw bad("memo entry " + index + " read before it was stored");
        return memo.get(index);
    }

    // ------------------------------------------------------------------ input

    private int u8() {
        need(1);
        return in[pos++] & 0xFF;
    }

    private int u16() { need(2); int v = (in[pos] & 0xFF) | (in[pos + 1] & 0xFF) << 8; pos += 2; return v; }

    private int i32() {
        need(4);
        int v = (in[pos] & 0xFF) | (in[pos + 1] & 0xFF) << 8 | (in[pos + 2] & 0xFF) << 16 | (in[pos + 3] & 0xFF) << 24;
        pos += 4;
        return v;
    }

    private long u32() { return i32() & 0xFFFFFFFFL; }

    private long i64le() {
        need(8);
        long v = 0;
        for (int i = 7; i >= 0; i--) v = v << 8 | (in[pos + i] & 0xFF);
        pos += 8;
        return v;
    }

    private long i64be() {
        need(8);
        long v = 0;
        for (int i = 0; i < 8; i++) v = v << 8 | (in[pos + i] & 0xFF);
        pos += 8;
        return v;
    }

    /** LONG1: n little-endian two's-complement bytes. Values beyond 64 bits never occur in a state dict. */
    private long long1() {
        int n = u8();
        if (n > 8) throw bad("LONG1 of " + n + " bytes; integers beyond 64 bits are not supported");
        need(n);
        long v = 0;
        for (int i = n - 1; i >= 0; i--) v = v << 8 | (in[pos + i] & 0xFF);
        if (n > 0 && n < 8 && (in[pos + n - 1] & 0x80) != 0) v |= -1L << (8 * n);   // sign-extend
        pos += n;
        return v;
    }

    private void skip(int n) { need(n); pos += n; }

    private int length(long n) {
        if (n < 0 || n > in.length - pos) throw bad("length " + Long.toUnsignedString(n) + " runs past the end of the " + in.length + "-byte pickle (truncated?)");
        return (int) n;
    }

    private void need(int n) {
        if (n > in.length - pos) throw bad("the pickle ends after " + in.length + " bytes, inside an opcode (truncated?)");
    }

    private byte[] bytes(int n) {
        need(n);
        byte[] b = Arrays.copyOfRange(in, pos, pos + n);
        pos += n;
        return b;
    }

    private String utf8(int n) {
        byte[] b = bytes(n);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw bad("string of " + n + " bytes is not valid UTF-8");
        }
    }

    /** A GLOBAL argument: text up to a newline (at most 256 bytes, far beyond any real module or name). */
    private String line() {
        int start = pos;
        for (int i = pos; i < in.length && i - start <= 256; i++) {
            if (in[i] == '\n') {
                pos = i + 1;
                return new String(in, start, i - start, StandardCharsets.UTF_8);
            }
        }
        throw bad("GLOBAL without a newline-terminated module and name");
    }

    // ------------------------------------------------------------------ messages

    private TorchCheckpointException bad(String what) {
        return new TorchCheckpointException(source + ": " + what + " (opcode at offset " + opStart + ")");
    }

    private static String opName(int op) {
        String hex = String.format("0x%02x", op);
        return op >= 0x20 && op < 0x7f ? hex + " ('" + (char) op + "')" : hex;
    }

    /** A value's type for messages; never its contents, which may be huge or self-referential. */
    static String describe(Object o) {
        if (o == null) return "None";
        if (o == MARK) return "a MARK";
        if (o instanceof String s) return s.length() <= 40 ? "'" + s + "'" : "a string of " + s.length() + " chars";
        if (o instanceof Long || o instanceof Double || o instanceof Boolean) return o.toString();
        if (o instanceof Tuple t) return "a tuple of " + t.size();
        if (o instanceof List<?> l) return "a list of " + l.size();
        if (o instanceof Map<?, ?> m) return "a dict of " + m.size();
        if (o instanceof byte[] b) return "bytes of length " + b.length;
        if (o instanceof Tensor t) return "a tensor " + Arrays.toString(t.shape());
        if (o instanceof PickleGlobal || o instanceof TorchStorageType) return o.toString();
        return o.getClass().getSimpleName();
    }
}
