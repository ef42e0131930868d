package dev.oauthbroker.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.apache.camel.Body;
import org.springframework.stereotype.Component;

/**
 * The answer of {@code GET /api/tools} as JSON bytes. The catalogue's public view
 * ({@link ProviderCatalog#publicView}) changes only when a provider's breaker does: the JSON of the
 * last view is kept and answered again while the view is equal, instead of being written on every request.
 */
@Component("publicCatalogue")
public class PublicCatalogue {

    private record Written(Map<String, Object> view, byte[] json) {}

    private final ObjectMapper json;
    private volatile Written last;

    public PublicCatalogue(ObjectMapper json) {
        this.json = json;
    }

    /** The view as the JSON the route answers (a copy: the caller may do with it what it likes). */
    public byte[] json(@Body Map<String, Object> view) throws JsonProcessingException {
        Written written = last;
        if (written == null || !written.view().equals(view)) {
            written = new Written(view, json.writeValueAsBytes(view));
            last = written;
        }
        return written.json().clone();
    }
}
