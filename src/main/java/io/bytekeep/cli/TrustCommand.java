package io.bytekeep.cli;

import picocli.CommandLine.Command;

/** {@code bytekeep trust ...}: the TUF metadata of the exports. */
@Command(name = "trust", mixinStandardHelpOptions = true, description = "TUF metadata of the exports.",
        subcommands = TrustVerifyCommand.class)
final class TrustCommand {
}
