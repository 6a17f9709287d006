package io.bytekeep.distribution;

import java.time.Clock;

import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import io.bytekeep.platform.BytekeepProperties;
import io.bytekeep.platform.web.ApiJson;

/**
 * The distribution's key intake steps, as routes/distribution-intake.camel.yaml calls them, and the queues it
 * consumes from and dead-letters to; all settings from {@code bytekeep.distribution.*}.
 */
@Configuration(proxyBeanMethods = false)
public class DistributionConfiguration {

    /** The path of CWA's submission endpoint. */
    static final String SUBMISSION_PATH = "/version/v1/diagnosis-keys";

    /** Declared by Spring's RabbitAdmin when the first connection opens; durable, so submissions survive a restart. */
    @Bean
    Queue diagnosisKeySubmissionQueue(BytekeepProperties properties) {
        return QueueBuilder.durable(properties.distribution().submissionQueue()).build();
    }

    /** Where poison messages go, with the reason in the header x-bytekeep-reason. */
    @Bean
    Queue diagnosisKeySubmissionDeadLetterQueue(BytekeepProperties properties) {
        return QueueBuilder.durable(properties.distribution().submissionQueue() + ".dlq").build();
    }

    @Bean
    DiagnosisKeyStore diagnosisKeyStore(NamedParameterJdbcTemplate jdbc, TransactionTemplate transactions) {
        return new DiagnosisKeyStore(jdbc, transactions);
    }

    @Bean
    SubmissionAuthenticator submissionAuthenticator(BytekeepProperties properties) {
        String token = properties.distribution().submissionToken();
        if (token == null || token.isEmpty()) {
            LoggerFactory.getLogger(DistributionConfiguration.class).warn(
                    "No submission token (BYTEKEEP_SUBMISSION_TOKEN): POST {} refuses every submission; "
                            + "the submission queue still takes keys", SUBMISSION_PATH);
        }
        return new SubmissionAuthenticator(token);
    }

    @Bean
    SubmissionReader submissionReader(ApiJson json, BytekeepProperties properties, Clock clock) {
        BytekeepProperties.Distribution distribution = properties.distribution();
        return new SubmissionReader(json.mapper(), distribution.maxSubmissionSize().toBytes(),
                distribution.originCountry(), clock);
    }

    @Bean
    SubmissionChecker submissionChecker(BytekeepProperties properties, Clock clock) {
        return new SubmissionChecker(new SubmissionValidator(properties.distribution().maxKeysPerSubmission()),
                new DiagnosisKeyValidator(clock));
    }

    @Bean
    SubmissionIntake submissionIntake(BytekeepProperties properties) {
        return new SubmissionIntake(properties.distribution().submissionQueue());
    }
}
