package dev.proxy4j.jetty.internal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.client.transport.HttpConversation;
import org.eclipse.jetty.io.EndPoint;
import org.jspecify.annotations.Nullable;

/**
 * The conversation of one backend request, holding the connection's endpoint in a field.
 *
 * <p>Jetty's HTTP/1.1 receiver sets the endpoint as a conversation attribute at the end of every
 * response head (for a 101 or a CONNECT, whose connection then changes hands), and the
 * conversation's attributes live in a {@code ConcurrentHashMap} made on first use: a map, its
 * table and a node per backend response (about 100 bytes per small GET, measured), for an
 * attribute read only by upgrades.
 * Here that one attribute is a volatile field; any other goes to the map as before.
 */
final class BackendConversation extends HttpConversation {

    private static final String END_POINT = EndPoint.class.getName();

    private volatile @Nullable Object endPoint;

    @Override
    public @Nullable Object setAttribute(String name, Object attribute) {
        if (END_POINT.equals(name)) {
            Object old = endPoint;
            endPoint = attribute;
            return old;
        }
        return super.setAttribute(name, attribute);
    }

    @Override
    public @Nullable Object getAttribute(String name) {
        return END_POINT.equals(name) ? endPoint : super.getAttribute(name);
    }

    @Override
    public @Nullable Object removeAttribute(String name) {
        if (END_POINT.equals(name)) {
            Object old = endPoint;
            endPoint = null;
            return old;
        }
        return super.removeAttribute(name);
    }

    @Override
    public Set<String> getAttributeNameSet() {
        if (endPoint == null) {
            return super.getAttributeNameSet();
        }
        Set<String> names = new HashSet<>(super.getAttributeNameSet());
        names.add(END_POINT);
        return names;
    }

    /** A copy when the endpoint is set (Jetty's is a view of the map): nothing on the data path reads it. */
    @Override
    public Map<String, Object> asAttributeMap() {
        Object current = endPoint;
        if (current == null) {
            return super.asAttributeMap();
        }
        Map<String, Object> all = new HashMap<>(super.asAttributeMap());
        all.put(END_POINT, current);
        return all;
    }

    @Override
    public int size() {
        return super.size() + (endPoint == null ? 0 : 1);
    }

    @Override
    public void clearAttributes() {
        endPoint = null;
        super.clearAttributes();
    }
}
