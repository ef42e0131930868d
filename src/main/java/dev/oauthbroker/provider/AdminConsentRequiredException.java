package dev.oauthbroker.provider;

/**
 * The provider answered that an administrator of the user's organisation must consent first
 * (catalogue {@code errors.adminConsentCodes}, Microsoft's AADSTS65001/90093/90094): a dead grant
 * like any {@link InvalidGrantException} (never retried, reason {@code admin_consent_required}),
 * whose fix is the admin-consent link, not the user reconnecting alone.
 */
public class AdminConsentRequiredException extends InvalidGrantException {

    private final String bucket;

    /** @param bucket the bucket whose admin-consent link fixes it; null when no bucket offers one */
    public AdminConsentRequiredException(String bucket) {
        super(AnswerRules.ADMIN_CONSENT_REQUIRED);
        this.bucket = bucket;
    }

    /** The bucket to ask {@code POST /api/buckets/{bucket}/admin-consent} for; null when none. */
    public String bucket() {
        return bucket;
    }
}
