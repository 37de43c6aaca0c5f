package org.callbackkit.doctor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The web server's error log (Apache's {@code error.log}, nginx's {@code error.log}), read for the
 * ModSecurity rules that refused the probes: the lines written while the doctor ran (from the size
 * the file had when it started), each with its {@code [id "..."]}, {@code [msg "..."]} and
 * {@code [uri "..."]}. A plain 403 page names no rule; these lines do.
 */
final class ServerLog {

    /** CRS's rules that only add up the score of the others and block: removing them would remove all blocking. */
    static final Set<String> SCORING_RULES = Set.of("949110", "959100", "980130", "980140", "980170");
    private static final Pattern ID = Pattern.compile("\\[id \"(\\d+)\"]");
    private static final Pattern MSG = Pattern.compile("\\[msg \"([^\"]*)\"]");
    private static final Pattern URI = Pattern.compile("\\[uri \"([^\"]*)\"]");
    private static final int MAX_BYTES = 8 * 1024 * 1024;

    private final Path file;
    private final long start;

    private ServerLog(Path file, long start) {
        this.file = file;
        this.start = start;
    }

    /** Marks where the log ends now, so {@link #rules()} reads only what is written after. */
    static ServerLog from(Path file) {
        long size;
        try {
            size = Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            size = 0;
        }
        return new ServerLog(file, size);
    }

    Path file() {
        return file;
    }

    /**
     * The ModSecurity rules logged since the mark, by request path, each rule id with its message,
     * in the order logged; the scoring rules ({@link #SCORING_RULES}) left out.
     *
     * @throws IOException if the log cannot be read
     */
    Map<String, Map<String, String>> rules() throws IOException {
        Map<String, Map<String, String>> byPath = new LinkedHashMap<>();
        long size = Files.size(file);
        long from = size < start ? 0 : start; // rotated meanwhile: read the new file whole
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            in.skipNBytes(Math.max(from, size - MAX_BYTES));
            bytes = in.readNBytes(MAX_BYTES);
        }
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            if (!line.contains("ModSecurity")) {
                continue;
            }
            Matcher id = ID.matcher(line);
            Matcher uri = URI.matcher(line);
            if (!id.find() || !uri.find() || SCORING_RULES.contains(id.group(1))) {
                continue;
            }
            Matcher msg = MSG.matcher(line);
            String path = uri.group(1).contains("?") ? uri.group(1).substring(0, uri.group(1).indexOf('?')) : uri.group(1);
            byPath.computeIfAbsent(path, p -> new LinkedHashMap<>()).putIfAbsent(id.group(1), msg.find() ? msg.group(1) : "");
        }
        return byPath;
    }

    /**
     * An Apache exclusion narrower than turning ModSecurity off: only {@code ruleIds} removed, only
     * on the callback paths ({@code pathRegex}).
     */
    static String apacheExclusion(String pathRegex, Set<String> ruleIds) {
        return "# Callback Kit: the ModSecurity rules that refused the callbacks, removed on the callback paths only.\n"
                + "<LocationMatch \"" + pathRegex + "\">\n"
                + "    <IfModule security2_module>\n"
                + "        SecRuleRemoveById " + String.join(" ", ruleIds) + "\n"
                + "    </IfModule>\n"
                + "</LocationMatch>";
    }

    /** Every rule id in {@code rules}, in the order first seen. */
    static Set<String> ids(Map<String, Map<String, String>> rules) {
        Set<String> ids = new LinkedHashSet<>();
        rules.values().forEach(byId -> ids.addAll(byId.keySet()));
        return ids;
    }

    /** {@code 942260 (Detects basic SQL authentication bypass attempts 2/3), ...}. */
    static String describe(Map<String, String> rules) {
        List<String> parts = new ArrayList<>();
        rules.forEach((id, msg) -> parts.add(msg.isEmpty() ? id : id + " (" + msg + ")"));
        return String.join(", ", parts);
    }
}
