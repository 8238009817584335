package dev.gnc.cli;

import dev.gnc.io.AtomicFiles;
import dev.gnc.ufm.TrainingRecord;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * metrics.csv and metrics.jsonl of a training run: one row and one line per {@link TrainingRecord},
 * appended and flushed as they come, so a run that dies keeps what it measured. A resumed run
 * first cuts both files back to its checkpoint's step, so they end as an uninterrupted run's do.
 */
final class MetricsLog implements AutoCloseable {
    static final String CSV = "metrics.csv";
    static final String JSONL = "metrics.jsonl";

    private final Path dir;
    private final BufferedWriter csv;
    private final BufferedWriter jsonl;
    private final List<TrainingRecord> records = new ArrayList<>();

    private MetricsLog(Path dir, List<TrainingRecord> kept) throws IOException {
        this.dir = dir;
        csv = Files.newBufferedWriter(dir.resolve(CSV), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        jsonl = Files.newBufferedWriter(dir.resolve(JSONL), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        records.addAll(kept);
    }

    /** A new log in {@code dir}, with the CSV header written. */
    static MetricsLog create(Path dir) throws IOException {
        AtomicFiles.write(dir.resolve(CSV), (String.join(",", TrainingRecord.COLUMNS) + "\n")
                .getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(dir.resolve(JSONL), new byte[0]);
        return new MetricsLog(dir, List.of());
    }

    /** The log of a run resumed at {@code step}: rows after it are dropped (atomically), the rest kept. */
    static MetricsLog resume(Path dir, long step) throws IOException {
        List<String> csvLines = Files.readAllLines(dir.resolve(CSV), StandardCharsets.UTF_8);
        List<String> jsonLines = Files.readAllLines(dir.resolve(JSONL), StandardCharsets.UTF_8);
        List<String> keptCsv = new ArrayList<>(List.of(csvLines.getFirst()));
        List<String> keptJson = new ArrayList<>();
        List<TrainingRecord> kept = new ArrayList<>();
        for (int i = 1; i < csvLines.size(); i++) {
            TrainingRecord r = parse(dir, csvLines.get(i));
            if (r.step() <= step) {
                keptCsv.add(csvLines.get(i));
                keptJson.add(jsonLines.get(i - 1));
                kept.add(r);
            }
        }
        AtomicFiles.write(dir.resolve(CSV), lines(keptCsv));
        AtomicFiles.write(dir.resolve(JSONL), lines(keptJson));
        return new MetricsLog(dir, kept);
    }

    private static byte[] lines(List<String> lines) {
        return lines.stream().map(l -> l + "\n").reduce("", String::concat).getBytes(StandardCharsets.UTF_8);
    }

    private static TrainingRecord parse(Path dir, String line) {
        try {
            return TrainingRecord.parse(line.split(",", -1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(dir.resolve(CSV) + " cannot be continued: " + e.getMessage()
                    + " (written by another version of gnc?)", e);
        }
    }

    void append(TrainingRecord r) throws IOException {
        Object[] values = r.values();
        StringBuilder row = new StringBuilder();
        Map<String, Object> json = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            boolean missing = v instanceof Double d && Double.isNaN(d); // an undefined GNC1 arrives as text
            row.append(i == 0 ? "" : ",").append(missing ? "" : v);
            json.put(TrainingRecord.COLUMNS[i], v);
        }
        write(csv, CSV, row.append('\n').toString());
        write(jsonl, JSONL, Json.write(json) + "\n");
        records.add(r);
    }

    /** Appends {@code line} to the log file {@code name}, an error naming the file. */
    private void write(BufferedWriter log, String name, String line) throws IOException {
        try {
            log.write(line);
            log.flush();
        } catch (IOException e) {
            throw AtomicFiles.failure(dir.resolve(name), e);
        }
    }

    /** Every record of the run so far, the resumed part's included. */
    List<TrainingRecord> records() {
        return List.copyOf(records);
    }

    @Override
    public void close() throws IOException {
        try (csv; jsonl) {
            csv.flush();
            jsonl.flush();
        }
    }
}
