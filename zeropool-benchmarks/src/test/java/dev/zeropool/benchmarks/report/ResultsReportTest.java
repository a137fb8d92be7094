package dev.zeropool.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ResultsReportTest {

    private static List<String> lines;

    /** Renders pattern-results.json, a hand-written JMH result file with a few entries of three benchmarks. */
    @BeforeAll
    static void render() throws IOException {
        Object parsed;
        try (InputStream json = ResultsReportTest.class.getResourceAsStream("pattern-results.json")) {
            parsed = new ObjectMapper().readValue(json, Object.class);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new ResultsReport(JmhResult.fromJson(parsed), new PrintStream(bytes, true, StandardCharsets.UTF_8)).print();
        lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void handOffShowsItemsAsHalfTheGroupScoreWithTheShapesAsColumnsAndTheRatioToJetty() {
        assertThat(lines).containsSubsequence(
                "### Hand-off between threads through SPSC rings, 64 KiB (median items/us ± error, higher is better)",
                "| candidate | 1 producer -> 1 consumer | x jettyArrayPool | 2 producers -> 2 consumers | x jettyArrayPool |",
                "|---|---:|---:|---:|---:|",
                "| zeroPool | 8.00 ± 1.00 | 4.00x | 15.0 ± 1.50 | 5.00x |",
                "| jettyArrayPool | 2.00 ± 0.20 | 1.00x | 3.00 | 1.00x |");
    }

    @Test
    void columnsFollowTheParameterNumericallyAndAMissingRunIsNotAvailable() {
        assertThat(lines).containsSubsequence(
                "| candidate | 2 virtual threads | x jettyArrayPool | 64 virtual threads | x jettyArrayPool |",
                "| zeroPool | n/a | n/a | 25.0 ± 1.00 | 2.50x |",
                "| jettyArrayPool | 20.0 ± 1.00 | 1.00x | 10.0 ± 1.00 | 1.00x |");
    }

    @Test
    void forTimesTheRatioIsJettysTimeOverTheCandidatesSoFasterIsAboveOne() {
        assertThat(lines).containsSubsequence(
                "### Worker pool under load: a fresh thread per task, 148 buffers of 3-384 KiB (median us per task ± error,"
                        + " lower is better)",
                "| candidate | per task | x jettyArrayPool |",
                "| zeroPool | 250 ± 20.0 | 4.00x |",
                "| jettyArrayPool | 1000 ± 90.0 | 1.00x |",
                "| nettyAdaptive | 2000 ± 100 | 0.50x |");
    }

    /* The burst is where samples are taken: the rows where a cache serves the pair never look at sampling. */
    @Test
    void leakSamplingShowsTheBurstWhereTheSamplesAreTakenBesideTheHitPathRows() {
        assertThat(lines).containsSubsequence(
                "| the pair alone | 23.9 ± 1.00 | 24.1 ± 1.00 | -0.2 ns |",
                "| the pair and a call the JIT cannot inline | 28.3 ± 1.00 | 27.4 ± 1.00 | +0.9 ns |",
                "| bursts of 16 out at once (most gets past the cache: the samples are taken here) | 73.6 ± 8.00 | 65.7"
                        + " ± 8.00 | +7.9 ns |");
    }

    @Test
    void benchmarksAbsentFromTheFileGetNoTable() {
        assertThat(lines).noneMatch(line -> line.startsWith("### Batch") || line.startsWith("### Shuffle")
                || line.startsWith("### get+put latency"));
    }
}
