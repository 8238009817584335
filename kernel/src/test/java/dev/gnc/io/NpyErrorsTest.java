package dev.gnc.io;

import static dev.gnc.io.NpyBytes.concat;
import static dev.gnc.io.NpyBytes.doubles;
import static dev.gnc.io.NpyBytes.floats;
import static dev.gnc.io.NpyBytes.header;
import static dev.gnc.io.NpyBytes.ints;
import static dev.gnc.io.NpyBytes.longs;
import static dev.gnc.io.NpyBytes.numpyDict;
import static dev.gnc.io.NpyBytes.numpyHeader;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gnc.core.FloatMatrix;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every malformed or unexpected file is an {@link NpyException} whose message names the file and the problem. */
class NpyErrorsTest {
    @TempDir
    Path dir;

    private final Arena arena = Arena.ofConfined();

    @AfterEach
    void close() {
        arena.close();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '#', value = {
        ">f4 # dtype '>f4' is big-endian; gnc reads little-endian float32/float64 ('<f4', '<f8')",
        ">f8 # dtype '>f8' is big-endian",
        "<c8 # dtype '<c8' is not supported; gnc reads little-endian float32/float64",
        "|O  # dtype '|O' is not supported",
        "<f2 # dtype '<f2' is not supported",
        "<i4 # dtype '<i4' is an integer type; gnc reads little-endian float32/float64",
    })
    void matrixDtypesGncDoesNotRead(String descr, String problem) throws IOException {
        Path file = write("W.npy", numpyHeader(1, numpyDict(descr, "(2, 2)")), new byte[32]);
        assertProblem(file, () -> Npy.readMatrix(file, arena), problem);
        assertProblem(file, () -> Npy.readVector(file, arena), problem.substring(0, 12));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '#', value = {
        "<f4 # dtype '<f4' is a float type; gnc reads labels as little-endian integers ('<i4', '<i8'",
        ">i8 # dtype '>i8' is big-endian; gnc reads labels as little-endian integers",
        "<u8 # dtype '<u8' is not supported",
        "|b1 # dtype '|b1' is not supported",
    })
    void labelDtypesGncDoesNotRead(String descr, String problem) throws IOException {
        Path file = write("y.npy", numpyHeader(1, numpyDict(descr, "(4,)")), new byte[32]);
        assertProblem(file, () -> Npy.readLabels(file, arena), problem);
    }

    @Test
    void structuredDtypeIsNamed() throws IOException {
        Path file = write("s.npy", numpyHeader(1,
                "{'descr': [('x', '<f4'), ('y', '<i4')], 'fortran_order': False, 'shape': (2,), }"), new byte[16]);
        assertProblem(file, () -> Npy.readHeader(file), "dtype [('x', '<f4'), ('y', '<i4')] is a structured dtype");
    }

    @Test
    void fortranOrderIsRejectedWhenItDiffersFromC() throws IOException {
        Path file = write("F.npy", numpyHeader(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (3, 4), }"),
                new byte[48]);
        assertProblem(file, () -> Npy.readMatrix(file, arena), "array (3, 4) is stored in Fortran (column-major) order",
                "gnc reads C order");
    }

    @Test
    void shapesOtherThanExpectedAreNamed() throws IOException {
        Path matrix = write("H.npy", numpyHeader(1, numpyDict("<f4", "(3, 2)")), floats(new float[6]));
        assertProblem(matrix, () -> Npy.readMatrix(matrix, arena, 4), "shape (3, 2) has 2 columns, expected 4");
        assertProblem(matrix, () -> Npy.readVector(matrix, arena), "shape (3, 2) is 2-D; expected a 1-D array (n,)");
        assertProblem(matrix, () -> Npy.readLabels(matrix, arena), "dtype '<f4' is a float type");

        Path vector = write("b.npy", numpyHeader(1, numpyDict("<f4", "(5,)")), floats(new float[5]));
        assertProblem(vector, () -> Npy.readMatrix(vector, arena), "shape (5,) is 1-D; a matrix needs 2-D (rows, cols)",
                "Npy.readVector");
        assertProblem(vector, () -> Npy.readVector(vector, arena, 6), "shape (5,) has length 5, expected 6");

        Path cube = write("T.npy", numpyHeader(1, numpyDict("<f4", "(2, 2, 2)")), floats(new float[8]));
        assertProblem(cube, () -> Npy.readMatrix(cube, arena), "shape (2, 2, 2) is 3-D; a matrix needs 2-D");

        Path labels = write("y.npy", numpyHeader(1, numpyDict("<i4", "(4,)")), ints(1, 2, 3, 4));
        assertProblem(labels, () -> Npy.readLabels(labels, arena, 3), "shape (4,) has length 4, expected 3");

        Path scalar = write("s.npy", numpyHeader(1, numpyDict("<i4", "()")), ints(7));
        assertProblem(scalar, () -> Npy.readLabels(scalar, arena), "shape () is 0-D; expected a 1-D array (n,)");

        Path wide = write("wide.npy", numpyHeader(1, numpyDict("<f4", "(0, 3000000000)")), new byte[0]);
        assertProblem(wide, () -> Npy.readMatrix(wide, arena), "shape (0, 3000000000) has more than 2^31 - 1 columns");
    }

    @Test
    void dataShorterThanTheHeaderPromisesIsTruncated() throws IOException {
        Path file = write("W.npy", numpyHeader(1, numpyDict("<f4", "(3, 2)")), new byte[20]);
        assertProblem(file, () -> Npy.readMatrix(file, arena),
                "truncated: shape (3, 2) of '<f4' needs 24 data bytes, the file has 20 after its 128-byte header");
        Path labels = write("y.npy", numpyHeader(1, numpyDict("<i8", "(3,)")), new byte[16]);
        assertProblem(labels, () -> Npy.readLabels(labels, arena), "truncated", "needs 24 data bytes");
        Path huge = write("huge.npy", numpyHeader(1, numpyDict("<f8", "(9223372036854775807,)")), new byte[8]);
        assertProblem(huge, () -> Npy.readVector(huge, arena), "needs more than 2^63 - 1 bytes");
    }

    @Test
    void headerCutShortIsTruncated() throws IOException {
        byte[] full = numpyHeader(1, numpyDict("<f4", "(3, 2)"));
        Path file = write("W.npy", Arrays.copyOf(full, 60));
        assertProblem(file, () -> Npy.readHeader(file),
                "truncated: the header is 118 bytes long but the file ends after 50");
        Path v2 = write("W2.npy", Arrays.copyOf(numpyHeader(2, numpyDict("<f4", "(3, 2)")), 11));
        assertProblem(v2, () -> Npy.readHeader(v2), "truncated: the file ends inside the 12-byte preamble");
    }

    @Test
    void filesThatAreNotNpyAreNamed() throws IOException {
        Path png = write("W.npy", new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13});
        assertProblem(png, () -> Npy.readMatrix(png, arena), "not a .npy file: it starts with bytes 89 50 4e 47 0d 0a");
        Path zip = write("W.npz", new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0, 0, 0});
        assertProblem(zip, () -> Npy.readHeader(zip), "not a .npy file but a zip archive (an .npz?)");
        Path tiny = write("tiny.npy", new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P'});
        assertProblem(tiny, () -> Npy.readHeader(tiny), "not a .npy file: it has only 5 bytes");
        Path empty = write("empty.npy");
        assertProblem(empty, () -> Npy.readLabels(empty, arena), "not a .npy file: it has only 0 bytes");
        byte[] v4 = numpyHeader(1, numpyDict("<f4", "(3, 2)"));
        v4[6] = 4;
        Path future = write("v4.npy", v4);
        assertProblem(future, () -> Npy.readHeader(future),
                "unsupported .npy format version 4.0; gnc reads 1.0, 2.0 and 3.0");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{'descr' '<f4', 'fortran_order': False, 'shape': (3, 2), }    | expected ':' after key 'descr' but found a string at character 9",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2)      | expected ',' or '}' but found the end",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2),, }  | expected a string key or '}' but found ','",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (3,, 2), }  | unexpected ','",
        "{'descr': '<f4, 'fortran_order': False, 'shape': (3, 2), }    | expected ',' or '}' but found 'fortran_order' at character 17",
        "{'descr': '<f4', 'fortran_order': None, 'shape': (3, 2), }    | unexpected 'None'",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (3.0, 2), } | expected ',' or ')' but found '.'",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), } x | unexpected 'x' after the value",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999, 2), } | integer 99999999999999999999 does not fit 64 bits",
        "{'descr': '<f4', 'fortran_order': False, 'descr': '<f8', 'shape': (3, 2)} | key 'descr' appears twice",
        "{'descr': '<f4', 'fortran_order': False}                       | keys are ['descr', 'fortran_order'], expected 'descr', 'fortran_order' and 'shape'",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), 'x': 1} | keys are ['descr', 'fortran_order', 'shape', 'x']",
        "{'descr': 4, 'fortran_order': False, 'shape': (3, 2)}          | descr 4 is not a dtype string",
        "{'descr': '<f4', 'fortran_order': 0, 'shape': (3, 2)}          | fortran_order 0 is not True or False",
        "{'descr': '<f4', 'fortran_order': False, 'shape': [3, 2]}      | shape [3, 2] is not a tuple of integers",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (3)}         | shape 3 is not a tuple of integers",
        "{'descr': '<f4', 'fortran_order': False, 'shape': ('3',)}      | shape ('3',) is not a tuple of integers",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (3, -2)}     | shape (3, -2) has a negative dimension",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296)} | shape (4294967296, 4294967296) has more than 2^63 - 1 elements",
        "('descr', '<f4')                                               | not a dict literal",
    })
    void garbledHeadersAreNamed(String dict, String problem) throws IOException {
        Path file = write("W.npy", numpyHeader(1, dict.strip()), new byte[24]);
        assertProblem(file, () -> Npy.readHeader(file), problem);
        assertProblem(file, () -> Npy.readMatrix(file, arena), problem);
    }

    @Test
    void garbledHeaderMessageQuotesTheHeader() throws IOException {
        String dict = "{'descr': '<f4' 'fortran_order': False, 'shape': (3, 2), }";
        Path file = write("W.npy", numpyHeader(1, dict), new byte[24]);
        assertProblem(file, () -> Npy.readHeader(file),
                "garbled header: expected ',' or '}' but found a string at character 16 in \"" + dict + "\"");
    }

    @Test
    void float64BeyondFloat32IsNamedWithItsPosition() throws IOException {
        Path file = write("W.npy", numpyHeader(1, numpyDict("<f8", "(2, 3)")), doubles(1, 2, 3, 4, 1e300, 6));
        assertProblem(file, () -> Npy.readMatrix(file, arena), "element (1, 1) = 1.0E300 overflows float32");
        Path negative = write("b.npy", numpyHeader(1, numpyDict("<f8", "(3,)")), doubles(1, -Double.MAX_VALUE, 3));
        assertProblem(negative, () -> Npy.readVector(negative, arena),
                "element 1 = -1.7976931348623157E308 overflows float32");
    }

    @Test
    void overflowInALaterChunkNamesItsGlobalIndex() throws IOException {
        int n = 300_000;
        double[] values = new double[n];
        values[262_145] = 1e39;
        Path file = write("b.npy", numpyHeader(1, numpyDict("<f8", "(" + n + ",)")), doubles(values));
        assertProblem(file, () -> Npy.readVector(file, arena), "element 262145 = 1.0E39 overflows float32");

        long[] labels = new long[n];
        labels[200_000] = -(1L << 31) - 1;
        Path y = write("y.npy", numpyHeader(1, numpyDict("<i8", "(" + n + ",)")), longs(labels));
        assertProblem(y, () -> Npy.readLabels(y, arena), "element 200000 = -2147483649 is outside int32");
    }

    @Test
    void int64LabelsOutsideInt32AreNamed() throws IOException {
        Path file = write("y.npy", numpyHeader(1, numpyDict("<i8", "(4,)")), longs(0, 1, 2, 1L << 31));
        assertProblem(file, () -> Npy.readLabels(file, arena), "element 3 = 2147483648 is outside int32");
    }

    @Test
    void fileSystemErrorsKeepTheirType() {
        Path missing = dir.resolve("missing.npy");
        IOException e = assertThrows(NoSuchFileException.class, () -> Npy.readMatrix(missing, arena));
        assertTrue(e.getMessage().contains("missing.npy"), e.getMessage());
        IOException directory = assertThrows(FileSystemException.class, () -> Npy.readHeader(dir));
        assertTrue(directory.getMessage().startsWith(dir + ": is a directory"), directory.getMessage());
    }

    @Test
    void invalidArgumentsAreIllegalArgumentExceptions() throws IOException {
        Path file = write("W.npy", numpyHeader(1, numpyDict("<f4", "(1, 1)")), floats(1));
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Npy.readMatrix(file, arena, -1)),
                "expected column count must be non-negative, got -1");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Npy.readVector(file, arena, -2)), "-2");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Npy.readLabels(file, arena, -3)), "-3");
        Path out = dir.resolve("v.npy");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> Npy.writeVector(out, FloatMatrix.allocate(arena, 2, 2))),
                "one column or one row, got a 2 x 2 matrix");
        assertTrue(Files.notExists(out));
    }

    private Path write(String name, byte[]... parts) throws IOException {
        return Files.write(dir.resolve(name), concat(parts));
    }

    private static void assertProblem(Path file, Executable call, String... parts) {
        NpyException e = assertThrows(NpyException.class, call);
        assertTrue(e.getMessage().startsWith(file + ": "), () -> "'" + e.getMessage() + "' should start with " + file);
        assertMessage(e, parts);
    }

    private static void assertMessage(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "'" + e.getMessage() + "' should mention " + part);
        }
    }
}
