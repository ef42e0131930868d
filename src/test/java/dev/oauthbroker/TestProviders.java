package dev.oauthbroker;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;

/** One WireMock server per test JVM standing in for every provider (paths are per provider). */
public final class TestProviders {

    public static final RotatingRefreshTokens ROTATING = new RotatingRefreshTokens();
    private static WireMockServer server;

    private TestProviders() {}

    public static synchronized WireMockServer server() {
        if (server == null) {
            server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1")
                    .containerThreads(80).jettyAcceptors(2).asynchronousResponseEnabled(false)
                    .usingFilesUnderClasspath("providers").extensions(ROTATING));
            server.start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        }
        return server;
    }
}
