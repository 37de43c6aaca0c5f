package org.callbackkit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The docs cannot rot silently. Every page (README, CHANGELOG, CONTRIBUTING, docs/, benchmarks/):
 * <ul>
 *   <li>shows Java only as included code: each {@code ```java} block follows an
 *   {@code <!-- include: path#tag -->} marker and is, line for line (common indentation removed),
 *   the region between {@code tag::tag[]} and {@code end::tag[]} of that file, a source the build
 *   compiles and whose test runs it; a renamed method fails the compiler, a changed example fails
 *   here;</li>
 *   <li>lists a builder's options as the builder has them: the table after
 *   {@code <!-- options: binary.Class.Name -->} names, as {@code `name(Type, ...)`}, exactly the
 *   public methods of that builder that return it, inherited ones included;</li>
 *   <li>links only to files and headings that exist (external links are checked for syntax only:
 *   the build has no internet).</li>
 * </ul>
 * The {@code callbackkit.*} properties are checked against the starter's metadata in
 * examples-spring's {@code SpringDocsTest}.
 */
class DocsTest {

    static final Path ROOT = projectRoot();
    private static final Pattern FENCE = Pattern.compile("(?m)^```(\\w*)\\R(.*?)^```", Pattern.DOTALL);
    private static final Pattern INCLUDE = Pattern.compile("<!-- include: ([^#\\s]+)#([\\w-]+) -->\\s*$");
    private static final Pattern OPTIONS = Pattern.compile("<!-- options: ([\\w.$]+) -->\\R((?:\\|.*\\R?)+)");
    private static final Pattern OPTION = Pattern.compile("^\\|\\s*`(\\w+)\\(([^)]*)\\)`");
    private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6} +(.+?)\\s*$");

    @Test
    void everyJavaBlockIsACompiledAndTestedRegion() throws IOException {
        List<String> checked = new ArrayList<>();
        for (Path page : pages()) {
            String text = Files.readString(page);
            for (String line : text.split("\\R")) { // a fence the FENCE pattern would not see hides its block
                assertThat(line).as("%s: fences start at the line's start, as ```lang", ROOT.relativize(page))
                        .doesNotMatch("\\s+```.*|```\\s+\\w.*|\\s*~~~.*");
            }
            Matcher block = FENCE.matcher(text);
            while (block.find()) {
                String before = lastLineBefore(text, block.start());
                Matcher include = INCLUDE.matcher(before);
                String where = ROOT.relativize(page) + ":" + lineOf(text, block.start());
                if (!include.find()) {
                    assertThat(block.group(1)).as("%s: a Java block without an include marker before it", where)
                            .isNotEqualToIgnoringCase("java");
                    continue;
                }
                Path source = ROOT.resolve(include.group(1)).normalize();
                assertThat(source).as("%s includes a missing file", where).isRegularFile();
                assertThat(ROOT.relativize(source).toString().replace('\\', '/'))
                        .as("%s: included code must be a source the build compiles and tests", where)
                        .matches(block.group(1).equalsIgnoreCase("java") ? "[\\w-]+/src/(test|main)/java/.*\\.java"
                                : "[\\w-]+/src/(test|main)/(java|resources)/.*");
                assertThat(block.group(2))
                        .as("%s: the block differs from %s#%s", where, include.group(1), include.group(2))
                        .isEqualTo(region(Files.readString(source), include.group(2)));
                checked.add(include.group(1) + "#" + include.group(2));
            }
        }
        assertThat(checked).as("the README's getting started at least").contains(
                "examples/src/test/java/org/callbackkit/examples/docs/KlarnaSnippetsTest.java#klarna-servlet");
    }

    @Test
    void optionTablesNameExactlyTheBuildersOptions() throws Exception {
        Set<String> builders = new TreeSet<>();
        for (Path page : pages()) {
            String text = Files.readString(page);
            assertThat(OPTIONS.matcher(text).results().count()).as("%s: a table right below each options marker",
                    ROOT.relativize(page)).isEqualTo(Pattern.compile("(?m)^<!-- options: ").matcher(text).results().count());
            Matcher table = OPTIONS.matcher(text);
            while (table.find()) {
                Class<?> builder = Class.forName(table.group(1));
                Set<String> documented = new TreeSet<>();
                for (String row : table.group(2).split("\\R")) {
                    Matcher option = OPTION.matcher(row);
                    if (option.find()) {
                        documented.add(option.group(1) + "(" + option.group(2).replaceAll("\\s+", "") + ")");
                    }
                }
                assertThat(documented)
                        .as("%s: the options of %s (a method renamed, added or removed?)", ROOT.relativize(page),
                                builder.getName())
                        .isEqualTo(options(builder));
                builders.add(builder.getName());
            }
        }
        assertThat(builders).as("option tables").contains("org.callbackkit.klarna.KlarnaCallbacks$Builder",
                "org.callbackkit.ecster.EcsterCallbacks$Builder", "org.callbackkit.avarda.AvardaCallbacks$Builder",
                "org.callbackkit.blockonomics.BlockonomicsCallbacks$Builder",
                "org.callbackkit.core.intake.CallbackRouter$Builder", "org.callbackkit.core.intake.CallbackEndpoint$Builder",
                "org.callbackkit.core.journal.JournalServlet$Builder", "org.callbackkit.jdbc.JdbcCallbackStore$Builder");
    }

    @Test
    void dependenciesShownAreModulesOfThisBuild() throws IOException {
        Pattern dependency = Pattern.compile("<groupId>org\\.callbackkit</groupId>\\s*<artifactId>([\\w-]+)</artifactId>");
        List<String> shown = new ArrayList<>();
        for (Path page : pages()) {
            Matcher block = FENCE.matcher(Files.readString(page));
            while (block.find()) {
                Matcher artifact = dependency.matcher(block.group(2));
                while (artifact.find()) {
                    assertThat(ROOT.resolve(artifact.group(1)).resolve("pom.xml"))
                            .as("%s shows the dependency %s", ROOT.relativize(page), artifact.group(1)).isRegularFile();
                    shown.add(artifact.group(1));
                }
            }
        }
        assertThat(shown).contains("callback-spring-boot-starter", "callback-klarna", "callback-jdbc");
    }

    @Test
    void theReadmeIsShortAndCiRunsItsTestCommand() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        assertThat(readme.lines().count()).as("README lines (the issue asks for about 200)").isLessThanOrEqualTo(210);
        int setUp = readme.indexOf("\n## Set up\n");
        int block = readme.indexOf("```sh\n", setUp);
        assertThat(setUp).as("a Set up section").isPositive();
        assertThat(block).as("with a sh block").isPositive();
        List<String> commands = readme.substring(block, readme.indexOf("```\n", block + 6)).lines()
                .filter(line -> line.startsWith("mvn ")).toList();
        assertThat(commands).containsExactly("mvn -B -ntp -q -Pdemo -DskipTests package", "mvn -B -ntp verify");
        assertThat(Files.readAllLines(ROOT.resolve(".ci/run")).stream().filter(line -> line.startsWith("mvn ")))
                .as(".ci/run runs the README's test command").containsExactly("mvn -B -ntp verify");
    }

    @Test
    void everyDocsPageStartsWithWhatItsReaderWillBeAbleToDo() throws IOException {
        for (Path page : pages()) {
            if (!page.startsWith(ROOT.resolve("docs")) && !page.equals(ROOT.resolve("CONTRIBUTING.md"))) {
                continue;
            }
            String text = Files.readString(page);
            String firstParagraph = text.substring(text.indexOf("\n\n") + 2).split("\\R\\R")[0];
            assertThat(firstParagraph).as("%s: the first paragraph", ROOT.relativize(page))
                    .startsWith("After reading this page you");
        }
    }

    /**
     * The builder's setters: public methods, its own or inherited, that return the builder; the
     * parameter types as the builder sees them ({@code credentials(KlarnaCredentials)}, not the
     * erased {@code credentials(Object)} of the generic base builder).
     */
    static Set<String> options(Class<?> builder) {
        Map<TypeVariable<?>, Type> bound = new HashMap<>();
        for (Class<?> type = builder; type.getSuperclass() != null; type = type.getSuperclass()) {
            if (type.getGenericSuperclass() instanceof ParameterizedType parent) {
                TypeVariable<?>[] variables = type.getSuperclass().getTypeParameters();
                for (int i = 0; i < variables.length; i++) {
                    bound.put(variables[i], parent.getActualTypeArguments()[i]);
                }
            }
        }
        Set<String> options = new TreeSet<>();
        for (Method method : builder.getMethods()) {
            if (method.getDeclaringClass() != Object.class && !Modifier.isStatic(method.getModifiers())
                    && !method.isBridge() && method.getReturnType().isAssignableFrom(builder)
                    && method.getReturnType() != Object.class) {
                options.add(method.getName() + "(" + Arrays.stream(method.getGenericParameterTypes())
                        .map(type -> name(type, bound)).collect(Collectors.joining(",")) + ")");
            }
        }
        return options;
    }

    private static String name(Type type, Map<TypeVariable<?>, Type> bound) {
        if (type instanceof TypeVariable<?> variable && bound.containsKey(variable)) {
            return name(bound.get(variable), bound);
        }
        if (type instanceof ParameterizedType parameterized) {
            return name(parameterized.getRawType(), bound);
        }
        if (type instanceof Class<?> plain) {
            return plain.isArray() ? plain.getComponentType().getSimpleName() + "..." : plain.getSimpleName();
        }
        return type.getTypeName();
    }

    @Test
    void everyRelativeLinkResolvesAndExternalOnesAreWellFormed() throws IOException {
        List<Path> pages = pages();
        assertThat(brokenLinks(ROOT, pages)).as("broken links").isEmpty();
        assertThat(pages).contains(ROOT.resolve("docs/klarna.md"), ROOT.resolve("CHANGELOG.md"));
    }

    @Test
    void theLinkCheckSeesAMissingFileAMissingHeadingAndABadUrl(@TempDir Path root) throws IOException {
        Files.writeString(root.resolve("other.md"), "# Other page\n\n## What `it` does\n");
        Path page = Files.writeString(root.resolve("page.md"), String.join("\n",
                "# Page", "[fine](other.md#what-it-does) [fine](#page) [fine](https://example.com/a)",
                "[gone](missing.md) [no heading](other.md#nothing) [bad](https:///no-host)",
                "`[code](missing.md)`", "```", "[code](missing.md)", "```", ""));
        assertThat(brokenLinks(root, List.of(page))).hasSize(3)
                .anyMatch(broken -> broken.contains("missing.md (no such file)"))
                .anyMatch(broken -> broken.contains("other.md#nothing (no such heading"))
                .anyMatch(broken -> broken.contains("https:///no-host (no host)"));
    }

    /** What is wrong with the links of {@code pages}, each as "page: target (why)". */
    static List<String> brokenLinks(Path root, List<Path> pages) throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path page : pages) {
            Matcher link = LINK.matcher(withoutCode(Files.readString(page)));
            while (link.find()) {
                String target = link.group(1);
                String where = root.relativize(page) + ": " + target;
                if (target.startsWith("http://") || target.startsWith("https://")) {
                    try {
                        if (new URI(target).getHost() == null) {
                            broken.add(where + " (no host)");
                        }
                    } catch (URISyntaxException e) {
                        broken.add(where + " (" + e.getMessage() + ")");
                    }
                    continue;
                }
                if (target.matches("^[a-z]+:.*")) {
                    broken.add(where + " (only relative and http(s) links)");
                    continue;
                }
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                Path linked = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                if (!linked.startsWith(root) || !Files.exists(linked)) {
                    broken.add(where + " (no such file)");
                } else if (hash >= 0 && !anchors(linked).contains(target.substring(hash + 1))) {
                    broken.add(where + " (no such heading; the page has " + new TreeSet<>(anchors(linked)) + ")");
                }
            }
        }
        return broken;
    }

    /** GitHub's anchors of a page's headings: lower case, punctuation dropped, spaces as dashes. */
    static Set<String> anchors(Path page) throws IOException {
        Set<String> anchors = new HashSet<>();
        if (!page.toString().endsWith(".md")) {
            return anchors;
        }
        Matcher heading = HEADING.matcher(FENCE.matcher(Files.readString(page)).replaceAll(""));
        while (heading.find()) {
            String slug = heading.group(1).toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
            String anchor = slug;
            for (int n = 1; !anchors.add(anchor); n++) {
                anchor = slug + "-" + n;
            }
        }
        return anchors;
    }

    /** The text with fenced blocks and inline code blanked, so that code is never read as links or headings. */
    static String withoutCode(String text) {
        return FENCE.matcher(text).replaceAll("").replaceAll("`[^`\\n]*`", "");
    }

    /** The region of {@code source} between the lines naming {@code tag::tag[]} and {@code end::tag[]}, dedented. */
    static String region(String source, String tag) {
        List<String> lines = source.lines().toList();
        int start = -1;
        int end = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().endsWith("tag::" + tag + "[]") && !lines.get(i).contains("end::")) {
                assertThat(start).as("tag %s twice", tag).isNegative();
                start = i;
            } else if (lines.get(i).strip().endsWith("end::" + tag + "[]")) {
                end = i;
            }
        }
        if (start < 0 || end <= start) {
            fail("no region tag::%s[] ... end::%s[]", tag, tag);
        }
        List<String> region = lines.subList(start + 1, end);
        int indent = region.stream().filter(line -> !line.isBlank())
                .mapToInt(line -> line.length() - line.stripLeading().length()).min().orElse(0);
        return region.stream().map(line -> line.isBlank() ? "" : line.substring(indent))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    private static String lastLineBefore(String text, int offset) {
        String before = text.substring(0, offset).stripTrailing();
        return before.substring(before.lastIndexOf('\n') + 1);
    }

    private static int lineOf(String text, int offset) {
        return (int) text.substring(0, offset).chars().filter(c -> c == '\n').count() + 1;
    }

    /** README, CHANGELOG and CONTRIBUTING, and every page below docs/ and benchmarks/. */
    static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>();
        for (String top : List.of("README.md", "CHANGELOG.md", "CONTRIBUTING.md")) {
            if (Files.exists(ROOT.resolve(top))) {
                pages.add(ROOT.resolve(top));
            }
        }
        for (String dir : List.of("docs", "benchmarks")) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(dir))) {
                files.filter(path -> path.toString().endsWith(".md") && !path.toString().contains("/target/"))
                        .sorted().forEach(pages::add);
            }
        }
        return pages;
    }

    /** The directory with the root pom and .ci, found upwards from where the test runs. */
    private static Path projectRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve(".ci"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no project root (pom.xml and .ci) above " + Path.of("").toAbsolutePath());
    }
}
