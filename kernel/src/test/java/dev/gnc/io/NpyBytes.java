package dev.gnc.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Builds .npy files byte by byte, following NumPy's {@code numpy/lib/_format_impl.py}, so that
 * tests can feed the reader what NumPy writes (and garbled variants of it) without NumPy.
 */
final class NpyBytes {
    private NpyBytes() {
    }

    /**
     * The dict text {@code _write_array_header} writes for a C-order array: keys sorted, each
     * value's repr followed by ", ", then spaces so the first axis can grow to 21 digits in place.
     */
    static String numpyDict(String descr, String shapeRepr) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shapeRepr + ", }";
        if (shapeRepr.equals("()")) {
            return dict;
        }
        String firstAxis = shapeRepr.substring(1).split("[,)]")[0];
        return dict + " ".repeat(21 - firstAxis.length());
    }

    /**
     * The preamble and header {@code _wrap_header} writes for {@code dictText}: magic, version
     * (major.0), the little-endian header length (2 bytes in version 1, 4 in 2 and 3), the text,
     * then 1 to 64 spaces and a newline so that the data starts at a multiple of 64.
     */
    static byte[] numpyHeader(int major, String dictText) {
        int preamble = major == 1 ? 10 : 12;
        byte[] text = dictText.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        int hlen = text.length + 1;
        int padlen = 64 - (preamble + hlen) % 64;
        return header(major, new String(text, StandardCharsets.ISO_8859_1) + " ".repeat(padlen) + "\n");
    }

    /** A preamble for {@code major}.0 with the exact header bytes {@code headerText}, unpadded. */
    static byte[] header(int major, String headerText) {
        byte[] text = headerText.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer out = ByteBuffer.allocate((major == 1 ? 10 : 12) + text.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) {
            out.putShort((short) text.length);
        } else {
            out.putInt(text.length);
        }
        return out.put(text).array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static byte[] floats(float... values) {
        ByteBuffer out = le(values.length * 4);
        for (float v : values) {
            out.putFloat(v);
        }
        return out.array();
    }

    static byte[] doubles(double... values) {
        ByteBuffer out = le(values.length * 8);
        for (double v : values) {
            out.putDouble(v);
        }
        return out.array();
    }

    static byte[] ints(int... values) {
        ByteBuffer out = le(values.length * 4);
        for (int v : values) {
            out.putInt(v);
        }
        return out.array();
    }

    static byte[] longs(long... values) {
        ByteBuffer out = le(values.length * 8);
        for (long v : values) {
            out.putLong(v);
        }
        return out.array();
    }

    static byte[] shorts(int... values) {
        ByteBuffer out = le(values.length * 2);
        for (int v : values) {
            out.putShort((short) v);
        }
        return out.array();
    }

    private static ByteBuffer le(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}
