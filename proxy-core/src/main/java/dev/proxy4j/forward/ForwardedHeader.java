package dev.proxy4j.forward;

/** The headers a proxy can add to tell a backend about the client and the hop. */
public enum ForwardedHeader {
    /** X-Forwarded-For: the client address chain, the peer appended. */
    X_FORWARDED_FOR,
    /** X-Forwarded-Proto: http or https, as the client reached the first trusted proxy. */
    X_FORWARDED_PROTO,
    /** X-Forwarded-Host: the host the client asked for. */
    X_FORWARDED_HOST,
    /** X-Forwarded-Port: the port the client asked for. */
    X_FORWARDED_PORT,
    /** RFC 7239 Forwarded: for, proto and host of this hop, appended. */
    FORWARDED,
    /** Via: protocol and pseudonym of this hop, appended. */
    VIA,
    /** X-Request-Id: the client's if it sent a valid one, otherwise a new unique id. */
    X_REQUEST_ID
}
