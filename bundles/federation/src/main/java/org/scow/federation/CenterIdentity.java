package org.scow.federation;

import org.osgi.annotation.versioning.ProviderType;

/**
 * This center: its id, name, public API URL and Ed25519 key pair. The private key never leaves the implementation;
 * callers ask it to sign.
 */
@ProviderType
public interface CenterIdentity {
    /** Federation-wide id of this center, e.g. {@code pku-hpc}; peers know this center by it. */
    String id();

    /** Name shown to people. */
    String name();

    /** Base URL of this center's REST API as peers reach it, e.g. {@code https://hpc.example.edu}; may be empty. */
    String url();

    /** The public key, X.509 SubjectPublicKeyInfo in base64: what a peer's administrator configures. */
    String publicKey();

    /** Ed25519 signature of {@code data}, in base64. */
    String sign(byte[] data);
}
