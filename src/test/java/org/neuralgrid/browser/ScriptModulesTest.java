package org.neuralgrid.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard's script modules on their own, without the dashboard server: a tiny Vert.x server on 127.0.0.1
 * serves the product's static folder under {@code /static} and the test modules ({@code js/*.test.js} on the test
 * classpath, plain ES modules with the assertions of {@code js/assert.js}) under {@code /test}; the same headless
 * Chromium as the browser tests ({@link BrowserSession}) opens {@code /test/runner.html} and runs every test module.
 * Each JavaScript test is one dynamic test here; an import that fails and anything the console reports as an error
 * fail too.
 *
 * <p>Without Chromium the class is skipped, unless {@code NEURALGRID_REQUIRE_BROWSER=1}: then it fails.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ScriptModulesTest {
    @TempDir
    static Path temp;

    private static Vertx vertx;
    private static BrowserSession browser;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        BrowserSession.assumeBrowser();
        Path staticDir = classpathDir("/webapp/static");
        Path testDir = classpathDir("/js");
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.route("/static/*").handler(StaticHandler.create(FileSystemAccess.ROOT, staticDir.toString())
                .setCachingEnabled(false));
        router.route("/test/*").handler(StaticHandler.create(FileSystemAccess.ROOT, testDir.toString())
                .setCachingEnabled(false));
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        base = "http://127.0.0.1:" + server.actualPort();
        browser = BrowserSession.start(temp);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyScriptModuleTest() throws Exception {
        List<String> modules;
        try (Stream<Path> files = Files.list(classpathDir("/js"))) {
            modules = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".test.js")).sorted()
                    .map(n -> "/test/" + n).toList();
        }
        assertFalse(modules.isEmpty(), "no js/*.test.js on the test classpath");

        browser.driver().get(base + "/test/runner.html");
        new WebDriverWait(browser.driver(), Duration.ofSeconds(30), Duration.ofMillis(50))
                .until(d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-ready")));
        List<?> results = (List<?>) ((JavascriptExecutor) browser.driver()).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "window.runTests(arguments[0]).then(done, e => done([{module: '(runner)', name: 'run',"
                        + " ok: false, message: String(e && e.stack || e)}]));", modules);
        List<String> consoleErrors = browser.consoleLog().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage).toList();

        List<DynamicTest> tests = new ArrayList<>();
        for (Object o : results) {
            Map<?, ?> r = (Map<?, ?>) o;
            String module = String.valueOf(r.get("module")).replace("/test/", "");
            String name = module + ": " + r.get("name");
            boolean ok = Boolean.TRUE.equals(r.get("ok"));
            String message = String.valueOf(r.get("message"));
            tests.add(DynamicTest.dynamicTest(name, () -> assertTrue(ok, name + ": " + message)));
        }
        List<String> ran = results.stream().map(o -> String.valueOf(((Map<?, ?>) o).get("module"))).distinct().toList();
        tests.add(DynamicTest.dynamicTest("every test module ran", () -> assertEquals(modules, ran)));
        tests.add(DynamicTest.dynamicTest("no errors in the browser console",
                () -> assertEquals(List.of(), consoleErrors, "errors in the browser console")));
        return tests.stream();
    }

    /** A folder of the (test) classpath: target/classes or target/test-classes, wherever the build put them. */
    private static Path classpathDir(String name) throws URISyntaxException {
        var url = ScriptModulesTest.class.getResource(name);
        if (url == null) {
            throw new IllegalStateException(name + " is not on the classpath");
        }
        return Path.of(url.toURI());
    }
}
