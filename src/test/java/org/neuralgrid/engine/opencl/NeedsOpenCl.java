package org.neuralgrid.engine.opencl;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test class that needs an OpenCL device (PoCL will do): tagged "opencl", so that a machine with a GPU can
 * run just these ({@code mvn test -Dgroups=opencl}) and one without can leave them out
 * ({@code -DexcludedGroups=opencl}). Such classes also end in {@code AccelTest}, and get their device from
 * {@link OpenClTestDevice#require()}, which skips without one unless NEURALGRID_REQUIRE_OPENCL=1.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("opencl")
public @interface NeedsOpenCl {
}
