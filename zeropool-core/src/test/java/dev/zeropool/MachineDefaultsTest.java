package dev.zeropool;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MachineDefaultsTest {

    @ParameterizedTest(name = "{0} cpus -> {1} shards, {2} cached per thread")
    @CsvSource({
        "1, 8, 4",
        "2, 8, 4",
        "3, 8, 4",
        "4, 8, 4",
        "5, 16, 4",
        "8, 16, 4",
        "9, 32, 4",
        "16, 32, 4",
        "20, 64, 4",
        "32, 64, 4",
        "100, 256, 4",
        "512, 256, 4",
    })
    void defaultsFollowTheCpuCount(int cpus, int shards, int tlsCacheSize) {
        assertThat(MachineDefaults.numShards(cpus)).isEqualTo(shards);
        assertThat(MachineDefaults.tlsCacheSize(cpus)).isEqualTo(tlsCacheSize);
    }

    @Test
    void theDefaultCountBoundNeverBindsBeforeTheByteBudget() {
        // Every buffer has at least minBufferSize bytes, so a shard holding the whole budget in the
        // smallest class still has count room.
        assertThat(MachineDefaults.maxBuffersPerShard(1L << 30, 4096)).isEqualTo(262_144);
        assertThat(MachineDefaults.maxBuffersPerShard(4097, 4096)).isEqualTo(2);
        assertThat(MachineDefaults.maxBuffersPerShard(1, 4096)).isEqualTo(1);
        assertThat(MachineDefaults.maxBuffersPerShard(Long.MAX_VALUE, 16)).isEqualTo(Integer.MAX_VALUE);
    }
}
