package dev.zeropool.sample;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code PUT /files/{name}} stores the raw request body; {@code GET /files/{name}} streams it back.
 * Both stream through pooled buffers, never holding a whole file in memory. An upload is acknowledged
 * (201 new, 204 replaced) only once every byte sent is on disk. Refusals are RFC 9457 problem details
 * (see {@link ProblemResponses}): 400 for a name that is not a plain file name or a body that did not
 * arrive whole, 404 for a missing file, 413 for a body over {@code sample.storage.max-file-size}, 415
 * for a body that is not raw bytes.
 */
@RestController
class FilesController {

    private final FileStore store;

    FilesController(FileStore store) {
        this.store = store;
    }

    /*
     * Only a raw body is taken: application/octet-stream, or no Content-Type, which Spring matches as
     * octet-stream. Anything else (a form, multipart, JSON...) is refused with 415 before a byte of it is
     * read: the container would otherwise parse a form or multipart body itself and leave nothing to store.
     */
    @PutMapping(path = "/files/{name}", consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    ResponseEntity<Void> upload(@PathVariable String name, HttpServletRequest request) throws IOException {
        RawPathNames.refuseMatrixContent(request);
        this.store.resolve(name);
        long declaredLength = request.getContentLengthLong();
        // Refuse a declared oversize body before reading a byte of it; an undeclared (chunked) one is
        // counted as it streams in.
        if (declaredLength > this.store.maxFileSize()) {
            throw new FileTooLargeException(this.store.maxFileSize());
        }
        boolean created = this.store.write(name, Channels.newChannel(request.getInputStream()), declaredLength);
        return created ? ResponseEntity.created(URI.create("/files/" + name)).build()
                : ResponseEntity.noContent().build();
    }

    /*
     * With a Content-Length, clients show progress and know a download is complete. The server may then
     * finish the response as soon as the last byte is written, a moment before the pooled buffer is
     * back in the pool: code that checks the pool after a download must wait for it to settle.
     */
    @GetMapping("/files/{name}")
    void download(@PathVariable String name, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        RawPathNames.refuseMatrixContent(request);
        try (FileChannel file = this.store.open(name)) {
            response.setContentType(MediaType.APPLICATION_OCTET_STREAM_VALUE);
            response.setContentLengthLong(file.size());
            this.store.copy(file, Channels.newChannel(response.getOutputStream()));
        }
    }
}
