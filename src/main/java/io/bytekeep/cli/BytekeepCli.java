package io.bytekeep.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code bytekeep} command line: a client of the server (login, keys, upload, download, share, revoke, ls, rm) and
 * offline tools; it starts no server and no Spring context (bin/bytekeep runs this class from the application jar).
 */
@Command(name = "bytekeep", mixinStandardHelpOptions = true, versionProvider = BytekeepCli.Version.class,
        description = "Bytekeep's command line: shared documents, the Vault, offline verification.",
        subcommands = {CustodyCommand.class, TrustCommand.class, LoginCommand.class, KeysCommand.class, UploadCommand.class,
                DownloadCommand.class, ShareCommand.class, RevokeCommand.class, LsCommand.class,
                RmCommand.class, RawCommand.class, ImportBytesCommand.class})
public final class BytekeepCli {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return new CommandLine(new BytekeepCli());
    }

    /** The version the build wrote into the jar's manifest ("development" when run from classes). */
    static final class Version implements CommandLine.IVersionProvider {

        @Override
        public String[] getVersion() {
            String version = BytekeepCli.class.getPackage().getImplementationVersion();
            return new String[] {"bytekeep " + (version == null ? "development" : version),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
