package dev.zeropool.autoconfigure;

import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.convert.ConversionException;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * {@link ConditionalOnSwitch}: reads the switch as Spring Boot binds a boolean property (so {@code true},
 * {@code false}, and the words its converter takes, {@code on}/{@code off}, {@code yes}/{@code no},
 * {@code 1}/{@code 0}, in any case), and refuses anything else with an {@link InvalidPoolPropertyException},
 * which {@link ZeroPoolFailureAnalyzer} reports with where the value was written.
 */
class OnSwitchCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Map<String, Object> attributes = metadata.getAnnotationAttributes(ConditionalOnSwitch.class.getName());
        String property = (String) attributes.get("value");
        boolean onByDefault = (Boolean) attributes.get("onByDefault");
        ConditionMessage.Builder message = ConditionMessage.forCondition(ConditionalOnSwitch.class, property);
        String written = context.getEnvironment().getProperty(property);
        if (written == null || written.isBlank()) { // empty reads as not set, as for a bound boolean
            return new ConditionOutcome(onByDefault, message.because("not set, " + (onByDefault ? "on" : "off")
                    + " by default"));
        }
        Boolean on = parse(written);
        if (on == null) {
            throw new InvalidPoolPropertyException(property, written, "true or false",
                    "The ZeroPool auto-configuration could not tell whether " + property + " is on");
        }
        return new ConditionOutcome(on, message.because("set to " + written));
    }

    /** The switch's value as a bound boolean would read it, or {@code null} if it is none. */
    private static Boolean parse(String written) {
        try {
            return ApplicationConversionService.getSharedInstance().convert(written, Boolean.class);
        } catch (ConversionException notABoolean) {
            return null;
        }
    }
}
