package org.scow.crane.protocol;

import io.grpc.Metadata;

/** Metadata keys shared by cranectld and its clients; see {@code crane.proto} for their meaning. */
public final class Wire {
    /** The caller's {@link Credential}, in its text form. */
    public static final Metadata.Key<String> CREDENTIAL = key("crane-credential");
    /** With a proxy credential only: the user the call acts for. */
    public static final Metadata.Key<String> ON_BEHALF_OF = key("crane-on-behalf-of");
    /** Trailer of a failed call: the controller's stable error code. */
    public static final Metadata.Key<String> ERROR_CODE = key("crane-code");
    /** Trailer of a failed call: the offending request field, when there is one. */
    public static final Metadata.Key<String> ERROR_FIELD = key("crane-field");

    /** Error code for a missing, malformed, forged or expired credential (not a controller code). */
    public static final String UNAUTHENTICATED = "UNAUTHENTICATED";

    /**
     * Largest message either side accepts: a 1 MiB script plus headroom, times a few thousand for batches. gRPC's
     * 4 MiB default would refuse reasonable batches.
     */
    public static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

    private Wire() {
    }

    private static Metadata.Key<String> key(String name) {
        return Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
    }
}
