package dev.zeropool.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * A file service whose uploads and downloads stream through the auto-configured
 * {@link dev.zeropool.BufferPool}: {@code PUT /files/{name}} and {@code GET /files/{name}}, and
 * {@code POST /models/{name}/load}, which loads a stored safetensors file through the pool, with the
 * pool visible at {@code /actuator/zeropool} and {@code /actuator/prometheus}.
 */
@SpringBootApplication
@EnableConfigurationProperties(StorageProperties.class)
public class SampleApplication {

    /**
     * Starts the service.
     *
     * @param args Spring Boot command-line arguments, such as {@code --server.port=9090}
     */
    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
