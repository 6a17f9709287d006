package io.bytekeep.vault;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import org.apache.camel.Exchange;

import io.bytekeep.platform.ContentSource;
import io.bytekeep.platform.Problem;
import io.bytekeep.platform.security.Caller;
import io.bytekeep.platform.web.BoundedInputStream;
import io.bytekeep.platform.web.JsonBody;
import io.bytekeep.platform.web.QueryParams;

/**
 * Reads an upload into the raw files it carries, and checks all of them before anything is stored:
 * Bytes' JSON form ({@code {"files": [{name, content (base64), tags}]}}) or one streamed body; neither is held in
 * memory beyond a small file.
 */
public class RawUploadReader {

    private static final int MAX_MIME_TYPE_LENGTH = 256;
    /** Decoded content of a JSON upload kept in memory; larger files go to an encrypted spool file. */
    static final int IN_MEMORY_BYTES = 1024 * 1024;
    /** Standard base64 as Python's b64encode writes it; padding, as for Java's decoder, not required. */
    private static final Base64Variant BASE64 = Base64Variants.MIME_NO_LINEFEEDS
            .withReadPadding(Base64Variant.PaddingReadBehaviour.PADDING_ALLOWED);
    /** Bytes' column of hash_retrieval_link is varchar(2048); its signing provider URL is shorter still. */
    private static final int MAX_LINK_LENGTH = 2048;

    private final JsonBody json;
    private final MetaStore store;
    private final boolean allowEmptyFiles;
    private final long maxStreamBytes;
    private final ExchangeSpool spool;

    public RawUploadReader(JsonBody json, MetaStore store, boolean allowEmptyFiles, long maxStreamBytes, ExchangeSpool spool) {
        this.json = json;
        this.store = store;
        this.allowEmptyFiles = allowEmptyFiles;
        this.maxStreamBytes = maxStreamBytes;
        this.spool = spool;
    }

    /**
     * Bytes' form, {@code {"files": [{name, content (base64), tags}]}}, read as a stream of tokens: each file's content
     * is decoded as it arrives, into memory up to {@link #IN_MEMORY_BYTES} and into an encrypted spool file beyond, so
     * a body of tens of megabytes is never held in the heap (as a string, nor decoded).
     */
    public List<IncomingRaw> fromJson(Exchange exchange) throws IOException {
        BoefjeMeta meta = boefjeMeta(exchange);
        List<IncomingRaw> raws = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<SortedSet<String>> mimeSets = new HashSet<>();
        boolean files = false;
        try (JsonParser parser = json.parser(exchange)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw Problem.unprocessable("a JSON object with files is required");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (!field.equals("files") || value == JsonToken.VALUE_NULL) {
                    parser.skipChildren();
                    continue;
                }
                if (value != JsonToken.START_ARRAY) {
                    throw Problem.unprocessable("files must be a list");
                }
                files = true;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    IncomingRaw raw = file(parser, exchange, meta);
                    if (!names.add(raw.name())) {
                        throw Problem.badRequest("File names must be unique within one upload: '" + raw.name() + "' repeats.");
                    }
                    if (!mimeSets.add(raw.mimeTypes())) {
                        throw Problem.badRequest("Content types do not define unique sets of mime types.");
                    }
                    raws.add(raw);
                }
            }
        }
        if (!files) {
            throw Problem.unprocessable("files is required");
        }
        return raws;
    }

    /** One element of {@code files}, the parser on its first token. */
    private IncomingRaw file(JsonParser parser, Exchange exchange, BoefjeMeta meta) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw Problem.unprocessable("every file needs a name");
        }
        String name = null;
        ContentSource content = null;
        List<String> tags = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (value == JsonToken.VALUE_NULL) {
                continue;
            }
            switch (field) {
                case "name" -> name = scalar(parser, "name");
                case "content" -> content = decoded(parser, exchange, name);
                case "tags" -> tags = strings(parser);
                default -> parser.skipChildren();
            }
        }
        if (name == null || name.isBlank()) {
            throw Problem.unprocessable("every file needs a name");
        }
        if (content == null) {
            throw Problem.unprocessable("file '" + name + "' has no content");
        }
        return new IncomingRaw(meta, name, mimeTypes(tags), checkedContent(name, content));
    }

    private ContentSource decoded(JsonParser parser, Exchange exchange, String name) throws IOException {
        if (parser.currentToken() != JsonToken.VALUE_STRING) {
            throw Problem.unprocessable("content of file '" + (name == null ? "?" : name) + "' is not valid base64");
        }
        SpillingContent content = new SpillingContent(IN_MEMORY_BYTES, () -> spoolFile(exchange));
        try (content) {
            parser.readBinaryValue(BASE64, content);
        } catch (JsonParseException | IllegalArgumentException notBase64) {
            throw Problem.unprocessable("content of file '" + (name == null ? "?" : name) + "' is not valid base64");
        }
        return content.content();
    }

    private static String scalar(JsonParser parser, String field) throws IOException {
        if (!parser.currentToken().isScalarValue()) {
            throw Problem.unprocessable(field + " must be a string");
        }
        return parser.getValueAsString();
    }

    private static List<String> strings(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw Problem.unprocessable("tags must be a list of strings");
        }
        List<String> strings = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            strings.add(parser.currentToken() == JsonToken.VALUE_NULL ? null : scalar(parser, "a tag"));
        }
        return strings;
    }

    /**
     * One raw file streamed as the request body, never held in memory: with a declared length it goes from the
     * connection straight to storage, read once ({@link StreamedBody}); without one (chunked transfer) it is spooled
     * to disk encrypted first, bounded by configuration.
     */
    public List<IncomingRaw> fromStream(Exchange exchange) throws IOException {
        BoefjeMeta meta = boefjeMeta(exchange);
        QueryParams params = new QueryParams(exchange.getIn());
        String name = params.string("name");
        if (name == null || name.isBlank()) {
            throw Problem.unprocessable("name is required");
        }
        SortedSet<String> mimeTypes = mimeTypes(params.list("mime_types"));
        Long declared = declaredLength(exchange);
        ContentSource content = declared == null ? spool(exchange) : new StreamedBody(body(exchange), declared);
        return List.of(new IncomingRaw(meta, name, mimeTypes, checkedContent(name, content)));
    }

    /**
     * A raw file of another Bytes streamed as the request body (POST /admin/import/raw): its id, boefje meta and mime
     * types, and the secure_hash, signing_provider_url and hash_retrieval_link it had there, all as query parameters.
     * Those three are what the file claims; the import checks the hash before anything is stored. Its RawFileReceived
     * event goes out only with {@code publish_event=true}.
     */
    public IncomingRaw imported(Exchange exchange) throws IOException {
        QueryParams params = new QueryParams(exchange.getIn());
        UUID id = params.requiredUuid("id");
        BoefjeMeta meta = boefjeMeta(exchange);
        SortedSet<String> mimeTypes = mimeTypes(params.list("mime_types"));
        String secureHash = params.string("secure_hash");
        if (secureHash == null) {
            throw Problem.unprocessable("secure_hash is required");
        }
        try {
            ProofHasher.forHash(secureHash);
        } catch (IllegalArgumentException e) {
            throw Problem.unprocessable("secure_hash: " + e.getMessage());
        }
        String signingProviderUrl = bounded(params, "signing_provider_url");
        String hashRetrievalLink = bounded(params, "hash_retrieval_link");
        boolean announce = Boolean.TRUE.equals(params.bool("publish_event"));
        IncomingRaw raw = IncomingRaw.imported(meta, id, mimeTypes, checkedContent(id.toString(), spool(exchange)));
        raw.secureHash(secureHash);
        raw.signingProviderUrl(signingProviderUrl);
        raw.hashRetrievalLink(hashRetrievalLink);
        raw.announce(announce);
        return raw;
    }

    private static String bounded(QueryParams params, String name) {
        String value = params.string(name);
        if (value != null && value.length() > MAX_LINK_LENGTH) {
            throw Problem.unprocessable(name + " is longer than " + MAX_LINK_LENGTH + " characters");
        }
        return value;
    }

    /** The request body, spooled to disk encrypted within the configured size; the spool file goes with the exchange. */
    private ContentSource spool(Exchange exchange) throws IOException {
        declaredLength(exchange);
        try (InputStream in = new BoundedInputStream(body(exchange), maxStreamBytes)) {
            return EncryptedSpool.write(spoolFile(exchange), in);
        }
    }

    /** The body's declared length (null when it has none), refused above the configured limit. */
    private Long declaredLength(Exchange exchange) {
        Long declared = exchange.getIn().getHeader("Content-Length", Long.class);
        if (declared != null && declared > maxStreamBytes) {
            throw Problem.payloadTooLarge("the body is " + declared + " bytes; the limit is " + maxStreamBytes);
        }
        if (declared != null && declared < 0) {
            throw Problem.badRequest("Content-Length " + declared + " is negative");
        }
        return declared;
    }

    private static InputStream body(Exchange exchange) {
        InputStream body = exchange.getIn().getBody(InputStream.class);
        return body == null ? InputStream.nullInputStream() : body;
    }

    private Path spoolFile(Exchange exchange) throws IOException {
        return spool.newFile(exchange, "upload-");
    }

    private BoefjeMeta boefjeMeta(Exchange exchange) {
        UUID boefjeMetaId = new QueryParams(exchange.getIn()).requiredUuid("boefje_meta_id");
        BoefjeMeta meta = store.findBoefjeMeta(boefjeMetaId)
                .orElseThrow(() -> Problem.notFound("Boefje meta " + boefjeMetaId + " not found"));
        Caller.of(exchange).requireVisible(meta.organization(), "Boefje meta " + boefjeMetaId);
        if (meta.endedAt() == null) {
            throw Problem.unprocessable("Boefje meta " + boefjeMetaId + " has no ended_at; the proof hash is taken over it");
        }
        return meta;
    }

    private ContentSource checkedContent(String name, ContentSource content) {
        if (!allowEmptyFiles && content.size() == 0) {
            throw Problem.unprocessable("file '" + name + "' is empty; this deployment does not accept empty raw files");
        }
        return content;
    }

    /** The set of mime types of a raw file, each checked (422 otherwise). */
    static SortedSet<String> mimeTypes(List<String> tags) {
        SortedSet<String> mimeTypes = new TreeSet<>();
        if (tags != null) {
            for (String tag : tags) {
                if (tag == null || tag.isBlank() || tag.length() > MAX_MIME_TYPE_LENGTH || tag.chars().anyMatch(Character::isISOControl)) {
                    throw Problem.unprocessable("mime types must be 1-" + MAX_MIME_TYPE_LENGTH + " printable characters");
                }
                mimeTypes.add(tag.strip());
            }
        }
        return mimeTypes;
    }
}
