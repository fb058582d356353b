package org.scow.auth.ldap.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.scow.auth.ldap.internal.Configs.config;

import java.io.File;
import java.net.InetAddress;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.listener.SelfSignedCertificateGenerator;
import com.unboundid.util.ObjectPair;
import com.unboundid.util.ssl.KeyStoreKeyManager;
import com.unboundid.util.ssl.SSLUtil;
import com.unboundid.util.ssl.TrustAllTrustManager;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.scow.api.auth.AuthException;
import org.scow.api.auth.AuthException.Reason;

/**
 * LDAPS and StartTLS settings against UnboundID's in-memory directory with a self-signed certificate (the slapd of
 * ldap-up.sh has no TLS). Checks that TLS is used and that an untrusted certificate is refused.
 */
public class TlsTest {
    private static InMemoryDirectoryServer server;
    private static File keyStore;
    private static char[] keyStorePassword;

    @BeforeClass
    public static void start() throws Exception {
        ObjectPair<File, char[]> ks = SelfSignedCertificateGenerator.generateTemporarySelfSignedCertificate(
                "scow-ldap-test", "PKCS12");
        keyStore = ks.getFirst();
        keyStorePassword = ks.getSecond();
        SSLUtil serverSsl = new SSLUtil(new KeyStoreKeyManager(keyStore, keyStorePassword, "PKCS12", null),
                new TrustAllTrustManager());
        InetAddress lo = InetAddress.getLoopbackAddress();
        InMemoryDirectoryServerConfig cfg = new InMemoryDirectoryServerConfig("dc=example,dc=org");
        cfg.setListenerConfigs(
                InMemoryListenerConfig.createLDAPSConfig("ldaps", lo, 0, serverSsl.createSSLServerSocketFactory(),
                        null),
                InMemoryListenerConfig.createLDAPConfig("starttls", lo, 0, serverSsl.createSSLSocketFactory()));
        cfg.setSchema(null);
        server = new InMemoryDirectoryServer(cfg);
        server.add("dn: dc=example,dc=org", "objectClass: domain", "dc: example");
        server.add("dn: ou=People,dc=example,dc=org", "objectClass: organizationalUnit", "ou: People");
        server.add("dn: uid=alice,ou=People,dc=example,dc=org", "objectClass: inetOrgPerson", "uid: alice",
                "cn: Alice", "sn: Test", "userPassword: alicepass");
        server.startListening();
    }

    @AfterClass
    public static void stop() {
        if (server != null) {
            server.shutDown(true);
        }
        if (keyStore != null) {
            keyStore.delete();
        }
    }

    private static LdapDirectory directory(String url, Object... more) throws Exception {
        Object[] kv = new Object[more.length + 6];
        kv[0] = "urls";
        kv[1] = url;
        kv[2] = "connectTimeoutMillis";
        kv[3] = 2000;
        kv[4] = "poolInitialSize";
        kv[5] = 0;
        System.arraycopy(more, 0, kv, 6, more.length);
        return new LdapDirectory(LdapSettings.from(config(kv)));
    }

    private static String ldaps() {
        return "ldaps://127.0.0.1:" + server.getListenPort("ldaps");
    }

    private static String plain() {
        return "ldap://127.0.0.1:" + server.getListenPort("starttls");
    }

    @Test
    public void ldapsWithTheServerCertificateInTheTrustStore() throws Exception {
        try (LdapDirectory d = directory(ldaps(), "trustStorePath", keyStore.getPath(),
                ".trustStorePassword", new String(keyStorePassword), "verifyHostname", false)) {
            assertTrue(d.authenticate("alice", "alicepass".toCharArray()).isPresent());
            assertTrue(d.authenticate("alice", "wrong".toCharArray()).isEmpty());
        }
    }

    @Test
    public void startTlsWithTheServerCertificateInTheTrustStore() throws Exception {
        try (LdapDirectory d = directory(plain(), "startTls", true, "trustStorePath", keyStore.getPath(),
                ".trustStorePassword", new String(keyStorePassword), "verifyHostname", false)) {
            assertTrue(d.authenticate("alice", "alicepass".toCharArray()).isPresent());
        }
    }

    @Test
    public void trustAllForTests() throws Exception {
        try (LdapDirectory d = directory(ldaps(), "trustAll", true)) {
            assertTrue(d.authenticate("alice", "alicepass".toCharArray()).isPresent());
        }
    }

    @Test
    public void anUntrustedCertificateIsRefused() throws Exception {
        for (String url : new String[] {ldaps(), plain()}) {
            try (LdapDirectory d = directory(url, "startTls", url.startsWith("ldap:"))) {
                AuthException e = assertThrows(AuthException.class,
                        () -> d.authenticate("alice", "alicepass".toCharArray()));
                assertEquals(Reason.UNAVAILABLE, e.reason());
            }
        }
    }
}
