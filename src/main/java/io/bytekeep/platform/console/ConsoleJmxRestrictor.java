package io.bytekeep.platform.console;

import java.util.Set;

import javax.management.ObjectName;

import org.jolokia.server.core.service.api.Restrictor;
import org.jolokia.server.core.util.HttpMethod;
import org.jolokia.server.core.util.RequestType;

/**
 * What the web console may do through Jolokia, the JMX bridge it reads ({@code restrictorClass} of the Jolokia
 * endpoint). Only admins get there at all (the edge); this narrows what even they can do, deny by default: read
 * attributes (not the JVM's system properties and arguments, which may carry secrets), write none, and run only
 * Camel's read-outs (route and processor statistics, route sources) and Hawtio's and Jolokia's own operations. The
 * console looks; routes are steered (started, stopped, triggered) through {@code /admin/routes} only. Neither
 * Camel's operations that send messages or add routes, nor the JVM's diagnostics: a heap dump holds the keys in memory.
 */
public final class ConsoleJmxRestrictor implements Restrictor {

    private static final Set<RequestType> REQUESTS = Set.of(RequestType.READ, RequestType.LIST, RequestType.SEARCH,
            RequestType.VERSION, RequestType.EXEC);
    private static final Set<String> CONSOLE_DOMAINS = Set.of("hawtio", "jolokia");
    private static final Set<String> SECRET_BEARING_ATTRIBUTES = Set.of("SystemProperties", "InputArguments");

    @Override
    public boolean isHttpMethodAllowed(HttpMethod method) {
        return true;
    }

    @Override
    public boolean isTypeAllowed(RequestType type) {
        return REQUESTS.contains(type);
    }

    @Override
    public boolean isAttributeReadAllowed(ObjectName name, String attribute) {
        return !(name.getDomain().equals("java.lang") && SECRET_BEARING_ATTRIBUTES.contains(attribute));
    }

    @Override
    public boolean isAttributeWriteAllowed(ObjectName name, String attribute) {
        return false;
    }

    @Override
    public boolean isOperationAllowed(ObjectName name, String operation) {
        String method = operation.contains("(") ? operation.substring(0, operation.indexOf('(')) : operation;
        if (name.getDomain().equals("org.apache.camel")) {
            return method.startsWith("dump") || method.startsWith("explain");
        }
        return CONSOLE_DOMAINS.contains(name.getDomain());
    }

    /** Who may connect is the edge's decision (admins only), made before Jolokia sees the request. */
    @Override
    public boolean isRemoteAccessAllowed(String... hostOrAddress) {
        return true;
    }

    /** Cross-origin requests are refused by the edge for the console's cookie, and carry no bearer token otherwise. */
    @Override
    public boolean isOriginAllowed(String origin, boolean strictCheck) {
        return true;
    }

    @Override
    public boolean isObjectNameHidden(ObjectName name) {
        return false;
    }
}
