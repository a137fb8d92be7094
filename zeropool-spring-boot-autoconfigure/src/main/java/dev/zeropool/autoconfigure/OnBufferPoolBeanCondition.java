package dev.zeropool.autoconfigure;

import dev.zeropool.BufferPool;
import java.util.Arrays;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * {@link ConditionalOnBufferPoolBean}: looks up {@link BufferPool} bean definitions by type, default
 * candidates or not, of any scope as {@code @ConditionalOnBean} does, without creating anything. Evaluated when beans are registered, as
 * {@code @ConditionalOnBean} is, so it sees the pools of the configurations processed before it: the
 * application's, and those of the auto-configurations its user is ordered after.
 */
class OnBufferPoolBeanCondition extends SpringBootCondition implements ConfigurationCondition {

    @Override
    public ConfigurationPhase getConfigurationPhase() {
        return ConfigurationPhase.REGISTER_BEAN;
    }

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
        String[] pools = beanFactory == null ? new String[0]
                : beanFactory.getBeanNamesForType(BufferPool.class, true, false);
        ConditionMessage.Builder message = ConditionMessage.forCondition(ConditionalOnBufferPoolBean.class);
        if (pools.length == 0) {
            return ConditionOutcome.noMatch(message.didNotFind("BufferPool bean").atAll());
        }
        return ConditionOutcome.match(message.found("BufferPool bean", "BufferPool beans")
                .items(ConditionMessage.Style.QUOTE, Arrays.asList(pools)));
    }
}
