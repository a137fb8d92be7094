package dev.zeropool.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WorkerTensorsTest {

    @Test
    void aTaskTakes148BuffersFrom3KiBTo384KiBMostlySmall() {
        int[] bytes = WorkerTensors.bytes();

        assertThat(bytes).hasSize(148);
        assertThat(Arrays.stream(bytes).min().getAsInt()).isEqualTo(3 << 10);
        assertThat(Arrays.stream(bytes).max().getAsInt()).isEqualTo(384 << 10);
        assertThat(Arrays.stream(bytes).filter(size -> size <= 12 << 10).count()).isEqualTo(98);
        assertThat(Arrays.stream(bytes).distinct().sorted().toArray())
                .containsExactly(3 << 10, 9 << 10, 12 << 10, 96 << 10, 128 << 10, 288 << 10, 384 << 10);
    }

    @Test
    void theListIsTheSameEveryTime() {
        assertThat(WorkerTensors.bytes()).containsExactly(WorkerTensors.bytes());
    }
}
