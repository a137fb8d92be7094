package dev.zeropool;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MachineDefaultsTest {

    @ParameterizedTest(name = "{0} cpus -> {1} shards, {2} cached per thread, {3} per shard")
    @CsvSource({
        "1, 4, 2, 16",
        "2, 4, 2, 16",
        "3, 4, 4, 16",
        "4, 4, 4, 16",
        "5, 8, 6, 16",
        "8, 8, 6, 16",
        "9, 16, 8, 16",
        "15, 16, 8, 16",
        "16, 16, 8, 32",
        "20, 32, 8, 32",
        "24, 32, 8, 48",
        "31, 32, 8, 48",
        "32, 32, 8, 64",
        "100, 128, 8, 64",
        "512, 128, 8, 64",
    })
    void defaultsFollowTheCpuCount(int cpus, int shards, int tlsCacheSize, int perShard) {
        assertThat(MachineDefaults.numShards(cpus)).isEqualTo(shards);
        assertThat(MachineDefaults.tlsCacheSize(cpus)).isEqualTo(tlsCacheSize);
        assertThat(MachineDefaults.maxBuffersPerShard(cpus)).isEqualTo(perShard);
    }
}
