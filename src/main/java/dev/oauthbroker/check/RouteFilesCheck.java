package dev.oauthbroker.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Every {@code *.camel.yaml} of a routes folder, checked as the service would load it but without
 * starting anything: the file against Camel's own YAML DSL schema (the {@code camelYamlDsl.json}
 * of our Camel version), then loaded into a Camel context that is never started (no consumer, no
 * database); then across files: route ids written once, every {@code direct:} a step sends to is
 * some route's {@code from}, every {@code routeConfigurationId} exists, every bean {@code ref:}
 * names one of the service's beans and its {@code method:} a public method of it (a {@code ref:} expression: {@code evaluate}).
 */
public final class RouteFilesCheck {

    private final JsonSchema schema;
    private final ServiceBeans beans;

    public RouteFilesCheck() {
        try (InputStream in = RouteFilesCheck.class.getClassLoader().getResourceAsStream("schema/camelYamlDsl.json")) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read Camel's schema/camelYamlDsl.json", e);
        }
        beans = new ServiceBeans("dev.oauthbroker");
    }

    public List<Problem> check(Path folder) {
        List<Path> files;
        try (Stream<Path> listing = Files.list(folder)) {
            files = listing.filter(p -> p.toString().endsWith(".camel.yaml")).sorted().toList();
        } catch (IOException e) {
            return List.of(Problem.error(folder, 0, "", "cannot list the route files (" + e.getMessage() + ")"));
        }
        if (files.isEmpty()) {
            return List.of(Problem.error(folder, 0, "", "no *.camel.yaml route files"));
        }
        Refs refs = new Refs();
        List<Problem> problems = new ArrayList<>();
        DefaultCamelContext context = new DefaultCamelContext();
        context.build();
        try {
            for (Path file : files) {
                problems.addAll(checkFile(context, file, refs));
            }
        } finally {
            context.stop();
        }
        problems.addAll(refs.problems(beans));
        return problems;
    }

    private List<Problem> checkFile(DefaultCamelContext context, Path file, Refs refs) {
        String text;
        Object document;
        try {
            text = Files.readString(file);
            document = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (MarkedYAMLException e) {
            return List.of(Problem.error(file, e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1, "",
                    "not valid YAML (" + e.getProblem() + ")"));
        } catch (IOException | RuntimeException e) {
            return List.of(Problem.error(file, 0, "", "cannot read (" + e.getMessage() + ")"));
        }
        YamlLines lines = new YamlLines(text);
        List<Problem> problems = new ArrayList<>();
        for (ValidationMessage m : schema.validate(new ObjectMapper().valueToTree(document))) {
            String at = m.getInstanceLocation().toString();
            problems.add(Problem.error(file, lines.lineOf(at), at.replaceFirst("^\\$", ""), m.getMessage().replaceFirst("^\\S+: ", "")));
        }
        if (problems.isEmpty()) {
            problems.addAll(load(context, file));
        }
        refs.collect(file, lines.root(), null);
        return problems;
    }

    /** Camel's own reading of the file into route, REST and configuration definitions; nothing is started. */
    private static List<Problem> load(DefaultCamelContext context, Path file) {
        try {
            PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.resolveResource(context, "file:" + file.toAbsolutePath()));
            return List.of();
        } catch (Exception e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return List.of(Problem.error(file, 0, "", "Camel cannot load it: " + message.replace("\n", " ")));
        }
    }

    /** What the files name of each other and of the service, with where. */
    private static final class Refs {
        private final Map<String, List<Where>> routeIds = new LinkedHashMap<>();
        private final Map<String, Where> directsFrom = new LinkedHashMap<>();
        private final List<Named> directsTo = new ArrayList<>();
        private final Map<String, Where> configurations = new LinkedHashMap<>();
        private final List<Named> configurationRefs = new ArrayList<>();
        private final List<BeanRef> beanRefs = new ArrayList<>();

        void collect(Path file, Node node, String key) {
            if (node instanceof SequenceNode sequence) {
                sequence.getValue().forEach(item -> collect(file, item, key));
            } else if (node instanceof MappingNode mapping) {
                Map<String, ScalarNode> scalars = new LinkedHashMap<>();
                for (NodeTuple tuple : mapping.getValue()) {
                    if (tuple.getKeyNode() instanceof ScalarNode k && tuple.getValueNode() instanceof ScalarNode v) {
                        scalars.put(k.getValue(), v);
                    }
                }
                record(file, key, scalars);
                for (NodeTuple tuple : mapping.getValue()) {
                    if (tuple.getKeyNode() instanceof ScalarNode k) {
                        collect(file, tuple.getValueNode(), k.getValue());
                    }
                }
            }
        }

        private void record(Path file, String key, Map<String, ScalarNode> scalars) {
            ScalarNode id = scalars.get("id");
            if (id != null && ("route".equals(key) || "routeConfiguration".equals(key))) {
                Where where = new Where(file, line(id));
                if ("route".equals(key)) {
                    routeIds.computeIfAbsent(id.getValue(), x -> new ArrayList<>()).add(where);
                } else {
                    configurations.put(id.getValue(), where);
                }
            }
            ScalarNode configuration = scalars.get("routeConfigurationId");
            if (configuration != null) {
                configurationRefs.add(new Named(configuration.getValue(), new Where(file, line(configuration))));
            }
            for (String field : List.of("uri", "to")) {
                ScalarNode uri = scalars.get(field);
                if (uri != null && uri.getValue().startsWith("direct:")) {
                    String name = uri.getValue().substring("direct:".length()).replaceFirst("\\?.*$", "");
                    if ("from".equals(key) && field.equals("uri")) {
                        directsFrom.put(name, new Where(file, line(uri)));
                    } else {
                        directsTo.add(new Named(name, new Where(file, line(uri))));
                    }
                }
            }
            ScalarNode ref = scalars.get("ref");
            if (ref != null && ("bean".equals(key) || "method".equals(key))) {
                ScalarNode method = scalars.get("method");
                beanRefs.add(new BeanRef(ref.getValue(), method == null ? null : method.getValue().replaceFirst("\\(.*$", ""),
                        new Where(file, line(ref)), new Where(file, line(method == null ? ref : method))));
            }
            if (ref != null && key.startsWith("set")) {
                // Camel's ref language (setProperty: {name: ..., ref: bean}): a bean that is an expression
                beanRefs.add(new BeanRef(ref.getValue(), "evaluate", new Where(file, line(ref)), new Where(file, line(ref))));
            }
        }

        List<Problem> problems(ServiceBeans beans) {
            List<Problem> problems = new ArrayList<>();
            routeIds.forEach((id, wheres) -> wheres.stream().skip(1).forEach(w -> problems.add(Problem.error(w.file(), w.line(),
                    "route " + id, "route id written twice (first at " + wheres.get(0) + ")"))));
            for (Named to : directsTo) {
                if (!directsFrom.containsKey(to.name())) {
                    problems.add(Problem.error(to.where().file(), to.where().line(), "direct:" + to.name(),
                            "no route starts from direct:" + to.name()));
                }
            }
            for (Named ref : configurationRefs) {
                if (!configurations.containsKey(ref.name())) {
                    problems.add(Problem.error(ref.where().file(), ref.where().line(), "routeConfigurationId",
                            "no routeConfiguration has id '" + ref.name() + "'"));
                }
            }
            for (BeanRef ref : beanRefs) {
                Where w = ref.where();
                beans.type(ref.bean()).ifPresentOrElse(type -> {
                    if (ref.method() != null && !ServiceBeans.hasMethod(type, ref.method())) {
                        problems.add(Problem.error(w.file(), ref.methodWhere().line(), "ref " + ref.bean(),
                                type.getSimpleName() + " has no public method '" + ref.method() + "'"));
                    }
                }, () -> problems.add(Problem.error(w.file(), w.line(), "ref " + ref.bean(), "the service has no bean named '" + ref.bean() + "'")));
            }
            return problems;
        }

        private static int line(Node node) {
            return node.getStartMark().getLine() + 1;
        }
    }

    private record Where(Path file, int line) {
        @Override
        public String toString() {
            return file + ":" + line;
        }
    }

    private record Named(String name, Where where) {
    }

    private record BeanRef(String bean, String method, Where where, Where methodWhere) {
    }
}
