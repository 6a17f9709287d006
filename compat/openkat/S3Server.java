import java.util.concurrent.CountDownLatch;

import io.bytekeep.platform.embedded.EmbeddedS3Server;

/**
 * The S3 endpoint of the prod-profile runs: the same server the prod-profile tests give Bytekeep
 * (support/ProdEnvironment.s3Server(): S3Proxy in memory), in a process of its own, until it is killed; with a
 * directory as fifth argument S3Proxy keeps the objects there (filesystem backend), for runs that store gigabytes.
 * Run from the extracted application jar: java -cp APP_JAR compat/openkat/S3Server.java PORT ACCESS_KEY SECRET_KEY [DIR]
 */
public class S3Server {
    public static void main(String[] args) throws InterruptedException {
        EmbeddedS3Server server = args.length > 3
                ? new EmbeddedS3Server(EmbeddedS3Server.Backend.FILESYSTEM, java.nio.file.Path.of(args[3]),
                        Integer.parseInt(args[0]), args[1], args[2])
                : new EmbeddedS3Server(EmbeddedS3Server.Backend.TRANSIENT, null, Integer.parseInt(args[0]), args[1], args[2]);
        server.start();
        System.out.println("S3 endpoint " + server.endpoint());
        new CountDownLatch(1).await();
    }
}
