package dev.zeropool.starter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

import dev.zeropool.BufferPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/** The zeropool.*.enabled switches (a custom condition) on the Boot line on the class path, 3.5 and 4.x alike. */
@ExtendWith(OutputCaptureExtension.class)
class StarterSwitchesTests {

    @Test
    void switchesOffAndOn() throws Exception {
        Class<?> trimmer = Class.forName("dev.zeropool.autoconfigure.BufferPoolTrimmer");
        try (ConfigurableApplicationContext context = start("zeropool.trim.enabled=false")) {
            assertThat(context.getBeansOfType(BufferPool.class)).hasSize(1);
            assertThat(context.getBeanNamesForType(trimmer)).isEmpty();
        }
        try (ConfigurableApplicationContext context = start("zeropool.trim.enabled=on")) {
            assertThat(context.getBeanNamesForType(trimmer)).hasSize(1);
        }
        try (ConfigurableApplicationContext context = start("zeropool.enabled=false")) {
            assertThat(context.getBeansOfType(BufferPool.class)).isEmpty();
        }
    }

    @Test
    void aSwitchThatIsNoBooleanIsReported(CapturedOutput output) {
        assertThatException().isThrownBy(() -> start("zeropool.metrics.enabled=flase").close());
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("property 'zeropool.metrics.enabled' is 'flase'");
    }

    private static ConfigurableApplicationContext start(String property) {
        return new SpringApplicationBuilder(TestApplication.class).web(WebApplicationType.NONE).properties(property)
                .run();
    }
}
