package dev.zeropool.sample;

/**
 * An upload whose body did not arrive as declared: the connection broke off mid-body, or the bytes
 * received differ from the request's {@code Content-Length}. Nothing of it is stored.
 */
class IncompleteUploadException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    IncompleteUploadException(String message) {
        super(message);
    }

    IncompleteUploadException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * The body ended, or broke off, after {@code received} bytes.
     *
     * @param declared the {@code Content-Length}, or -1 when none was declared
     * @param cause    the failed read, kept for the log rather than shown to the client; may be null
     */
    static IncompleteUploadException endedAfter(long received, long declared, Throwable cause) {
        String expected = declared < 0 ? "" : " of the " + declared + " that Content-Length declared";
        return new IncompleteUploadException("the body ended after " + received + " bytes" + expected
                + "; nothing was stored", cause);
    }

    /** The body went on past the {@code declared} bytes of its {@code Content-Length}. */
    static IncompleteUploadException longerThan(long declared) {
        return new IncompleteUploadException("the body is longer than the " + declared
                + " bytes that Content-Length declared; nothing was stored");
    }
}
