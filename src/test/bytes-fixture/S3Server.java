import io.bytekeep.platform.embedded.EmbeddedS3Server;

/**
 * An S3 API server in memory for generate.sh (Bytekeep's own embedded S3Proxy), so that Bytes' S3RawRepository writes
 * through boto3 as it does in production. Prints its endpoint, then serves until stdin closes.
 */
public final class S3Server {
    public static void main(String[] args) throws Exception {
        EmbeddedS3Server server = new EmbeddedS3Server(EmbeddedS3Server.Backend.TRANSIENT, null, 0, args[0], args[1]);
        server.start();
        System.out.println(server.endpoint());
        System.out.flush();
        while (System.in.read() >= 0) {
            // serve until the caller closes our stdin
        }
        server.stop();
    }
}
