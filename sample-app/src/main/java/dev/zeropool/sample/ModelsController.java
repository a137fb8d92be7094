package dev.zeropool.sample;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /models/{name}/load} loads a file stored with {@code PUT /files/{name}} as a safetensors
 * checkpoint through the pool (see {@link ModelLoader}) and answers with a {@link ModelLoad}. POST, not
 * GET: each call does the work again and moves the pool's state, so it must not be cached or prefetched.
 * Refusals are problem details: 400 for a bad name, 404 for a missing file, 422 for a file that is not
 * valid safetensors (whatever its bytes), holds a tensor larger than one buffer, or whose buffers would
 * take more than twice {@code sample.storage.max-file-size} at once; 406 for a client that accepts no JSON.
 */
@RestController
class ModelsController {

    private final ModelLoader loader;

    ModelsController(ModelLoader loader) {
        this.loader = loader;
    }

    // produces: a client that accepts no JSON is refused (406) before the load, not after it
    @PostMapping(path = "/models/{name}/load", produces = MediaType.APPLICATION_JSON_VALUE)
    ModelLoad load(@PathVariable String name, HttpServletRequest request) throws IOException {
        RawPathNames.refuseMatrixContent(request);
        return this.loader.load(name);
    }
}
