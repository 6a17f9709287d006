package io.bytekeep.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code bytekeep} command line: offline tools that start no server and no Spring context
 * (bin/bytekeep runs this class from the application jar).
 */
@Command(name = "bytekeep", mixinStandardHelpOptions = true,
        description = "Bytekeep's offline tools.", subcommands = {CustodyCommand.class, TrustCommand.class})
public final class BytekeepCli {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return new CommandLine(new BytekeepCli());
    }
}
