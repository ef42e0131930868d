package dev.oauthbroker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The shipped {@code routes/} folder as the edit tests use it: its flow files, or a copy of them to edit. */
public final class RouteFolder {

    private RouteFolder() {
    }

    /** Every flow file of {@code routes/}, by name. */
    public static List<Path> files() throws IOException {
        try (Stream<Path> listing = Files.list(Path.of("routes"))) {
            return listing.filter(p -> p.toString().endsWith(".camel.yaml")).sorted().toList();
        }
    }

    /** Copies every flow file of {@code routes/} into {@code target}, to be edited there. */
    public static void copyTo(Path target) throws IOException {
        for (Path file : files()) {
            Files.copy(file, target.resolve(file.getFileName()));
        }
    }
}
