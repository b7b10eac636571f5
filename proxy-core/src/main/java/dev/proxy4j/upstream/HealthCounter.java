package dev.proxy4j.upstream;

/**
 * HAProxy's health counter for one endpoint, from 0 to {@code rise + fall - 1}: the endpoint is
 * up from the moment the counter reaches {@code rise} (it then jumps to the top) until a failed
 * check finds it at {@code rise} or below (it then drops to 0). So an up endpoint goes down after
 * {@code fall} failed checks in a row, and a down one comes back after {@code rise} passed checks
 * in a row; a check the other way in between starts the count again.
 *
 * <p>It starts up, at {@code rise}, as HAProxy's default {@code init-state up}: proven by nothing
 * yet, so one failed first check takes it down and one passed check makes it fully up. Thread-safe.
 */
final class HealthCounter {

    /** What a check changed. */
    enum Change {
        NONE, WENT_UP, WENT_DOWN
    }

    private final int rise;
    private final int fall;
    private int health;
    private boolean up = true;
    private int passesInARow;
    private int failuresInARow;

    HealthCounter(int rise, int fall) {
        this(rise, fall, true);
    }

    /** Up and unproven, as above; or down (at 0), for a member already marked unhealthy. */
    HealthCounter(int rise, int fall, boolean up) {
        this.rise = rise;
        this.fall = fall;
        this.up = up;
        this.health = up ? rise : 0;
    }

    int rise() {
        return rise;
    }

    int fall() {
        return fall;
    }

    /**
     * A counter of its own for a check with {@code rise} and {@code fall}, carrying this one's
     * position: the same position when they are the same; otherwise up and proven (at the top)
     * stays so, up but not at the top starts up but unproven, and down starts at the bottom.
     */
    synchronized HealthCounter copyFor(int rise, int fall) {
        HealthCounter copy = new HealthCounter(rise, fall, up);
        if (rise == this.rise && fall == this.fall) {
            copy.health = health;
        } else if (up && health == this.rise + this.fall - 1) {
            copy.health = rise + fall - 1;
        }
        copy.passesInARow = passesInARow;
        copy.failuresInARow = failuresInARow;
        return copy;
    }

    synchronized Change passed() {
        passesInARow++;
        failuresInARow = 0;
        if (health < rise + fall - 1) {
            health++;
        }
        if (health >= rise) {
            health = rise + fall - 1;
            if (!up) {
                up = true;
                return Change.WENT_UP;
            }
        }
        return Change.NONE;
    }

    synchronized Change failed() {
        failuresInARow++;
        passesInARow = 0;
        if (health > rise) {
            health--;
            return Change.NONE;
        }
        health = 0;
        if (up) {
            up = false;
            return Change.WENT_DOWN;
        }
        return Change.NONE;
    }

    synchronized boolean isUp() {
        return up;
    }

    /** Checks in a row that passed (0 after a failed one). */
    synchronized int passesInARow() {
        return passesInARow;
    }

    /** Checks in a row that failed (0 after a passed one). */
    synchronized int failuresInARow() {
        return failuresInARow;
    }

    @Override
    public synchronized String toString() {
        return "HealthCounter[" + (up ? "up" : "down") + ", health=" + health + "/" + (rise + fall - 1) + ']';
    }
}
