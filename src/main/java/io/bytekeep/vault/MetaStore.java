package io.bytekeep.vault;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.dao.DuplicateKeyException;

/**
 * Boefje and normalizer metadata (Bytes' {@code MetaDataRepository}). Every query takes the caller's organisations
 * ({@code null} = all organisations) so that no query can forget them.
 */
public interface MetaStore {

    String ANY_INPUT_OOI = "*";

    void createBoefjeMeta(BoefjeMeta meta);

    /** Inserts a boefje meta; a {@link DuplicateKeyException} if its id exists. */
    void insertBoefjeMeta(BoefjeMeta meta);

    Optional<BoefjeMeta> findBoefjeMeta(UUID id);

    /**
     * Bytes' boefje meta filter: {@code inputOoi} {@value #ANY_INPUT_OOI} matches every meta, {@code null} only metas
     * without an input OOI (what Bytes does when the parameter is left out). Equal start times keep insertion order.
     */
    List<BoefjeMeta> queryBoefjeMeta(List<String> organizations, String boefjeId, String inputOoi,
                                     int limit, long offset, boolean descending);

    void createNormalizerMeta(NormalizerMeta meta);

    /** Inserts a normalizer meta; a {@link DuplicateKeyException} if its id exists. */
    void insertNormalizerMeta(NormalizerMeta meta);

    Optional<NormalizerMeta> findNormalizerMeta(UUID id);

    List<NormalizerMeta> queryNormalizerMeta(List<String> organizations, UUID id, String normalizerId, UUID rawId,
                                             int limit, long offset, boolean descending);
}
