package io.bytekeep.platform.console;

import javax.management.ObjectName;

import org.jolokia.server.core.util.RequestType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConsoleJmxRestrictorTest {

    private final ConsoleJmxRestrictor restrictor = new ConsoleJmxRestrictor();

    @Test
    void readsButNeverWrites() throws Exception {
        assertThat(restrictor.isTypeAllowed(RequestType.READ)).isTrue();
        assertThat(restrictor.isTypeAllowed(RequestType.LIST)).isTrue();
        assertThat(restrictor.isTypeAllowed(RequestType.EXEC)).isTrue();
        assertThat(restrictor.isTypeAllowed(RequestType.WRITE)).isFalse();
        assertThat(restrictor.isTypeAllowed(RequestType.NOTIFICATION)).isFalse();
        assertThat(restrictor.isAttributeWriteAllowed(new ObjectName("org.apache.camel:type=context,*"), "Tracing")).isFalse();
        assertThat(restrictor.isAttributeReadAllowed(new ObjectName("java.lang:type=Memory"), "HeapMemoryUsage")).isTrue();
    }

    @Test
    void theJvmsArgumentsAndPropertiesAreNotRead() throws Exception {
        ObjectName runtime = new ObjectName("java.lang:type=Runtime");
        assertThat(restrictor.isAttributeReadAllowed(runtime, "InputArguments")).isFalse();
        assertThat(restrictor.isAttributeReadAllowed(runtime, "SystemProperties")).isFalse();
        assertThat(restrictor.isAttributeReadAllowed(runtime, "Uptime")).isTrue();
    }

    @Test
    void camelIsReadOutButNotSteeredAndSendsNothingAndGetsNoRoutes() throws Exception {
        ObjectName context = new ObjectName("org.apache.camel:context=bytekeep,type=context,name=\"bytekeep\"");
        ObjectName route = new ObjectName("org.apache.camel:context=bytekeep,type=routes,name=\"raw-store\"");
        assertThat(restrictor.isOperationAllowed(context, "dumpRoutesStatsAsXml(boolean,boolean)")).isTrue();
        assertThat(restrictor.isOperationAllowed(route, "dumpRouteAsXml")).isTrue();
        assertThat(restrictor.isOperationAllowed(route, "explainEndpointJson")).isTrue();
        // steering is /admin/routes' alone
        assertThat(restrictor.isOperationAllowed(route, "stop")).isFalse();
        assertThat(restrictor.isOperationAllowed(route, "start()")).isFalse();
        assertThat(restrictor.isOperationAllowed(context, "suspend")).isFalse();
        assertThat(restrictor.isOperationAllowed(context, "sendBody(java.lang.String,java.lang.Object)")).isFalse();
        assertThat(restrictor.isOperationAllowed(context, "requestBody")).isFalse();
        assertThat(restrictor.isOperationAllowed(context, "addOrUpdateRoutesFromXml")).isFalse();
        assertThat(restrictor.isOperationAllowed(route, "remove")).isFalse();
    }

    @Test
    void theJvmsOperationsAreDenied() throws Exception {
        assertThat(restrictor.isOperationAllowed(new ObjectName("com.sun.management:type=HotSpotDiagnostic"),
                "dumpHeap")).isFalse();
        assertThat(restrictor.isOperationAllowed(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                "gcHeapDump")).isFalse();
        assertThat(restrictor.isOperationAllowed(new ObjectName("java.lang:type=Memory"), "gc")).isFalse();
        assertThat(restrictor.isOperationAllowed(new ObjectName("hawtio:type=security,area=jmx,name=HawtioDummyJMXSecurity"),
                "canInvoke")).isTrue();
    }
}
