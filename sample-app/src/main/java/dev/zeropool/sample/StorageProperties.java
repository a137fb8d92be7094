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

    /**
     * Refuses sizes the store cannot work with: a chunk of no bytes would make every transfer read and
     * write nothing forever, and one over 2 GiB is no buffer.
     *
     * @throws IllegalArgumentException naming the property, the value and the allowed range
     */
    public StorageProperties {
        if (maxFileSize != null && maxFileSize.toBytes() < 0) {
            throw new IllegalArgumentException("sample.storage.max-file-size must be at least 0 bytes, was "
                    + maxFileSize.toBytes() + " bytes");
        }
        if (chunkSize != null && (chunkSize.toBytes() < 1 || chunkSize.toBytes() > Integer.MAX_VALUE)) {
            throw new IllegalArgumentException("sample.storage.chunk-size must be in [1, " + Integer.MAX_VALUE
                    + "] bytes, was " + chunkSize.toBytes() + " bytes");
        }
    }
}
