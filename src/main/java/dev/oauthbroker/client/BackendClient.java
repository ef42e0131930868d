package dev.oauthbroker.client;

import java.security.MessageDigest;
import java.util.List;
import java.util.Set;

/**
 * One backend client: its id, the tools whose tokens it may obtain (buckets already expanded;
 * {@code allTools} for {@code '*'} and for {@code BROKER_SERVICE_KEY}), what it may call, and the
 * SHA-256 digests of its one or two keys.
 */
public record BackendClient(String id, boolean allTools, Set<String> tools, Set<Operation> operations, List<byte[]> keyDigests) {

    /** The id of the client {@code BROKER_SERVICE_KEY} stands for. */
    public static final String SERVICE_KEY = "service-key";

    public BackendClient {
        tools = Set.copyOf(tools);
        operations = Set.copyOf(operations);
        keyDigests = List.copyOf(keyDigests);
    }

    /** Whether the key's digest is one of this client's, compared in constant time with each. */
    boolean holds(byte[] keyDigest) {
        boolean match = false;
        for (byte[] digest : keyDigests) {
            match |= MessageDigest.isEqual(digest, keyDigest);
        }
        return match;
    }

    public boolean mayFetch(String tool) {
        return allTools || tools.contains(tool);
    }

    public boolean may(Operation operation) {
        return operations.contains(operation);
    }
}
