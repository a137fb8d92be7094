package dev.zeropool.starter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A bad {@code zeropool.*} value stops start-up with the report a user sees on the console: Spring
 * Boot's "APPLICATION FAILED TO START" block, written from the starter's failure analyzer, in
 * property terms rather than as a stack trace.
 */
@ExtendWith(OutputCaptureExtension.class)
class FailureReportTests {

    @Test
    void aBadKeyIsReportedByPropertyNameValueAndWhatIsAllowed(CapturedOutput output) {
        assertThatException().isThrownBy(() -> start("zeropool.shards=3"));
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("property 'zeropool.shards' is '3'")
                .contains("must be a power of two in [1, 1024]")
                .contains("Change 'zeropool.shards' to a power of two in [1, 1024], or remove it");
    }

    @Test
    void aSizeBeyondWhatABufferHoldsIsReportedInTheUnitsItWasWrittenIn(CapturedOutput output) {
        assertThatException().isThrownBy(() -> start("zeropool.max-buffer-size=4GB"));
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("property 'zeropool.max-buffer-size' is '4GB'")
                .contains("Change 'zeropool.max-buffer-size'");
    }

    private static void start(String property) {
        new SpringApplicationBuilder(TestApplication.class).web(WebApplicationType.NONE).properties(property).run()
                .close();
    }
}
