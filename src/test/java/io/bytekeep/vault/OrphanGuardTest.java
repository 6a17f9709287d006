package io.bytekeep.vault;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import io.bytekeep.platform.embedded.EmbeddedS3Server;
import io.bytekeep.support.ProdEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link OrphanGuard} leaves in a real S3 API when the exchange ends, by how far the transaction recording the
 * object got: a route like raw-store-all writes an object, then records it the way RawRecorder does.
 */
class OrphanGuardTest {

    private static final String BUCKET = "orphan-guard";

    /** Where the recording transaction fails, if it does. */
    enum Failure {
        NONE, BEFORE_COMMIT, IN_COMMIT
    }

    private static EmbeddedS3Server server;
    private static S3Client s3;
    private static DefaultCamelContext camel;
    private static ProducerTemplate producer;
    private static JdbcTemplate jdbc;
    private static TransactionTemplate transactions;

    @BeforeAll
    static void start() throws Exception {
        server = ProdEnvironment.s3Server();
        server.start();
        s3 = ProdEnvironment.s3Client(server.endpoint());
        s3.createBucket(b -> b.bucket(BUCKET));
        SimpleDriverDataSource database = new SimpleDriverDataSource(new org.h2.Driver(),
                "jdbc:h2:mem:orphan-guard;DB_CLOSE_DELAY=-1");
        jdbc = new JdbcTemplate(database);
        jdbc.execute("create table raw_file (id uuid primary key)");
        transactions = new TransactionTemplate(new DataSourceTransactionManager(database));
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:upload")
                        .process(new OrphanGuard(s3))
                        .process(OrphanGuardTest::storeObject)
                        .process(OrphanGuardTest::record);
            }
        });
        camel.start();
        producer = camel.createProducerTemplate();
    }

    @AfterAll
    static void stop() {
        camel.stop();
        s3.close();
        server.stop();
    }

    @Test
    void objectsOfACommittedTransactionStay() {
        Exchange upload = upload(Failure.NONE);

        assertThat(upload.getException()).isNull();
        assertThat(rowExists(upload)).isTrue();
        assertThat(objectExists(upload)).isTrue();
    }

    @Test
    void objectsOfATransactionThatFailedBeforeItsCommitAreDeleted() {
        Exchange upload = upload(Failure.BEFORE_COMMIT);

        assertThat(upload.getException()).hasMessage("the work of the transaction failed");
        assertThat(rowExists(upload)).isFalse();
        assertThat(objectExists(upload)).isFalse();
    }

    @Test
    void objectsOfATransactionWhoseCommitFailedStayForTheSweep() {
        Exchange upload = upload(Failure.IN_COMMIT);

        assertThat(upload.getException()).isInstanceOf(TransactionSystemException.class)
                .hasMessageContaining("commit");
        assertThat(objectExists(upload)).isTrue();
    }

    private static Exchange upload(Failure failure) {
        return producer.send("direct:upload", exchange -> {
            exchange.getIn().setHeader("rawId", UUID.randomUUID());
            exchange.getIn().setHeader("failure", failure);
        });
    }

    private static void storeObject(Exchange exchange) {
        String key = "raw/org-a/" + exchange.getIn().getHeader("rawId");
        s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString("encrypted bytes"));
        OrphanGuard.journal(exchange, new OrphanGuard.StoredObject(BUCKET, key));
    }

    private static void record(Exchange exchange) {
        Failure failure = exchange.getIn().getHeader("failure", Failure.class);
        OrphanGuard.record(exchange, transactions, () -> {
            jdbc.update("insert into raw_file (id) values (?)", exchange.getIn().getHeader("rawId"));
            if (failure == Failure.BEFORE_COMMIT) {
                throw new IllegalStateException("the work of the transaction failed");
            }
            if (failure == Failure.IN_COMMIT) {
                loseConnectionAtCommit();
            }
        });
    }

    /** The database connection of the transaction goes away after its work, before the COMMIT is sent. */
    private static void loseConnectionAtCommit() {
        Connection connection = DataSourceUtils.getConnection(jdbc.getDataSource());
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void beforeCommit(boolean readOnly) {
                try {
                    connection.close();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
    }

    private static boolean rowExists(Exchange upload) {
        Integer rows = jdbc.queryForObject("select count(*) from raw_file where id = ?", Integer.class,
                upload.getIn().getHeader("rawId"));
        return rows != null && rows > 0;
    }

    private static boolean objectExists(Exchange upload) {
        String key = "raw/org-a/" + upload.getIn().getHeader("rawId");
        try {
            s3.headObject(b -> b.bucket(BUCKET).key(key));
            return true;
        } catch (NoSuchKeyException gone) {
            return false;
        }
    }
}
