package dev.oauthbroker.flow;

import dev.oauthbroker.BrokerProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.ExchangeProperty;
import org.springframework.stereotype.Component;

/**
 * The instant by which a request must have its answer ({@code BROKER_REQUEST_DEADLINE} from when
 * it arrived), in exchange property {@value ExchangeProperties#DEADLINE}: retries of provider calls stop, and waits
 * for a refresh end, so that the answer is ours and in time.
 */
@Component("requestDeadlines")
public class RequestDeadlines implements Expression {

    private final Clock clock;
    private final Duration deadline;

    public RequestDeadlines(Clock clock, BrokerProperties properties) {
        this.clock = clock;
        this.deadline = properties.requestDeadline();
    }

    /**
     * Entry of every API route, and of a refresh: the deadline the request already has, else one
     * from now (a refresh started by the CLI or the sweep).
     */
    public Instant start(@ExchangeProperty(ExchangeProperties.DEADLINE) Instant existing) {
        return existing != null ? existing : clock.instant().plus(deadline);
    }

    /**
     * {@link #start} as the expression of {@code setProperty: {name: deadline, ref: requestDeadlines}}
     * (Camel's {@code ref} language), the first step of every API request: a {@code method:}
     * expression copies the exchange, headers and properties, and builds a bean processor on every
     * evaluation (8 % of a token answer's request-thread samples, docs/benchmarks.md).
     */
    @Override
    public <T> T evaluate(Exchange exchange, Class<T> type) {
        return type.cast(start(exchange.getProperty(ExchangeProperties.DEADLINE, Instant.class)));
    }
}
