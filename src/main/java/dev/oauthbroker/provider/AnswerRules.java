package dev.oauthbroker.provider;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How a provider's token endpoint says no (catalogue block {@code errors}), read generically: the
 * error code sits in {@code field} (RFC 6749 §5.2: {@code error}) whatever the HTTP status, since
 * GitHub and Slack answer errors with HTTP 200; {@code okField} names a boolean that must not be
 * false (Slack {@code ok}); {@code errorFlagField} a boolean that, when true, makes the answer an
 * error whatever its status (Figma's {@code {"error": true, "status": 400, "message": …}}: the code is
 * then {@code http_<status>}); {@code deadGrantCodes} mean the grant is dead and the user must
 * consent again; {@code deadGrantDescriptionCodes} are words found (any case) in the
 * {@code descriptionField} ({@code error_description}; Figma {@code message}) that mean the same
 * (Microsoft's AADSTS codes); {@code transientCodes} mean "try later"; {@code adminConsentCodes}
 * (the error code, or a whole word of the description) mean an administrator of the user's
 * organisation must consent first (Microsoft's AADSTS65001, 90093, 90094).
 */
public record AnswerRules(String field, String okField, String errorFlagField, String descriptionField, Set<String> deadGrantCodes,
        List<String> deadGrantDescriptionCodes, Set<String> transientCodes, List<String> adminConsentCodes) {

    /** The reason an answer carrying one of {@link #adminConsentCodes()} ends with. */
    public static final String ADMIN_CONSENT_REQUIRED = "admin_consent_required";

    /** Plain RFC 6749: {@code error}, no ok flag, only {@code invalid_grant} is dead. */
    public static final AnswerRules RFC6749 = new AnswerRules("error", null, null, "error_description", Set.of("invalid_grant"), List.of(),
            Set.of("temporarily_unavailable", "service_unavailable", "request_timeout"), List.of());

    /** What an answer means. ADMIN_CONSENT_REQUIRED is a dead grant whose fix is an administrator's consent. */
    public enum Outcome { OK, DEAD_GRANT, ADMIN_CONSENT_REQUIRED, TRANSIENT, REJECTED }

    /** An answer's meaning and the code that says so ({@code null} when OK), safe to log. */
    public record Verdict(Outcome outcome, String reason) {}

    /** Classifies a token endpoint answer from its HTTP status and its fields (JSON or form). */
    public Verdict classify(int status, Map<String, ?> fields) {
        if (status == 429 || status >= 500) {
            return new Verdict(Outcome.TRANSIENT, "http_" + status);
        }
        String error = errorCode(fields);
        boolean flagged = errorFlagField != null && flagged(fields.get(errorFlagField));
        if (error == null && status < 300 && !flagged) {
            return new Verdict(Outcome.OK, null);
        }
        Object description = fields.get(descriptionField);
        if (needsAdminConsent(error, description == null ? null : description.toString())) {
            return new Verdict(Outcome.ADMIN_CONSENT_REQUIRED, ADMIN_CONSENT_REQUIRED);
        }
        if (description != null) {
            for (String code : deadGrantDescriptionCodes) {
                if (mentions(description.toString(), code)) {
                    return new Verdict(Outcome.DEAD_GRANT, code);
                }
            }
        }
        if (error != null && deadGrantCodes.contains(error)) {
            return new Verdict(Outcome.DEAD_GRANT, error);
        }
        if (error != null && transientCodes.contains(error)) {
            return new Verdict(Outcome.TRANSIENT, error);
        }
        return new Verdict(Outcome.REJECTED, error != null ? error : "http_" + status);
    }

    private static boolean flagged(Object value) {
        return Boolean.TRUE.equals(value) || "true".equals(value);
    }

    /**
     * Whether an error (a token answer's, or an authorization callback's {@code error} and
     * {@code error_description}) says an administrator must consent first.
     */
    public boolean needsAdminConsent(String error, String description) {
        return adminConsentCodes.stream().anyMatch(code -> code.equals(error) || (description != null && mentions(description, code)));
    }

    /** Whether the text holds the code as a whole word, in any case. */
    private static boolean mentions(String description, String code) {
        return Pattern.compile("\\b" + Pattern.quote(code) + "\\b", Pattern.CASE_INSENSITIVE).matcher(description).find();
    }

    /**
     * The error code of an answer: {@code field} when it holds text (a boolean there is a flag, not a
     * code), or {@code not_ok} when {@code okField} is false without one.
     */
    String errorCode(Map<String, ?> fields) {
        Object raw = fields.get(field);
        String error = raw == null || raw instanceof Boolean || raw.toString().isBlank() ? null : raw.toString();
        Object ok = okField == null ? null : fields.get(okField);
        if (Boolean.FALSE.equals(ok) || "false".equals(ok)) {
            return error == null ? "not_ok" : error;
        }
        return error;
    }
}
