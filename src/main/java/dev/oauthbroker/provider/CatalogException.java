package dev.oauthbroker.provider;

import java.util.List;

/** The provider catalogue is unreadable or invalid; the message lists every problem found. */
public class CatalogException extends RuntimeException {

    private final List<String> problems;

    public CatalogException(String message) {
        this(message, List.of());
    }

    CatalogException(String message, List<String> problems) {
        super(message);
        this.problems = List.copyOf(problems);
    }

    /** Each problem of an invalid catalogue as {@code <entry>.<field>: <what is wrong>}; empty when the file was unreadable. */
    public List<String> problems() {
        return problems;
    }
}
