package dev.oauthbroker.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Set;
import org.apache.camel.Body;
import org.springframework.stereotype.Component;

/**
 * The answer of {@code GET /api/tools} as JSON bytes: the catalogue's public view
 * ({@link ProviderCatalog#publicView}) depends only on which providers are degraded, so it is
 * written once for each such set (the last one is kept) instead of on every request.
 */
@Component("publicCatalogue")
public class PublicCatalogue {

    private record Written(Set<String> degraded, byte[] json) {}

    private final ProviderCatalog catalog;
    private final ObjectMapper json;
    private volatile Written last;

    public PublicCatalogue(ProviderCatalog catalog, ObjectMapper json) {
        this.catalog = catalog;
        this.json = json;
    }

    /** The public view for these degraded providers, as the JSON the route answers (never changed by the caller). */
    public byte[] json(@Body Set<String> degraded) throws JsonProcessingException {
        Written written = last;
        if (written == null || !written.degraded().equals(degraded)) {
            written = new Written(Set.copyOf(degraded), json.writeValueAsBytes(catalog.publicView(degraded)));
            last = written;
        }
        return written.json().clone();
    }
}
