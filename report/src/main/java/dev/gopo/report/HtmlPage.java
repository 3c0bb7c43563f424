package dev.gopo.report;

import java.util.List;

/**
 * An HTML page built top to bottom. Every piece of text passes through {@link #escape}, so a task or
 * a setting named {@code <b>} shows as written; the only markup is the page's own. The style sheet is
 * inline and the images are relative file names, so the directory opens from disk with no server.
 */
final class HtmlPage {
    private static final String STYLE = String.join("\n",
            "body { font-family: sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }",
            "table { border-collapse: collapse; margin: 0.5em 0 1em; }",
            "th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; }",
            "th { background: #f3f3f3; }",
            "td.num { text-align: right; font-variant-numeric: tabular-nums; }",
            "img { max-width: 100%; display: block; margin: 0.5em 0; }",
            ".note { color: #555; }");

    private final StringBuilder body = new StringBuilder();
    private final String title;

    HtmlPage(String title) {
        this.title = title;
        heading(1, title);
    }

    /** {@code text} with {@code & < > " '} replaced by character references. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    HtmlPage heading(int level, String text) {
        body.append("<h").append(level).append('>').append(escape(text)).append("</h").append(level).append(">\n");
        return this;
    }

    HtmlPage paragraph(String text) {
        body.append("<p>").append(escape(text)).append("</p>\n");
        return this;
    }

    /** A paragraph in the muted style, for what is missing or how to read a chart. */
    HtmlPage note(String text) {
        body.append("<p class=\"note\">").append(escape(text)).append("</p>\n");
        return this;
    }

    /** An image next to the page, {@code file} being a bare file name. */
    HtmlPage image(String file, String alt) {
        body.append("<img src=\"").append(escape(file)).append("\" alt=\"").append(escape(alt)).append("\">\n");
        return this;
    }

    /** A table; cells that read as numbers are right-aligned. */
    HtmlPage table(List<String> header, List<List<String>> rows) {
        body.append("<table>\n<tr>");
        for (String h : header) {
            body.append("<th>").append(escape(h)).append("</th>");
        }
        body.append("</tr>\n");
        for (List<String> row : rows) {
            body.append("<tr>");
            for (String cell : row) {
                body.append(looksNumeric(cell) ? "<td class=\"num\">" : "<td>").append(escape(cell)).append("</td>");
            }
            body.append("</tr>\n");
        }
        body.append("</table>\n");
        return this;
    }

    /** A bulleted list. */
    HtmlPage list(List<String> items) {
        body.append("<ul>\n");
        for (String item : items) {
            body.append("<li>").append(escape(item)).append("</li>\n");
        }
        body.append("</ul>\n");
        return this;
    }

    String render() {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape(title)
                + "</title>\n<style>\n" + STYLE + "\n</style>\n</head>\n<body>\n" + body + "</body>\n</html>\n";
    }

    private static boolean looksNumeric(String cell) {
        return !cell.isEmpty() && (Character.isDigit(cell.charAt(0)) || (cell.length() > 1 && cell.charAt(0) == '-'
                && Character.isDigit(cell.charAt(1))));
    }
}
