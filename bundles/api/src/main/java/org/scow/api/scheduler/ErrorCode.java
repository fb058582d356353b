package org.scow.api.scheduler;

/** Why a scheduler operation failed; stable names that clients may switch on. */
public enum ErrorCode {
    /** The named account does not exist on the cluster. */
    ACCOUNT_NOT_FOUND,
    /** The named user does not exist on the cluster. */
    USER_NOT_FOUND,
    /** The user exists but is not a member of the account. */
    USER_NOT_IN_ACCOUNT,
    /** No job with that id. */
    JOB_NOT_FOUND,
    /** No partition with that name. */
    PARTITION_NOT_FOUND,
    /** The account, user or membership to create already exists. */
    ALREADY_EXISTS,
    /** The scheduler refused the job; the message carries its reason. */
    SUBMIT_FAILED,
    /** A request field is malformed or out of range; details name the field. */
    INVALID_ARGUMENT,
    /** The caller may not do this on the cluster (e.g. cancel another user's job). */
    PERMISSION_DENIED,
    /** The job is in a state that does not allow the operation (e.g. change the limit of a finished job). */
    INVALID_STATE,
    /** The driver does not implement this optional feature. */
    NOT_SUPPORTED,
    /** The cluster could not be reached or did not answer in time. */
    UNAVAILABLE,
    /** Anything else; the message says what happened. */
    INTERNAL
}
