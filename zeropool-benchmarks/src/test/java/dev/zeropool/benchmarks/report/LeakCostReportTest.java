package dev.zeropool.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeakCostReportTest {

    @TempDir
    Path rounds;

    @Test
    void pairsEachRoundsSampledWithItsOffAndDividesOneSamplesCostByTheSamplingInterval() throws IOException {
        // three rounds; the third lacks its every-get-sampled fork
        write(1, "offBurst", 60.0);
        write(1, "sampledBurst", 61.0);
        write(1, "everyGetSampledBurst", 60.0 + 4096);
        write(2, "offBurst", 70.0);
        write(2, "sampledBurst", 73.0);
        write(2, "everyGetSampledBurst", 70.0 + 8192);
        write(3, "offBurst", 50.0);
        write(3, "sampledBurst", 52.0);
        Files.writeString(rounds.resolve("environment.txt"), "not a round");

        List<String> lines = render();

        assertThat(lines).containsSubsequence(
                "| round | off | sampled | sampled - off | every get sampled | one sample, per pair sampled |",
                "|---:|---:|---:|---:|---:|---:|",
                "| 1 | 60.0 | 61.0 | +1.0 | 4156.0 | +4096.0 |",
                "| 2 | 70.0 | 73.0 | +3.0 | 8262.0 | +8192.0 |",
                "| 3 | 50.0 | 52.0 | +2.0 | n/a | n/a |");
        // differences 1, 2, 3: mean 2, sd 1, t(2 df) 4.303, half-width 4.303 / sqrt(3) = 2.48
        assertThat(lines).contains(
                "Sampled minus off, paired: mean +2.00 ns per pair, 95% confidence interval [-0.48, +4.48] over 3 rounds.",
                "One sample costs 6144 ns (median over 2 rounds of every get sampled minus off): 1.50 ns per pair"
                        + " at the default's one sample per 4096 gets.");
    }

    @Test
    void theSamplingIntervalIsTheCores() throws ReflectiveOperationException {
        Field interval = Class.forName("dev.zeropool.LeakDetector").getDeclaredField("SAMPLE_INTERVAL");
        interval.setAccessible(true);
        assertThat(LeakCostReport.SAMPLE_INTERVAL).isEqualTo(interval.getInt(null));
    }

    private void write(int round, String method, double score) throws IOException {
        String json = String.format(Locale.ROOT, """
                [{"benchmark": "dev.zeropool.benchmarks.LeakSamplingCostBenchmark.%s", "threads": 1,
                  "params": {"size": "65536"},
                  "primaryMetric": {"score": %s, "scoreError": "NaN", "scoreUnit": "ns/op",
                                    "scorePercentiles": {"50.0": %s}}}]""", method, score, score);
        Files.writeString(rounds.resolve("round-" + round + "-" + method + ".json"), json);
    }

    private List<String> render() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LeakCostReport.report(rounds, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
