package dev.zeropool.autoconfigure;

import dev.zeropool.PoolConfigException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * Turns a pool setting that was refused at start-up into a report in the user's terms: the
 * {@code zeropool.*} property, the value as written and where it was written, what is allowed, and what
 * to do. Handles {@link PoolConfigException} (the pool's own range checks, reported in builder option
 * names) and {@link InvalidPoolPropertyException} (sizes the builder cannot even take).
 *
 * <p>Registered in {@code META-INF/spring.factories}; Spring Boot passes the failed context's
 * {@link Environment} to the constructor, which is where the written values and their origins are.
 */
class ZeroPoolFailureAnalyzer implements FailureAnalyzer {

    /** An ISO-8601 duration as {@link Duration#toString()} writes it, such as {@code PT8760H}. */
    private static final Pattern ISO_DURATION = Pattern.compile("PT[0-9HMS.]+");

    /** From the largest unit down: a duration is shown in the largest one that holds it exactly. */
    private static final ChronoUnit[] DURATION_UNITS = { ChronoUnit.DAYS, ChronoUnit.HOURS, ChronoUnit.MINUTES,
            ChronoUnit.SECONDS, ChronoUnit.MILLIS, ChronoUnit.MICROS, ChronoUnit.NANOS };

    private static final String POOL_NOT_BUILT = "The BufferPool could not be built";

    private final Environment environment;

    ZeroPoolFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof PoolConfigException refused) {
                return analyzeRefusedOption(refused);
            }
            if (cause instanceof InvalidPoolPropertyException invalid) {
                return reportProperty(invalid.failed(), invalid.property(), written(invalid.property()), "",
                        invalid.allowed(), invalid);
            }
        }
        return null;
    }

    private FailureAnalysis analyzeRefusedOption(PoolConfigException refused) {
        Optional<PoolProperty> property = PoolProperty.forOption(refused.option());
        ConfigurationProperty written = property.map((p) -> written(p.property())).orElse(null);
        // A property that is set but gives another value than the refused one is not to blame: a customizer
        // or the application's own pool set the option after (or instead of) the properties.
        if (written == null || !givesRefusedValue(property.get(), refused)) {
            return reportCode(refused);
        }
        String allowed = inPropertyStyle(PoolProperty.inPropertyTerms(refused.allowed()));
        String inBytes = property.get().isBytes() ? refused.value() + " bytes" : "";
        return reportProperty(POOL_NOT_BUILT, property.get().property(), written, inBytes,
                property.get().isBytes() ? inBytes(allowed) : allowed, refused);
    }

    /** Whether the properties, bound as the starter binds them, give the option the value it refused. */
    private boolean givesRefusedValue(PoolProperty property, PoolConfigException refused) {
        try {
            return Binder.get(this.environment).bind("zeropool", ZeroPoolProperties.class)
                    .map(property::builderValue)
                    .map(refused.value()::equals)
                    .orElse(false);
        } catch (RuntimeException ex) {
            return true; // cannot bind them again here: the property as written is still the best lead
        }
    }

    private static FailureAnalysis reportProperty(String failed, String name, ConfigurationProperty written,
            String note, String allowed, Throwable cause) {
        String value = (written != null) ? "'" + written.getValue() + "'" : "unknown";
        String origin = (written != null && written.getOrigin() != null) ? "from " + written.getOrigin() : "";
        String details = join(note, origin);
        String description = failed + ": property '" + name + "' is " + value
                + (details.isEmpty() ? "" : " (" + details + ")") + ", but it must be " + allowed + ".";
        // Pool settings default to what suits the machine; the others (trim-interval) to a fixed value.
        String fallback = PoolProperty.forProperty(name).isPresent() ? "the pool's default for this machine"
                : "its default";
        String action = "Change '" + name + "' to " + asValue(allowed) + ", or remove it to use " + fallback + ".";
        return new FailureAnalysis(description, action, cause);
    }

    /** In the builder's own terms: option names and ISO-8601 durations, as the Java code that set it reads. */
    private static FailureAnalysis reportCode(PoolConfigException refused) {
        String description = POOL_NOT_BUILT + ": builder option '" + refused.option() + "' is " + refused.value()
                + ", but it must be " + refused.allowed() + ". No zeropool.* property gives it that value, so it "
                + "comes from code: a ZeroPoolBuilderCustomizer bean or a BufferPool the application builds.";
        String action = "Pass " + asValue(refused.allowed()) + " to BufferPool.Builder." + refused.option()
                + "(...), or leave the option unset to use the pool's default for this machine.";
        return new FailureAnalysis(description, action, refused);
    }

    /** What is allowed, as the object of "change it to": "in [0, 1024]" becomes "a value in [0, 1024]". */
    static String asValue(String allowed) {
        if (allowed.startsWith("in ")) {
            return "a value " + allowed;
        }
        return allowed.startsWith("at ") ? "a value of " + allowed : allowed;
    }

    /** A range of bytes in words: "at least 1" becomes "at least 1 byte", any other "... bytes". */
    static String inBytes(String allowed) {
        return allowed + (allowed.endsWith(" 1") ? " byte" : " bytes");
    }

    /** The property as the user wrote it, with its origin; {@code null} if no property source sets it. */
    private ConfigurationProperty written(String name) {
        if (!(this.environment instanceof ConfigurableEnvironment configurable)) {
            return null;
        }
        ConfigurationPropertyName key = ConfigurationPropertyName.of(name);
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(configurable)) {
            ConfigurationProperty property = source.getConfigurationProperty(key);
            if (property != null) {
                return property;
            }
        }
        return null;
    }

    /**
     * Rewrites the core's ISO-8601 durations ({@code PT8760H}) in the style a property is written in
     * ({@code 365d}), so that the allowed range reads like the value the user wrote.
     */
    static String inPropertyStyle(String text) {
        Matcher matcher = ISO_DURATION.matcher(text);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(result, Matcher.quoteReplacement(simple(Duration.parse(matcher.group()))));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    private static String simple(Duration duration) {
        for (ChronoUnit unit : DURATION_UNITS) {
            Duration one = unit.getDuration();
            boolean whole = (one.getSeconds() > 0)
                    ? duration.getNano() == 0 && duration.getSeconds() % one.getSeconds() == 0
                    : duration.getNano() % one.getNano() == 0;
            if (whole) {
                return DurationStyle.SIMPLE.print(duration, unit);
            }
        }
        throw new IllegalStateException("nanoseconds hold every duration");
    }

    private static String join(String first, String second) {
        if (first.isEmpty()) {
            return second;
        }
        return second.isEmpty() ? first : first + ", " + second;
    }
}
