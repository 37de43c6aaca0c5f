package org.callbackkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Code the docs show is code the build compiles and runs: every block after an
 * {@code <!-- include: path#tag -->} marker in README.md and docs/ must be, line for line, the
 * region between {@code // tag::tag[]} and {@code // end::tag[]} of that source file. A renamed
 * method fails the build here instead of leaving a stale page.
 */
class DocsIncludesTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern INCLUDE = Pattern.compile(
            "<!-- include: ([^#\\s]+)#([\\w-]+) -->\\R```\\w*\\R(.*?)```", Pattern.DOTALL);

    @Test
    void everyIncludedBlockIsItsSourceRegion() throws IOException {
        List<String> checked = new ArrayList<>();
        for (Path page : pages()) {
            Matcher include = INCLUDE.matcher(Files.readString(page));
            while (include.find()) {
                Path source = ROOT.resolve(include.group(1));
                assertThat(source).as("%s includes a missing file", page).exists();
                assertThat(include.group(3)).as("%s: %s#%s", ROOT.relativize(page), include.group(1), include.group(2))
                        .isEqualTo(region(Files.readString(source), include.group(2)));
                checked.add(include.group(1));
            }
        }
        assertThat(checked).as("the docs include at least the example provider").isNotEmpty();
    }

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).forEach(pages::add);
        }
        return pages;
    }

    private static String region(String source, String tag) {
        String begin = "// tag::" + tag + "[]\n";
        int start = source.indexOf(begin);
        int end = source.indexOf("// end::" + tag + "[]");
        assertThat(start).as("tag %s", tag).isNotNegative();
        assertThat(end).as("end of tag %s", tag).isGreaterThan(start);
        return source.substring(start + begin.length(), end);
    }
}
