package org.neuralgrid.web;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How the dashboard is served. Validates itself: a server reachable from other machines (any address but the
 * loopback ones) must be protected by a token, because whoever reaches it can start runs that take every core.
 *
 * @param host          the address to bind: 127.0.0.1 by default; only 127.0.0.0/8, ::1 and localhost count as
 *                      loopback (names are never resolved, so any other name needs a token)
 * @param port          the port to bind, 0..65535 (0: any free port); 8080 by default
 * @param dataDir       the data folder the training side keeps its runs in
 * @param token         the access token, or null for none; printable ASCII without spaces, quotes, commas,
 *                      semicolons or backslashes (it travels in a header, a cookie and a query string)
 * @param maxConcurrent the most runs that train at the same time, or {@value #AUTO_CONCURRENT} (the default) for
 *                      as many as the devices have room for
 */
public record ServerOptions(String host, int port, Path dataDir, String token, int maxConcurrent) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    /** maxConcurrent: the devices decide how many runs share them (see the worker's DevicePacking). */
    public static final int AUTO_CONCURRENT = 0;
    public static final int DEFAULT_MAX_CONCURRENT = AUTO_CONCURRENT;
    public static final int MAX_CONCURRENT_LIMIT = 64;
    public static final int MAX_TOKEN_LENGTH = 512;
    /** The environment variable read when no --token is given. */
    public static final String TOKEN_ENV = "NEURALGRID_TOKEN";

    public ServerOptions {
        host = host == null || host.isBlank() ? DEFAULT_HOST : host.trim();
        token = token == null || token.isEmpty() ? null : token;
        Objects.requireNonNull(dataDir, "dataDir");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
        }
        if (maxConcurrent < AUTO_CONCURRENT || maxConcurrent > MAX_CONCURRENT_LIMIT) {
            throw new IllegalArgumentException("max-concurrent must be auto or between 1 and " + MAX_CONCURRENT_LIMIT
                    + ", got " + maxConcurrent);
        }
        if (token != null && !validToken(token)) {
            throw new IllegalArgumentException("the token must be 1 to " + MAX_TOKEN_LENGTH + " printable ASCII"
                    + " characters without spaces, quotes, commas, semicolons or backslashes");
        }
        if (token == null && !isLoopback(host)) {
            throw new IllegalArgumentException("binding " + host + " makes the dashboard reachable from other"
                    + " machines: give a token (--token or the " + TOKEN_ENV + " environment variable), or bind a"
                    + " loopback address (127.0.0.1, ::1 or localhost)");
        }
    }

    /** The defaults: 127.0.0.1:8080, no token, as many runs at once as the devices have room for. */
    public static ServerOptions defaults(Path dataDir) {
        return new ServerOptions(DEFAULT_HOST, DEFAULT_PORT, dataDir, null, DEFAULT_MAX_CONCURRENT);
    }

    /** The token given on the command line, else the one in {@value #TOKEN_ENV}, else null. */
    public static String tokenFrom(String option, Map<String, String> environment) {
        if (option != null && !option.isEmpty()) {
            return option;
        }
        String env = environment.get(TOKEN_ENV);
        return env == null || env.isEmpty() ? null : env;
    }

    /** "auto" or a number from 1 to {@value #MAX_CONCURRENT_LIMIT}, as --max-concurrent takes it. */
    public static int maxConcurrent(String text) {
        if (text.strip().equalsIgnoreCase("auto")) {
            return AUTO_CONCURRENT;
        }
        try {
            int n = Integer.parseInt(text.strip());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("max-concurrent must be auto or between 1 and " + MAX_CONCURRENT_LIMIT
                + ", got '" + text + "'");
    }

    public ServerOptions withPort(int p) {
        return new ServerOptions(host, p, dataDir, token, maxConcurrent);
    }

    public ServerOptions withToken(String t) {
        return new ServerOptions(host, port, dataDir, t, maxConcurrent);
    }

    public boolean hasToken() {
        return token != null;
    }

    /** The URL a browser on this machine opens (the token is not part of it). */
    public String url(int boundPort) {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        if (h.equals("0.0.0.0") || h.equals("[::]")) {
            h = "localhost";
        }
        return "http://" + h + ":" + boundPort + "/";
    }

    @Override
    public String toString() {
        // never print the token
        return "ServerOptions[host=" + host + ", port=" + port + ", dataDir=" + dataDir + ", token="
                + (token == null ? "none" : "set") + ", maxConcurrent=" + (maxConcurrent == AUTO_CONCURRENT ? "auto" : maxConcurrent) + "]";
    }

    /**
     * Whether {@code host} is a loopback address, decided from its text alone (never by a name lookup):
     * localhost, an IPv4 literal in 127.0.0.0/8, or ::1 in any of its spellings.
     */
    public static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.equals("localhost") || h.equals("localhost.")) {
            return true;
        }
        if (h.matches("127(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}")) {
            return true;
        }
        return isIpv6Loopback(h);
    }

    private static boolean isIpv6Loopback(String h) {
        if (!h.matches("[0-9a-f:]+") || !h.contains(":")) {
            return false;
        }
        String[] halves = h.split("::", -1);
        if (halves.length > 2) {
            return false;
        }
        long[] groups = new long[8];
        String[] head = halves[0].isEmpty() ? new String[0] : halves[0].split(":", -1);
        String[] tail = halves.length == 2 && !halves[1].isEmpty() ? halves[1].split(":", -1) : new String[0];
        if (halves.length == 1 ? head.length != 8 : head.length + tail.length > 7) {
            return false;
        }
        for (int i = 0; i < head.length; i++) {
            if (head[i].isEmpty() || head[i].length() > 4) {
                return false;
            }
            groups[i] = Long.parseLong(head[i], 16);
        }
        for (int i = 0; i < tail.length; i++) {
            if (tail[i].isEmpty() || tail[i].length() > 4) {
                return false;
            }
            groups[8 - tail.length + i] = Long.parseLong(tail[i], 16);
        }
        for (int i = 0; i < 7; i++) {
            if (groups[i] != 0) {
                return false;
            }
        }
        return groups[7] == 1;
    }

    private static boolean validToken(String t) {
        if (t.length() > MAX_TOKEN_LENGTH) {
            return false;
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '"' || c == ',' || c == ';' || c == '\\') {
                return false;
            }
        }
        return true;
    }
}
