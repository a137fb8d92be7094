package dev.zeropool.starter.jetty.flux;

import dev.zeropool.starter.jetty.Blob;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/** A WebFlux application on embedded Jetty that moves bytes both ways. */
@SpringBootApplication
public class FluxApplication {

    @Bean
    RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route()
                .POST("/echo", (request) -> request.bodyToMono(byte[].class)
                        .flatMap((body) -> ServerResponse.ok().contentType(MediaType.APPLICATION_OCTET_STREAM)
                                .bodyValue(body)))
                .GET("/blob/{size}/{seed}", (request) -> ServerResponse.ok()
                        .contentType(MediaType.APPLICATION_OCTET_STREAM)
                        .bodyValue(Blob.of(Integer.parseInt(request.pathVariable("size")),
                                Long.parseLong(request.pathVariable("seed")))))
                .build();
    }
}
