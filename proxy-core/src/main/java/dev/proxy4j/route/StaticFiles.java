package dev.proxy4j.route;

import dev.proxy4j.compress.AcceptEncoding;
import dev.proxy4j.compress.Encoding;
import dev.proxy4j.context.RequestContext;
import dev.proxy4j.http.Bodies;
import dev.proxy4j.http.Body;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.http.ProxyResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Files under a directory as a route target: GET and HEAD, the request's path (after the route's
 * rewrite) taken below the root. Content-Type by extension, Content-Length, Last-Modified and a
 * strong ETag (from the file's modification time and size, as nginx makes it); 304 for a matching
 * If-None-Match or If-Modified-Since; one byte range (206, If-Range honoured; 416 when it is past
 * the end; several ranges get the whole file); a directory gets its index file ({@code index.html})
 * or 404 (no listing), and a directory named without its final slash a 301 to the name with it.
 *
 * <p>Precompressed siblings: for {@code app.js}, an {@code app.js.br}, {@code app.js.zst} or
 * {@code app.js.gz} beside it is sent instead (br preferred, then zstd, then gzip, as the client's
 * Accept-Encoding weighs them) with its Content-Encoding, and every answer says {@code Vary:
 * Accept-Encoding}. Range requests get the file itself.
 *
 * <p>Nothing outside the root is served: the path is decoded once and refused (404) when a segment
 * is {@code ..} or starts with a dot (hidden files, {@code .git}; {@code .well-known} excepted), or it
 * holds a backslash or NUL; a file whose real path (symbolic links resolved) leaves the root is
 * refused too, unless {@link Builder#followSymlinks(boolean)} allows it. Another method is 405.
 * The file is looked up and opened on the context's blocking executor and read asynchronously, so
 * the event loop never waits for the disk.
 *
 * <pre>{@code
 * .route(r -> r.pathPrefix("/assets").stripPrefix("/assets").staticFiles(Path.of("public")))
 * }</pre>
 */
public final class StaticFiles implements LocalHandler {

    /** Siblings in the order preferred among equal weights: br is usually the smallest precompressed form. */
    private static final List<Encoding> SIBLINGS = List.of(Encoding.BROTLI, Encoding.ZSTD, Encoding.GZIP);

    private final Path root;
    private final Path realRoot;
    private final String index;
    private final boolean precompressed;
    private final boolean followSymlinks;

    private StaticFiles(Builder b, Path root, Path realRoot) {
        this.root = root;
        this.realRoot = realRoot;
        this.index = b.index;
        this.precompressed = b.precompressed;
        this.followSymlinks = b.followSymlinks;
    }

    /** Files under {@code root}, with the defaults: {@code index.html}, precompressed siblings, no links out. */
    public static StaticFiles of(Path root) {
        return builder(root).build();
    }

    /** Files under {@code root}, with {@code index} served for a directory. */
    public static StaticFiles of(Path root, String index) {
        return builder(root).index(index).build();
    }

    public static Builder builder(Path root) {
        return new Builder(root);
    }

    public Path root() {
        return root;
    }

    public String index() {
        return index;
    }

    public boolean precompressed() {
        return precompressed;
    }

    public boolean followSymlinks() {
        return followSymlinks;
    }

    @Override
    public CompletionStage<ProxyResponse> handle(RequestContext ctx, ProxyRequest request) {
        boolean head = request.method().equals("HEAD");
        if (!head && !request.method().equals("GET")) {
            return CompletableFuture.completedFuture(ProxyResponse.builder(405)
                    .headers(Headers.of("Allow", "GET, HEAD", "Content-Type", "text/plain; charset=utf-8"))
                    .body(Body.ofUtf8("405 Method Not Allowed\n"))
                    .build());
        }
        Path file = resolve(request.path());
        if (file == null) {
            return CompletableFuture.completedFuture(text(404, "404 Not Found\n"));
        }
        // Looking the file up and opening it are system calls that may wait for the disk.
        return CompletableFuture.supplyAsync(() -> answer(file, request, head), ctx.blockingExecutor());
    }

    /** The file for a raw request path, or null when it would leave the root or names a hidden file. */
    @Nullable Path resolve(String rawPath) {
        String decoded;
        try {
            decoded = URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return null;
        }
        if (decoded.indexOf('\0') >= 0 || decoded.contains("\\") || !decoded.startsWith("/")) {
            return null;
        }
        for (String segment : decoded.split("/")) {
            if (segment.startsWith(".") && !segment.equals(".well-known")) {
                return null; // "..", ".git", ".env": never served
            }
        }
        try {
            Path file = root.resolve(decoded.substring(1)).normalize();
            return file.startsWith(root) ? file : null;
        } catch (InvalidPathException invalid) {
            return null;
        }
    }

    private ProxyResponse answer(Path found, ProxyRequest request, boolean head) {
        try {
            Path file = found;
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (attributes.isDirectory()) {
                String path = request.path();
                if (!path.endsWith("/")) {
                    // Relative links in the index resolve against the directory only with its slash.
                    String name = path.substring(path.lastIndexOf('/') + 1);
                    String query = request.query();
                    return ProxyResponse.builder(301)
                            .headers(Headers.of("Location", name + "/" + (query == null ? "" : "?" + query),
                                    "Content-Type", "text/plain; charset=utf-8"))
                            .body(Body.ofUtf8("301 Moved Permanently\n"))
                            .build();
                }
                file = file.resolve(index);
                attributes = Files.readAttributes(file, BasicFileAttributes.class);
            }
            if (!servable(file, attributes)) {
                return text(404, "404 Not Found\n");
            }
            return new Representation(file, attributes).answer(request, head);
        } catch (IOException | SecurityException | UncheckedIOException e) {
            return text(404, "404 Not Found\n");
        }
    }

    /** A regular, readable file whose real path is under the root (or links may lead out). */
    private boolean servable(Path file, BasicFileAttributes attributes) throws IOException {
        return attributes.isRegularFile() && Files.isReadable(file)
                && (followSymlinks || file.toRealPath().startsWith(realRoot));
    }

    /** The file as it is answered: itself or a precompressed sibling, with its validators. */
    private final class Representation {
        private final Path file;
        private final BasicFileAttributes attributes;

        Representation(Path file, BasicFileAttributes attributes) {
            this.file = file;
            this.attributes = attributes;
        }

        ProxyResponse answer(ProxyRequest request, boolean head) throws IOException {
            String type = MediaTypes.of(file.getFileName().toString());
            Path sent = file;
            BasicFileAttributes sentAttributes = attributes;
            Optional<Encoding> encoding = Optional.empty();
            String range = request.headers().get("Range");
            if (precompressed && range == null) {
                List<Encoding> present = new ArrayList<>();
                List<BasicFileAttributes> found = new ArrayList<>();
                for (Encoding candidate : SIBLINGS) {
                    Path sibling = sibling(file, candidate);
                    try {
                        BasicFileAttributes a = Files.readAttributes(sibling, BasicFileAttributes.class);
                        if (servable(sibling, a)) {
                            present.add(candidate);
                            found.add(a);
                        }
                    } catch (IOException absent) {
                        // no such sibling
                    }
                }
                encoding = AcceptEncoding.negotiate(request.headers().getAll("Accept-Encoding"), present);
                if (encoding.isPresent()) {
                    sent = sibling(file, encoding.get());
                    sentAttributes = found.get(present.indexOf(encoding.get()));
                }
            }
            Instant modified = sentAttributes.lastModifiedTime().toInstant();
            String etag = etag(sentAttributes);
            Headers.Builder headers = Headers.builder()
                    .add("Content-Type", type)
                    .add("Last-Modified", HttpDates.format(modified))
                    .add("ETag", etag);
            if (precompressed) {
                headers.add("Vary", "Accept-Encoding");
            }
            if (Conditionals.notModified(request.headers(), etag, modified)) {
                return ProxyResponse.builder(304).headers(headers.build()).build();
            }
            encoding.ifPresent(e -> headers.add("Content-Encoding", e.token()));
            long size = sentAttributes.size();
            if (encoding.isEmpty()) {
                headers.add("Accept-Ranges", "bytes");
            }
            ByteRange.Asked asked = range == null || !Conditionals.rangeApplies(request.headers(), etag, modified)
                    ? new ByteRange.Whole() : ByteRange.parse(range, size);
            if (asked instanceof ByteRange.Unsatisfiable) {
                return ProxyResponse.builder(416)
                        .headers(headers.set("Content-Range", "bytes */" + size)
                                .set("Content-Type", "text/plain; charset=utf-8").build())
                        .body(Body.ofUtf8("416 Range Not Satisfiable\n"))
                        .build();
            }
            if (asked instanceof ByteRange.Part part) {
                ByteRange r = part.range();
                headers.add("Content-Range", r.contentRange(size)).add("Content-Length", Long.toString(r.length()));
                Body body = head ? Body.empty() : Bodies.ofFile(sent, r.first(), r.length());
                return ProxyResponse.builder(206).headers(headers.build()).body(body).build();
            }
            headers.add("Content-Length", Long.toString(size));
            Body body = head ? Body.empty() : Bodies.ofFile(sent);
            return ProxyResponse.builder(200).headers(headers.build()).body(body).build();
        }
    }

    private static Path sibling(Path file, Encoding encoding) {
        String extension = switch (encoding) {
            case BROTLI -> ".br";
            case ZSTD -> ".zst";
            case GZIP -> ".gz";
        };
        return file.resolveSibling(file.getFileName() + extension);
    }

    /** {@code "<modified ms, hex>-<size, hex>"}: changes when the file does, as nginx's does. */
    private static String etag(BasicFileAttributes attributes) {
        return "\"" + Long.toHexString(attributes.lastModifiedTime().toMillis()) + '-'
                + Long.toHexString(attributes.size()) + '"';
    }

    private static ProxyResponse text(int status, String text) {
        return ProxyResponse.builder(status)
                .headers(Headers.of("Content-Type", "text/plain; charset=utf-8"))
                .body(Body.ofUtf8(text))
                .build();
    }

    @Override
    public String toString() {
        return "StaticFiles[" + root + ']';
    }

    /** Builds {@link StaticFiles}. */
    public static final class Builder {
        private final Path root;
        private String index = "index.html";
        private boolean precompressed = true;
        private boolean followSymlinks;

        private Builder(Path root) {
            this.root = Objects.requireNonNull(root, "root");
        }

        /** The file served for a directory; default {@code index.html}. */
        public Builder index(String index) {
            Objects.requireNonNull(index, "index");
            if (index.isEmpty() || index.contains("/") || index.contains("\\") || index.startsWith(".")) {
                throw new IllegalArgumentException("index: \"" + index + "\" (expected: a file name)");
            }
            this.index = index;
            return this;
        }

        /** Send {@code .br}, {@code .zst} and {@code .gz} siblings to clients that accept them; default true. */
        public Builder precompressed(boolean on) {
            this.precompressed = on;
            return this;
        }

        /**
         * Serve files whose symbolic links lead out of the root; default false (they are 404). Links
         * that stay inside the root are followed either way.
         */
        public Builder followSymlinks(boolean allow) {
            this.followSymlinks = allow;
            return this;
        }

        /** @throws IllegalArgumentException when the root is not a directory */
        public StaticFiles build() {
            Path absolute = root.toAbsolutePath().normalize();
            if (!Files.isDirectory(absolute)) {
                throw new IllegalArgumentException("root: \"" + root + "\" (expected: a directory)");
            }
            try {
                return new StaticFiles(this, absolute, absolute.toRealPath());
            } catch (IOException e) {
                throw new IllegalArgumentException("root: \"" + root + "\" (expected: a readable directory; " + e + ")", e);
            }
        }
    }
}
