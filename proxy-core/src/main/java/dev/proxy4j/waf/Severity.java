package dev.proxy4j.waf;

/**
 * How much a matching rule adds to a request's anomaly score: the Core Rule Set's scores, so that
 * its threshold of 5 means here what it means there (one critical match blocks; a warning and a
 * notice together do too).
 */
public enum Severity {
    CRITICAL(5),
    ERROR(4),
    WARNING(3),
    NOTICE(2);

    private final int score;

    Severity(int score) {
        this.score = score;
    }

    /** What a match adds to the anomaly score. */
    public int score() {
        return score;
    }
}
