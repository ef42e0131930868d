package dev.oauthbroker;

import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** A broker instance {@link BrokerInstances} started in this JVM: its context, where it listens. */
public final class BrokerInstance implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final boolean shared;

    BrokerInstance(ConfigurableApplicationContext context, boolean shared) {
        this.context = context;
        this.shared = shared;
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /** A property of its environment (a placeholder's value, a generated demo secret). */
    public String property(String name) {
        return context.getEnvironment().getProperty(name);
    }

    public int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    public int managementPort() {
        return Integer.parseInt(property("local.management.port"));
    }

    public String baseUrl() {
        return "http://localhost:" + port();
    }

    /** Stops it; an instance {@link BrokerInstances#shared() shared} between classes stays up until the JVM ends. */
    @Override
    public void close() {
        if (!shared) {
            context.close();
        }
    }
}
