package org.scow.crane.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Self-signed TLS certificates for the tests of every Crane module (the test-jar of crane-protocol). */
public final class TestCertificates {
    private TestCertificates() {
    }

    /**
     * Makes {@code dir/NAME.pem} and its key {@code dir/NAME.key} with openssl (fixed arguments): an EC certificate
     * for 127.0.0.1 and localhost, valid two days. Answers the certificate.
     */
    public static Path selfSigned(Path dir, String name) throws IOException {
        Path cert = dir.resolve(name + ".pem");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key(cert).toString(), "-out", cert.toString(),
                "-days", "2", "-subj", "/CN=cranectld", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) throw new IOException("openssl failed: " + out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return cert;
    }

    /** The key file next to a certificate made by {@link #selfSigned}. */
    public static Path key(Path cert) {
        String n = cert.getFileName().toString();
        return cert.resolveSibling(n.substring(0, n.length() - ".pem".length()) + ".key");
    }
}
