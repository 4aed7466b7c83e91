// The reward / Fréchet path of RL runs: one line per method, from the base through each of its
// checkpoints, with held-out reward on x (RUN/eval.json, 64 images) and the Fréchet distance to real
// images on y (RUN/paired.json, the 400-image paired evaluation). At equal reward, the lower line
// stays closer to the data; the flat last line is the real-vs-real yardstick.
//   java --add-modules jdk.incubator.vector -cp "cli/target/genai4j-cli.jar:cli/target/lib/*" \
//        scripts/diffusion/RlFrontier.java OUT.png "TITLE" "DPOK=runs/a-4,runs/a-12" "DDPO-IS=runs/b-2,runs/b-4" ...
// A RUN is a run folder (RUN/paired.json, RUN/eval.json) or the prefix of flat copies
// (RUN-paired.json, RUN-eval.json, as under docs/diffusion/rl/). Runs in a series are drawn in the order given (give them by epoch). Every run's paired.json must
// share one baseline (same Fréchet distance to 1e-6), or the plot is refused. It also prints, for
// each run of the first series, the Fréchet distance of every other series' path at that run's
// reward (linear between the two points that bracket it): the equal-reward comparison.
import dev.genai4j.io.JsonConfig;
import dev.genai4j.models.diffusion.eval.LinePlot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

public class RlFrontier {
    record Point(String run, double reward, double frechet, double kl) {}

    public static void main(String[] args) {
        if (args.length < 3) {
            System.err.println("usage: RlFrontier OUT.png TITLE LABEL=RUN[,RUN...] [LABEL=RUN,...]...");
            System.exit(2);
        }
        double baseReward = Double.NaN, baseFrechet = Double.NaN, yardstick = Double.NaN;
        List<String> labels = new ArrayList<>();
        List<List<Point>> series = new ArrayList<>();
        for (int a = 2; a < args.length; a++) {
            int eq = args[a].indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("expected LABEL=RUN[,RUN...], got '" + args[a] + "'");
            List<Point> points = new ArrayList<>();
            for (String run : args[a].substring(eq + 1).split(",")) {
                JsonConfig paired = JsonConfig.read(file(run, "paired.json"));
                JsonConfig eval = JsonConfig.read(file(run, "eval.json"));
                JsonConfig base = paired.getObject("baseline");
                double bf = base.getDouble("frechet_distance");
                if (Double.isNaN(baseFrechet)) {
                    baseFrechet = bf;
                    baseReward = reward(eval.getObject("before"));
                    yardstick = paired.getDouble("frechet_distance_real_vs_real");
                } else if (Math.abs(bf - baseFrechet) > 1e-6 * Math.max(bf, baseFrechet)) {
                    throw new IllegalArgumentException(run + ": its baseline's Fréchet distance " + bf + " is not the first run's " + baseFrechet
                            + " (another base, classes or sampler)");
                }
                JsonConfig after = eval.getObject("after");
                points.add(new Point(Path.of(run).getFileName().toString(), reward(after), paired.getDouble("frechet_distance"), after.getDouble("kl_proxy")));
            }
            labels.add(args[a].substring(0, eq));
            series.add(points);
        }
        LinePlot plot = new LinePlot(args[1], "held-out reward (64 images)", "Fréchet distance to real images (400)");
        double lo = baseReward, hi = baseReward;
        for (int s = 0; s < series.size(); s++) {
            List<Point> pts = series.get(s);
            double[] x = new double[pts.size() + 1], y = new double[pts.size() + 1];
            x[0] = baseReward;
            y[0] = baseFrechet;
            for (int i = 0; i < pts.size(); i++) {
                x[i + 1] = pts.get(i).reward();
                y[i + 1] = pts.get(i).frechet();
                lo = Math.min(lo, x[i + 1]);
                hi = Math.max(hi, x[i + 1]);
                System.out.printf(Locale.ROOT, "%-10s %-28s reward %8.4f  Fréchet %7.2f  KL %9.1f%n", labels.get(s), pts.get(i).run(),
                        pts.get(i).reward(), pts.get(i).frechet(), pts.get(i).kl());
            }
            plot.series(labels.get(s), x, y);
        }
        plot.series("real vs real", new double[]{lo, hi}, new double[]{yardstick, yardstick});
        System.out.printf(Locale.ROOT, "base: reward %.4f, Fréchet %.2f; yardstick %.2f%n", baseReward, baseFrechet, yardstick);
        // equal reward: each run of the first series against the other series' paths at its reward
        for (Point p : series.get(0)) {
            for (int s = 1; s < series.size(); s++) {
                String at = atReward(baseReward, baseFrechet, series.get(s), p.reward());
                System.out.printf(Locale.ROOT, "equal reward %.4f: %s %s %.2f; %s %s%n", p.reward(), labels.get(0), p.run(), p.frechet(), labels.get(s), at);
            }
        }
        plot.write(Path.of(args[0]), 720, 460);
        System.out.println("wrote " + args[0]);
    }

    /**
     * The Fréchet distance and KL proxy on a path (from the base, KL 0, through the runs, in order) where
     * it first reaches {@code reward}: linear between the two points that bracket it, or a note that it never does.
     */
    static String atReward(double baseReward, double baseFrechet, List<Point> path, double reward) {
        double x0 = baseReward, y0 = baseFrechet, k0 = 0;
        String from = "base";
        for (Point p : path) {
            if ((x0 - reward) * (p.reward() - reward) <= 0 && x0 != p.reward()) {
                double f = (reward - x0) / (p.reward() - x0);
                return String.format(Locale.ROOT, "%.2f, KL %.0f (between %s and %s)", y0 + f * (p.frechet() - y0), k0 + f * (p.kl() - k0), from, p.run());
            }
            x0 = p.reward();
            y0 = p.frechet();
            k0 = p.kl();
            from = p.run();
        }
        double lo = baseReward, hi = baseReward;
        for (Point p : path) {
            lo = Math.min(lo, p.reward());
            hi = Math.max(hi, p.reward());
        }
        // above every stop: compare with the best one; below the base and every stop: no comparison
        return String.format(Locale.ROOT, "never reaches it (%s every stop: its rewards span %.4f to %.4f)",
                reward > hi ? "above" : "below", lo, hi);
    }

    /** RUN/NAME for a run folder, else RUN-NAME (the flat copies under docs/diffusion/rl/). */
    static Path file(String run, String name) {
        return Files.isDirectory(Path.of(run)) ? Path.of(run, name) : Path.of(run + "-" + name);
    }

    /** The reward the run optimized, un-normalized when TextNorm reports both. */
    static double reward(JsonConfig block) {
        double base = block.getDouble("base_reward_mean", Double.NaN);   // null or NaN without TextNorm
        return Double.isNaN(base) ? block.getDouble("reward_mean") : base;
    }
}
