package dev.zeropool.safetensors;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the N header bytes of a safetensors file into a checked {@link SafetensorsHeader}: strict UTF-8,
 * JSON read token by token with Jackson's streaming parser under limits sized for a header, each tensor's
 * fields checked as they are read (shape arithmetic overflow-checked), then the byte ranges checked to
 * tile the data section exactly. Whatever the bytes, the outcome is a header that passes those checks or
 * a {@link SafetensorsFormatException} naming the problem: no other exception, no recursion, and memory
 * bounded by the header's length. Stateless and thread-safe.
 */
final class HeaderParser {

    /**
     * Nesting a header may use. A valid one needs three levels (the header, a tensor, its shape); the rest
     * is room for fields this reader skips, not for a hostile file to make the parser track deep input.
     */
    static final int MAX_NESTING_DEPTH = 8;

    /** Digits a number may have: 19 holds every {@code long}, the widest shape or offset this reader takes. */
    static final int MAX_NUMBER_LENGTH = 19;

    /**
     * Characters a string value (a dtype, a metadata value) may have: far above the training metadata some
     * files carry (hundreds of KB), far below the 100 MB header bound.
     */
    static final int MAX_STRING_LENGTH = 16 * 1024 * 1024;

    /** Characters a key (a tensor name, a metadata key) may have; real tensor names are tens of characters. */
    static final int MAX_NAME_LENGTH = 64 * 1024;

    /** Dimensions a shape may have: more than any framework supports, few enough to bound what one costs. */
    static final int MAX_RANK = 64;

    /** The key the format reserves for string-to-string metadata; every other key is a tensor. */
    static final String METADATA_KEY = "__metadata__";

    private static final int MAX_QUOTED = 80;

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxNumberLength(MAX_NUMBER_LENGTH)
                    .maxStringLength(MAX_STRING_LENGTH)
                    .maxNameLength(MAX_NAME_LENGTH)
                    .maxDocumentLength(SafetensorsHeader.MAX_HEADER_BYTES)
                    .build())
            // A key given twice is ambiguous: which tensor is meant? Refuse it rather than pick one.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // The shared symbol table throws IllegalStateException when hostile keys collide in its hash;
            // a header is parsed once, so nothing is lost by not canonicalising its keys.
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .build();

    private HeaderParser() {
    }

    /**
     * Parses and checks header bytes against the size of the data section that follows them.
     *
     * @param utf8      the N header bytes (trailing spaces allowed, as writers pad with them)
     * @param dataStart absolute file offset of the data section, {@code 8 + N}
     * @param dataBytes length of the data section in bytes
     * @throws SafetensorsFormatException naming what is wrong, and the tensor where there is one
     */
    static SafetensorsHeader parse(byte[] utf8, long dataStart, long dataBytes) throws SafetensorsFormatException {
        try (JsonParser json = JSON.createParser(decode(utf8))) {
            return header(json, dataStart, dataBytes);
        } catch (SafetensorsFormatException e) {
            throw e;
        } catch (JsonProcessingException e) {
            throw new SafetensorsFormatException("invalid safetensors header: " + e.getOriginalMessage()
                    + where(e.getLocation()), e);
        } catch (IOException e) {
            // A String has no I/O to fail: anything else Jackson reports is about the text too.
            throw new SafetensorsFormatException("invalid safetensors header: " + e.getMessage(), e);
        }
    }

    /** Strict UTF-8, as the format requires: a malformed byte is an error at its offset, never a replacement. */
    private static String decode(byte[] utf8) throws SafetensorsFormatException {
        ByteBuffer in = ByteBuffer.wrap(utf8);
        CharBuffer out = CharBuffer.allocate(utf8.length);
        CoderResult result = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(in, out, true);
        if (result.isError()) {
            throw new SafetensorsFormatException("safetensors header is not valid UTF-8: " + result.length()
                    + " malformed byte(s) at byte " + in.position() + " of the header");
        }
        // UTF-8 never takes more chars than bytes, so the output cannot overflow and flush has nothing left.
        return out.flip().toString();
    }

    private static SafetensorsHeader header(JsonParser json, long dataStart, long dataBytes) throws IOException {
        if (json.nextToken() != JsonToken.START_OBJECT) {
            throw invalid("header is not a JSON object but " + describe(json));
        }
        Map<String, String> metadata = Map.of();
        List<TensorInfo> tensors = new ArrayList<>();
        // Inside an object the parser yields a key or the closing brace; malformed input throws instead.
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            requireWellFormed(name.equals(METADATA_KEY) ? "metadata key" : "tensor name", name);
            json.nextToken();
            if (name.equals(METADATA_KEY)) {
                metadata = metadata(json);
            } else {
                tensors.add(tensor(name, json));
            }
        }
        if (json.nextToken() != null) {
            throw invalid("content after the header object" + where(json.currentLocation()));
        }
        return layout(tensors, metadata, dataStart, dataBytes);
    }

    private static Map<String, String> metadata(JsonParser json) throws IOException {
        if (json.currentToken() == JsonToken.VALUE_NULL) {
            return Map.of(); // Hugging Face's reader takes the metadata as optional: null is none
        }
        if (!json.isExpectedStartObjectToken()) {
            throw invalid(METADATA_KEY + " must be an object of strings, was " + describe(json));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String key = json.currentName();
            requireWellFormed("metadata key", key);
            if (json.nextToken() != JsonToken.VALUE_STRING) {
                throw invalid(METADATA_KEY + "." + quote(key) + " must be a string, was " + describe(json));
            }
            String value = json.getText();
            requireWellFormed("metadata value", value);
            metadata.put(key, value);
        }
        return metadata;
    }

    private static TensorInfo tensor(String name, JsonParser json) throws IOException {
        if (!json.isExpectedStartObjectToken()) {
            throw invalid("tensor " + quote(name) + " must be an object, was " + describe(json));
        }
        String dtype = null;
        List<Long> shape = null;
        List<Long> offsets = null;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            JsonToken value = json.nextToken();
            switch (field) {
                case "dtype" -> {
                    if (value != JsonToken.VALUE_STRING) {
                        throw invalid("tensor " + quote(name) + " needs dtype as a string, was " + describe(json));
                    }
                    dtype = json.getText();
                }
                case "shape" -> shape = integers(json, name, field, MAX_RANK);
                case "data_offsets" -> offsets = integers(json, name, field, 2);
                // Fields the format may grow are skipped, as Hugging Face's reader does; the nesting
                // limit still applies to what is skipped.
                default -> json.skipChildren();
            }
        }
        if (dtype == null || shape == null || offsets == null || offsets.size() != 2) {
            throw invalid("tensor " + quote(name) + " needs dtype (a string), shape (an array of integers) and "
                    + "data_offsets (an array of 2 integers)" + (offsets != null && offsets.size() != 2
                            ? "; data_offsets has " + offsets.size() : ""));
        }
        DType type;
        try {
            type = DType.of(dtype);
        } catch (IllegalArgumentException unknownDtype) {
            throw invalid("tensor " + quote(name) + ": " + unknownDtype.getMessage());
        }
        TensorSpec spec;
        try {
            spec = new TensorSpec(name, type, shape);
        } catch (IllegalArgumentException notWholeBytes) { // the one check left: shapes have no negatives here
            throw invalid("tensor " + quote(name) + " is " + type + " " + shape + " (" + type.bits()
                    + "-bit elements), not a whole number of bytes");
        }
        long byteSize;
        try {
            byteSize = spec.byteSize();
        } catch (ArithmeticException overflow) {
            throw invalid("tensor " + quote(name) + " is " + spec.dtype() + " " + shape + ", more than "
                    + Long.MAX_VALUE + " bytes");
        }
        long begin = offsets.get(0);
        long end = offsets.get(1);
        if (end < begin) {
            throw invalid("tensor " + quote(name) + " has data_offsets [" + begin + ", " + end
                    + "]; need begin <= end");
        }
        if (end - begin != byteSize) {
            throw invalid("tensor " + quote(name) + " is " + spec.dtype() + " " + shape + " = " + byteSize
                    + " bytes but its data_offsets span " + (end - begin));
        }
        return new TensorInfo(spec, begin, end);
    }

    /** Reads an array of at most {@code maxCount} integers from 0 to {@link Long#MAX_VALUE}. */
    private static List<Long> integers(JsonParser json, String tensor, String field, int maxCount) throws IOException {
        String rule = "tensor " + quote(tensor) + " needs " + field + " as an array of at most " + maxCount
                + " integers from 0 to " + Long.MAX_VALUE;
        if (!json.isExpectedStartArrayToken()) {
            throw invalid(rule + ", was " + describe(json));
        }
        List<Long> values = new ArrayList<>();
        for (JsonToken token = json.nextToken(); token != JsonToken.END_ARRAY; token = json.nextToken()) {
            if (values.size() == maxCount) {
                throw invalid(rule + ", has more");
            }
            if (token != JsonToken.VALUE_NUMBER_INT || json.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    || json.getLongValue() < 0) {
                throw invalid(rule + ", has " + describe(json));
            }
            values.add(json.getLongValue());
        }
        return values;
    }

    /** Checks that the ranges, in data order, tile the data section: no overlap, no hole, nothing beyond. */
    private static SafetensorsHeader layout(List<TensorInfo> tensors, Map<String, String> metadata, long dataStart,
            long dataBytes) throws SafetensorsFormatException {
        // JSON object order is not meaningful; data order is. Sort by offset, then check coverage.
        tensors.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        long expected = 0;
        for (TensorInfo tensor : tensors) {
            if (tensor.begin() != expected) {
                throw invalid("tensor " + quote(tensor.name()) + " starts at " + tensor.begin()
                        + " but the previous data ends at " + expected + " (ranges must not overlap or leave holes)");
            }
            expected = tensor.end();
        }
        if (expected != dataBytes) {
            throw invalid("tensors cover " + expected + " bytes but the data section has " + dataBytes);
        }
        return new SafetensorsHeader(tensors, metadata, dataStart);
    }

    /**
     * JSON's {@code \\u} escapes can spell half a surrogate pair, which is no Unicode text (the reference
     * reader refuses it, and {@link SafetensorsWriter} would never write it): refused, as the writer does.
     */
    private static void requireWellFormed(String what, String text) throws SafetensorsFormatException {
        try {
            SafetensorsHeader.requireWellFormed(what, text);
        } catch (IllegalArgumentException malformed) {
            throw invalid(malformed.getMessage());
        }
    }

    private static SafetensorsFormatException invalid(String what) {
        return new SafetensorsFormatException("invalid safetensors header: " + what);
    }

    /** The current token for a message: a container by kind, a value by (the start of) its text. */
    private static String describe(JsonParser json) throws IOException {
        JsonToken token = json.currentToken();
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "the string " + quote(json.getText());
            default -> excerpt(json.getText());
        };
    }

    private static String where(JsonLocation location) {
        return location == null || location.getCharOffset() < 0 ? "" : " (at character " + location.getCharOffset() + ")";
    }

    /** A name or value for a message, cut short: a hostile file may make them megabytes long. */
    private static String quote(String text) {
        return "\"" + excerpt(text) + "\"";
    }

    private static String excerpt(String text) {
        return text.length() <= MAX_QUOTED ? text
                : text.substring(0, MAX_QUOTED) + "... (" + text.length() + " characters)";
    }
}
