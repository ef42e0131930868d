package dev.oauthbroker.crypto;

/**
 * What a key rotation pass did.
 *
 * @param rotated re-encrypted under the current key
 * @param alreadyCurrent already under the current key (a resumed run skips them)
 * @param changedMeanwhile rewritten by a concurrent refresh during the pass (so already current)
 * @param undecryptable under a key that is not configured: list it in ENCRYPTION_KEYS_PREVIOUS
 */
public record RotationReport(int rotated, int alreadyCurrent, int changedMeanwhile, int undecryptable) {

    public RotationReport plus(RotationReport other) {
        return new RotationReport(rotated + other.rotated, alreadyCurrent + other.alreadyCurrent,
                changedMeanwhile + other.changedMeanwhile, undecryptable + other.undecryptable);
    }
}
