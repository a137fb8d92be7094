package dev.zeropool.benchmarks.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Turns a JMH JSON result file of this suite into the Markdown tables of the README's "Performance"
 * section: medians with JMH's error (99.9% confidence half-width of the mean), and the ratios the
 * targets are stated in (to the floor, to each peer, to the limit, two threads to one, each access pattern's
 * candidates to Jetty's pool). Run:
 * {@code java -cp benchmarks.jar dev.zeropool.benchmarks.report.ResultsReport results.json}.
 * Missing benchmarks are skipped, so a partial run still reports what it has.
 */
public final class ResultsReport {

    private final List<JmhResult> results;
    private final PrintStream out;

    ResultsReport(List<JmhResult> results, PrintStream out) {
        this.results = results;
        this.out = out;
    }

    public static void main(String[] args) throws IOException {
        boolean scaling = args.length > 0 && args[0].equals("--scaling");
        List<String> files = List.of(args).subList(scaling ? 1 : 0, args.length);
        if (files.isEmpty()) {
            System.err.println("usage: ResultsReport [--scaling] <jmh-results.json>...");
            System.exit(2);
        }
        List<JmhResult> results = new ArrayList<>();
        for (String file : files) {
            String json = Files.readString(Path.of(file), StandardCharsets.UTF_8);
            // Plain maps, lists and numbers: what JmhResult reads.
            results.addAll(JmhResult.fromJson(new ObjectMapper().readValue(json, Object.class)));
        }
        ResultsReport report = new ResultsReport(results, System.out);
        if (scaling) {
            report.printScaling();
        } else {
            report.print();
        }
    }

    void print() {
        latency();
        throughput();
        hitPath();
        lease();
        leakSampling();
        mixed();
        checkpoint();
        handOff();
        virtualThreads();
        shuffle();
        workerPoolLoad();
        batch();
    }

    /** The tables of {@code run-scaling.sh}: each pattern by thread count, on a many-core machine. */
    void printScaling() {
        List<JmhResult> sameThread = of("ThroughputOneThreadBenchmark");
        patternTable(sameThread, "Same thread, by threads", "ops/us", ResultsReport::threads,
                JmhResult::method, 1, floorShare(sameThread));
        patternTable(of("HandOffBenchmark"), "Hand-off, P producers -> P consumers, a ring per pair", "items/us",
                r -> r.threads() / 2 + (r.threads() == 2 ? " pair" : " pairs"), r -> r.method().replaceFirst("TwoPairs$", ""),
                0.5, "Items/us is half of JMH's group score.");
        patternTable(of("VirtualThreadsBenchmark"), "Virtual threads, as many carriers as cores", "get+put pairs/us",
                r -> r.param("threads") + " virtual threads", JmhResult::method, 1,
                "Batches of 16,384 pairs over fresh virtual threads, thread start and join included.");
        patternTable(of("ShuffleBenchmark"), "Shuffle, 64 shared slots, by threads", "ops/us",
                ResultsReport::threads, JmhResult::method, 1, "");
    }

    private static String threads(JmhResult r) {
        return r.threads() + (r.threads() == 1 ? " thread" : " threads");
    }

    /** ZeroPool's throughput as a share of the floor's, per thread count (target: at least half at 16). */
    private static String floorShare(List<JmhResult> rows) {
        StringBuilder note = new StringBuilder("zeroPool / floor:");
        rows.stream().filter(r -> r.method().equals("zeroPool")).sorted(Comparator.comparingInt(JmhResult::threads))
                .forEach(z -> find(rows, "floor", f -> f.threads() == z.threads()).ifPresent(f -> note.append(
                        String.format(Locale.ROOT, " %s %.2f;", threads(z), z.score() / f.score()))));
        return note.toString();
    }

    private void latency() {
        List<JmhResult> rows = of("GetPutLatencyBenchmark");
        if (rows.isEmpty()) {
            return;
        }
        Set<String> sizes = values(rows, "size");
        out.println("### get+put latency, one thread (median ns/op ± error, lower is better)\n");
        out.println("| candidate | " + String.join(" | ", sizes.stream().map(ResultsReport::bytes).toList())
                + " |");
        out.println("|---" + "|---:".repeat(sizes.size()) + "|");
        for (String method : methods(rows)) {
            StringBuilder line = new StringBuilder("| " + method + " |");
            for (String size : sizes) {
                Optional<JmhResult> result = find(rows, method, r -> r.param("size").equals(size));
                Optional<JmhResult> floor = find(rows, "floor", r -> r.param("size").equals(size));
                Optional<JmhResult> zeroPool = find(rows, "zeroPool", r -> r.param("size").equals(size));
                line.append(' ').append(result.map(r -> scored(r)
                        + floor.map(f -> String.format(Locale.ROOT, "<br>%.2fx floor", r.score() / f.score())).orElse("")
                        + zeroPool.filter(z -> !method.equals("zeroPool") && !method.equals("floor"))
                                .map(z -> String.format(Locale.ROOT, "<br>%.1fx zeroPool", r.score() / z.score()))
                                .orElse("")
                        + allocation(r)).orElse("n/a")).append(" |");
            }
            out.println(line);
        }
        out.println("\nTargets: zeroPool at most 1.5x the floor per pair, flat across sizes, 0 B/op; at least 2x faster"
                + " than jettyArrayPool.\n");
    }

    private void throughput() {
        List<JmhResult> one = of("ThroughputOneThreadBenchmark");
        List<JmhResult> two = of("ThroughputTwoThreadsBenchmark");
        if (one.isEmpty() && two.isEmpty()) {
            return;
        }
        out.println("### Throughput (ops/us, higher is better); scaling efficiency = two threads / (2 x one)\n");
        out.println("| candidate | size | 1 thread | 2 threads | 2 threads / 1 thread | efficiency |");
        out.println("|---|---:|---:|---:|---:|---:|");
        List<JmhResult> all = new ArrayList<>(one);
        all.addAll(two);
        for (String method : methods(all)) {
            for (String size : values(all, "size")) {
                Optional<JmhResult> single = find(one, method, r -> r.param("size").equals(size));
                Optional<JmhResult> pair = find(two, method, r -> r.param("size").equals(size));
                String ratio = single.isPresent() && pair.isPresent()
                        ? String.format(Locale.ROOT, "%.2fx | %.0f%%", pair.get().score() / single.get().score(),
                                50 * pair.get().score() / single.get().score())
                        : "n/a | n/a";
                out.println("| " + method + " | " + bytes(size) + " | " + single.map(ResultsReport::scored).orElse("n/a")
                        + " | " + pair.map(ResultsReport::scored).orElse("n/a") + " | " + ratio + " |");
            }
        }
        out.println("\nTargets: zeroPool at least 2x jettyArrayPool with one thread; with two, at least 1.9x its one-thread"
                + " figure and at least 1.8x jettyArrayPool.\n");
    }

    private void hitPath() {
        List<JmhResult> rows = of("HitPathBenchmark");
        if (rows.isEmpty()) {
            return;
        }
        out.println("### ZeroPool hit path (ns/op)\n");
        out.println("| path | size | time |");
        out.println("|---|---:|---:|");
        for (JmhResult r : rows) {
            out.println("| " + r.method() + " | " + bytes(r.param("size")) + " | " + scored(r) + allocation(r) + " |");
        }
        out.println();
    }

    private void lease() {
        List<JmhResult> rows = of("LeaseBenchmark");
        if (rows.isEmpty()) {
            return;
        }
        out.println("### Lease against get + put (ns/op)\n");
        out.println("| form | size | time | over getPut |");
        out.println("|---|---:|---:|---:|");
        for (JmhResult r : rows) {
            Optional<JmhResult> pair = find(rows, "getPut", p -> p.param("size").equals(r.param("size")));
            out.println("| " + r.method() + " | " + bytes(r.param("size")) + " | " + scored(r) + allocation(r) + " | "
                    + pair.map(p -> String.format(Locale.ROOT, "%+.1f ns", r.score() - p.score())).orElse("n/a")
                    + " |");
        }
        out.println("\nTarget: lease within 2 ns of getPut, 0 B/op where the lease does not escape.\n");
    }

    private void leakSampling() {
        List<JmhResult> rows = of("LeakSamplingCostBenchmark");
        if (rows.isEmpty()) {
            return;
        }
        out.println("### Leak sampling's cost per get+put pair (ns/op)\n");
        out.println("| loop | sampled | off | sampling costs |");
        out.println("|---|---:|---:|---:|");
        // The first two never look at sampling (a cache serves the pair); the burst is where samples are taken.
        for (String suffix : List.of("", "WithCall", "Burst")) {
            Optional<JmhResult> sampled = find(rows, "sampled" + suffix, r -> true);
            Optional<JmhResult> off = find(rows, "off" + suffix, r -> true);
            String loop = switch (suffix) {
                case "" -> "the pair alone";
                case "WithCall" -> "the pair and a call the JIT cannot inline";
                default -> "bursts of 16 out at once (most gets past the cache: the samples are taken here)";
            };
            out.println("| " + loop + " | "
                    + sampled.map(ResultsReport::scored).orElse("n/a") + " | " + off.map(ResultsReport::scored).orElse("n/a")
                    + " | " + sampled.flatMap(a -> off.map(b -> String.format(Locale.ROOT, "%+.1f ns", a.score() - b.score())))
                    .orElse("n/a") + " |");
        }
        out.println("\nTarget: sampling costs at most 2 ns per pair, in each row.\n");
    }

    private void mixed() {
        List<JmhResult> rows = of("MixedSizeBenchmark");
        if (rows.isEmpty()) {
            return;
        }
        out.println("### Mixed sizes, 4 KiB-1 MiB, shifting hot set\n");
        out.println("| policy | buffers per shard | budget / peak live | ns/op | hit rate | pooled / peak live |");
        out.println("|---|---:|---:|---:|---:|---:|");
        for (JmhResult r : rows) {
            double hits = r.secondary().getOrDefault("hits", Double.NaN);
            double misses = r.secondary().getOrDefault("misses", Double.NaN);
            double pooled = r.secondary().getOrDefault("pooledBytes", Double.NaN);
            double live = r.secondary().getOrDefault("peakLiveBytes", Double.NaN);
            out.println(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.4f | %.3f |", r.param("policy"),
                    r.param("maxBuffersPerShard"), r.param("budgetPerPeakLiveByte"), scored(r),
                    hits / (hits + misses), pooled / live));
        }
        out.println("\nTargets: with 256 buffers per shard (the bytes bind), hit rate at least 0.95,"
                + " CLOCK_PRO above LIFO, pooled / peak live at most 1.25; with 16 (the count binds),"
                + " CLOCK_PRO above LIFO.\n");
    }

    private void checkpoint() {
        List<JmhResult> rows = of("CheckpointLoadBenchmark");
        if (rows.isEmpty()) {
            return;
        }
        Optional<JmhResult> limit = find(rows, "limit", r -> true);
        out.println("### GPT-2 small checkpoint load (ms per full load and release)\n");
        out.println("| loader | time | x limit |");
        out.println("|---|---:|---:|");
        for (JmhResult r : rows) {
            out.println("| " + r.method() + " | " + scored(r) + " | "
                    + limit.map(l -> String.format(Locale.ROOT, "%.2fx", r.score() / l.score())).orElse("n/a") + " |");
        }
        out.println("\nTarget: zeroPool within 1.15x of the limit.\n");
    }

    private void handOff() {
        // A group's score adds up both sides; each item is one produce and one consume.
        patternTable(of("HandOffBenchmark"), "Hand-off between threads through SPSC rings", "items/us",
                r -> r.method().endsWith("TwoPairs") ? "2 producers -> 2 consumers" : "1 producer -> 1 consumer",
                r -> r.method().replaceFirst("TwoPairs$", ""), 0.5,
                "Items/us is half of JMH's group score (a produce and a consume per item). ZeroPool's hit rate and drops:"
                        + " `[zeroPool] HandOffBenchmark` in results.txt (target: hits >= 99.9%, no drops).");
    }

    private void virtualThreads() {
        patternTable(of("VirtualThreadsBenchmark"), "Virtual threads on 2 carriers", "get+put pairs/us",
                r -> r.param("threads") + " virtual threads", JmhResult::method, 1,
                "Batches of 16,384 pairs over fresh virtual threads, thread start and join included; JDK 21+ only.");
    }

    private void shuffle() {
        patternTable(of("ShuffleBenchmark"), "Shuffle: 2 threads, 64 shared slots", "ops/us",
                r -> r.threads() + " threads", JmhResult::method, 1, "");
    }

    private void workerPoolLoad() {
        patternTable(of("WorkerPoolLoadBenchmark"),
                "Worker pool under load: a fresh thread per task, 148 buffers of 3-384 KiB", "us per task",
                r -> "per task", JmhResult::method, 1,
                "ZeroPool's hit rate from the 4th task of each executor on: `[worker pool]` in results.txt.");
    }

    private void batch() {
        patternTable(of("BatchBenchmark"), "Batch: 1000 buffers out at once, one thread", "us per batch",
                r -> "per batch", JmhResult::method, 1,
                "ZeroPool's misses and drops per batch: `[batch]` in results.txt.");
    }

    /**
     * A table of one access-pattern benchmark: a row per candidate, per column the score (times
     * {@code scale}) with its error and the candidate's speed relative to {@code jettyArrayPool} in the same
     * column: score / Jetty's for throughput, Jetty's time / the candidate's for time modes, so above 1.00x
     * is faster than Jetty either way.
     */
    private void patternTable(List<JmhResult> rows, String title, String unit, Function<JmhResult, String> column,
                              Function<JmhResult, String> candidate, double scale, String note) {
        if (rows.isEmpty()) {
            return;
        }
        Set<String> sizes = values(rows, "size");
        sizes.remove("");
        Set<String> columns = new LinkedHashSet<>();
        rows.stream().map(column).sorted(Comparator.comparingLong(ResultsReport::leadingNumber)).forEach(columns::add);
        Set<String> candidates = new LinkedHashSet<>();
        methods(rows).forEach(m -> rows.stream().filter(r -> r.method().equals(m)).findFirst()
                .ifPresent(r -> candidates.add(candidate.apply(r))));
        out.println("### " + title + (sizes.isEmpty() ? "" : ", " + String.join(", ", sizes.stream().map(ResultsReport::bytes).toList()))
                + " (median " + unit + " ± error, " + (isTime(rows.get(0)) ? "lower" : "higher") + " is better)\n");
        StringBuilder header = new StringBuilder("| candidate |");
        columns.forEach(c -> header.append(' ').append(c).append(" | x jettyArrayPool |"));
        out.println(header);
        out.println("|---" + "|---:|---:".repeat(columns.size()) + "|");
        for (String name : candidates) {
            StringBuilder line = new StringBuilder("| " + name + " |");
            for (String c : columns) {
                Optional<JmhResult> result = rows.stream()
                        .filter(r -> candidate.apply(r).equals(name) && column.apply(r).equals(c)).findFirst();
                Optional<JmhResult> jetty = rows.stream()
                        .filter(r -> candidate.apply(r).equals("jettyArrayPool") && column.apply(r).equals(c)).findFirst();
                line.append(' ').append(result.map(r -> scored(r.score() * scale, r.error() * scale)).orElse("n/a"))
                        .append(" | ").append(result.flatMap(r -> jetty.map(j -> String.format(Locale.ROOT, "%.2fx",
                                isTime(r) ? j.score() / r.score() : r.score() / j.score()))).orElse("n/a"))
                        .append(" |");
            }
            out.println(line);
        }
        out.println(note.isEmpty() ? "" : "\n" + note + "\n");
    }

    /** Time per operation ({@code ns/op}, {@code us/op}, ...) rather than operations per time. */
    private static boolean isTime(JmhResult r) {
        return r.unit().endsWith("/op");
    }

    private List<JmhResult> of(String className) {
        return results.stream().filter(r -> r.className().equals(className)).toList();
    }

    private static Set<String> methods(List<JmhResult> rows) {
        Set<String> methods = new LinkedHashSet<>();
        methods.add("zeroPool");
        methods.add("zeroPoolNoLeakSampling");
        methods.add("zeroPoolValidationOff");
        methods.add("floor");
        rows.forEach(r -> methods.add(r.method()));
        methods.removeIf(m -> rows.stream().noneMatch(r -> r.method().equals(m)));
        return methods;
    }

    private static Set<String> values(List<JmhResult> rows, String param) {
        Set<String> values = new LinkedHashSet<>();
        rows.stream().map(r -> r.param(param)).sorted((a, b) -> Long.compare(parse(a), parse(b))).forEach(values::add);
        return values;
    }

    /** The number a column label starts with ("64 virtual threads"), 0 if none: columns go in its order. */
    private static long leadingNumber(String label) {
        return parse(label.replaceFirst("^(\\d+).*", "$1"));
    }

    private static long parse(String number) {
        try {
            return Long.parseLong(number);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Optional<JmhResult> find(List<JmhResult> rows, String method, Predicate<JmhResult> filter) {
        return rows.stream().filter(r -> r.method().equals(method)).filter(filter).findFirst();
    }

    private static String scored(JmhResult r) {
        return scored(r.score(), r.error());
    }

    private static String scored(double score, double error) {
        return number(score) + (Double.isNaN(error) ? "" : String.format(Locale.ROOT, " ± %s", number(error)));
    }

    private static String allocation(JmhResult r) {
        Double norm = r.secondary().get("gc.alloc.rate.norm");
        return norm == null ? "" : String.format(Locale.ROOT, "<br>%.0f B/op", norm);
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, value >= 100 ? "%.0f" : value >= 10 ? "%.1f" : "%.2f", value);
    }

    private static String bytes(String size) {
        long n = parse(size);
        if (n >= 1 << 20 && n % (1 << 20) == 0) {
            return (n >> 20) + " MiB";
        }
        if (n >= 1 << 10 && n % (1 << 10) == 0) {
            return (n >> 10) + " KiB";
        }
        return size;
    }
}
