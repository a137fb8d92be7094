package dev.zeropool.benchmarks;

import dev.zeropool.benchmarks.checkpoint.Gpt2Small;
import dev.zeropool.safetensors.TensorSpec;
import java.util.List;

/**
 * The buffer sizes one task of {@link WorkerPoolLoadBenchmark} takes: a small transformer checkpoint,
 * tensor by tensor. It is GPT-2 small's layout ({@link Gpt2Small}: 148 float32 tensors, in file order)
 * with its vectors at their real size and its matrices {@value #MATRIX_SHRINK} times thinner, at most
 * {@value #LARGEST} bytes: many small layer-norm and bias tensors, fewer large weight matrices.
 *
 * <table>
 *   <caption>The 148 sizes</caption>
 *   <tr><th>tensors</th><th>count</th><th>bytes each</th></tr>
 *   <tr><td>layer norms (ln_1, ln_2 weight and bias per block; ln_f), attention and MLP output biases</td>
 *       <td>74</td><td>3 KiB</td></tr>
 *   <tr><td>attention qkv bias ({@code attn.c_attn.bias})</td><td>12</td><td>9 KiB</td></tr>
 *   <tr><td>MLP input bias ({@code mlp.c_fc.bias})</td><td>12</td><td>12 KiB</td></tr>
 *   <tr><td>attention output matrix ({@code attn.c_proj.weight}, 768 x 768 / 24)</td><td>12</td><td>96 KiB</td></tr>
 *   <tr><td>position embedding ({@code wpe}, 1024 x 768 / 24)</td><td>1</td><td>128 KiB</td></tr>
 *   <tr><td>attention qkv matrix ({@code attn.c_attn.weight}, 768 x 2304 / 24)</td><td>12</td><td>288 KiB</td></tr>
 *   <tr><td>MLP matrices ({@code mlp.c_fc}, {@code mlp.c_proj}, 768 x 3072 / 24) and the token
 *       embedding ({@code wte}, capped)</td><td>25</td><td>384 KiB</td></tr>
 * </table>
 * About 14.5 MiB per task. Deterministic: derived from the fixed shapes, nothing random.
 */
final class WorkerTensors {

    /** Matrices (rank 2) take this many times fewer bytes than in GPT-2 small. */
    static final int MATRIX_SHRINK = 24;
    /** No tensor is larger: 384 KiB. */
    static final int LARGEST = 384 << 10;

    private WorkerTensors() {
    }

    /** @return the byte size of each tensor, in file order: a new array each call */
    static int[] bytes() {
        List<TensorSpec> tensors = Gpt2Small.tensors();
        int[] bytes = new int[tensors.size()];
        for (int i = 0; i < bytes.length; i++) {
            TensorSpec tensor = tensors.get(i);
            long size = tensor.shape().size() == 1 ? tensor.byteSize() : tensor.byteSize() / MATRIX_SHRINK;
            bytes[i] = (int) Math.min(size, LARGEST);
        }
        return bytes;
    }
}
