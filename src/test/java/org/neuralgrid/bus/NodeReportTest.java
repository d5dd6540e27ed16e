package org.neuralgrid.bus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** A worker node's report on the bus: a JSON header and bytes, read back as written; anything else refused. */
class NodeReportTest {
    private static JsonObject header(String type) {
        return new JsonObject().put("type", type).put("run", "0123456789ab").put("attempt", "a-1");
    }

    @Test
    void aReportWithBytesReadsBackAsWritten() {
        byte[] bytes = {0, 1, 2, (byte) 255};
        NodeReport read = NodeReport.decode(new NodeReport(header("maps").put("n", 3), bytes).encode());
        assertEquals("maps", read.type());
        assertEquals("0123456789ab", read.run());
        assertEquals("a-1", read.attempt());
        assertEquals(3, read.header().getInteger("n"));
        assertArrayEquals(bytes, read.bytes());
    }

    @Test
    void aReportWithoutBytesHasNone() {
        assertEquals(0, NodeReport.decode(new NodeReport(header("device"), null).encode()).bytes().length);
    }

    @Test
    void buffersThatAreNotReportsAreRefusedSayingWhy() {
        assertRefused(Buffer.buffer(new byte[] {0, 0}), "needs a header");
        assertRefused(Buffer.buffer().appendInt(1000).appendString("{}"), "does not fit");
        assertRefused(Buffer.buffer().appendInt(3).appendString("abc"), "not a JSON object");
        Buffer noRun = new NodeReport(new JsonObject().put("type", "epoch").put("attempt", "a"), null).encode();
        assertRefused(noRun, "needs a type, a run id and an attempt");
        Buffer badRun = new NodeReport(header("epoch").put("run", "../etc"), null).encode();
        assertRefused(badRun, "needs a type, a run id and an attempt");
        Buffer numberType = new NodeReport(header("epoch").put("type", 5), null).encode();
        assertRefused(numberType, "needs a type, a run id and an attempt");
    }

    private static void assertRefused(Buffer buffer, String why) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NodeReport.decode(buffer));
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }
}
