package org.scow.crane.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where the controller is and which credential proves the caller. Lookup order (first hit wins):
 *
 * <p>Configuration file: {@code -C/--config FILE}, else {@code $CRANE_CONF}, else {@code /etc/crane/crane.conf}
 * when it exists. It is line-oriented {@code Key=Value} ({@code #} comments); unknown keys and the controller's
 * {@code Node}/{@code Partition} lines are ignored, so the controller's own file works on the head node.
 *
 * <p>Controller: {@code $CRANE_CONTROLLER} ({@code host[:port]}), else {@code ControllerAddress=host[:port]} in the
 * file, else the file's {@code ListenAddress}/{@code ListenPort} (a wildcard address means this machine), else
 * {@code 127.0.0.1:10011}.
 *
 * <p>Credential file: {@code $CRANE_CREDENTIAL}, else {@code CredentialFile=} in the configuration file
 * ({@code ~} is the caller's home, {@code %u} the caller's user name), else {@code ~/.crane/credential}.
 *
 * <p>Credential service: {@code $CRANE_CREDENTIAL_SOCKET}, else {@code CredentialSocket=} in the file (relative to
 * the file's directory); used when no credential file was named ({@code $CRANE_CREDENTIAL}, {@code CredentialFile=})
 * and {@code ~/.crane/credential} does not exist. The service (crane-server {@code CredentialService}) gives the
 * calling Unix user a short-lived credential, asking the kernel who is calling.
 *
 * <p>TLS: {@code $CRANE_TLS_TRUST}, else {@code TlsTrustFile=} in the file, else the controller's own
 * {@code TlsCertFile=} (its file on the head node): a PEM certificate to trust; none means plaintext.
 */
record ClientConfig(String host, int port, Path credentialFile, boolean credentialFileNamed, Path credentialSocket,
        Path tlsTrustFile) {
    static final Path SYSTEM_CONFIG = Path.of("/etc/crane/crane.conf");
    static final int DEFAULT_PORT = 10011;

    static ClientConfig resolve(Io io, String configOption) throws CliException {
        Path file = null;
        if (configOption != null) {
            file = io.cwd().resolve(configOption);
            if (!Files.isReadable(file)) throw CliException.usage("cannot read the configuration file " + file);
        } else if (io.env("CRANE_CONF") != null) {
            file = io.cwd().resolve(io.env("CRANE_CONF"));
            if (!Files.isReadable(file)) throw CliException.usage("cannot read CRANE_CONF=" + file);
        } else if (Files.isReadable(SYSTEM_CONFIG)) {
            file = SYSTEM_CONFIG;
        }
        Map<String, String> conf = file == null ? Map.of() : read(file);

        String host = "127.0.0.1";
        int port = DEFAULT_PORT;
        String address = io.env("CRANE_CONTROLLER");
        String where = "CRANE_CONTROLLER";
        if (address == null) {
            address = conf.get("controlleraddress");
            where = "ControllerAddress in " + file;
        }
        if (address != null) {
            int colon = address.lastIndexOf(':');
            host = colon < 0 ? address : address.substring(0, colon);
            if (colon >= 0) port = port(address.substring(colon + 1), where);
        } else {
            String listen = conf.get("listenaddress");
            if (listen != null && !listen.equals("0.0.0.0") && !listen.equals("::")) host = listen;
            if (conf.containsKey("listenport")) port = port(conf.get("listenport"), "ListenPort in " + file);
        }
        if (host.isEmpty()) throw CliException.usage("empty controller host in " + where);

        Path cred;
        boolean named = true;
        if (io.env("CRANE_CREDENTIAL") != null) {
            cred = io.cwd().resolve(io.env("CRANE_CREDENTIAL"));
        } else if (conf.containsKey("credentialfile")) {
            String c = conf.get("credentialfile").replace("%u", io.userName());
            if (c.startsWith("~/")) c = io.home() + c.substring(1);
            cred = Path.of(c);
        } else {
            cred = io.home().resolve(".crane").resolve("credential");
            named = false;
        }
        Path socket = null;
        if (io.env("CRANE_CREDENTIAL_SOCKET") != null && !io.env("CRANE_CREDENTIAL_SOCKET").isBlank()) {
            socket = io.cwd().resolve(io.env("CRANE_CREDENTIAL_SOCKET"));
        } else if (conf.get("credentialsocket") != null && !conf.get("credentialsocket").isBlank()) {
            // relative to the file, so a configuration shipped inside an unpacked distribution needs no editing
            socket = file.toAbsolutePath().getParent().resolve(conf.get("credentialsocket")).normalize();
        }
        String trust = io.env("CRANE_TLS_TRUST");
        if (trust == null) trust = conf.get("tlstrustfile");
        if (trust == null) trust = conf.get("tlscertfile");
        Path tlsTrust = trust == null || trust.isBlank() ? null : io.cwd().resolve(trust.trim());
        if (tlsTrust != null && !Files.isReadable(tlsTrust)) {
            throw CliException.usage("cannot read the trusted certificate " + tlsTrust);
        }
        return new ClientConfig(host, port, cred, named, socket, tlsTrust);
    }

    private static int port(String s, String where) throws CliException {
        try {
            int p = Integer.parseInt(s.trim());
            if (p > 0 && p < 65536) return p;
        } catch (NumberFormatException e) {
            // below
        }
        throw CliException.usage("bad port '" + s + "' in " + where);
    }

    private static Map<String, String> read(Path file) throws CliException {
        Map<String, String> m = new HashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                int hash = line.indexOf('#');
                String l = (hash >= 0 ? line.substring(0, hash) : line).trim();
                int eq = l.indexOf('=');
                if (eq <= 0 || l.indexOf(' ') >= 0 && l.indexOf(' ') < eq) continue; // Node/Partition lines
                m.put(l.substring(0, eq).trim().toLowerCase(Locale.ROOT), l.substring(eq + 1).trim());
            }
        } catch (IOException e) {
            throw CliException.usage("cannot read the configuration file " + file + ": " + e.getMessage());
        }
        return m;
    }

    /** True when the credential comes from the service: no file was named and the default file does not exist. */
    boolean usesCredentialService() {
        return credentialSocket != null && !credentialFileNamed && !Files.exists(credentialFile);
    }

    String target() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
