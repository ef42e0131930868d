package dev.oauthbroker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Tag;
import org.junit.platform.commons.support.AnnotationSupport;
import org.w3c.dom.Element;

/**
 * The suite's time per layer, printed by {@code ./mvnw verify} after the tests (from surefire's
 * reports): a class's layer is its JUnit tag ({@value #PROCESSES} and {@value #DRILLS}, {@value #BROWSER},
 * {@value #EXTRA_CONTEXTS}; {@value #SHARED_CONTEXT} on {@link BrokerIntegrationTest}), untagged
 * classes are unit tests without Spring. A layer's time is the sum of its classes' times; the
 * classes of different layers run side by side in the test JVMs (pom.xml), so the wall time of the
 * run, printed last, is less than the sum. One layer alone: {@code ./mvnw test -Dgroups=browser}.
 */
public final class TestTimesReport {

    /** JVM processes: the CLI killed mid-command, JSON logs, the benchmark, the image build. */
    public static final String PROCESSES = "processes";
    /** Failure drills: an instance killed, the database stopped, slow or browned-out providers. */
    public static final String DRILLS = "drills";
    /** Headless Chromium through Selenium, on the shared context (and the demo instance). */
    public static final String BROWSER = "browser";
    /** Broker instances besides the shared context ({@link BrokerInstances}), or a Spring context of their own. */
    public static final String EXTRA_CONTEXTS = "extra-contexts";
    /** The shared Spring context of {@link BrokerIntegrationTest}. */
    public static final String SHARED_CONTEXT = "shared-context";

    enum Layer {
        UNIT("unit tests without Spring"),
        SHARED("shared Spring context", SHARED_CONTEXT),
        EXTRA("extra contexts and instances", EXTRA_CONTEXTS),
        BROWSER_LAYER("browser", BROWSER),
        PROCESS("processes and drills", PROCESSES, DRILLS);

        final String title;
        final Set<String> tags;

        Layer(String title, String... tags) {
            this.title = title;
            this.tags = Set.of(tags);
        }

        /** The most specific layer a class's tags name. */
        static Layer of(Set<String> tags) {
            for (Layer layer : List.of(PROCESS, BROWSER_LAYER, EXTRA, SHARED)) {
                if (tags.stream().anyMatch(layer.tags::contains)) {
                    return layer;
                }
            }
            return UNIT;
        }
    }

    record TestClass(String name, Layer layer, int tests, int failed, double seconds, long finishedMillis) {}

    private TestTimesReport() {
    }

    public static void main(String[] args) throws Exception {
        Path folder = Path.of(args.length > 0 ? args[0] : "target/surefire-reports");
        List<TestClass> classes = read(folder);
        if (classes.isEmpty()) {
            System.out.println("Test times: no reports in " + folder + " (tests skipped)");
            return;
        }
        Map<Layer, List<TestClass>> byLayer = new EnumMap<>(Layer.class);
        classes.forEach(c -> byLayer.computeIfAbsent(c.layer(), x -> new ArrayList<>()).add(c));
        System.out.println();
        System.out.println("Test time per layer (" + folder + "; a layer's time is the sum of its classes')");
        System.out.printf("%-30s %8s %6s %9s   %s%n", "layer", "classes", "tests", "time", "slowest");
        byLayer.forEach((layer, list) -> System.out.printf("%-30s %8d %6d %8.1fs   %s%n", layer.title, list.size(),
                list.stream().mapToInt(TestClass::tests).sum(), list.stream().mapToDouble(TestClass::seconds).sum(),
                list.stream().sorted(Comparator.comparingDouble(TestClass::seconds).reversed()).limit(3)
                        .map(c -> c.name().substring(c.name().lastIndexOf('.') + 1) + String.format(" %.1fs", c.seconds()))
                        .collect(Collectors.joining(", "))));
        double sum = classes.stream().mapToDouble(TestClass::seconds).sum();
        long first = classes.stream().mapToLong(c -> c.finishedMillis() - (long) (c.seconds() * 1000)).min().orElseThrow();
        long last = classes.stream().mapToLong(TestClass::finishedMillis).max().orElseThrow();
        System.out.printf("%-30s %8d %6d %8.1fs   wall %.1fs from the first class's start to the last one's end%n", "all",
                classes.size(), classes.stream().mapToInt(TestClass::tests).sum(), sum, (last - first) / 1000.0);
    }

    static List<TestClass> read(Path folder) throws Exception {
        List<TestClass> classes = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return classes;
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("TEST-.*\\.xml")).sorted().toList()) {
                DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
                factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
                Element suite = factory.newDocumentBuilder().parse(file.toFile()).getDocumentElement();
                String name = suite.getAttribute("name");
                if (tags(name) == null) {
                    continue; // the report of a class that is gone
                }
                int failed = Integer.parseInt(suite.getAttribute("failures")) + Integer.parseInt(suite.getAttribute("errors"));
                classes.add(new TestClass(name, Layer.of(tags(name)), Integer.parseInt(suite.getAttribute("tests")), failed,
                        Double.parseDouble(suite.getAttribute("time").replace(",", "")), Files.getLastModifiedTime(file).toMillis()));
            }
        }
        return classes;
    }

    /** The JUnit tags of a test class, its superclasses' included; null for a class this classpath lacks. */
    private static Set<String> tags(String className) {
        try {
            Class<?> type = Class.forName(className, false, TestTimesReport.class.getClassLoader());
            return AnnotationSupport.findRepeatableAnnotations(type, Tag.class).stream().map(Tag::value).collect(Collectors.toSet());
        } catch (ClassNotFoundException e) {
            return null;
        }
    }
}
