package dev.zeropool.starter;

import com.jayway.jsonpath.JsonPath;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON read into plain maps, lists, strings, booleans, {@code Long}s and {@code Double}s, so that two
 * documents compare equal when they say the same thing: key order does not matter, number kinds do (a
 * count written as {@code 1.0}, or a rate as {@code 0}, is a different document). The same form serves
 * for what JMX hands back. JsonPath is part of {@code spring-boot-starter-test} on every Boot line.
 */
final class Json {

    private Json() {
    }

    /** @return the document in plain form */
    static Object parse(String text) {
        return plain(JsonPath.parse(text).json());
    }

    /** @return the value with every integral number as a {@code Long}, maps and lists copied */
    static Object plain(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((key, item) -> copy.put(key, plain(item)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach((item) -> copy.add(plain(item)));
            return copy;
        }
        return value;
    }
}
