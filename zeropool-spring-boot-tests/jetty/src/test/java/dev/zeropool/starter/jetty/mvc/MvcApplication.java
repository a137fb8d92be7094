package dev.zeropool.starter.jetty.mvc;

import dev.zeropool.starter.jetty.Blob;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** A Spring MVC application on embedded Jetty that moves bytes both ways. */
@SpringBootApplication
public class MvcApplication {

    @RestController
    static class Bytes {

        /** Streams the request body back as the response body. */
        @PostMapping("/echo")
        void echo(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("application/octet-stream");
            request.getInputStream().transferTo(response.getOutputStream());
        }

        /** {@link Blob#of} {@code size} bytes of seed {@code seed}. */
        @GetMapping("/blob/{size}/{seed}")
        void blob(@PathVariable int size, @PathVariable long seed, HttpServletResponse response) throws IOException {
            response.setContentType("application/octet-stream");
            response.getOutputStream().write(Blob.of(size, seed));
        }
    }
}
