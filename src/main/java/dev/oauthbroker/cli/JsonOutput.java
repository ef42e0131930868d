package dev.oauthbroker.cli;

import picocli.CommandLine.Option;

/** Mixin: {@code --json}, machine-readable output instead of the human table. */
final class JsonOutput {

    @Option(names = "--json", description = "Machine-readable output.")
    boolean json;
}
