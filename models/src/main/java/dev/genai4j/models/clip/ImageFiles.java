package dev.genai4j.models.clip;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Reads PNG, JPEG, GIF (first frame) and BMP into {@link RgbImage} the way PIL's
 * {@code Image.open(f).convert("RGB")} sees them: grey replicated, palette looked up, alpha
 * dropped (not composited), 16-bit RGB and grey+alpha by their high byte, 16-bit grey clipped at
 * 255 (PIL opens it as mode "I"), 1/2/4-bit grey scaled to 0…255. JPEGs are turned upright by
 * their EXIF orientation, as HF's {@code load_image} does. The header's size is checked against a
 * pixel cap before anything is decoded; truncated or corrupt files fail with
 * {@link ImageReadException}.
 *
 * <p>JPEG pixels come from the JDK's decoder: identical to Pillow's libjpeg-turbo on a baseline
 * 4:2:0 file in the tests, not guaranteed for every JPEG (progressive, other subsamplings); PNG,
 * GIF and BMP decoding is lossless, and matches Pillow 9.4 exactly for every mode tested.
 *
 * <pre>{@code
 * RgbImage img = ImageFiles.read(Path.of("photo.jpg"));
 * RgbImage big = ImageFiles.read(bytes, "upload", 200_000_000L);
 * }</pre>
 */
public final class ImageFiles {
    private ImageFiles() {}

    /** Default cap: 100 megapixels (PIL warns above ~89 MP and refuses above twice that). */
    public static final long DEFAULT_MAX_PIXELS = 100_000_000L;

    public static RgbImage read(Path file) { return read(file, DEFAULT_MAX_PIXELS); }

    public static RgbImage read(Path file, long maxPixels) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ImageReadException("image " + file + " does not exist");
        } catch (IOException e) {
            throw new ImageReadException("cannot read image " + file + ": " + e.getMessage(), e);
        }
        return read(bytes, file.toString(), maxPixels);
    }

    /** Decodes {@code bytes}; {@code name} is used in error messages. */
    public static RgbImage read(byte[] bytes, String name, long maxPixels) {
        if (bytes.length == 0) throw new ImageReadException("image " + name + " is empty (0 bytes)");
        ImageReader reader = null;
        // in memory: ImageIO's default stream would spill to a temporary file
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            while (readers.hasNext()) {
                ImageReader r = readers.next();
                // WBMP has no magic number: its reader claims arbitrary bytes, which PIL would refuse
                if (!r.getFormatName().equalsIgnoreCase("wbmp")) { reader = r; break; }
            }
            if (reader == null) {
                throw new ImageReadException("image " + name + " is not a PNG, JPEG, GIF or BMP file (unrecognized header)");
            }
            String format = reader.getFormatName().toLowerCase(Locale.ROOT);
            reader.setInput(in, true, true);
            long w = reader.getWidth(0), h = reader.getHeight(0);
            if (w * h > maxPixels) {
                throw new ImageReadException.TooLarge("image " + name + " is " + w + " x " + h + " = " + w * h
                        + " pixels, above the cap of " + maxPixels + "; downscale it first or raise the cap");
            }
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener((src, msg) -> warnings.add(msg));
            BufferedImage img = reader.read(0);
            for (String msg : warnings) {
                String m = msg.toLowerCase(Locale.ROOT);
                if (m.contains("premature") || m.contains("truncat") || m.contains("end of")) {
                    throw new ImageReadException("image " + name + " is truncated or corrupt (" + format + " decoder: " + msg + ")");
                }
            }
            RgbImage rgb = toRgb(img, name);
            if (format.equals("jpeg") || format.equals("jpg")) rgb = ExifOrientation.apply(rgb, ExifOrientation.read(bytes));
            return rgb;
        } catch (ImageReadException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // the JDK decoders report corrupt data as IIOException, but also as index or state errors
            throw new ImageReadException("image " + name + " is unreadable, truncated or corrupt: " + e, e);
        } finally {
            if (reader != null) reader.dispose();
        }
    }

    /** PIL's {@code convert("RGB")} of the decoded samples (never through {@code getRGB}, which colour-manages grey). */
    static RgbImage toRgb(BufferedImage img, String name) {
        int w = img.getWidth(), h = img.getHeight();
        Raster r = img.getRaster();
        ColorModel cm = img.getColorModel();
        byte[] out = new byte[w * h * 3];
        int[] px = new int[r.getNumBands()];
        if (cm instanceof IndexColorModel icm) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = r.getSample(x, y, 0), o = (y * w + x) * 3;
                    out[o] = (byte) icm.getRed(i);
                    out[o + 1] = (byte) icm.getGreen(i);
                    out[o + 2] = (byte) icm.getBlue(i);
                }
            }
            return new RgbImage(w, h, out);
        }
        int colors = cm.getNumColorComponents();
        if (colors != 1 && colors != 3) {
            throw new ImageReadException("image " + name + " has " + colors + " colour components (" + cm.getColorSpace().getType()
                    + " colour space, e.g. CMYK); only grey, palette and RGB images are supported");
        }
        int bits = cm.getComponentSize(0);
        boolean alpha = cm.hasAlpha();
        boolean packed = r.getNumBands() != cm.getNumComponents() || cm.getClass() != java.awt.image.ComponentColorModel.class;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int o = (y * w + x) * 3;
                if (packed) {
                    // DirectColorModel (BMP 16/32-bit): the model scales each field to 8 bits
                    Object data = r.getDataElements(x, y, null);
                    out[o] = (byte) cm.getRed(data);
                    out[o + 1] = (byte) cm.getGreen(data);
                    out[o + 2] = (byte) cm.getBlue(data);
                    continue;
                }
                r.getPixel(x, y, px);
                if (colors == 1) {
                    int v = grey(px[0], bits, alpha);
                    out[o] = out[o + 1] = out[o + 2] = (byte) v;
                } else {
                    for (int c = 0; c < 3; c++) out[o + c] = (byte) (bits == 16 ? px[c] >>> 8 : bits == 8 ? px[c] : scale(px[c], bits));
                }
            }
        }
        return new RgbImage(w, h, out);
    }

    /** A grey sample as PIL's RGB conversion sees it. */
    private static int grey(int v, int bits, boolean alpha) {
        if (bits == 8) return v;
        if (bits == 16) return alpha ? v >>> 8 : Math.min(v, 255);   // "LA;16B" keeps the high byte; mode "I" clips
        return scale(v, bits);
    }

    private static int scale(int v, int bits) {
        return bits >= 8 ? v >>> (bits - 8) : v * 255 / ((1 << bits) - 1);
    }
}
