package dev.zeropool.sample;

/**
 * An upload to a name that something other than a stored file holds in the storage folder (a folder another
 * process made there): it cannot be replaced by a file, and is not the client's to remove.
 */
class NameTakenException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    NameTakenException(String name) {
        super("'" + name + "' is taken by a folder in the storage folder: choose another name");
    }
}
