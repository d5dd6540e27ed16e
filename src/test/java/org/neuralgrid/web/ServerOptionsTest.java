package org.neuralgrid.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerOptionsTest {
    private static final Path DIR = Path.of("data");

    @Test
    void defaultsBindLoopbackPort8080WithoutAToken() {
        ServerOptions o = ServerOptions.defaults(DIR);
        assertEquals("127.0.0.1", o.host());
        assertEquals(8080, o.port());
        assertNull(o.token());
        assertEquals(ServerOptions.AUTO_CONCURRENT, o.maxConcurrent(), "auto: the devices decide");
        assertEquals("http://127.0.0.1:8080/", o.url(8080));
    }

    @Test
    void loopbackAddressesAreRecognisedFromTheirTextAlone() {
        for (String host : List.of("127.0.0.1", "127.1.2.3", "127.255.255.255", "localhost", "LOCALHOST", "::1",
                "[::1]", "0:0:0:0:0:0:0:1", "0000::0001")) {
            assertTrue(ServerOptions.isLoopback(host), host);
        }
        for (String host : List.of("0.0.0.0", "::", "192.168.1.10", "10.0.0.1", "128.0.0.1", "127.0.0.256",
                "127.0.0", "example.com", "localhost.example.com", "::2", "1::1", "::ffff:127.0.0.1", "")) {
            assertFalse(ServerOptions.isLoopback(host), host);
        }
    }

    @Test
    void aNonLoopbackAddressIsRefusedWithoutAToken() {
        for (String host : List.of("0.0.0.0", "::", "192.168.1.10", "my-laptop.local")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new ServerOptions(host, 8080, DIR, null, 1), host);
            assertTrue(e.getMessage().contains("token") && e.getMessage().contains(host), e.getMessage());
        }
        assertEquals("0.0.0.0", new ServerOptions("0.0.0.0", 8080, DIR, "a-long-secret", 1).host());
    }

    @Test
    void theTokenComesFromTheOptionElseTheEnvironment() {
        assertEquals("flag", ServerOptions.tokenFrom("flag", Map.of("NEURALGRID_TOKEN", "env")));
        assertEquals("env", ServerOptions.tokenFrom(null, Map.of("NEURALGRID_TOKEN", "env")));
        assertNull(ServerOptions.tokenFrom(null, Map.of()));
        assertNull(ServerOptions.tokenFrom("", Map.of("NEURALGRID_TOKEN", "")));
    }

    @Test
    void badValuesAreRefusedWithTheirName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ServerOptions(null, 70000, DIR, null, 1))
                .getMessage().contains("port"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ServerOptions(null, 80, DIR, null, -1))
                .getMessage().contains("max-concurrent"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ServerOptions(null, 80, DIR, null, 65))
                .getMessage().contains("max-concurrent"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new ServerOptions(null, 80, DIR, "has space", 1)).getMessage().contains("token"));
        assertThrows(IllegalArgumentException.class, () -> new ServerOptions(null, 80, DIR, "semi;colon", 1));
        assertThrows(NullPointerException.class, () -> new ServerOptions(null, 80, null, null, 1));
    }

    @Test
    void theTokenNeverAppearsInTheTextOfTheOptions() {
        assertFalse(new ServerOptions("127.0.0.1", 0, DIR, "top-secret", 1).toString().contains("top-secret"));
    }

    @Test
    void maxConcurrentIsAutoOrACeilingFromOne() {
        assertEquals(ServerOptions.AUTO_CONCURRENT, ServerOptions.maxConcurrent("auto"));
        assertEquals(ServerOptions.AUTO_CONCURRENT, ServerOptions.maxConcurrent(" AUTO "));
        assertEquals(4, ServerOptions.maxConcurrent("4"));
        for (String bad : List.of("0", "-2", "many", "")) {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerOptions.maxConcurrent(bad))
                    .getMessage().contains("auto or between 1 and 64"), bad);
        }
    }
}
