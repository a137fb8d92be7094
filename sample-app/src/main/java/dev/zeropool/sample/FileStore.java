package dev.zeropool.sample;

import dev.zeropool.BufferLease;
import dev.zeropool.BufferPool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Files in one folder, written and read through buffers borrowed from the {@link BufferPool}. Every
 * borrowed buffer goes back to the pool before a method returns or throws. Thread-safe: concurrent
 * uploads of one name each write their own temporary file, the last one to finish wins, and only one of
 * them reports the name created.
 */
@Component
class FileStore {

    /*
     * A name is one plain path element: no separator, so it cannot name another folder, and no leading
     * dot, so it is never "." or ".." and never one of the hidden temporary files of unfinished uploads.
     */
    private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,254}");

    /** Locks striped by name, held only for the look and the move that end an upload. */
    private static final int NAME_LOCKS = 64;

    private final Object[] nameLocks = new Object[NAME_LOCKS];
    private final BufferPool pool;
    private final Path directory;
    private final long maxFileSize;
    private final int chunkSize;

    FileStore(BufferPool pool, StorageProperties properties) {
        Arrays.setAll(this.nameLocks, (i) -> new Object());
        this.pool = pool;
        this.directory = properties.directory().toAbsolutePath().normalize();
        this.maxFileSize = properties.maxFileSize().toBytes();
        this.chunkSize = Math.toIntExact(properties.chunkSize().toBytes());
        try {
            Files.createDirectories(this.directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the storage folder " + this.directory, e);
        }
    }

    /** @return the largest upload accepted, in bytes */
    long maxFileSize() {
        return this.maxFileSize;
    }

    /**
     * Stores {@code body} under {@code name}. The bytes go to a temporary file in the same folder, which is
     * forced to disk and moved over the target only once the whole body has arrived, as declared: a failed
     * upload leaves no partial file behind and the previous file, if any, intact.
     *
     * @param declaredLength the body's {@code Content-Length}, or -1 if it declared none (chunked)
     * @return whether the file is new (rather than replaced)
     * @throws InvalidFileNameException if the name is not a plain file name
     * @throws NameTakenException if a folder has the name
     * @throws FileTooLargeException if the body is longer than the limit
     * @throws IncompleteUploadException if reading the body fails (the client went away mid-body) or the
     *     bytes received differ from {@code declaredLength}
     * @throws IOException if the file cannot be written
     */
    boolean write(String name, ReadableByteChannel body, long declaredLength) throws IOException {
        Path target = resolve(name);
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new NameTakenException(name); // before the body is read: the move could never replace it
        }
        // made at start-up, but a tmp cleaner may have removed it since: a NoSuchFileException here would be
        // answered "404 no such file", as if the client had asked for a file that is not there
        Files.createDirectories(this.directory);
        Path partial = this.directory.resolve(".upload-" + UUID.randomUUID());
        try {
            copyLimited(body, declaredLength, partial);
            // the look and the move as one step per name: two uploads of a new name finishing together
            // must not both report it created
            synchronized (this.nameLocks[Math.floorMod(target.getFileName().toString().hashCode(), NAME_LOCKS)]) {
                boolean created = !Files.exists(target);
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return created;
            }
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private void copyLimited(ReadableByteChannel body, long declaredLength, Path partial) throws IOException {
        try (BufferLease lease = this.pool.lease(this.chunkSize);
                FileChannel file = FileChannel.open(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = lease.buffer();
            long total = 0;
            while (read(body, buffer.clear(), total, declaredLength) >= 0) {
                total += buffer.position();
                if (total > this.maxFileSize) {
                    throw new FileTooLargeException(this.maxFileSize);
                }
                if (declaredLength >= 0 && total > declaredLength) {
                    throw IncompleteUploadException.longerThan(declaredLength);
                }
                buffer.flip();
                while (buffer.hasRemaining()) {
                    file.write(buffer);
                }
            }
            // The container enforces Content-Length; this check keeps the promise if one does not.
            if (declaredLength >= 0 && total != declaredLength) {
                throw IncompleteUploadException.endedAfter(total, declaredLength, null);
            }
            // Acknowledged means stored: the bytes reach the disk before the move makes them the file.
            file.force(true);
        }
    }

    /** Reads from the request body; a failure there is the client's (gone mid-body, bad chunking), not ours. */
    private static int read(ReadableByteChannel body, ByteBuffer into, long received, long declaredLength) {
        try {
            return body.read(into);
        } catch (IOException e) {
            throw IncompleteUploadException.endedAfter(received, declaredLength, e);
        }
    }

    /**
     * Opens a stored file for {@link #copy(FileChannel, WritableByteChannel)}.
     *
     * @throws InvalidFileNameException if the name is not a plain file name
     * @throws NoSuchFileException if there is no such file
     */
    FileChannel open(String name) throws IOException {
        return FileChannel.open(existing(name), StandardOpenOption.READ);
    }

    /**
     * The path of a stored file: a regular file under the name, not a folder someone else made in the
     * storage folder (which opens for reading on Linux, and then fails the first read).
     *
     * @throws InvalidFileNameException if the name is not a plain file name
     * @throws NoSuchFileException if there is no regular file of that name
     */
    Path existing(String name) throws NoSuchFileException {
        Path path = resolve(name);
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(path.toString(), null, "no regular file");
        }
        return path;
    }

    /** Copies the whole file to {@code out}, chunk by chunk through one pooled buffer. */
    void copy(FileChannel file, WritableByteChannel out) throws IOException {
        try (BufferLease lease = this.pool.lease(this.chunkSize)) {
            ByteBuffer buffer = lease.buffer();
            while (file.read(buffer.clear()) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
            }
        }
    }

    /** The file's path, checked both by pattern and, as a second line of defence, by where it resolves. */
    Path resolve(String name) {
        if (name == null || !VALID_NAME.matcher(name).matches()) {
            throw new InvalidFileNameException(String.valueOf(name));
        }
        Path path = this.directory.resolve(name).normalize();
        if (!this.directory.equals(path.getParent())) {
            throw new InvalidFileNameException(name);
        }
        return path;
    }
}
