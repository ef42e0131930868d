package dev.oauthbroker.check;

import java.nio.file.Path;

/**
 * One finding of a check, printed as a compiler would: {@code file:line: key: message}. An error
 * makes the check fail; a note (a placeholder that will need a variable) does not.
 */
public record Problem(Path file, int line, String key, String message, boolean error) {

    static Problem error(Path file, int line, String key, String message) {
        return new Problem(file, line, key, message, true);
    }

    static Problem note(Path file, int line, String key, String message) {
        return new Problem(file, line, key, message, false);
    }

    @Override
    public String toString() {
        return file + (line > 0 ? ":" + line : "") + ": " + (error ? "" : "note: ") + (key.isEmpty() ? "" : key + ": ") + message;
    }
}
