// Our UNet's ε̂ for a fixed input (two images, timesteps 500 and 37, prompts 0 and 57 of
// DumpTrainingData's text.f32): eight values and the norm. forward_check.py prints the same for the
// PyTorch replica with the same weights; the two lines must agree to ~1e-6.
//   java --add-modules jdk.incubator.vector -cp "cli/target/genai4j-cli.jar:cli/target/lib/*" \
//        scripts/diffusion/torch_replica/ForwardCheck.java MODEL_DIR DATA_DIR
import dev.genai4j.models.diffusion.UNet;
import dev.genai4j.tensor.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

public class ForwardCheck {
    public static void main(String[] args) throws Exception {
        if (args.length != 2) throw new IllegalArgumentException("usage: ForwardCheck MODEL_DIR DATA_DIR");
        UNet unet = UNet.load(Path.of(args[0]));
        int n = 2 * 32 * 32, row = 16 * 384;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) Math.sin(0.37 * i) * 0.8f;
        FloatBuffer text = ByteBuffer.wrap(Files.readAllBytes(Path.of(args[1], "text.f32"))).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] txt = new float[2 * row];
        text.get(0, txt, 0, row);
        text.get(57 * row, txt, row, row);
        float[] eps = unet.forward(Tensor.of(x, 2, 1, 32, 32), new float[]{500f, 37f}, Tensor.of(txt, 2, 16, 384)).toFloatArray();
        StringBuilder sb = new StringBuilder();
        double sq = 0;
        for (int i : new int[]{0, 1, 100, 517, 1023, 1024, 1500, 2047}) sb.append(String.format(Locale.ROOT, "%.6f ", eps[i]));
        for (float v : eps) sq += v * v;
        System.out.println(sb + "norm " + Math.sqrt(sq));
    }
}
