package io.bytekeep.support;

import org.apache.camel.CamelContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;

import io.bytekeep.platform.messaging.OutboxRelay;

/**
 * Spring keeps the application contexts of earlier test classes open for reuse. Their Camel routes would go on
 * polling the shared outbox table and consuming the shared queues, racing the context under test (an event relayed
 * by a context without the route edit under test, say). The routes of a context are suspended after its test class
 * (and its outbox relay lease given up) and resumed before the next class that uses it.
 */
public class OnlyTheActiveContextRuns implements TestExecutionListener, Ordered {

    /** After dependency injection loaded the context (loading it earlier would run before the class's static set-up). */
    @Override
    public void prepareTestInstance(TestContext testContext) throws Exception {
        CamelContext camel = camel(testContext.getApplicationContext());
        if (camel != null && camel.isSuspended()) {
            camel.resume();
        }
    }

    @Override
    public void afterTestClass(TestContext testContext) throws Exception {
        if (!testContext.hasApplicationContext()) {
            return;
        }
        ApplicationContext context = testContext.getApplicationContext();
        if (context instanceof ConfigurableApplicationContext configurable && !configurable.isActive()) {
            return;
        }
        CamelContext camel = camel(context);
        if (camel != null && camel.isStarted()) {
            camel.suspend();
        }
        // the next context's relay would otherwise wait for this one's lease to run out
        context.getBeanProvider(OutboxRelay.class).ifAvailable(OutboxRelay::release);
    }

    private static CamelContext camel(ApplicationContext context) {
        return context.getBeanProvider(CamelContext.class).getIfAvailable();
    }

    @Override
    public int getOrder() {
        // after DependencyInjectionTestExecutionListener (2000) and DirtiesContextTestExecutionListener (3000)
        return 5000;
    }
}
