package dev.proxy4j.route;

/** What Host (or {@code :authority}) the backend gets. */
public enum HostHeader {
    /** The host the client asked for (nginx {@code proxy_set_header Host $host}); the default. */
    PRESERVE,
    /** The chosen endpoint's host and port (nginx's default {@code $proxy_host}). */
    UPSTREAM
}
