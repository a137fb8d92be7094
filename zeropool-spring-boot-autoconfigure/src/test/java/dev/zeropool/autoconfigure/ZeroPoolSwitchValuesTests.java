package dev.zeropool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zeropool.BufferPool;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The switches read true, false, a missing value and environment variables as
 * {@code @ConditionalOnProperty(havingValue = "true")} did before {@link ConditionalOnSwitch} replaced it,
 * and an empty value as a bound boolean reads it: as not set.
 */
class ZeroPoolSwitchValuesTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ZeroPoolAutoConfiguration.class, ZeroPoolTrimAutoConfiguration.class));

    private ApplicationContextRunner withEnv(String name, String value) {
        return this.runner.withInitializer((context) -> context.getEnvironment().getPropertySources()
                .addFirst(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME
                        + "-test", Map.of(name, value))));
    }

    @Test
    void environmentVariablesSwitchAsProperties() {
        withEnv("ZEROPOOL_TRIM_ENABLED", "false").run((context) -> assertThat(context).hasNotFailed()
                .hasSingleBean(BufferPool.class).doesNotHaveBean(BufferPoolTrimmer.class));
        withEnv("ZEROPOOL_TRIM_ENABLED", "TRUE").run((context) -> assertThat(context).hasNotFailed()
                .hasSingleBean(BufferPoolTrimmer.class));
        withEnv("ZEROPOOL_ENABLED", "false").run((context) -> assertThat(context).hasNotFailed()
                .doesNotHaveBean(BufferPool.class));
        withEnv("ZEROPOOL_TRIM_ENABLED", "flase").run((context) -> assertThat(context).hasFailed());
    }

    @Test
    void missingTrueAndFalseAsBefore() {
        this.runner.run((context) -> assertThat(context).hasSingleBean(BufferPoolTrimmer.class));
        this.runner.withPropertyValues("zeropool.trim.enabled=true")
                .run((context) -> assertThat(context).hasSingleBean(BufferPoolTrimmer.class));
        this.runner.withPropertyValues("zeropool.trim.enabled=false").run((context) -> assertThat(context)
                .hasSingleBean(BufferPool.class).doesNotHaveBean(BufferPoolTrimmer.class));
    }

    /**
     * An empty value ({@code ZEROPOOL_TRIM_ENABLED=} in a container's environment, say): not set, the
     * default. The Jetty switch is also bound to {@code zeropool.jetty.*}, where an empty value must not
     * fail the binding either.
     */
    @ParameterizedTest
    @ValueSource(strings = { "zeropool.enabled=", "zeropool.trim.enabled=", "zeropool.metrics.enabled=",
            "zeropool.jetty.enabled=" })
    void anEmptySwitchReadsAsNotSet(String property) {
        this.runner.withPropertyValues(property).run((context) -> assertThat(context).hasNotFailed()
                .hasSingleBean(BufferPool.class).hasSingleBean(BufferPoolTrimmer.class));
    }
}
