package dev.oauthbroker;

/**
 * What the test classes of one JVM share: the shared Spring context and its database, this JVM's
 * WireMock ({@link TestProviders}), {@link LogCapture} and the logging levels. With JUnit's parallel
 * execution ({@code ./mvnw verify -Pthreads}) the classes holding {@link #LOCK} run one at a time and
 * the others (unit tests, the benchmark's and the image's own processes) beside them.
 */
public final class TestJvm {

    /** The {@code @ResourceLock} of every class using what the JVM's test classes share. */
    public static final String LOCK = "test-jvm-shared-state";

    private TestJvm() {
    }
}
