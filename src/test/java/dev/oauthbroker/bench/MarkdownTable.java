package dev.oauthbroker.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** One scenario's figures as a Markdown table; a measured cell reads {@code median (min–max)} over the repeated runs. */
final class MarkdownTable {

    private final String title;
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    MarkdownTable(String title, String... header) {
        this.title = title;
        this.header = List.of(header);
    }

    void row(String... cells) {
        rows.add(List.of(cells));
    }

    List<List<String>> rows() {
        return rows;
    }

    /** {@code median (min–max)} of the runs' values, or the value alone when all runs agree. */
    static String figure(List<Double> values, String format) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (sorted.length == 0) {
            return "-";
        }
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        String m = String.format(Locale.ROOT, format, median);
        String lo = String.format(Locale.ROOT, format, sorted[0]);
        String hi = String.format(Locale.ROOT, format, sorted[n - 1]);
        return lo.equals(hi) ? m : m + " (" + lo + "–" + hi + ")";
    }

    void print(PrintStream out) {
        out.println();
        out.println("### " + title);
        out.println();
        out.println("| " + String.join(" | ", header) + " |");
        out.println("|" + "---|".repeat(header.size()));
        rows.forEach(row -> out.println("| " + String.join(" | ", row) + " |"));
        out.println();
        out.flush();
    }

    @Override
    public String toString() {
        return title + " " + Arrays.deepToString(rows.toArray());
    }
}
