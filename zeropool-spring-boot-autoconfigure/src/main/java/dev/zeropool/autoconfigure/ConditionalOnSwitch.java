package dev.zeropool.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Conditional;

/**
 * Matches when a {@code zeropool.*.enabled} switch is on: set to a boolean that Spring Boot binds as
 * {@code true}, or not set and on by default. A value that is no boolean (a typo such as {@code flase})
 * stops the start, naming the property, the value and what is allowed, where
 * {@code @ConditionalOnProperty(havingValue = "true")} would switch the feature off without a word: a pool
 * that is never trimmed, or has no meters, would be found only in production.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@Documented
@Conditional(OnSwitchCondition.class)
@interface ConditionalOnSwitch {

    /** @return the full property name, such as {@code zeropool.trim.enabled} */
    String value();

    /** @return whether the feature is on when the property is not set */
    boolean onByDefault() default true;
}
