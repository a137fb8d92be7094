package dev.zeropool.starter.jetty.mvc;

import dev.zeropool.autoconfigure.ZeroPoolJettyAutoConfiguration;

/** The bean names of the Jetty pools, as a test reads them. */
final class ZeroPoolJettyPools {

    static final String DIRECT = ZeroPoolJettyAutoConfiguration.DIRECT_POOL;
    static final String HEAP = ZeroPoolJettyAutoConfiguration.HEAP_POOL;

    private ZeroPoolJettyPools() {
    }
}
