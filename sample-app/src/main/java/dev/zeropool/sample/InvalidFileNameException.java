package dev.zeropool.sample;

/** A file name that is not a plain name inside the storage folder (a path, {@code ..}, empty...). */
class InvalidFileNameException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    InvalidFileNameException(String name) {
        super("'" + name + "' is not a valid file name: use 1 to 255 letters, digits, '.', '_' or '-', "
                + "not starting with '.'");
    }
}
