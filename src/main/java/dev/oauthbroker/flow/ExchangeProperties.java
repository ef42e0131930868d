package dev.oauthbroker.flow;

/**
 * The name of every exchange property the routes ({@code routes/*.camel.yaml}) and their beans pass
 * values in — in the YAML as {@code setProperty: name: ...} and {@code ${exchangeProperty....}}, in
 * Java as {@code @ExchangeProperty(ExchangeProperties.X)}. One place, the way Spring Security keeps
 * {@code OAuth2ParameterNames}: {@code ExchangePropertiesTests} fails on a name a route uses that is
 * not here, and on a name here that nothing uses.
 */
public final class ExchangeProperties {

    // --- who and what a request is about
    /** The signed-in user (set by the web layer on arrival), or the user a CLI command or route acts for. */
    public static final String USER_ID = "userId";
    /** The admitted backend client's id (set by the web layer on arrival of an {@code X-Broker-Key} request). */
    public static final String CLIENT_ID = "clientId";
    /** The tool a token is asked for (from the path, the token exchange's request, or the CLI). */
    public static final String TOOL_TYPE = "toolType";
    /** Whether the caller asked for a refresh whatever the token's expiry: the query parameter as it came ({@code String}; "true" in any case forces, {@code TokenAccess.forced}). */
    public static final String FORCE_REFRESH = "forceRefresh";
    /** The {@code Instant} by which the request must have its answer ({@link RequestDeadlines}). */
    public static final String DEADLINE = "deadline";
    /** The {@code Instant} a timed operation began ({@link StartTimes}): its log lines' {@code durationMs} count from it. */
    public static final String STARTED_AT = "startedAt";
    /** The token exchange answers errors in RFC 6749 §5.2's shape instead of {error, message} ({@code Boolean}). */
    public static final String RFC6749_ERRORS = "rfc6749Errors";
    /** The token exchange's checked request: its user and tool. */
    public static final String SUBJECT = "subject";

    // --- the grant and its tokens
    /** The {@code Grant} a flow works on (as the caller saw it; after a refresh, with its new tokens). */
    public static final String GRANT = "grant";
    /** The access token a backend reported as rejected by its provider ({@code ReportedToken}). */
    public static final String REPORTED_TOKEN = "reportedToken";
    /** How the reported token compares with the stored one ({@code Rejection}). */
    public static final String REJECTION = "rejection";
    /** The refresh's lease on its grant, or the outcome a peer settled meanwhile ({@code RefreshLease}). */
    public static final String REFRESH_LEASE = "refreshLease";

    // --- connecting
    /** The checked callback: the connect flow's request and its authorization code ({@code CalledBack}). */
    public static final String CALLED_BACK = "calledBack";
    /** The accepted admin-consent answer of a callback ({@code AdminConsentRecord}). */
    public static final String ADMIN_CONSENTED = "adminConsented";

    // --- one call to a provider (route provider-call)
    /** The {@code ProviderRequest} a flow wants sent. */
    public static final String PROVIDER_REQUEST = "providerRequest";
    /** The {@code ProviderAttempt} under way: which attempt of the request it is. */
    public static final String PROVIDER_ATTEMPT = "providerAttempt";
    /** The provider's circuit breaker permit of the call in progress ({@code ProviderPermit}). */
    public static final String PROVIDER_PERMIT = "providerPermit";
    /** How many answers of this flow's requests were lost (sent, no answer) ({@code Integer}). */
    public static final String LOST_ANSWERS = "lostAnswers";

    // --- disconnecting
    /** What a disconnect detached: the tools, and the grants left without a tool ({@code Detached}). */
    public static final String DETACHED = "detached";
    /** What revoking a grant at its provider takes ({@code RevocationPlan}). */
    public static final String REVOCATION_PLAN = "revocationPlan";
    /** Set by revocation-errors when a revocation request failed for good ({@code Boolean}). */
    public static final String REVOCATION_FAILED = "revocationFailed";

    // --- validating
    /** Where the grant under validation stands ({@code Verdict}). */
    public static final String VERDICT = "verdict";
    /** The grant was refreshed during its validation ({@code Boolean}). */
    public static final String REFRESHED = "refreshed";
    /** A sweep run asked for by hand (the CLI's validate-all), not by the schedule ({@code Boolean}). */
    public static final String MANUAL_SWEEP = "manual";
    /** The id of the sweep run being worked ({@code Long}). */
    public static final String SWEEP_RUN = "sweepRun";
    /** The id of the grant a sweep batch is validating ({@code UUID}). */
    public static final String SWEEP_GRANT = "sweepGrant";
    /** The run's summary once it is over; null while grants are left ({@code Map}). */
    public static final String SWEEP_SUMMARY = "sweepSummary";

    // --- connection events
    /** The id of the connection event being delivered ({@code Long}). */
    public static final String EVENT_ID = "eventId";

    private ExchangeProperties() {}
}
