package dev.oauthbroker.provider;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A total deadline for one call to a provider — connect and the whole answer — where a read
 * timeout alone bounds only the gap between two bytes (a provider trickling a byte a second would
 * hold a call for ever). The call's thread arms it when the request starts; every read on a
 * provider socket ({@link DeadlineSocket}) waits at most until then and fails with a
 * {@link SocketTimeoutException} once it has passed, like any other read timeout.
 */
public final class ProviderCallDeadline {

    private static final ThreadLocal<Long> DEADLINE_NANOS = new ThreadLocal<>();

    private ProviderCallDeadline() {}

    /** The call starting on this thread must have its whole answer within {@code totalMillis}. */
    public static void arm(long totalMillis) {
        DEADLINE_NANOS.set(System.nanoTime() + totalMillis * 1_000_000);
    }

    /** Milliseconds left for the call on this thread, or -1 when no call is armed. */
    static long remainingMillis() {
        Long deadline = DEADLINE_NANOS.get();
        return deadline == null ? -1 : Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
    }

    /** A plain socket whose reads keep to the armed deadline (TLS sockets are layered on it). */
    static final class DeadlineSocket extends Socket {

        DeadlineSocket(Proxy proxy) {
            super(proxy == null ? Proxy.NO_PROXY : proxy);
        }

        @Override
        public InputStream getInputStream() throws IOException {
            Socket socket = this;
            return new FilterInputStream(super.getInputStream()) {
                @Override
                public int read() throws IOException {
                    int timeout = bound(socket);
                    try {
                        return super.read();
                    } finally {
                        socket.setSoTimeout(timeout);
                    }
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int timeout = bound(socket);
                    try {
                        return super.read(buffer, offset, length);
                    } finally {
                        socket.setSoTimeout(timeout);
                    }
                }
            };
        }

        /** Narrows the socket's read timeout to the time left; answers the timeout to restore. */
        private static int bound(Socket socket) throws IOException {
            int configured = socket.getSoTimeout();
            long left = remainingMillis();
            if (left == 0) {
                throw new SocketTimeoutException("the provider call's total deadline has passed");
            }
            if (left > 0 && (configured == 0 || left < configured)) {
                socket.setSoTimeout((int) Math.max(1, left));
            }
            return configured;
        }
    }
}
