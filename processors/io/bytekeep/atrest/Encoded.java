package io.bytekeep.atrest;

import io.bytekeep.platform.ContentSource;

/** What a middleware made of plain bytes: the form the object store keeps, and the key record the database keeps. */
public record Encoded(ContentSource stored, KeyRecord key) {
}
