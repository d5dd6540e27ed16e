package org.neuralgrid.bench;

import static org.neuralgrid.bench.BenchSupport.JSON;
import static org.neuralgrid.bench.BenchSupport.log;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Time from pressing "Start run" on the new-run form to the first heatmap on the run page, in a real browser
 * (Debian's headless Chromium and its chromedriver) against the real dashboard on a fresh data folder.
 *
 * <p>How it is measured, all inside the page and on the browser's own clock
 * ({@code performance.timeOrigin + performance.now()}, which stays comparable across the navigation):
 * <ul>
 * <li>t0: a capturing click listener on {@code #submit-run}, installed before the click, stores the time in
 *     {@code sessionStorage}; the click itself is a real WebDriver click.</li>
 * <li>The run page is watched from before its first script runs: a script registered with CDP's
 *     {@code Page.addScriptToEvaluateOnNewDocument} puts a {@code MutationObserver} on the document, which
 *     notes the moment the first {@code canvas.heatmap} gets its {@code data-epoch} attribute (the page sets it
 *     right after {@code putImageData}), the epoch drawn, and the next animation frame after it (the map is on
 *     screen by then). It also notes the run page's navigation start, DOMContentLoaded, and (wrapping the
 *     page's {@code WebSocket}) when its socket opened and its first text and binary (heatmap) messages came:
 *     where the time goes.</li>
 * </ul>
 * Each repetition starts a fresh synthetic run from the form. By default the run is long (1000 epochs of 8192
 * samples), so that it is still training on every core while the run page loads, as a real run would be; once
 * the first map is on screen the run is cancelled (the server trains one run at a time, so a run still training
 * would queue the next). With {@code --samples 512 --epochs 1} the run is over before the page is up, and the
 * page shows the last epoch's map. The first repetitions of each grid are warm-ups (cold JIT, cold browser
 * cache) and are reported apart.
 *
 * <p>Options: {@code --grids 128x128,64x64 --reps 7 --warmup 1 --samples 8192 --test-samples 640 --batch 256
 * --epochs 1000 --threads 0 --chromium /usr/bin/chromium --chromedriver /usr/bin/chromedriver --keep}.
 */
public final class FirstHeatmapBench {
    /** Runs in every new document of the tab before the page's own scripts; acts on run pages only. */
    private static final String OBSERVER = String.join("\n",
            "(() => {",
            "  if (!/^\\/runs\\/[0-9a-f]{12}$/.test(location.pathname)) return;",
            "  const now = () => performance.timeOrigin + performance.now();",
            "  const b = window.__bench = { navigationStart: performance.timeOrigin };",
            "  const seen = node => {",
            "    if (b.firstHeatmap !== undefined) return;",
            "    b.firstHeatmap = now();",
            "    b.epoch = node.getAttribute('data-epoch');",
            "    requestAnimationFrame(() => { b.firstFrame = now(); });",
            "    observer.disconnect();",
            "  };",
            "  const observer = new MutationObserver(records => {",
            "    for (const r of records) {",
            "      if (r.type === 'attributes' && r.target.matches && r.target.matches('canvas.heatmap')",
            "          && r.target.hasAttribute('data-epoch')) { seen(r.target); return; }",
            "      if (r.type === 'childList') for (const n of r.addedNodes) {",
            "        const c = n.matches && n.matches('canvas.heatmap[data-epoch]') ? n",
            "          : n.querySelector && n.querySelector('canvas.heatmap[data-epoch]');",
            "        if (c) { seen(c); return; }",
            "      }",
            "    }",
            "  });",
            "  observer.observe(document, { subtree: true, childList: true, attributes: true,",
            "    attributeFilter: ['data-epoch'] });",
            "  document.addEventListener('DOMContentLoaded', () => { b.domContentLoaded = now(); });",
            "  // the page's WebSocket, watched from its constructor: listeners added here run before the page's",
            "  const Native = window.WebSocket;",
            "  window.WebSocket = class extends Native {",
            "    constructor(...a) {",
            "      super(...a);",
            "      this.addEventListener('open', () => { if (b.wsOpen === undefined) b.wsOpen = now(); });",
            "      this.addEventListener('message', e => {",
            "        if (typeof e.data === 'string') { if (b.wsFirstText === undefined) b.wsFirstText = now(); }",
            "        else if (b.wsFirstHeatmap === undefined) b.wsFirstHeatmap = now();",
            "      });",
            "    }",
            "  };",
            "})();");

    /** Stores the click time; capturing, so it runs before anything else hears the click. */
    private static final String ARM = "const b = document.getElementById('submit-run');"
            + "sessionStorage.removeItem('bench.t0');"
            + "b.addEventListener('click', () => sessionStorage.setItem('bench.t0',"
            + " String(performance.timeOrigin + performance.now())), { capture: true, once: true });";

    private static final String READ = "const b = window.__bench;"
            + "if (!b || b.firstHeatmap === undefined || b.firstFrame === undefined) return null;"
            + "return { t0: Number(sessionStorage.getItem('bench.t0')), navigationStart: b.navigationStart,"
            + " domContentLoaded: b.domContentLoaded ?? null, firstHeatmap: b.firstHeatmap,"
            + " firstFrame: b.firstFrame, epoch: b.epoch, wsOpen: b.wsOpen ?? null,"
            + " wsFirstText: b.wsFirstText ?? null, wsFirstHeatmap: b.wsFirstHeatmap ?? null };";

    private static final List<java.util.logging.Logger> QUIET = List.of(
            java.util.logging.Logger.getLogger("org.openqa.selenium"),
            java.util.logging.Logger.getLogger("org.openqa.selenium.devtools"),
            java.util.logging.Logger.getLogger("org.openqa.selenium.chromium"));

    private FirstHeatmapBench() {
    }

    public static void main(String[] argv) throws Exception {
        BenchSupport.Args args = new BenchSupport.Args(argv);
        String[] grids = args.string("grids", "128x128,64x64").split(",");
        int reps = args.integer("reps", 7);
        int warmup = args.integer("warmup", 1);
        int samples = args.integer("samples", 8192);
        int testSamples = args.integer("test-samples", 640);
        int batch = args.integer("batch", 256);
        int epochs = args.integer("epochs", 1000);
        int threads = args.integer("threads", 0);
        Path chromium = Paths.get(args.string("chromium", "/usr/bin/chromium"));
        Path chromedriver = Paths.get(args.string("chromedriver", "/usr/bin/chromedriver"));
        for (Path p : List.of(chromium, chromedriver)) {
            if (!Files.isExecutable(p)) {
                throw new IllegalStateException(p + " is missing (Debian packages chromium and chromium-driver)");
            }
        }

        ObjectNode result = JSON.createObjectNode().put("bench", "first-heatmap");
        result.set("machineBefore", BenchSupport.machine());
        Path profile = Files.createTempDirectory("neuralgrid-bench-chrome");
        ChromeDriverService service = null;
        ChromeDriver driver = null;
        try (BenchSupport.Server server = BenchSupport.Server.start("neuralgrid-bench-first-heatmap", null,
                args.flag("keep"))) {
            System.setProperty("webdriver.chrome.driver", chromedriver.toString());
            QUIET.forEach(l -> l.setLevel(Level.SEVERE));
            service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(chromedriver.toFile())
                    .usingAnyFreePort()
                    .withLogOutput(java.io.OutputStream.nullOutputStream())
                    .build();
            ChromeOptions options = new ChromeOptions();
            options.setBinary(chromium.toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--no-default-browser-check",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-extensions", "--window-size=1400,1000", "--user-data-dir=" + profile,
                    "--lang=en-US");
            driver = new ChromeDriver(service, options);
            driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
            driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", OBSERVER));
            result.put("browser", String.valueOf(driver.getCapabilities().getBrowserVersion()));

            ObjectNode byGrid = JSON.createObjectNode();
            for (String spec : grids) {
                int[] hw = BenchSupport.grid(spec.trim());
                byGrid.set(spec.trim(), measureGrid(driver, server, hw[0], hw[1], samples, testSamples, batch,
                        epochs, threads, warmup, reps));
            }
            result.set("grids", byGrid);
        } finally {
            if (driver != null) {
                driver.quit();
            }
            if (service != null) {
                service.stop();
            }
            BenchSupport.deleteTree(profile);
        }
        result.put("reps", reps).put("warmup", warmup);
        result.set("run", BenchSupport.syntheticRun(0, 0, samples, testSamples, batch, epochs, threads)
                .without(List.of("height", "width")));
        result.set("machineAfter", BenchSupport.machine());
        System.out.println(JSON.writeValueAsString(result));
    }

    private static ObjectNode measureGrid(ChromeDriver driver, BenchSupport.Server server, int height, int width,
                                          int samples, int testSamples, int batch, int epochs, int threads,
                                          int warmup, int reps) throws Exception {
        List<Double> firstHeatmap = new ArrayList<>();
        List<Double> firstFrame = new ArrayList<>();
        List<Double> navigation = new ArrayList<>();
        List<Double> domReady = new ArrayList<>();
        List<Double> wsOpen = new ArrayList<>();
        List<Double> warmups = new ArrayList<>();
        ArrayNode samplesJson = JSON.createArrayNode();
        for (int i = 0; i < warmup + reps; i++) {
            boolean warm = i < warmup;
            Map<?, ?> m = startAndWatch(driver, server, height + "x" + width + (warm ? " warm-up " : " rep ") + i,
                    height, width, samples, testSamples, batch, epochs, threads);
            double t0 = ((Number) m.get("t0")).doubleValue();
            double heat = ((Number) m.get("firstHeatmap")).doubleValue() - t0;
            double frame = ((Number) m.get("firstFrame")).doubleValue() - t0;
            double nav = ((Number) m.get("navigationStart")).doubleValue() - t0;
            Number dcl = (Number) m.get("domContentLoaded");
            ObjectNode s = JSON.createObjectNode().put("warmup", warm)
                    .put("firstHeatmapMs", BenchSupport.round(heat)).put("nextFrameMs", BenchSupport.round(frame))
                    .put("runPageNavigationStartMs", BenchSupport.round(nav))
                    .put("domContentLoadedMs", since(m, "domContentLoaded", t0))
                    .put("wsOpenMs", since(m, "wsOpen", t0))
                    .put("wsFirstTextMs", since(m, "wsFirstText", t0))
                    .put("wsFirstHeatmapMs", since(m, "wsFirstHeatmap", t0))
                    .put("epochDrawn", String.valueOf(m.get("epoch")));
            samplesJson.add(s);
            log(height + "x" + width + (warm ? " warm-up: " : " rep " + (i - warmup + 1) + ": ") + s);
            if (warm) {
                warmups.add(heat);
            } else {
                firstHeatmap.add(heat);
                firstFrame.add(frame);
                navigation.add(nav);
                if (dcl != null) {
                    domReady.add(dcl.doubleValue() - t0);
                }
                if (!Double.isNaN(s.get("wsOpenMs").asDouble())) {
                    wsOpen.add(s.get("wsOpenMs").asDouble());
                }
            }
        }
        ObjectNode o = JSON.createObjectNode();
        o.set("firstHeatmapMs", BenchSupport.summary(firstHeatmap));
        o.set("nextFrameMs", BenchSupport.summary(firstFrame));
        o.set("runPageNavigationStartMs", BenchSupport.summary(navigation));
        o.set("domContentLoadedMs", BenchSupport.summary(domReady));
        o.set("wsOpenMs", BenchSupport.summary(wsOpen));
        o.set("warmupFirstHeatmapMs", BenchSupport.array(warmups));
        o.set("samples", samplesJson);
        return o;
    }

    /** Milliseconds from t0 to the named mark, NaN when the page has none (yet). */
    private static double since(Map<?, ?> marks, String key, double t0) {
        Object v = marks.get(key);
        return v instanceof Number n ? BenchSupport.round(n.doubleValue() - t0) : Double.NaN;
    }

    /** One repetition: fill the form, click Start, wait for the first heatmap, then for the run's end. */
    private static Map<?, ?> startAndWatch(ChromeDriver driver, BenchSupport.Server server, String name,
                                           int height, int width, int samples, int testSamples, int batch,
                                           int epochs, int threads) throws Exception {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(120), Duration.ofMillis(20));
        driver.get(server.base + "/");
        wait.until(d -> d.findElement(By.id("run-form")).isDisplayed());
        new Select(driver.findElement(By.id("f-dataset"))).selectByValue("synthetic");
        new Select(driver.findElement(By.id("f-backend"))).selectByValue("java");
        setValue(driver, "name", name);
        setValue(driver, "height", String.valueOf(height));
        setValue(driver, "width", String.valueOf(width));
        setValue(driver, "samples", String.valueOf(samples));
        setValue(driver, "testSamples", String.valueOf(testSamples));
        setValue(driver, "batch", String.valueOf(batch));
        setValue(driver, "epochs", String.valueOf(epochs));
        setValue(driver, "lr", "0.001");
        setValue(driver, "threads", String.valueOf(threads));
        setValue(driver, "checkpointEvery", "0");
        JavascriptExecutor js = driver;
        js.executeScript(ARM);
        driver.findElement(By.id("submit-run")).click();

        wait.until(d -> d.getCurrentUrl().matches(".*/runs/[0-9a-f]{12}$"));
        String id = driver.getCurrentUrl().replaceAll(".*/runs/", "");
        Object read = wait.until(d -> js.executeScript(READ));
        Map<?, ?> m = (Map<?, ?>) read;
        if (!(m.get("t0") instanceof Number) || ((Number) m.get("t0")).doubleValue() <= 0) {
            throw new IllegalStateException("the click time was not recorded: " + m);
        }
        // a run still training would queue the next one: cancel it (a short run may have finished already)
        String status = server.status(id);
        if (!BenchSupport.TERMINAL.contains(status)) {
            server.post("/api/runs/" + id + "/cancel");
        }
        status = server.awaitStatus(id, BenchSupport.TERMINAL, Duration.ofMinutes(5), 100);
        if (!"completed".equals(status) && !"cancelled".equals(status)) {
            throw new IllegalStateException("run " + id + " ended " + status);
        }
        return m;
    }

    private static void setValue(ChromeDriver driver, String field, String value) {
        WebElement input = driver.findElement(By.id("f-" + field));
        input.clear();
        input.sendKeys(value);
        if (!value.equals(input.getAttribute("value"))) {
            throw new IllegalStateException("field " + field + " reads " + input.getAttribute("value")
                    + " after typing " + value);
        }
    }
}
