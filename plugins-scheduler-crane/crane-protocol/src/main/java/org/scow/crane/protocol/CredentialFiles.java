package org.scow.crane.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The controller's key file and credential files. Both are written owner-only (0600) through a temporary file and
 * an atomic rename, so they are never readable by others, not even for a moment.
 */
public final class CredentialFiles {
    private CredentialFiles() {
    }

    /** Reads the key file, creating it with 32 random bytes (mode 0600) when it does not exist. */
    public static byte[] loadOrCreateKey(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] key = new byte[Credential.MIN_KEY_BYTES];
            new SecureRandom().nextBytes(key);
            writePrivate(file, key, null);
        }
        byte[] key = Files.readAllBytes(file);
        if (key.length < Credential.MIN_KEY_BYTES) {
            throw new IOException("key file " + file + " has " + key.length + " bytes; at least "
                    + Credential.MIN_KEY_BYTES + " are required");
        }
        return key;
    }

    /**
     * Writes a credential file readable only by {@code owner} (when given and we may change owners, i.e. as root):
     * this is how a user receives a proof of identity without any network exchange.
     */
    public static void writeCredential(Path file, String credential, String owner) throws IOException {
        writePrivate(file, (credential + "\n").getBytes(StandardCharsets.US_ASCII), owner);
    }

    /** Reads a credential file: its first non-blank line. */
    public static String readCredential(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.US_ASCII).stream().map(String::trim)
                .filter(l -> !l.isEmpty()).findFirst()
                .orElseThrow(() -> new IOException("credential file " + file + " is empty"));
    }

    private static void writePrivate(Path file, byte[] content, String owner) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".tmp-", ".cred",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.write(tmp, content);
            if (owner != null) {
                UserPrincipal p = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(owner);
                Files.setOwner(tmp, p);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
            Arrays.fill(content, (byte) 0);
        }
    }
}
