package dev.oauthbroker.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.io.HttpClientConnectionManager;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A provider trickling its answer a byte every 50 ms never trips a 400 ms read timeout; the total
 * deadline (connect 100 ms + read 400 ms) cuts the call all the same.
 */
class ProviderCallDeadlineTests {

    static final int BODY_BYTES = 60; // 3 s at one byte every 50 ms
    ServerSocket trickling;
    Thread server;

    @BeforeEach
    void startTricklingProvider() throws IOException {
        trickling = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        server = new Thread(() -> {
            while (!trickling.isClosed()) {
                try (Socket client = trickling.accept()) {
                    readHead(client.getInputStream());
                    OutputStream out = client.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + BODY_BYTES + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    for (int i = 0; i < BODY_BYTES; i++) {
                        out.write('x');
                        out.flush();
                        Thread.sleep(50);
                    }
                } catch (IOException | InterruptedException e) {
                    // the client cut the call, or the test is over
                }
            }
        });
        server.setDaemon(true);
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        trickling.close();
    }

    @Test
    void aTricklingAnswerIsCutAtTheCallsTotalDeadline() throws Exception {
        ProviderHttpConfiguration configuration = new ProviderHttpConfiguration();
        HttpClientConnectionManager connections = configuration.providerConnections(100, 400);
        HttpClientBuilder builder = HttpClientBuilder.create().setConnectionManager(connections);
        configuration.providerCallDeadlines(100, 400).configureHttpClient(builder);
        try (CloseableHttpClient client = builder.build()) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> client.execute(new HttpGet(url()), response -> EntityUtils.toString(response.getEntity())))
                    .isInstanceOf(SocketTimeoutException.class);
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            System.out.printf("a byte every 50 ms, read timeout 400 ms, total deadline 500 ms: cut after %d ms (the answer takes 3000 ms)%n", tookMs);
            assertThat(tookMs).as("cut near 500 ms, far from the 3000 ms the trickle takes").isLessThan(2000);
        }
    }

    @Test
    void withoutTheTotalDeadlineTheSameTrickleIsReadToTheEnd() throws Exception {
        // on a thread of its own: a call never armed a deadline there
        String body = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try (CloseableHttpClient client = HttpClientBuilder.create()
                    .setConnectionManager(new ProviderHttpConfiguration().providerConnections(100, 400)).build()) {
                return client.execute(new HttpGet(url()), response -> EntityUtils.toString(response.getEntity()));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(body).hasSize(BODY_BYTES);
    }

    private String url() {
        return "http://127.0.0.1:" + trickling.getLocalPort() + "/token";
    }

    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }
}
