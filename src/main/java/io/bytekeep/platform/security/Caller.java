package io.bytekeep.platform.security;

import java.util.Collection;
import java.util.List;
import java.util.Set;

import org.apache.camel.Exchange;

import io.bytekeep.platform.ExchangeProperties;
import io.bytekeep.platform.Problem;

/** Who made a request, and which organisations' data the request may see. */
public record Caller(String username, Set<String> organizations, Set<String> roles) {

    private static final String ALL = "*";

    /** The caller the edge authenticated for this exchange's request. */
    public static Caller of(Exchange exchange) {
        Caller caller = exchange.getProperty(ExchangeProperties.CALLER, Caller.class);
        if (caller == null) {
            throw new IllegalStateException("no authenticated caller: route " + exchange.getFromRouteId()
                    + " was not reached through a path of the HTTP edge that needs a token");
        }
        return caller;
    }

    public boolean seesAllOrganizations() {
        return organizations.contains(ALL);
    }

    public boolean canSee(String organization) {
        return seesAllOrganizations() || organizations.contains(organization);
    }

    /** The organisations a query is limited to: the requested ones this caller may see, or all of its own. */
    public List<String> scope(Collection<String> requested) {
        if (requested == null || requested.isEmpty()) {
            return seesAllOrganizations() ? null : List.copyOf(organizations);
        }
        return requested.stream().filter(this::canSee).toList();
    }

    /** For ids that belong to another organisation: answer as if they did not exist. */
    public void requireVisible(String organization, String what) {
        if (!canSee(organization)) {
            throw Problem.notFound(what + " not found");
        }
    }
}
