package io.bytekeep.platform.edge;

/**
 * The kinds of request that get their own share of the service (a bulkhead each): slow logins or a flood of uploads
 * fill their own lane and are refused there, while health, the API and the other lanes go on.
 */
public enum Lane {
    HEALTH, LOGIN, SUBMISSION, UPLOAD, API
}
