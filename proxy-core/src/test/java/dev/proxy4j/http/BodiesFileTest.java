package dev.proxy4j.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BodiesFileTest {

    private static final int SIZE = 100_000;

    @TempDir
    Path dir;

    private Path file;
    private byte[] content;

    @BeforeEach
    void writeFile() throws IOException {
        content = new byte[SIZE];
        new Random(42).nextBytes(content);
        file = Files.write(dir.resolve("content.bin"), content);
    }

    /** How many of this process's file descriptors point at {@code path} (Linux only). */
    private static long openDescriptors(Path path) throws IOException {
        Path fds = Path.of("/proc/self/fd");
        assumeThat(Files.isDirectory(fds)).as("/proc/self/fd exists").isTrue();
        Path real = path.toRealPath();
        try (Stream<Path> links = Files.list(fds)) {
            return links.filter(link -> {
                try {
                    return Files.readSymbolicLink(link).equals(real);
                } catch (IOException e) {
                    return false; // the descriptor closed while we looked
                }
            }).count();
        }
    }

    @Test
    void readsTheWholeFileInChunksOfAtMost32KiB() throws IOException {
        Body body = Bodies.ofFile(file);

        Drain.Result result = Drain.fully(body);

        assertThat(body.length()).isEqualTo(SIZE);
        assertThat(result.bytes()).isEqualTo(content);
        assertThat(result.failure()).isNull();
        assertThat(result.chunks()).isEqualTo(4); // 32768 * 3 + 1696
    }

    @Test
    void aSlowReaderGetsTheChunksReadAheadInOrder() throws Exception {
        Body body = Bodies.ofFile(file);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        while (true) {
            CompletableFuture<Void> ready = new CompletableFuture<>();
            body.demand(() -> ready.complete(null));
            ready.get(5, TimeUnit.SECONDS);
            Thread.sleep(20); // the next chunk is read meanwhile
            Chunk chunk = body.read();
            assertThat(chunk).as("a chunk after demand").isNotNull();
            byte[] bytes = new byte[chunk.data().remaining()];
            chunk.data().get(bytes);
            got.writeBytes(bytes);
            chunk.release();
            if (chunk.isLast()) {
                break;
            }
        }

        assertThat(got.toByteArray()).isEqualTo(content);
        assertThat(openDescriptors(file)).isZero();
    }

    @Test
    void readsARegionFromAnOffset() throws IOException {
        Body body = Bodies.ofFile(file, 10_000, 50_000);

        Drain.Result result = Drain.fully(body);

        assertThat(body.length()).isEqualTo(50_000);
        assertThat(result.bytes()).isEqualTo(Arrays.copyOfRange(content, 10_000, 60_000));
    }

    @Test
    void aRegionUpToTheEndOfTheFileIsWhole() throws IOException {
        Drain.Result result = Drain.fully(Bodies.ofFile(file, SIZE - 10, 10));

        assertThat(result.bytes()).isEqualTo(Arrays.copyOfRange(content, SIZE - 10, SIZE));
    }

    @Test
    void anEmptyRegionGivesOnlyTheEnd() throws IOException {
        Body body = Bodies.ofFile(file, 5, 0);

        Drain.Result result = Drain.fully(body);

        assertThat(result.bytes()).isEmpty();
        assertThat(result.chunks()).isOne();
        assertThat(openDescriptors(file)).isZero();
    }

    @Test
    void theReadersThreadDoesNotWaitForTheDisk() throws Exception {
        Body reading = Bodies.ofFile(file);
        Body demanding = Bodies.ofFile(file);

        assertThat(reading.read()).as("the first read, before any bytes came from the disk").isNull();
        CompletableFuture<Thread> callback = new CompletableFuture<>();
        demanding.demand(() -> callback.complete(Thread.currentThread()));

        assertThat(callback.get(5, TimeUnit.SECONDS)).isNotSameAs(Thread.currentThread());
        Chunk chunk = demanding.read();
        assertThat(chunk.data().remaining()).isEqualTo(32_768);
        chunk.release();
        reading.fail(new IllegalStateException("done"));
        demanding.fail(new IllegalStateException("done"));
        assertThat(openDescriptors(file)).isZero();
    }

    @Test
    void closesTheFileAfterTheLastChunk() throws IOException {
        Body body = Bodies.ofFile(file);
        assertThat(openDescriptors(file)).isOne();

        Drain.fully(body);

        assertThat(openDescriptors(file)).isZero();
    }

    @Test
    void closesTheFileWhenFailedMidwayAndLaterReadsGiveTheFailure() throws Exception {
        Body body = Bodies.ofFile(file);
        CompletableFuture<Chunk> first = new CompletableFuture<>();
        body.demand(() -> first.complete(body.read()));
        first.get(5, TimeUnit.SECONDS).release();
        IllegalStateException gone = new IllegalStateException("client gone");

        body.fail(gone);

        assertThat(openDescriptors(file)).isZero();
        assertThat(body.read().failure()).isSameAs(gone);
    }

    @Test
    void failsWhenTheFileGotShorterThanItsRegion() throws IOException {
        Body body = Bodies.ofFile(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(40_000);
        }

        Drain.Result result = Drain.fully(body);

        assertThat(result.failure())
                .isInstanceOf(EOFException.class)
                .hasMessage("file: " + file + " ended at 40000 (expected: 100000 bytes from 0)");
        assertThat(result.bytes()).isEqualTo(Arrays.copyOf(content, 32_768));
        assertThat(openDescriptors(file)).isZero();
    }

    @Test
    void rejectsARegionPastTheEndOfTheFileAndLeavesItClosed() throws IOException {
        assertThatThrownBy(() -> Bodies.ofFile(file, 90_000, 10_001))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("length: 10001 (expected: at most 10000, what " + file + " has from offset 90000)");
        assertThatThrownBy(() -> Bodies.ofFile(file, SIZE + 1, 0))
                .hasMessage("offset: 100001 (expected: at most 100000, the size of " + file + ")");
        assertThatThrownBy(() -> Bodies.ofFile(file, -1, 0)).hasMessage("offset: -1 (expected: >= 0)");
        assertThatThrownBy(() -> Bodies.ofFile(file, 0, -1)).hasMessage("length: -1 (expected: >= 0)");
        assertThat(openDescriptors(file)).isZero();
    }

    @Test
    void aMissingFileFailsAtOnce() {
        assertThatThrownBy(() -> Bodies.ofFile(dir.resolve("missing")))
                .isInstanceOf(NoSuchFileException.class);
    }
}
