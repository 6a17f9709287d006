package io.bytekeep.sharing;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import io.bytekeep.platform.BytekeepProperties;
import io.bytekeep.platform.Problem;
import io.bytekeep.platform.security.Caller;

/**
 * The Vault's organisation model ({@code bytekeep.security.users}: each user belongs to organisations, {@code "*"}
 * to all) applied to shared documents: a document belongs to one organisation of its owner, and is shared only with
 * members of that organisation unless {@code bytekeep.sharing.cross-organization} is on.
 */
public class SharingOrganizations {

    private static final String ALL = "*";
    private static final String CODE = "[-a-zA-Z0-9_]{1,32}";

    private final Map<String, List<String>> organizationsByUser;
    private final boolean crossOrganization;

    public SharingOrganizations(List<BytekeepProperties.User> users, boolean crossOrganization) {
        this.organizationsByUser = users.stream()
                .collect(Collectors.toMap(BytekeepProperties.User::username, u -> List.copyOf(u.organizations()), (a, b) -> a));
        this.crossOrganization = crossOrganization;
    }

    /**
     * The organisation of a new document: the one the owner names (one of its own: 403 otherwise), else the
     * owner's first; a user of all organisations ({@code "*"}) and no other must name one.
     */
    public String forNewDocument(Caller owner, String requested) {
        if (requested == null || requested.isBlank()) {
            return owner.organizations().stream().filter(o -> !ALL.equals(o)).findFirst()
                    .orElseThrow(() -> Problem.unprocessable("organization: name the organisation the document belongs to"));
        }
        if (!requested.matches(CODE)) {
            throw Problem.unprocessable("organization: 1-32 of a-z A-Z 0-9 - _");
        }
        if (!owner.canSee(requested)) {
            throw Problem.forbidden("organization: " + owner.username() + " is not a member of " + requested);
        }
        return requested;
    }

    /** The document's organisation; documents of before it was recorded count as of their owner's first one. */
    public Optional<String> of(SharedDocument d) {
        if (d.organization() != null) {
            return Optional.of(d.organization());
        }
        return organizationsByUser.getOrDefault(d.owner(), List.of()).stream().filter(o -> !ALL.equals(o)).findFirst();
    }

    /** 403 unless {@code user} may be given the document: a member of its organisation, or sharing is cross-organisation. */
    public void requireMayShare(SharedDocument d, String user) {
        if (crossOrganization) {
            return;
        }
        String organization = of(d).orElseThrow(() -> Problem.forbidden("Document " + d.id()
                + " belongs to no organisation; it can be shared only with bytekeep.sharing.cross-organization on"));
        List<String> memberships = organizationsByUser.getOrDefault(user, List.of());
        if (!memberships.contains(ALL) && !memberships.contains(organization)) {
            throw Problem.forbidden("user: " + user + " is not a member of organisation " + organization
                    + " of the document; sharing across organisations is off (bytekeep.sharing.cross-organization)");
        }
    }
}
