package dev.oauthbroker.provider;

import dev.oauthbroker.crypto.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A configuration file looked at again and again (the catalogue, the backend clients): says once
 * per new content that it changed. Content, not timestamps: exact where a file system's times are
 * coarse or a deploy swaps a link. An absent or unreadable file is one more content.
 */
public final class ChangedFile {

    private static final byte[] ABSENT = new byte[0];

    private final Path path;
    private byte[] digest;

    /** Remembers the file as it is now: {@link #changed()} answers for what comes after. */
    public ChangedFile(Path path) {
        this.path = path;
        this.digest = digestNow();
    }

    public Path path() {
        return path;
    }

    /** Whether the content differs from the one last seen; it is the one seen from now on. */
    public synchronized boolean changed() {
        byte[] now = digestNow();
        if (Arrays.equals(now, digest)) {
            return false;
        }
        digest = now;
        return true;
    }

    private byte[] digestNow() {
        try {
            return Sha256.of(Files.readAllBytes(path));
        } catch (IOException absentOrUnreadable) {
            return ABSENT;
        }
    }
}
