package dev.oauthbroker.provider;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * A provider's tenant-wide consent by an administrator (catalogue block {@code adminConsent}):
 * which of its scopes only an administrator can grant, and where an administrator grants them.
 * Microsoft: delegated permissions whose consent type is <i>Admin</i> stop a non-admin's consent
 * (AADSTS90093/90094); {@code https://login.microsoftonline.com/{tenant}/v2.0/adminconsent} grants
 * them for the whole tenant, after which its users connect with no admin prompt.
 *
 * @param url the admin-consent endpoint (asked with {@code client_id}, {@code scope},
 *     {@code redirect_uri}, {@code state})
 * @param scopeResource prefix that turns a short scope into the fully qualified one the endpoint
 *     wants ({@code https://graph.microsoft.com/} + {@code Chat.Read}); empty = sent as written
 * @param scopes the scopes only an administrator can consent to; a tool asking any of them needs
 *     admin consent
 */
public record AdminConsent(String url, String scopeResource, List<String> scopes) {

    /** OpenID Connect's scopes name no resource: sent as they are (Microsoft accepts them on the endpoint). */
    private static final Set<String> RESOURCELESS = Set.of("openid", "profile", "email", "offline_access");

    /** Whether the tool asks a scope only an administrator can grant. */
    public boolean neededBy(Tool tool) {
        return tool.scopes().stream().anyMatch(scopes::contains);
    }

    /** The tool's scopes that only an administrator can grant, in the tool's order. */
    public List<String> adminScopesOf(Tool tool) {
        return tool.scopes().stream().filter(scopes::contains).toList();
    }

    /** The scopes as the admin-consent endpoint wants them: qualified by {@link #scopeResource()}. */
    public List<String> qualified(Collection<String> requested) {
        return requested.stream().map(this::qualified).distinct().toList();
    }

    private String qualified(String scope) {
        if (scopeResource.isEmpty() || RESOURCELESS.contains(scope) || scope.contains("://")) {
            return scope;
        }
        return scopeResource + scope;
    }
}
