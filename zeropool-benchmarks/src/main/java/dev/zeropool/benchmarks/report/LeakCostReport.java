package dev.zeropool.benchmarks.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The table of {@code run-leak-cost.sh}: leak sampling's cost per get+put pair in bursts, from rounds
 * that each ran {@code offBurst}, {@code sampledBurst} and {@code everyGetSampledBurst} of
 * {@code LeakSamplingCostBenchmark} in one fork apiece, one after the other. Why rounds: on a shared
 * machine a JVM's figure drifts by more than the few nanoseconds sought, so the default's cost is read
 * as the mean of paired differences (each round's sampled minus its off), with a 95% confidence interval;
 * and, as a bound drift cannot blur, from the cost of one sample (every get sampled, minus off) divided
 * by the default's mean sampling interval. Run:
 * {@code java -cp benchmarks.jar dev.zeropool.benchmarks.report.LeakCostReport <directory of round-N-method.json>}.
 */
public final class LeakCostReport {

    /** The default's mean sampling interval, in gets: {@code LeakDetector.SAMPLE_INTERVAL} in the core. */
    static final int SAMPLE_INTERVAL = 4096;

    private static final Pattern FILE = Pattern.compile("round-(\\d+)-(\\w+)\\.json");
    /** Student's t, two-sided 95%, for 1 to 30 degrees of freedom; 1.96 beyond. */
    private static final double[] T_95 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
            2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060,
            2.056, 2.052, 2.048, 2.045, 2.042};

    private LeakCostReport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: LeakCostReport <directory of round-N-method.json files>");
            System.exit(2);
        }
        report(Path.of(args[0]), System.out);
    }

    /** Reads the rounds' result files in {@code directory} and prints the table. */
    static void report(Path directory, PrintStream out) throws IOException {
        Map<Integer, Map<String, Double>> rounds = new TreeMap<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Matcher name = FILE.matcher(file.getFileName().toString());
                if (name.matches()) {
                    String json = Files.readString(file, StandardCharsets.UTF_8);
                    for (JmhResult r : JmhResult.fromJson(new ObjectMapper().readValue(json, Object.class))) {
                        rounds.computeIfAbsent(Integer.parseInt(name.group(1)), k -> new TreeMap<>())
                                .put(r.method(), r.score());
                    }
                }
            }
        }
        print(rounds, out);
    }

    static void print(Map<Integer, Map<String, Double>> rounds, PrintStream out) {
        out.println("### Leak sampling in bursts of 16, paired rounds (ns per get+put pair, each a fork's median)\n");
        out.println("| round | off | sampled | sampled - off | every get sampled | one sample, per pair sampled |");
        out.println("|---:|---:|---:|---:|---:|---:|");
        List<Double> paired = new ArrayList<>();
        List<Double> perSample = new ArrayList<>();
        rounds.forEach((round, scores) -> {
            Optional<Double> off = Optional.ofNullable(scores.get("offBurst"));
            Optional<Double> sampled = Optional.ofNullable(scores.get("sampledBurst"));
            Optional<Double> every = Optional.ofNullable(scores.get("everyGetSampledBurst"));
            Optional<Double> diff = sampled.flatMap(s -> off.map(o -> s - o));
            Optional<Double> sample = every.flatMap(e -> off.map(o -> e - o));
            diff.ifPresent(paired::add);
            sample.ifPresent(perSample::add);
            out.println("| " + round + " | " + ns(off, "%.1f") + " | " + ns(sampled, "%.1f") + " | " + ns(diff, "%+.1f")
                    + " | " + ns(every, "%.1f") + " | " + ns(sample, "%+.1f") + " |");
        });
        out.println();
        if (paired.size() >= 2) {
            double mean = mean(paired);
            double half = t95(paired.size() - 1) * sd(paired, mean) / Math.sqrt(paired.size());
            out.printf(Locale.ROOT, "Sampled minus off, paired: mean %+.2f ns per pair, 95%% confidence interval"
                    + " [%+.2f, %+.2f] over %d rounds.%n", mean, mean - half, mean + half, paired.size());
        }
        if (!perSample.isEmpty()) {
            double median = median(perSample);
            out.printf(Locale.ROOT, "One sample costs %.0f ns (median over %d rounds of every get sampled minus off):"
                    + " %.2f ns per pair at the default's one sample per %d gets.%n", median, perSample.size(),
                    median / SAMPLE_INTERVAL, SAMPLE_INTERVAL);
        }
        out.println("\nTarget: the default's sampling costs at most 2 ns per pair.\n");
    }

    private static String ns(Optional<Double> value, String format) {
        return value.map(v -> String.format(Locale.ROOT, format, v)).orElse("n/a");
    }

    static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    static double sd(List<Double> values, double mean) {
        double squares = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
        return Math.sqrt(squares / (values.size() - 1));
    }

    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    static double t95(int degreesOfFreedom) {
        return degreesOfFreedom <= T_95.length ? T_95[degreesOfFreedom - 1] : 1.96;
    }
}
