package io.bytekeep.cli;

import picocli.CommandLine.Command;

/** {@code bytekeep custody ...}: custody chains. */
@Command(name = "custody", mixinStandardHelpOptions = true, description = "Custody chains.",
        subcommands = CustodyVerifyCommand.class)
final class CustodyCommand {
}
