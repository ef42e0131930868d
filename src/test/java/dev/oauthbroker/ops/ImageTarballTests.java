package dev.oauthbroker.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The container image of the {@code image} profile, built by Jib to a tarball without a Docker
 * daemon, and read back: entrypoint, unprivileged user, ports, working directory, and
 * {@code routes/} and {@code config/} inside. No registry but Maven Central is reachable here,
 * so the real base ({@code eclipse-temurin:17-jre}) is replaced by a stand-in base image this
 * test writes as a {@code docker save} tarball ({@code -Djib.from.image=tar://…}): what is
 * checked is Jib's configuration and layers, not that the image runs. Slow: a nested Maven build.
 */
@Tag("slow")
@Tag("processes")
class ImageTarballTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path WORK = Path.of("target", "image-test").toAbsolutePath();

    @Test
    void theImageRunsTheServiceAsAnUnprivilegedUserWithRoutesAndConfigInside() throws Exception {
        Path base = standInBase();
        Path image = WORK.resolve("oauth-broker-image.tar");
        Files.deleteIfExists(image);

        long started = System.nanoTime();
        Process build = new ProcessBuilder(Path.of("mvnw").toAbsolutePath().toString(), "-B", "-q", "-Pimage", "jib:buildTar",
                "-Djib.from.image=tar://" + base, "-Djib.outputPaths.tar=" + image)
                .redirectErrorStream(true).redirectOutput(WORK.resolve("jib.log").toFile()).start();
        assertThat(build.waitFor(5, TimeUnit.MINUTES)).as("jib:buildTar finished").isTrue();
        assertThat(build.exitValue()).as("jib:buildTar (see target/image-test/jib.log)").isZero();
        System.out.printf("jib:buildTar: %d ms, image %d MB%n", (System.nanoTime() - started) / 1_000_000, Files.size(image) >> 20);

        Map<String, byte[]> files = entries(Files.newInputStream(image));
        JsonNode manifest = JSON.readTree(files.get("manifest.json")).get(0);
        JsonNode config = JSON.readTree(files.get(manifest.get("Config").asText())).get("config");

        assertThat(manifest.get("RepoTags").get(0).asText()).isEqualTo("oauth-broker:0.1.0-SNAPSHOT");
        assertThat(config.get("Entrypoint").toString()).contains("\"java\"", "dev.oauthbroker.OAuthBrokerApplication");
        assertThat(config.get("User").asText()).isEqualTo("10001:10001").doesNotStartWith("0");
        assertThat(config.get("ExposedPorts").fieldNames()).toIterable().containsExactlyInAnyOrder("8080/tcp", "8081/tcp");
        assertThat(config.get("WorkingDir").asText()).as("routes/ and config/ resolve from here").isEqualTo("/app");
        assertThat(config.get("Env").toString()).contains("MANAGEMENT_SERVER_PORT=8081");

        List<String> paths = new ArrayList<>();
        for (JsonNode layer : manifest.get("Layers")) {
            paths.addAll(entries(new GZIPInputStream(new java.io.ByteArrayInputStream(files.get(layer.asText())))).keySet());
        }
        try (Stream<Path> routes = Files.list(Path.of("routes"))) {
            routes.forEach(route -> assertThat(paths).contains("app/routes/" + route.getFileName()));
        }
        assertThat(paths).contains("app/config/providers.yaml", "app/config/providers.schema.json",
                "app/classes/dev/oauthbroker/OAuthBrokerApplication.class", "app/resources/application.yaml");
        assertThat(paths).anyMatch(path -> path.startsWith("app/libs/camel-core-engine-"));
    }

    /** A one-layer base image in {@code docker save} format: a PATH and a placeholder where the JRE would be. */
    private static Path standInBase() throws Exception {
        Files.createDirectories(WORK);
        byte[] layer = tar(Map.of("opt/java/openjdk/release", "JAVA_VERSION=\"17\"\n".getBytes(StandardCharsets.UTF_8)));
        String diffId = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(layer));
        String config = JSON.writeValueAsString(Map.of("architecture", "amd64", "os", "linux",
                "config", Map.of("Env", List.of("PATH=/opt/java/openjdk/bin:/usr/local/bin:/usr/bin:/bin")),
                "rootfs", Map.of("type", "layers", "diff_ids", List.of(diffId))));
        String manifest = JSON.writeValueAsString(List.of(Map.of("Config", "config.json",
                "RepoTags", List.of("stand-in-base:test"), "Layers", List.of("layer.tar"))));
        Map<String, byte[]> image = new HashMap<>();
        image.put("manifest.json", manifest.getBytes(StandardCharsets.UTF_8));
        image.put("config.json", config.getBytes(StandardCharsets.UTF_8));
        image.put("layer.tar", layer);
        Path base = WORK.resolve("stand-in-base.tar");
        Files.write(base, tar(image));
        return base;
    }

    private static byte[] tar(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
                entry.setSize(file.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(file.getValue());
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** Every file of a tar stream by name (without a leading "./"), with its content. */
    private static Map<String, byte[]> entries(InputStream in) throws IOException {
        Map<String, byte[]> files = new HashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                if (!entry.isDirectory()) {
                    files.put(entry.getName().replaceFirst("^\\./", ""), tar.readAllBytes());
                }
            }
        }
        return files;
    }
}
