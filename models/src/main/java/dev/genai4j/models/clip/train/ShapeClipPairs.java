package dev.genai4j.models.clip.train;

import dev.genai4j.data.DataException;
import dev.genai4j.data.shapes.CaptionParser;
import dev.genai4j.data.shapes.CaptionWriter;
import dev.genai4j.data.shapes.ObjectSpec;
import dev.genai4j.data.shapes.ParsedCaption;
import dev.genai4j.data.shapes.PlyFile;
import dev.genai4j.data.shapes.PointCloud;
import dev.genai4j.models.pointe.train.ShapeCloudData;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * (image, caption) pairs from a {@code genai4j pointe data} set for a CLIP that judges point
 * clouds: the image is a {@link CloudViews} splat render of the scene's ground-truth cloud from a
 * random camera (not the mesh render), the caption the scene's own or another phrasing of the
 * same objects ({@link CaptionWriter}'s templates). Only the training part is used: the last
 * {@code holdOut} scenes are left out exactly as {@code genai4j train pointe --hold-out} does
 * (the same {@link ShapeCloudData} split). Scenes with the same objects share a group, so the
 * contrastive loss does not call them negatives.
 *
 * <pre>{@code
 * ShapeClipPairs s = ShapeClipPairs.open(Path.of("data/shapes"), 100);
 * ClipTrainData d = ClipTrainData.shapes(s);
 * }</pre>
 */
public final class ShapeClipPairs {
    private final List<ShapeCloudData.Example> scenes;
    private final int[][] captionOptions;     // per scene: indices into captions
    private final int[] groups;               // per scene: one id per distinct object set + relation
    private final List<String> captions = new ArrayList<>();
    private final Function<Path, PointCloud> reader;

    private ShapeClipPairs(List<ShapeCloudData.Example> scenes, Function<Path, PointCloud> reader) {
        this.scenes = scenes;
        this.reader = reader;
        this.captionOptions = new int[scenes.size()][];
        this.groups = new int[scenes.size()];
        Map<String, Integer> ids = new LinkedHashMap<>(), groupIds = new LinkedHashMap<>();
        for (int s = 0; s < scenes.size(); s++) {
            List<String> options = phrasings(scenes.get(s).caption());
            captionOptions[s] = new int[options.size()];
            for (int k = 0; k < options.size(); k++) {
                captionOptions[s][k] = ids.computeIfAbsent(options.get(k), t -> {
                    captions.add(t);
                    return captions.size() - 1;
                });
            }
            groups[s] = groupIds.computeIfAbsent(canonical(scenes.get(s).caption()), g -> groupIds.size());
        }
    }

    /**
     * The training scenes of {@code dir} (all but the last {@code holdOut}); checks that every
     * scene has a caption and a cloud file.
     *
     * @throws DataException naming the file and what was expected
     */
    public static ShapeClipPairs open(Path dir, int holdOut) {
        if (!Files.isDirectory(dir)) {
            throw new DataException("train clip --shapes: " + dir + " is not a folder; expected a 'genai4j pointe data' set (captions.jsonl, clouds/, renders/)");
        }
        List<ShapeCloudData.Example> train = ShapeCloudData.open(dir, holdOut).train();
        Path index = dir.resolve("captions.jsonl");
        for (ShapeCloudData.Example e : train) {
            if (e.caption().isBlank()) throw new DataException("train clip --shapes: scene " + e.id() + " in " + index + " has no \"caption\"");
            if (!Files.isRegularFile(e.ply())) {
                throw new DataException("train clip --shapes: scene " + e.id() + " in " + index + " names the cloud " + e.ply() + ", which does not exist");
            }
        }
        return new ShapeClipPairs(train, PlyFile::read);
    }

    /** Pairs from given scenes, clouds read with {@code reader} (tests). */
    static ShapeClipPairs of(List<ShapeCloudData.Example> scenes, Function<Path, PointCloud> reader) {
        if (scenes.isEmpty()) throw new DataException("train clip --shapes: no training scenes");
        return new ShapeClipPairs(List.copyOf(scenes), reader);
    }

    /**
     * The caption first, then every other template phrasing of the same objects and relation
     * ({@link CaptionWriter#nounPhrase} templates, medium size said or not). A caption the parser
     * cannot read exactly keeps only itself.
     */
    public static List<String> phrasings(String caption) {
        ParsedCaption p = CaptionParser.parse(caption);
        LinkedHashSet<String> out = new LinkedHashSet<>();
        out.add(caption);
        if (!readable(p)) return List.copyOf(out);
        List<ObjectSpec> specs = p.specs();
        List<String> first = nounPhrases(specs.get(0));
        if (specs.size() == 1) {
            out.addAll(first);
        } else {
            for (String a : first) for (String b : nounPhrases(specs.get(1))) out.add(a + " " + p.relation().phrase() + " " + b);
        }
        return List.copyOf(out);
    }

    /** One phrasing per set of objects and relation (template 0, medium spelled out): the group of a scene; the caption itself when unreadable. */
    public static String canonical(String caption) {
        ParsedCaption p = CaptionParser.parse(caption);
        if (!readable(p)) return caption;
        List<ObjectSpec> specs = p.specs();
        return CaptionWriter.nounPhrase(specs.get(0), 0, true)
                + (specs.size() == 2 ? " " + p.relation().phrase() + " " + CaptionWriter.nounPhrase(specs.get(1), 0, true) : "");
    }

    private static boolean readable(ParsedCaption p) {
        return p.isExact() && !p.specs().isEmpty() && p.specs().size() <= 2 && (p.specs().size() == 1 || p.relation() != null);
    }

    private static List<String> nounPhrases(ObjectSpec s) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (int t = 0; t < CaptionWriter.TEMPLATES; t++) for (boolean medium : new boolean[]{false, true}) out.add(CaptionWriter.nounPhrase(s, t, medium));
        return List.copyOf(out);
    }

    /** Every caption a pair can carry, indexed as {@link #sample} refers to them. */
    public List<String> captions() { return captions; }

    /** The training scenes, in data order. */
    public List<ShapeCloudData.Example> scenes() { return scenes; }

    /** Caption indices of scene {@code s}: its own caption first. */
    public int[] captionOptions(int s) { return captionOptions[s].clone(); }

    /** {@code n} pairs drawn with {@code rng}: scene, caption phrasing, 256-point subset and camera; the same rng state gives the same batch. */
    public ClipTrainData.Batch sample(int n, Rng rng) {
        int per = 3 * CloudViews.SIDE * CloudViews.SIDE;
        float[] px = new float[n * per];
        int[] cap = new int[n], grp = new int[n];
        for (int b = 0; b < n; b++) {
            int s = rng.nextInt(scenes.size());
            int[] options = captionOptions[s];
            cap[b] = options[rng.nextInt(options.length)];
            grp[b] = groups[s];
            PointCloud cloud = CloudViews.subset(reader.apply(scenes.get(s).ply()), CloudViews.POINTS, rng);
            CloudViews.pixelsInto(cloud, CloudViews.randomCamera(rng), px, b * per);
        }
        return new ClipTrainData.Batch(Tensor.of(px, n, 3, CloudViews.SIDE, CloudViews.SIDE), cap, grp);
    }
}
