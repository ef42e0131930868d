package dev.oauthbroker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.oauthbroker.BrokerProperties;
import dev.oauthbroker.provider.Provider;
import dev.oauthbroker.provider.ProviderCatalog;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What every command shares: where output goes, whether it is a terminal (colours and progress
 * only then), JSON rendering, and the application context — started on first use, so
 * {@code --help} and usage errors answer at once. In verbose mode the broker's log is shown from
 * the moment the context is ready.
 */
public final class Console {

    private static final Logger log = LoggerFactory.getLogger(Console.class);

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean terminal;
    private final Supplier<ConfigurableApplicationContext> contextFactory;
    private final boolean closeContext;
    private final long started = System.nanoTime();
    private boolean verbose;
    private ConfigurableApplicationContext context;
    private VerboseLog verboseLog;

    public Console(PrintWriter out, PrintWriter err, boolean terminal, Supplier<ConfigurableApplicationContext> contextFactory,
                   boolean closeContext) {
        this.out = out;
        this.err = err;
        this.terminal = terminal;
        this.contextFactory = contextFactory;
        this.closeContext = closeContext;
    }

    public PrintWriter out() {
        return out;
    }

    public PrintWriter err() {
        return err;
    }

    public boolean terminal() {
        return terminal;
    }

    /** Shows the broker's log lines on stderr once the context is ready (before, Spring's logging setup would drop them). */
    void verbose() {
        verbose = true;
    }

    public synchronized <T> T bean(Class<T> type) {
        if (context == null) {
            context = contextFactory.get();
            if (verbose) {
                verboseLog = new VerboseLog(err, started);
                ProviderCatalog catalog = context.getBean(ProviderCatalog.class);
                log.info("broker ready: catalogue {} ({} of {} providers configured)", context.getBean(BrokerProperties.class).providersFile(),
                        catalog.providers().stream().filter(Provider::available).count(), catalog.providers().size());
            }
        }
        return context.getBean(type);
    }

    /** Runs a flow route in-process; its failure becomes this command's failure (exit 1, message on stderr). */
    public Exchange route(String uri, Processor setup) throws Exception {
        Exchange done = bean(ProducerTemplate.class).request(uri, setup);
        if (done.getException() != null) {
            throw done.getException();
        }
        return done;
    }

    public void json(Object value) {
        try {
            out.println(JSON.writeValueAsString(value));
            out.flush();
        } catch (Exception e) {
            throw new IllegalStateException("cannot render JSON", e);
        }
    }

    /** Colours a status word on a terminal; plain text elsewhere (pipes, files, tests). */
    public String status(String word) {
        if (!terminal || word == null) {
            return word;
        }
        String code = switch (word) {
            case "connected", "valid", "revoked", "configured", "refreshed", "ok", "closed" -> "32";
            case "expiring", "missing_scopes", "skipped", "unsupported", "error", "half_open" -> "33";
            case "reauth_required", "failed", "unavailable", "disconnected", "open" -> "31";
            default -> null;
        };
        return code == null ? word : "\u001b[" + code + "m" + word + "\u001b[0m";
    }

    /** "3m 20s", "2h 05m", "4d 3h"; negative durations read "-3m 20s". */
    public static String human(Duration duration) {
        if (duration == null) {
            return "-";
        }
        String sign = duration.isNegative() ? "-" : "";
        long s = Math.abs(duration.toSeconds());
        if (s < 60) {
            return sign + s + "s";
        }
        if (s < 3600) {
            return sign + (s / 60) + "m " + (s % 60) + "s";
        }
        if (s < 86_400) {
            return sign + (s / 3600) + "h " + String.format("%02dm", (s % 3600) / 60);
        }
        return sign + (s / 86_400) + "d " + ((s % 86_400) / 3600) + "h";
    }

    public static String ago(Instant then, Instant now) {
        return then == null ? "never" : human(Duration.between(then, now)) + " ago";
    }

    public void close() {
        if (verboseLog != null) {
            verboseLog.close();
        }
        if (context != null && closeContext) {
            context.close();
        }
    }
}
