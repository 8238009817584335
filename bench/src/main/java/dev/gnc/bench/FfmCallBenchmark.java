package dev.gnc.bench;

import dev.gnc.blas.OpenBlas;
import dev.gnc.blas.OpenBlasLoader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/** The fixed cost of crossing into OpenBLAS: calls that do almost no work. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow"})
public class FfmCallBenchmark {
    private OpenBlas blas;
    private Arena arena;
    private MemorySegment x;
    private MemorySegment y;

    @Setup
    public void setup() {
        blas = OpenBlasLoader.fromEnvironment().load().orElseThrow();
        blas.openblas_set_num_threads(1);
        arena = Arena.ofConfined();
        x = arena.allocateFrom(ValueLayout.JAVA_FLOAT, 1, 2, 3, 4);
        y = arena.allocateFrom(ValueLayout.JAVA_FLOAT, 4, 3, 2, 1);
        if (blas.cblas_sdot(4, x, 1, y, 1) != 20f) {
            throw new IllegalStateException("cblas_sdot is wrong");
        }
    }

    /** No arguments, returns an int: the bare downcall. */
    @Benchmark
    public int getNumThreads() {
        return blas.openblas_get_num_threads();
    }

    /** A one-element dot product: two pointers and three ints through the linker. */
    @Benchmark
    public float sdotOneElement() {
        return blas.cblas_sdot(1, x, 1, y, 1);
    }

    @TearDown
    public void tearDown() {
        arena.close();
    }
}
