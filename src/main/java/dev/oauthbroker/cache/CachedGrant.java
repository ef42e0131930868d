package dev.oauthbroker.cache;

import dev.oauthbroker.crypto.AesGcmTokenCipher;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.grant.GrantRows;

/**
 * One grant as the token cache holds it: everything but the tokens in the clear, the access token
 * sealed as the {@code access_token} column holds it (AES-256-GCM under the current token key, bound
 * to the grant and the column), and no refresh token at all — a refresh always reads PostgreSQL.
 * {@link #toString()} shows no token material.
 *
 * @param grant the grant with both tokens null
 * @param sealedAccessToken the access token's ciphertext
 */
public record CachedGrant(Grant grant, byte[] sealedAccessToken) {

    /** {@code grant} (decrypted, as just read) sealed for keeping. */
    static CachedGrant sealed(Grant grant, AesGcmTokenCipher cipher) {
        Grant withoutTokens = new Grant(grant.id(), grant.userId(), grant.provider(), grant.status(), null, null,
                grant.tokenType(), grant.scopes(), grant.expiresAt(), grant.tokenVersion(), grant.connectedAt(),
                grant.lastRefreshedAt(), grant.lastValidatedAt(), grant.lastError(), grant.tools(), grant.undecryptable());
        return new CachedGrant(withoutTokens, cipher.encrypt(grant.accessToken(), aad(grant)));
    }

    /** The grant with its access token decrypted (the refresh token stays null). */
    Grant opened(AesGcmTokenCipher cipher) {
        return grant.withTokens(cipher.decrypt(sealedAccessToken, aad(grant)), null);
    }

    private static String aad(Grant grant) {
        return GrantRows.aad(grant.id(), "access_token");
    }

    @Override
    public String toString() {
        return "CachedGrant[" + grant + "]";
    }
}
