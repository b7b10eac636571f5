package dev.proxy4j.route;

import dev.proxy4j.context.RequestContext;
import dev.proxy4j.http.Bodies;
import dev.proxy4j.http.Body;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.http.ProxyResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Files under a directory as a route target: GET and HEAD, the request's path (after the route's
 * rewrite) taken below the root, {@code index.html} for a directory, Content-Type by extension,
 * Content-Length, Last-Modified and a weak ETag, and 304 for a matching If-None-Match or
 * If-Modified-Since. A path that leaves the root, names a hidden file or does not exist is 404;
 * another method is 405. The file is looked up and opened on the context's blocking executor and
 * read asynchronously, so the event loop never waits for the disk. Byte ranges and compression
 * are the content features' work.
 *
 * <pre>{@code
 * .route(r -> r.pathPrefix("/assets").stripPrefix("/assets").staticFiles(Path.of("public")))
 * }</pre>
 */
public final class StaticFiles implements LocalHandler {

    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"), Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"), Map.entry("json", "application/json"),
            Map.entry("txt", "text/plain; charset=utf-8"), Map.entry("xml", "application/xml"),
            Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"), Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"),
            Map.entry("ico", "image/x-icon"), Map.entry("woff", "font/woff"), Map.entry("woff2", "font/woff2"),
            Map.entry("wasm", "application/wasm"), Map.entry("pdf", "application/pdf"),
            Map.entry("map", "application/json"), Map.entry("webmanifest", "application/manifest+json"));
    private static final String DEFAULT_TYPE = "application/octet-stream";

    private final Path root;
    private final String index;

    private StaticFiles(Path root, String index) {
        this.root = root;
        this.index = index;
    }

    /** Files under {@code root}, with {@code index.html} for directories. */
    public static StaticFiles of(Path root) {
        return of(root, "index.html");
    }

    /**
     * Files under {@code root}, with {@code index} served for a directory.
     *
     * @throws IllegalArgumentException when {@code root} is not a directory
     */
    public static StaticFiles of(Path root, String index) {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(index, "index");
        Path absolute = root.toAbsolutePath().normalize();
        if (!Files.isDirectory(absolute)) {
            throw new IllegalArgumentException("root: \"" + root + "\" (expected: a directory)");
        }
        if (index.isEmpty() || index.contains("/")) {
            throw new IllegalArgumentException("index: \"" + index + "\" (expected: a file name)");
        }
        return new StaticFiles(absolute, index);
    }

    public Path root() {
        return root;
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
            return CompletableFuture.completedFuture(notFound());
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
        if (decoded.indexOf('\0') >= 0 || decoded.contains("\\")) {
            return null;
        }
        for (String segment : decoded.split("/")) {
            if (segment.startsWith(".")) {
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
                file = file.resolve(index);
                attributes = Files.readAttributes(file, BasicFileAttributes.class);
            }
            if (!attributes.isRegularFile() || !Files.isReadable(file)
                    || !file.toRealPath().startsWith(root.toRealPath(LinkOption.NOFOLLOW_LINKS))) {
                return notFound();
            }
            Instant modified = attributes.lastModifiedTime().toInstant();
            String etag = "W/\"" + Long.toHexString(attributes.size()) + '-'
                    + Long.toHexString(modified.toEpochMilli()) + '"';
            Headers.Builder headers = Headers.builder()
                    .add("Content-Type", typeOf(file))
                    .add("Last-Modified", HTTP_DATE.format(modified))
                    .add("ETag", etag);
            if (notModified(request, etag, modified)) {
                return ProxyResponse.builder(304).headers(headers.build()).build();
            }
            headers.add("Content-Length", Long.toString(attributes.size()));
            Body body = head ? Body.empty() : Bodies.ofFile(file);
            return ProxyResponse.builder(200).headers(headers.build()).body(body).build();
        } catch (IOException | SecurityException e) {
            return notFound();
        }
    }

    private static boolean notModified(ProxyRequest request, String etag, Instant modified) {
        String ifNoneMatch = request.headers().get("If-None-Match");
        if (ifNoneMatch != null) {
            for (String candidate : ifNoneMatch.split(",")) {
                String tag = candidate.strip();
                if (tag.equals("*") || weak(tag).equals(weak(etag))) {
                    return true;
                }
            }
            return false;
        }
        String ifModifiedSince = request.headers().get("If-Modified-Since");
        if (ifModifiedSince != null) {
            try {
                Instant since = Instant.from(HTTP_DATE.parse(ifModifiedSince.strip()));
                return modified.getEpochSecond() <= since.getEpochSecond();
            } catch (DateTimeParseException ignored) {
                return false; // RFC 9110 13.1.3: an invalid date is ignored
            }
        }
        return false;
    }

    private static String weak(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }

    private static String typeOf(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? DEFAULT_TYPE : TYPES.getOrDefault(name.substring(dot + 1).toLowerCase(Locale.ROOT), DEFAULT_TYPE);
    }

    private static ProxyResponse notFound() {
        return ProxyResponse.builder(404)
                .headers(Headers.of("Content-Type", "text/plain; charset=utf-8"))
                .body(Body.ofUtf8("404 Not Found\n"))
                .build();
    }

    @Override
    public String toString() {
        return "StaticFiles[" + root + ']';
    }
}
