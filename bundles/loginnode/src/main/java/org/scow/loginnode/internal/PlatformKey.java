package org.scow.loginnode.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.Iterator;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.util.security.SecurityUtils;

/** The platform's SSH key pair: loaded from an OpenSSH private key file, generated (ed25519, 0600) when missing. */
final class PlatformKey {
    static final String COMMENT = "scow-platform";

    private PlatformKey() {
    }

    static KeyPair loadOrCreate(Path file) throws IOException, GeneralSecurityException {
        if (!Files.exists(file)) {
            Files.createDirectories(file.toAbsolutePath().getParent(),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            KeyPair pair = KeyUtils.generateKeyPair(KeyPairTypes.ED25519, 256);
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            try (OutputStream out = Files.newOutputStream(Files.createFile(tmp,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                    StandardOpenOption.WRITE)) {
                OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, COMMENT, null, out);
            }
            try {
                Files.move(tmp, file); // not replacing: another node of the platform may have won the race
            } catch (FileAlreadyExistsException e) {
                Files.deleteIfExists(tmp);
                return load(file);
            }
            Files.writeString(file.resolveSibling(file.getFileName() + ".pub"), authorizedKeysLine(pair) + "\n");
            return pair;
        }
        return load(file);
    }

    static KeyPair load(Path file) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(file.toString()),
                    in, null);
            Iterator<KeyPair> it = pairs == null ? null : pairs.iterator();
            if (it == null || !it.hasNext()) {
                throw new IOException("no key pair in " + file);
            }
            return it.next();
        }
    }

    /** {@code ssh-ed25519 AAAA... scow-platform} */
    static String authorizedKeysLine(KeyPair pair) {
        return PublicKeyEntry.toString(pair.getPublic()) + " " + COMMENT;
    }

    /** Key type names as sshd's KeyUtils takes them. */
    static final class KeyPairTypes {
        static final String ED25519 = "ssh-ed25519";

        private KeyPairTypes() {
        }
    }
}
