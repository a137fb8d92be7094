package dev.zeropool.autoconfigure;

import dev.zeropool.BufferPool;
import java.util.Map;
import org.springframework.beans.factory.ListableBeanFactory;

/**
 * Every {@link BufferPool} bean of a context, by bean name, for the endpoint, the meters and the trimmer.
 *
 * <p>Why not inject {@code Map<String, BufferPool>}: such a map holds only the beans that are candidates
 * for injection by type, and pools that must not get in the way of the application's own
 * {@code BufferPool} (Jetty's, declared {@code @Bean(defaultCandidate = false)}) are not. They still
 * belong in the endpoint, the meters and the trim rounds.
 */
final class BufferPoolBeans {

    private BufferPoolBeans() {
    }

    /**
     * @return the singleton pools, by bean name, creating any not yet created. Not prototype (or other
     *     scoped) pools: asking for those would build new pools that nobody uses or closes, and the
     *     endpoint, meters and trims would describe those instead of the application's.
     */
    static Map<String, BufferPool> of(ListableBeanFactory beanFactory) {
        return beanFactory.getBeansOfType(BufferPool.class, false, true);
    }
}
