package dev.zeropool.sample;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The name in a request's path as the client wrote it. Why: Spring MVC reads {@code ;...} in a path
 * segment as matrix variables and cuts it off before {@code @PathVariable} sees the name, so
 * {@code PUT /files/victim.bin;v=2} would store under {@code victim.bin}, and a {@code GET} of
 * {@code secret.bin;x} would serve {@code secret.bin}: a name with a character outside the allowed set
 * must be refused, never read as another name. Stateless.
 */
final class RawPathNames {

    private RawPathNames() {
    }

    /**
     * @throws InvalidFileNameException naming the raw path segment, if the request's path has a {@code ;}
     *     (which no valid name holds)
     */
    static void refuseMatrixContent(HttpServletRequest request) {
        String path = request.getRequestURI();
        int semicolon = path.indexOf(';');
        if (semicolon >= 0) {
            int end = path.indexOf('/', semicolon);
            throw new InvalidFileNameException(path.substring(path.lastIndexOf('/', semicolon) + 1,
                    end < 0 ? path.length() : end));
        }
    }
}
