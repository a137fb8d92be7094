package dev.zeropool.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JmhResultTest {

    // The shape of one entry of `-rf json`, with JMH's habit of writing NaN as a string.
    private static final String RESULTS = """
            [{"benchmark": "dev.zeropool.benchmarks.GetPutLatencyBenchmark.zeroPool", "threads": 1,
              "params": {"size": "1024"},
              "primaryMetric": {"score": 12.5, "scoreError": "NaN", "scoreUnit": "ns/op",
                                "scorePercentiles": {"0.0": 11.0, "50.0": 12, "100.0": 14.0}},
              "secondaryMetrics": {"gc.alloc.rate.norm": {"score": 0}}}]
            """;

    @Test
    void readsAnEntryParsedByJacksonWhateverTheNumberTypes() throws Exception {
        List<JmhResult> results = JmhResult.fromJson(new ObjectMapper().readValue(RESULTS, Object.class));

        assertThat(results).containsExactly(new JmhResult("GetPutLatencyBenchmark.zeroPool", 1, Map.of("size", "1024"),
                12.0, Double.NaN, "ns/op", Map.of("gc.alloc.rate.norm", 0.0)));
    }
}
