package dev.gnc.io;

import static dev.gnc.io.NpyBytes.header;
import static dev.gnc.io.NpyBytes.numpyDict;
import static dev.gnc.io.NpyBytes.numpyHeader;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NpyHeaderTest {
    @TempDir
    Path dir;

    @Test
    void helperMatchesBytesNumpyWrote() {
        // lengths from np.save (NumPy 2.4) of float32 arrays of shape (3, 2), and version (2, 0) via write_array
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }";
        byte[] v1 = numpyHeader(1, numpyDict("<f4", "(3, 2)"));
        assertEquals(128, v1.length);
        assertEquals(118, v1[8] & 0xff);
        assertEquals(0, v1[9]);
        String text = new String(v1, 10, 118, StandardCharsets.ISO_8859_1);
        assertEquals(dict + " ".repeat(58) + "\n", text);
        byte[] v2 = numpyHeader(2, numpyDict("<f4", "(3, 2)"));
        assertEquals(128, v2.length);
        assertEquals(116, v2[8] & 0xff);
        assertEquals("{'descr': '<i4', 'fortran_order': False, 'shape': (7,), }" + " ".repeat(20),
                numpyDict("<i4", "(7,)"));
        assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (), }", numpyDict("<f4", "()"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"()", "(0,)", "(7,)", "(3, 2)", "(0, 5)", "(1, 1)", "(10000000, 64)",
            "(9223372036854775807, 0)", "(2, 3, 4)"})
    void encodeWritesNumpysBytes(String shape) {
        long[] dims = parseShape(shape);
        assertArrayEquals(numpyHeader(1, numpyDict("<f4", shape)), HeaderCodec.encode("<f4", dims), shape);
    }

    @ParameterizedTest
    @ValueSource(strings = {"()", "(7,)", "(3, 2)", "(0, 5)", "(2, 3, 4)"})
    void readsWhatNumpyWrites(String shape) throws IOException {
        for (int major = 1; major <= 3; major++) {
            byte[] bytes = numpyHeader(major, numpyDict("<f4", shape));
            NpyHeader header = readHeader(bytes);
            assertEquals(new NpyHeader("<f4", false, parseShape(shape), bytes.length), header);
            assertEquals(0, header.dataOffset() % 64);
        }
    }

    @Test
    void readsAnyKeyOrderQuotingAndSpacing() throws IOException {
        String[] dicts = {
            "{'shape': (3, 2), 'fortran_order': False, 'descr': '<f8'}",
            "{\"descr\": \"<f8\", \"fortran_order\": False, \"shape\": (3, 2)}",
            "{ 'fortran_order' :False,'descr':'<f8' ,\n\t'shape':( 3 ,2 , ) , }",
            "{'descr': '<f8',\r\n 'fortran_order': False,\r\n 'shape': (3,\n 2)}\r\n",
        };
        for (String dict : dicts) {
            NpyHeader expected = new NpyHeader("<f8", false, new long[] {3, 2}, 0);
            NpyHeader header = readHeader(numpyHeader(1, dict));
            assertEquals(expected.dtype(), header.dtype(), dict);
            assertArrayEquals(expected.shape(), header.shape(), dict);
        }
    }

    @Test
    void readsUnalignedHeadersOfOlderWriters() throws IOException {
        // NumPy before 1.14 aligned to 16 bytes; hand-written files may not align at all
        byte[] bytes = header(1, "{'descr':'<i8','fortran_order':True,'shape':(5,)}\n");
        NpyHeader header = readHeader(bytes);
        assertEquals(new NpyHeader("<i8", true, new long[] {5}, bytes.length), header);
        assertNotEquals(0, header.dataOffset() % 16);
    }

    @Test
    void decodesVersionThreeAsUtf8AndEarlierVersionsAsLatin1() throws IOException {
        String dict = "{'descr': '\u00e9', 'fortran_order': False, 'shape': (4,)}";
        assertEquals("\u00e9", readHeader(numpyHeader(3, dict)).dtype());
        assertEquals("\u00e9", readHeader(numpyHeader(1, dict)).dtype());
    }

    @Test
    void encodeSwitchesToVersionTwoOnlyWhenTheHeaderOutgrowsVersionOne() throws IOException {
        // 3200 axes of 19 digits: a header of ~67 kB, more than version 1.0's 16-bit length allows
        long[] shape = new long[3200];
        Arrays.fill(shape, 1_000_000_000_000_000_000L);
        shape[0] = 0;
        byte[] bytes = HeaderCodec.encode("<f4", shape);
        assertEquals(2, bytes[6]);
        assertEquals(0, bytes.length % 64);
        assertEquals('\n', bytes[bytes.length - 1]);
        assertArrayEquals(numpyHeader(2, numpyDict("<f4", NpyHeader.shapeString(shape))), bytes);
        NpyHeader header = readHeader(bytes);
        assertArrayEquals(shape, header.shape());
        assertEquals(bytes.length, header.dataOffset());

        assertEquals(1, HeaderCodec.encode("<f4", new long[64])[6]);
    }

    @Test
    void headerIsAValue() {
        long[] shape = {3, 2};
        NpyHeader header = new NpyHeader("<f4", false, shape, 128);
        shape[0] = 99;
        header.shape()[1] = 99;
        assertArrayEquals(new long[] {3, 2}, header.shape());
        assertEquals(6, header.elementCount());
        assertEquals(1, new NpyHeader("<f4", false, new long[0], 128).elementCount());
        assertEquals(new NpyHeader("<f4", false, new long[] {3, 2}, 128), header);
        assertEquals(new NpyHeader("<f4", false, new long[] {3, 2}, 128).hashCode(), header.hashCode());
        assertFalse(header.equals(new NpyHeader("<f4", false, new long[] {2, 3}, 128)));
        assertEquals("NpyHeader['<f4', (3, 2), C order, data at byte 128]", header.toString());
        assertTrue(new NpyHeader("<i8", true, new long[] {5}, 64).toString().contains("(5,), Fortran order"));
    }

    private NpyHeader readHeader(byte[] bytes) throws IOException {
        Path file = dir.resolve("h.npy");
        Files.write(file, bytes);
        return Npy.readHeader(file);
    }

    private static long[] parseShape(String shape) {
        String inner = shape.substring(1, shape.length() - 1).replace(" ", "");
        return Arrays.stream(inner.split(",")).filter(s -> !s.isEmpty()).mapToLong(Long::parseLong).toArray();
    }
}
