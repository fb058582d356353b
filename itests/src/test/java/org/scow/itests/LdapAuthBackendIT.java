package org.scow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import javax.inject.Inject;
import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceReference;
import org.scow.api.auth.AuthBackend;
import org.scow.api.auth.UserIdentity;

/**
 * The LDAP backend as an admin deploys it: feature:install scow-auth-ldap with etc/org.scow.auth.ldap.cfg, against
 * the real OpenLDAP of ../shared/peers/ldap-up.sh (dc=example,dc=org, alice/alicepass in portal-admins).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LdapAuthBackendIT extends PlatformTestSupport {
    private static final String CFG = "etc/org.scow.auth.ldap.cfg";

    @Inject
    private FeaturesService features;

    @Configuration
    public Option[] config() {
        return new Option[] {platform(
                editConfigurationFilePut(CFG, "urls", System.getProperty("ldap.url", "ldap://127.0.0.1:389")),
                editConfigurationFilePut(CFG, "bindDn", "cn=admin,dc=example,dc=org"),
                editConfigurationFilePut(CFG, ".bindPassword", "adminpass"),
                editConfigurationFilePut(CFG, "baseDn", "dc=example,dc=org"),
                editConfigurationFilePut(CFG, "adminGroupDn", "cn=portal-admins,ou=Groups,dc=example,dc=org"))};
    }

    @Test
    public void installedBackendAuthenticatesAgainstTheDirectory() throws Exception {
        assertTrue(ldapBackends().isEmpty());
        features.installFeature("scow-auth-ldap");
        await("ldap AuthBackend registered", Duration.ofSeconds(30), () -> {
            try {
                return !ldapBackends().isEmpty();
            } catch (Exception e) {
                return false;
            }
        });
        ServiceReference<AuthBackend> ref = ldapBackends().iterator().next();
        AuthBackend ldap = bundleContext.getService(ref);
        try {
            Optional<UserIdentity> alice = ldap.authenticate("alice", "alicepass".toCharArray());
            assertTrue("alice logs in", alice.isPresent());
            assertTrue(alice.get().groups().toString(), alice.get().groups().contains("platform-admin"));
            assertEquals(Long.valueOf(10001), alice.get().uid());
            assertFalse(ldap.authenticate("alice", "wrong".toCharArray()).isPresent());
            assertFalse(ldap.authenticate("*)(uid=*", "x".toCharArray()).isPresent());
        } finally {
            bundleContext.ungetService(ref);
        }

        // an administrator creates a directory user through REST; the user then signs in against LDAP
        awaitRest();
        loginAdmin();
        String user = "ln" + Long.toString(System.currentTimeMillis(), 36);
        Reply created = post("/api/v1/auth/users", "{\"user\":\"" + user + "\",\"password\":\"Dir-Pass-1234\","
                + "\"backend\":\"ldap\",\"name\":\"Directory User\",\"email\":\"" + user + "@example.org\"}");
        assertEquals(created.toString(), 201, created.status());
        assertEquals(409, post("/api/v1/auth/users", "{\"user\":\"" + user + "\",\"password\":\"Dir-Pass-1234\","
                + "\"backend\":\"ldap\"}").status());
        assertEquals(400, post("/api/v1/auth/users", "{\"user\":\"x" + user + "\",\"password\":\"Dir-Pass-1234\","
                + "\"backend\":\"kerberos\"}").status());
        AuthBackend directory = bundleContext.getService(ref);
        try {
            assertTrue("the user is in the directory", directory.getUser(user).isPresent());
        } finally {
            bundleContext.ungetService(ref);
        }
        assertEquals(200, login(user, "Dir-Pass-1234").status());
        loginAdmin();

        features.uninstallFeature("scow-auth-ldap");
        await("ldap AuthBackend gone", Duration.ofSeconds(30), () -> {
            try {
                return ldapBackends().isEmpty();
            } catch (Exception e) {
                return false;
            }
        });
    }

    private Collection<ServiceReference<AuthBackend>> ldapBackends() throws Exception {
        return bundleContext.getServiceReferences(AuthBackend.class, "(" + AuthBackend.BACKEND_TYPE + "=ldap)");
    }
}
