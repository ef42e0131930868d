package dev.oauthbroker.cli;

import picocli.CommandLine.Option;

/**
 * Mixin: {@code --verbose}, the broker's own log lines of this command (each read, attempt, backoff
 * delay, coalescing wait, revocation, verdict — never a token) on stderr as they happen, with the
 * time since the command started. {@link OAuthCli} attaches the log around the command.
 */
final class VerboseOption {

    @Option(names = "--verbose", description = "Show what the command does as it happens, with timing (stderr).")
    boolean verbose;
}
