package dev.proxy4j.testkit;

import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.Request;
import dev.proxy4j.http.Headers;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what WireMock's {@link Request} hides: header fields as they arrived, and the peer's
 * socket address.
 *
 * <p>WireMock groups repeated headers under the first spelling of their name, and reports
 * {@code X-Forwarded-For} as the client address. Under its servlet adapter is Jetty's request,
 * whose field list keeps arrival order; it is reached by reflection. If a WireMock release moves
 * it, this falls back to WireMock's view and logs one warning.
 */
final class WireMockRequests {

    private static final Logger logger = LoggerFactory.getLogger(WireMockRequests.class);

    private static volatile boolean warned;

    private WireMockRequests() {}

    static Headers headers(Request request) {
        Object servletRequest = servletRequest(request);
        if (servletRequest != null) {
            try {
                Headers.Builder headers = Headers.builder();
                Object fields = servletRequest.getClass().getMethod("getHttpFields").invoke(servletRequest);
                for (Object field : (Iterable<?>) fields) {
                    Class<?> type = field.getClass();
                    headers.add(
                            (String) type.getMethod("getName").invoke(field),
                            String.valueOf(type.getMethod("getValue").invoke(field)));
                }
                return headers.build();
            } catch (ReflectiveOperationException | RuntimeException e) {
                warnOnce(e);
            }
        }
        Headers.Builder headers = Headers.builder();
        for (HttpHeader header : request.getHeaders().all()) {
            for (String value : header.values()) {
                headers.add(header.key(), value);
            }
        }
        return headers.build();
    }

    static InetSocketAddress peer(Request request) {
        Object servletRequest = servletRequest(request);
        if (servletRequest != null) {
            try {
                // The field's declared type is the (shaded) HttpServletRequest interface: public.
                Class<?> type = adapterField(request).getType();
                String address = (String) type.getMethod("getRemoteAddr").invoke(servletRequest);
                int port = (Integer) type.getMethod("getRemotePort").invoke(servletRequest);
                return new InetSocketAddress(address, port);
            } catch (ReflectiveOperationException | RuntimeException e) {
                warnOnce(e);
            }
        }
        return InetSocketAddress.createUnresolved(request.getClientIp(), 0);
    }

    private static @Nullable Object servletRequest(Request request) {
        try {
            return adapterField(request).get(request);
        } catch (ReflectiveOperationException | RuntimeException e) {
            warnOnce(e);
            return null;
        }
    }

    private static Field adapterField(Request request) throws NoSuchFieldException {
        Field field = request.getClass().getDeclaredField("request");
        field.setAccessible(true);
        return field;
    }

    private static void warnOnce(Exception e) {
        if (!warned) {
            warned = true;
            logger.warn("Cannot read Jetty's request under WireMock's; recorded headers are grouped"
                    + " by name and the peer address may come from X-Forwarded-For", e);
        }
    }
}
