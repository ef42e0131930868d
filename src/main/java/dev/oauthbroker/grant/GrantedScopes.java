package dev.oauthbroker.grant;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import java.util.Locale;

/**
 * What a grant may do: the scopes the provider granted, and which of a tool's catalogue scopes they
 * lack. Only a tool's own scopes decide whether it can be used; a provider's sign-in and refresh
 * scopes ({@code openid}, {@code email}, {@code offline_access}, {@code User.Read}) do not, because
 * providers rename or drop them in their answers (Google answers {@code email} as
 * {@code https://www.googleapis.com/auth/userinfo.email}; Microsoft often leaves out
 * {@code offline_access} and {@code openid}) and a missing refresh token shows elsewhere.
 *
 * <p>A catalogue scope is granted when the answer holds it ignoring case (Microsoft Graph's
 * permission names are case-insensitive; a false "missing" would block a working tool), or holds it
 * qualified by a resource: {@code https://graph.microsoft.com/Mail.Read} grants {@code Mail.Read}.
 */
public final class GrantedScopes {

    private GrantedScopes() {}

    /**
     * The granted set of a new consent (RFC 6749 §5.1): the answer's {@code scope} when it lists
     * any, else what was asked for.
     */
    public static List<String> ofConsent(List<String> answered, List<String> asked) {
        return answered.isEmpty() ? List.copyOf(asked) : List.copyOf(answered);
    }

    /**
     * The granted set after a Grant access consent: the answer's {@code scope} when it lists any
     * (incremental authorization answers the whole set, a full re-consent does anyway); else the
     * grant's earlier set plus what was asked for.
     */
    public static List<String> ofUpgrade(List<String> previous, List<String> answered, List<String> asked) {
        if (!answered.isEmpty()) {
            return List.copyOf(answered);
        }
        Set<String> union = new LinkedHashSet<>(previous);
        union.addAll(asked);
        return List.copyOf(union);
    }

    /**
     * The {@code wanted} scopes (a tool's, from the catalogue) that {@code granted} lacks, in
     * catalogue order. An empty granted set was never recorded (a grant stored before the granted
     * set was kept): it lacks nothing.
     */
    public static List<String> missing(Collection<String> wanted, Collection<String> granted) {
        if (granted.isEmpty()) {
            return List.of();
        }
        List<String> missing = new ArrayList<>();
        for (String scope : wanted) {
            if (granted.stream().noneMatch(g -> grants(g, scope))) {
                missing.add(scope);
            }
        }
        return missing;
    }

    /**
     * The scopes of {@code before} that {@code after} no longer grants, however spelled (a refresh
     * answer may qualify a scope by its resource where the consent did not): what a narrowing lost.
     */
    public static List<String> lost(Collection<String> before, Collection<String> after) {
        return before.stream().filter(b -> after.stream().noneMatch(a -> grants(a, b) || grants(b, a))).distinct().toList();
    }

    /** The event detail of a change of granted set: what it added and what it lost. Scope names only. */
    public static String change(Collection<String> before, Collection<String> after) {
        List<String> added = lost(after, before);
        List<String> removed = lost(before, after);
        return "granted: " + (added.isEmpty() ? "-" : String.join(" ", added))
                + "; no longer granted: " + (removed.isEmpty() ? "-" : String.join(" ", removed));
    }

    /** Whether the granted scope {@code granted} gives the catalogue scope {@code wanted}. */
    static boolean grants(String granted, String wanted) {
        if (granted.equalsIgnoreCase(wanted)) {
            return true;
        }
        return !wanted.contains("://") && granted.contains("://")
                && granted.toLowerCase(Locale.ROOT).endsWith("/" + wanted.toLowerCase(Locale.ROOT));
    }
}
