package org.scow.scheduler.remote.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.Test;
import org.scow.api.scheduler.ClusterConfig;
import org.scow.api.scheduler.DriverFeature;
import org.scow.api.scheduler.ErrorCode;
import org.scow.api.scheduler.SchedulerException;
import org.scow.federation.client.PeerClient;

public class RemoteSettingsTest {
    private static RemoteSettings settings(Map<String, String> s) throws SchedulerException {
        return RemoteSettings.from(new ClusterConfig("fedb", "B", "remote", s));
    }

    private static void expectField(String field, Map<String, String> s) {
        try {
            settings(s);
            fail("accepted " + s);
        } catch (SchedulerException e) {
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
            assertEquals(field, e.details().get("field"));
        }
    }

    @Test
    public void badSettingsNameTheirField() throws Exception {
        expectField("driver.peer", Map.of("cluster", "b1"));
        expectField("driver.cluster", Map.of("peer", "b"));
        expectField("driver.peer", Map.of("peer", "b b", "cluster", "b1"));
        expectField("driver.timeoutSeconds", Map.of("peer", "b", "cluster", "b1", "timeoutSeconds", "0"));
        expectField("driver.features", Map.of("peer", "b", "cluster", "b1", "features", "TELEPORT"));
        assertEquals(EnumSet.of(DriverFeature.NODE_INFO), settings(Map.of("peer", "b", "cluster", "b1",
                "features", "NODE_INFO")).features());
    }

    @Test
    public void peerErrorsBecomeTheSameSchedulerErrors() {
        SchedulerException e = PeerClient.error("b", 404, ("{\"code\":\"ACCOUNT_NOT_FOUND\",\"message\":\"account 'x' "
                + "does not exist\",\"details\":{\"account\":\"x\"}}").getBytes(StandardCharsets.UTF_8));
        assertEquals(ErrorCode.ACCOUNT_NOT_FOUND, e.code());
        assertEquals("x", e.details().get("account"));
        assertEquals(ErrorCode.PERMISSION_DENIED, PeerClient.error("b", 401, "{\"code\":\"UNAUTHENTICATED\"}"
                .getBytes(StandardCharsets.UTF_8)).code());
        assertEquals(ErrorCode.UNAVAILABLE, PeerClient.error("b", 404, "{\"code\":\"CLUSTER_NOT_FOUND\"}"
                .getBytes(StandardCharsets.UTF_8)).code());
        assertEquals(ErrorCode.INTERNAL, PeerClient.error("b", 502, "<html>".getBytes(StandardCharsets.UTF_8)).code());
    }

    @Test
    public void anUnknownPeerOrADeadOneIsUnavailableAndAudited() throws Exception {
        List<Object> audit = new java.util.ArrayList<>();
        PeerClient none = new PeerClient("a", d -> "sig", id -> Optional.empty(), audit::add, Duration.ofSeconds(1));
        RemoteDriver d = new RemoteDriver(settings(Map.of("peer", "b", "cluster", "b1")), none);
        try {
            d.partitions();
            fail();
        } catch (SchedulerException e) {
            assertEquals(ErrorCode.UNAVAILABLE, e.code());
        }
        java.security.KeyPair kp = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        org.scow.federation.Peer dead = new org.scow.federation.Peer("b", "B", "http://127.0.0.1:9",
                java.util.Base64.getEncoder().encodeToString(kp.getPublic().getEncoded()));
        PeerClient deadClient = new PeerClient("a", x -> "sig", id -> Optional.of(dead), audit::add,
                Duration.ofSeconds(2));
        try {
            new RemoteDriver(settings(Map.of("peer", "b", "cluster", "b1")), deadClient).partitions();
            fail();
        } catch (SchedulerException e) {
            assertEquals(e.getMessage(), ErrorCode.UNAVAILABLE, e.code());
        }
        assertEquals("the failed call is audited", 1, audit.size());
    }
}
