package dev.oauthbroker.check;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesSource;
import org.apache.camel.support.PluginHelper;
import org.mockito.Mockito;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.FileSystemResource;

/**
 * What the service's startup does with a routes folder, without starting the service: a bare Camel
 * context reads every {@code *.camel.yaml} with Camel's YAML DSL and creates every route — each bean
 * a route names resolved among the service's beans ({@link ServiceBeans}; stand-ins, nothing runs),
 * each {@code {{placeholder}}} from {@code application.yaml} and the test profile, the thread pool
 * profile of {@code camel.threadpool} — and starts none. A wrong edit fails here as it fails the
 * service's startup: the same Camel exceptions, naming the file and line, or the route and the bean.
 */
public final class RouteFolderStartup {

    private static final ServiceBeans BEANS = new ServiceBeans("dev.oauthbroker");

    private RouteFolderStartup() {
    }

    /** Why the service would not start on {@code folder}; null when it would. */
    public static Throwable failureOf(Path folder) {
        DefaultCamelContext context = new DefaultCamelContext();
        context.setAutoStartup(false);
        try {
            StandardEnvironment configuration = configuration();
            context.getPropertiesComponent().addPropertiesSource(new PropertiesSource() {
                @Override
                public String getName() {
                    return "application.yaml";
                }

                @Override
                public String getProperty(String name) {
                    return configuration.getProperty(name);
                }
            });
            BEANS.names().forEach(name -> context.getRegistry().bind(name, Mockito.mock(BEANS.type(name).orElseThrow())));
            context.getExecutorServiceManager().registerThreadPoolProfile(new ThreadPoolProfileBuilder("sweepPool").build());
            try (Stream<Path> files = Files.list(folder)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".camel.yaml")).sorted().toList()) {
                    PluginHelper.getRoutesLoader(context)
                            .loadRoutes(PluginHelper.getResourceLoader(context).resolveResource("file:" + file.toAbsolutePath()));
                }
            }
            context.start();
            return null;
        } catch (Exception e) {
            return e;
        } finally {
            context.stop();
        }
    }

    private static StandardEnvironment configuration() throws Exception {
        StandardEnvironment environment = new StandardEnvironment();
        YamlPropertySourceLoader yaml = new YamlPropertySourceLoader();
        for (String file : List.of("src/test/resources/application-test.yaml", "src/main/resources/application.yaml")) {
            yaml.load(file, new FileSystemResource(file)).forEach(environment.getPropertySources()::addLast);
        }
        return environment;
    }
}
