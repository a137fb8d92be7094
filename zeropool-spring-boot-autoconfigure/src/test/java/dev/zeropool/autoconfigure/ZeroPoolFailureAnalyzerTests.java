package dev.zeropool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zeropool.BufferPool;
import org.apache.commons.logging.LogFactory;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;

/**
 * An invalid pool setting stops start-up with a report naming the property, the value, what is allowed
 * and what to do, produced the way Spring Boot produces it: by the analyzers registered in
 * {@code spring.factories}, the first one with an answer winning.
 */
class ZeroPoolFailureAnalyzerTests {

    // A context that failed to start no longer hands out its parts, so keep it on the way in.
    private final AtomicReference<ConfigurableApplicationContext> failed = new AtomicReference<>();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withInitializer(this.failed::set)
            .withConfiguration(AutoConfigurations.of(ZeroPoolAutoConfiguration.class,
                    ZeroPoolTrimAutoConfiguration.class));

    @Test
    void shardsNotAPowerOfTwo() {
        this.runner.withPropertyValues("zeropool.shards=3").run((context) -> {
            FailureAnalysis analysis = analyze(context);
            assertThat(analysis.getDescription()).contains("property 'zeropool.shards' is '3'")
                    .contains("must be a power of two in [1, 1024]");
            assertThat(analysis.getAction()).contains("Change 'zeropool.shards' to a power of two in [1, 1024]")
                    .contains("or remove it");
        });
    }

    @Test
    void aSwitchThatIsNoBoolean() {
        reports("zeropool.trim.enabled=flase", "Change 'zeropool.trim.enabled' to true or false",
                "property 'zeropool.trim.enabled' is 'flase'", "must be true or false");
    }

    @Test
    void negativeMaxBufferSize() {
        this.runner.withPropertyValues("zeropool.max-buffer-size=-1MB").run((context) -> {
            FailureAnalysis analysis = analyze(context);
            assertThat(analysis.getDescription()).contains("property 'zeropool.max-buffer-size' is '-1MB'")
                    .contains("-1048576 bytes")
                    .contains("must be a power of two in [zeropool.min-buffer-size 4096, 1073741824] bytes");
            assertThat(analysis.getAction()).contains("Change 'zeropool.max-buffer-size'");
        });
    }

    @Test
    void minBufferSizeAboveMaxBufferSize() {
        assertDescriptionOf(List.of("zeropool.min-buffer-size=1MB", "zeropool.max-buffer-size=64KB"),
                "property 'zeropool.max-buffer-size' is '64KB'",
                "[zeropool.min-buffer-size 1048576, 1073741824] bytes");
    }

    @Test
    void bufferSizeBeyondAnIntIsGivenThePoolsOwnRange() {
        this.runner.withPropertyValues("zeropool.max-buffer-size=4GB").run((context) -> {
            FailureAnalysis analysis = analyze(context);
            assertThat(analysis.getDescription()).contains("property 'zeropool.max-buffer-size' is '4GB'")
                    .contains("must be a power of two in [zeropool.min-buffer-size, 1073741824] bytes");
            assertThat(analysis.getAction())
                    .contains("Change 'zeropool.max-buffer-size' to a power of two in [zeropool.min-buffer-size, "
                            + "1073741824] bytes");
        });
        assertDescriptionOf(List.of("zeropool.min-buffer-size=2GB"), "property 'zeropool.min-buffer-size' is '2GB'",
                "must be a power of two in [16, 1073741824] bytes");
    }

    @Test
    void sizesWithinAnIntAreRefusedInTheSameTermsByThePool() {
        // The range bufferSizeBeyondAnIntIsGivenThePoolsOwnRange expects is the one the pool itself states.
        assertDescriptionOf(List.of("zeropool.max-buffer-size=1536MB"),
                "must be a power of two in [zeropool.min-buffer-size 4096, 1073741824] bytes");
        assertDescriptionOf(List.of("zeropool.min-buffer-size=8B"), "must be a power of two in [16, 1073741824] bytes");
    }

    @Test
    void aRangeIsOfferedAsAValueToChangeTo() {
        reports("zeropool.tls-cache-size=-1", "Change 'zeropool.tls-cache-size' to a value in [0, 1024],",
                "must be in [0, 1024].");
        reports("zeropool.max-pooled-memory=0B", "Change 'zeropool.max-pooled-memory' to a value of at least 1 byte,",
                "must be at least 1 byte.");
    }

    /** Starts with {@code property} set, and checks that the report's description and action say these. */
    private void reports(String property, String action, String... description) {
        this.runner.withPropertyValues(property).run((context) -> {
            FailureAnalysis analysis = analyze(context);
            assertThat(analysis.getDescription()).contains(description);
            assertThat(analysis.getAction()).contains(action);
        });
    }

    @Test
    void idleTimeoutOfZero() {
        this.runner.withPropertyValues("zeropool.idle-timeout=0s").run((context) -> {
            FailureAnalysis analysis = analyze(context);
            // The core's range is (0, PT8760H]; the report speaks the property's own duration style.
            assertThat(analysis.getDescription()).contains("property 'zeropool.idle-timeout' is '0s'")
                    .contains("must be a duration in (0, 365d]");
            assertThat(analysis.getAction()).contains("Change 'zeropool.idle-timeout' to a duration in (0, 365d]")
                    .contains("the pool's default for this machine");
        });
    }

    @Test
    void idleTimeoutBeyondAYear() {
        assertDescriptionOf(List.of("zeropool.idle-timeout=366d"), "property 'zeropool.idle-timeout' is '366d'",
                "must be a duration in (0, 365d]");
    }

    @Test
    void trimIntervalOfZero() {
        this.runner.withPropertyValues("zeropool.trim-interval=0s").run((context) -> {
            FailureAnalysis analysis = analyze(context);
            // Not a pool setting: the report says what it stopped
            assertThat(analysis.getDescription())
                    .startsWith("The pool trimmer could not be started: property 'zeropool.trim-interval' is '0s'")
                    .contains("must be a duration above 0");
            assertThat(analysis.getAction()).contains("Change 'zeropool.trim-interval' to a duration above 0")
                    .contains("remove it to use its default");
        });
    }

    @Test
    void negativeTrimInterval() {
        assertDescriptionOf(List.of("zeropool.trim-interval=-5s"), "property 'zeropool.trim-interval' is '-5s'");
    }

    @Test
    void anUnknownValidationLevelIsReportedWithTheValuesAllowed() {
        // Not a value the pool refuses but one Spring cannot bind: Boot's own analyzer reports it.
        this.runner.withPropertyValues("zeropool.validation=paranoid").run((context) -> {
            FailureAnalysis analysis = analyze(context);
            assertThat(analysis.getDescription()).contains("zeropool.validation").contains("paranoid");
            assertThat(analysis.getAction()).contains("OFF").contains("FAST").contains("STRICT");
        });
    }

    @Test
    void durationsInTheCoresTextReadAsPropertiesAreWritten() {
        assertThat(ZeroPoolFailureAnalyzer.inPropertyStyle("a duration in (0, PT8760H]"))
                .isEqualTo("a duration in (0, 365d]");
        assertThat(ZeroPoolFailureAnalyzer.inPropertyStyle("PT1M PT0.5S PT0.000001S PT0S"))
                .isEqualTo("1m 500ms 1us 0d");
    }

    @Test
    void aBadValueFromACustomizerIsBlamedOnCode() {
        this.runner.withUserConfiguration(BadCustomizer.class).run((context) -> {
            FailureAnalysis analysis = analyze(context);
            assertThat(analysis.getDescription()).contains("builder option 'numShards' is 6")
                    .contains("comes from code");
            assertThat(analysis.getAction()).contains("BufferPool.Builder.numShards(...)");
        });
    }

    @Test
    void aBadValueFromACustomizerIsBlamedOnCodeEvenWhenThePropertyIsSet() {
        // zeropool.shards=4 is valid: the customizer's 6, set after it, is what the pool refused
        this.runner.withUserConfiguration(BadCustomizer.class).withPropertyValues("zeropool.shards=4")
                .run((context) -> {
                    FailureAnalysis analysis = analyze(context);
                    assertThat(analysis.getDescription()).contains("builder option 'numShards' is 6")
                            .contains("comes from code").doesNotContain("'zeropool.shards'");
                    assertThat(analysis.getAction()).contains("BufferPool.Builder.numShards(...)");
                });
    }

    @Test
    void theApplicationsOwnPoolIsReportedInTheBuildersTerms() {
        // The application's pool refuses a value it set itself; the (valid) properties have no part in it.
        this.runner.withUserConfiguration(BadOwnPool.class)
                .withPropertyValues("zeropool.enabled=false", "zeropool.max-buffer-size=8MB").run((context) -> {
                    FailureAnalysis analysis = analyze(context);
                    assertThat(analysis.getDescription()).contains("builder option 'maxBufferSize' is 1048576")
                            .contains("must be a power of two in [minBufferSize 2097152, 1073741824]")
                            .contains("comes from code").doesNotContain("8MB");
                    assertThat(analysis.getAction())
                            .contains("Pass a power of two in [minBufferSize 2097152, 1073741824] to "
                                    + "BufferPool.Builder.maxBufferSize(...)")
                            .doesNotContain("zeropool.");
                });
    }

    @Test
    void otherFailuresAreLeftToOtherAnalyzers() {
        assertThat(new ZeroPoolFailureAnalyzer(null).analyze(new IllegalStateException("unrelated"))).isNull();
    }

    /** Starts a context with {@code properties}, which must fail, and checks the report's description. */
    private void assertDescriptionOf(List<String> properties, String... parts) {
        this.runner.withPropertyValues(properties.toArray(String[]::new))
                .run((context) -> assertThat(analyze(context).getDescription()).contains(parts));
    }

    private FailureAnalysis analyze(AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        Throwable failure = context.getStartupFailure();
        List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation()
                .load(FailureAnalyzer.class, ArgumentResolver.of(Environment.class, this.failed.get().getEnvironment())
                        .and(BeanFactory.class, this.failed.get().getBeanFactory()),
                        // As Boot does: analyzers for libraries absent here (Hikari...) are skipped.
                        FailureHandler.logging(LogFactory.getLog(ZeroPoolFailureAnalyzerTests.class)));
        assertThat(analyzers).hasAtLeastOneElementOfType(ZeroPoolFailureAnalyzer.class);
        FailureAnalysis analysis = analyzers.stream()
                .map((analyzer) -> analyzer.analyze(failure))
                .filter(Objects::nonNull)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no analyzer explains " + failure));
        assertThat(analysis.getCause()).isNotNull();
        return analysis;
    }

    @Configuration(proxyBeanMethods = false)
    static class BadOwnPool {

        @Bean
        BufferPool myPool() {
            return BufferPool.builder().minBufferSize(2 << 20).maxBufferSize(1 << 20).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class BadCustomizer {

        @Bean
        ZeroPoolBuilderCustomizer sixShards() {
            return (BufferPool.Builder builder) -> builder.numShards(6);
        }
    }
}
