package dev.zeropool.sample;

/** An upload longer than {@link StorageProperties#maxFileSize()}. */
class FileTooLargeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    FileTooLargeException(long limit) {
        super("the body is larger than the limit of " + limit + " bytes");
    }
}
