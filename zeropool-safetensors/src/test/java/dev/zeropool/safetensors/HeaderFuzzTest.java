package dev.zeropool.safetensors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Valid headers, mutated the ways corrupt and hostile files differ from them (byte flips, truncation,
 * insertion, splices, deep nesting, huge and overflowing numbers), must parse into a header that passes
 * an independent check of the format's rules, or be refused with a {@link SafetensorsFormatException}:
 * never any other exception or error.
 */
class HeaderFuzzTest {

    private static final List<TensorSpec> TENSORS = List.of(
            TensorSpec.of("wte.weight", DType.F32, 16, 8),
            TensorSpec.of("h.0.attn.bias", DType.BF16, 3, 1, 5),
            TensorSpec.of("empty", DType.U8, 0, 7),
            TensorSpec.of("step", DType.I64));

    private static final long DATA_BYTES = 512 + 30 + 0 + 8;

    private static final byte[] VALID = SafetensorsHeader.format(TENSORS, Map.of("format", "pt", "note", "é✓"))
            .getBytes(StandardCharsets.UTF_8);

    private static final Pattern NUMBER = Pattern.compile("[0-9]+");
    private static final Pattern SHAPE = Pattern.compile("\\[[0-9,]*\\]");

    /** One change to header bytes; positions are taken modulo the length, which earlier changes may alter. */
    @FunctionalInterface
    interface Mutation {
        byte[] apply(byte[] header);
    }

    @Property(tries = 10_000)
    void aMutatedHeaderParsesToAValidHeaderOrIsRefusedAsAFormatError(
            @ForAll("mutatedHeaders") byte[] header, @ForAll("dataSectionSizes") long dataBytes) {
        // Both outcomes must occur, or the mutations have drifted into testing only one of them.
        Statistics.label("outcome").coverage(coverage -> {
            coverage.check("parsed").count(count -> count > 0);
            coverage.check("refused").count(count -> count > 0);
        });
        SafetensorsHeader parsed;
        try {
            parsed = HeaderParser.parse(header, 8 + header.length, dataBytes);
        } catch (SafetensorsFormatException refused) {
            assertThat(refused.getMessage()).matches("(?s)(invalid safetensors header|safetensors header is not valid UTF-8): .+");
            Statistics.label("outcome").collect("refused");
            return;
        }
        assertFollowsTheFormat(parsed, dataBytes);
        Statistics.label("outcome").collect("parsed");
    }

    /** The format's rules, checked without the parser's code and with arithmetic that cannot overflow. */
    private static void assertFollowsTheFormat(SafetensorsHeader header, long dataBytes) {
        long expectedBegin = 0;
        for (TensorInfo tensor : header.tensors()) {
            BigInteger bits = BigInteger.valueOf(tensor.spec().dtype().bits()); // F4 and F6 are packed sub-byte types
            for (long dimension : tensor.spec().shape()) {
                assertThat(dimension).isNotNegative();
                bits = bits.multiply(BigInteger.valueOf(dimension));
            }
            assertThat(bits.mod(BigInteger.valueOf(8))).as("whole bytes: " + tensor.name()).isZero();
            BigInteger bytes = bits.shiftRight(3);
            assertThat(tensor.begin()).as(tensor.name()).isEqualTo(expectedBegin);
            assertThat(BigInteger.valueOf(tensor.end()).subtract(BigInteger.valueOf(tensor.begin())))
                    .as(tensor.name()).isEqualTo(bytes);
            expectedBegin = tensor.end();
        }
        assertThat(expectedBegin).isEqualTo(dataBytes);
    }

    @Provide
    Arbitrary<Long> dataSectionSizes() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.just(DATA_BYTES)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(0L, DATA_BYTES - 1, DATA_BYTES + 1, Long.MAX_VALUE)));
    }

    @Provide
    Arbitrary<byte[]> mutatedHeaders() {
        return mutation().list().ofMinSize(1).ofMaxSize(3).map(mutations -> {
            byte[] header = VALID;
            for (Mutation mutation : mutations) {
                header = mutation.apply(header);
            }
            return header;
        });
    }

    private static Arbitrary<Mutation> mutation() {
        Arbitrary<Integer> at = Arbitraries.integers().between(0, Integer.MAX_VALUE);
        Arbitrary<Mutation> flip = Combinators.combine(at, Arbitraries.integers().between(1, 255))
                .as((position, bits) -> header -> flip(header, position, bits));
        Arbitrary<Mutation> truncate = at.map(position -> header -> Arrays.copyOf(header, position % (header.length + 1)));
        Arbitrary<Mutation> insert = Combinators.combine(at, Arbitraries.oneOf(
                        Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(8),
                        Arbitraries.of("{", "}", "[", "]", "\"", ",", ":", "\\", "-", "0", "1e400", "null", "\\u", "\u00e9")
                                .map(text -> text.getBytes(StandardCharsets.UTF_8))))
                .as((position, bytes) -> header -> insert(header, position, bytes));
        Arbitrary<Mutation> splice = Combinators.combine(at, at, Arbitraries.integers().between(1, 64))
                .as((from, to, length) -> header -> splice(header, from, to, length));
        Arbitrary<Mutation> nest = Combinators.combine(at, // Far past the limit of 8, where a recursive parser would already be deep; the parser stops at
                        // the limit, so more depth costs time, not coverage (HeaderParserTest covers 100,000 levels).
                        Arbitraries.integers().between(1, 2_000),
                        Arbitraries.of("[", "{\"k\":", "[{\"k\":"), Arbitraries.of(true, false))
                .as((position, depth, opener, closed) -> header -> nest(header, position, depth, opener, closed));
        Arbitrary<Mutation> number = Combinators.combine(at, Arbitraries.oneOf(
                        Arbitraries.of("2147483648", "4294967296", "9223372036854775807", "9223372036854775808",
                                "18446744073709551616", "-1", "-0", "1.5", "1e3", "0" + "7", "1" + "0".repeat(18)),
                        Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(500)))
                .as((which, digits) -> header -> replace(header, NUMBER, which, digits));
        Arbitrary<Mutation> shape = Combinators.combine(at, Arbitraries.of("[2147483648,2147483648]",
                        "[4294967296,4294967296,0]", "[9223372036854775807,2]", "[3037000500,3037000500]", "[]", "[0]",
                        "[" + "1,".repeat(64) + "1]"))
                .as((which, replacement) -> header -> replace(header, SHAPE, which, replacement));
        return Arbitraries.oneOf(flip, truncate, insert, splice, nest, number, shape);
    }

    private static byte[] flip(byte[] header, int position, int bits) {
        if (header.length == 0) {
            return header;
        }
        byte[] flipped = header.clone();
        flipped[position % header.length] ^= (byte) bits;
        return flipped;
    }

    private static byte[] insert(byte[] header, int position, byte[] bytes) {
        int at = position % (header.length + 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream(header.length + bytes.length);
        out.write(header, 0, at);
        out.writeBytes(bytes);
        out.write(header, at, header.length - at);
        return out.toByteArray();
    }

    /** Copies a stretch of the header to another place in it: plausible tokens in implausible places. */
    private static byte[] splice(byte[] header, int from, int to, int length) {
        if (header.length == 0) {
            return header;
        }
        int start = from % header.length;
        return insert(header, to, Arrays.copyOfRange(header, start, Math.min(header.length, start + length)));
    }

    /** Opens {@code depth} levels at a position, and closes them again or leaves them open. */
    private static byte[] nest(byte[] header, int position, int depth, String opener, boolean closed) {
        StringBuilder nesting = new StringBuilder(opener.repeat(depth)).append('1');
        if (closed) {
            String closer = new StringBuilder(opener.replace("\"k\":", "").replace('[', ']').replace('{', '}'))
                    .reverse().toString();
            nesting.append(closer.repeat(depth));
        }
        return insert(header, position, nesting.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Replaces the {@code which}-th match of {@code pattern} (modulo the count) in the header's text. */
    private static byte[] replace(byte[] header, Pattern pattern, int which, String replacement) {
        String text = new String(header, StandardCharsets.ISO_8859_1);
        List<int[]> matches = new ArrayList<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            matches.add(new int[] { matcher.start(), matcher.end() });
        }
        if (matches.isEmpty()) {
            return header;
        }
        int[] match = matches.get(which % matches.size());
        // ISO-8859-1 maps bytes to chars one to one, so other bytes, UTF-8 or not, come back unchanged.
        return (text.substring(0, match[0]) + replacement + text.substring(match[1])).getBytes(StandardCharsets.ISO_8859_1);
    }
}
