package dev.zeropool.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Conditional;

/**
 * Matches when the context defines a {@link dev.zeropool.BufferPool} bean of any kind: the
 * auto-configured one, the application's own, or one declared {@code @Bean(defaultCandidate = false)}
 * (the Jetty pools), which Spring Boot's {@code @ConditionalOnBean} leaves out, since it looks only for
 * candidates for injection by type. The endpoint, the meters and the trimmer cover every such pool (see
 * {@link BufferPoolBeans}), so they must exist whenever one does.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@Documented
@Conditional(OnBufferPoolBeanCondition.class)
@interface ConditionalOnBufferPoolBean {
}
