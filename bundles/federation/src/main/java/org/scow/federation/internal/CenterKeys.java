package org.scow.federation.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/**
 * This center's Ed25519 key pair, kept in one file under the data directory (PKCS#8 private key, then X.509 public
 * key, base64, one per line; readable by the platform's user only). Generated on first start: a center's identity is
 * its key, so the file is never overwritten once it exists.
 */
public final class CenterKeys {
    private final KeyPair pair;

    private CenterKeys(KeyPair pair) {
        this.pair = pair;
    }

    /** Loads the key pair from {@code file}, creating it (and its directory) first when missing. */
    public static CenterKeys loadOrCreate(Path file) throws IOException, GeneralSecurityException {
        if (!Files.exists(file)) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            KeyPair fresh = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "center", ".tmp");
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the directory's permissions must protect the key
            }
            Files.write(tmp, List.of(Base64.getEncoder().encodeToString(fresh.getPrivate().getEncoded()),
                    Base64.getEncoder().encodeToString(fresh.getPublic().getEncoded())));
            try {
                // atomic and without replacing: two starts racing keep one key, the first
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        List<String> lines = Files.readAllLines(file);
        if (lines.size() < 2) {
            throw new GeneralSecurityException("key file " + file + " must hold the private and the public key");
        }
        KeyFactory kf = KeyFactory.getInstance("Ed25519");
        PrivateKey priv = kf.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(lines.get(0).trim())));
        PublicKey pub = kf.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(lines.get(1).trim())));
        return new CenterKeys(new KeyPair(pub, priv));
    }

    /** A key pair only in memory (tests, tools). */
    public static CenterKeys generate() throws GeneralSecurityException {
        return new CenterKeys(KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
    }

    public String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
    }

    public PublicKey publicKey() {
        return pair.getPublic();
    }

    public String sign(byte[] data) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(pair.getPrivate());
            s.update(data);
            return Base64.getEncoder().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /** True when {@code signatureBase64} is {@code key}'s valid signature of {@code data}. */
    public static boolean verify(PublicKey key, byte[] data, String signatureBase64) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(data);
            return s.verify(Base64.getDecoder().decode(signatureBase64));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
