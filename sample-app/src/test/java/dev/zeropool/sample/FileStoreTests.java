package dev.zeropool.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zeropool.BufferPool;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/**
 * The store on its own: the name rules (HTTP servers refuse many bad paths first, this is the last line)
 * and what a body that does not arrive as declared leaves behind (nothing, and the buffer back).
 */
class FileStoreTests {

    @TempDir
    Path storage;

    @Test
    void aChunkSizeOrFileSizeOutsideItsRangeIsRefusedNamingTheValue() {
        // a chunk of 0 bytes made every upload and download read nothing forever
        for (long chunk : new long[] { 0, -1, 1L << 31 }) {
            assertThatThrownBy(() -> new StorageProperties(this.storage, DataSize.ofMegabytes(64), DataSize.ofBytes(chunk)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("sample.storage.chunk-size must be in [1, 2147483647] bytes, was " + chunk + " bytes");
        }
        assertThatThrownBy(() -> new StorageProperties(this.storage, DataSize.ofBytes(-1), DataSize.ofKilobytes(64)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sample.storage.max-file-size must be at least 0 bytes, was -1 bytes");
        assertThat(new StorageProperties(this.storage, DataSize.ofBytes(0), DataSize.ofBytes(1)).chunkSize().toBytes())
                .isEqualTo(1);
    }

    @Test
    void onlyPlainNamesInsideTheFolderResolve() {
        try (BufferPool pool = new BufferPool()) {
            FileStore store = store(pool);
            assertThat(store.resolve("report-2024.final_v2.pdf")).isEqualTo(this.storage.resolve("report-2024.final_v2.pdf"));
            for (String name : new String[] { "..", ".", "../x", "../../etc/passwd", "/etc/passwd", "a/b", "a\\b",
                    "..\\x", "", ".upload-123", "x".repeat(256), "nul\0l", "C:\\x" }) {
                assertThatThrownBy(() -> store.resolve(name)).as(name).isInstanceOf(InvalidFileNameException.class);
            }
        }
    }

    @Test
    void ofUploadsOfOneNewNameFinishingTogetherOnlyOneReportsItCreated() throws Exception {
        int writers = 8;
        try (BufferPool pool = new BufferPool()) {
            FileStore store = new FileStore(pool, new StorageProperties(this.storage, DataSize.ofMegabytes(1),
                    DataSize.ofKilobytes(4)));
            ExecutorService threads = Executors.newFixedThreadPool(writers);
            try {
                for (int round = 0; round < 300; round++) {
                    String name = "race-" + round;
                    CyclicBarrier together = new CyclicBarrier(writers);
                    List<Future<Boolean>> created = new ArrayList<>();
                    for (int i = 0; i < writers; i++) {
                        created.add(threads.submit(() -> {
                            together.await();
                            return store.write(name, Channels.newChannel(new ByteArrayInputStream(new byte[16])), 16);
                        }));
                    }
                    int reportedCreated = 0;
                    for (Future<Boolean> result : created) {
                        reportedCreated += result.get() ? 1 : 0;
                    }
                    assertThat(reportedCreated).as("uploads of %s that reported it created (201)", name).isEqualTo(1);
                }
            } finally {
                threads.shutdownNow();
            }
        }
    }

    @Test
    void theBufferGoesBackWhenAnUploadIsTooLarge() {
        try (BufferPool pool = new BufferPool()) {
            FileStore store = new FileStore(pool, new StorageProperties(this.storage, DataSize.ofBytes(10),
                    DataSize.ofKilobytes(4)));
            assertThatThrownBy(() -> store.write("x", body(11), -1))
                    .isInstanceOf(FileTooLargeException.class);
            assertThat(pool.stats().gets()).isEqualTo(1);
            assertThat(pool.stats().kept() + pool.stats().dropped()).isEqualTo(1);
            assertThat(this.storage).isEmptyDirectory();
        }
    }

    @Test
    void aBodyShorterThanItsDeclaredLengthIsRefusedAndTheExistingFileKept() throws Exception {
        try (BufferPool pool = new BufferPool()) {
            FileStore store = store(pool);
            assertThat(store.write("kept.bin", body(3), 3)).isTrue();

            assertThatThrownBy(() -> store.write("kept.bin", body(50), 100))
                    .isInstanceOf(IncompleteUploadException.class)
                    .hasMessage("the body ended after 50 bytes of the 100 that Content-Length declared; nothing was stored");

            assertThat(this.storage.resolve("kept.bin")).hasBinaryContent(new byte[3]);
            assertThat(pool.stats().kept() + pool.stats().dropped()).isEqualTo(pool.stats().gets()).isEqualTo(2);
            try (Stream<Path> files = Files.list(this.storage)) {
                assertThat(files).containsExactly(this.storage.resolve("kept.bin"));
            }
        }
    }

    @Test
    void aBodyLongerThanItsDeclaredLengthIsRefusedAndNothingStored() {
        try (BufferPool pool = new BufferPool()) {
            FileStore store = store(pool);
            assertThatThrownBy(() -> store.write("long.bin", body(20), 10))
                    .isInstanceOf(IncompleteUploadException.class)
                    .hasMessage("the body is longer than the 10 bytes that Content-Length declared; nothing was stored");
            assertThat(this.storage).isEmptyDirectory();
            assertThat(pool.stats().kept() + pool.stats().dropped()).isEqualTo(pool.stats().gets()).isEqualTo(1);
        }
    }

    @Test
    void aBodyThatBreaksOffIsRefusedWithTheBytesReceivedAndNothingStored() {
        try (BufferPool pool = new BufferPool()) {
            FileStore store = store(pool);
            // A stream that fails after its bytes, as a servlet input stream does when the client goes away.
            InputStream breaksOff = new SequenceInputStream(new ByteArrayInputStream(new byte[7]), new InputStream() {
                @Override
                public int read() throws IOException {
                    throw new EOFException("connection closed");
                }
            });
            assertThatThrownBy(() -> store.write("cut.bin", Channels.newChannel(breaksOff), 1000))
                    .isInstanceOf(IncompleteUploadException.class)
                    .hasMessage("the body ended after 7 bytes of the 1000 that Content-Length declared; nothing was stored")
                    .hasCauseInstanceOf(EOFException.class);
            assertThat(this.storage).isEmptyDirectory();
            assertThat(pool.stats().kept() + pool.stats().dropped()).isEqualTo(pool.stats().gets()).isEqualTo(1);
        }
    }

    private static ReadableByteChannel body(int length) {
        return Channels.newChannel(new ByteArrayInputStream(new byte[length]));
    }

    private FileStore store(BufferPool pool) {
        return new FileStore(pool, new StorageProperties(this.storage, DataSize.ofMegabytes(1), DataSize.ofKilobytes(64)));
    }
}
