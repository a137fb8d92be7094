package dev.zeropool.safetensors;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The header of a safetensors file, the layout Hugging Face's {@code safetensors} defines:
 * <pre>
 * [8 bytes] N, the header length, unsigned little-endian
 * [N bytes] a UTF-8 JSON object: "__metadata__" (optional, string to string) and, per tensor,
 *           "name": {"dtype": "F32", "shape": [768, 2304], "data_offsets": [begin, end]}
 *           (may be padded with trailing spaces)
 * [rest]    the data section; offsets are relative to its start, and the tensors cover it exactly
 * </pre>
 * Reading checks what a loader relies on (see {@link HeaderParser}): every shape agrees with its byte
 * range, ranges neither overlap nor leave holes, and the last one ends where the file ends. Immutable.
 *
 * @param tensors    tensors in file order (the order of their data, which is also the header order
 *                   this module writes)
 * @param metadata   the {@code __metadata__} entries, empty if absent
 * @param dataStart  absolute file offset of the data section: {@code 8 + N}
 */
public record SafetensorsHeader(List<TensorInfo> tensors, Map<String, String> metadata, long dataStart) {

    /**
     * The format's own bound on N (Hugging Face's reader: {@code MAX_HEADER_SIZE = 100_000_000}, decimal),
     * which stops a corrupt length from allocating gigabytes.
     */
    public static final int MAX_HEADER_BYTES = 100_000_000;

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
        return HeaderParser.parse(json.array(), 8 + headerLength, fileSize - 8 - headerLength);
    }

    /**
     * Lays tensors out one after another and renders the header JSON, padded with spaces so that the
     * data section starts 8-byte aligned (as Hugging Face's writer does).
     *
     * @param tensors  in data order
     * @param metadata written as {@code __metadata__} unless empty
     * @return the header text; its UTF-8 length N is a multiple of 8, so the data starts 8-byte aligned
     * @throws IllegalArgumentException for a header the reader would refuse or read back otherwise: a tensor
     *     named {@code __metadata__}, a name given twice, a name, metadata key or value that is no
     *     well-formed UTF-16 (an unpaired surrogate, which UTF-8 cannot encode), or past one of the reader's
     *     limits (more than 64 dimensions, a name or key over 64 Ki characters, a value over 16 Mi, a
     *     header over {@link #MAX_HEADER_BYTES})
     */
    static String format(List<TensorSpec> tensors, Map<String, String> metadata) {
        Set<String> names = new HashSet<>();
        for (TensorSpec tensor : tensors) {
            String name = tensor.name();
            requireWellFormed("tensor name", name);
            requireAtMost("tensor name", name, HeaderParser.MAX_NAME_LENGTH);
            if (tensor.shape().size() > HeaderParser.MAX_RANK) {
                throw new IllegalArgumentException("tensor \"" + quoted(name) + "\" has " + tensor.shape().size()
                        + " dimensions; the reader takes at most " + HeaderParser.MAX_RANK);
            }
            if (name.equals(HeaderParser.METADATA_KEY)) {
                throw new IllegalArgumentException("tensor name \"" + name + "\" is reserved for the header's "
                        + "metadata; name the tensor otherwise");
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException("tensor name \"" + name + "\" is given twice; names in a "
                        + "safetensors header are unique");
            }
        }
        metadata.forEach((key, value) -> {
            requireWellFormed("metadata key", key);
            requireWellFormed("metadata value", value);
            requireAtMost("metadata key", key, HeaderParser.MAX_NAME_LENGTH);
            requireAtMost("metadata value", value, HeaderParser.MAX_STRING_LENGTH);
        });
        StringBuilder json = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            json.append(quote(HeaderParser.METADATA_KEY)).append(":{");
            boolean first = true;
            for (Map.Entry<String, String> entry : metadata.entrySet()) {
                json.append(first ? "" : ",").append(quote(entry.getKey())).append(':').append(quote(entry.getValue()));
                first = false;
            }
            json.append('}');
        }
        long offset = 0;
        for (TensorSpec tensor : tensors) {
            long end;
            try {
                end = Math.addExact(offset, tensor.byteSize());
            } catch (ArithmeticException overflow) {
                throw new IllegalArgumentException("tensor \"" + tensor.name() + "\" (" + tensor.dtype() + " "
                        + tensor.shape() + ") would end past byte " + Long.MAX_VALUE + " of the data section, the "
                        + "largest offset a header can hold", overflow);
            }
            json.append(json.length() > 1 ? "," : "").append(quote(tensor.name()))
                    .append(":{\"dtype\":").append(quote(tensor.dtype().name()))
                    .append(",\"shape\":").append(tensor.shape().toString().replace(" ", ""))
                    .append(",\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
            offset = end;
        }
        json.append('}');
        int length = json.toString().getBytes(StandardCharsets.UTF_8).length;
        json.append(" ".repeat((8 - length % 8) % 8));
        if (length > MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("the header would take " + length + " bytes of UTF-8; the reader "
                    + "takes at most " + MAX_HEADER_BYTES);
        }
        return json.toString();
    }

    /** Refuses a text longer than the reader takes (its limits count characters). */
    private static void requireAtMost(String what, String text, int maxCharacters) {
        if (text.length() > maxCharacters) {
            throw new IllegalArgumentException(what + " \"" + quoted(text) + "\" has " + text.length()
                    + " characters; the reader takes at most " + maxCharacters);
        }
    }

    /** The start of a long text, for a message. */
    private static String quoted(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    /** Refuses an unpaired surrogate, which getBytes(UTF_8) would silently write as '?'. */
    static void requireWellFormed(String what, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean pairStart = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (pairStart) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(what + " has an unpaired surrogate (U+"
                        + Integer.toHexString(c).toUpperCase(Locale.ROOT) + ") at index " + i
                        + ": not well-formed UTF-16, so it has no UTF-8 form");
            }
        }
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
