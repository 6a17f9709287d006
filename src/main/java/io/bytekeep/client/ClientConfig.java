package io.bytekeep.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Properties;

/**
 * The command line's state in its config directory (default ~/.bytekeep): {@code session.properties} (server,
 * user, bearer token) and {@code x25519.key} (the user's private key, base64). Both files are created owner-only
 * (0600): whoever reads them can act as the user, and the key opens every document shared with the user.
 */
public final class ClientConfig {

    private static final String SESSION = "session.properties";
    private static final String PRIVATE_KEY = "x25519.key";

    private final Path directory;

    public ClientConfig(Path directory) {
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }

    public static Path defaultDirectory() {
        return Path.of(System.getProperty("user.home"), ".bytekeep");
    }

    public record Session(String server, String username, String token) {
    }

    public void saveSession(Session session) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("server", session.server());
        properties.setProperty("username", session.username());
        properties.setProperty("token", session.token());
        StringBuilder text = new StringBuilder();
        properties.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        writePrivate(directory.resolve(SESSION), text.toString());
    }

    public Session session() throws ClientException {
        Path file = directory.resolve(SESSION);
        if (!Files.isRegularFile(file)) {
            throw new ClientException(ClientException.BAD_INPUT, "not logged in: run bytekeep login (config " + directory + ")");
        }
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new ClientException(ClientException.BAD_INPUT, "cannot read " + file + ": " + e.getMessage(), e);
        }
        return new Session(properties.getProperty("server"), properties.getProperty("username"), properties.getProperty("token"));
    }

    public boolean hasPrivateKey() {
        return Files.isRegularFile(directory.resolve(PRIVATE_KEY));
    }

    public void savePrivateKey(byte[] privateKey) throws IOException {
        writePrivate(directory.resolve(PRIVATE_KEY), Base64.getEncoder().encodeToString(privateKey) + "\n");
    }

    public byte[] privateKey() throws ClientException {
        Path file = directory.resolve(PRIVATE_KEY);
        if (!Files.isRegularFile(file)) {
            throw new ClientException(ClientException.BAD_INPUT, "no private key: run bytekeep keys init (config " + directory + ")");
        }
        try {
            return Base64.getDecoder().decode(Files.readString(file).trim());
        } catch (IOException | IllegalArgumentException e) {
            throw new ClientException(ClientException.BAD_INPUT, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private void writePrivate(Path file, String content) throws IOException {
        Files.createDirectories(directory);
        Path temp = directory.resolve(file.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        try {
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(temp);
        }
        Files.writeString(temp, content, StandardOpenOption.TRUNCATE_EXISTING);
        Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
