package dev.zeropool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.beans.PropertyDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.BeanUtils;

/**
 * The metadata generated into the built module (what IDEs read to complete {@code zeropool.} keys)
 * describes every key.
 */
class ConfigurationMetadataTests {

    private static final List<String> KEYS = List.of("zeropool.enabled", "zeropool.shards",
            "zeropool.tls-cache-size", "zeropool.min-buffer-size", "zeropool.max-buffer-size",
            "zeropool.max-buffers-per-shard", "zeropool.max-pooled-memory", "zeropool.pinned-memory",
            "zeropool.eviction-policy", "zeropool.direct", "zeropool.validation", "zeropool.leak-detection",
            "zeropool.idle-timeout", "zeropool.clear-on-release", "zeropool.trim-interval", "zeropool.trim.enabled",
            "zeropool.metrics.enabled", "zeropool.jetty.enabled", "zeropool.jetty.max-pooled-memory");

    @Test
    void everyKeyIsThereWithADescription() throws Exception {
        Map<String, JsonNode> properties = zeroPoolProperties(metadata());
        assertThat(properties).containsOnlyKeys(KEYS);
        properties.forEach((name, property) -> assertThat(property.path("description").asText())
                .as("description of %s", name).isNotBlank().endsWith("."));
    }

    @Test
    void everyFieldOfThePropertiesClassHasAKey() throws Exception {
        Map<String, JsonNode> properties = zeroPoolProperties(metadata());
        for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(ZeroPoolProperties.class)) {
            if (descriptor.getWriteMethod() != null) {
                assertThat(properties).containsKey("zeropool." + kebab(descriptor.getName()));
            }
        }
    }

    @Test
    void pooledSettingsHaveNoDefaultValueSoTheCoreDefaultsAreTheOnlyCopy() throws Exception {
        zeroPoolProperties(metadata()).forEach((name, property) -> {
            // The switches and the trim schedule belong to the auto-configuration, not to the pool.
            if (!name.endsWith(".enabled") && !name.equals("zeropool.trim-interval")) {
                assertThat(property.has("defaultValue")).as("defaultValue of %s", name).isFalse();
            }
        });
    }

    /* An IDE shows what a switch does when it is not set: on, but for Jetty's, which is off. */
    @Test
    void theSwitchesShowTheirDefaults() throws Exception {
        Map<String, JsonNode> properties = zeroPoolProperties(metadata());
        assertThat(properties.get("zeropool.enabled").path("defaultValue").asText()).isEqualTo("true");
        assertThat(properties.get("zeropool.trim.enabled").path("defaultValue").asText()).isEqualTo("true");
        assertThat(properties.get("zeropool.metrics.enabled").path("defaultValue").asText()).isEqualTo("true");
        assertThat(properties.get("zeropool.jetty.enabled").path("defaultValue").asText()).isEqualTo("false");
    }

    @Test
    void theTrimIntervalShowsItsDefault() throws Exception {
        assertThat(zeroPoolProperties(metadata()).get("zeropool.trim-interval").path("defaultValue").asText())
                .isEqualTo("30s");
    }

    @Test
    void enumValuesAreHintedWithDescriptions() throws Exception {
        JsonNode metadata = metadata();
        assertThat(hintedValues(metadata, "zeropool.eviction-policy")).containsExactly("clock-pro", "lifo");
        assertThat(hintedValues(metadata, "zeropool.validation")).containsExactly("off", "fast", "strict");
        assertThat(hintedValues(metadata, "zeropool.leak-detection")).containsExactly("off", "sampled", "all");
    }

    private static List<String> hintedValues(JsonNode metadata, String name) {
        List<String> values = new ArrayList<>();
        for (JsonNode hint : metadata.path("hints")) {
            if (hint.path("name").asText().equals(name)) {
                hint.path("values").forEach((value) -> {
                    assertThat(value.path("description").asText()).as("description of %s", value).isNotBlank();
                    values.add(value.path("value").asText());
                });
            }
        }
        return values;
    }

    private static JsonNode metadata() throws Exception {
        // The module's own build output, not the metadata of another jar on the class path.
        Path classes = Path.of(ZeroPoolProperties.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path file = classes.resolve("META-INF/spring-configuration-metadata.json");
        assertThat(file).exists();
        return new ObjectMapper().readTree(Files.readString(file));
    }

    private static Map<String, JsonNode> zeroPoolProperties(JsonNode metadata) {
        Map<String, JsonNode> properties = new LinkedHashMap<>();
        for (JsonNode property : metadata.path("properties")) {
            String name = property.path("name").asText();
            if (name.startsWith("zeropool.")) {
                properties.put(name, property);
            }
        }
        return properties;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
