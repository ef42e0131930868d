package dev.oauthbroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The demo as the README runs it: its secrets file is owner-only and it listens on loopback, and says so. */
@Tag("extra-contexts")
class DemoProfileTests extends BrokerIntegrationTest {

    @Autowired
    DataSource dataSource;

    @Test
    void theRunningDemoListensOnLoopbackOnlyAndSaysSo() throws IOException {
        int demoPort = BrokerInstances.demoOn(dataSource).port();
        try (Socket loopback = new Socket(InetAddress.getByName("127.0.0.1"), demoPort)) {
            assertThat(loopback.isConnected()).isTrue();
        }
        List<InetAddress> elsewhere = NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
                .filter(address -> !address.isLoopbackAddress() && !address.isLinkLocalAddress()).toList();
        for (InetAddress address : elsewhere) {
            assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress(address, demoPort), 5_000))
                    .as(address.toString()).isInstanceOf(ConnectException.class);
        }
        assertThat(LogCapture.serviceLines()).contains("dev.oauthbroker.DemoSecrets DEMO PROFILE: listening on 127.0.0.1 only, "
                + "as the demo's sign-in lets anyone act as any user; set SERVER_ADDRESS to listen elsewhere");
    }

    @Test
    void theRunningDemosSecretsFileIsOwnerOnly() throws IOException {
        BrokerInstances.demoOn(dataSource);
        Path file = Path.of(BrokerInstances.DEMO_DATA_DIR, DemoSecrets.FILE_NAME);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }
}
