package dev.zeropool.starter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zeropool.autoconfigure.ZeroPoolProperties;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The starter's jar carries the configuration metadata that IDEs read to complete and document
 * {@code zeropool.*} keys, whichever Boot line the application is on.
 */
class ConfigurationMetadataTests {

    private static final List<String> KEYS = List.of("zeropool.enabled", "zeropool.shards",
            "zeropool.tls-cache-size", "zeropool.min-buffer-size", "zeropool.max-buffer-size",
            "zeropool.max-buffers-per-shard", "zeropool.max-pooled-memory", "zeropool.pinned-memory",
            "zeropool.eviction-policy", "zeropool.direct", "zeropool.validation", "zeropool.leak-detection",
            "zeropool.idle-timeout", "zeropool.clear-on-release", "zeropool.trim-interval", "zeropool.trim.enabled",
            "zeropool.metrics.enabled", "zeropool.jetty.enabled", "zeropool.jetty.max-pooled-memory");

    @Test
    @SuppressWarnings("unchecked")
    void everyKeyIsDescribed() throws IOException {
        Map<String, Object> metadata = (Map<String, Object>) Json.parse(starterMetadata());
        Map<String, Map<String, Object>> all = ((List<Map<String, Object>>) metadata.get("properties")).stream()
                .collect(Collectors.toMap((property) -> (String) property.get("name"), (property) -> property));
        // The endpoint's own keys, generated from @Endpoint, say who may reach /actuator/zeropool.
        assertThat(all).containsKey("management.endpoint.zeropool.access");
        Map<String, Map<String, Object>> properties = all.entrySet().stream()
                .filter((entry) -> entry.getKey().startsWith("zeropool."))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(properties).containsOnlyKeys(KEYS);
        properties.forEach((name, property) -> assertThat((String) property.get("description"))
                .as("description of %s", name).isNotBlank());
        assertThat(properties.get("zeropool.trim-interval")).containsEntry("defaultValue", "30s");
    }

    /** The metadata file of the jar holding the starter's properties class, not of Spring Boot's jars. */
    private static String starterMetadata() throws IOException {
        String jar = ZeroPoolProperties.class.getProtectionDomain().getCodeSource().getLocation().toString();
        for (URL url : Collections.list(ConfigurationMetadataTests.class.getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
            if (url.toString().contains(jar)) {
                try (InputStream in = url.openStream()) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        }
        throw new AssertionError("no configuration metadata beside " + jar);
    }
}
