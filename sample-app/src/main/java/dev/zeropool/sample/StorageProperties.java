package dev.zeropool.sample;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Where and how the sample stores files, bound to {@code sample.storage.*}.
 *
 * @param directory   folder holding the files; created at start-up if missing
 * @param maxFileSize largest upload accepted; a larger body is refused with 413
 * @param chunkSize   size of the pooled buffer each transfer streams through
 */
@ConfigurationProperties("sample.storage")
public record StorageProperties(
        Path directory,
        @DefaultValue("64MB") DataSize maxFileSize,
        @DefaultValue("64KB") DataSize chunkSize) {
}
