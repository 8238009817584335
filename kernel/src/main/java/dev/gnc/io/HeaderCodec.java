package dev.gnc.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes the .npy header: the magic string, the format version, the header length and
 * the Python dict literal giving {@code descr}, {@code fortran_order} and {@code shape}, padded
 * so that the data starts on a 64-byte boundary. Writing reproduces NumPy's bytes exactly.
 */
final class HeaderCodec {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};
    private static final int ALIGN = 64;
    /** NumPy pads the dict so that the first dimension can grow to this many digits in place. */
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;
    /** Far beyond any real header (NumPy itself refuses more than 10000 bytes by default). */
    private static final int MAX_HEADER_BYTES = 1 << 20;
    private static final Set<String> KEYS = Set.of("descr", "fortran_order", "shape");

    private HeaderCodec() {
    }

    /** Reads and checks the header of {@code file}, open as {@code channel}. */
    static NpyHeader read(FileChannel channel, Path file) throws IOException {
        long size = channel.size();
        ByteBuffer preamble = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, preamble.limit((int) Math.min(12, size)), 0);
        if (size < 10 || !preamble.slice(0, MAGIC.length).equals(ByteBuffer.wrap(MAGIC))) {
            throw new NpyException(file, notNpy(preamble.flip(), size));
        }
        int major = Byte.toUnsignedInt(preamble.get(6));
        int minor = Byte.toUnsignedInt(preamble.get(7));
        if (major < 1 || major > 3 || minor != 0) {
            throw new NpyException(file, "unsupported .npy format version " + major + "." + minor
                    + "; gnc reads 1.0, 2.0 and 3.0");
        }
        int lengthBytes = major == 1 ? 2 : 4;
        if (size < 8 + lengthBytes) {
            throw new NpyException(file, "truncated: the file ends inside the " + (8 + lengthBytes) + "-byte preamble");
        }
        long headerBytes = major == 1 ? Short.toUnsignedInt(preamble.getShort(8))
                : Integer.toUnsignedLong(preamble.getInt(8));
        long dataOffset = 8 + lengthBytes + headerBytes;
        if (dataOffset > size) {
            throw new NpyException(file, "truncated: the header is " + headerBytes
                    + " bytes long but the file ends after " + (size - 8 - lengthBytes) + " of them");
        }
        if (headerBytes > MAX_HEADER_BYTES) {
            throw new NpyException(file, "header of " + headerBytes + " bytes is implausibly large");
        }
        ByteBuffer header = ByteBuffer.allocate((int) headerBytes);
        readFully(channel, header, 8 + lengthBytes);
        // versions 1 and 2 are latin-1; version 3 exists only to allow UTF-8 field names
        String text = new String(header.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        return parse(text, dataOffset, file);
    }

    private static String notNpy(ByteBuffer start, long size) {
        if (size < 10) {
            return "not a .npy file: it has only " + size + " bytes";
        }
        if (start.slice(0, ZIP_MAGIC.length).equals(ByteBuffer.wrap(ZIP_MAGIC))) {
            return "not a .npy file but a zip archive (an .npz?); gnc reads single arrays saved with np.save";
        }
        byte[] first = new byte[MAGIC.length];
        start.get(first);
        return "not a .npy file: it starts with bytes " + HexFormat.ofDelimiter(" ").formatHex(first)
                + ", not \\x93NUMPY";
    }

    private static NpyHeader parse(String text, long dataOffset, Path file) throws NpyException {
        Object literal;
        try {
            literal = PythonLiteral.parse(text);
        } catch (ParseException e) {
            throw new NpyException(file, "garbled header: " + e.getMessage() + " in " + quote(text));
        }
        if (!(literal instanceof Map<?, ?> dict)) {
            throw new NpyException(file, "garbled header: not a dict literal: " + quote(text));
        }
        if (!dict.keySet().equals(KEYS)) {
            throw new NpyException(file, "garbled header: keys are " + PythonLiteral.repr(List.copyOf(dict.keySet()))
                    + ", expected 'descr', 'fortran_order' and 'shape'");
        }
        Object descr = dict.get("descr");
        if (!(descr instanceof String dtype)) {
            throw new NpyException(file, descr instanceof List
                    ? "dtype " + PythonLiteral.repr(descr) + " is a structured dtype; gnc reads plain numeric arrays"
                    : "garbled header: descr " + PythonLiteral.repr(descr) + " is not a dtype string");
        }
        if (!(dict.get("fortran_order") instanceof Boolean fortranOrder)) {
            throw new NpyException(file, "garbled header: fortran_order "
                    + PythonLiteral.repr(dict.get("fortran_order")) + " is not True or False");
        }
        Object shape = dict.get("shape");
        if (!(shape instanceof PythonLiteral.Tuple tuple) || !tuple.items().stream().allMatch(Long.class::isInstance)) {
            throw new NpyException(file, "garbled header: shape " + PythonLiteral.repr(shape)
                    + " is not a tuple of integers");
        }
        long[] dims = tuple.items().stream().mapToLong(Long.class::cast).toArray();
        try {
            return new NpyHeader(dtype, fortranOrder, dims, dataOffset);
        } catch (IllegalArgumentException e) {
            throw new NpyException(file, e.getMessage());
        }
    }

    /** The header text for a message: without its padding, and cut short if long. */
    private static String quote(String text) {
        String stripped = text.strip();
        return '"' + (stripped.length() > 200 ? stripped.substring(0, 200) + "..." : stripped) + '"';
    }

    /**
     * The bytes NumPy writes before the data of a C-order array with descriptor {@code descr} and
     * dimensions {@code shape}: version 1.0, or 2.0 when the header is too long for 1.0.
     */
    static byte[] encode(String descr, long[] shape) {
        StringBuilder dict = new StringBuilder("{'descr': '").append(descr)
                .append("', 'fortran_order': False, 'shape': ").append(NpyHeader.shapeString(shape)).append(", }");
        if (shape.length > 0) {
            dict.repeat(' ', GROWTH_AXIS_MAX_DIGITS - Long.toString(shape[0]).length());
        }
        int textBytes = dict.length() + 1; // and the final newline
        int major = paddedLength(10, textBytes) <= 0xFFFF ? 1 : 2;
        int preamble = major == 1 ? 10 : 12;
        int headerBytes = paddedLength(preamble, textBytes);
        ByteBuffer out = ByteBuffer.allocate(preamble + headerBytes).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) {
            out.putShort((short) headerBytes);
        } else {
            out.putInt(headerBytes);
        }
        out.put(dict.toString().getBytes(StandardCharsets.ISO_8859_1));
        while (out.position() < out.limit() - 1) {
            out.put((byte) ' ');
        }
        return out.put((byte) '\n').array();
    }

    /** The header length padded so the data starts at a multiple of 64; like NumPy, pads 1 to 64 bytes, never 0. */
    private static int paddedLength(int preamble, int textBytes) {
        return textBytes + ALIGN - (preamble + textBytes) % ALIGN;
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                return; // callers compare against the file size first
            }
        }
    }
}
