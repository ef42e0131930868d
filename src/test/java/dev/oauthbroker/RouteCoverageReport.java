package dev.oauthbroker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Camel's route coverage across the whole suite, printed by {@code ./mvnw verify} after the tests:
 * Camel's test kit dumps every context's statistics after each test ({@code CamelTestRouteCoverage},
 * {@code target/camel-route-coverage}); a route or a step with an id of ours (kebab-case, not Camel's
 * generated {@code to12}; routes Camel named itself, {@code route94}, are not ours) counts as exercised when some test sent an exchange through it. The build
 * fails naming every route and step id no test reached.
 */
public final class RouteCoverageReport {

    /** An id Camel made up for a route without one (the OpenAPI endpoint's): not a route of ours. */
    private static final java.util.regex.Pattern GENERATED = java.util.regex.Pattern.compile("route\\d+");

    private RouteCoverageReport() {
    }

    /** A route or named step: where it is, and the most exchanges any dump saw. */
    record Covered(String route, String id, String source, long exchanges) {
        boolean isRoute() {
            return id == null;
        }
    }

    public static void main(String[] args) throws Exception {
        Path folder = Path.of(args.length > 0 ? args[0] : "target/camel-route-coverage");
        if (!Files.isDirectory(folder)) {
            System.out.println("Route coverage: no dumps in " + folder + " (tests skipped)");
            return;
        }
        Map<String, Covered> nodes = collect(folder);
        List<Covered> missed = new ArrayList<>();
        System.out.println();
        System.out.println("Route coverage (" + folder + ")");
        System.out.printf("%-28s %-34s %10s%n", "route", "step id", "exchanges");
        for (Covered node : nodes.values()) {
            System.out.printf("%-28s %-34s %10d%s%n", node.route(), node.isRoute() ? "(route) " + node.source() : node.id(),
                    node.exchanges(), node.exchanges() == 0 ? "   <- never exercised" : "");
            if (node.exchanges() == 0) {
                missed.add(node);
            }
        }
        long routes = nodes.values().stream().filter(Covered::isRoute).count();
        System.out.printf("%d routes and %d step ids, %d never exercised%n", routes, nodes.size() - routes, missed.size());
        if (!missed.isEmpty()) {
            throw new IllegalStateException("no test exercises: " + missed.stream()
                    .map(n -> n.isRoute() ? "route " + n.route() : n.route() + "/" + n.id()).toList());
        }
    }

    static Map<String, Covered> collect(Path folder) throws Exception {
        Map<String, Covered> nodes = new TreeMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".xml")).sorted().toList()) {
                NodeList routes = parse(file).getElementsByTagName("route");
                for (int i = 0; i < routes.getLength(); i++) {
                    Element route = (Element) routes.item(i);
                    String routeId = route.getAttribute("id");
                    if (GENERATED.matcher(routeId).matches()) {
                        continue;
                    }
                    merge(nodes, new Covered(routeId, null, route.getAttribute("sourceLocation"), count(route)));
                    steps(route, routeId, nodes);
                }
            }
        }
        return nodes;
    }

    private static void steps(Element parent, String routeId, Map<String, Covered> nodes) {
        NodeList children = parent.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i).getNodeType() != Node.ELEMENT_NODE) {
                continue;
            }
            Element step = (Element) children.item(i);
            String id = step.getAttribute("id");
            if (step.hasAttribute("exchangesTotal") && id.contains("-")) {
                merge(nodes, new Covered(routeId, id, "", count(step)));
            }
            steps(step, routeId, nodes);
        }
    }

    private static void merge(Map<String, Covered> nodes, Covered seen) {
        nodes.merge(seen.route() + "\u0000" + (seen.id() == null ? "" : seen.id()), seen,
                (a, b) -> a.exchanges() >= b.exchanges() ? a : b);
    }

    private static long count(Element element) {
        String total = element.getAttribute("exchangesTotal");
        return total.isEmpty() ? 0 : Long.parseLong(total);
    }

    private static Document parse(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(file.toFile());
    }
}
