package dev.oauthbroker.check;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The line of a key in a YAML document, found by walking its node tree: a path such as
 * {@code providers.acme.identity} or {@code $[3].route.from.steps[2]} leads to the deepest node it
 * reaches (a key brought in by a merge key or an alias: the line of the nearest written parent).
 */
final class YamlLines {

    private static final Pattern SEGMENT = Pattern.compile("\\[(\\d+)]|([^.\\[\\]$]+)");

    private final Node root;

    YamlLines(String text) {
        Node composed;
        try {
            composed = new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(text));
        } catch (RuntimeException unreadable) {
            composed = null;
        }
        this.root = composed;
    }

    /** The document's node tree (aliases resolved to their anchors' nodes); null when it could not be read. */
    Node root() {
        return root;
    }

    /** 1-based line of the path's deepest written key or item; 0 when the document could not be read. */
    int lineOf(String path) {
        if (root == null) {
            return 0;
        }
        Node node = root;
        int line = root.getStartMark().getLine() + 1;
        for (String segment : segments(path)) {
            Step step = step(node, segment);
            if (step == null) {
                break;
            }
            line = step.line();
            node = step.value();
        }
        return line;
    }

    private static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        Matcher m = SEGMENT.matcher(path);
        while (m.find()) {
            segments.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return segments;
    }

    /** One step down: a mapping's key (its line) and value, or a sequence's item. */
    private static Step step(Node node, String segment) {
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode key && key.getValue().equals(segment)) {
                    return new Step(key.getStartMark().getLine() + 1, tuple.getValueNode());
                }
            }
        } else if (node instanceof SequenceNode sequence && segment.chars().allMatch(Character::isDigit)) {
            int index = Integer.parseInt(segment);
            if (index < sequence.getValue().size()) {
                Node item = sequence.getValue().get(index);
                return new Step(item.getStartMark().getLine() + 1, item);
            }
        }
        return null;
    }

    private record Step(int line, Node value) {
    }
}
