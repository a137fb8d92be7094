package dev.zeropool.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/** Every way a header can be wrong is a {@link SafetensorsFormatException} that names it; valid ones parse. */
class HeaderParserTest {

    /** One F32 tensor of 4 bytes, with {@code extra} added to its fields. */
    private static String oneTensor(String extra) {
        return "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]" + extra + "}}";
    }

    private static SafetensorsHeader parse(String json, long dataBytes) throws SafetensorsFormatException {
        return HeaderParser.parse(json.getBytes(StandardCharsets.UTF_8), 64, dataBytes);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> refused(String json, long dataBytes) {
        return assertThatThrownBy(() -> parse(json, dataBytes)).isInstanceOf(SafetensorsFormatException.class);
    }

    @Test
    void tensorsAreReturnedInDataOrderWhateverTheJsonOrderWithMetadataAndTrailingSpaces() throws Exception {
        String json = "{\"second\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[3,5]},"
                + "\"__metadata__\":{\"format\":\"pt\"},"
                + "\"first\":{\"dtype\":\"U8\",\"shape\":[3],\"data_offsets\":[0,3]}}   ";
        SafetensorsHeader header = parse(json, 5);
        assertThat(header.tensors()).extracting(TensorInfo::name).containsExactly("first", "second");
        assertThat(header.metadata()).containsEntry("format", "pt").hasSize(1);
        assertThat(header.dataStart()).isEqualTo(64);
        assertThat(header.dataBytes()).isEqualTo(5);
    }

    /**
     * The dtypes of the current format (safetensors 0.6): whole-byte ones, and the sub-byte MX types F4 (4
     * bits) and F6 (6 bits), whose tensors must come to a whole number of bytes.
     */
    @Test
    void theCurrentFormatsDtypesAreReadWithTheirWidths() throws Exception {
        String json = "{\"scales\":{\"dtype\":\"F8_E8M0\",\"shape\":[4],\"data_offsets\":[0,4]},"
                + "\"z\":{\"dtype\":\"C64\",\"shape\":[1],\"data_offsets\":[4,12]},"
                + "\"fp4\":{\"dtype\":\"F4\",\"shape\":[2,3],\"data_offsets\":[12,15]},"
                + "\"a\":{\"dtype\":\"F6_E2M3\",\"shape\":[4],\"data_offsets\":[15,18]},"
                + "\"b\":{\"dtype\":\"F6_E3M2\",\"shape\":[8],\"data_offsets\":[18,24]}}";
        assertThat(parse(json, 24).tensors()).extracting(TensorInfo::name, TensorInfo::byteSize).containsExactly(
                org.assertj.core.groups.Tuple.tuple("scales", 4L), org.assertj.core.groups.Tuple.tuple("z", 8L),
                org.assertj.core.groups.Tuple.tuple("fp4", 3L), org.assertj.core.groups.Tuple.tuple("a", 3L),
                org.assertj.core.groups.Tuple.tuple("b", 6L));
    }

    /* Counted without forming elements x bits, which would overflow 8 times sooner than the byte count. */
    @Test
    void aSubByteTensorsByteSizeIsExactUpToTheLongRange() {
        assertThat(new TensorSpec("t", DType.F4, List.of(1L << 62)).byteSize()).isEqualTo(1L << 61);
        assertThat(new TensorSpec("t", DType.F6_E2M3, List.of(1L << 61)).byteSize()).isEqualTo(3L << 59);
        assertThat(new TensorSpec("t", DType.F6_E3M2, List.of(4L, 3L)).byteSize()).isEqualTo(9);
        assertThatThrownBy(() -> new TensorSpec("t", DType.F4, List.of(Long.MAX_VALUE - 7, 2L, 8L)).byteSize())
                .isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> DType.of(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("null");
    }

    @Test
    void aSubByteTensorThatIsNoWholeNumberOfBytesIsRefused() {
        refused("{\"w\":{\"dtype\":\"F4\",\"shape\":[3],\"data_offsets\":[0,2]}}", 2)
                .hasMessageContaining("tensor \"w\"").hasMessageContaining("is F4 [3] (4-bit elements), not a whole number of bytes");
    }

    /* A hostile file may make the dtype megabytes long; the message quotes the start of it. */
    @Test
    void anUnknownDtypeIsQuotedCutShort() {
        String dtype = "X".repeat(1_000_000);
        refused("{\"w\":{\"dtype\":\"" + dtype + "\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1)
                .hasMessageContaining("unknown safetensors dtype")
                .hasMessageContaining("(1000000 characters)")
                .satisfies((e) -> assertThat(e.getMessage()).hasSizeLessThan(1_000));
    }

    /* Hugging Face's reader takes the metadata as an optional map, so null is none. */
    @Test
    void nullMetadataIsNoMetadata() throws Exception {
        SafetensorsHeader header = parse("{\"__metadata__\":null,\"w\":{\"dtype\":\"U8\",\"shape\":[1],"
                + "\"data_offsets\":[0,1]}}", 1);
        assertThat(header.metadata()).isEmpty();
        assertThat(header.tensors()).hasSize(1);
    }

    /* An escaped lone surrogate is no Unicode text: the reference's JSON reader refuses it, and so does our writer. */
    @Test
    void anEscapedLoneSurrogateInANameOrMetadataIsRefused() {
        refused("{\"w\\ud800\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1)
                .hasMessageContaining("tensor name").hasMessageContaining("unpaired surrogate (U+D800)");
        refused("{\"__metadata__\":{\"k\":\"\\udc00x\"}}", 0)
                .hasMessageContaining("metadata value").hasMessageContaining("unpaired surrogate (U+DC00)");
        refused("{\"__metadata__\":{\"\\ud800\":\"v\"}}", 0).hasMessageContaining("metadata key");
    }

    @Test
    void anEmptyHeaderIsAFileWithoutTensors() throws Exception {
        assertThat(parse("{}", 0).tensors()).isEmpty();
    }

    @Test
    void fieldsTheReaderDoesNotKnowAreSkipped() throws Exception {
        assertThat(parse(oneTensor(",\"future\":{\"a\":[1,2.5,\"x\",null]}"), 4).tensors()).hasSize(1);
    }

    @Test
    void aHeaderThatIsNotAJsonObjectIsRefused() {
        for (String json : new String[] { "[1,2]", "\"text\"", "42", "null", "true" }) {
            refused(json, 0).as(json).hasMessageContaining("header is not a JSON object but");
        }
        refused("{} {}", 0).hasMessageContaining("content after the header object");
        refused("{} x", 0).hasMessageContaining("Unrecognized token 'x'");
        refused("{\"w\":", 0).hasMessageContaining("end-of-input");
    }

    @Test
    void nestingOneHundredThousandLevelsDeepIsRefusedAtTheLimitWithoutRecursing() {
        int depth = 100_000;
        String deep = "[".repeat(depth) + "]".repeat(depth);
        refused(oneTensor(",\"x\":" + deep), 4)
                .hasMessageContaining("nesting depth (9) exceeds the maximum allowed (8");
        refused("{\"w\":" + "{\"a\":".repeat(depth) + "1" + "}".repeat(depth + 1), 4)
                .hasMessageContaining("nesting depth (9) exceeds the maximum allowed (8");
        refused(deep, 0).hasMessageContaining("header is not a JSON object but an array");
    }

    @Test
    void numbersOutsideZeroToLongMaxAreRefusedWithTheRange() {
        String range = "integers from 0 to 9223372036854775807";
        refused("{\"w\":{\"dtype\":\"U8\",\"shape\":[9223372036854775808],\"data_offsets\":[0,1]}}", 1)
                .hasMessageContaining("tensor \"w\" needs shape as an array of at most 64 " + range)
                .hasMessageContaining("has 9223372036854775808");
        refused("{\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[-1,0]}}", 1)
                .hasMessageContaining("data_offsets as an array of at most 2 " + range + ", has -1");
        refused("{\"w\":{\"dtype\":\"U8\",\"shape\":[1.5],\"data_offsets\":[0,1]}}", 1).hasMessageContaining("has 1.5");
        refused("{\"w\":{\"dtype\":\"U8\",\"shape\":[\"1\"],\"data_offsets\":[0,1]}}", 1)
                .hasMessageContaining("has the string \"1\"");
        refused("{\"w\":{\"dtype\":\"U8\",\"shape\":[" + "1".repeat(400) + "],\"data_offsets\":[0,1]}}", 1)
                .hasMessageContaining("Number value length (400) exceeds the maximum allowed (19");
    }

    @Test
    void aShapeWhoseByteCountOverflowsALongIsRefused() {
        refused("{\"w\":{\"dtype\":\"F32\",\"shape\":[2147483648,2147483648],\"data_offsets\":[0,4]}}", 4)
                .hasMessageContaining("tensor \"w\" is F32 [2147483648, 2147483648], more than 9223372036854775807 bytes");
        refused("{\"w\":{\"dtype\":\"U8\",\"shape\":[9223372036854775807,2],\"data_offsets\":[0,4]}}", 4)
                .hasMessageContaining("more than 9223372036854775807 bytes");
    }

    @Test
    void aZeroDimensionMakesAnEmptyTensorHoweverLargeTheOthers() throws Exception {
        String json = "{\"e\":{\"dtype\":\"F64\",\"shape\":[4294967296,4294967296,0],\"data_offsets\":[0,0]}}";
        assertThat(parse(json, 0).tensors()).singleElement().extracting(TensorInfo::byteSize).isEqualTo(0L);
    }

    @Test
    void shapeThatDisagreesWithItsByteRangeIsRefused() {
        refused("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,12]}}", 12)
                .hasMessageContaining("tensor \"w\" is F32 [2, 2] = 16 bytes but its data_offsets span 12");
        refused("{\"w\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[5,4]}}", 5)
                .hasMessageContaining("data_offsets [5, 4]; need begin <= end");
    }

    @Test
    void offsetsBeyondTheDataSectionAreRefused() {
        refused("{\"w\":{\"dtype\":\"U8\",\"shape\":[1000],\"data_offsets\":[0,1000]}}", 4)
                .hasMessageContaining("tensors cover 1000 bytes but the data section has 4");
        refused("{\"w\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[9223372036854775803,9223372036854775807]}}", 4)
                .hasMessageContaining("tensor \"w\" starts at 9223372036854775803 but the previous data ends at 0");
    }

    @Test
    void overlappingOrGappedRangesAreRefused() {
        refused("{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[2,6]}}", 6)
                .hasMessageContaining("tensor \"b\" starts at 2 but the previous data ends at 4");
        refused("{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[1,5]}}", 5)
                .hasMessageContaining("tensor \"a\" starts at 1 but the previous data ends at 0");
    }

    @Test
    void missingOrMistypedFieldsAreRefusedByName() {
        refused("{\"w\":{\"dtype\":\"F128\",\"shape\":[1],\"data_offsets\":[0,16]}}", 16)
                .hasMessageContaining("tensor \"w\": unknown safetensors dtype \"F128\"");
        refused("{\"w\":{\"shape\":[1],\"data_offsets\":[0,1]}}", 1)
                .hasMessageContaining("tensor \"w\" needs dtype (a string), shape");
        refused("{\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0]}}", 1)
                .hasMessageContaining("data_offsets has 1");
        refused("{\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1,2]}}", 1)
                .hasMessageContaining("data_offsets as an array of at most 2").hasMessageContaining("has more");
        refused("{\"w\":{\"dtype\":8,\"shape\":[1],\"data_offsets\":[0,1]}}", 1)
                .hasMessageContaining("tensor \"w\" needs dtype as a string, was 8");
        refused("{\"w\":[1]}", 0).hasMessageContaining("tensor \"w\" must be an object, was an array");
        refused("{\"w\":{\"dtype\":\"U8\",\"shape\":" + "[" + "1,".repeat(64) + "1]" + ",\"data_offsets\":[0,1]}}", 1)
                .hasMessageContaining("shape as an array of at most 64");
    }

    @Test
    void metadataMustMapStringsToStrings() {
        refused("{\"__metadata__\":[]}", 0).hasMessageContaining("__metadata__ must be an object of strings, was an array");
        refused("{\"__metadata__\":{\"epoch\":3}}", 0).hasMessageContaining("__metadata__.\"epoch\" must be a string, was 3");
    }

    @Test
    void aKeyGivenTwiceIsRefused() {
        refused("{\"w\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[0,0]},"
                + "\"w\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[0,0]}}", 0)
                .hasMessageContaining("Duplicate field 'w'");
        refused(oneTensor(",\"dtype\":\"U8\""), 4).hasMessageContaining("Duplicate field 'dtype'");
    }

    @Test
    void hugeStringsAndNamesAreRefusedAtTheirLimits() {
        String longest = "x".repeat(HeaderParser.MAX_STRING_LENGTH);
        refused("{\"__metadata__\":{\"k\":\"" + longest + "y\"}}", 0)
                .hasMessageContaining("String value length (" + (HeaderParser.MAX_STRING_LENGTH + 1)
                        + ") exceeds the maximum allowed (" + HeaderParser.MAX_STRING_LENGTH);
        String name = "n".repeat(HeaderParser.MAX_NAME_LENGTH + 1);
        refused("{\"" + name + "\":{}}", 0).hasMessageContaining("Name length (" + name.length()
                + ") exceeds the maximum allowed (" + HeaderParser.MAX_NAME_LENGTH);
    }

    @Test
    void aLongNameIsCutShortInTheMessage() {
        String name = "n".repeat(HeaderParser.MAX_NAME_LENGTH);
        refused("{\"" + name + "\":[]}", 0).hasMessageContaining("(" + name.length() + " characters)")
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(300));
    }

    @Test
    void bytesThatAreNotUtf8AreRefused() {
        byte[] overlong = { '{', '"', (byte) 0xC0, (byte) 0x80, '"', ':', '1', '}' };
        assertThatThrownBy(() -> HeaderParser.parse(overlong, 64, 0))
                .isInstanceOf(SafetensorsFormatException.class).hasMessage("safetensors header is not valid UTF-8: 1 malformed byte(s) at byte 2 of the header");
    }
}
