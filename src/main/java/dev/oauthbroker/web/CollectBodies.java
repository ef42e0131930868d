package dev.oauthbroker.web;

import java.util.ArrayList;
import java.util.List;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Aggregation of a split: the body becomes the list of every part's body, in completion order. A
 * part that failed unhandled fails the whole split.
 */
@Component("collectBodies")
public class CollectBodies implements AggregationStrategy {

    @Override
    @SuppressWarnings("unchecked")
    public Exchange aggregate(Exchange collected, Exchange part) {
        if (collected == null) {
            List<Object> bodies = new ArrayList<>();
            bodies.add(part.getMessage().getBody());
            part.getMessage().setBody(bodies);
            return part;
        }
        collected.getMessage().getBody(List.class).add(part.getMessage().getBody());
        if (part.getException() != null) {
            collected.setException(part.getException());
        }
        return collected;
    }
}
