package dev.zeropool.benchmarks.checkpoint;

import dev.zeropool.safetensors.DType;
import dev.zeropool.safetensors.TensorSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The parameters of GPT-2 small (124M) in float32, with the names and shapes of Hugging Face's
 * {@code gpt2} checkpoint: token and position embeddings, twelve transformer blocks of twelve tensors,
 * and the final layer norm; 148 tensors, 124,439,808 parameters, 497,759,232 bytes of data. The
 * causal-mask buffers some exports also store ({@code h.N.attn.bias}, not parameters) are left out.
 * The projections are Conv1D-style, {@code [in, out]}, as in that checkpoint.
 */
public final class Gpt2Small {

    static final int VOCABULARY = 50257;
    static final int CONTEXT = 1024;
    static final int WIDTH = 768;
    static final int LAYERS = 12;

    private Gpt2Small() {
    }

    /** @return the tensors in the order this module writes them */
    public static List<TensorSpec> tensors() {
        List<TensorSpec> tensors = new ArrayList<>();
        tensors.add(f32("wte.weight", VOCABULARY, WIDTH));
        tensors.add(f32("wpe.weight", CONTEXT, WIDTH));
        for (int layer = 0; layer < LAYERS; layer++) {
            String h = "h." + layer + ".";
            tensors.add(f32(h + "ln_1.weight", WIDTH));
            tensors.add(f32(h + "ln_1.bias", WIDTH));
            tensors.add(f32(h + "attn.c_attn.weight", WIDTH, 3 * WIDTH));
            tensors.add(f32(h + "attn.c_attn.bias", 3 * WIDTH));
            tensors.add(f32(h + "attn.c_proj.weight", WIDTH, WIDTH));
            tensors.add(f32(h + "attn.c_proj.bias", WIDTH));
            tensors.add(f32(h + "ln_2.weight", WIDTH));
            tensors.add(f32(h + "ln_2.bias", WIDTH));
            tensors.add(f32(h + "mlp.c_fc.weight", WIDTH, 4 * WIDTH));
            tensors.add(f32(h + "mlp.c_fc.bias", 4 * WIDTH));
            tensors.add(f32(h + "mlp.c_proj.weight", 4 * WIDTH, WIDTH));
            tensors.add(f32(h + "mlp.c_proj.bias", WIDTH));
        }
        tensors.add(f32("ln_f.weight", WIDTH));
        tensors.add(f32("ln_f.bias", WIDTH));
        return tensors;
    }

    private static TensorSpec f32(String name, long... shape) {
        return TensorSpec.of(name, DType.F32, shape);
    }
}
