package org.neuralgrid.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data folder the server cannot use stops it before it listens: a non-zero exit code and one clear line on
 * stderr that names the file, never a stack trace. (The tests run as root, for whom no permission bit forbids
 * anything, so the folder that cannot be written is one whose parent is a regular file.)
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class BadDataFolderTest {
    @TempDir
    Path temp;

    @Test
    void aDataFolderThatCannotBeCreatedStopsTheServerWithOneLineNamingIt() throws Exception {
        Path file = Files.writeString(temp.resolve("a-file"), "not a folder");
        Path data = file.resolve("data");
        assertRefusedNaming(data, data.toString());
    }

    @Test
    void aDataFolderThatIsAFileStopsTheServerWithOneLineNamingIt() throws Exception {
        Path data = Files.writeString(temp.resolve("data"), "not a folder");
        assertRefusedNaming(data, data.toString());
    }

    @Test
    void aCorruptRunsDbStopsTheServerWithOneLineNamingIt() throws Exception {
        Path data = Files.createDirectories(temp.resolve("data"));
        byte[] garbage = new byte[64 * 1024];
        new Random(11).nextBytes(garbage);
        Path db = Files.write(data.resolve("runs.db"), garbage);
        assertRefusedNaming(data, db.toString());
        assertTrue(java.util.Arrays.equals(garbage, Files.readAllBytes(db)), "the damaged file is left as it was");
    }

    private void assertRefusedNaming(Path data, String named) throws Exception {
        try (ServerProcess server = ServerProcess.launch(data, temp.resolve("logs"), List.of(), true)) {
            Optional<Integer> exit = server.awaitExit(ServerProcess.STARTUP);
            assertTrue(exit.isPresent(), "the server runs on a data folder it cannot use\n" + server.output());
            assertNotEquals(0, exit.get(), server.output());
            server.assertNoStackTrace();
            List<String> lines = server.stderr().lines().filter(l -> !l.isBlank())
                    .filter(l -> !l.startsWith(ServerProcess.INCUBATOR_WARNING)).collect(Collectors.toList());
            assertEquals(1, lines.size(), "one line on stderr:\n" + server.output());
            assertTrue(lines.get(0).contains(named), "the line names " + named + ": " + lines.get(0));
        }
    }
}
