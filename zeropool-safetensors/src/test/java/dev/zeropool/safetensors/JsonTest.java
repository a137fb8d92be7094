package dev.zeropool.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void parsesEveryKindOfValueKeepingKeyOrder() {
        Object value = Json.parse(" {\"z\": [1, -2.5e3, true, false, null], \"a\": {\"s\": \"x\\\"\\u00e9\\n\"}} ");
        assertThat(value).isEqualTo(Map.of("z", java.util.Arrays.asList(1L, -2500.0, true, false, null),
                "a", Map.of("s", "x\"\u00e9\n")));
        assertThat(List.copyOf(((Map<?, ?>) value).keySet())).isEqualTo(List.of("z", "a"));
    }

    @Test
    void emptyContainersParse() {
        assertThat(Json.parse("{}")).isEqualTo(Map.of());
        assertThat(Json.parse("[]")).isEqualTo(List.of());
    }

    @Test
    void malformedInputIsRejectedWithItsOffset() {
        assertThatThrownBy(() -> Json.parse("{\"a\":1,}")).hasMessageContaining("offset 7");
        assertThatThrownBy(() -> Json.parse("[1] 2")).hasMessageContaining("trailing content");
        assertThatThrownBy(() -> Json.parse("{\"a\":1,\"a\":2}")).hasMessageContaining("duplicate key \"a\"");
        assertThatThrownBy(() -> Json.parse("\"\\x\"")).hasMessageContaining("unknown escape");
        assertThatThrownBy(() -> Json.parse("[1")).hasMessageContaining("unexpected end of input");
    }
}
