// Writes what train_torch.py needs to train the PyTorch replica on exactly our data: the standard
// Fashion-MNIST training split (FashionMnist.standardSplit(), 60,000 images; per image one label
// byte then 28×28 pixel bytes) and the frozen all-MiniLM-L6-v2 token states [16, 384] of the 80
// training prompts (ClassPrompts.TRAIN_TEMPLATES × classes, row template·10 + class, float32 LE).
// Run from the repository root after a build (see README.md in this folder):
//   java --add-modules jdk.incubator.vector -cp "cli/target/genai4j-cli.jar:cli/target/lib/*" \
//        scripts/diffusion/torch_replica/DumpTrainingData.java OUT_DIR
import dev.genai4j.data.images.FashionMnist;
import dev.genai4j.models.diffusion.ClassPrompts;
import dev.genai4j.models.diffusion.MiniLmPromptEncoder;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.FileOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

public class DumpTrainingData {
    public static void main(String[] args) throws Exception {
        if (args.length != 1) throw new IllegalArgumentException("usage: DumpTrainingData OUT_DIR");
        Path out = Files.createDirectories(Path.of(args[0]));
        FashionMnist fm = FashionMnist.load();
        int[] train = fm.standardSplit().train();
        try (var o = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(out.resolve("train.u8").toFile())))) {
            for (int i : train) {
                o.writeByte(fm.label(i));
                for (int y = 0; y < FashionMnist.SIDE; y++) for (int x = 0; x < FashionMnist.SIDE; x++) o.writeByte(fm.pixel(i, y, x));
            }
        }
        List<String> prompts = new ArrayList<>();
        for (String t : ClassPrompts.TRAIN_TEMPLATES) for (String c : ClassPrompts.FASHION_MNIST) prompts.add(t.replace("{}", c));
        try (MiniLmPromptEncoder enc = MiniLmPromptEncoder.load(MiniLmPromptEncoder.DEFAULT, 16);
             var o = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(out.resolve("text.f32").toFile())))) {
            for (String p : prompts) {
                float[] v = enc.encode(p);                                   // [16, 384]
                ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (float f : v) b.putFloat(f);
                o.write(b.array());
            }
        }
        Files.write(out.resolve("prompts.txt"), prompts);
        System.out.println("wrote " + train.length + " training images and " + prompts.size() + " prompt states to " + out);
    }
}
