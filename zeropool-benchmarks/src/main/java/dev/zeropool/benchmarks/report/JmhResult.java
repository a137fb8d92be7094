package dev.zeropool.benchmarks.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One entry of a JMH JSON result file ({@code -rf json}), reduced to what the report needs.
 *
 * @param benchmark  the simple class name and method, for example {@code GetPutLatencyBenchmark.zeroPool}
 * @param threads    threads the benchmark ran with
 * @param params     the {@code @Param} values
 * @param score      median of the primary metric over all measurement iterations of all forks (JMH's
 *                   mean when the file has no percentiles)
 * @param error      JMH's 99.9% confidence half-width of the mean, NaN when it had too few samples
 * @param unit       unit of score, for example {@code ns/op}
 * @param secondary  secondary scores by name (aux counters, {@code gc.alloc.rate.norm})
 */
record JmhResult(String benchmark, int threads, Map<String, String> params, double score, double error, String unit,
                 Map<String, Double> secondary) {

    /** Reads the entries of a parsed result file. */
    static List<JmhResult> fromJson(Object parsed) {
        return ((List<?>) parsed).stream().map(entry -> of((Map<?, ?>) entry)).toList();
    }

    private static JmhResult of(Map<?, ?> entry) {
        String name = (String) entry.get("benchmark");
        String[] parts = name.split("\\.");
        String shortName = parts[parts.length - 2] + "." + parts[parts.length - 1];
        Map<String, String> params = new LinkedHashMap<>();
        if (entry.get("params") instanceof Map<?, ?> map) {
            map.forEach((key, value) -> params.put((String) key, String.valueOf(value)));
        }
        Map<?, ?> primary = (Map<?, ?>) entry.get("primaryMetric");
        Map<String, Double> secondary = new LinkedHashMap<>();
        if (entry.get("secondaryMetrics") instanceof Map<?, ?> metrics) {
            metrics.forEach((key, value) -> secondary.put((String) key, number(((Map<?, ?>) value).get("score"))));
        }
        double median = primary.get("scorePercentiles") instanceof Map<?, ?> percentiles
                && percentiles.get("50.0") != null ? number(percentiles.get("50.0")) : number(primary.get("score"));
        return new JmhResult(shortName, ((Number) entry.get("threads")).intValue(), params, median,
                number(primary.get("scoreError")), (String) primary.get("scoreUnit"), secondary);
    }

    /** JMH writes NaN and infinities as strings. */
    private static double number(Object value) {
        return value instanceof Number number ? number.doubleValue() : Double.parseDouble(String.valueOf(value));
    }

    String className() {
        return benchmark.substring(0, benchmark.indexOf('.'));
    }

    String method() {
        return benchmark.substring(benchmark.indexOf('.') + 1);
    }

    String param(String name) {
        return params.getOrDefault(name, "");
    }
}
