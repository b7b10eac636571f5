package dev.proxy4j.jetty.internal;

import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.jetty.io.ManagedSelector;
import org.jspecify.annotations.Nullable;

/**
 * The tasks of Jetty's {@link ManagedSelector} that set up and tear down a connection, which a
 * {@link LoopConnector} runs on its loop rather than in the pool: {@code Accept} (an accepted
 * connection's endpoint and connection made, its listeners told), {@code CreateEndPoint} (the same
 * for a backend connection once connected) and {@code DestroyEndPoint} (a closed connection's
 * listeners told). They are private classes of Jetty's, found by name; one this Jetty does not
 * have is left out and goes to the pool as before (LoopChoresTest tells).
 */
final class LoopChores {

    private static final Set<Class<?>> CHORES = Stream.of("Accept", "CreateEndPoint", "DestroyEndPoint")
            .map(LoopChores::nested)
            .filter(Objects::nonNull)
            .collect(Collectors.toUnmodifiableSet());

    private LoopChores() {
    }

    static boolean isChore(Runnable task) {
        return CHORES.contains(task.getClass());
    }

    /** How many of the three this Jetty has. */
    static int known() {
        return CHORES.size();
    }

    private static @Nullable Class<?> nested(String name) {
        try {
            return Class.forName(ManagedSelector.class.getName() + '$' + name, false,
                    ManagedSelector.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return null;
        }
    }
}
