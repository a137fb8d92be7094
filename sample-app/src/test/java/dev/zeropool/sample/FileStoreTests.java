package dev.zeropool.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zeropool.BufferPool;
import java.io.ByteArrayInputStream;
import java.nio.channels.Channels;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/** The name rules on their own: HTTP servers refuse many bad paths first, this is the last line. */
class FileStoreTests {

    @TempDir
    Path storage;

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
    void theBufferGoesBackWhenAnUploadIsTooLarge() {
        try (BufferPool pool = new BufferPool()) {
            FileStore store = new FileStore(pool, new StorageProperties(this.storage, DataSize.ofBytes(10),
                    DataSize.ofKilobytes(4)));
            assertThatThrownBy(() -> store.write("x", Channels.newChannel(new ByteArrayInputStream(new byte[11]))))
                    .isInstanceOf(FileTooLargeException.class);
            assertThat(pool.stats().gets()).isEqualTo(1);
            assertThat(pool.stats().kept() + pool.stats().dropped()).isEqualTo(1);
            assertThat(this.storage).isEmptyDirectory();
        }
    }

    private FileStore store(BufferPool pool) {
        return new FileStore(pool, new StorageProperties(this.storage, DataSize.ofMegabytes(1), DataSize.ofKilobytes(64)));
    }
}
