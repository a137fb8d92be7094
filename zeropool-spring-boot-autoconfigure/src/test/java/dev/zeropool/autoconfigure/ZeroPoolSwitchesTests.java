package dev.zeropool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zeropool.BufferPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The three switches, {@code zeropool.enabled}, {@code zeropool.trim.enabled} and
 * {@code zeropool.metrics.enabled}, take {@code true} or {@code false} (README, Properties). A value that is
 * neither, such as a typo, must stop the start naming the key and the value, as a bad pool value does,
 * not switch the feature off without a word: a pool that is never trimmed or a pool without meters is
 * found only much later, in production.
 */
class ZeroPoolSwitchesTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ZeroPoolAutoConfiguration.class,
                    ZeroPoolMetricsAutoConfiguration.class, ZeroPoolTrimAutoConfiguration.class,
                    MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                    SimpleMetricsExportAutoConfiguration.class));

    @ParameterizedTest
    @ValueSource(strings = { "zeropool.enabled", "zeropool.trim.enabled", "zeropool.metrics.enabled" })
    void aSwitchThatIsNeitherTrueNorFalseStopsTheStartNamingKeyAndValue(String key) {
        this.runner.withPropertyValues(key + "=flase").run((context) -> {
            assertThat(context).as("%s=flase switched the feature off silently", key).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining(key).hasStackTraceContaining("flase");
        });
    }

    @Test
    void aSwitchTakesTheBooleanWordsABoundPropertyTakes() {
        this.runner.withPropertyValues("zeropool.enabled=YES", "zeropool.trim.enabled=off").run((context) -> {
            assertThat(context).hasNotFailed().hasSingleBean(BufferPool.class)
                    .doesNotHaveBean(BufferPoolTrimmer.class);
        });
    }
}
