package dev.proxy4j.waf;

/** The parts of a request a rule looks at. */
public enum Target {
    /** The method. */
    METHOD,
    /** The path, normalised as routing sees it; rules look at it decoded. */
    PATH,
    /** Names of query parameters, form or JSON body fields, and cookies. */
    ARG_NAME,
    /** Values of query parameters, form or JSON body fields, and cookies. */
    ARG,
    /** Header values (the Cookie header is split into cookies, {@link #ARG_NAME} and {@link #ARG}). */
    HEADER,
    /** The User-Agent header (also a {@link #HEADER}). */
    USER_AGENT
}
