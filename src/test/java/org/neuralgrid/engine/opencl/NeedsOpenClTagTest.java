package org.neuralgrid.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The "opencl" tag selects exactly the tests that need a device: every {@code *AccelTest} class carries
 * {@link NeedsOpenCl}, and every class that carries it is an {@code *AccelTest}, so that {@code -Dgroups=opencl}
 * on a GPU machine misses none and {@code -DexcludedGroups=opencl} runs everything else.
 */
class NeedsOpenClTagTest {

    @Test
    void everyAccelTestIsTaggedOpenClAndEveryTaggedClassIsAnAccelTest() throws Exception {
        List<Class<?>> classes = testClasses();
        List<String> accel = classes.stream().filter(c -> c.getSimpleName().endsWith("AccelTest"))
                .map(Class::getName).sorted().toList();
        List<String> tagged = classes.stream().filter(c -> c.isAnnotationPresent(NeedsOpenCl.class))
                .map(Class::getName).sorted().toList();
        assertTrue(accel.contains(OpenClBackendContractAccelTest.class.getName()), "found the test classes: " + accel);
        assertEquals(accel, tagged);
    }

    /** Every top-level class compiled from the test sources. */
    private static List<Class<?>> testClasses() throws IOException, URISyntaxException {
        Path root = Path.of(NeedsOpenCl.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (Stream<Path> files = Files.walk(root)) {
            return files.map(p -> root.relativize(p).toString())
                    .filter(name -> name.endsWith(".class") && !name.contains("$"))
                    .map(name -> name.substring(0, name.length() - ".class".length()).replace(File.separatorChar, '.'))
                    .<Class<?>>map(NeedsOpenClTagTest::load)
                    .toList();
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, NeedsOpenClTagTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
