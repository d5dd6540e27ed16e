package org.neuralgrid.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.eventbus.EventBusOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The cluster options validate themselves and make a Hazelcast configuration that reaches only what was given. */
class ClusterOptionsTest {
    private static final String TOKEN = "a-shared-secret-of-some-length";

    private static ClusterOptions options(String host, int port, List<String> members, String token) {
        return new ClusterOptions(host, port, 0, members, token);
    }

    @Test
    void validOptionsKeepWhatWasGivenWithMembersNormalised() {
        ClusterOptions o = new ClusterOptions(" 10.0.0.5 ", 5701, 5801,
                List.of("10.0.0.6:5701", " gpu-1.lab:05702", "10.0.0.6:5701"), TOKEN);
        assertEquals("10.0.0.5", o.host());
        assertEquals(5701, o.port());
        assertEquals(5801, o.busPort());
        assertEquals(List.of("10.0.0.6:5701", "gpu-1.lab:5702"), o.members());
        assertFalse(o.toString().contains(TOKEN), o.toString());
        assertEquals("10.0.0.6:5701,gpu-1.lab:5702", o.membersText());
        assertTrue(options("127.0.0.1", 0, List.of(), TOKEN).membersText().startsWith("none"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost", "my-host", "0.0.0.0", "255.255.255.255", "10.0.0.256", "::1",
        "10.0.0", "*"})
    void theHostMustBeOneIpv4AddressOfThisMachine(String host) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> options(host, 5701, List.of(), TOKEN));
        assertTrue(e.getMessage().contains("--cluster-host"), e.getMessage());
    }

    @Test
    void theHostIsRequired() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> options(null, 5701, List.of(), TOKEN));
        assertTrue(e.getMessage().contains("--cluster-host is required"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 65536})
    void portsAreChecked(int port) {
        assertThrows(IllegalArgumentException.class, () -> options("127.0.0.1", port, List.of(), TOKEN));
        assertThrows(IllegalArgumentException.class,
                () -> new ClusterOptions("127.0.0.1", 5701, port, List.of(), TOKEN));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.6", "10.0.0.6:", "10.0.0.6:0", "10.0.0.6:65536", "a b:5701", ":5701",
        "host:port", "-bad:5701", "10.0.0.6:5701:1"})
    void badMembersAreRefused(String member) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> options("127.0.0.1", 5701, List.of(member), TOKEN));
        assertTrue(e.getMessage().contains("--cluster-members"), e.getMessage());
    }

    @Test
    void theMemberListIsReadFromCommas() {
        assertEquals(List.of("10.0.0.6:5701", "10.0.0.7:5701"), ClusterOptions.members(" 10.0.0.6:5701, ,10.0.0.7:5701,"));
        assertEquals(List.of(), ClusterOptions.members(null));
        assertEquals(List.of(), ClusterOptions.members("  "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"short", "with a space in it", "quote\"inside-it", "comma,inside-it",
        "semicolon;inside-it", "back\\slash-inside", "non-ascii-é-token"})
    void badTokensAreRefused(String token) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> options("127.0.0.1", 5701, List.of(), token));
        assertTrue(e.getMessage().contains("cluster token"), e.getMessage());
    }

    @Test
    void aTokenIsRequiredFromTheOptionOrTheEnvironment() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> options("127.0.0.1", 5701, List.of(), null));
        assertTrue(e.getMessage().contains(ClusterOptions.TOKEN_ENV), e.getMessage());
        assertEquals("given", ClusterOptions.tokenFrom("given", Map.of(ClusterOptions.TOKEN_ENV, "env")));
        assertEquals("env", ClusterOptions.tokenFrom(null, Map.of(ClusterOptions.TOKEN_ENV, "env")));
        assertEquals("env", ClusterOptions.tokenFrom("", Map.of(ClusterOptions.TOKEN_ENV, "env")));
        assertNull(ClusterOptions.tokenFrom(null, Map.of()));
    }

    @Test
    void theClusterNameComesFromTheTokenWithoutGivingItAway() {
        String name = options("127.0.0.1", 5701, List.of(), TOKEN).clusterName();
        assertEquals(name, options("10.0.0.9", 6000, List.of("10.0.0.1:5701"), TOKEN).clusterName());
        assertNotEquals(name, options("127.0.0.1", 5701, List.of(), TOKEN + "x").clusterName());
        assertTrue(name.matches("neuralgrid-[0-9a-f]{32}"), name);
        assertFalse(name.contains("secret"), name);
    }

    @Test
    void theHazelcastConfigJoinsOnlyTheMembersGivenOverTcp() {
        ClusterOptions o = options("10.0.0.5", 5702, List.of("10.0.0.6:5701", "10.0.0.7:5703"), TOKEN);
        Config config = o.hazelcastConfig();
        assertEquals(o.clusterName(), config.getClusterName());

        JoinConfig join = config.getNetworkConfig().getJoin();
        assertFalse(join.getMulticastConfig().isEnabled(), "multicast");
        assertFalse(join.getAutoDetectionConfig().isEnabled(), "auto-detection");
        assertFalse(join.getAwsConfig().isEnabled(), "AWS");
        assertFalse(join.getGcpConfig().isEnabled(), "GCP");
        assertFalse(join.getAzureConfig().isEnabled(), "Azure");
        assertFalse(join.getKubernetesConfig().isEnabled(), "Kubernetes");
        assertFalse(join.getEurekaConfig().isEnabled(), "Eureka");
        assertTrue(join.getDiscoveryConfig().getDiscoveryStrategyConfigs().isEmpty(), "discovery strategies");
        assertTrue(join.getTcpIpConfig().isEnabled(), "tcp-ip");
        assertEquals(List.of("10.0.0.6:5701", "10.0.0.7:5703"), join.getTcpIpConfig().getMembers());

        NetworkConfig network = config.getNetworkConfig();
        assertTrue(network.getInterfaces().isEnabled(), "interfaces");
        assertEquals(List.of("10.0.0.5"), List.copyOf(network.getInterfaces().getInterfaces()));
        assertEquals("10.0.0.5", network.getPublicAddress());
        assertEquals(5702, network.getPort());
        assertFalse(network.isPortAutoIncrement(), "never another port than the one given");
        assertFalse(network.getRestApiConfig().isEnabled(), "REST");
        assertFalse(network.getMemcacheProtocolConfig().isEnabled(), "memcache");

        assertEquals("false", config.getProperty("hazelcast.phone.home.enabled"));
        assertEquals("false", System.getProperty("hazelcast.phone.home.enabled"));
        assertEquals("false", config.getProperty("hazelcast.socket.bind.any"));
        assertEquals("false", config.getProperty("hazelcast.socket.client.bind.any"));
        assertEquals("jdk", config.getProperty("hazelcast.logging.type"));
        assertFalse(config.getJetConfig().isEnabled(), "Jet");

        // Vert.x's own maps, as its default-cluster.xml has them
        assertEquals(MultiMapConfig.ValueCollectionType.SET,
                config.getMultiMapConfig("__vertx.subs").getValueCollectionType());
        assertEquals(1, config.getMapConfig("__vertx.nodeInfo").getBackupCount());
    }

    @Test
    void aFirstNodeHasNoMembersToContact() {
        Config config = options("127.0.0.1", 0, List.of(), TOKEN).hazelcastConfig();
        assertTrue(config.getNetworkConfig().getJoin().getTcpIpConfig().isEnabled());
        assertEquals(List.of(), config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers());
        assertEquals(0, config.getNetworkConfig().getPort());
    }

    @Test
    void theEventBusBindsAndAnnouncesTheSameHost() {
        EventBusOptions bus = new ClusterOptions("10.0.0.5", 5701, 5801, List.of(), TOKEN).eventBusOptions();
        assertEquals("10.0.0.5", bus.getHost());
        assertEquals("10.0.0.5", bus.getClusterPublicHost());
        assertEquals(5801, bus.getPort());
    }
}
