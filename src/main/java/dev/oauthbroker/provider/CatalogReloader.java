package dev.oauthbroker.provider;

import dev.oauthbroker.BrokerProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The catalogue reloaded without restart ({@code BROKER_CATALOGUE_RELOAD}: how often the file is
 * looked at; 0 = never, the default; the demo: 2 s). A changed file is validated exactly as at
 * startup: valid, it is swapped in whole ({@link ProviderCatalog#replaceWith}); invalid, it is refused
 * with the same messages and the running catalogue stays. Grants of a provider that left the
 * catalogue are not touched — its tools answer {@code unknown_tool}, validation skips them — and
 * serve again when it returns.
 */
@Component
public class CatalogReloader implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(CatalogReloader.class);

    /** What a look at the file found. */
    public enum Outcome { UNCHANGED, RELOADED, REFUSED }

    private final ProviderCatalog catalog;
    private final CatalogLoader loader;
    private final ChangedFile file;
    private final ScheduledExecutorService watcher;

    @Autowired
    public CatalogReloader(ProviderCatalog catalog, BrokerProperties properties, Environment environment) {
        this(catalog, new CatalogLoader(environment::resolvePlaceholders), Path.of(properties.providersFile()), properties.catalogueReload());
    }

    CatalogReloader(ProviderCatalog catalog, CatalogLoader loader, Path file, Duration every) {
        this.catalog = catalog;
        this.loader = loader;
        this.file = new ChangedFile(file);
        if (every.isZero()) {
            this.watcher = null;
        } else {
            this.watcher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "catalogue-reload");
                thread.setDaemon(true);
                return thread;
            });
            watcher.scheduleWithFixedDelay(this::reloadIfChanged, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
            log.info("catalogue {} reloaded on change (looked at every {})", file, every);
        }
    }

    /** Looks at the file once: swaps a changed, valid catalogue in; refuses an invalid one. */
    public synchronized Outcome reloadIfChanged() {
        if (!file.changed()) {
            return Outcome.UNCHANGED;
        }
        try {
            ProviderCatalog loaded = loader.load(file.path());
            catalog.replaceWith(loaded);
            log.info("catalogue {} reloaded: {} providers, {} tools", file.path(), loaded.providers().size(), loaded.tools().size());
            return Outcome.RELOADED;
        } catch (CatalogException e) {
            log.error("catalogue change refused, the running catalogue stays: {}", e.getMessage());
            return Outcome.REFUSED;
        }
    }

    @Override
    public void destroy() {
        if (watcher != null) {
            watcher.shutdownNow();
        }
    }
}
