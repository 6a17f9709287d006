package io.bytekeep.sharing;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.bytekeep.platform.BytekeepProperties;
import io.bytekeep.platform.Problem;
import io.bytekeep.platform.security.Caller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Vault's organisations applied to shared documents: which organisation a document gets, who may be given it. */
class SharingOrganizationsTest {

    private static final List<BytekeepProperties.User> USERS = List.of(
            user("alice", "org-a", "shared"), user("bob", "org-b"), user("carol", "org-a"), user("bytes", "*"));

    private final SharingOrganizations sameOrganization = new SharingOrganizations(USERS, false);
    private final SharingOrganizations crossOrganization = new SharingOrganizations(USERS, true);

    @Test
    void aNewDocumentBelongsToTheNamedOrganisationOfItsOwnerElseTheFirst() {
        assertThat(sameOrganization.forNewDocument(caller("alice", "org-a", "shared"), null)).isEqualTo("org-a");
        assertThat(sameOrganization.forNewDocument(caller("alice", "org-a", "shared"), "shared")).isEqualTo("shared");
        assertThat(sameOrganization.forNewDocument(caller("bytes", "*"), "org-b")).isEqualTo("org-b");
        assertProblem(() -> sameOrganization.forNewDocument(caller("alice", "org-a", "shared"), "org-b"), 403, "not a member of org-b");
        assertProblem(() -> sameOrganization.forNewDocument(caller("bytes", "*"), null), 422, "name the organisation");
        assertProblem(() -> sameOrganization.forNewDocument(caller("alice", "org-a"), "org a!"), 422, "organization");
    }

    @Test
    void aDocumentIsGivenOnlyToMembersOfItsOrganisationUnlessSharingIsCrossOrganisation() {
        SharedDocument ofOrgA = document("alice", "org-a");
        SharedDocument ofShared = document("alice", "shared");
        assertThatCode(() -> sameOrganization.requireMayShare(ofOrgA, "carol")).doesNotThrowAnyException();
        assertThatCode(() -> sameOrganization.requireMayShare(ofShared, "bytes")).doesNotThrowAnyException();
        assertProblem(() -> sameOrganization.requireMayShare(ofOrgA, "bob"), 403, "bob is not a member of organisation org-a");
        assertProblem(() -> sameOrganization.requireMayShare(ofShared, "carol"), 403, "carol is not a member of organisation shared");
        assertProblem(() -> sameOrganization.requireMayShare(ofOrgA, "nobody"), 403, "nobody is not a member");

        assertThatCode(() -> crossOrganization.requireMayShare(ofOrgA, "bob")).doesNotThrowAnyException();
        assertThatCode(() -> crossOrganization.requireMayShare(ofShared, "carol")).doesNotThrowAnyException();
    }

    @Test
    void aDocumentOfBeforeOrganisationsCountsAsOfItsOwnersFirst() {
        SharedDocument legacy = document("alice", null);
        assertThat(sameOrganization.of(legacy)).contains("org-a");
        assertThatCode(() -> sameOrganization.requireMayShare(legacy, "carol")).doesNotThrowAnyException();
        assertProblem(() -> sameOrganization.requireMayShare(legacy, "bob"), 403, "org-a");
        assertProblem(() -> sameOrganization.requireMayShare(document("bytes", null), "bob"), 403, "belongs to no organisation");
    }

    private static void assertProblem(Runnable call, int status, String detail) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(Problem.class, p -> {
            assertThat(p.status()).isEqualTo(status);
            assertThat(p.detail()).contains(detail);
        });
    }

    private static BytekeepProperties.User user(String name, String... organizations) {
        return new BytekeepProperties.User(name, "password-" + name, List.of(organizations), List.of());
    }

    private static Caller caller(String name, String... organizations) {
        return new Caller(name, new LinkedHashSet<>(List.of(organizations)), Set.of());
    }

    private static SharedDocument document(String owner, String organization) {
        return new SharedDocument(UUID.randomUUID(), owner, organization, "doc", "application/octet-stream", 1, "0".repeat(64),
                DocumentUploads.FORMAT, 65536, 1 + 41, "documents/x", null, 42, 1, SharedDocument.AVAILABLE, Instant.now(), Instant.now());
    }
}
