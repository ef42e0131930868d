package dev.oauthbroker.validation;

import java.util.List;
import java.util.Map;

/**
 * How the sweep's validation of one grant ended, as stored in {@code sweep_items.outcome}:
 * {@code valid}, {@code reauth_required}, {@code error} (provider unreachable or validation failed),
 * {@code skipped} (tokens undecryptable) or {@code gone} (deleted since the run opened).
 */
public record SweepOutcome(String outcome, boolean refreshed) {

    public static final SweepOutcome SKIPPED = new SweepOutcome("skipped", false);
    public static final SweepOutcome GONE = new SweepOutcome("gone", false);
    public static final SweepOutcome ERROR = new SweepOutcome("error", false);

    /** From the per-tool results of {@code direct:validate-grant} (one grant: same verdict on each tool). */
    public static SweepOutcome of(List<Map<String, Object>> results) {
        if (results == null || results.isEmpty()) {
            return ERROR;
        }
        Map<String, Object> first = results.get(0);
        boolean refreshed = Boolean.TRUE.equals(first.get("refreshed"));
        if (Boolean.TRUE.equals(first.get("valid"))) {
            return new SweepOutcome("valid", refreshed);
        }
        return new SweepOutcome("reauth_required".equals(first.get("status")) ? "reauth_required" : "error", refreshed);
    }
}
