package dev.oauthbroker.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oauthbroker.BrokerIntegrationTest;
import dev.oauthbroker.BrokerInstances;
import dev.oauthbroker.RawHttp;
import dev.oauthbroker.TestUsers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** BROKER_MAX_BODY (default 64 KB): larger bodies get 413 on every path, before they are read or buffered. */
@Tag("extra-contexts")
class BodyLimitTests extends BrokerIntegrationTest {

    static final int LIMIT = 64 * 1024;
    static final long HUGE = 200L * 1024 * 1024;

    @Autowired
    DataSource dataSource;

    @Test
    void aHugeDeclaredBodyIsRefusedUnreadOnEveryPath() throws Exception {
        int demoPort = BrokerInstances.demoOn(dataSource).port();
        record Target(int port, String request) {}
        List<Target> targets = List.of(
                new Target(port, "POST /api/integrations/validate"),
                new Target(port, "GET /internal/users/alice/tokens/github"),
                new Target(port, "POST /onboarding"),
                new Target(port, "PUT /app.css"),
                new Target(port, "POST /no/such/path"),
                new Target(demoPort, "POST /api/demo/session"),
                new Target(demoPort, "POST /sandbox/oauth2/token"));
        for (Target target : targets) {
            try (RawHttp http = RawHttp.open(target.port())) {
                RawHttp.Response response = http.send(target.request() + " HTTP/1.1", "Content-Type: application/json",
                        "Content-Length: " + HUGE);
                assertThat(response.status()).as(target.request()).isEqualTo(413);
                assertThat(response.body()).as(target.request())
                        .isEqualTo("{\"error\":\"payload_too_large\",\"message\":\"the request body is larger than 65536 bytes\"}");
                assertThat(response.headers()).containsEntry("content-type", "application/json");
            }
        }
    }

    @Test
    void afterThe413TheServerStopsReadingTheDeclaredBody() throws Exception {
        long sent = 0;
        try (RawHttp http = RawHttp.open(port)) {
            RawHttp.Response response = http.send("POST /api/integrations/validate HTTP/1.1", "Content-Length: " + HUGE);
            assertThat(response.status()).isEqualTo(413);
            OutputStream body = http.output();
            byte[] chunk = new byte[LIMIT];
            while (sent < HUGE) {
                body.write(chunk);
                sent += chunk.length;
            }
        } catch (IOException closedByTheServer) {
            // expected: once it has drained at most max-swallow-size, the server closes the connection
        }
        assertThat(sent).as("bytes the server accepted of a 200 MB body").isLessThan(HUGE / 10);
    }

    @Test
    void aChunkedBodyIsReadNoFurtherThanTheLimit() throws Exception {
        AtomicLong consumed = new AtomicLong();
        long total = 1024L * 1024 * 1024;
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return consumed.getAndIncrement() < total ? 'x' : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                long left = total - consumed.get();
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                consumed.addAndGet(n);
                return n;
            }
        };
        HttpClient http11 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + "/api/integrations/validate"))
                .header("Authorization", "Bearer " + TestUsers.jwt("alice"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> endless)).timeout(Duration.ofSeconds(60)).build();
        try {
            HttpResponse<String> response = http11.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(json(response).get("error").asText()).isEqualTo("payload_too_large");
        } catch (IOException closedByTheServer) {
            // also fine: the server answered 413 and closed while the client was still sending
        }
        assertThat(consumed.get()).as("bytes the client could send of a 1 GB chunked body").isLessThan(total / 32);
    }

    @Test
    void bodiesUpToTheLimitStillWorkWithOrWithoutALength() {
        String demo = BrokerInstances.demoOn(dataSource).baseUrl();
        String body = "{\"userId\":\"alice\",\"padding\":\"" + "x".repeat(LIMIT - 40) + "\"}";
        assertThat(body.length()).isLessThanOrEqualTo(LIMIT);
        HttpResponse<String> declared = send(HttpRequest.newBuilder(URI.create(demo + "/api/demo/session"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(declared.statusCode()).isEqualTo(200);
        assertThat(json(declared).get("userId").asText()).isEqualTo("alice");

        HttpResponse<String> chunked = send(HttpRequest.newBuilder(URI.create(demo + "/api/demo/session"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body.getBytes()))).build());
        assertThat(chunked.statusCode()).isEqualTo(200);
        assertThat(json(chunked).get("userId").asText()).isEqualTo("alice");

        HttpResponse<String> validate = send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/integrations/validate"))
                .header("Authorization", "Bearer " + TestUsers.jwt("alice"))
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(LIMIT))).build());
        assertThat(validate.statusCode()).isEqualTo(200);
    }
}
