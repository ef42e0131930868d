package dev.oauthbroker.crypto;

import java.util.List;
import java.util.stream.Stream;

/**
 * What a key rotation pass did.
 *
 * @param rotated re-encrypted under the current key
 * @param alreadyCurrent already under the current key (a resumed run skips them)
 * @param changedMeanwhile rewritten by a concurrent refresh during the pass (so already current)
 * @param undecryptable rows whose values no configured key opens (a key dropped too early, or a
 *     damaged value), named so the operator can restore the key or have the user reconnect
 */
public record RotationReport(int rotated, int alreadyCurrent, int changedMeanwhile, List<Undecryptable> undecryptable) {

    public RotationReport plus(RotationReport other) {
        return new RotationReport(rotated + other.rotated, alreadyCurrent + other.alreadyCurrent,
                changedMeanwhile + other.changedMeanwhile, Stream.concat(undecryptable.stream(), other.undecryptable.stream()).toList());
    }

    /** One row that could not be re-encrypted: its id (a grant id, or a pending authorization's hash prefix), user and provider. */
    public record Undecryptable(String id, String userId, String provider) {}
}
