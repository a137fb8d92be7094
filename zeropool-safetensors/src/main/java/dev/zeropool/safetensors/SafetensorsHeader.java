package dev.zeropool.safetensors;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The header of a safetensors file, the layout Hugging Face's {@code safetensors} defines:
 * <pre>
 * [8 bytes] N, the header length, unsigned little-endian
 * [N bytes] a UTF-8 JSON object: "__metadata__" (optional, string to string) and, per tensor,
 *           "name": {"dtype": "F32", "shape": [768, 2304], "data_offsets": [begin, end]}
 *           (may be padded with trailing spaces)
 * [rest]    the data section; offsets are relative to its start, and the tensors cover it exactly
 * </pre>
 * Parsing checks what a loader relies on: every shape agrees with its byte range, ranges neither
 * overlap nor leave holes, and the last one ends where the file ends. Immutable.
 *
 * @param tensors    tensors in file order (the order of their data, which is also the header order
 *                   this module writes)
 * @param metadata   the {@code __metadata__} entries, empty if absent
 * @param dataStart  absolute file offset of the data section: {@code 8 + N}
 */
public record SafetensorsHeader(List<TensorInfo> tensors, Map<String, String> metadata, long dataStart) {

    /** The format's own bound on N, which stops a corrupt length from allocating gigabytes. */
    public static final int MAX_HEADER_BYTES = 100 * 1024 * 1024;

    private static final String METADATA_KEY = "__metadata__";

    /** Copies the collections, so the header stays immutable. */
    public SafetensorsHeader {
        tensors = List.copyOf(tensors);
        metadata = Map.copyOf(metadata);
    }

    /** @return bytes of tensor data, the end of the last tensor's range */
    public long dataBytes() {
        long end = 0;
        for (TensorInfo tensor : tensors) {
            end = Math.max(end, tensor.end());
        }
        return end;
    }

    /**
     * Reads and checks the header of an open file; does not move the channel's position.
     *
     * @throws SafetensorsFormatException if the file is not a valid safetensors file (the message says
     *     what is wrong)
     * @throws IOException if the file cannot be read
     */
    public static SafetensorsHeader read(FileChannel channel) throws IOException {
        long fileSize = channel.size();
        if (fileSize < 8) {
            throw new SafetensorsFormatException("not a safetensors file: " + fileSize
                    + " bytes, fewer than the 8 of the header length");
        }
        ByteBuffer lengthField = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, lengthField, 0);
        long headerLength = lengthField.getLong(0);
        if (headerLength < 2 || headerLength > MAX_HEADER_BYTES || 8 + headerLength > fileSize) {
            throw new SafetensorsFormatException("not a safetensors file: header length " + Long.toUnsignedString(headerLength)
                    + " with a file of " + fileSize + " bytes (allowed: 2 to " + MAX_HEADER_BYTES
                    + ", within the file)");
        }
        ByteBuffer json = ByteBuffer.allocate((int) headerLength);
        readFully(channel, json, 8);
        json.flip();
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(json).toString();
        } catch (CharacterCodingException e) {
            throw new SafetensorsFormatException("safetensors header is not valid UTF-8", e);
        }
        try {
            return parse(text, 8 + headerLength, fileSize - 8 - headerLength);
        } catch (IllegalArgumentException e) {
            throw new SafetensorsFormatException("invalid safetensors header: " + e.getMessage(), e);
        }
    }

    /**
     * Parses header JSON and checks it against the size of the data section that follows it.
     *
     * @param json      the header text (trailing spaces allowed)
     * @param dataStart absolute offset of the data section, {@code 8 + N}
     * @param dataBytes length of the data section
     * @throws IllegalArgumentException naming the tensor and the rule it breaks
     */
    static SafetensorsHeader parse(String json, long dataStart, long dataBytes) {
        if (!(Json.parse(json) instanceof Map<?, ?> root)) {
            throw new IllegalArgumentException("header is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<TensorInfo> tensors = new ArrayList<>();
        for (Map.Entry<?, ?> entry : root.entrySet()) {
            String name = (String) entry.getKey();
            if (name.equals(METADATA_KEY)) {
                readMetadata(entry.getValue(), metadata);
            } else {
                tensors.add(tensor(name, entry.getValue()));
            }
        }
        // JSON object order is not meaningful; data order is. Sort by offset, then check coverage.
        tensors.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        long expected = 0;
        for (TensorInfo tensor : tensors) {
            if (tensor.begin() != expected) {
                throw new IllegalArgumentException("tensor " + tensor.name() + " starts at " + tensor.begin()
                        + " but the previous data ends at " + expected + " (ranges must not overlap or leave holes)");
            }
            expected = tensor.end();
        }
        if (expected != dataBytes) {
            throw new IllegalArgumentException("tensors cover " + expected + " bytes but the data section has "
                    + dataBytes);
        }
        return new SafetensorsHeader(tensors, metadata, dataStart);
    }

    private static void readMetadata(Object value, Map<String, String> into) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(METADATA_KEY + " must be an object of strings");
        }
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getValue() instanceof String text)) {
                throw new IllegalArgumentException(METADATA_KEY + "." + entry.getKey() + " must be a string");
            }
            into.put((String) entry.getKey(), text);
        }
    }

    private static TensorInfo tensor(String name, Object value) {
        if (!(value instanceof Map<?, ?> fields)) {
            throw new IllegalArgumentException("tensor " + name + " must be an object");
        }
        if (!(fields.get("dtype") instanceof String dtype)) {
            throw new IllegalArgumentException("tensor " + name + " has no string dtype");
        }
        List<Long> shape = longs(name, "shape", fields.get("shape"), -1);
        List<Long> offsets = longs(name, "data_offsets", fields.get("data_offsets"), 2);
        TensorSpec spec = new TensorSpec(name, DType.of(dtype), shape);
        long begin = offsets.get(0);
        long end = offsets.get(1);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("tensor " + name + " has data_offsets [" + begin + ", " + end
                    + "]; need 0 <= begin <= end");
        }
        if (end - begin != spec.byteSize()) {
            throw new IllegalArgumentException("tensor " + name + " is " + spec.dtype() + " " + shape + " = "
                    + spec.byteSize() + " bytes but its data_offsets span " + (end - begin));
        }
        return new TensorInfo(spec, begin, end);
    }

    private static List<Long> longs(String tensor, String field, Object value, int expectedSize) {
        if (!(value instanceof List<?> list) || (expectedSize >= 0 && list.size() != expectedSize)) {
            throw new IllegalArgumentException("tensor " + tensor + " needs " + field + " as an array"
                    + (expectedSize >= 0 ? " of " + expectedSize : "") + " of integers, was " + value);
        }
        List<Long> numbers = new ArrayList<>(list.size());
        for (Object element : list) {
            if (!(element instanceof Long number) || number < 0) {
                throw new IllegalArgumentException("tensor " + tensor + " has " + field + " " + value
                        + "; elements must be non-negative integers");
            }
            numbers.add(number);
        }
        return numbers;
    }

    /**
     * Lays tensors out one after another and renders the header JSON, padded with spaces so that the
     * data section starts 8-byte aligned (as Hugging Face's writer does).
     *
     * @param tensors  in data order
     * @param metadata written as {@code __metadata__} unless empty
     * @return the header text; its UTF-8 length N is a multiple of 8, so the data starts 8-byte aligned
     */
    static String format(List<TensorSpec> tensors, Map<String, String> metadata) {
        StringBuilder json = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            json.append(quote(METADATA_KEY)).append(":{");
            boolean first = true;
            for (Map.Entry<String, String> entry : metadata.entrySet()) {
                json.append(first ? "" : ",").append(quote(entry.getKey())).append(':').append(quote(entry.getValue()));
                first = false;
            }
            json.append('}');
        }
        long offset = 0;
        for (TensorSpec tensor : tensors) {
            long end = offset + tensor.byteSize();
            json.append(json.length() > 1 ? "," : "").append(quote(tensor.name()))
                    .append(":{\"dtype\":").append(quote(tensor.dtype().name()))
                    .append(",\"shape\":").append(tensor.shape().toString().replace(" ", ""))
                    .append(",\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
            offset = end;
        }
        json.append('}');
        int length = json.toString().getBytes(StandardCharsets.UTF_8).length;
        json.append(" ".repeat((8 - length % 8) % 8));
        return json.toString();
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** Reads until {@code into} is full, from {@code position} on. */
    static void readFully(FileChannel channel, ByteBuffer into, long position) throws IOException {
        while (into.hasRemaining()) {
            int read = channel.read(into, position);
            if (read < 0) {
                throw new EOFException("file ends at " + position + " with " + into.remaining() + " bytes still expected");
            }
            position += read;
        }
    }
}
