package dev.gnc.io;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Parses the subset of Python literals a .npy header is written in, as {@code ast.literal_eval}
 * would: dicts with string keys, tuples, lists, strings, integers, {@code True} and {@code False}.
 *
 * <p>Values come back as {@link Map} (in file order), {@link Tuple}, {@link List}, {@link String},
 * {@link Long} and {@link Boolean}. Anything else, such as floats or {@code None}, is a syntax
 * error: no .npy header that gnc can read contains one.
 */
final class PythonLiteral {

    /** A Python tuple, kept apart from a list because {@code shape} must be a tuple. */
    record Tuple(List<Object> items) {
    }

    private final String text;
    private int pos;

    private PythonLiteral(String text) {
        this.text = text;
    }

    /** The single literal in {@code text}, which may be surrounded by whitespace. */
    static Object parse(String text) throws ParseException {
        PythonLiteral parser = new PythonLiteral(text);
        Object value = parser.value();
        parser.skipSpace();
        if (parser.pos < text.length()) {
            throw parser.error("unexpected " + parser.next() + " after the value");
        }
        return value;
    }

    /** {@code value} written as Python's {@code repr} would write it, for messages. */
    static String repr(Object value) {
        return switch (value) {
            case String s -> "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
            case Boolean b -> b ? "True" : "False";
            case Tuple t -> t.items().size() == 1 ? "(" + repr(t.items().getFirst()) + ",)" : join("(", t.items(), ")");
            case List<?> l -> join("[", l, "]");
            case Map<?, ?> m -> {
                StringJoiner out = new StringJoiner(", ", "{", "}");
                m.forEach((k, v) -> out.add(repr(k) + ": " + repr(v)));
                yield out.toString();
            }
            default -> String.valueOf(value);
        };
    }

    private static String join(String open, List<?> items, String close) {
        StringJoiner out = new StringJoiner(", ", open, close);
        items.forEach(item -> out.add(repr(item)));
        return out.toString();
    }

    private Object value() throws ParseException {
        skipSpace();
        if (pos == text.length()) {
            throw error("unexpected end of text");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> dict();
            case '(' -> tuple();
            case '[' -> list();
            case '\'', '"' -> string();
            default -> c == '-' || c == '+' || isDigit(c) ? integer() : word();
        };
    }

    private Map<String, Object> dict() throws ParseException {
        pos++;
        Map<String, Object> map = new LinkedHashMap<>();
        while (true) {
            skipSpace();
            if (at('}')) {
                pos++;
                return map;
            }
            if (!at('\'') && !at('"')) {
                throw error("expected a string key or '}' but found " + next());
            }
            int keyStart = pos;
            String key = string();
            skipSpace();
            if (!at(':')) {
                throw error("expected ':' after key " + repr(key) + " but found " + next());
            }
            pos++;
            if (map.putIfAbsent(key, value()) != null) {
                throw new ParseException("key " + repr(key) + " appears twice (at character " + keyStart + ")",
                        keyStart);
            }
            skipSpace();
            if (at(',')) {
                pos++;
            } else if (!at('}')) {
                throw error("expected ',' or '}' but found " + next());
            }
        }
    }

    private Object tuple() throws ParseException {
        pos++;
        List<Object> items = new ArrayList<>();
        boolean comma = sequence(')', items);
        // as in Python, parentheses around one value without a comma are only grouping
        return items.size() == 1 && !comma ? items.getFirst() : new Tuple(List.copyOf(items));
    }

    private List<Object> list() throws ParseException {
        pos++;
        List<Object> items = new ArrayList<>();
        sequence(']', items);
        return List.copyOf(items);
    }

    /** Reads comma-separated values up to and including {@code close}; returns whether any comma was seen. */
    private boolean sequence(char close, List<Object> items) throws ParseException {
        boolean comma = false;
        while (true) {
            skipSpace();
            if (at(close)) {
                pos++;
                return comma;
            }
            items.add(value());
            skipSpace();
            if (at(',')) {
                pos++;
                comma = true;
            } else if (!at(close)) {
                throw error("expected ',' or '" + close + "' but found " + next());
            }
        }
    }

    private String string() throws ParseException {
        int start = pos;
        char quote = text.charAt(pos++);
        StringBuilder out = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == quote) {
                return out.toString();
            }
            if (c == '\n') {
                break;
            }
            if (c == '\\' && pos < text.length()) {
                char escaped = text.charAt(pos++);
                switch (escaped) {
                    case '\\', '\'', '"' -> out.append(escaped);
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    default -> out.append(c).append(escaped); // Python keeps unknown escapes verbatim
                }
            } else {
                out.append(c);
            }
        }
        throw new ParseException("string starting at character " + start + " is not closed", start);
    }

    private Long integer() throws ParseException {
        int start = pos;
        if (at('-') || at('+')) {
            pos++;
        }
        while (pos < text.length() && isDigit(text.charAt(pos))) {
            pos++;
        }
        String digits = text.substring(start, pos);
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new ParseException((digits.length() <= 1 ? "a sign without digits" : "integer " + digits
                    + " does not fit 64 bits") + " at character " + start, start);
        }
    }

    private Boolean word() throws ParseException {
        int end = pos;
        while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
            end++;
        }
        String word = text.substring(pos, end);
        if (!word.equals("True") && !word.equals("False")) {
            throw error("unexpected " + next());
        }
        pos = end;
        return word.equals("True");
    }

    private void skipSpace() {
        while (pos < text.length() && " \t\n\r\f".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
    }

    private boolean at(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The token at the current position, for messages. */
    private String next() {
        if (pos == text.length()) {
            return "the end of the text";
        }
        if (at('\'') || at('"')) {
            return "a string";
        }
        int end = pos;
        while (end < text.length() && end - pos < 16
                && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
            end++;
        }
        return "'" + text.substring(pos, Math.max(end, pos + 1)) + "'";
    }

    private ParseException error(String message) {
        return new ParseException(message + " at character " + pos, pos);
    }
}
